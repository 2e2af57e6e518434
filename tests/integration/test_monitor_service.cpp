// The realtime monitor (8003) through REST and WebSocket, several clients.
#define BOOST_TEST_MODULE monitor_service
#include "support/client.hpp"
#include "support/json_query.hpp"
#include "support/serve.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <sqlite3.h>
#include <thread>

using namespace o2hub::test;
using namespace std::chrono_literals;

namespace {

serve_fixture& hub() {
  static serve_fixture f;
  return f;
}

uint16_t port() {
  return hub().monitor;
}

http_result post(const std::string& target, const std::string& body = {}) {
  return http_request(port(), "POST", target, body,
                      {{"Content-Type", "application/json"}});
}

std::string at(const std::string& text, std::initializer_list<json_step> path) {
  return json_at(text, path);
}

/// The next message that is neither a periodic metrics event nor a
/// prober's report (the test's sites listen nowhere and the services come
/// up while it runs: a probe may report at any moment, under ASan right
/// between two updates).
std::string next(ws_client& c) {
  auto msg = c.read();
  while (json_at(msg, {"type"}) == "metrics" || json_at(msg, {"type"}) == "service_update"
         || (json_at(msg, {"type"}) == "edge_update"
             && json_at(msg, {"data", "status", "via"}) == "probe"))
    msg = c.read();
  return msg;
}

/// `yaml` as o2hub.yaml in `dir` (made); the config's path.
std::string fresh_config(const std::string& dir, const std::string& yaml) {
  std::filesystem::create_directories(dir);
  auto cfg = dir + "/o2hub.yaml";
  std::ofstream{cfg} << yaml;
  return cfg;
}

} // namespace

