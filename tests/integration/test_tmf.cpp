// Issue 13: TMF921 v5 Intent Management with the real binary, the simulated
// edges and the local git remote. An intent created through TMF921 becomes
// active with a report; a PATCH of its bandwidth is one modify commit the
// site sees, report 2; a PATCH whose SLO gate fails is restored and stays
// active with the reason in report 3; a DELETE removes it from git and the
// sites' O2 IMS. A hub subscriber receives each event once, in order; one
// that hangs neither delays it nor stays subscribed.
#define BOOST_TEST_MODULE tmf921
#include "io/record_store.hpp"
#include "protocol/krm.hpp"
#include "support/event_receiver.hpp"
#include "support/pipeline_world.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

using namespace o2hub::test;
using namespace std::chrono_literals;

namespace {

const std::string api = "/tmf-api/intentManagement/v5";

struct tmf_world : edges {
  tmf_world()
      : edges("tmf: {poll_ms: 100, max_failures: 2, delivery_timeout_ms: 3000}\n") {}
  serve_fixture hub{{}, {"-c", cfg}, data};

  http_result send(const std::string& method, const std::string& path,
                   const std::string& body = {},
                   const std::string& type = "application/json") {
    std::map<std::string, std::string> headers;
    if (!body.empty())
      headers["Content-Type"] = type;
    return http_request(hub.intent, method, api + path, body, headers);
  }

  /// Polls GET /intent/{id} until its lifecycleStatus is `status`.
  std::string wait_lifecycle(const std::string& id, const std::string& status,
                             std::chrono::seconds timeout = 60s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string body;
    while (std::chrono::steady_clock::now() < deadline) {
      body = send("GET", "/intent/" + id).body;
      if (json_at(body, {"lifecycleStatus"}) == status)
        return body;
      std::this_thread::sleep_for(100ms);
    }
    BOOST_FAIL("intent " << id << " not " << status << ": " << body);
    return body;
  }

  /// Polls the reports until there are `n`; returns the list.
  std::string wait_reports(const std::string& id, size_t n) {
    auto deadline = std::chrono::steady_clock::now() + 30s;
    std::string body;
    while (std::chrono::steady_clock::now() < deadline) {
      body = send("GET", "/intent/" + id + "/intentReport").body;
      if (json_at(body, {n - 1, "id"}) != "<missing>")
        return body;
      std::this_thread::sleep_for(100ms);
    }
    BOOST_FAIL("intent " << id << " has no " << n << " reports: " << body);
    return body;
  }
};

std::string fixture(const std::string& name) {
  std::ifstream in{source_dir() + "/tests/fixtures/" + name};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The characteristic `name`'s value in an Intent.
std::string characteristic(const std::string& intent, const std::string& name) {
  for (size_t i = 0;; ++i) {
    auto n = json_at(intent, {"characteristic", i, "name"});
    if (n == "<missing>")
      return n;
    if (n == name)
      return json_at(intent, {"characteristic", i, "value"});
  }
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(tmf921, tmf_world)

BOOST_AUTO_TEST_CASE(create_modify_restore_delete_with_reports_and_events) {
  event_receiver listener;
  event_receiver hanging{true};
  auto sub = send("POST", "/hub", R"({"callback":")" + listener.url() + "\"}");
  BOOST_TEST_REQUIRE(sub.status == 201u, sub.body);
  BOOST_TEST(json_at(sub.body, {"@type"}) == "Hub");
  auto stuck =
      send("POST", "/hub",
           R"({"callback":")" + hanging.url()
               + R"(","query":"eventType=IntentCreateEvent,IntentStatusChangeEvent"})");
  BOOST_TEST_REQUIRE(stuck.status == 201u, stuck.body);

