// The LLM backends for real: the real o2hub runs a fake CLI (a program, no
// shell) and talks to a local OpenAI-compatible HTTP server; every failure
// falls back to the rules.
#define BOOST_TEST_MODULE llm_backends
#include "config/config.hpp"
#include "io/http.hpp"
#include "io/security.hpp"
#include "io/server.hpp"
#include "support/client.hpp"
#include "support/json_query.hpp"
#include "support/paths.hpp"
#include "support/serve.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

using namespace o2hub::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::string> json_type{{"Content-Type", "application/json"}};

std::string temp_dir(const std::string& name) {
  auto dir = fs::temp_directory_path()
             / ("o2hub-llm-" + name + "-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir.string();
}

std::string write_config(const std::string& dir, const std::string& yaml) {
  auto path = dir + "/o2hub.yaml";
  std::ofstream{path} << yaml;
  return path;
}

/// The CLI backend on the fake CLI, with `llm_extra` (lines under `llm:`);
/// the bridge's pane runs `cat`, not the CLI.
std::string cli_config(const std::string& llm_extra) {
  return "services:\n  bridge:\n    command: [\"cat\"]\n"
         "llm:\n  backend: cli\n"
         + llm_extra + "  cli_argv: [\"" + o2hub::test::fake_llm_cli()
         + "\", \"-p\", \"{prompt}\", \"--output-format\", \"json\"]\n";
}

http_result ask(uint16_t port, const std::string& text) {
  return http_request(port, "POST", "/api/v1/intent", R"({"text":")" + text + R"("})",
                      json_type);
}

std::string proc_stat(pid_t pid) {
  std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
  std::string line;
  std::getline(stat, line);
  return line.substr(0, 60);
}

/// Running (a zombie waiting for a reaper counts as gone).
bool alive(pid_t pid) {
  if (::kill(pid, 0) != 0)
    return false;
  std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
  std::string pid_field, comm, state;
  stat >> pid_field >> comm >> state;
  return state != "Z";
}

} // namespace