BOOST_AUTO_TEST_CASE(original_query_form_and_json_bodies_reach_every_client) {
  ws_client a{port()};
  ws_client b{port()};
  auto init = next(a);
  BOOST_TEST(at(init, {"type"}) == "initial_state");
  for (auto key : {"metrics", "edge_status", "current_pipeline", "services", "pipelines"})
    BOOST_TEST(at(init, {"data", key}) != "<missing>", key);
  // The seed's spelling on the original messages, the canonical name inside.
  BOOST_TEST(at(init, {"data", "edge_status", "edge04", "status"}) == "unknown");
  BOOST_TEST(at(init, {"data", "edge_status", "edge04", "site"}) == "edge4");
  // The original dashboard's service dots: flat keys beside the objects.
  BOOST_TEST(at(init, {"data", "services", "claude_headless"}) != "<missing>");
  BOOST_TEST(at(init, {"data", "services", "edge04"}) == "unknown");
  BOOST_TEST(at(init, {"data", "services", "intent", "url"}) != "<missing>");
  BOOST_TEST(at(next(b), {"type"}) == "initial_state");
  // The original's query parameters...
  auto started =
      post("/api/v1/pipeline/start?intent_id=intent-q1&intent_text=Deploy%20eMBB");
  BOOST_TEST_REQUIRE(started.status == 200u, started.body);
  BOOST_TEST(at(started.body, {"status"}) == "started");
  BOOST_TEST(at(started.body, {"pipeline", "intent_id"}) == "intent-q1");
  auto upd = post("/api/v1/pipeline/update?stage=krm_generated",
                  R"({"files_created":3,"duration_ms":1200})");
  BOOST_TEST_REQUIRE(upd.status == 200u, upd.body);
  // ... and the JSON bodies of its guide.
  auto upd2 = post(
      "/api/v1/pipeline/update",
      R"({"intent_id":"intent-q1","stage":"gitops_pushed","metadata":{"commit":"abc"}})");
  BOOST_TEST_REQUIRE(upd2.status == 200u, upd2.body);
  auto edge = post(
      "/api/v1/edge/update",
      R"({"edge":"edge01","status":"healthy","metadata":{"deployments":5,"cpu_usage":45.2}})");
  BOOST_TEST_REQUIRE(edge.status == 200u, edge.body);
  BOOST_TEST(at(edge.body, {"status"}) == "updated"); // the original's answer
  BOOST_TEST(at(edge.body, {"edge"}) == "edge01");
  for (auto* c : {&a, &b}) {
    auto e1 = next(*c);
    BOOST_TEST(at(e1, {"type"}) == "pipeline_started");
    BOOST_TEST(at(e1, {"data", "intent_id"}) == "intent-q1");
    auto e2 = next(*c);
    BOOST_TEST(at(e2, {"type"}) == "stage_update");
    BOOST_TEST(at(e2, {"data", "stage", "stage"}) == "krm_generated");
    BOOST_TEST(at(e2, {"data", "stage", "metadata", "files_created"}) == "3");
    BOOST_TEST(at(e2, {"data", "pipeline", "intent_id"}) == "intent-q1");
    auto e3 = next(*c);
    BOOST_TEST(at(e3, {"data", "stage", "metadata", "commit"}) == "abc");
    auto e4 = next(*c);
    BOOST_TEST(at(e4, {"type"}) == "edge_update");
    BOOST_TEST(at(e4, {"data", "edge"}) == "edge01");
    BOOST_TEST(at(e4, {"data", "status", "status"}) == "healthy");
    BOOST_TEST(at(e4, {"data", "status", "deployments"}) == "5");
    BOOST_TEST(at(e4, {"data", "status", "last_sync"}).back() == 'Z');
  }
  // Original clients send the text "ping" and get "pong".
  a.send_text("ping");
  BOOST_TEST(next(a) == "pong");
  b.send_text(R"({"type":"ping"})");
  BOOST_TEST(at(next(b), {"type"}) == "pong");
  auto done = post("/api/v1/pipeline/update?stage=completed&intent_id=intent-q1");
  BOOST_TEST(done.status == 200u);
  auto m = http_get(port(), "/api/v1/metrics");
  BOOST_TEST(at(m.body, {"metrics", "successful_intents"}) == "1");
  BOOST_TEST(at(m.body, {"metrics", "current_stage"}) == "completed");
  BOOST_TEST(at(m.body, {"edge_status", "edge01", "status"}) == "healthy");
  BOOST_TEST(at(m.body, {"services", "edge01"}) == "healthy");
  BOOST_TEST(at(m.body, {"services"}) != "<missing>");
  auto one = http_get(port(), "/api/v1/pipelines/intent-q1");
  BOOST_TEST(at(one.body, {"status"}) == "completed");
  BOOST_TEST(at(one.body, {"stages", size_t{3}, "stage"}) == "completed");
  auto list = http_get(port(), "/api/v1/pipelines?limit=5");
  BOOST_TEST(at(list.body, {"pipelines", size_t{0}, "intent_id"}) == "intent-q1");
  auto prom = http_get(port(), "/metrics");
  BOOST_TEST(prom.status == 200u);
  for (auto metric : {"o2hub_pipelines_total{result=\"completed\"} 1",
                      "o2hub_pipeline_duration_seconds_count 1",
                      "o2hub_edge_up{edge=\"edge1\",status=\"healthy\"} 1",
                      "o2hub_monitor_websocket_clients 2",
                      "o2hub_http_requests_total{service=\"monitor\""})
    BOOST_TEST(prom.body.find(metric) != std::string::npos, metric);
  auto edges = http_get(port(), "/api/v1/edges");
  // Listed in the seed's spelling; its status is the probers' (whatever
  // answers on its ports by now: other tests run beside this one).
  BOOST_TEST(at(edges.body, {"edge03", "site"}) == "edge3");
  BOOST_TEST(at(edges.body, {"edge03", "status"}) != "<missing>");
  // A late joiner sees the history.
  ws_client late{port()};
  auto state = next(late);
  BOOST_TEST(at(state, {"data", "pipelines", size_t{0}, "intent_id"}) == "intent-q1");
  BOOST_TEST(at(state, {"data", "current_pipeline", "status"}) == "completed");
}

