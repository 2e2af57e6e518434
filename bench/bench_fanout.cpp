// Fan-out of the monitor's WebSocket (issue 4): N clients connect to
// ws://127.0.0.1:<port>/ws, one stage update is posted, and the time until
// each client has it is measured. Prints p50/p99/max, the monitor's RSS
// per connection and the server's CPU per delivered message (from
// /proc/<pid>/stat, between each post and its last delivery).
// Usage: bench_fanout <port> <clients> <server pid> [rounds (1)]
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

long rss_kib(int pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

/// User and system CPU time of `pid`, in microseconds.
struct cpu_times {
  double user = 0;
  double system = 0;
  double total() const { return user + system; }
};

cpu_times cpu_us(int pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
  std::string all{std::istreambuf_iterator<char>{in}, {}};
  auto close = all.rfind(')');
  if (close == std::string::npos)
    return {};
  std::istringstream fields{all.substr(close + 2)};
  std::string f;
  cpu_times t;
  auto us = [](const std::string& ticks) {
    return std::stod(ticks) * 1e6 / double(sysconf(_SC_CLK_TCK));
  };
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14)
      t.user = us(f);
    else if (i == 15)
      t.system = us(f);
  }
  return t;
}

/// Frames every client received (all types), for CPU per written frame.
size_t frames_received = 0;
/// The size of the last update frame a client received (for bench_sendfloor).
size_t update_bytes = 0;

struct client : std::enable_shared_from_this<client> {
  websocket::stream<beast::tcp_stream, false> ws;
  beast::flat_buffer buf;
  bool ready = false;
  clock_type::time_point got{};
  const std::string* marker = nullptr;
  int* connected = nullptr;

  explicit client(net::io_context& ioc) : ws(ioc) {}

  void start(tcp::endpoint ep) {
    beast::get_lowest_layer(ws).async_connect(
        ep, [self = shared_from_this()](beast::error_code ec) {
          if (ec)
            return;
          self->ws.async_handshake("127.0.0.1", "/ws", [self](beast::error_code ec2) {
            if (ec2)
              return;
            self->read();
          });
        });
  }

  void read() {
    ws.async_read(buf, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec)
        return;
      auto text = beast::buffers_to_string(self->buf.data());
      self->buf.consume(self->buf.size());
      ++frames_received;
      if (!self->ready && text.find("initial_state") != std::string::npos) {
        self->ready = true;
        ++*self->connected;
      } else if (text.find(*self->marker) != std::string::npos) {
        self->got = clock_type::now();
        update_bytes = text.size();
      }
      self->read();
    });
  }
};

} // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_fanout <port> <clients> <o2hub pid>\n");
    return 2;
  }
  auto port = static_cast<unsigned short>(std::stoi(argv[1]));
  int n = std::stoi(argv[2]);
  int pid = std::stoi(argv[3]);
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max; // as many descriptors as allowed
  setrlimit(RLIMIT_NOFILE, &lim);
  net::io_context ioc;
  tcp::endpoint ep{net::ip::make_address("127.0.0.1"), port};
  std::string marker =
      "fanout-" + std::to_string(clock_type::now().time_since_epoch().count());
  int connected = 0;
  long rss_before = rss_kib(pid);
  std::vector<std::shared_ptr<client>> clients;
  for (int i = 0; i < n; ++i) {
    auto c = std::make_shared<client>(ioc);
    c->marker = &marker;
    c->connected = &connected;
    clients.push_back(c);
    c->start(ep);
    if (i % 200 == 199)
      ioc.run_for(std::chrono::milliseconds(50)); // pace the handshakes
  }
  auto deadline = clock_type::now() + std::chrono::seconds(120);
  while (connected < n && clock_type::now() < deadline)
    ioc.run_for(std::chrono::milliseconds(100));
  long rss_idle = rss_kib(pid);
  std::printf("clients connected: %d of %d\n", connected, n);
  std::printf("o2hub RSS: %ld KiB before, %ld KiB with the clients idle: %.1f KiB per "
              "connection\n",
              rss_before, rss_idle,
              connected ? double(rss_idle - rss_before) / connected : 0.0);
  // Stage updates, one at a time, posted over plain HTTP.
  int rounds = argc > 4 ? std::max(1, std::stoi(argv[4])) : 1;
  std::vector<double> p50s, p99s;
  cpu_times cpu;
  double own = 0; // this client's CPU, microseconds
  size_t delivered = 0;
  size_t frames = 0;
  for (int round = 0; round < rounds; ++round) {
    marker = "fanout-" + std::to_string(clock_type::now().time_since_epoch().count());
    for (auto& c : clients)
      c->got = {};
    tcp::socket http{ioc};
    http.connect(ep);
    beast::http::request<beast::http::string_body> req{
        beast::http::verb::post,
        "/api/v1/pipeline/start?intent_id=" + marker + "&intent_text=fanout", 11};
    req.set(beast::http::field::host, "127.0.0.1");
    req.prepare_payload();
    auto cpu_before = cpu_us(pid);
    auto own_before = cpu_us(int(getpid()));
    auto frames_before = frames_received;
    auto sent = clock_type::now();
    beast::http::write(http, req);
    deadline = clock_type::now() + std::chrono::seconds(60);
    auto done = [&] {
      return std::all_of(clients.begin(), clients.end(), [](auto& c) {
        return !c->ready || c->got != clock_type::time_point{};
      });
    };
    while (!done() && clock_type::now() < deadline)
      ioc.run_for(std::chrono::milliseconds(5));
    auto cpu_after = cpu_us(pid);
    auto own_after = cpu_us(int(getpid()));
    own += own_after.total() - own_before.total();
    cpu.user += cpu_after.user - cpu_before.user;
    cpu.system += cpu_after.system - cpu_before.system;
    frames += frames_received - frames_before;
    std::vector<double> ms;
    for (auto& c : clients)
      if (c->ready && c->got != clock_type::time_point{})
        ms.push_back(std::chrono::duration<double, std::milli>(c->got - sent).count());
    std::sort(ms.begin(), ms.end());
    if (ms.empty()) {
      std::printf("no client got the update\n");
      return 1;
    }
    auto pct = [&](double p) {
      return ms[std::min(ms.size() - 1, size_t(p * double(ms.size())))];
    };
    std::printf(
        "update %d delivered to %zu clients: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
        round + 1, ms.size(), pct(0.5), pct(0.99), ms.back());
    p50s.push_back(pct(0.5));
    p99s.push_back(pct(0.99));
    delivered += ms.size();
    ioc.run_for(std::chrono::milliseconds(200)); // the answer, other messages
  }
  std::sort(p50s.begin(), p50s.end());
  std::sort(p99s.begin(), p99s.end());
  std::printf(
      "median of %d updates (%zu-byte payload): p50 %.1f ms, p99 %.1f ms; server CPU "
      "per delivered message %.2f us (user %.2f, system %.2f); %.2f frames per "
      "client and update, %.2f us per frame; this client's CPU per message %.2f "
      "us\n",
      rounds, update_bytes, p50s[p50s.size() / 2], p99s[p99s.size() / 2],
      delivered ? cpu.total() / double(delivered) : 0.0,
      delivered ? cpu.user / double(delivered) : 0.0,
      delivered ? cpu.system / double(delivered) : 0.0,
      delivered ? double(frames) / double(delivered) : 0.0,
      frames ? cpu.total() / double(frames) : 0.0,
      delivered ? own / double(delivered) : 0.0);
  return 0;
}