  // Create: the fixture's structured intent, taken without NLU.
  auto created = send("POST", "/intent", fixture("tmf921-v5-intent-example.json"));
  BOOST_TEST_REQUIRE(created.status == 201u, created.body);
  auto id = json_at(created.body, {"id"});
  BOOST_TEST(json_at(created.body, {"href"}) == api + "/intent/" + id);
  BOOST_TEST(json_at(created.body, {"version"}) == "1");
  BOOST_TEST(json_at(created.body, {"name"}) == "embb-edge01");
  BOOST_TEST(json_at(created.body, {"lifecycleStatus"}) == "acknowledged");
  BOOST_TEST(json_at(created.body, {"creationDate"}) != "<missing>");
  // The hanging subscriber does not hold up the other one.
  auto first = listener.wait_for(1, 2s);
  BOOST_TEST_REQUIRE(!first.empty());
  BOOST_TEST(json_at(first[0], {"@type"}) == "IntentCreateEvent", first[0]);
  BOOST_TEST(json_at(first[0], {"event", "intent", "id"}) == id);

  auto active = wait_lifecycle(id, "active");
  auto reports = wait_reports(id, 1);
  BOOST_TEST(json_at(reports, {size_t{0}, "id"}) == id);
  auto expr = json_at(reports, {size_t{0}, "expression", "expressionValue"});
  BOOST_TEST(json_at(expr, {"o2hub:kind"}) == "deploy");
  BOOST_TEST(json_at(expr, {"o2hub:result"}) == "completed");
  BOOST_TEST(json_at(expr, {"o2hub:sites"}) == R"(["edge1"])");
  BOOST_TEST(json_at(expr, {"o2hub:slo", "edge1", "latency_p95_ms", "target"}) == "10",
             expr);
  BOOST_TEST(json_at(expr, {"o2hub:slo", "edge1", "latency_p95_ms", "pass"}) == "true");
  BOOST_TEST(json_at(expr, {"o2hub:commits", "o2hub-gitops"}).size() == 40u, expr);
  auto one = send("GET", "/intent/" + id + "/intentReport/" + id);
  BOOST_TEST(one.status == 200u);
  BOOST_TEST(json_at(one.body, {"intent", "id"}) == id);

