// The original project's documented messages, replayed against o2hub and
// checked field by field: what an older client written from the guide
// (docs/seed-websocket-services-guide.md of thc1006/nephio-intent-to-o2-demo,
// sections "WebSocket Protocol Specifications", "API Reference" and "Usage
// Examples"; the bodies below are copied from it) sends and reads.
#define BOOST_TEST_MODULE seed_guide
#include "support/client.hpp"
#include "support/json_query.hpp"
#include "support/serve.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub::test;
using namespace std::chrono_literals;

namespace {

const std::map<std::string, std::string> json_type{{"Content-Type", "application/json"}};

serve_fixture& hub() {
  static serve_fixture f;
  return f;
}

std::string at(const std::string& text, std::initializer_list<json_step> path) {
  return json_at(text, path);
}

/// Reads until a message of `type` arrives (others are skipped: the
/// batch's pipelines run meanwhile); with `intent_id`, only about it.
std::string next_of(ws_client& c, const std::string& type,
                    const std::string& intent_id = {}) {
  for (int i = 0; i < 500; ++i) {
    auto m = c.read(10s);
    if (at(m, {"type"}) != type)
      continue;
    if (intent_id.empty() || at(m, {"data", "intent_id"}) == intent_id
        || at(m, {"data", "pipeline", "intent_id"}) == intent_id)
      return m;
  }
  BOOST_FAIL("no " << type << " message");
  return {};
}

bool is_rfc3339(const std::string& t) {
  return t.size() >= 20 && t[4] == '-' && t[7] == '-' && t[10] == 'T';
}

} // namespace

// "API Reference / Process Intent": the request as documented, every field
// of the documented response.
BOOST_AUTO_TEST_CASE(process_intent_as_documented) {
  auto r = http_request(hub().intent, "POST", "/api/v1/intent", R"({
  "text": "Deploy URLLC service with 1ms latency on edge01 and edge02",
  "context": {
    "project": "intent-to-o2-demo",
    "environment": "edge"
  },
  "target_sites": ["edge1", "edge2"]
})",
                        json_type);
  BOOST_TEST_REQUIRE(r.status == 200u, r.body);
  BOOST_TEST(at(r.body, {"status"}) == "success");
  BOOST_TEST(at(r.body, {"intent", "intentId"}).rfind("intent-", 0) == 0u);
  BOOST_TEST(at(r.body, {"intent", "intentType"}) == "URLLC");
  BOOST_TEST(!at(r.body, {"intent", "description"}).empty());
  BOOST_TEST(at(r.body, {"intent", "targetSites"}) == R"(["edge1","edge2"])");
  BOOST_TEST(at(r.body, {"intent", "serviceProfile", "latency"}) == "1ms");
  BOOST_TEST(at(r.body, {"intent", "serviceProfile", "bandwidth"}).find("bps")
             != std::string::npos);
  BOOST_TEST(at(r.body, {"intent", "serviceProfile", "reliability"}).back() == '%');
  BOOST_TEST(at(r.body, {"intent", "sloRequirements", "availability"}).back() == '%');
  BOOST_TEST(at(r.body, {"intent", "sloRequirements", "latencyP95"}) == "1ms");
  BOOST_TEST(at(r.body, {"intent", "sloRequirements", "throughputMin"}).find("bps")
             != std::string::npos);
  BOOST_TEST(at(r.body, {"intent", "lifecycle"}) == "draft");
  auto priority = std::stoi(at(r.body, {"intent", "priority"}));
  BOOST_TEST((priority >= 1 && priority <= 10));
  BOOST_TEST(at(r.body, {"intent", "constraints"}).front() == '{');
  BOOST_TEST(is_rfc3339(at(r.body, {"metadata", "processedAt"})));
  BOOST_TEST(at(r.body, {"metadata", "fallback"}) == "false");
}

// "Batch Processing" and "Example 3: Multi-Site Deployment".
BOOST_AUTO_TEST_CASE(batch_as_documented) {
  auto r = http_request(hub().intent, "POST", "/api/v1/intent/batch", R"([
    {
      "text": "Deploy eMBB service with 100Mbps on edge01",
      "target_sites": ["edge1"]
    },
    {
      "text": "Deploy URLLC service with 1ms latency on edge02",
      "target_sites": ["edge2"]
    },
    {
      "text": "Deploy mMTC for 10000 IoT devices on edge03 and edge04",
      "target_sites": ["edge3", "edge4"]
    }
  ])",
                        json_type);
  BOOST_TEST_REQUIRE(r.status == 200u, r.body);
  BOOST_TEST(at(r.body, {"total"}) == "3");
  BOOST_TEST(at(r.body, {"successful"}) == "3");
  const char* types[] = {"eMBB", "URLLC", "mMTC"};
  for (size_t i = 0; i < 3; ++i) {
    BOOST_TEST(at(r.body, {"results", i, "status"}) == "success");
    BOOST_TEST(at(r.body, {"results", i, "intent", "intentType"}) == types[i]);
  }
  BOOST_TEST(at(r.body, {"results", size_t{2}, "intent", "targetSites"})
             == R"(["edge3","edge4"])");
}

