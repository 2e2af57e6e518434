// Every message type crosses CAF's binary serializer unchanged, and every
// one is registered under its name: what the distributed nodes rely on.
#define BOOST_TEST_MODULE messages
#include "protocol/error.hpp"
#include "protocol/intent.hpp"
#include "protocol/io_messages.hpp"
#include "protocol/messages.hpp"
#include "protocol/monitor_values.hpp"
#include "protocol/nodes.hpp"
#include "protocol/pipeline_run.hpp"
#include "support/actor_fixture.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/uniform_type_info_map.hpp>

using namespace o2hub;
namespace test = o2hub::test;

// -- every message type survives CAF's binary serializer (BASP uses it) -------

namespace {

template <class T>
T round_trip(caf::actor_system& sys, T value) {
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  auto err = sink(value);
  BOOST_REQUIRE_MESSAGE(!err, render(err));
  T result;
  caf::binary_deserializer source{sys, buf};
  err = source(result);
  BOOST_REQUIRE_MESSAGE(!err, render(err));
  return result;
}

intent sample_intent() {
  intent x;
  x.intent_id = "intent-1-2";
  x.intent_type = "mMTC";
  x.description = "部署 mMTC 到所有站點";
  x.target_sites = {"edge1", "edge4"};
  x.bandwidth_mbps = 0.5;
  x.uplink_mbps = 0.25;
  x.latency_ms = 100;
  x.reliability_pct = 99.99;
  x.device_count = 50000;
  x.availability_pct = 99.9;
  x.sst = 3;
  x.sd = "000001";
  x.five_qi = 8;
  x.priority = 4;
  return x;
}

} // namespace

