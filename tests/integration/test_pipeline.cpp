// The whole pipeline with the real binary: `o2hub serve` and `o2hub
// edge-sim` (simulated O2 IMS / Prometheus / Kubernetes on loopback) sharing
// a data dir with a real local bare git remote.
#define BOOST_TEST_MODULE pipeline
#include "support/pipeline_world.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace o2hub::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

BOOST_FIXTURE_TEST_SUITE(shared_hub, hub_and_edges)

BOOST_AUTO_TEST_CASE(an_intent_goes_through_every_stage_and_lands_in_git) {
  ws_client ws{hub.monitor};
  BOOST_TEST(json_at(ws.read(), {"type"}) == "initial_state");
  auto id = post_intent(hub.intent, "Deploy URLLC with 1ms latency on edge01 and edge02");
  std::vector<std::string> seen;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto msg = ws.read(10s);
    if (json_at(msg, {"type"}) != "stage_update"
        || json_at(msg, {"data", "pipeline", "intent_id"}) != id)
      continue;
    seen.push_back(json_at(msg, {"data", "stage", "stage"}));
    if (seen.back() == "completed" || seen.back() == "failed")
      break;
  }
  std::vector<std::string> expected{"intent_parsed",  "krm_generating", "krm_generated",
                                    "gitops_pushing", "gitops_pushed",  "edge_deploying",
                                    "edge_deployed",  "slo_validating", "completed"};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
  auto done = wait_status(hub.monitor, id, "completed");
  auto last = stages_of(done).size() - 1;
  BOOST_TEST(json_at(done, {"stages", last, "metadata", "results", "edge1",
                            "latency_p95_ms", "pass"})
                 == "true",
             done);
  // The remote holds both sites' packages, as one commit.
  auto files = tree();
  for (auto site : {"edge1", "edge2"})
    for (auto f : {"provisioning-request.yaml", "intent-configmap.yaml",
                   "kustomization.yaml", "Kptfile"})
      BOOST_TEST(files.count(std::string{site} + "/" + id + "/" + f) == 1u, site << f);
  auto pr = files[std::string{"edge1/"} + id + "/provisioning-request.yaml"];
  BOOST_TEST(pr.find("kind: ProvisioningRequest") != std::string::npos);
  BOOST_TEST(pr.find("apiVersion: o2ims.provisioning.oran.org/v1alpha1")
             != std::string::npos);
  BOOST_TEST(pr.find("latencyMs: 1") != std::string::npos, pr);
  auto messages = log();
  BOOST_TEST(count_starting(messages, "deploy intent " + id + " to edge1, edge2") == 1u);
  // The edge cards: the intent is deployed there, its gate passed.
  auto edge = wait_edge(hub.monitor, "edge01", [&](const std::string& e) {
    return json_at(e, {"slo", "pipeline"}) == id;
  });
  BOOST_TEST(json_at(edge, {"intents"}).find('"' + id + '"') != std::string::npos, edge);
  BOOST_TEST(json_at(edge, {"slo", "passed"}) == "true", edge);
  BOOST_TEST(json_at(edge, {"slo", "results", "latency_p95_ms", "pass"}) == "true", edge);
  BOOST_TEST(std::stoi(json_at(edge, {"deployments"})) >= 1, edge);
}

BOOST_AUTO_TEST_CASE(an_slo_breach_rolls_back_with_a_revert_commit) {
  fault(R"({"site":"edge2","degrade_slo":true})");
  auto id = post_intent(hub.intent, "Deploy eMBB service on edge02");
  auto body = wait_status(hub.monitor, id, "failed");
  fault(R"({"site":"edge2","degrade_slo":false})");
  auto stages = stages_of(body);
  BOOST_TEST_REQUIRE(stages.size() >= 3u);
  BOOST_TEST(stages[stages.size() - 3] == "slo_validating");
  BOOST_TEST(stages[stages.size() - 2] == "rollback");
  BOOST_TEST(stages.back() == "failed");
  BOOST_TEST(json_at(body, {"rolled_back"}) == "true");
  auto reason = json_at(body, {"stages", stages.size() - 1, "metadata", "reason"});
  BOOST_TEST(reason.find("SLO not met: edge2 latency_p95_ms") != std::string::npos,
             reason);
  auto messages = log();
  BOOST_TEST_REQUIRE(!messages.empty());
  BOOST_TEST(messages.front().rfind("Revert \"deploy intent " + id, 0) == 0u,
             messages.front());
  BOOST_TEST(messages.front().find("This reverts commit ") != std::string::npos);
  for (auto& [path, content] : tree())
    BOOST_TEST(path.find(id) == std::string::npos, path);
  // edge02's card: not deployed there, its last gate failed, so the site is
  // not shown healthy although its probes are.
  auto edge = wait_edge(hub.monitor, "edge02", [&](const std::string& e) {
    return json_at(e, {"slo", "pipeline"}) == id;
  });
  BOOST_TEST(json_at(edge, {"slo", "passed"}) == "false", edge);
  BOOST_TEST(json_at(edge, {"slo", "results", "latency_p95_ms", "pass"}) == "false",
             edge);
  BOOST_TEST(json_at(edge, {"intents"}).find(id) == std::string::npos, edge);
  BOOST_TEST(json_at(edge, {"checks", "o2ims", "state"}) == "ok", edge);
  BOOST_TEST(json_at(edge, {"status"}) == "degraded", edge);
}

