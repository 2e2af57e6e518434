// KRM rendering against golden files, the SLO gate's arithmetic, alert
// payloads, the pipeline record and GitOps paths: pure functions.
#define BOOST_TEST_MODULE krm
#include "actors/pipeline/slo.hpp"
#include "config/config.hpp"
#include "io/webhook_routes.hpp"
#include "protocol/edge_answers.hpp"
#include "protocol/krm.hpp"
#include "protocol/pipeline_run.hpp"
#include "support/paths.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace o2hub;

namespace {

const std::string golden_dir = test::source_dir() + "/tests/golden/krm/";

std::string slurp(const std::string& path) {
  std::ifstream in{path};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

intent urllc() {
  intent x;
  x.intent_id = "intent-1700000000000-abcdef01";
  x.intent_type = "URLLC";
  x.description = "Deploy URLLC with 1ms latency on edge01";
  x.target_sites = {"edge1"};
  x.bandwidth_mbps = 50;
  x.latency_ms = 1;
  x.reliability_pct = 99.999;
  x.availability_pct = 99.999;
  x.sst = 2;
  x.sd = "000001";
  x.five_qi = 82;
  x.priority = 9;
  return x;
}

} // namespace

BOOST_AUTO_TEST_CASE(the_package_matches_the_golden_files) {
  auto files = render_krm(urllc(), "edge1", krm_options{}, "2025-01-01T00:00:00.000Z");
  BOOST_TEST_REQUIRE(files.size() == 4u);
  // O2HUB_UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
  bool update = std::getenv("O2HUB_UPDATE_GOLDEN") != nullptr;
  for (auto& f : files) {
    BOOST_TEST(f.path.rfind("intent-1700000000000-abcdef01/", 0) == 0u, f.path);
    auto name = f.path.substr(f.path.find('/') + 1);
    if (update)
      std::ofstream{golden_dir + name} << f.content;
    BOOST_TEST(f.content == slurp(golden_dir + name), name);
  }
  // Deterministic: the same input, the same bytes.
  auto again = render_krm(urllc(), "edge1", krm_options{}, "2025-01-01T00:00:00.000Z");
  for (size_t i = 0; i < files.size(); ++i)
    BOOST_TEST(files[i].content == again[i].content);
}

BOOST_AUTO_TEST_CASE(provisioning_request_ids_are_stable_uuids) {
  auto a = provisioning_request_id("intent-1", "edge1");
  BOOST_TEST(a == provisioning_request_id("intent-1", "edge1"));
  BOOST_TEST(a != provisioning_request_id("intent-1", "edge2"));
  BOOST_TEST(a.size() == 36u);
  BOOST_TEST(a[14] == '5'); // version 5
  BOOST_TEST((a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b'));
}

BOOST_AUTO_TEST_CASE(the_slo_gate_takes_the_stricter_target) {
  auto x = urllc(); // latency 1 ms, availability 99.999 %, 50 Mbps
  std::map<std::string, std::string> targets{
      {"latency_p95_ms", "15"}, {"success_rate", "0.995"}, {"throughput_mbps", "100"}};
  auto checks = evaluate_slo(
      x, targets,
      {{"latency_p95_ms", 0.8}, {"success_rate", 0.99999}, {"throughput_mbps", 100}});
  BOOST_TEST_REQUIRE(checks.size() == 3u);
  BOOST_TEST(checks[0].target == 1.0);
  BOOST_TEST(checks[0].pass);
  BOOST_TEST(checks[1].target == 0.99999);
  BOOST_TEST(checks[1].pass);
  BOOST_TEST(checks[2].target == 100.0);
  BOOST_TEST(checks[2].pass);
  auto bad = evaluate_slo(x, targets, {{"latency_p95_ms", 2}, {"success_rate", 0.995}});
  BOOST_TEST(!bad[0].pass);
  BOOST_TEST(!bad[1].pass);
  BOOST_TEST(!bad[2].pass); // missing is never a pass
  // 0 ms is a target (never met), not "unset": the configured 15 ms is not
  // used instead (issue 12).
  x.latency_ms = 0;
  auto zero = evaluate_slo(x, targets, {{"latency_p95_ms", 0.8}});
  BOOST_TEST(zero[0].target == 0.0);
  BOOST_TEST(!zero[0].pass);
  // Absent: the configured target.
  x.latency_ms = absent;
  auto unset = evaluate_slo(x, targets, {{"latency_p95_ms", 0.8}});
  BOOST_TEST(unset[0].target == 15.0);
  BOOST_TEST(unset[0].pass);
}

BOOST_AUTO_TEST_CASE(alertmanager_payloads_name_intents_or_sites) {
  std::string error;
  size_t ignored = 0;
  auto body = R"({"version":"4","status":"firing","alerts":[
    {"status":"firing","labels":{"alertname":"A","severity":"critical","intent_id":"intent-1"},
     "annotations":{"summary":"down"}},
    {"status":"firing","labels":{"alertname":"B","edge":"edge02"}},
    {"status":"firing","labels":{"alertname":"C","severity":"warning","intent_id":"intent-2"}},
    {"status":"resolved","labels":{"alertname":"D","intent_id":"intent-3"}},
    {"status":"firing","labels":{"alertname":"E"}}]})";
  auto t = read_alerts(body, false, error, ignored);
  BOOST_TEST(error.empty());
  BOOST_TEST_REQUIRE(t.size() == 2u);
  BOOST_TEST(t[0].intent_id == "intent-1");
  BOOST_TEST(t[0].reason == "alert A: down");
  BOOST_TEST(t[1].site == "edge02");
  BOOST_TEST(ignored == 3u);
  ignored = 0;
  BOOST_TEST(read_alerts(body, true, error, ignored).size() == 3u); // warnings too
  read_alerts("[1,2]", false, error, ignored);
  BOOST_TEST(!error.empty());
}

