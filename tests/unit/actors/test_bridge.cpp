// The bridge's pure parts (control-mode parsing, keys, UTF-8, events) and the
// bridge actor with a recorded tmux channel, deterministically.
#define BOOST_TEST_MODULE bridge
#include "actors/bridge.hpp"
#include "protocol/bridge_json.hpp"
#include "protocol/tmux_control.hpp"
#include "protocol/ws_sink.hpp"
#include "support/actor_fixture.hpp"
#include "support/json_query.hpp"
#include "support/mocks/sink.hpp"
#include "support/mocks/tmux.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub;
using o2hub::test::json_at;

BOOST_AUTO_TEST_SUITE(control_mode)

BOOST_AUTO_TEST_CASE(lines_are_classified) {
  auto out = tmux::parse_line(R"(%output %3 a\134b\015\012\033[1m\\x)", false);
  BOOST_TEST(out.kind == tmux::line::output);
  BOOST_TEST(out.name == "%3");
  BOOST_TEST(out.text == std::string{"a\\b\r\n\x1b[1m\\x"});
  auto ext = tmux::parse_line(R"(%extended-output %2 17 : x : y\015)", false);
  BOOST_TEST(ext.kind == tmux::line::output);
  BOOST_TEST(ext.name == "%2");
  BOOST_TEST(ext.text == "x : y\r");
  auto begin = tmux::parse_line("%begin 1795651982 266 1", false);
  BOOST_TEST(begin.kind == tmux::line::begin);
  BOOST_TEST(begin.flags == 1);
  BOOST_TEST(tmux::parse_line("%begin 1795651982 259 0", false).flags == 0);
  BOOST_TEST(tmux::parse_line("%end 1 2 1", true).kind == tmux::line::end);
  BOOST_TEST(tmux::parse_line("%error 1 2 1", true).kind == tmux::line::error);
  // Inside a block, a line that looks like a notification is data.
  auto data = tmux::parse_line("%output %0 not really", true);
  BOOST_TEST(data.kind == tmux::line::data);
  BOOST_TEST(data.text == "%output %0 not really");
  auto note = tmux::parse_line("%session-changed $0 claude-intent", false);
  BOOST_TEST(note.kind == tmux::line::notification);
  BOOST_TEST(note.name == "session-changed");
  BOOST_TEST(tmux::parse_line("%exit server exited", false).kind == tmux::line::exit);
}

BOOST_AUTO_TEST_CASE(bytes_are_sent_as_hex_never_as_key_names) {
  BOOST_TEST(tmux::send_bytes_command("%0", "C-c\r") == "send-keys -t %0 -H 43 2d 63 0d");
  BOOST_TEST(tmux::send_bytes_command("%1", "; kill-server")
             == "send-keys -t %1 -H 3b 20 6b 69 6c 6c 2d 73 65 72 76 65 72");
  BOOST_TEST(tmux::allowed_key("C-c").value_or("") == "C-c");
  BOOST_TEST(!tmux::allowed_key("C-c ; kill-server"));
  BOOST_TEST(!tmux::allowed_key("c"));
  BOOST_TEST(tmux::valid_session_name("claude-intent"));
  BOOST_TEST(!tmux::valid_session_name("a:b"));
  BOOST_TEST(!tmux::valid_session_name("a.b"));
  BOOST_TEST(!tmux::valid_session_name(""));
}

BOOST_AUTO_TEST_CASE(utf8_split_across_outputs_is_kept_whole) {
  std::string carry;
  std::string euro = "\xe2\x82\xac"; // €
  BOOST_TEST(tmux::take_utf8(carry, "a" + euro.substr(0, 1)) == "a");
  BOOST_TEST(carry.size() == 1u);
  BOOST_TEST(tmux::take_utf8(carry, euro.substr(1) + "b") == euro + "b");
  BOOST_TEST(carry.empty());
  // A stray continuation byte is passed on (the JSON writer replaces it).
  BOOST_TEST(tmux::take_utf8(carry, "\x80z") == "\x80z");
}

BOOST_AUTO_TEST_CASE(ansi_is_stripped_for_matching) {
  BOOST_TEST(tmux::strip_ansi("\x1b[1;31mError\x1b[0m: x\r\n") == "Error: x\n");
  BOOST_TEST(tmux::strip_ansi("\x1b]0;title\x07ok") == "ok");
}