  // PATCH a new bandwidth: one modify commit, the site's new parameters.
  auto patched = send("PATCH", "/intent/" + id,
                      R"({"characteristic":[
        {"@type":"StringCharacteristic","name":"sliceType","value":"eMBB"},
        {"@type":"StringCharacteristic","name":"targetSite","value":"edge01"},
        {"@type":"NumberCharacteristic","name":"minDownlinkThroughputMbps","value":300},
        {"@type":"NumberCharacteristic","name":"maxLatencyMs","value":10}]})",
                      "application/merge-patch+json");
  BOOST_TEST_REQUIRE(patched.status == 200u, patched.body);
  BOOST_TEST(json_at(patched.body, {"version"}) == "2");
  BOOST_TEST(json_at(patched.body, {"lifecycleStatus"}) == "inProgress");
  wait_status(hub.monitor, id + "-m1", "completed");
  active = wait_lifecycle(id, "active");
  BOOST_TEST(characteristic(active, "minDownlinkThroughputMbps") == "300");
  BOOST_TEST(
      count_starting(log(), "modify intent " + id + ": bandwidth 200 Mbps -> 300 Mbps")
      == 1u);
  auto pr = "/o2ims-infrastructureProvisioning/v1/provisioningRequests/"
            + o2hub::provisioning_request_id(id, "edge1");
  auto at_site = http_get(ports[0], pr).body;
  BOOST_TEST(
      json_at(at_site, {"provisioningRequestData", "templateParameters", "bandwidthMbps"})
          == "300",
      at_site);
  reports = wait_reports(id, 2);
  BOOST_TEST(json_at(reports, {size_t{1}, "id"}) == id + "-m1");

  // A PATCH whose SLO gate fails: restored, still active, the report says why.
  fault(R"({"site":"edge1","degrade_slo":true})");
  patched = send("PATCH", "/intent/" + id,
                 R"({"characteristic":[
        {"@type":"StringCharacteristic","name":"sliceType","value":"eMBB"},
        {"@type":"StringCharacteristic","name":"targetSite","value":"edge01"},
        {"@type":"NumberCharacteristic","name":"minDownlinkThroughputMbps","value":300},
        {"@type":"NumberCharacteristic","name":"maxLatencyMs","value":20}]})",
                 "application/merge-patch+json");
  BOOST_TEST_REQUIRE(patched.status == 200u, patched.body);
  wait_status(hub.monitor, id + "-m2", "failed");
  fault(R"({"site":"edge1","degrade_slo":false})");
  reports = wait_reports(id, 3);
  expr = json_at(reports, {size_t{2}, "expression", "expressionValue"});
  BOOST_TEST(json_at(expr, {"o2hub:result"}) == "failed");
  BOOST_TEST(json_at(expr, {"o2hub:reason"}).find("SLO not met") != std::string::npos,
             expr);
  active = wait_lifecycle(id, "active");
  BOOST_TEST(characteristic(active, "maxLatencyMs") == "20"); // as the client sent it
  BOOST_TEST(count_starting(log(), "Revert \"modify intent " + id) == 1u);

  // List with filters, counts and fields.
  auto list = send("GET", "/intent?lifecycleStatus=active&fields=name,lifecycleStatus");
  BOOST_TEST(list.status == 200u);
  BOOST_TEST(list.headers["X-Total-Count"] == "1");
  BOOST_TEST(list.headers["X-Result-Count"] == "1");
  BOOST_TEST(json_at(list.body, {size_t{0}, "name"}) == "embb-edge01");
  BOOST_TEST(json_at(list.body, {size_t{0}, "characteristic"}) == "<missing>");
  list = send("GET", "/intent?name=nothing-like-it");
  BOOST_TEST(list.headers["X-Total-Count"] == "0");
  BOOST_TEST(list.body == "[]");

  // DELETE: removing, then removed and gone from git and the site.
  auto deleted = send("DELETE", "/intent/" + id);
  BOOST_TEST_REQUIRE(deleted.status == 202u, deleted.body);
  BOOST_TEST(json_at(deleted.body, {"lifecycleStatus"}) == "removing");
  wait_lifecycle(id, "removed");
  for (auto& [path, content] : tree())
    BOOST_TEST(path.find(id) == std::string::npos, path);
  BOOST_TEST(http_get(ports[0], pr).status == 404u);
  reports = wait_reports(id, 4);
  BOOST_TEST(json_at(reports, {size_t{3}, "id"}) == id + "-remove");

  // The listener got every event once, in order; the hanging one was dropped.
  auto events = listener.wait_for(1, 1s);
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline
         && json_at(events.back(), {"@type"}) != "IntentDeleteEvent") {
    std::this_thread::sleep_for(100ms);
    events = listener.bodies();
  }
  std::vector<std::string> types;
  std::vector<std::string> statuses;
  uint64_t last = 0;
  for (auto& e : events) {
    types.push_back(json_at(e, {"@type"}));
    auto number = std::stoull(json_at(e, {"eventId"}));
    BOOST_TEST(number > last, "event ids increase");
    last = number;
    if (types.back() == "IntentStatusChangeEvent")
      statuses.push_back(json_at(e, {"event", "intent", "lifecycleStatus"}));
  }
  BOOST_TEST(types.front() == "IntentCreateEvent");
  BOOST_TEST(types.back() == "IntentDeleteEvent");
  BOOST_TEST(count_starting(types, "IntentReportCreateEvent") == 4u);
  BOOST_TEST(count_starting(types, "IntentCreateEvent") == 1u);
  BOOST_TEST(count_starting(types, "IntentAttributeValueChangeEvent") >= 2u);
  // The deployment's inProgress may fall between two looks at the
  // pipelines; a PATCH or DELETE says its own at once.
  if (!statuses.empty() && statuses.front() == "inProgress")
    statuses.erase(statuses.begin());
  std::vector<std::string> expected{"active", "inProgress", "active", "inProgress",
                                    "active", "removing",   "removed"};
  std::string seen;
  for (auto& x : statuses)
    seen += x + " ";
  BOOST_TEST(statuses == expected, boost::test_tools::per_element());
  BOOST_TEST_MESSAGE("statuses: " << seen);
  // The hanging one failed twice (max_failures 2): dropped.
  BOOST_TEST(hanging.wait_for(2, 20s).size() >= 2u);
  std::this_thread::sleep_for(4s);
  auto gone = send("DELETE", "/hub/" + json_at(stuck.body, {"id"}));
  BOOST_TEST(gone.status == 404u, "status " << gone.status << "\n" << hub.proc.output());
  BOOST_TEST(send("DELETE", "/hub/" + json_at(sub.body, {"id"})).status == 204u);
}

