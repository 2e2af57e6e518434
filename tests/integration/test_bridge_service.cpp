// The terminal bridge (8004) with real tmux on a private socket: viewers,
// literal input, late joiners, tokens, a killed tmux server, events, and
// the console in the pane.
#define BOOST_TEST_MODULE bridge_service
#include "common/json.hpp"
#include "io/tmux.hpp"
#include "protocol/tmux_control.hpp"
#include "support/client.hpp"
#include "support/json_query.hpp"
#include "support/serve.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>

using namespace o2hub::test;
using namespace std::chrono_literals;

namespace {

std::string type_of(const std::string& msg) {
  return json_at(msg, {"type"});
}

/// Reads messages until `pred` holds for one; returns it, or nothing (and
/// why, in `why`) when the time is up or the socket failed.
std::optional<std::string>
try_read_until(ws_client& c, const std::function<bool(const std::string&)>& pred,
               std::chrono::milliseconds timeout, std::vector<std::string>* seen,
               std::string& why) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    std::string msg;
    try {
      msg = c.read(std::max(left, 1ms));
    } catch (const std::exception& e) {
      why = e.what();
      return std::nullopt;
    }
    if (seen)
      seen->push_back(msg);
    if (pred(msg))
      return msg;
  }
  why = "no matching message in time";
  return std::nullopt;
}

/// Reads messages until `pred` holds for one; returns it. Fails on timeout.
std::string read_until(ws_client& c, const std::function<bool(const std::string&)>& pred,
                       std::chrono::milliseconds timeout = 10s,
                       std::vector<std::string>* seen = nullptr) {
  std::string why;
  auto msg = try_read_until(c, pred, timeout, seen, why);
  if (!msg)
    BOOST_FAIL("no matching message: " << why);
  return *msg;
}

/// Whether an `output` holding `text` arrives.
bool is_output_with(const std::string& m, const std::string& text) {
  return type_of(m) == "output"
         && json_at(m, {"content"}).find(text) != std::string::npos;
}

/// The output (streamed or a screen snapshot) contains `text`.
std::string read_output_with(ws_client& c, const std::string& text,
                             std::vector<std::string>* seen = nullptr) {
  return read_until(
      c, [&](const std::string& m) { return is_output_with(m, text); }, 10s, seen);
}

/// Whether an `output` holding `text` arrives within `timeout` (no failure);
/// `others`: what else arrived (every message but output), for the message.
bool saw_output_with(ws_client& c, const std::string& text,
                     std::chrono::milliseconds timeout, std::string* others = nullptr) {
  std::string why;
  std::vector<std::string> seen;
  auto found = try_read_until(
      c, [&](const std::string& m) { return is_output_with(m, text); }, timeout, &seen,
      why);
  if (others) {
    *others = why;
    for (auto& m : seen)
      if (type_of(m) != "output")
        *others += "\n" + m.substr(0, 300);
  }
  return found.has_value();
}

/// Reads until the streamed output (snapshots excluded), from now on, holds
/// `text` at least `times` times; returns that output.
std::string read_output_times(ws_client& c, const std::string& text, size_t times,
                              std::vector<std::string>* seen = nullptr) {
  std::string all;
  auto count = [&] {
    size_t n = 0;
    for (auto pos = all.find(text); pos != std::string::npos;
         pos = all.find(text, pos + 1))
      ++n;
    return n;
  };
  read_until(
      c,
      [&](const std::string& m) {
        if (type_of(m) == "output" && json_at(m, {"snapshot"}) != "true")
          all += json_at(m, {"content"});
        return count() >= times;
      },
      20s, seen);
  return all;
}

/// A config whose pane runs `cat` (echoes what is typed, keeps running on
/// text like "C-c") and allows three viewers.
std::string cat_config() {
  auto path = fresh_data_dir() + ".yaml";
  std::ofstream{path} << "services:\n"
                         "  bridge:\n"
                         "    command: [\"cat\", \"-u\"]\n"
                         "    max_viewers: 3\n";
  return path;
}

/// Connects and waits for the greeting and the first screen; then, like
/// o2hub's xterm page, asks for the raw stream and waits for its screen.
std::unique_ptr<ws_client> viewer(uint16_t port, const std::string& target = "/ws",
                                  std::map<std::string, std::string> headers = {}) {
  auto c = std::make_unique<ws_client>(port, target, headers);
  auto hello = c->read();
  BOOST_TEST_REQUIRE(type_of(hello) == "connection", hello);
  BOOST_TEST(json_at(hello, {"session"}) == "claude-intent");
  read_until(*c, [](const std::string& m) { return json_at(m, {"snapshot"}) == "true"; });
  c->send_text(R"({"type":"stream","mode":"raw"})");
  read_until(*c, [](const std::string& m) { return json_at(m, {"snapshot"}) == "true"; });
  return c;
}