BOOST_AUTO_TEST_CASE(events_fire_once_per_new_line) {
  tmux::event_matcher m{{{"error", "\\bfailed\\b"}, {"success", "completed"}}};
  BOOST_TEST(m.feed("step 1 fai").empty()); // partial: waits for its newline
  auto a = m.feed("led here\r\nall completed\r\n");
  BOOST_TEST_REQUIRE(a.size() == 2u);
  BOOST_TEST(a[0].first == "error");
  BOOST_TEST(a[0].second == "failed");
  BOOST_TEST(a[1].first == "success");
  BOOST_TEST(m.feed("nothing\r\n").empty()); // old text does not fire again
  BOOST_TEST(m.feed("\x1b[31mFAILED\x1b[0m\n").size() == 1u); // case, colour
}

BOOST_AUTO_TEST_CASE(snapshot_clears_draws_and_places_the_cursor) {
  auto s = tmux::snapshot_screen("$ ls\na b\n\n\n", 2, 1);
  BOOST_TEST(s.find("\x1b[H\x1b[2J") != std::string::npos);
  BOOST_TEST(s.find("$ ls\x1b[0m\r\na b") != std::string::npos);
  BOOST_TEST(s.substr(s.size() - 6) == "\x1b[2;3H");
}

BOOST_AUTO_TEST_CASE(client_messages_are_checked) {
  auto ok = wire::read_bridge_request(R"({"type":"command","content":"ls"})", "command");
  BOOST_TEST(ok.error_code.empty());
  BOOST_TEST(ok.text == "ls");
  BOOST_TEST(wire::read_bridge_request(R"({"type":"command"})", "command").error_code
             == "invalid_message");
  BOOST_TEST(wire::read_bridge_request(R"({"type":"nope"})", "nope").error_code
             == "unknown_type");
  auto rs =
      wire::read_bridge_request(R"({"type":"resize","cols":100,"rows":30})", "resize");
  BOOST_TEST(rs.cols == 100u);
  BOOST_TEST(
      wire::read_bridge_request(R"({"type":"resize","cols":5,"rows":30})", "resize")
          .error_code
      == "invalid_message");
  std::string big(20000, 'x');
  BOOST_TEST(
      wire::read_bridge_request(R"({"type":"input","data":")" + big + "\"}", "input")
          .error_code
      == "too_long");
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

using o2hub::test::recording_sink;

struct bridge_fixture : o2hub::test::actor_fixture {
  o2hub::test::tmux_log log =
      std::make_shared<std::vector<std::pair<std::string, uint64_t>>>();
  std::vector<std::pair<std::string, uint64_t>>& sent = *log;
  tmux_actor tmux;
  bridge_actor b;

  bridge_fixture() {
    tmux = spawn(o2hub::test::scripted_tmux, log);
    bridge_options opts;
    opts.max_viewers = 2;
    opts.tmux = tmux;
    b = spawn(bridge, std::move(opts));
  }

  /// The tag of the last command that starts with `prefix`.
  uint64_t tag_of(const std::string& prefix) {
    for (auto i = sent.rbegin(); i != sent.rend(); ++i)
      if (i->first.rfind(prefix, 0) == 0)
        return i->second;
    BOOST_FAIL("no command " << prefix);
    return 0;
  }

  void reply(uint64_t tag, std::string body, bool ok = true) {
    caf::anon_send(b, atom::reply_v, tag, ok, std::move(body));
    run();
  }

  /// Link up, pane %0 known.
  void attach() {
    caf::anon_send(b, atom::link_v, true);
    run();
    reply(tag_of("display-message -p -t claude-intent"), "%0\n");
  }

  /// Answers every snapshot request not answered yet with `screen`.
  void answer_snapshot(const std::string& screen) {
    for (; answered < sent.size(); ++answered) {
      auto [cmd, tag] = sent[answered];
      if (cmd.rfind("capture-pane", 0) == 0)
        reply(tag, screen);
      else if (cmd.rfind("display-message -p -t %0", 0) == 0)
        reply(tag, "3,1\n");
    }
  }