// "Realtime Monitor WebSocket Messages" with the "Realtime Monitor API"
// calls that cause them, in the guide's forms (query parameters; an update
// without an intent id; the seed's edge names).
BOOST_AUTO_TEST_CASE(monitor_messages_as_documented) {
  ws_client ws{hub().monitor};
  auto init = next_of(ws, "initial_state");
  for (auto key : {"metrics", "edge_status", "current_pipeline", "services"})
    BOOST_TEST(at(init, {"data", key}) != "<missing>", key);
  for (auto edge : {"edge01", "edge02", "edge03", "edge04"})
    BOOST_TEST(at(init, {"data", "edge_status", edge, "status"}) != "<missing>", edge);
  BOOST_TEST(at(init, {"data", "services", "claude_headless"}) != "<missing>");

  auto start = http_request(hub().monitor, "POST",
                            "/api/v1/pipeline/start?intent_id=intent-123&intent_text="
                            "Deploy%20eMBB",
                            "", {});
  BOOST_TEST_REQUIRE(start.status == 200u, start.body);
  auto started = next_of(ws, "pipeline_started", "intent-123");
  BOOST_TEST(at(started, {"data", "intent_id"}) == "intent-123");
  BOOST_TEST(at(started, {"data", "intent_text"}) == "Deploy eMBB");
  BOOST_TEST(is_rfc3339(at(started, {"data", "start_time"})));

  auto update = http_request(hub().monitor, "POST", "/api/v1/pipeline/update", R"({
  "stage": "krm_generated",
  "metadata": {
    "files_created": 3,
    "duration_ms": 1200
  }
})",
                             json_type);
  BOOST_TEST_REQUIRE(update.status == 200u, update.body);
  auto stage = next_of(ws, "stage_update", "intent-123");
  BOOST_TEST(at(stage, {"data", "pipeline", "intent_id"}) == "intent-123");
  BOOST_TEST(at(stage, {"data", "stage", "stage"}) == "krm_generated");
  BOOST_TEST(is_rfc3339(at(stage, {"data", "stage", "timestamp"})));
  BOOST_TEST(at(stage, {"data", "stage", "metadata", "files_created"}) == "3");
  BOOST_TEST(at(stage, {"data", "stage", "metadata", "duration_ms"}) == "1200");

  auto edge = http_request(hub().monitor, "POST", "/api/v1/edge/update", R"({
  "edge": "edge01",
  "status": "healthy",
  "metadata": {
    "deployments": 5,
    "cpu_usage": 45.2,
    "memory_usage": 67.8
  }
})",
                           json_type);
  BOOST_TEST_REQUIRE(edge.status == 200u, edge.body);
  BOOST_TEST(at(edge.body, {"status"}) == "updated");
  BOOST_TEST(at(edge.body, {"edge"}) == "edge01");
  auto eu = next_of(ws, "edge_update");
  while (at(eu, {"data", "edge"}) != "edge01"
         || at(eu, {"data", "status", "via"}) != "manual")
    eu = next_of(ws, "edge_update"); // a probe's report may come first
  BOOST_TEST(at(eu, {"data", "edge"}) == "edge01");
  BOOST_TEST(at(eu, {"data", "status", "status"}) == "healthy");
  BOOST_TEST(is_rfc3339(at(eu, {"data", "status", "last_sync"})));
  BOOST_TEST(at(eu, {"data", "status", "deployments"}) == "5");

  auto m = http_get(hub().monitor, "/api/v1/metrics");
  BOOST_TEST_REQUIRE(m.status == 200u);
  BOOST_TEST(at(m.body, {"metrics", "total_intents"}) != "<missing>");
  BOOST_TEST(at(m.body, {"edge_status", "edge01", "deployments"}) == "5");
}

// "TMux Bridge WebSocket Messages" and "Example 2: Using TMux Bridge".
BOOST_AUTO_TEST_CASE(bridge_messages_as_documented) {
  ws_client ws{hub().bridge};
  auto hello = next_of(ws, "connection");
  BOOST_TEST(at(hello, {"status"}) == "connected");
  BOOST_TEST(at(hello, {"session"}) == "claude-intent");
  BOOST_TEST(is_rfc3339(at(hello, {"timestamp"})));
  ws.send_text(R"({"type":"ping"})");
  BOOST_TEST(is_rfc3339(at(next_of(ws, "pong"), {"timestamp"})));
  ws.send_text(R"({"type":"command","content":"help"})");
  // `output.content` is text (no escape codes), as the guide's client logs it.
  std::string all;
  for (int i = 0; i < 200 && all.find("Commands") == std::string::npos; ++i) {
    auto out = next_of(ws, "output");
    BOOST_TEST(is_rfc3339(at(out, {"timestamp"})));
    all += at(out, {"content"});
  }
  BOOST_TEST(all.find("Commands") != std::string::npos, all);
  BOOST_TEST(all.find('\x1b') == std::string::npos, all);
  ws.send_text(R"({"type":"clear"})");
  ws.send_text(R"({"type":"ping"})");
  BOOST_TEST(at(next_of(ws, "pong"), {"type"}) == "pong"); // no error in between
}

// "Health check" commands of the troubleshooting section.
BOOST_AUTO_TEST_CASE(health_as_documented) {
  for (auto port : {hub().bridge, hub().intent, hub().monitor}) {
    auto h = http_get(port, "/health");
    BOOST_TEST(h.status == 200u);
    BOOST_TEST(at(h.body, {"status"}) != "<missing>");
  }
  BOOST_TEST(http_get(hub().intent, "/docs").status == 200u);
}