BOOST_AUTO_TEST_CASE(a_sentence_is_understood_and_what_is_not_understood_is_refused) {
  auto created = send("POST", "/intent", R"({"@type":"Intent","name":"urllc-3",
      "description":"Deploy URLLC with 1ms latency on edge03",
      "expression":{"@type":"JsonLdExpression","iri":"urn:x:1","expressionValue":{}}})");
  BOOST_TEST_REQUIRE(created.status == 201u, created.body);
  // Without characteristics of its own, an intent shows what o2hub read.
  BOOST_TEST(characteristic(created.body, "sliceType") == "URLLC");
  BOOST_TEST(characteristic(created.body, "maxLatencyMs") == "1");
  auto id = json_at(created.body, {"id"});
  auto active = wait_lifecycle(id, "active");
  BOOST_TEST(json_at(active, {"description"})
             == "Deploy URLLC with 1ms latency on edge03");

  auto no = send("POST", "/intent", R"({"@type":"Intent","name":"x",
      "description":"what a lovely morning",
      "expression":{"@type":"JsonLdExpression","iri":"urn:x:2","expressionValue":{}}})");
  BOOST_TEST(no.status == 422u, no.body);
  BOOST_TEST(json_at(no.body, {"@type"}) == "Error");
  BOOST_TEST(json_at(no.body, {"code"}) == "not_an_intent");
  BOOST_TEST(json_at(no.body, {"status"}) == "422");
  BOOST_TEST(json_at(no.body, {"reason"}) != "<missing>");

  auto missing = send("POST", "/intent", R"({"name":"x","expression":{}})");
  BOOST_TEST(missing.status == 400u, missing.body);
  BOOST_TEST(json_at(missing.body, {"message"}).find("@type") != std::string::npos);
  auto plain =
      send("POST", "/intent", fixture("tmf921-v5-intent-example.json"), "text/plain");
  BOOST_TEST(plain.status == 415u, plain.body);
  auto unknown = send("GET", "/intent/intent-0-nothing");
  BOOST_TEST(unknown.status == 404u);
  BOOST_TEST(json_at(unknown.body, {"@type"}) == "Error");
  auto owned = send("PATCH", "/intent/" + id, R"({"lifecycleStatus":"active"})",
                    "application/merge-patch+json");
  BOOST_TEST(owned.status == 400u, owned.body);
  auto far = send("POST", "/intent", R"({"@type":"Intent","name":"x","expression":{},
      "characteristic":[{"name":"sliceType","value":"eMBB"},
                        {"name":"targetSite","value":"edge9"}]})");
  BOOST_TEST(far.status == 400u, far.body);
  BOOST_TEST(json_at(far.body, {"code"}) == "unknown_site");
  auto odd = send("POST", "/intent", R"({"@type":"Intent","name":"x","expression":{},
      "characteristic":[{"name":"colour","value":"blue"}]})");
  BOOST_TEST(odd.status == 400u, odd.body);
  auto badhub = send("POST", "/hub", R"({"callback":"file:///etc/passwd"})");
  BOOST_TEST(badhub.status == 400u, badhub.body);
  // An intent that came through the original API is a TMF921 resource too.
  auto other = post_intent(hub.intent, "Deploy mMTC for 5000 sensors on edge02");
  auto listed = wait_lifecycle(other, "active");
  BOOST_TEST(characteristic(listed, "deviceCount") == "5000", listed);
  BOOST_TEST(json_at(listed, {"name"}) == other);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_CASE(kill_9_during_a_tmf_modify_resumes_it_after_restart, edges) {
  std::string id;
  auto patch = R"({"characteristic":[
      {"@type":"StringCharacteristic","name":"sliceType","value":"eMBB"},
      {"@type":"StringCharacteristic","name":"targetSite","value":"edge01"},
      {"@type":"NumberCharacteristic","name":"minDownlinkThroughputMbps","value":400}]})";
  auto call = [](uint16_t port, const std::string& method, const std::string& path,
                 const std::string& body, const std::string& type) {
    return http_request(port, method, api + path, body, {{"Content-Type", type}});
  };
  {
    serve_fixture hub{{}, {"-c", cfg}, data};
    auto created = call(hub.intent, "POST", "/intent",
                        fixture("tmf921-v5-intent-example.json"), "application/json");
    BOOST_TEST_REQUIRE(created.status == 201u, created.body);
    id = json_at(created.body, {"id"});
    wait_status(hub.monitor, id, "completed");
    fault(R"({"site":"edge1","refuse":true})");
    auto patched =
        call(hub.intent, "PATCH", "/intent/" + id, patch, "application/merge-patch+json");
    BOOST_TEST_REQUIRE(patched.status == 200u, patched.body);
    BOOST_TEST(json_at(patched.body, {"version"}) == "2");
    wait_stage(hub.monitor, id + "-m1", "edge_deploying");
    std::this_thread::sleep_for(300ms);
    hub.proc.signal(SIGKILL);
    hub.proc.wait(5s);
  } // the fixture keeps the data dir (it was given one)
  fault(R"({"site":"edge1","refuse":false})");
  serve_fixture again{{}, {"-c", cfg}, data};
  wait_status(again.monitor, id + "-m1", "completed");
  BOOST_TEST(count_starting(log(), "modify intent " + id) == 1u);
  auto deadline = std::chrono::steady_clock::now() + 30s;
  std::string body;
  while (std::chrono::steady_clock::now() < deadline) {
    body = http_get(again.intent, api + "/intent/" + id + "/intentReport").body;
    if (json_at(body, {size_t{1}, "id"}) == id + "-m1")
      break;
    std::this_thread::sleep_for(100ms);
  }
  BOOST_TEST(json_at(body, {size_t{1}, "id"}) == id + "-m1", body);
  auto intent = http_get(again.intent, api + "/intent/" + id).body;
  BOOST_TEST(json_at(intent, {"lifecycleStatus"}) == "active", intent);
  BOOST_TEST(json_at(intent, {"version"}) == "2");
  BOOST_TEST(characteristic(intent, "minDownlinkThroughputMbps") == "400");
}