BOOST_AUTO_TEST_CASE(the_pipeline_record_round_trips) {
  pipeline_run r;
  r.value = urllc();
  r.text = "Deploy \"URLLC\"";
  r.step = "deploy";
  r.rendered_at = "2025-01-01T00:00:00.000Z";
  r.commits = {{"o2hub-gitops", "abc"}};
  r.reason = "x";
  r.after_completion = true;
  pipeline_run back;
  BOOST_TEST_REQUIRE(from_json(to_json(r), back));
  BOOST_TEST((back.value == r.value));
  BOOST_TEST(back.text == r.text);
  BOOST_TEST(back.step == "deploy");
  BOOST_TEST(back.commits["o2hub-gitops"] == "abc");
  BOOST_TEST(back.after_completion);
}

BOOST_AUTO_TEST_CASE(gitops_layouts_place_packages) {
  auto cfg = default_config();
  cfg.data_dir = "/var/lib/o2hub";
  BOOST_TEST(gitops_repo(cfg, "edge1") == "o2hub-gitops");
  BOOST_TEST(gitops_package_dir(cfg, "edge1", "i1") == "edge1/i1");
  BOOST_TEST(gitops_url(cfg, "o2hub-gitops") == "/var/lib/o2hub/gitops/o2hub-gitops.git");
  cfg.gitops.layout = "per-site";
  cfg.gitops.remote = "https://gitea.example/nephio/{repo}.git";
  BOOST_TEST(gitops_repo(cfg, "edge2") == "edge2-config");
  BOOST_TEST(gitops_package_dir(cfg, "edge2", "i1") == "i1");
  BOOST_TEST(gitops_url(cfg, "edge2-config")
             == "https://gitea.example/nephio/edge2-config.git");
  BOOST_TEST(!validate(cfg));
  cfg.gitops.remote = "https://gitea.example/nephio/one.git";
  BOOST_TEST(static_cast<bool>(validate(cfg))); // per-site needs {repo}
}