BOOST_AUTO_TEST_CASE(bad_input_gets_clear_errors) {
  post("/api/v1/pipeline/start?intent_id=intent-bad&intent_text=x");
  struct bad_case {
    const char* name;
    std::string target;
    std::string body;
    unsigned status;
    const char* code;
  };
  std::vector<bad_case> cases{
      {"unknown stage", "/api/v1/pipeline/update?stage=deploying&intent_id=intent-bad",
       "", 400, "invalid_stage"},
      {"missing stage", "/api/v1/pipeline/update", R"({"intent_id":"intent-bad"})", 422,
       "missing_stage"},
      {"unknown pipeline", "/api/v1/pipeline/update?stage=krm_generated&intent_id=nope",
       "", 404, "not_found"},
      {"going back", "/api/v1/pipeline/update?stage=idle&intent_id=intent-bad", "", 409,
       "conflict"},
      {"start a running id", "/api/v1/pipeline/start?intent_id=intent-bad", "", 409,
       "conflict"},
      {"start without id", "/api/v1/pipeline/start", R"({"intent_text":"x"})", 422,
       "missing_intent_id"},
      // Invalid JSON anywhere in the body is a 400, as on the intent API
      // (issue 15 #4: {"a":nul} in metadata was stored, and every list and
      // dashboard after it was invalid JSON).
      {"malformed body", "/api/v1/pipeline/update", "{oops", 400, "invalid_json"},
      {"invalid metadata value", "/api/v1/pipeline/update",
       R"({"intent_id":"intent-bad","stage":"krm_generated","metadata":{"a":nul}})", 400,
       "invalid_json"},
      {"junk in an ignored field", "/api/v1/edge/update",
       R"({"edge":"edge1","status":"healthy","junk":tru})", 400, "invalid_json"},
      {"a second document", "/api/v1/pipeline/start",
       R"({"intent_id":"intent-x2"} {"intent_id":"intent-x3"})", 400, "invalid_json"},
      {"nested too deep",
       "/api/v1/pipeline/update?stage=krm_generated&intent_id=intent-bad",
       std::string(100, '[') + std::string(100, ']'), 400, "too_deep"},
      {"metadata not an object", "/api/v1/pipeline/update",
       R"({"intent_id":"intent-bad","stage":"krm_generated","metadata":[1]})", 422,
       "invalid_body"},
      {"unknown edge", "/api/v1/edge/update?edge=edge9&status=healthy", "", 404,
       "not_found"},
      {"edge without status", "/api/v1/edge/update", R"({"edge":"edge1"})", 422,
       "missing_field"},
      {"bad edge status", "/api/v1/edge/update?edge=edge1&status=%3Cscript%3E", "", 422,
       "invalid_status"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      auto res = post(c.target, c.body);
      BOOST_TEST(res.status == c.status, res.body);
      BOOST_TEST(at(res.body, {"code"}) == c.code);
      BOOST_TEST(at(res.body, {"detail"}).size() > 5u);
    }
  }
  // Nothing of the refused bodies was stored: the list is valid JSON and the
  // pipeline did not move.
  auto list = http_get(port(), "/api/v1/pipelines");
  BOOST_TEST(at(list.body, {"total"}) != "", list.body);
  BOOST_TEST(at(http_get(port(), "/api/v1/pipelines/intent-bad").body, {"current_stage"})
             == "input_received");
  BOOST_TEST(http_get(port(), "/api/v1/pipelines?limit=abc").status == 400u);
  BOOST_TEST(http_get(port(), "/api/v1/pipelines/nope").status == 404u);
  // Completed twice: the second is refused, the count stays.
  post("/api/v1/pipeline/update?stage=completed&intent_id=intent-bad");
  BOOST_TEST(post("/api/v1/pipeline/update?stage=completed&intent_id=intent-bad").status
             == 409u);
  ws_client c{port()};
  next(c); // initial_state
  c.send_text("{nope");
  BOOST_TEST(at(next(c), {"code"}) == "invalid_json");
  c.send_binary("\x00");
  BOOST_TEST(at(next(c), {"code"}) == "binary_not_supported");
  c.send_text("ping");
  BOOST_TEST(next(c) == "pong");
}