BOOST_FIXTURE_TEST_CASE(message_types_round_trip, test::actor_fixture) {
  health_report h;
  h.service = "bridge";
  h.version = "0.1.0";
  h.status = "degraded";
  h.uptime_s = 12.25;
  h.requests_total = 7;
  h.details = {health_field::of("tmux_session", std::string{"claude-intent"}),
               health_field::of("connected_clients", int64_t{2}),
               health_field::of("session_active", false)};
  BOOST_TEST((round_trip(sys, h) == h));
  auto x = sample_intent();
  BOOST_TEST((round_trip(sys, x) == x));
  intent_request r;
  r.text = "Deploy eMBB";
  r.context_json = R"({"a":1})";
  r.target_sites = {"edge2"};
  r.dry_run = true;
  BOOST_TEST((round_trip(sys, r) == r));
  intent_metadata m;
  m.processed_at = "2026-01-01T00:00:00.000Z";
  m.fallback = true;
  m.engine = "rules";
  m.fallback_reason = "llm timed out";
  m.cached = true;
  m.duration_ms = 1.5;
  m.defaulted = {"bandwidth"};
  BOOST_TEST((round_trip(sys, m) == m));
  intent_response resp{x, m};
  BOOST_TEST((round_trip(sys, resp) == resp));
  intent_stats s{"degraded", 1, 2, 3, 4, 5, 6};
  BOOST_TEST((round_trip(sys, s) == s));
  // BASP finds types by their registered names: every one must be known.
  for (auto name :
       {"o2hub::health_report", "o2hub::intent", "o2hub::intent_metadata",
        "o2hub::intent_request", "o2hub::intent_response", "o2hub::intent_stats"})
    BOOST_TEST(static_cast<bool>(sys.types().make_value(name)), name);
  pipeline p;
  p.intent_id = "intent-9";
  p.intent_text = "Deploy";
  p.status = "failed";
  p.current_stage = "rollback";
  p.start_time = "t0";
  p.end_time = "t1";
  p.duration_s = 2.5;
  p.stages = {{"input_received", "t0", "{}"}, {"failed", "t1", R"({"reason":"slo"})"}};
  p.rolled_back = true;
  BOOST_TEST((round_trip(sys, p) == p));
  BOOST_TEST((round_trip(sys, p.stages[1]) == p.stages[1]));
  BOOST_TEST(static_cast<bool>(sys.types().make_value("o2hub::pipeline")));
  // The I/O actors' values (what the distributed nodes will exchange).
  fetch_request fr{"http://127.0.0.1:1/readyz", "GET", "", 1500, false, "/ca.pem", 4096};
  BOOST_TEST((round_trip(sys, fr) == fr));
  fetch_request post;
  post.url = "http://127.0.0.1:1/listener";
  post.method = "POST";
  post.body = R"({"@type":"IntentCreateEvent"})";
  BOOST_TEST((round_trip(sys, post) == post));
  fetch_result res{503, 2.5, true, "timed out", "body"};
  BOOST_TEST((round_trip(sys, res) == res));
  git_change gc{
      "deploy intent i to edge1", {{"edge1/i/Kptfile", "kind: Kptfile\n"}}, {"edge2/i"}};
  BOOST_TEST((round_trip(sys, gc) == gc));
  record_list rl{{"a", "b"}, {"{}", R"({"x":1})"}};
  BOOST_TEST((round_trip(sys, rl) == rl));
  pipeline_run run;
  run.value = x;
  run.text = "Deploy";
  run.step = "deploy";
  run.commits = {{"o2hub-gitops", "abc123"}};
  run.reason = "r";
  run.after_completion = true;
  BOOST_TEST((round_trip(sys, run) == run));
  run.kind = "remove";
  run.run_id = "intent-1-remove";
  run.started_at = "2026-12-01T00:00:00.000Z";
  run.finished_at = "2026-12-01T00:00:01.000Z";
  run.slo_results = R"({"edge1":{"latency_p95_ms":{"value":6,"pass":true}}})";
  BOOST_TEST((round_trip(sys, run) == run));
  pipeline_run back_from_json;
  BOOST_TEST_REQUIRE(from_json(to_json(run), back_from_json));
  BOOST_TEST((back_from_json == run));
  intent_resource ir{run, "removing", {"intent-1", "intent-1-remove"}};
  BOOST_TEST((round_trip(sys, ir) == ir));
  BOOST_TEST(static_cast<bool>(sys.types().make_value("o2hub::intent_resource")));
  for (auto name : {"o2hub::fetch_request", "o2hub::fetch_result", "o2hub::git_change",
                    "o2hub::record_list", "o2hub::pipeline_run"})
    BOOST_TEST(static_cast<bool>(sys.types().make_value(name)), name);
  pipeline_ref ref{"intent-1", "started", "http://127.0.0.1:8003/api/v1/pipelines/i", ""};
  BOOST_TEST((round_trip(sys, ref) == ref));
  m.pipeline = ref;
  BOOST_TEST((round_trip(sys, m) == m));
  BOOST_TEST(static_cast<bool>(sys.types().make_value("o2hub::pipeline_ref")));
  // The monitor's values (replies and probe reports).
  probe_report pr{
      "degraded",
      3.5,
      {{"o2ims", "ok", 200, 3.5, ""}, {"k8s", "down", 0, 0, "connection refused"}},
      "agent",
      "0.1.0"};
  BOOST_TEST((round_trip(sys, pr) == pr));
  edge_status es{"edge01", "degraded", "t0", 2, 3.5, R"({"o2ims":{"state":"ok"}})",
                 "agent",  "0.1.0",    {},   ""};
  BOOST_TEST((round_trip(sys, es) == es));
  es.intents = {"intent-1"};
  es.slo_json = R"({"passed":false})";
  BOOST_TEST((round_trip(sys, es) == es));
  site_load load{"edge01", {"intent-1", "intent-2"}, R"({"passed":false})", true};
  BOOST_TEST((round_trip(sys, load) == load));
  BOOST_TEST(static_cast<bool>(sys.types().make_value("o2hub::site_load")));
  monitor_snapshot snap{{4, 2, 1, 1.5, "completed", "t1", 1, 0.66, 1.25, 2.5},
                        {es},
                        {{"intent", "http://127.0.0.1:8002", "healthy", "t1", 1.5}}};
  BOOST_TEST((round_trip(sys, snap) == snap));
  pipeline_page page{3, 1, 1, {p}};
  BOOST_TEST((round_trip(sys, page) == page));
  monitor_counters mc{4, 2, 1, 1, {1.5, 2.5}, {es}, 7};
  BOOST_TEST((round_trip(sys, mc) == mc));
  for (auto name :
       {"o2hub::health_field", "o2hub::check_outcome", "o2hub::probe_report",
        "o2hub::edge_status", "o2hub::service_status", "o2hub::monitor_figures",
        "o2hub::monitor_snapshot", "o2hub::pipeline_page", "o2hub::monitor_counters"})
    BOOST_TEST(static_cast<bool>(sys.types().make_value(name)), name);
  rollback_target rt{"intent-1", "edge01", "alert HighLatency"};
  BOOST_TEST((round_trip(sys, rt) == rt));
  intent_outcome good{resp, {}};
  BOOST_TEST((round_trip(sys, good) == good));
  intent_outcome bad{{}, caf::make_error(ec::unknown_site, "unknown site edg02")};
  auto back = round_trip(sys, bad);
  BOOST_TEST((back.error == bad.error));
  BOOST_TEST(render(back.error).find("edg02") != std::string::npos);
  for (auto name : {"o2hub::rollback_target", "o2hub::intent_outcome"})
    BOOST_TEST(static_cast<bool>(sys.types().make_value(name)), name);
  agent_hello hello{"edge2", "0.1.0", node_protocol_version, {"probe", "o2ims"},
                    "i1",    "PEM"};
  BOOST_TEST((round_trip(sys, hello) == hello));
  agent_welcome welcome{7, 2, 41, "edge2"};
  BOOST_TEST((round_trip(sys, welcome) == welcome));
  agent_change change{42,
                      {"healthy", 3.5, {{"o2ims", "ok", 200, 3.5, ""}}, "agent", "0.1"}};
  BOOST_TEST((round_trip(sys, change) == change));
  edge_query query{"promql", "up{site=\"edge2\"}"};
  BOOST_TEST((round_trip(sys, query) == query));
  edge_answer answer{"fulfilled", "done", 200};
  BOOST_TEST((round_trip(sys, answer) == answer));
  for (auto name : {"o2hub::agent_hello", "o2hub::agent_welcome", "o2hub::agent_change",
                    "o2hub::edge_query", "o2hub::edge_answer"})
    BOOST_TEST(static_cast<bool>(sys.types().make_value(name)), name);
  BOOST_TEST(caf::id_block::o2hub::end - caf::id_block::o2hub::begin == 38u);
}

