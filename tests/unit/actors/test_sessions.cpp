// WebSocket session actors, deterministically: what a client sends, by role,
// malformed, and what happens when the connection closes. The services
// behind them are the real actors (bridge with a scripted tmux, monitor in
// memory, intent on rules); the clients are recording sinks.
#define BOOST_TEST_MODULE sessions
#include "actors/bridge.hpp"
#include "actors/intent.hpp"
#include "actors/monitor/monitor.hpp"
#include "actors/sessions/bridge_session.hpp"
#include "actors/sessions/intent_session.hpp"
#include "actors/sessions/monitor_session.hpp"
#include "support/actor_fixture.hpp"
#include "support/json_query.hpp"
#include "support/mocks/sink.hpp"
#include "support/mocks/tmux.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub;
using o2hub::test::json_at;
using o2hub::test::recording_sink;

namespace {

struct bridge_world : o2hub::test::actor_fixture {
  o2hub::test::tmux_log log =
      std::make_shared<std::vector<std::pair<std::string, uint64_t>>>();
  bridge_actor b;

  bridge_world() {
    bridge_options opts;
    opts.tmux = spawn(o2hub::test::scripted_tmux, log);
    b = spawn(bridge, std::move(opts));
    // The control connection is up and the pane is %0.
    caf::anon_send(b, atom::link_v, true);
    run();
    caf::anon_send(b, atom::reply_v, tag_of("display-message -p -t claude-intent"), true,
                   std::string{"%0\n"});
    run();
  }

  uint64_t tag_of(const std::string& prefix) {
    for (auto i = log->rbegin(); i != log->rend(); ++i)
      if (i->first.rfind(prefix, 0) == 0)
        return i->second;
    BOOST_FAIL("no command " << prefix);
    return 0;
  }

  size_t sent_keys() {
    size_t n = 0;
    for (auto& [cmd, tag] : *log)
      n += cmd.rfind("send-keys", 0) == 0 ? 1 : 0;
    return n;
  }

  ws_session_actor open(const std::shared_ptr<recording_sink>& sink) {
    return spawn(bridge_session, ws_sink_ptr{sink}, b);
  }

