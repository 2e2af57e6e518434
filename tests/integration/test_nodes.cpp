// Nodes whose hub does not answer (no root needed; the namespaces test has
// the rest). A listener with a full accept queue drops every further SYN,
// as a host that is down or a firewall that drops does: CAF 0.17's blocking
// connect then waits ~2 minutes. The node connector answers after 4 s with
// the reason (a probe says it: io/node_connector.hpp), and a stop while
// CAF's connect waits ends within 5 s (common/exit_deadline.hpp). A
// listener that accepts and never speaks: the agent says what is wrong.
#define BOOST_TEST_MODULE nodes
#include "io/node_connector.hpp"
#include "support/client.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/serve.hpp"

#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace o2hub::test;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;

/// A loopback listener with an accept queue of `backlog`; its address.
int loopback_listener(int backlog, sockaddr_in& a) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  a = sockaddr_in{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  BOOST_REQUIRE(::listen(fd, backlog) == 0);
  BOOST_REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  return fd;
}

/// A loopback listener that never accepts, its queue filled: SYNs to it get
/// no answer.
struct unanswering_listener {
  int fd = -1;
  uint16_t port = 0;
  std::vector<int> fillers;

  unanswering_listener() {
    sockaddr_in a{};
    fd = loopback_listener(0, a);
    port = ntohs(a.sin_port);
    for (int i = 0; i < 3; ++i) {
      int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      ::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a);
      fillers.push_back(c);
    }
    std::this_thread::sleep_for(100ms); // the queue fills
  }
  ~unanswering_listener() {
    for (int c : fillers)
      ::close(c);
    ::close(fd);
  }
};

/// A loopback listener that accepts every connection and never says a word.
struct silent_acceptor {
  int fd = -1;
  uint16_t port = 0;
  std::vector<int> accepted;
  std::thread thread;

  silent_acceptor() {
    sockaddr_in a{};
    fd = loopback_listener(16, a);
    port = ntohs(a.sin_port);
    thread = std::thread{[this] {
      for (int c; (c = ::accept(fd, nullptr, nullptr)) >= 0;)
        accepted.push_back(c);
    }};
  }
  ~silent_acceptor() {
    ::shutdown(fd, SHUT_RDWR); // ends the accept
    thread.join();
    for (int c : accepted)
      ::close(c);
    ::close(fd);
  }
};

std::string write_config(const std::string& dir, uint16_t edge_port) {
  std::filesystem::create_directories(dir);
  auto path = dir + "/o2hub.yaml";
  std::ofstream out{path};
  out << "edge_sites:\n  edge01: {ip: 127.0.0.1, ports: {o2ims: " << edge_port
      << ", prometheus: " << edge_port << ", k8s_api: " << edge_port << "}}\n";
  return path;
}

double seconds_since(steady::time_point t0) {
  return std::chrono::duration<double>(steady::now() - t0).count();
}

/// An agent for site edge01 whose hub is at loopback `hub_port`.
process agent_for(uint16_t hub_port, const std::string& dir) {
  auto cfg = write_config(dir, free_port());
  return process({binary(), "agent", "-c", cfg, "--site", "edge01", "--hub",
                  "127.0.0.1:" + std::to_string(hub_port), "--data-dir", dir + "/data"});
}

/// Whether `p` logs `text` within `limit`.
bool logs_within(process& p, const std::string& text, std::chrono::seconds limit) {
  return eventually(limit, [&] { return p.output().find(text) != std::string::npos; });
}

/// Sends SIGTERM; checks that `p` exits with 0 within `limit` seconds (else
/// kills it).
void stops_within(process& p, double limit) {
  auto t0 = steady::now();
  p.signal(SIGTERM);
  auto code = p.wait(20s);
  BOOST_TEST(code.has_value(), p.tail() << p.stacks());
  auto took = seconds_since(t0);
  BOOST_TEST_MESSAGE("stopped " << took << " s after SIGTERM");
  BOOST_TEST(took < limit, p.tail());
  if (code)
    BOOST_TEST(*code == 0, p.tail());
  else
    p.signal(SIGKILL);
}

} // namespace

