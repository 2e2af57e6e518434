// The pipeline actor, deterministically: the real monitor (memory only) and
// git actor (a temporary local remote), edge HTTP answered by the test, and
// virtual time for the deployment timeout.
#define BOOST_TEST_MODULE pipeline_actor
#include "actors/monitor/monitor.hpp"
#include "actors/pipeline/manager.hpp"
#include "io/git.hpp"
#include "io/gitops.hpp"
#include "support/actor_fixture.hpp"
#include "support/json_query.hpp"
#include "support/mocks/http.hpp"
#include "support/monitor_json.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace o2hub;
using o2hub::test::json_at;
namespace fs = std::filesystem;

namespace {

using o2hub::test::pending_fetch;

struct fixture : o2hub::test::actor_fixture {
  std::string dir =
      fs::temp_directory_path() / ("o2hub-pa-" + std::to_string(::getpid()));
  std::shared_ptr<std::vector<pending_fetch>> fetches =
      std::make_shared<std::vector<pending_fetch>>();
  monitor_actor mon;
  gitops_actor git;
  pipeline_manager_actor mgr;

  fixture() {
    fs::remove_all(dir);
    auto cfg = std::make_shared<config>(default_config());
    cfg->data_dir = dir;
    cfg->pipeline.deploy_timeout_s = 10;
    cfg->pipeline.poll_interval_ms = 1000;
    git_ensure_bare(gitops_url(*cfg, "o2hub-gitops"));
    monitor_options mopts;
    mopts.sites = {"edge1", "edge2", "edge3", "edge4"};
    mopts.metrics_interval = std::chrono::milliseconds{0};
    mon = spawn(monitor, std::move(mopts));
    gitops_options gopts;
    gopts.work_dir = dir + "/work";
    gopts.url_of = [cfg](const std::string& repo) { return gitops_url(*cfg, repo); };
    git = spawn(gitops, std::move(gopts));
    pipeline_env env;
    env.cfg = cfg;
    env.monitor = mon;
    env.git = git;
    env.http = spawn(o2hub::test::scripted_http, fetches);
    env.monitor_url = "http://monitor";
    mgr = spawn(pipeline_manager, std::move(env));
  }

  ~fixture() { fs::remove_all(dir); }

  /// Answers every pending edge request with `answer(url)`.
  void answer(const std::function<fetch_result(const std::string&)>& f) {
    auto now = std::move(*fetches);
    fetches->clear();
    for (auto& p : now)
      p.done(f(p.req.url));
    run();
  }

  std::string pipeline_json(const std::string& id) {
    auto out = test::to_json(request<pipeline>(mon, atom::get_v, atom::pipeline_v, id));
    return out ? *out : render(out.error());
  }

  pipeline_ref start(const std::string& id, std::vector<std::string> sites) {
    intent x;
    x.intent_id = id;
    x.intent_type = "eMBB";
    x.target_sites = std::move(sites);
    x.bandwidth_mbps = 100;
    x.latency_ms = 10;
    auto ref = request<pipeline_ref>(mgr, atom::start_v, x, std::string{"text"});
    BOOST_TEST_REQUIRE(static_cast<bool>(ref), o2hub::test::error_of(ref));
    return *ref;
  }
};

fetch_result ok(std::string body) {
  fetch_result r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

fetch_result phase(const std::string& p) {
  return ok(R"({"status":{"provisioningPhase":")" + p + R"(","message":"m"}})");
}

fetch_result prom(double v) {
  return ok(
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,")"
      + std::to_string(v) + R"("]}]}})");
}

} // namespace

BOOST_FIXTURE_TEST_CASE(polls_until_fulfilled_then_passes_the_gate, fixture) {
  auto started = start("intent-a", {"edge1"});
  BOOST_TEST(started.id == "intent-a");
  BOOST_TEST(started.status == "started");
  BOOST_TEST(started.monitor == "http://monitor/api/v1/pipelines/intent-a");
  BOOST_TEST_REQUIRE(fetches->size() == 1u);
  BOOST_TEST(fetches->front().req.url.find("/provisioningRequests/")
             != std::string::npos);
  answer([](const std::string&) { return phase("PROGRESSING"); });
  BOOST_TEST(fetches->empty()); // the next round waits for the timer
  advance(std::chrono::seconds(1));
  answer([](const std::string&) { return phase("FULFILLED"); });
  // SLO: three queries for the one site.
  BOOST_TEST_REQUIRE(fetches->size() == 3u);
  answer([](const std::string& url) {
    if (url.find("latency") != std::string::npos)
      return prom(5);
    if (url.find("success") != std::string::npos)
      return prom(0.9999);
    return prom(150);
  });
  auto p = pipeline_json("intent-a");
  BOOST_TEST(json_at(p, {"status"}) == "completed", p);
}

BOOST_FIXTURE_TEST_CASE(an_unreachable_prometheus_is_a_failure_not_a_pass, fixture) {
  start("intent-b", {"edge1"});
  answer([](const std::string&) { return phase("fulfilled"); });
  answer([](const std::string&) {
    fetch_result r;
    r.error = "connection refused";
    return r;
  });
  auto p = pipeline_json("intent-b");
  BOOST_TEST(json_at(p, {"status"}) == "failed", p);
  BOOST_TEST(json_at(p, {"rolled_back"}) == "true");
  BOOST_TEST(p.find("unreachable") != std::string::npos, p);
}

BOOST_FIXTURE_TEST_CASE(a_deployment_that_never_finishes_times_out, fixture) {
  start("intent-c", {"edge1", "edge2"});
  for (int i = 0; i < 11; ++i) {
    answer([](const std::string& url) {
      return url.find(":30201/") != std::string::npos ? phase("FULFILLED")
                                                      : phase("PENDING");
    });
    advance(std::chrono::seconds(1));
  }
  answer([](const std::string&) { return phase("PENDING"); });
  auto p = pipeline_json("intent-c");
  BOOST_TEST(json_at(p, {"status"}) == "failed", p);
  BOOST_TEST(p.find("deployment timed out after 10 s; not fulfilled: edge2 (pending)")
                 != std::string::npos,
             p);
}