// A crash between saving a report and saving its intent's record (which
// lists the report as made): after the restart the finished run is reported
// again — and listed once (it was listed twice: CI, stop 28). The crash is
// re-created in the database itself, so the test does not depend on a kill's
// timing.
BOOST_FIXTURE_TEST_CASE(a_report_saved_just_before_a_crash_is_listed_once, edges) {
  std::string id;
  auto reports_of = [&](uint16_t port) {
    return http_request(port, "GET", api + "/intent/" + id + "/intentReport").body;
  };
  {
    serve_fixture hub{{}, {"-c", cfg}, data};
    auto created = http_request(hub.intent, "POST", api + "/intent",
                                fixture("tmf921-v5-intent-example.json"),
                                {{"Content-Type", "application/json"}});
    BOOST_TEST_REQUIRE(created.status == 201u, created.body);
    id = json_at(created.body, {"id"});
    wait_status(hub.monitor, id, "completed");
    BOOST_TEST_REQUIRE(
        eventually(30s,
                   [&] {
                     return json_at(reports_of(hub.intent), {size_t{0}, "id"}) == id;
                   }),
        reports_of(hub.intent));
  }
  auto reported = "\"reported\":[\"" + id + "\"]";
  {
    o2hub::record_store intents{data + "/o2hub.db", "tmf_intents"};
    std::string rec;
    BOOST_TEST_REQUIRE(intents.get(id, rec), intents.error());
    auto at = rec.find(reported);
    BOOST_TEST_REQUIRE(at != std::string::npos, rec);
    rec.replace(at, reported.size(), "\"reported\":[]");
    BOOST_TEST_REQUIRE(intents.put(id, rec));
  }
  serve_fixture again{{}, {"-c", cfg}, data};
  // Reported again: the record lists the report once more.
  BOOST_TEST(eventually(30s, [&] {
    o2hub::record_store intents{data + "/o2hub.db", "tmf_intents"};
    std::string rec;
    return intents.get(id, rec) && rec.find(reported) != std::string::npos;
  }));
  auto body = reports_of(again.intent);
  BOOST_TEST(json_at(body, {size_t{0}, "id"}) == id, body);
  BOOST_TEST(json_at(body, {size_t{1}, "id"}) == "<missing>", body);
}