BOOST_AUTO_TEST_CASE(wrong_types_and_oversized_fields_are_refused) {
  BOOST_TEST_REQUIRE(
      post("/api/v1/pipeline/start", R"({"intent_id":"intent-typed","intent_text":"x"})")
          .status
      == 200u);
  // A numeric intent_id once moved the most recent running pipeline.
  auto numeric =
      post("/api/v1/pipeline/update", R"({"intent_id":42,"stage":"krm_generated"})");
  BOOST_TEST(numeric.status == 422u, numeric.body);
  BOOST_TEST(at(numeric.body, {"code"}) == "invalid_body");
  auto p = http_get(port(), "/api/v1/pipelines/intent-typed");
  BOOST_TEST(at(p.body, {"current_stage"}) == "input_received", p.body);
  auto text =
      post("/api/v1/pipeline/start", R"({"intent_id":"intent-t2","intent_text":7})");
  BOOST_TEST(text.status == 422u, text.body);
  // Lengths: ids 128 bytes, texts 4096, metadata 64 KiB; in the body or the query.
  std::string long_id(500, 'i');
  auto id_body = post("/api/v1/pipeline/start", R"({"intent_id":")" + long_id + R"("})");
  BOOST_TEST(id_body.status == 422u, id_body.body.substr(0, 200));
  auto id_query = post("/api/v1/pipeline/start?intent_id=" + long_id);
  BOOST_TEST(id_query.status == 422u, id_query.body.substr(0, 200));
  auto long_text =
      post("/api/v1/pipeline/start", R"({"intent_id":"intent-t3","intent_text":")"
                                         + std::string(5000, 't') + R"("})");
  BOOST_TEST(long_text.status == 422u);
  auto big_meta =
      post("/api/v1/pipeline/update?stage=krm_generated&intent_id=intent-typed",
           R"({"x":")" + std::string(70 * 1024, 'm') + R"("})");
  BOOST_TEST(big_meta.status == 422u, big_meta.body.substr(0, 200));
  // At the limits: accepted.
  BOOST_TEST(post("/api/v1/pipeline/start", R"({"intent_id":")" + std::string(128, 'k')
                                                + R"(","intent_text":")"
                                                + std::string(4096, 't') + R"("})")
                 .status
             == 200u);
}

BOOST_AUTO_TEST_CASE(state_changing_bodies_must_be_json) {
  // CSRF: a browser may send these to another site without asking it.
  auto send = [](uint16_t to, const std::string& target, const std::string& body,
                 std::map<std::string, std::string> headers) {
    return http_request(to, "POST", target, body, std::move(headers));
  };
  auto text = send(port(), "/api/v1/pipeline/start", R"({"intent_id":"intent-csrf"})",
                   {{"Content-Type", "text/plain"}});
  BOOST_TEST(text.status == 415u, text.body);
  BOOST_TEST(at(text.body, {"code"}) == "unsupported_media_type");
  auto form = send(port(), "/api/v1/edge/update", "edge=edge1&status=down",
                   {{"Content-Type", "application/x-www-form-urlencoded"}});
  BOOST_TEST(form.status == 415u, form.body);
  // A body with no type at all (the test client would add JSON: raw bytes).
  auto untyped =
      raw_exchange(port(), "POST /api/v1/pipeline/update?stage=failed&intent_id="
                           "intent-csrf HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Length: 14\r\nConnection: close\r\n\r\n"
                           "{\"reason\":\"x\"}");
  BOOST_TEST(untyped.rfind("HTTP/1.1 415", 0) == 0u, untyped);
  auto alert = send(hub().intent, "/webhook/rollback",
                    R"({"alerts":[{"status":"firing","labels":{"site":"edge1"}}]})",
                    {{"Content-Type", "text/plain"}});
  BOOST_TEST(alert.status == 415u, alert.body);
  // Nothing happened.
  BOOST_TEST(http_get(port(), "/api/v1/pipelines/intent-csrf").status == 404u);
  // The original clients' query form without a body still works.
  BOOST_TEST(send(port(), "/api/v1/pipeline/start?intent_id=intent-csrf2", "", {}).status
             == 200u);
}