struct cat_hub {
  std::string cfg = cat_config();
  serve_fixture f{{}, {"-c", cfg}};
  ~cat_hub() { std::filesystem::remove(cfg); }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(shared_session, cat_hub)

BOOST_AUTO_TEST_CASE(output_reaches_every_viewer_and_late_joiners_get_the_screen) {
  auto health = http_get(f.bridge, "/health");
  BOOST_TEST(health.status == 200u);
  auto a = viewer(f.bridge);
  auto b = viewer(f.bridge);
  BOOST_TEST(json_at(http_get(f.bridge, "/health").body, {"connected_clients"}) == "2");
  a->send_text(R"({"type":"command","content":"marker-4711"})");
  auto ack = read_until(
      *a, [](const std::string& m) { return type_of(m) == "command_received"; });
  BOOST_TEST(json_at(ack, {"command"}) == "marker-4711");
  BOOST_TEST(!json_at(ack, {"timestamp"}).empty());
  read_output_with(*a, "marker-4711");
  read_output_with(*b, "marker-4711");
  // A late joiner sees what is on the screen already.
  ws_client c{f.bridge};
  BOOST_TEST(type_of(c.read()) == "connection");
  auto snap = read_until(
      c, [](const std::string& m) { return json_at(m, {"snapshot"}) == "true"; });
  BOOST_TEST(json_at(snap, {"content"}).find("marker-4711") != std::string::npos, snap);
  // Raw keystrokes from a browser terminal.
  a->send_text(R"({"type":"input","data":"typed-raw\r"})");
  read_output_with(c, "typed-raw");
  // Issue 14: a client that did not ask for the raw stream (the original
  // clients) reads plain text lines: no escape sequences, whole lines.
  a->send_text(R"({"type":"input","data":"\u001b[31mred-5150\u001b[0m\r"})");
  std::vector<std::string> seen;
  auto plain = read_output_with(c, "red-5150", &seen);
  BOOST_TEST(json_at(plain, {"content"}).find('\x1b') == std::string::npos, plain);
  BOOST_TEST(json_at(plain, {"content"}).back() == '\n', plain);
  // The raw viewer gets cat's colour codes as they are.
  read_output_with(*b, "\x1b[31mred-5150");
  // At most three viewers: the fourth is told why.
  ws_client d{f.bridge};
  BOOST_CHECK_THROW(while (true) d.read(5s), std::runtime_error);
  BOOST_TEST(d.close_code() == 1013u);
  BOOST_TEST(d.close_reason().find("too many viewers") != std::string::npos);
  auto h = http_get(f.bridge, "/health").body;
  BOOST_TEST(json_at(h, {"status"}) == "healthy", h);
  BOOST_TEST(json_at(h, {"tmux_session"}) == "claude-intent");
  BOOST_TEST(json_at(h, {"session_active"}) == "true");
}

BOOST_AUTO_TEST_CASE(key_names_typed_as_a_command_arrive_as_text) {
  auto a = viewer(f.bridge);
  a->send_text(R"({"type":"command","content":"C-c"})");
  // cat echoes the line (the tty) and prints it again (cat): had it been a
  // key, cat would have died and the session restarted.
  std::vector<std::string> seen;
  read_output_with(*a, "C-c", &seen);
  a->send_text(R"({"type":"command","content":"still-alive-1"})");
  read_output_with(*a, "still-alive-1", &seen);
  for (auto& m : seen)
    BOOST_TEST(json_at(m, {"match"}).find("restarted") == std::string::npos);
  BOOST_TEST(json_at(http_get(f.bridge, "/health").body, {"session_restarts"}) == "0");
  // Allowed control keys go as keys; others are refused.
  a->send_text(R"({"type":"key","key":"C-x ; kill-server"})");
  auto err = read_until(*a, [](const std::string& m) { return type_of(m) == "error"; });
  BOOST_TEST(json_at(err, {"code"}) == "key_not_allowed");
}

BOOST_AUTO_TEST_CASE(bad_messages_get_errors_and_the_socket_stays) {
  auto a = viewer(f.bridge);
  for (auto [msg, code] :
       {std::pair{R"({"content":"x"})", "missing_type"},
        std::pair{R"({"type":"launch"})", "unknown_type"},
        std::pair{R"({"type":"command"})", "invalid_message"},
        std::pair{R"({"type":"resize","cols":1,"rows":1})", "invalid_message"},
        std::pair{"{nope", "invalid_json"}}) {
    a->send_text(msg);
    auto err = read_until(*a, [](const std::string& m) { return type_of(m) == "error"; });
    BOOST_TEST(json_at(err, {"code"}) == code, msg);
  }
  a->send_text(R"({"type":"ping"})");
  read_until(*a, [](const std::string& m) { return type_of(m) == "pong"; });
}

BOOST_AUTO_TEST_CASE(events_fire_once_per_new_match) {
  auto a = viewer(f.bridge);
  std::vector<std::string> seen;
  a->send_text(R"({"type":"command","content":"job-77 failed"})");
  // Echo and cat's copy: two new lines with the match, two events.
  read_output_times(*a, "job-77 failed", 2, &seen);
  a->send_text(R"({"type":"command","content":"quiet-line-1"})");
  a->send_text(R"({"type":"command","content":"quiet-line-2"})");
  read_output_times(*a, "quiet-line-2", 2, &seen);
  // A late joiner's screen holds the old match: no event for anyone.
  auto b = viewer(f.bridge);
  a->send_text(R"({"type":"command","content":"quiet-line-3"})");
  read_output_times(*a, "quiet-line-3", 2, &seen);
  size_t errors = 0;
  for (auto& m : seen)
    if (type_of(m) == "event" && json_at(m, {"event"}) == "error") {
      ++errors;
      BOOST_TEST(json_at(m, {"match"}) == "failed");
    }
  BOOST_TEST(errors == 2u);
}

BOOST_AUTO_TEST_CASE(a_killed_tmux_server_is_survived) {
  auto a = viewer(f.bridge);
  process kill{{"/usr/bin/env", "tmux", "-L", f.tmux_socket, "kill-server"}};
  BOOST_TEST(kill.wait(5s).value_or(-1) == 0, kill.tail());
  read_until(*a, [](const std::string& m) {
    return json_at(m, {"match"}) == "tmux session restarted";
  });
  read_until(*a, [](const std::string& m) { return json_at(m, {"snapshot"}) == "true"; });
  a->send_text(R"({"type":"command","content":"after-restart"})");
  read_output_with(*a, "after-restart");
  auto h = http_get(f.bridge, "/health").body;
  BOOST_TEST(json_at(h, {"session_restarts"}) == "1", h);
  BOOST_TEST(json_at(h, {"status"}) == "healthy", h);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(viewer_tokens_watch_only_and_strangers_are_refused) {
  auto cfg = cat_config();
  serve_fixture f{{{"O2HUB_TOKEN", "op-secret"}, {"O2HUB_VIEWER_TOKEN", "view-secret"}},
                  {"-c", cfg}};
  BOOST_CHECK_THROW(ws_client(f.bridge, "/ws"), std::runtime_error);
  try {
    ws_client foreign{
        f.bridge, "/ws?token=op-secret", {{"Origin", "http://evil.example"}}};
    BOOST_FAIL("a foreign Origin was accepted");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string{e.what()}.find("403") != std::string::npos, e.what());
  }
  auto op = viewer(f.bridge, "/ws?token=op-secret");
  auto watcher = std::make_unique<ws_client>(f.bridge, "/ws?token=view-secret");
  BOOST_TEST(json_at(watcher->read(), {"role"}) == "viewer");
  for (auto msg : {R"({"type":"command","content":"from-viewer"})",
                   R"({"type":"input","data":"from-viewer\r"})", R"({"type":"clear"})"}) {
    watcher->send_text(msg);
    auto err =
        read_until(*watcher, [](const std::string& m) { return type_of(m) == "error"; });
    BOOST_TEST(json_at(err, {"code"}) == "forbidden");
  }
  // The operator's text arrives; the viewer's never did.
  op->send_text(R"({"type":"command","content":"from-operator"})");
  std::vector<std::string> seen;
  read_output_with(*watcher, "from-operator", &seen);
  for (auto& m : seen)
    BOOST_TEST(m.find("from-viewer") == std::string::npos);
  std::filesystem::remove(cfg);
}

BOOST_AUTO_TEST_CASE(the_session_outlives_o2hub_but_not_its_ports) {
  auto cfg = cat_config();
  serve_fixture f{{}, {"-c", cfg}};
  viewer(f.bridge); // the session is up
  f.proc.signal(SIGTERM);
  BOOST_TEST(f.proc.wait(5s).value_or(-1) == 0, f.proc.output());
  // tmux's server (started by o2hub) still runs; it must not hold o2hub's
  // listening sockets, or a restart would find its ports in use.
  process ls{{"/usr/bin/env", "tmux", "-L", f.tmux_socket, "has-session", "-t",
              "claude-intent"}};
  BOOST_TEST(ls.wait(5s).value_or(-1) == 0, ls.tail());
  std::filesystem::remove(cfg);
  for (auto port : {f.intent, f.monitor, f.bridge}) {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acc{ioc};
    boost::system::error_code ec;
    acc.open(boost::asio::ip::tcp::v4(), ec);
    acc.bind({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    BOOST_TEST(!ec, "port " << port << ": " << ec.message());
  }
}

BOOST_AUTO_TEST_CASE(the_console_runs_in_the_pane) {
  serve_fixture f;
  // The fixture lets a bridge that is still "degraded" pass after 2 s; input
  // typed before the bridge knows its pane is refused (session_unavailable).
  // Typing starts once the session is up.
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (http_get(f.bridge, "/health").body.find("\"status\":\"healthy\"")
             == std::string::npos
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  auto a = viewer(f.bridge);
  a->send_text(R"({"type":"command","content":"help"})");
  BOOST_TEST_CHECKPOINT("help");
  // Under load (2 test jobs and Chromium on 2 cores) the first command got
  // no answer about once in ten full runs, when typing began before the
  // session was up (see above; the likely cause). Kept: typed again once,
  // saying what arrived instead; a console that never answers still fails.
  std::string others;
  if (!saw_output_with(*a, "Commands", 5s, &others)) {
    // What came instead (a `session_unavailable` error would mean the pane
    // was not known yet: the health check lets a degraded bridge pass).
    BOOST_TEST_MESSAGE("no answer to the first 'help' within 5 s; typing it again. "
                       "Instead: "
                       << others);
    a = viewer(f.bridge); // a timed-out read leaves the old socket unusable
    a->send_text(R"({"type":"command","content":"help"})");
    // A console starting under ASan with a parallel job can take a while.
    read_until(
        *a, [](const std::string& m) { return is_output_with(m, "Commands"); }, 30s);
  }
  BOOST_TEST_CHECKPOINT("intent");
  a->send_text(
      R"({"type":"command","content":"Deploy URLLC with 1ms latency on edge02"})");
  // Issue 13: the console shows how it understood the sentence and asks.
  auto asked = read_output_times(*a, "[y/N]", 1);
  BOOST_TEST(asked.find("understood as") != std::string::npos, asked);
  BOOST_TEST(asked.find("Deploy it?") != std::string::npos, asked);
  BOOST_TEST(asked.find("intent created") == std::string::npos, asked);
  a->send_text(R"({"type":"command","content":"y"})");
  auto shown = read_output_times(*a, "pipeline ", 1);
  BOOST_TEST(shown.find("intent created") != std::string::npos, shown);
  BOOST_TEST(shown.find("edge2") != std::string::npos, shown);
  BOOST_TEST(shown.find("URLLC") != std::string::npos, shown);
  // It follows the pipeline; Ctrl-C stops following, not the console.
  // The pipeline's address is its detail on the dashboard.
  BOOST_TEST(shown.find("/#/pipelines/intent-") != std::string::npos, shown);
  BOOST_TEST_CHECKPOINT("following");
  auto followed = shown + read_output_times(*a, "intent_parsed", 1);
  // The title says which pipeline is followed, at which stage (the page's
  // stage strip follows it).
  BOOST_TEST(followed.find("\x1b]2;o2hub pipeline intent-") != std::string::npos,
             followed);
  BOOST_TEST_CHECKPOINT("ctrl-c");
  a->send_text(R"({"type":"key","key":"C-c"})");
  read_output_times(*a, "stopped following", 1);
  a->send_text(R"({"type":"command","content":"status"})");
  read_output_with(*a, "Edge sites");
  // Issue 12: what is not an intent is said so in plain words; corrections
  // and defaults are shown before anything else happens.
  BOOST_TEST_CHECKPOINT("not an intent");
  a->send_text(R"({"type":"command","content":"what is the weather today?"})");
  auto refused = read_output_times(*a, "nothing was deployed", 1);
  BOOST_TEST(refused.find("not something o2hub can deploy") != std::string::npos,
             refused);
  BOOST_TEST(refused.find("intent created") == std::string::npos, refused);
  BOOST_TEST_CHECKPOINT("corrections and defaults");
  a->send_text(R"({"type":"command","content":"deploy urllc on egde2"})");
  auto shown2 = read_output_times(*a, "[y/N]", 1);
  BOOST_TEST(shown2.find("egde2 -> edge2") != std::string::npos, shown2);
  BOOST_TEST(shown2.find("confidence low") != std::string::npos, shown2);
  BOOST_TEST(shown2.find("defaulted") != std::string::npos, shown2);
  BOOST_TEST(shown2.find("(default)") != std::string::npos, shown2); // highlighted
  // No: nothing is deployed.
  a->send_text(R"({"type":"command","content":"n"})");
  auto declined = read_output_times(*a, "Nothing changed", 1);
  BOOST_TEST(declined.find("intent created") == std::string::npos, declined);
  // Issue 13: the intents and their lifecycle; removing one by id.
  BOOST_TEST_CHECKPOINT("intents");
  a->send_text(R"({"type":"command","content":"intents"})");
  auto listed = read_output_times(*a, "URLLC", 1);
  BOOST_TEST(listed.find("Intents") != std::string::npos, listed);
  BOOST_TEST(listed.find("intent-") != std::string::npos, listed);
  a->send_text(R"({"type":"command","content":"remove intent-0-none"})");
  auto refused2 = read_output_times(*a, "HTTP 404", 1);
  BOOST_TEST(refused2.find("no intent intent-0-none") != std::string::npos, refused2);
}

BOOST_AUTO_TEST_CASE(the_console_edits_lines_keeps_history_and_completes) {
  serve_fixture f;
  auto a = viewer(f.bridge);
  auto input = [&](const std::string& bytes) {
    o2hub::json::writer w;
    w.begin_object().kv("type", "input").kv("data", bytes).end_object();
    a->send_text(w.take());
  };
  // The streamed output from now until `text` and then a fresh prompt (keys
  // typed before the prompt would reach the program, not the line editor).
  auto try_answered = [&](const std::string& text, std::chrono::seconds timeout) {
    std::string all, why, other;
    auto got = try_read_until(
        *a,
        [&](const std::string& m) {
          if (type_of(m) == "output" && json_at(m, {"snapshot"}) != "true")
            all += json_at(m, {"content"});
          else if (other.size() < 4000)
            other += m.substr(0, 500) + "\n"; // errors, events, screens
          auto pos = all.find(text);
          return pos != std::string::npos && all.find("o2hub>", pos) != std::string::npos;
        },
        timeout, nullptr, why);
    if (!got)
      BOOST_TEST_MESSAGE("output while waiting for '"
                         << text << "': " << all << "\nother messages:\n"
                         << other << "read: " << why
                         << "\n/health: " << http_get(f.bridge, "/health").body << "\n"
                         << f.proc.tail(4000));
    return got ? std::optional<std::string>{all} : std::nullopt;
  };
  auto answered = [&](const std::string& text) {
    auto all = try_answered(text, 10s);
    if (!all)
      BOOST_FAIL("no '" << text << "' then a prompt");
    return *all;
  };
  // The console is up once it answers (see the_console_runs_in_the_pane).
  input("help\r");
  if (!try_answered("Commands", 5s)) {
    a = viewer(f.bridge); // a timed-out read leaves the old socket unusable
    input("help\r");
    if (!try_answered("Commands", 30s))
      BOOST_FAIL("the console never answered");
  }
  BOOST_TEST_MESSAGE("Tab completes a built-in");
  input("stat\t");
  input("\r");
  answered("Edge sites");
  BOOST_TEST_MESSAGE("Up recalls the last line");
  input("\x1b[A\r");
  answered("Edge sites");
  BOOST_TEST_MESSAGE("Ctrl-C cancels the line, not the console");
  input("Deploy eMBB on edge1");
  a->send_text(R"({"type":"key","key":"C-c"})");
  auto cancelled = answered("^C");
  BOOST_TEST(cancelled.find("[y/N]") == std::string::npos, cancelled);
  input("help\r");
  auto after = answered("Commands");
  BOOST_TEST(after.find("Deploy eMBB on edge1") == std::string::npos, after); // gone
  BOOST_TEST(after.find("[y/N]") == std::string::npos, after);
  BOOST_TEST_MESSAGE("editing keys: Ctrl-A goes to the start");
  input("tatus\x01s\r");
  answered("Edge sites");
  BOOST_TEST_MESSAGE("Tab completes service types and sites in a sentence");
  input("Deploy URL\t");
  input("on edge04\r");
  auto asked = read_output_times(*a, "[y/N]", 1);
  BOOST_TEST(asked.find("URLLC") != std::string::npos, asked);
  input("n\r");
  answered("Nothing changed");
  // The lines are kept under the data dir, for the user only; the answer
  // to the question is not a command worth recalling.
  auto path = f.data + "/console-history";
  std::ifstream in{path};
  std::string history{std::istreambuf_iterator<char>{in}, {}};
  BOOST_TEST(history.find("status") != std::string::npos, history);
  BOOST_TEST(history.find("URLLC") != std::string::npos, history);
  BOOST_TEST(history.find("\nn\n") == std::string::npos, history);
  auto perms = std::filesystem::status(path).permissions();
  BOOST_TEST(
      ((perms & std::filesystem::perms::group_all) == std::filesystem::perms::none
       && (perms & std::filesystem::perms::others_all) == std::filesystem::perms::none));
  BOOST_TEST_MESSAGE("clear redraws the prompt");
  a->send_text(R"({"type":"clear"})");
  answered("");
}

namespace {

/// A viewer for the flood test: under ASan and a parallel test job, the first
/// screen can take many seconds while a flood runs.
std::unique_ptr<ws_client> patient_viewer(uint16_t port) {
  auto c = std::make_unique<ws_client>(port);
  c->read(30s); // connection
  read_until(
      *c, [](const std::string& m) { return json_at(m, {"snapshot"}) == "true"; }, 30s);
  return c;
}

} // namespace

BOOST_AUTO_TEST_CASE(output_keeps_streaming_after_floods_and_viewer_churn) {
  // Issue 15 #14: once, after floods and churn, output stopped reaching
  // viewers until a restart. Flood the pane (tmux pauses a control client
  // that falls behind; o2hub must resume it), churn viewers that read, stall
  // and leave meanwhile, and resize; then a new viewer must see new output.
  auto path = fresh_data_dir() + "-flood.yaml";
  std::ofstream{path}
      << "services:\n  bridge:\n    max_viewers: 8\n"
         "    command: [\"/bin/sh\", \"-c\", \"while read l; do if [ \\\"$l\\\" = "
         "flood ]; then yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 10000000; "
         "else echo \\\"got-$l\\\"; fi; done\"]\n";
  serve_fixture f{{}, {"-c", path}};
  std::filesystem::remove(path);
  for (int round = 0; round < 3; ++round) {
    auto op = patient_viewer(f.bridge);
    op->send_text(R"({"type":"command","content":"flood"})");
    std::vector<std::unique_ptr<ws_client>> stalled;
    auto until = std::chrono::steady_clock::now() + 3s;
    int churned = 0;
    while (std::chrono::steady_clock::now() < until) {
      // One that reads a little and leaves, one that never reads.
      try {
        ws_client quick{f.bridge};
        for (int i = 0; i < 3; ++i)
          quick.read(2s);
      } catch (const std::exception&) {
      }
      if (stalled.size() < 3) {
        try {
          stalled.push_back(std::make_unique<ws_client>(f.bridge));
        } catch (const std::exception&) {
        }
      }
      op->send_text_lenient(R"({"type":"resize","cols":)"
                            + std::to_string(80 + churned % 40) + R"(,"rows":24})");
      ++churned;
    }
    stalled.clear(); // they leave without a close
    // The flood is over once the shell answers the next line (seen on a new
    // viewer's screen: a viewer that lags is resynced from a snapshot).
    auto marker = "after-" + std::to_string(round);
    {
      // Typed without waiting for a screen: under ASan a new viewer's first
      // screen can take seconds while the flood runs.
      ws_client m{f.bridge};
      m.read(30s); // connection
      // The bridge may refuse it (session_unavailable while it asks tmux
      // for the pane again): a refusal is said, so it is typed again.
      for (int attempt = 0; attempt < 5; ++attempt) {
        m.send_text(R"({"type":"command","content":")" + marker + R"("})");
        // command_received comes first (from the session), a refusal after
        // it (from the bridge): an error within 3 s means not taken.
        std::string why;
        auto answer = try_read_until(
            m, [](const std::string& msg) { return type_of(msg) == "error"; }, 3s,
            nullptr, why);
        if (!answer)
          break;
        BOOST_TEST_MESSAGE(
            "round " << round << ": the marker was refused, typed again: " << *answer);
        std::this_thread::sleep_for(1s);
      }
    }
    bool over = false;
    std::string last_screen, last_why;
    for (int i = 0; i < 120 && !over; ++i) {
      try {
        ws_client c{f.bridge};
        c.read(10s); // connection
        std::string why;
        auto snap = try_read_until(
            c, [](const std::string& m) { return json_at(m, {"snapshot"}) == "true"; },
            15s, nullptr, why);
        if (snap)
          last_screen = json_at(*snap, {"content"});
        last_why = why;
        over = snap && last_screen.find("got-" + marker) != std::string::npos;
      } catch (const std::exception& e) {
        last_why = e.what();
      }
      if (!over)
        std::this_thread::sleep_for(1s);
    }
    // Seen once in ~14 runs (stop 24), not understood: what the screen and
    // the bridge said then.
    BOOST_TEST_REQUIRE(
        over, "round " << round << ": the flood never ended on screen; last "
                       << "screen:\n"
                       << last_screen.substr(0, 3000) << "\nlast read: " << last_why
                       << "\n/health: " << http_get(f.bridge, "/health").body << "\n"
                       << f.proc.tail(6000));
    // Then output streams again: typed now, it arrives as output.
    auto fresh = patient_viewer(f.bridge);
    auto probe = "probe-" + std::to_string(round);
    fresh->send_text(R"({"type":"command","content":")" + probe + R"("})");
    BOOST_TEST(saw_output_with(*fresh, "got-" + probe, 40s),
               "round " << round << ": no output after the flood\n"
                        << f.proc.output().substr(0, 6000));
    auto h = http_get(f.bridge, "/health").body;
    BOOST_TEST(json_at(h, {"session_active"}) == "true", h);
  }
}

BOOST_AUTO_TEST_CASE(a_token_added_at_restart_reaches_the_running_console) {
  // Issue 15 #13: the bridge re-attaches to the session of the previous run,
  // whose console lacked the new token, so every intent got a 401.
  auto ports = free_ports(3);
  auto data = fresh_data_dir();
  auto socket = "o2hub-it-tok-" + std::to_string(::getpid());
  auto args = std::vector<std::string>{o2hub::test::binary(), "serve",
                                       "--intent-port",       std::to_string(ports[0]),
                                       "--monitor-port",      std::to_string(ports[1]),
                                       "--bridge-port",       std::to_string(ports[2]),
                                       "--data-dir",          data,
                                       "--tmux-socket",       socket};
  {
    process first{args};
    BOOST_REQUIRE_MESSAGE(wait_healthy(ports[2], 20s), first.output());
    auto a = viewer(ports[2]);
    a->send_text(R"({"type":"command","content":"help"})");
    if (!saw_output_with(*a, "Commands", 5s)) {
      a = viewer(ports[2]);
      a->send_text(R"({"type":"command","content":"help"})");
      read_output_with(*a, "Commands");
    }
    first.signal(SIGTERM);
    BOOST_TEST(first.wait(10s).value_or(-1) == 0, first.tail());
  }
  // The token file is the user's alone, and holds no token yet.
  auto file = data + "/console-token";
  auto perms = std::filesystem::status(file).permissions() & std::filesystem::perms::all;
  BOOST_TEST(static_cast<unsigned>(perms) == 0600u);
  {
    process second{args, {{"O2HUB_TOKEN", "op-later"}}};
    BOOST_REQUIRE_MESSAGE(wait_healthy(ports[2], 20s), second.output());
    auto a = viewer(ports[2], "/ws?token=op-later");
    // The same console process as before (the session outlived o2hub).
    a->send_text(R"({"type":"command","content":"Deploy eMBB with 100 Mbps on edge01"})");
    auto asked = read_output_with(*a, "[y/N]"); // the dry run passed the token too
    BOOST_TEST(asked.find("401") == std::string::npos, asked);
    a->send_text(R"({"type":"command","content":"y"})");
    auto shown = read_output_with(*a, "intent created");
    BOOST_TEST(shown.find("401") == std::string::npos, shown);
    // The console's command line names the file, never the token.
    process ps{{"/usr/bin/env", "ps", "-eo", "args"}};
    ps.wait(5s);
    BOOST_TEST(ps.output().find("op-later") == std::string::npos);
    BOOST_TEST(ps.output().find("--token-file") != std::string::npos);
    second.signal(SIGTERM);
    BOOST_TEST(second.wait(10s).value_or(-1) == 0, second.tail());
  }
  process kill{{"/usr/bin/env", "tmux", "-L", socket, "kill-server"}};
  kill.wait(5s);
  std::filesystem::remove_all(data);
}

// Issue 14: `tmux_socket: default` is tmux's default server, which plain
// `tmux ls` sees (TMUX_TMPDIR keeps the test's server apart).
BOOST_AUTO_TEST_CASE(the_default_socket_is_visible_to_plain_tmux) {
  auto tmp = fresh_data_dir() + "-tmux";
  std::filesystem::create_directories(tmp);
  {
    serve_fixture f{{{"TMUX_TMPDIR", tmp}}, {"--tmux-socket", "default"}};
    auto a = viewer(f.bridge);
    process ls{{"/usr/bin/env", "TMUX_TMPDIR=" + tmp, "tmux", "ls"}};
    ls.wait(5s);
    BOOST_TEST(ls.output().find("claude-intent") != std::string::npos, ls.output());
  }
  process kill{{"/usr/bin/env", "TMUX_TMPDIR=" + tmp, "tmux", "kill-server"}};
  kill.wait(5s);
  std::filesystem::remove_all(tmp);
}

BOOST_AUTO_TEST_CASE(a_missing_llm_cli_falls_back_to_the_console) {
  auto path = fresh_data_dir() + "-cli.yaml";
  std::ofstream{path} << "llm:\n  backend: cli\n"
                         "  cli_argv: [\"/nonexistent/claude\", \"-p\", \"{prompt}\"]\n";
  serve_fixture f{{}, {"-c", path}};
  std::filesystem::remove(path);
  ws_client c{f.bridge};
  BOOST_TEST(type_of(c.read()) == "connection");
  // The console's banner arrives, in the first screen or just after it.
  std::string screen;
  read_until(c, [&](const std::string& m) {
    screen += json_at(m, {"content"});
    return screen.find("o2hub console") != std::string::npos;
  });
  BOOST_TEST(f.proc.output().find("the LLM CLI is not installed") != std::string::npos);
}

// Issue 15 #14: input typed while tmux was not reading its commands (a full
// stdin pipe: tmux busy with a flood, or stopped) was dropped without a word
// — and a command tmux took only half of restarted the connection, losing
// what was in flight. Now commands wait, in order, until tmux reads them,
// and every tagged one gets tmux's answer.
BOOST_AUTO_TEST_CASE(commands_wait_in_order_while_tmux_does_not_read) {
  auto socket = "o2hub-it-link-" + std::to_string(::getpid());
  auto file = fresh_data_dir() + "-typed";
  // Even when a check fails: no tmux server (stopped or not) is left behind.
  struct cleanup {
    std::string socket, file;
    pid_t server = -1;
    ~cleanup() {
      if (server > 0)
        ::kill(server, SIGCONT);
      kill_tmux_server(socket);
      std::filesystem::remove(file);
    }
  } done{socket, file};
  std::mutex m;
  std::condition_variable cv;
  bool up = false;
  std::vector<std::pair<uint64_t, bool>> answers;
  o2hub::tmux_options opts;
  opts.socket = socket;
  opts.session = "link";
  opts.command = {"/usr/bin/tee", file}; // what the pane reads, in a file
  o2hub::tmux_callbacks cbs;
  cbs.on_link = [&](bool now) {
    std::lock_guard<std::mutex> g{m};
    up = now;
    cv.notify_all();
  };
  cbs.on_reply = [&](uint64_t tag, bool ok, std::string) {
    std::lock_guard<std::mutex> g{m};
    answers.emplace_back(tag, ok);
    cv.notify_all();
  };
  auto link = std::make_unique<o2hub::tmux_link>(opts, cbs);
  link->start();
  {
    std::unique_lock<std::mutex> lock{m};
    BOOST_TEST_REQUIRE(cv.wait_for(lock, 20s, [&] { return up; }));
  }
  process pid_of{
      {"/usr/bin/env", "tmux", "-L", socket, "display-message", "-p", "#{pid}"}};
  BOOST_TEST_REQUIRE(pid_of.wait(10s).value_or(-1) == 0);
  auto server = static_cast<pid_t>(std::stoi(pid_of.output()));
  done.server = server;
  // The server reads the control client's stdin itself: stopped, it reads
  // nothing, and ~150 KB of commands is more than a pipe holds (64 KiB).
  BOOST_TEST_REQUIRE(::kill(server, SIGSTOP) == 0);
  const uint64_t count = 3000;
  std::string expected;
  bool all_taken = true;
  for (uint64_t i = 1; i <= count; ++i) {
    auto line = "line-" + std::to_string(i);
    expected += line + "\n";
    all_taken &= link->send(o2hub::tmux::send_bytes_command("link", line + "\r"), i);
  }
  std::this_thread::sleep_for(300ms);
  ::kill(server, SIGCONT);
  BOOST_TEST(all_taken);
  {
    std::unique_lock<std::mutex> lock{m};
    cv.wait_for(lock, 60s, [&] { return answers.size() >= count; });
    BOOST_TEST_REQUIRE(answers.size() == count);
    bool in_order = true, ok = true;
    for (uint64_t i = 0; i < count; ++i) {
      in_order &= answers[i].first == i + 1;
      ok &= answers[i].second;
    }
    BOOST_TEST(in_order);
    BOOST_TEST(ok);
  }
  // Every line reached the pane, whole and in order.
  std::string typed;
  for (int i = 0; i < 200 && typed.size() < expected.size(); ++i) {
    std::this_thread::sleep_for(50ms);
    std::ifstream in{file};
    typed.assign(std::istreambuf_iterator<char>{in}, {});
  }
  BOOST_TEST((typed == expected), typed.substr(0, 300) << " … " << typed.size() << " of "
                                                       << expected.size() << " bytes");
  // tmux dies with commands waiting: each still gets one answer, a failure
  // (and the process lives on: o2hub ignores SIGPIPE, as main() does).
  ::signal(SIGPIPE, SIG_IGN);
  BOOST_TEST_REQUIRE(::kill(server, SIGSTOP) == 0);
  for (uint64_t i = count + 1; i <= 2 * count; ++i)
    link->send(o2hub::tmux::send_bytes_command("link", "lost\r"), i);
  ::kill(server, SIGKILL);
  {
    std::unique_lock<std::mutex> lock{m};
    cv.wait_for(lock, 30s, [&] { return answers.size() >= 2 * count; });
    BOOST_TEST_REQUIRE(answers.size() == 2 * count);
    bool failed = true;
    for (uint64_t i = count; i < 2 * count; ++i)
      failed &= answers[i].first == i + 1 && !answers[i].second;
    BOOST_TEST(failed);
  }
  link.reset(); // detaches before `done` kills the server
}
