// The floor under a small HTTP request (issue 16): what one keep-alive
// request and its answer cost on this machine with no o2hub in the way. A
// minimal HTTP/1.1 responder: T threads, each with its own SO_REUSEPORT
// listener and epoll loop; per readable connection one read, the requests in
// it found by their header end and Content-Length (no other parsing), one
// write of a fixed answer per request. The whole answer (status line,
// headers, body) is read from a file, so it can be byte for byte what o2hub
// answers (`curl -si` writes it so). Runs until SIGTERM or
// SIGINT; bench/run-request-floor.sh measures its CPU from /proc as it
// measures o2hub's.
// Usage: bench_httpfloor <port> <answer file> [threads (2)]
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace {

std::atomic<bool> stopping{false};

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

/// The value of Content-Length in a request's header block (0 when absent).
size_t content_length(std::string_view head) {
  static constexpr std::string_view name = "content-length:";
  for (size_t line = head.find("\r\n"); line != std::string_view::npos;
       line = head.find("\r\n", line + 2)) {
    auto rest = head.substr(line + 2);
    if (rest.size() < name.size())
      break;
    bool same = std::equal(name.begin(), name.end(), rest.begin(), [](char a, char b) {
      return a == (b >= 'A' && b <= 'Z' ? char(b - 'A' + 'a') : b);
    });
    if (same)
      return size_t(std::strtoul(rest.data() + name.size(), nullptr, 10));
  }
  return 0;
}

/// Writes all of `out`; waits for room when the socket is full.
bool send_all(int fd, const std::string& out) {
  size_t done = 0;
  while (done < out.size()) {
    auto n = ::send(fd, out.data() + done, out.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += size_t(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 1000);
    } else {
      return false;
    }
  }
  return true;
}

int listener(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
      || listen(fd, 4096) != 0)
    die("listen");
  return fd;
}

void serve(uint16_t port, const std::string& answer) {
  int lfd = listener(port);
  int ep = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = lfd;
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  std::unordered_map<int, std::string> pending; // bytes of unfinished requests
  std::vector<epoll_event> events(256);
  std::vector<char> buf(64 * 1024);
  std::string out;
  while (!stopping) {
    int k = epoll_wait(ep, events.data(), int(events.size()), 200);
    for (int e = 0; e < k; ++e) {
      int fd = events[size_t(e)].data.fd;
      if (fd == lfd) {
        for (int c; (c = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK)) >= 0;) {
          int one = 1;
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = c;
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
          pending[c];
        }
        continue;
      }
      auto n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EAGAIN)
        continue;
      auto& in = pending[fd];
      if (n <= 0) {
        pending.erase(fd);
        ::close(fd); // also leaves the epoll set
        continue;
      }
      in.append(buf.data(), size_t(n));
      out.clear();
      for (;;) {
        auto end = in.find("\r\n\r\n");
        if (end == std::string::npos)
          break;
        auto whole = end + 4 + content_length(std::string_view{in}.substr(0, end + 2));
        if (in.size() < whole)
          break;
        in.erase(0, whole);
        out += answer;
      }
      if (!out.empty() && !send_all(fd, out)) {
        pending.erase(fd);
        ::close(fd);
      }
    }
  }
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_httpfloor <port> <answer file> [threads]\n");
    return 2;
  }
  auto port = uint16_t(std::atoi(argv[1]));
  std::ifstream file{argv[2], std::ios::binary};
  if (!file)
    die(argv[2]);
  std::ostringstream text;
  text << file.rdbuf();
  auto answer = text.str();
  if (answer.compare(0, 5, "HTTP/") != 0
      || answer.find("\r\n\r\n") == std::string::npos) {
    std::fprintf(stderr, "%s: not a whole HTTP response\n", argv[2]);
    return 2;
  }
  int threads = argc > 3 ? std::max(1, std::atoi(argv[3])) : 2;
  struct sigaction sa {};
  sa.sa_handler = [](int) { stopping = true; };
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] { serve(port, answer); });
  for (auto& t : pool)
    t.join();
  return 0;
}