  size_t answered = 0;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(bridge_actor_tests, bridge_fixture)

BOOST_AUTO_TEST_CASE(late_joiner_gets_connection_then_screen_then_stream) {
  attach();
  auto a = std::make_shared<recording_sink>(1);
  caf::anon_send(b, atom::join_v, ws_sink_ptr{a});
  run();
  BOOST_TEST_REQUIRE(a->got.size() == 2u);
  BOOST_TEST(json_at(a->got[0], {"type"}) == "connection");
  BOOST_TEST(json_at(a->got[0], {"session"}) == "claude-intent");
  BOOST_TEST(json_at(a->got[0], {"role"}) == "operator");
  // Who watches: every viewer hears when someone comes or goes.
  BOOST_TEST(json_at(a->got[1], {"type"}) == "presence");
  BOOST_TEST(json_at(a->got[1], {"watching"}) == "1");
  BOOST_TEST(json_at(a->got[1], {"operators"}) == "1");
  // Output before the snapshot's answer is in the snapshot, not streamed.
  caf::anon_send(b, atom::output_v, std::string{"%0"}, std::string{"early\r\n"});
  run();
  BOOST_TEST(a->got.size() == 2u);
  answer_snapshot("$ early\n");
  BOOST_TEST_REQUIRE(a->got.size() == 3u);
  BOOST_TEST(json_at(a->got[2], {"snapshot"}) == "true");
  BOOST_TEST(json_at(a->got[2], {"content"}).find("$ early") != std::string::npos);
  caf::anon_send(b, atom::output_v, std::string{"%0"}, std::string{"late\r\n"});
  caf::anon_send(b, atom::output_v, std::string{"%7"}, std::string{"other pane\r\n"});
  run();
  BOOST_TEST_REQUIRE(a->of_type("output").size() == 2u);
  // Plain text lines by default (the original clients)...
  BOOST_TEST(json_at(a->of_type("output")[1], {"content"}) == "late\n");
  // ... the terminal's own bytes for a viewer that asks (o2hub's xterm page),
  // after a fresh screen in that form.
  caf::anon_send(b, atom::hello_v, a->id(), true);
  run();
  answer_snapshot("$ late\n");
  BOOST_TEST(json_at(a->got.back(), {"snapshot"}) == "true");
  BOOST_TEST(json_at(a->got.back(), {"content"}).find("\x1b[") != std::string::npos);
  caf::anon_send(b, atom::output_v, std::string{"%0"},
                 std::string{"\x1b[31mred\x1b[0m partial"});
  run();
  BOOST_TEST(json_at(a->got.back(), {"content"}) == "\x1b[31mred\x1b[0m partial");
}

// Plain text: escape sequences and carriage returns go, lines stay whole.
BOOST_AUTO_TEST_CASE(plain_text_lines_for_the_original_clients) {
  std::string carry;
  BOOST_TEST(tmux::take_text_lines(carry, "\x1b[1mbold\x1b[0m li") == "");
  BOOST_TEST(tmux::take_text_lines(carry, "ne\r\nnext") == "bold line\n");
  BOOST_TEST(carry == "next");
  BOOST_TEST(tmux::snapshot_text("\x1b[32m$ ok\x1b[0m   \nsecond\n   \n")
             == "$ ok\nsecond\n");
  std::string big(70 * 1024, 'x');
  carry.clear();
  BOOST_TEST(tmux::take_text_lines(carry, big).size() == big.size() + 1); // flushed
}

BOOST_AUTO_TEST_CASE(operators_input_becomes_literal_commands) {
  attach();
  caf::anon_send(b, atom::input_v, uint64_t{1}, std::string{"command"},
                 std::string{"C-c"});
  caf::anon_send(b, atom::input_v, uint64_t{1}, std::string{"key"}, std::string{"C-c"});
  caf::anon_send(b, atom::resize_v, uint32_t{100}, uint32_t{30});
  run();
  BOOST_TEST(tag_of("send-keys -t %0 -H") != 0u); // tmux's answer is read
  bool hex = false, key = false, resize = false;
  for (auto& [cmd, tag] : sent) {
    hex |= cmd == "send-keys -t %0 -H 43 2d 63 0d";
    key |= cmd == "send-keys -t %0 C-c";
    resize |= cmd == "refresh-client -C 100x30";
  }
  BOOST_TEST(hex);
  BOOST_TEST(key);
  BOOST_TEST(resize);
}

// Issue 15: typed input was sent untagged, so a command tmux refused (or one
// a lost control connection left unanswered) vanished without a word after
// the viewer had its command_received.
BOOST_AUTO_TEST_CASE(input_tmux_refuses_is_told_to_the_viewer_who_typed_it) {
  attach();
  auto a = std::make_shared<recording_sink>(1);
  auto other = std::make_shared<recording_sink>(2);
  caf::anon_send(b, atom::join_v, ws_sink_ptr{a});
  caf::anon_send(b, atom::join_v, ws_sink_ptr{other});
  run();
  caf::anon_send(b, atom::input_v, uint64_t{1}, std::string{"command"},
                 std::string{"first"});
  caf::anon_send(b, atom::input_v, uint64_t{1}, std::string{"key"}, std::string{"C-c"});
  run();
  auto typed = tag_of("send-keys -t %0 -H");
  auto key = tag_of("send-keys -t %0 C-c");
  BOOST_TEST(typed != key);
  reply(typed, "");
  BOOST_TEST(a->of_type("error").empty()); // taken: nothing to say
  reply(key, "the tmux control connection ended\n", false);
  BOOST_TEST_REQUIRE(a->of_type("error").size() == 1u);
  auto error = a->of_type("error")[0];
  BOOST_TEST(json_at(error, {"code"}) == "session_unavailable");
  BOOST_TEST(json_at(error, {"message"}).find("connection ended") != std::string::npos,
             error);
  BOOST_TEST(other->of_type("error").empty()); // only the one who typed it
  reply(key, "again", false);                  // answered once; a stray answer is ignored
  BOOST_TEST(a->of_type("error").size() == 1u);
}

BOOST_AUTO_TEST_CASE(input_while_down_gets_an_error) {
  auto a = std::make_shared<recording_sink>(1);
  caf::anon_send(b, atom::join_v, ws_sink_ptr{a});
  caf::anon_send(b, atom::input_v, uint64_t{1}, std::string{"command"},
                 std::string{"ls"});
  run();
  BOOST_TEST_REQUIRE(a->of_type("error").size() == 1u);
  BOOST_TEST(json_at(a->of_type("error")[0], {"code"}) == "session_unavailable");
}

BOOST_AUTO_TEST_CASE(restart_tells_viewers_and_resyncs_them) {
  attach();
  auto a = std::make_shared<recording_sink>(1);
  caf::anon_send(b, atom::join_v, ws_sink_ptr{a});
  run();
  answer_snapshot("one\n");
  caf::anon_send(b, atom::link_v, false);
  run();
  BOOST_TEST(json_at(a->got.back(), {"event"}) == "error");
  attach();
  BOOST_TEST(json_at(a->got.back(), {"match"}) == "tmux session restarted");
  answer_snapshot("fresh\n");
  BOOST_TEST(json_at(a->got.back(), {"content"}).find("fresh") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_paused_pane_is_continued_and_everybody_resynced) {
  attach();
  BOOST_TEST(sent.front().first == "refresh-client -f pause-after=2");
  auto a = std::make_shared<recording_sink>(1);
  caf::anon_send(b, atom::join_v, ws_sink_ptr{a});
  run();
  answer_snapshot("before\n");
  caf::anon_send(b, atom::notify_v, std::string{"pause"}, std::string{"%0"});
  caf::anon_send(b, atom::output_v, std::string{"%0"}, std::string{"while paused\r\n"});
  run();
  // Quoted (a bare %0:continue is a tmux parse error) and tagged: a continue
  // tmux refuses is sent again, or the pane would stay paused for good.
  auto first = tag_of("refresh-client -A '%0:continue'");
  BOOST_TEST(first != 0u);
  BOOST_TEST(a->of_type("output").size() == 1u); // nothing until the new screen
  answer_snapshot("after\n");
  BOOST_TEST(json_at(a->got.back(), {"content"}).find("after") != std::string::npos);
  reply(first, "parse error: syntax error", false);
  advance(std::chrono::milliseconds(250));
  auto again = tag_of("refresh-client -A '%0:continue'");
  BOOST_TEST(again != first);
  reply(again, "", true);
  advance(std::chrono::seconds(1));
  BOOST_TEST(tag_of("refresh-client -A '%0:continue'") == again); // taken: no more
}

BOOST_AUTO_TEST_CASE(event_matching_has_a_budget_per_second) {
  caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
  bridge_options opts;
  opts.event_lines_per_s = 3;
  opts.tmux = tmux;
  b = spawn(bridge, std::move(opts));
  attach();
  auto a = std::make_shared<recording_sink>(1);
  caf::anon_send(b, atom::join_v, ws_sink_ptr{a});
  run();
  answer_snapshot("");
  std::string flood;
  for (int i = 0; i < 10; ++i)
    flood += "error " + std::to_string(i) + "\r\n";
  caf::anon_send(b, atom::output_v, std::string{"%0"}, flood);
  run();
  BOOST_TEST(a->of_type("event").size() == 3u);
  advance(std::chrono::seconds(1));
  caf::anon_send(b, atom::output_v, std::string{"%0"}, std::string{"error again\r\n"});
  run();
  BOOST_TEST(a->of_type("event").size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_lagging_viewer_is_skipped_then_resynced) {
  attach();
  auto fast = std::make_shared<recording_sink>(1);
  auto slow = std::make_shared<recording_sink>(2);
  for (auto& s : {fast, slow})
    caf::anon_send(b, atom::join_v, ws_sink_ptr{s});
  run();
  answer_snapshot("");
  slow->queued = 5 * 1024 * 1024; // its client stopped reading
  for (int i = 0; i < 3; ++i)
    caf::anon_send(b, atom::output_v, std::string{"%0"},
                   "line " + std::to_string(i) + "\r\n");
  run();
  BOOST_TEST(fast->of_type("output").size() == 4u); // screen + 3 lines
  BOOST_TEST(slow->of_type("output").size() == 1u); // the screen only
  BOOST_TEST(!slow->closed);
  advance(std::chrono::milliseconds(100)); // still behind: nothing
  BOOST_TEST(slow->of_type("output").size() == 1u);
  slow->queued = 0; // it caught up
  advance(std::chrono::milliseconds(100));
  answer_snapshot("line 0\nline 1\nline 2\n");
  BOOST_TEST_REQUIRE(slow->of_type("output").size() == 2u);
  BOOST_TEST(json_at(slow->got.back(), {"snapshot"}) == "true");
  caf::anon_send(b, atom::output_v, std::string{"%0"}, std::string{"live again\r\n"});
  run();
  BOOST_TEST(json_at(slow->got.back(), {"content"}) == "live again\n");
}

BOOST_AUTO_TEST_CASE(events_and_viewer_limit) {
  attach();
  auto a = std::make_shared<recording_sink>(1);
  auto c = std::make_shared<recording_sink>(2);
  auto d = std::make_shared<recording_sink>(3);
  for (auto& s : {a, c, d})
    caf::anon_send(b, atom::join_v, ws_sink_ptr{s});
  run();
  BOOST_TEST(d->closed == close_code::try_again_later);
  answer_snapshot("");
  caf::anon_send(b, atom::output_v, std::string{"%0"},
                 std::string{"\x1b[31mError\x1b[0m: deployment failed\r\n"});
  run();
  auto events = a->of_type("event");
  BOOST_TEST_REQUIRE(events.size() == 2u); // error (twice in one line: once) + deployment
  BOOST_TEST(json_at(events[0], {"event"}) == "error");
  BOOST_TEST(json_at(events[1], {"event"}) == "deployment");
  // A slow viewer whose sink refuses is dropped; the other keeps getting data.
  c->full = true;
  caf::anon_send(b, atom::output_v, std::string{"%0"}, std::string{"x\r\n"});
  caf::anon_send(b, atom::output_v, std::string{"%0"}, std::string{"y\r\n"});
  run();
  BOOST_TEST(json_at(a->got.back(), {"content"}) == "y\n");
}

BOOST_AUTO_TEST_SUITE_END()