BOOST_AUTO_TEST_CASE(services_are_probed) {
  std::string body;
  for (int i = 0; i < 100; ++i) {
    body = http_get(port(), "/api/v1/metrics").body;
    if (at(body, {"services", "intent", "status"}) == "healthy"
        && at(body, {"services", "bridge", "status"}) == "healthy")
      break;
    std::this_thread::sleep_for(50ms);
  }
  BOOST_TEST(at(body, {"services", "intent", "status"}) == "healthy", body);
  BOOST_TEST(at(body, {"services", "bridge", "status"}) == "healthy");
  BOOST_TEST(at(body, {"services", "intent", "url"}).find("/health")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(mutations_need_the_operator_token) {
  serve_fixture secured{{{"O2HUB_TOKEN", "op"}, {"O2HUB_VIEWER_TOKEN", "view"}}};
  auto anon =
      http_request(secured.monitor, "POST", "/api/v1/pipeline/start?intent_id=x", "");
  BOOST_TEST(anon.status == 401u);
  auto viewer =
      http_request(secured.monitor, "POST", "/api/v1/pipeline/start?intent_id=x", "",
                   {{"Authorization", "Bearer view"}});
  BOOST_TEST(viewer.status == 403u);
  auto op = http_request(secured.monitor, "POST", "/api/v1/pipeline/start?intent_id=x",
                         "", {{"Authorization", "Bearer op"}});
  BOOST_TEST(op.status == 200u);
  // Reading needs the viewer token too once tokens are configured (issue 15
  // #8: this once answered anonymous callers).
  BOOST_TEST(http_get(secured.monitor, "/api/v1/metrics").status == 401u);
  BOOST_TEST(http_request(secured.monitor, "GET", "/api/v1/metrics", "",
                          {{"Authorization", "Bearer view"}})
                 .status
             == 200u);
}

BOOST_AUTO_TEST_CASE(acknowledged_updates_survive_kill_9) {
  auto dir = fresh_data_dir();
  {
    serve_fixture first{{}, {}, dir};
    auto post1 = [&](const std::string& target, const std::string& body = {}) {
      return http_request(first.monitor, "POST", target, body,
                          {{"Content-Type", "application/json"}});
    };
    BOOST_TEST(
        post1("/api/v1/pipeline/start?intent_id=dur-1&intent_text=keep%20me").status
        == 200u);
    BOOST_TEST(post1("/api/v1/pipeline/update?stage=gitops_pushed&intent_id=dur-1",
                     R"({"commit":"c0ffee"})")
                   .status
               == 200u);
    BOOST_TEST(post1("/api/v1/pipeline/start?intent_id=dur-2&intent_text=done").status
               == 200u);
    BOOST_TEST(post1("/api/v1/pipeline/update?stage=completed&intent_id=dur-2").status
               == 200u);
    BOOST_TEST(
        post1("/api/v1/edge/update?edge=edge3&status=degraded", R"({"deployments":2})")
            .status
        == 200u);
    first.proc.signal(SIGKILL); // no chance to flush anything
    BOOST_TEST(first.proc.wait(5s).has_value());
  }
  serve_fixture second{{}, {}, dir};
  auto p1 = http_get(second.monitor, "/api/v1/pipelines/dur-1");
  BOOST_TEST_REQUIRE(p1.status == 200u, p1.body);
  BOOST_TEST(at(p1.body, {"current_stage"}) == "gitops_pushed");
  BOOST_TEST(at(p1.body, {"stages", size_t{1}, "metadata", "commit"}) == "c0ffee");
  auto m = http_get(second.monitor, "/api/v1/metrics");
  BOOST_TEST(at(m.body, {"metrics", "total_intents"}) == "2");
  BOOST_TEST(at(m.body, {"metrics", "successful_intents"}) == "1");
  BOOST_TEST(at(m.body, {"edge_status", "edge03", "status"}) == "degraded");
  BOOST_TEST(at(m.body, {"edge_status", "edge03", "deployments"}) == "2");
  // The running pipeline accepts updates again; the finished one stays done.
  auto more = http_request(second.monitor, "POST",
                           "/api/v1/pipeline/update?stage=completed&intent_id=dur-1", "",
                           {{"Content-Type", "application/json"}});
  BOOST_TEST(more.status == 200u, more.body);
  auto again = http_request(second.monitor, "POST",
                            "/api/v1/pipeline/update?stage=failed&intent_id=dur-2", "",
                            {{"Content-Type", "application/json"}});
  BOOST_TEST(again.status == 409u);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

BOOST_AUTO_TEST_CASE(a_client_that_does_not_read_is_closed_and_others_keep_up) {
  auto dir = fresh_data_dir();
  serve_fixture hub2{{}, {"--config", fresh_config(dir, "http:\n  ws_queue_limit: 8\n")}};
  ws_client fast{hub2.monitor};
  ws_client slow{hub2.monitor}; // never reads
  BOOST_TEST(at(next(fast), {"type"}) == "initial_state");
  std::string big(60000, 'x');
  int sent = 0;
  for (int i = 0; i < 150; ++i) {
    auto res = http_request(
        hub2.monitor, "POST", "/api/v1/edge/update?edge=edge1&status=healthy",
        R"({"blob":")" + big + R"("})", {{"Content-Type", "application/json"}});
    BOOST_REQUIRE(res.status == 200u);
    ++sent;
    // The fast client reads everything as it comes (other events aside).
    std::string msg;
    do
      msg = fast.read();
    while (at(msg, {"type"}) != "edge_update" || at(msg, {"data", "edge"}) != "edge01");
    BOOST_TEST_REQUIRE(at(msg, {"data", "status", "checks", "manual", "blob"}).size()
                       == big.size());
  }
  // The slow one was closed with a reason instead of buffering 9 MB.
  bool closed = false;
  try {
    for (int i = 0; i < sent + 2; ++i)
      slow.read(5s);
  } catch (const std::runtime_error&) {
    closed = true;
  }
  BOOST_TEST(closed);
  BOOST_TEST(slow.close_code() == 1008u);
  BOOST_TEST(slow.close_reason().find("too slow") != std::string::npos);
  BOOST_TEST(http_get(hub2.monitor, "/health").status == 200u);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

// A broadcast reaches the sessions of each HTTP thread through that
// thread's outbox (io/server_impl.hpp): every client has every message,
// once and in order, whichever thread it landed on.
BOOST_AUTO_TEST_CASE(a_burst_reaches_every_client_whole_and_in_order) {
  auto dir = fresh_data_dir();
  serve_fixture hub3{{}, {"--config", fresh_config(dir, "http:\n  threads: 2\n")}};
  std::vector<std::unique_ptr<ws_client>> clients;
  for (int i = 0; i < 12; ++i) {
    clients.push_back(std::make_unique<ws_client>(hub3.monitor));
    BOOST_TEST_REQUIRE(at(next(*clients.back()), {"type"}) == "initial_state");
  }
  constexpr int updates = 150;
  for (int i = 0; i < updates; ++i) {
    auto res = http_request(
        hub3.monitor, "POST", "/api/v1/edge/update?edge=edge2&status=healthy",
        R"({"seq":)" + std::to_string(i) + "}", {{"Content-Type", "application/json"}});
    BOOST_REQUIRE(res.status == 200u);
  }
  for (size_t c = 0; c < clients.size(); ++c) {
    int expected = 0;
    while (expected < updates) {
      auto msg = next(*clients[c]);
      if (at(msg, {"type"}) != "edge_update" || at(msg, {"data", "edge"}) != "edge02")
        continue;
      auto seq = at(msg, {"data", "status", "checks", "manual", "seq"});
      BOOST_TEST_REQUIRE(seq == std::to_string(expected), "client " << c);
      ++expected;
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

BOOST_AUTO_TEST_CASE(unreadable_stored_records_are_reported_not_dropped_silently) {
  // Issue 15 #4: a stored record that could not be read back vanished after a
  // restart (404) without a log line.
  auto dir = fresh_data_dir();
  {
    serve_fixture first{{}, {}, dir};
    BOOST_TEST(http_request(first.monitor, "POST",
                            "/api/v1/pipeline/start?intent_id=keep-1&intent_text=kept",
                            "", {{"Content-Type", "application/json"}})
                   .status
               == 200u);
    first.proc.signal(SIGTERM);
    BOOST_TEST(first.proc.wait(10s).value_or(-1) == 0, first.proc.tail());
  }
  {
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open((dir + "/o2hub.db").c_str(), &db) == SQLITE_OK);
    char* err = nullptr;
    auto rc = sqlite3_exec(db,
                           "INSERT INTO pipelines(intent_id, started, json) VALUES "
                           "('bad-1', 99, '{\"intent_id\":\"bad-1\",nul}');"
                           "INSERT OR REPLACE INTO edges(name, json) VALUES "
                           "('edge2', '{oops');",
                           nullptr, nullptr, &err);
    BOOST_TEST(rc == SQLITE_OK, (err ? err : ""));
    sqlite3_free(err);
    sqlite3_close(db);
  }
  {
    serve_fixture second{{}, {}, dir};
    BOOST_TEST(http_get(second.monitor, "/api/v1/pipelines/keep-1").status == 200u);
    auto out = second.proc.output();
    BOOST_TEST(out.find("stored pipeline unreadable, skipped") != std::string::npos, out);
    BOOST_TEST(out.find("stored edge status unreadable, skipped") != std::string::npos,
               out);
    BOOST_TEST(out.find("edge2") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

// Issue 14: a pipeline an outside client started and left is `stale` after
// monitor.stale_after_s (counted apart from the active ones); an operator
// cancels it: failed, reason "cancelled". o2hub's own are not cancelled here.
BOOST_AUTO_TEST_CASE(a_forgotten_pipeline_goes_stale_and_can_be_cancelled) {
  auto cfg = fresh_data_dir() + "-stale.yaml";
  std::ofstream{cfg} << "monitor:\n  stale_after_s: 1\n";
  serve_fixture f{{}, {"-c", cfg}};
  auto send = [&](const std::string& target) {
    return http_request(f.monitor, "POST", target, "", {});
  };
  BOOST_TEST_REQUIRE(send("/api/v1/pipeline/start?intent_id=left-1&intent_text=x").status
                     == 200u);
  ws_client watcher{f.monitor};
  BOOST_TEST(json_at(watcher.read(), {"type"}) == "initial_state");
  std::string body;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    body = http_get(f.monitor, "/api/v1/pipelines/left-1").body;
    if (json_at(body, {"status"}) == "stale")
      break;
    std::this_thread::sleep_for(200ms);
  }
  BOOST_TEST_REQUIRE(json_at(body, {"status"}) == "stale", body);
  auto m = http_get(f.monitor, "/api/v1/metrics").body;
  BOOST_TEST(json_at(m, {"metrics", "stale_pipelines"}) == "1", m);
  BOOST_TEST(json_at(m, {"metrics", "active_pipelines"}) == "0");
  std::string msg;
  do
    msg = watcher.read();
  while (json_at(msg, {"type"}) != "pipeline_update");
  BOOST_TEST(json_at(msg, {"data", "status"}) == "stale");
  auto cancelled = send("/api/v1/pipelines/left-1/cancel");
  BOOST_TEST_REQUIRE(cancelled.status == 200u, cancelled.body);
  BOOST_TEST(json_at(cancelled.body, {"pipeline", "status"}) == "failed");
  BOOST_TEST(
      json_at(cancelled.body, {"pipeline", "stages", size_t{1}, "metadata", "reason"})
      == "cancelled");
  BOOST_TEST(send("/api/v1/pipelines/left-1/cancel").status == 409u);
  BOOST_TEST(send("/api/v1/pipelines/nobody/cancel").status == 404u);
  // A stale pipeline an update reaches runs again.
  send("/api/v1/pipeline/start?intent_id=left-2&intent_text=y");
  deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline
         && json_at(http_get(f.monitor, "/api/v1/pipelines/left-2").body, {"status"})
                != "stale")
    std::this_thread::sleep_for(200ms);
  auto moved = send("/api/v1/pipeline/update?stage=krm_generated&intent_id=left-2");
  BOOST_TEST(moved.status == 200u, moved.body);
  BOOST_TEST(json_at(moved.body, {"pipeline", "status"}) == "running");
  std::filesystem::remove(cfg);
}
