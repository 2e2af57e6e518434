// Issue 13: the intent as a resource. With the real binary, the simulated
// edges and the local git remote: a deployed intent is listed `active`;
// DELETE /api/v1/intents/{id} removes it (one commit, then until no site's
// O2 IMS reports its provisioning request) and it is listed `removed`.
#define BOOST_TEST_MODULE lifecycle
#include "protocol/krm.hpp"
#include "support/pipeline_world.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub::test;
using namespace std::chrono_literals;

namespace {

/// The intent's item of GET /api/v1/intents, or "" when it is not listed.
std::string listed(uint16_t intent_port, const std::string& id) {
  auto body = http_get(intent_port, "/api/v1/intents").body;
  for (size_t i = 0;; ++i) {
    auto item = json_at(body, {"intents", i});
    if (item == "<missing>")
      return {};
    if (json_at(item, {"intentId"}) == id)
      return item;
  }
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(lifecycle, hub_and_edges)

BOOST_AUTO_TEST_CASE(a_deployed_intent_is_removed_from_git_and_from_the_sites) {
  auto id = post_intent(hub.intent, "Deploy eMBB service on edge01 and edge03");
  wait_status(hub.monitor, id, "completed");
  auto item = listed(hub.intent, id);
  BOOST_TEST(json_at(item, {"lifecycleStatus"}) == "active", item);
  BOOST_TEST(json_at(item, {"targetSites"}) == R"(["edge1","edge3"])");
  BOOST_TEST(json_at(item, {"lastRun", "kind"}) == "deploy");
  auto pr = o2hub::provisioning_request_id(id, "edge1");
  auto o2ims = "/o2ims-infrastructureProvisioning/v1/provisioningRequests/" + pr;
  BOOST_TEST_REQUIRE(http_get(ports[0], o2ims).status == 200u);

  auto res = http_request(hub.intent, "DELETE", "/api/v1/intents/" + id, "");
  BOOST_TEST_REQUIRE(res.status == 202u, res.body);
  BOOST_TEST(json_at(res.body, {"pipeline", "id"}) == id + "-remove");
  BOOST_TEST(json_at(res.body, {"lifecycleStatus"}) == "removing");
  // A second removal while the first runs is a conflict.
  auto again = http_request(hub.intent, "DELETE", "/api/v1/intents/" + id, "");
  BOOST_TEST(again.status == 409u, again.body);

  auto done = wait_status(hub.monitor, id + "-remove", "completed");
  std::vector<std::string> expected{"input_received", "intent_parsed",  "gitops_pushing",
                                    "gitops_pushed",  "edge_deploying", "edge_deployed",
                                    "completed"};
  BOOST_TEST(stages_of(done) == expected, boost::test_tools::per_element());
  BOOST_TEST(json_at(done, {"stages", size_t{1}, "metadata", "kind"}) == "remove", done);
  // Gone from git (one commit) and from every site's O2 IMS.
  for (auto& [path, content] : tree())
    BOOST_TEST(path.find(id) == std::string::npos, path);
  BOOST_TEST(count_starting(log(), "remove intent " + id + " from edge1, edge3") == 1u);
  BOOST_TEST(http_get(ports[0], o2ims).status == 404u);
  BOOST_TEST(
      http_get(ports[6], "/o2ims-infrastructureProvisioning/v1/provisioningRequests/"
                             + o2hub::provisioning_request_id(id, "edge3"))
          .status
      == 404u);
  // The original deploy pipeline keeps its history; the intent is removed.
  BOOST_TEST(json_at(http_get(hub.monitor, "/api/v1/pipelines/" + id).body, {"status"})
             == "completed");
  item = listed(hub.intent, id);
  BOOST_TEST(json_at(item, {"lifecycleStatus"}) == "removed", item);
  BOOST_TEST(json_at(item, {"runs"}) == "[\"" + id + "\",\"" + id + "-remove\"]");
  // Nothing left to remove; unknown intents are unknown.
  res = http_request(hub.intent, "DELETE", "/api/v1/intents/" + id, "");
  BOOST_TEST(res.status == 409u, res.body);
  BOOST_TEST(json_at(res.body, {"detail"}).find("is removed") != std::string::npos);
  res = http_request(hub.intent, "DELETE", "/api/v1/intents/intent-0-nothing", "");
  BOOST_TEST(res.status == 404u, res.body);
}

BOOST_AUTO_TEST_CASE(a_failed_deployment_has_nothing_to_remove) {
  fault(R"({"site":"edge2","degrade_slo":true})");
  auto id = post_intent(hub.intent, "Deploy eMBB service on edge02");
  wait_status(hub.monitor, id, "failed");
  fault(R"({"site":"edge2","degrade_slo":false})");
  auto item = listed(hub.intent, id);
  BOOST_TEST(json_at(item, {"lifecycleStatus"}) == "failed", item);
  BOOST_TEST(json_at(item, {"lastRun", "reason"}).find("SLO not met")
             != std::string::npos);
  auto res = http_request(hub.intent, "DELETE", "/api/v1/intents/" + id, "");
  BOOST_TEST(res.status == 409u, res.body);
}

BOOST_AUTO_TEST_CASE(a_remove_sentence_removes_the_newest_matching_active_intent) {
  auto older = post_intent(hub.intent, "Deploy URLLC with 2ms latency on edge02");
  wait_status(hub.monitor, older, "completed");
  auto newer = post_intent(hub.intent, "Deploy URLLC with 3ms latency on edge02");
  wait_status(hub.monitor, newer, "completed");
  auto post = [&](const std::string& text) { return post_text(hub.intent, text); };
  // Nothing of that type there: refused, with the active intents listed.
  auto res = post("remove the mMTC service from edge2");
  BOOST_TEST(res.status == 404u, res.body);
  BOOST_TEST(json_at(res.body, {"code"}) == "no_matching_intent");
  BOOST_TEST(json_at(res.body, {"detail"}).find(newer) != std::string::npos, res.body);
  // The newest URLLC intent on edge2 goes.
  res = post("remove the URLLC service from edge2");
  BOOST_TEST_REQUIRE(res.status == 200u, res.body);
  BOOST_TEST(json_at(res.body, {"intent", "action"}) == "remove");
  BOOST_TEST(json_at(res.body, {"metadata", "affects"}) == "[\"" + newer + "\"]",
             res.body);
  BOOST_TEST(json_at(res.body, {"metadata", "pipeline", "id"}) == newer + "-remove");
  wait_status(hub.monitor, newer + "-remove", "completed");
  BOOST_TEST(json_at(listed(hub.intent, newer), {"lifecycleStatus"}) == "removed");
  BOOST_TEST(json_at(listed(hub.intent, older), {"lifecycleStatus"}) == "active");
  // Removing it from a site it is not on matches nothing.
  res = post("remove the URLLC service from edge3");
  BOOST_TEST(res.status == 404u, res.body);
}

BOOST_AUTO_TEST_CASE(removing_an_intent_from_some_of_its_sites_changes_its_sites) {
  auto id = post_intent(hub.intent, "Deploy mMTC for 5000 sensors on edge01 and edge03");
  wait_status(hub.monitor, id, "completed");
  auto res = post_text(hub.intent, "remove the mMTC service from edge3");
  BOOST_TEST_REQUIRE(res.status == 200u, res.body);
  BOOST_TEST(json_at(res.body, {"metadata", "affects"}) == "[\"" + id + "\"]", res.body);
  BOOST_TEST_REQUIRE(json_at(res.body, {"metadata", "pipeline", "id"}) == id + "-m1");
  wait_status(hub.monitor, id + "-m1", "completed");
  BOOST_TEST(
      count_starting(log(), "modify intent " + id + ": sites edge1, edge3 -> edge1")
      == 1u);
  auto files = tree();
  BOOST_TEST(files.count("edge1/" + id + "/Kptfile") == 1u);
  for (auto& [path, content] : files)
    BOOST_TEST(path.find("edge3/" + id) == std::string::npos, path);
  auto item = listed(hub.intent, id);
  BOOST_TEST(json_at(item, {"lifecycleStatus"}) == "active", item);
  BOOST_TEST(json_at(item, {"targetSites"}) == R"(["edge1"])");
  // The site it left no longer reports it.
  auto pr = "/o2ims-infrastructureProvisioning/v1/provisioningRequests/"
            + o2hub::provisioning_request_id(id, "edge3");
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline
         && http_get(ports[6], pr).status != 404u)
    std::this_thread::sleep_for(100ms);
  BOOST_TEST(http_get(ports[6], pr).status == 404u);
}

BOOST_AUTO_TEST_CASE(a_modify_redeploys_and_a_failed_one_restores_the_previous_version) {
  auto id = post_intent(hub.intent, "Deploy eMBB service on edge03");
  wait_status(hub.monitor, id, "completed");
  auto post = [&](const std::string& text) { return post_text(hub.intent, text); };
  auto pr = "/o2ims-infrastructureProvisioning/v1/provisioningRequests/"
            + o2hub::provisioning_request_id(id, "edge3");
  // 1. More bandwidth: one modify commit, the site runs the new revision.
  auto res = post("increase the eMBB bandwidth to 500 Mbps on edge3");
  BOOST_TEST_REQUIRE(res.status == 200u, res.body);
  BOOST_TEST(json_at(res.body, {"intent", "action"}) == "modify");
  BOOST_TEST(json_at(res.body, {"metadata", "affects"}) == "[\"" + id + "\"]", res.body);
  BOOST_TEST_REQUIRE(json_at(res.body, {"metadata", "pipeline", "id"}) == id + "-m1");
  auto done = wait_status(hub.monitor, id + "-m1", "completed");
  auto stages = stages_of(done);
  BOOST_TEST(std::count(stages.begin(), stages.end(), "slo_validating") == 1);
  BOOST_TEST(json_at(done, {"stages", size_t{1}, "metadata", "kind"}) == "modify");
  BOOST_TEST(
      count_starting(log(), "modify intent " + id + ": bandwidth 200 Mbps -> 500 Mbps")
      == 1u);
  auto at_site = http_get(ports[6], pr).body;
  BOOST_TEST(
      json_at(at_site, {"provisioningRequestData", "templateParameters", "bandwidthMbps"})
          == "500",
      at_site);
  BOOST_TEST(
      json_at(at_site, {"provisioningRequestData", "templateParameters", "revision"})
      == id + "-m1");
  auto item = listed(hub.intent, id);
  BOOST_TEST(json_at(item, {"lifecycleStatus"}) == "active");
  BOOST_TEST(json_at(item, {"intent", "serviceProfile", "bandwidth"}) == "500Mbps", item);
  // 2. A change whose SLO gate fails: restored by a revert, still active on
  //    the previous requirements, the reason said.
  fault(R"({"site":"edge3","degrade_slo":true})");
  res = post("change the eMBB latency to 20 ms on edge3");
  BOOST_TEST_REQUIRE(json_at(res.body, {"metadata", "pipeline", "id"}) == id + "-m2",
                     res.body);
  auto failed = wait_status(hub.monitor, id + "-m2", "failed");
  fault(R"({"site":"edge3","degrade_slo":false})");
  stages = stages_of(failed);
  BOOST_TEST(stages[stages.size() - 2] == "rollback");
  auto messages = log();
  BOOST_TEST_REQUIRE(!messages.empty());
  BOOST_TEST(messages.front().rfind(
                 "Revert \"modify intent " + id + ": latency 30 ms -> 20 ms", 0)
                 == 0u,
             messages.front());
  item = listed(hub.intent, id);
  BOOST_TEST(json_at(item, {"lifecycleStatus"}) == "active", item);
  BOOST_TEST(json_at(item, {"intent", "serviceProfile", "latency"}) == "30ms", item);
  BOOST_TEST(json_at(item, {"intent", "serviceProfile", "bandwidth"}) == "500Mbps");
  BOOST_TEST(json_at(item, {"lastRun", "result"}) == "failed");
  BOOST_TEST(json_at(item, {"lastRun", "reason"}).find("SLO not met")
             != std::string::npos);
  // The site runs the restored packages: the first modify's revision again.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  std::string revision;
  while (std::chrono::steady_clock::now() < deadline) {
    revision = json_at(http_get(ports[6], pr).body,
                       {"provisioningRequestData", "templateParameters", "revision"});
    if (revision == id + "-m1")
      break;
    std::this_thread::sleep_for(100ms);
  }
  BOOST_TEST(revision == id + "-m1");
  // 3. A sentence that changes nothing starts nothing.
  res = post("change the eMBB bandwidth to 500 Mbps on edge3");
  BOOST_TEST(json_at(res.body, {"metadata", "pipeline", "status"}) == "not_started",
             res.body);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_CASE(kill_9_during_a_modify_resumes_it_after_restart, edges) {
  std::string id;
  {
    serve_fixture hub{{}, {"-c", cfg}, data};
    id = post_intent(hub.intent, "Deploy eMBB service on edge01");
    wait_status(hub.monitor, id, "completed");
    fault(R"({"site":"edge1","refuse":true})");
    auto res = post_text(hub.intent, "increase the eMBB bandwidth to 400 Mbps on edge1");
    BOOST_TEST_REQUIRE(json_at(res.body, {"metadata", "pipeline", "id"}) == id + "-m1",
                       res.body);
    wait_stage(hub.monitor, id + "-m1", "edge_deploying");
    std::this_thread::sleep_for(300ms);
    hub.proc.signal(SIGKILL);
    hub.proc.wait(5s);
  } // the fixture keeps the data dir (it was given one)
  fault(R"({"site":"edge1","refuse":false})");
  serve_fixture again{{}, {"-c", cfg}, data};
  auto body = wait_status(again.monitor, id + "-m1", "completed");
  auto stages = stages_of(body);
  // Resumed from the deployment step: the commit was not made twice.
  BOOST_TEST(std::count(stages.begin(), stages.end(), "gitops_pushed") == 1);
  BOOST_TEST(count_starting(log(), "modify intent " + id) == 1u);
  auto item = listed(again.intent, id);
  BOOST_TEST(json_at(item, {"lifecycleStatus"}) == "active", item);
  BOOST_TEST(json_at(item, {"intent", "serviceProfile", "bandwidth"}) == "400Mbps");
  BOOST_TEST(json_at(item, {"runs"}) == "[\"" + id + "\",\"" + id + "-m1\"]");
}