BOOST_AUTO_TEST_CASE(cli_backend_answers_and_falls_back) {
  auto dir = temp_dir("cli");
  // The bridge's pane would run the CLI too (as it runs `claude`); keep it
  // out of the call counts.
  auto cfg = write_config(dir, cli_config("  timeout_s: 2\n"));
  auto calls = dir + "/calls";
  auto pidfile = dir + "/pids";
  serve_fixture hub{{{"FAKE_LLM_CALLS", calls}, {"FAKE_LLM_PIDFILE", pidfile}},
                    {"--config", cfg}};
  auto good = ask(hub.intent, "MODE_GOOD deploy something");
  BOOST_TEST_REQUIRE(good.status == 200u, good.body);
  BOOST_TEST(json_at(good.body, {"metadata", "engine"}) == "llm");
  BOOST_TEST(json_at(good.body, {"metadata", "fallback"}) == "false");
  BOOST_TEST(json_at(good.body, {"intent", "intentType"}) == "URLLC");
  BOOST_TEST(json_at(good.body, {"intent", "targetSites"}) == R"(["edge2"])");
  BOOST_TEST(json_at(good.body, {"intent", "serviceProfile", "latency"}) == "3ms");
  BOOST_TEST(json_at(good.body, {"intent", "priority"}) == "9");
  ws_client ws{hub.intent};
  ws.send_text(R"({"type":"intent","id":"w","text":"MODE_GOOD over the socket"})");
  BOOST_TEST(json_at(ws.read(), {"stage"}) == "llm_processing");
  BOOST_TEST(json_at(ws.read(10s), {"metadata", "engine"}) == "llm");
  auto cached = ask(hub.intent, "MODE_GOOD deploy something");
  BOOST_TEST(json_at(cached.body, {"metadata", "cached"}) == "true");
  auto fenced = ask(hub.intent, "MODE_FENCED deploy");
  BOOST_TEST(json_at(fenced.body, {"metadata", "engine"}) == "llm");
  BOOST_TEST(json_at(fenced.body, {"intent", "serviceProfile", "bandwidth"}) == "75Mbps");
  struct fallback_case {
    const char* text;
    const char* reason_part;
  };
  for (auto c : {fallback_case{"MODE_GARBAGE video on edge1", "JSON"},
                 fallback_case{"MODE_BADSITE video on edge1", "edge42"},
                 fallback_case{"MODE_EVENT video on edge1", "system"},
                 fallback_case{"MODE_EXIT video on edge1", "code 3"}}) {
    BOOST_TEST_CONTEXT(c.text) {
      auto res = ask(hub.intent, c.text);
      BOOST_TEST_REQUIRE(res.status == 200u, res.body);
      BOOST_TEST(json_at(res.body, {"metadata", "engine"}) == "rules");
      BOOST_TEST(json_at(res.body, {"metadata", "fallback"}) == "true");
      BOOST_TEST(json_at(res.body, {"metadata", "fallbackReason"}).find(c.reason_part)
                     != std::string::npos,
                 json_at(res.body, {"metadata", "fallbackReason"}));
      // The rules understood the sentence.
      BOOST_TEST(json_at(res.body, {"intent", "intentType"}) == "eMBB");
      BOOST_TEST(json_at(res.body, {"intent", "targetSites"}) == R"(["edge1"])");
    }
  }
  auto health = http_get(hub.intent, "/health");
  BOOST_TEST(json_at(health.body, {"llm"}) == "degraded");
  // A hanging CLI is killed with everything it started, after the timeout.
  auto start = std::chrono::steady_clock::now();
  auto hang = ask(hub.intent, "MODE_HANG eMBB on edge3");
  auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST_REQUIRE(hang.status == 200u, hang.body);
  BOOST_TEST(json_at(hang.body, {"metadata", "fallback"}) == "true");
  BOOST_TEST(json_at(hang.body, {"metadata", "fallbackReason"}).find("2 s")
             != std::string::npos);
  BOOST_TEST((took < 10s));
  pid_t cli = 0;
  pid_t child = 0;
  std::ifstream{pidfile} >> cli >> child;
  BOOST_TEST_REQUIRE(cli > 0);
  BOOST_TEST_REQUIRE(child > 0);
  for (int i = 0; i < 50 && (alive(cli) || alive(child)); ++i)
    std::this_thread::sleep_for(20ms); // SIGKILL was sent; let the kernel finish
  BOOST_TEST(!alive(cli), "the CLI survived its timeout");
  BOOST_TEST(!alive(child), "the CLI's child survived the timeout: " << proc_stat(child));
  // Good answers again: healthy.
  ask(hub.intent, "MODE_GOOD another one");
  BOOST_TEST(json_at(http_get(hub.intent, "/health").body, {"llm"}) == "healthy");
  auto metrics = http_get(hub.intent, "/metrics").body;
  BOOST_TEST(metrics.find("o2hub_intent_answers_total{engine=\"llm\"} 4")
                 != std::string::npos,
             metrics);
  hub.proc.signal(SIGTERM);
  BOOST_TEST(hub.proc.wait(5s).value_or(-1) == 0, hub.proc.tail());
  fs::remove_all(dir);
}

namespace {

/// A local OpenAI-compatible endpoint: answers by the MODE_ marker in the
/// prompt; records the Authorization header it saw.
struct fake_openai {
  fake_openai() {
    auto policy =
        std::make_shared<o2hub::security_policy>("", "", o2hub::security_config{});
    auto router = std::make_shared<o2hub::http::router>(policy);
    router->add(
        o2hub::http::verb::post, "/v1/chat/completions",
        [this](const o2hub::http::request& req, const o2hub::http::request_context&,
               o2hub::http::responder respond) {
          auth = std::string{req[boost::beast::http::field::authorization]};
          const auto& body = req.body();
          auto reply = [&](std::string content) {
            std::string esc;
            for (char c : content) {
              if (c == '"' || c == '\\')
                esc += '\\';
              esc += c;
            }
            respond(o2hub::http::make_json(
                req, o2hub::http::status::ok,
                R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":")"
                    + esc + R"("},"finish_reason":"stop"}]})"));
          };
          if (body.find("MODE_GOOD") != std::string::npos)
            reply(R"({"intentType":"mMTC","targetSites":["edge4"],"deviceCount":1234})");
          else if (body.find("MODE_500") != std::string::npos)
            respond(o2hub::http::make_error(
                req, o2hub::http::status::internal_server_error, "boom", "boom"));
          else if (body.find("MODE_SLOW") != std::string::npos) {
            auto proto = std::make_shared<o2hub::http::request>();
            proto->version(11);
            // Joined before the io_context goes: the responder owns the
            // connection.
            slow.emplace_back([respond, proto] {
              std::this_thread::sleep_for(4s);
              respond(o2hub::http::make_json(*proto, o2hub::http::status::ok, "{}"));
            });
          } else
            reply("no json at all");
        });
    srv = std::make_unique<o2hub::server>(ioc, router, o2hub::server_options{});
    auto err = srv->listen("127.0.0.1", 0);
    BOOST_REQUIRE_MESSAGE(err.empty(), err);
    port = srv->port();
    thread = std::thread([this] { ioc.run(); });
  }
  ~fake_openai() {
    srv->shutdown();
    ioc.stop();
    thread.join();
    for (auto& t : slow)
      t.join();
  }
  boost::asio::io_context ioc;
  std::unique_ptr<o2hub::server> srv;
  std::thread thread;
  /// Slow answers (on the io thread only).
  std::vector<std::thread> slow;
  uint16_t port = 0;
  std::string auth;
};

} // namespace