BOOST_AUTO_TEST_CASE(a_provisioning_failure_on_one_site_fails_the_pipeline) {
  fault(R"({"site":"edge3","fail_provisioning":true})");
  auto id =
      post_intent(hub.intent, "Deploy mMTC for 10000 IoT devices on edge01 and edge03");
  auto body = wait_status(hub.monitor, id, "failed");
  fault(R"({"site":"edge3","fail_provisioning":false})");
  auto stages = stages_of(body);
  BOOST_TEST(std::count(stages.begin(), stages.end(), "edge_deployed") == 0);
  BOOST_TEST(std::count(stages.begin(), stages.end(), "slo_validating") == 0);
  auto reason = json_at(body, {"stages", stages.size() - 1, "metadata", "reason"});
  BOOST_TEST(reason.find("provisioning failed on edge3") != std::string::npos, reason);
  BOOST_TEST(reason.find("edge1") == std::string::npos, reason);
}

// Issue 14: the original clients' pipeline/update without intent_id moves
// only a pipeline they started through pipeline/start, never a deployment
// o2hub's own pipeline actors drive.
BOOST_AUTO_TEST_CASE(an_update_without_an_id_never_moves_a_real_deployment) {
  fault(R"({"site":"edge2","refuse":true})"); // keeps the deployment running
  auto id = post_intent(hub.intent, "Deploy eMBB service on edge02");
  wait_stage(hub.monitor, id, "edge_deploying");
  auto blind =
      http_request(hub.monitor, "POST", "/api/v1/pipeline/update?stage=completed", "");
  BOOST_TEST(blind.status == 404u, blind.body);
  auto now = http_get(hub.monitor, "/api/v1/pipelines/" + id).body;
  BOOST_TEST(json_at(now, {"status"}) == "running", now);
  // A pipeline an outside client started is still the implicit target.
  auto ext = http_request(hub.monitor, "POST",
                          "/api/v1/pipeline/start?intent_id=ext-1&intent_text=x", "");
  BOOST_TEST_REQUIRE(ext.status == 200u, ext.body);
  auto moved =
      http_request(hub.monitor, "POST", "/api/v1/pipeline/update?stage=completed", "");
  BOOST_TEST(moved.status == 200u, moved.body);
  BOOST_TEST(json_at(moved.body, {"pipeline", "intent_id"}) == "ext-1");
  BOOST_TEST(json_at(http_get(hub.monitor, "/api/v1/pipelines/" + id).body, {"status"})
             == "running");
  fault(R"({"site":"edge2","refuse":false})");
  wait_status(hub.monitor, id, "completed");
}