BOOST_FIXTURE_TEST_CASE(messages_round_trip_inside_caf_message, test::actor_fixture) {
  auto req = intent_request{"Deploy URLLC", "{}", {"edge1"}, false};
  auto msg = caf::make_message(atom::process_v, req);
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  BOOST_REQUIRE(!sink(msg));
  caf::message copy;
  caf::binary_deserializer source{sys, buf};
  BOOST_REQUIRE(!source(copy));
  BOOST_REQUIRE((copy.match_elements<atom::process, intent_request>()));
  BOOST_TEST((copy.get_as<intent_request>(1) == req));
}

// Issue 13: an intent's lifecycle status from its latest run.
BOOST_AUTO_TEST_CASE(lifecycle_status_of_runs) {
  pipeline_run r;
  BOOST_TEST(lifecycle_of(r, true) == "acknowledged");
  r.kind = "modify"; // a change of an accepted intent is in progress at once
  BOOST_TEST(lifecycle_of(r, true) == "inProgress");
  r.kind = "deploy";
  r.step = "deploy";
  BOOST_TEST(lifecycle_of(r, true) == "inProgress");
  r.step = "done";
  r.result = "completed";
  BOOST_TEST(lifecycle_of(r, false) == "active");
  r.result = "rolled_back";
  BOOST_TEST(lifecycle_of(r, false) == "degraded");
  r.result = "failed";
  BOOST_TEST(lifecycle_of(r, false) == "failed");
  r.kind = "remove";
  BOOST_TEST(lifecycle_of(r, true) == "removing");
  BOOST_TEST(lifecycle_of(r, false) == "active"); // a failed removal
  r.result = "completed";
  BOOST_TEST(lifecycle_of(r, false) == "removed");
  BOOST_TEST(pipeline_id(r).empty());
  r.value.intent_id = "intent-9";
  BOOST_TEST(pipeline_id(r) == "intent-9");
  r.run_id = "intent-9-remove";
  BOOST_TEST(pipeline_id(r) == "intent-9-remove");
}

BOOST_AUTO_TEST_CASE(errors_render_by_name) {
  // o2hub's own codes, CAF's system codes and exit reasons read as names
  // (a timed-out request was logged as "system.4").
  BOOST_TEST(render(caf::make_error(ec::unknown_site, "edge9"))
             == "o2hub.unknown_site: edge9");
  BOOST_TEST(render(caf::make_error(caf::sec::request_timeout))
             == "system.request_timeout");
  BOOST_TEST(render(caf::make_error(caf::exit_reason::remote_link_unreachable))
             == "exit.remote_link_unreachable");
  BOOST_TEST(render(caf::error{}) == "no error");
}