BOOST_AUTO_TEST_CASE(http_backend_answers_and_falls_back) {
  fake_openai llm;
  auto dir = temp_dir("http");
  auto cfg =
      write_config(dir, "llm:\n  backend: http\n  timeout_s: 2\n  model: test-model\n"
                        "  endpoint: http://127.0.0.1:"
                            + std::to_string(llm.port) + "/\n");
  serve_fixture hub{{{"O2HUB_LLM_API_KEY", "sk-test-secret"}}, {"--config", cfg}};
  auto good = ask(hub.intent, "MODE_GOOD sensors");
  BOOST_TEST_REQUIRE(good.status == 200u, good.body);
  BOOST_TEST(json_at(good.body, {"metadata", "engine"}) == "llm");
  BOOST_TEST(json_at(good.body, {"intent", "intentType"}) == "mMTC");
  BOOST_TEST(json_at(good.body, {"intent", "serviceProfile", "deviceCount"}) == "1234");
  BOOST_TEST(llm.auth == "Bearer sk-test-secret");
  for (auto text : {"MODE_500 video on edge2", "MODE_SLOW video on edge2",
                    "MODE_NOJSON video on edge2"}) {
    auto res = ask(hub.intent, text);
    BOOST_TEST_REQUIRE(res.status == 200u, res.body);
    BOOST_TEST(json_at(res.body, {"metadata", "fallback"}) == "true", text);
    BOOST_TEST(json_at(res.body, {"intent", "targetSites"}) == R"(["edge2"])");
  }
  hub.proc.signal(SIGTERM);
  BOOST_TEST(hub.proc.wait(5s).value_or(-1) == 0, hub.proc.tail());
  BOOST_TEST(hub.proc.output().find("sk-test-secret") == std::string::npos);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(dangerous_cli_flags_are_refused) {
  auto dir = temp_dir("danger");
  auto cfg =
      write_config(dir, "llm:\n  backend: cli\n  cli_argv: [claude, -p, \"{prompt}\", "
                        "--dangerously-skip-permissions]\n");
  process p{{o2hub::test::binary(), "serve", "--config", cfg}};
  BOOST_TEST(p.wait(5s).value_or(-1) == 2);
  BOOST_TEST(p.output().find("never allowed") != std::string::npos, p.output());
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(sigterm_with_requests_in_flight_exits_cleanly) {
  // Stop 22: at shutdown an HTTP connection, owned by the callback of a
  // request still open in an asker actor, was freed after the io_context
  // (heap-use-after-free under ASan, exit 1). Now nothing an actor holds
  // owns an Asio object, and the askers are gone before the io_context.
  auto dir = temp_dir("inflight");
  auto cfg = write_config(dir, cli_config("  timeout_s: 30\n  cache_size: 0\n"));
  serve_fixture hub{{}, {"--config", cfg}};
  // Requests that wait on a CLI that never answers: REST and WebSocket.
  std::vector<std::thread> posts;
  for (int i = 0; i < 4; ++i)
    posts.emplace_back([&hub, i] {
      try {
        ask(hub.intent, "MODE_HANG eMBB on edge3, request " + std::to_string(i));
      } catch (const std::exception&) {
        // the connection closes at shutdown
      }
    });
  ws_client intent_ws{hub.intent};
  intent_ws.send_text(R"({"type":"intent","id":"w","text":"MODE_HANG over the socket"})");
  ws_client dashboard{hub.monitor};
  ws_client terminal{hub.bridge};
  std::this_thread::sleep_for(1s); // every request is with an actor now
  hub.proc.signal(SIGTERM);
  BOOST_TEST(hub.proc.wait(15s).value_or(-1) == 0, hub.proc.tail());
  BOOST_TEST(hub.proc.output().find("AddressSanitizer") == std::string::npos);
  for (auto& t : posts)
    t.join();
  fs::remove_all(dir);
}