BOOST_AUTO_TEST_CASE(an_alertmanager_webhook_rolls_back_a_deployed_intent) {
  auto id = post_intent(hub.intent, "Deploy eMBB service on edge01");
  wait_status(hub.monitor, id, "completed");
  // A warning on /webhook/alert is only noted...
  auto warn = http_request(
      hub.intent, "POST", "/webhook/alert",
      R"({"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"SliceLatency","severity":"warning","intent_id":")"
          + id + R"("}}]})",
      {{"Content-Type", "application/json"}});
  BOOST_TEST_REQUIRE(warn.status == 200u, warn.body);
  BOOST_TEST(json_at(warn.body, {"ignored"}) == "1");
  BOOST_TEST(json_at(warn.body, {"rolled_back"}) == "[]");
  // ... a critical one rolls back.
  auto crit = http_request(
      hub.intent, "POST", "/webhook/alert",
      R"({"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"SliceDown","severity":"critical","intent_id":")"
          + id + R"("},"annotations":{"summary":"slice down"}}]})",
      {{"Content-Type", "application/json"}});
  BOOST_TEST_REQUIRE(crit.status == 200u, crit.body);
  BOOST_TEST(json_at(crit.body, {"rolled_back", size_t{0}}) == id, crit.body);
  // The completed pipeline ends with its rollback, after the revert.
  std::string body;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    body = http_get(hub.monitor, "/api/v1/pipelines/" + id).body;
    if (json_at(body, {"current_stage"}) == "rollback")
      break;
    std::this_thread::sleep_for(50ms);
  }
  auto stages = stages_of(body);
  BOOST_TEST(count_starting(stages, "rollback") == 1u, body);
  BOOST_TEST(json_at(body, {"rolled_back"}) == "true");
  BOOST_TEST(json_at(body, {"stages", stages.size() - 1, "metadata", "trigger"})
             == "alert");
  BOOST_TEST(
      json_at(body, {"stages", stages.size() - 1, "metadata", "reverts", "o2hub-gitops"})
              .size()
          == 40u,
      body);
  auto messages = log();
  BOOST_TEST(messages.front().find("Reason: alert SliceDown: slice down")
                 != std::string::npos,
             messages.front());
  // Bad payloads are refused with a reason.
  auto bad = http_request(hub.intent, "POST", "/webhook/rollback", R"({"nope":1})",
                          {{"Content-Type", "application/json"}});
  BOOST_TEST(bad.status == 422u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_CASE(a_push_while_the_remote_is_down_lands_once_when_it_is_back,
                        edges) {
  serve_fixture hub{{}, {"-c", cfg}, data};
  auto away = remote() + ".away";
  fs::rename(remote(), away);
  auto id = post_intent(hub.intent, "Deploy eMBB service on edge01");
  std::this_thread::sleep_for(1500ms); // a few failed attempts
  auto during = http_get(hub.monitor, "/api/v1/pipelines/" + id).body;
  BOOST_TEST(json_at(during, {"current_stage"}) == "gitops_pushing", during);
  fs::rename(away, remote());
  wait_status(hub.monitor, id, "completed");
  auto messages = log();
  BOOST_TEST(count_starting(messages, "deploy intent " + id) == 1u);
}

BOOST_FIXTURE_TEST_CASE(kill_9_mid_pipeline_resumes_after_restart, edges) {
  std::string id;
  {
    serve_fixture hub{{}, {"-c", cfg}, data};
    fault(R"({"site":"edge1","refuse":true})");
    id = post_intent(hub.intent, "Deploy eMBB service on edge01");
    wait_stage(hub.monitor, id, "edge_deploying");
    std::this_thread::sleep_for(300ms);
    hub.proc.signal(SIGKILL);
    hub.proc.wait(5s);
  } // the fixture keeps the data dir (it was given one)
  fault(R"({"site":"edge1","refuse":false})");
  serve_fixture again{{}, {"-c", cfg}, data};
  auto body = wait_status(again.monitor, id, "completed");
  auto stages = stages_of(body);
  // Resumed from the deployment: nothing before it ran twice.
  BOOST_TEST(std::count(stages.begin(), stages.end(), "gitops_pushed") == 1);
  BOOST_TEST(std::count(stages.begin(), stages.end(), "edge_deploying") >= 1);
  BOOST_TEST(count_starting(log(), "deploy intent " + id) == 1u);
  BOOST_TEST(again.proc.output().find("resuming pipeline") != std::string::npos);
}

struct per_site_edges : edges {
  per_site_edges() : edges("gitops:\n  layout: per-site\n") {}
};

BOOST_FIXTURE_TEST_CASE(the_per_site_layout_uses_one_repository_per_site,
                        per_site_edges) {
  serve_fixture hub{{}, {"-c", cfg}, data};
  auto id = post_intent(hub.intent, "Deploy eMBB service on edge01 and edge03");
  wait_status(hub.monitor, id, "completed");
  for (auto repo : {"edge1-config", "edge3-config"}) {
    auto files = tree(repo);
    BOOST_TEST(files.count(id + "/provisioning-request.yaml") == 1u, repo);
    BOOST_TEST(count_starting(log(repo), "deploy intent " + id) == 1u, repo);
  }
  BOOST_TEST(tree("edge2-config").empty());
}