BOOST_AUTO_TEST_CASE(a_tcp_probe_says_why_within_its_time_limit) {
  unanswering_listener silent;
  auto t0 = steady::now();
  auto why = o2hub::tcp_probe("127.0.0.1", silent.port, 300ms);
  BOOST_TEST(why == "no answer within 300 ms");
  BOOST_TEST(seconds_since(t0) < 1.5);

  auto closed = free_port();
  why = o2hub::tcp_probe("127.0.0.1", closed, 2000ms);
  BOOST_TEST(why == "Connection refused");

  // A listener that accepts (its queue has room): the probe opens and closes.
  sockaddr_in a{};
  int open_fd = loopback_listener(16, a);
  BOOST_TEST(o2hub::tcp_probe("127.0.0.1", ntohs(a.sin_port), 2000ms).empty());
  ::close(open_fd);

  why = o2hub::tcp_probe("no-such-host.invalid", 4242, 2000ms);
  BOOST_TEST(why.rfind("cannot resolve 'no-such-host.invalid'", 0) == 0, why);
}

BOOST_AUTO_TEST_CASE(an_agent_whose_hub_does_not_answer_says_why_and_stops) {
  unanswering_listener hub;
  auto dir = fresh_data_dir();
  auto agent = agent_for(hub.port, dir);
  // CAF's connect did not finish within 4 s; a probe of 2 s says why.
  BOOST_TEST(
      logs_within(agent,
                  "no node connection within 4000 ms; a probe: no answer within 2000 ms",
                  15s),
      agent.tail());
  BOOST_TEST(agent.output().find("\"cannot reach the hub\"") != std::string::npos,
             agent.tail());
  // Told to stop while CAF's middleman sits in connect(2), which has no
  // time limit (~2 minutes here, and for ever when it ends after the
  // middleman's broker stopped): the stop's last step has 5 s.
  std::this_thread::sleep_for(1500ms);
  stops_within(agent, 7.0);
  BOOST_TEST(agent.output().find("the stop did not finish in time") != std::string::npos,
             agent.tail());
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(an_intent_service_whose_hub_does_not_answer_refuses_and_stops) {
  unanswering_listener hub;
  auto dir = fresh_data_dir();
  auto cfg = write_config(dir, free_port());
  auto port = free_port();
  process intent({binary(), "intent", "-c", cfg, "--port", std::to_string(port),
                  "--data-dir", dir + "/data", "--hub",
                  "127.0.0.1:" + std::to_string(hub.port)});
  BOOST_REQUIRE_MESSAGE(wait_healthy(port, 20s), intent.tail());
  auto t0 = steady::now();
  auto r =
      http_request(port, "POST", "/api/v1/intent", R"({"text":"Deploy eMBB on edge01"})",
                   {{"Content-Type", "application/json"}});
  // The pipeline cannot start: said in the answer, after CAF's 4 s and the
  // probe's 2 s.
  BOOST_TEST(r.body.find("cannot reach the hub") != std::string::npos, r.body);
  BOOST_TEST(
      r.body.find("no node connection within 4000 ms; a probe: no answer within 2000 ms")
          != std::string::npos,
      r.body);
  BOOST_TEST(seconds_since(t0) < 9.0);
  // Stopped while the next start's connect is pending (after the second
  // for which a failure is given again without a new probe).
  std::this_thread::sleep_for(1200ms);
  std::thread later{[port] {
    http_request(port, "POST", "/api/v1/intent", R"({"text":"Deploy eMBB on edge01"})",
                 {{"Content-Type", "application/json"}});
  }};
  std::this_thread::sleep_for(1000ms);
  stops_within(intent, 7.0);
  BOOST_TEST(intent.output().find("the stop did not finish in time") != std::string::npos,
             intent.tail());
  later.join();
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(an_agent_whose_hub_accepts_but_never_answers_says_so) {
  // Another service on the hub's port, or a hub with TLS and an agent
  // without: the connection opens, the node handshake never comes.
  silent_acceptor hub;
  auto dir = fresh_data_dir();
  auto agent = agent_for(hub.port, dir);
  // CAF's 4 s, then the probe.
  BOOST_TEST(logs_within(agent, "never completed the node handshake", 15s), agent.tail());
  BOOST_TEST(agent.output().find("\"cannot reach the hub\"") != std::string::npos,
             agent.tail());
  stops_within(agent, 7.0);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(an_agent_whose_hub_port_is_closed_says_refused) {
  auto dir = fresh_data_dir();
  auto agent = agent_for(free_port(), dir);
  BOOST_TEST(logs_within(agent, ": Connection refused", 10s), agent.tail());
  stops_within(agent, 2.5);
  std::filesystem::remove_all(dir);
}