  void frame(const ws_session_actor& s, std::string data, bool binary = false) {
    caf::anon_send(s, atom::frame_v, std::move(data), binary);
    run();
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(bridge_sessions, bridge_world)

BOOST_AUTO_TEST_CASE(a_viewer_watches_but_cannot_type) {
  auto viewer = std::make_shared<recording_sink>(7, role::viewer);
  auto s = open(viewer);
  BOOST_TEST_REQUIRE(viewer->of_type("connection").size() == 1u);
  BOOST_TEST(json_at(viewer->of_type("connection")[0], {"role"}) == "viewer");
  frame(s, R"({"type":"command","content":"rm -rf /"})");
  BOOST_TEST_REQUIRE(viewer->of_type("error").size() == 1u);
  BOOST_TEST(json_at(viewer->of_type("error")[0], {"code"}) == "forbidden");
  BOOST_TEST(sent_keys() == 0u);
}

BOOST_AUTO_TEST_CASE(an_operators_command_reaches_tmux_literally) {
  auto op = std::make_shared<recording_sink>(8);
  auto s = open(op);
  frame(s, R"({"type":"command","content":"C-c"})");
  BOOST_TEST(op->of_type("command_received").size() == 1u);
  // Tagged: tmux's answer comes back, and a refusal is told.
  BOOST_TEST(tag_of("send-keys -t %0 -H 43 2d 63 0d") != 0u);
}

BOOST_AUTO_TEST_CASE(bad_input_gets_an_error_and_the_session_stays) {
  auto op = std::make_shared<recording_sink>(9);
  auto s = open(op);
  frame(s, "\x01\x02", true);
  frame(s, "{oops");
  frame(s, R"({"type":"launch"})");
  frame(s, R"({"type":"command"})");
  auto errors = op->of_type("error");
  BOOST_TEST_REQUIRE(errors.size() == 4u);
  BOOST_TEST(json_at(errors[0], {"code"}) == "binary_not_supported");
  BOOST_TEST(json_at(errors[2], {"code"}) == "unknown_type");
  BOOST_TEST(json_at(errors[3], {"code"}) == "invalid_message");
  frame(s, R"({"type":"ping"})");
  BOOST_TEST(op->of_type("pong").size() == 1u);
  BOOST_TEST(sent_keys() == 0u);
}

BOOST_AUTO_TEST_CASE(closing_the_connection_leaves_the_bridge) {
  auto gone = std::make_shared<recording_sink>(10);
  auto stays = std::make_shared<recording_sink>(11);
  auto s1 = open(gone);
  open(stays);
  caf::anon_send_exit(s1, caf::exit_reason::user_shutdown);
  run();
  // Both would be ready once their snapshot came; only one is still there.
  for (auto& [cmd, tag] : std::vector<std::pair<std::string, uint64_t>>{*log}) {
    if (cmd.rfind("capture-pane", 0) == 0)
      caf::anon_send(b, atom::reply_v, tag, true, std::string{"screen\n"});
    else if (cmd.rfind("display-message -p -t %0", 0) == 0)
      caf::anon_send(b, atom::reply_v, tag, true, std::string{"0,0\n"});
  }
  run();
  auto before = gone->got.size();
  caf::anon_send(b, atom::output_v, std::string{"%0"}, std::string{"after\r\n"});
  run();
  BOOST_TEST(gone->got.size() == before);
  BOOST_TEST(stays->of_type("output").size() >= 1u);
  BOOST_TEST(json_at(stays->got.back(), {"content"}) == "after\n"); // plain text
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_CASE(a_dashboard_session_pongs_and_refuses_the_rest,
                        o2hub::test::actor_fixture) {
  monitor_options mo;
  mo.sites = {"edge1"};
  auto m = spawn(monitor, mo);
  auto dash = std::make_shared<recording_sink>(1, role::viewer);
  // The connection is subscribed at open (the route does it); the session
  // answers what the client sends.
  caf::anon_send(m, atom::subscribe_v, ws_sink_ptr{dash});
  run();
  auto s = spawn(monitor_session, ws_sink_ptr{dash});
  BOOST_TEST_REQUIRE(dash->got.size() == 1u);
  BOOST_TEST(json_at(dash->got[0], {"type"}) == "initial_state");
  caf::anon_send(s, atom::frame_v, std::string{"ping"}, false);
  caf::anon_send(s, atom::frame_v, std::string{R"({"type":"subscribe"})"}, false);
  run();
  BOOST_TEST_REQUIRE(dash->got.size() == 3u);
  BOOST_TEST(dash->got[1] == "pong"); // the original clients' plain text
  BOOST_TEST(json_at(dash->got[2], {"code"}) == "unknown_type");
}

BOOST_FIXTURE_TEST_CASE(an_intent_session_answers_operators_only,
                        o2hub::test::actor_fixture) {
  intent_options io;
  io.sites = {"edge1", "edge2"};
  io.now = virtual_wall_clock();
  auto intent = spawn(intent_service, io);
  intent_session_options so;
  so.intent = intent;
  so.sites = io.sites;
  so.now = virtual_wall_clock();
  auto viewer = std::make_shared<recording_sink>(1, role::viewer);
  auto vs = spawn(intent_session, ws_sink_ptr{viewer}, so);
  caf::anon_send(vs, atom::frame_v,
                 std::string{R"({"type":"intent","text":"Deploy eMBB on edge1"})"},
                 false);
  run();
  BOOST_TEST_REQUIRE(viewer->got.size() == 1u);
  BOOST_TEST(json_at(viewer->got[0], {"code"}) == "forbidden");
  auto op = std::make_shared<recording_sink>(2);
  auto os = spawn(intent_session, ws_sink_ptr{op}, so);
  caf::anon_send(
      os, atom::frame_v,
      std::string{R"({"type":"intent","id":"q1","text":"Deploy URLLC on edge2"})"},
      false);
  run();
  BOOST_TEST_REQUIRE(op->got.size() == 2u);
  BOOST_TEST(json_at(op->got[0], {"type"}) == "progress");
  BOOST_TEST(json_at(op->got[0], {"timestamp"}) == "2026-01-01T00:00:00.000Z");
  BOOST_TEST(json_at(op->got[1], {"type"}) == "intent_generated");
  BOOST_TEST(json_at(op->got[1], {"id"}) == "q1");
  BOOST_TEST(json_at(op->got[1], {"intent", "intentType"}) == "URLLC");
  BOOST_TEST(json_at(op->got[1], {"intent", "targetSites", size_t{0}}) == "edge2");
  // An unknown site is refused, with the message's id.
  caf::anon_send(
      os, atom::frame_v,
      std::string{R"({"type":"intent","id":"q2","text":"x","target_sites":["edge9"]})"},
      false);
  run();
  BOOST_TEST(json_at(op->got.back(), {"id"}) == "q2");
  BOOST_TEST(json_at(op->got.back(), {"code"}) == "unknown_site");
  // Only whole, valid documents: junk in an ignored field, a second one.
  for (auto bad : {R"({"type":"intent","text":"Deploy eMBB","junk":nul})",
                   R"({"type":"intent","text":"Deploy eMBB"}{"type":"intent"})"}) {
    auto before = op->got.size();
    caf::anon_send(os, atom::frame_v, std::string{bad}, false);
    run();
    BOOST_TEST_REQUIRE(op->got.size() == before + 1);
    BOOST_TEST(json_at(op->got.back(), {"type"}) == "error");
    BOOST_TEST(json_at(op->got.back(), {"code"}) == "invalid_json", op->got.back());
  }
}