// Reads need the viewer token, changes the operator token; the refusals are
// TMF Errors too.
BOOST_AUTO_TEST_CASE(tokens_guard_the_api_and_refusals_are_tmf_errors) {
  serve_fixture hub{
      {{"O2HUB_TOKEN", "operator-secret"}, {"O2HUB_VIEWER_TOKEN", "viewer-secret"}}};
  auto call = [&](const std::string& method, const std::string& path,
                  const std::string& token, const std::string& body = {}) {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!token.empty())
      headers["Authorization"] = "Bearer " + token;
    return http_request(hub.intent, method, api + path, body, headers);
  };
  auto anonymous = call("GET", "/intent", "");
  BOOST_TEST(anonymous.status == 401u, anonymous.body);
  BOOST_TEST(json_at(anonymous.body, {"@type"}) == "Error", anonymous.body);
  BOOST_TEST(json_at(anonymous.body, {"status"}) == "401");
  BOOST_TEST(call("GET", "/intent", "viewer-secret").status == 200u);
  auto viewer =
      call("POST", "/hub", "viewer-secret", R"({"callback":"http://127.0.0.1:9/x"})");
  BOOST_TEST(viewer.status == 403u, viewer.body);
  BOOST_TEST(json_at(viewer.body, {"code"}) == "forbidden", viewer.body);
  auto wrong = call("GET", "/intent", "guess");
  BOOST_TEST(wrong.status == 401u, wrong.body);
  BOOST_TEST(json_at(wrong.body, {"@type"}) == "Error", wrong.body);
  auto op =
      call("POST", "/hub", "operator-secret", R"({"callback":"http://127.0.0.1:9/x"})");
  BOOST_TEST(op.status == 201u, op.body);
  auto method = call("PUT", "/intent", "operator-secret", "{}");
  BOOST_TEST(method.status == 405u, method.body);
  BOOST_TEST(json_at(method.body, {"@type"}) == "Error", method.body);
  auto nowhere = call("GET", "/intentSpecification", "operator-secret");
  BOOST_TEST(nowhere.status == 404u, nowhere.body);
  BOOST_TEST(json_at(nowhere.body, {"@type"}) == "Error", nowhere.body);
  // The original API keeps its own error format.
  auto old = http_request(hub.intent, "GET", "/api/v1/intents", "", {});
  BOOST_TEST(old.status == 401u);
  BOOST_TEST(json_at(old.body, {"detail"}) != "<missing>", old.body);
}
