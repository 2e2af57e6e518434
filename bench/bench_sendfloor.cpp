// The floor under the monitor's fan-out (issue 16): what one TCP write per
// client per event costs on this machine with no o2hub in the way. N
// loopback connections; a child process reads them all with one epoll
// thread (as bench_fanout does); this process writes one WebSocket text frame
// of the given size to each of them with one writev per client (header and
// payload, as Beast does), spread over T threads (as `http.threads`). Prints
// the time until every client had the frame (p50/p99/max) and the CPU per
// message on both sides, split into user and system time.
// Usage: bench_sendfloor <clients> [rounds (5)] [frame bytes (300)] [threads (2)]
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct cpu_times {
  double user = 0;
  double system = 0;
};

cpu_times own_cpu_us() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto us = [](timeval t) { return double(t.tv_sec) * 1e6 + double(t.tv_usec); };
  return {us(ru.ru_utime), us(ru.ru_stime)};
}

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

/// Moves all `size` bytes at `p` with `op` (a write or a read).
template <class Op>
void all_of(Op op, const char* what, int fd, char* p, size_t size) {
  while (size > 0) {
    auto n = op(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      die(what);
    p += n;
    size -= size_t(n);
  }
}

void write_all(int fd, const void* data, size_t size) {
  all_of([](int f, char* p, size_t n) { return ::write(f, p, n); }, "write", fd,
         const_cast<char*>(static_cast<const char*>(data)), size);
}

void read_all(int fd, void* data, size_t size) {
  all_of([](int f, char* p, size_t n) { return ::read(f, p, n); }, "read", fd,
         static_cast<char*>(data), size);
}

/// What the reading process tells after each round: arrival times (steady
/// clock, shared by both processes) and its CPU time for the round.
struct round_report {
  int64_t p50 = 0;
  int64_t p99 = 0;
  int64_t max = 0;
  double user_us = 0;
  double system_us = 0;
};

/// The reading side: connects `n` sockets, then reads whole frames of
/// `frame` bytes from all of them, round after round.
[[noreturn]] void reader(uint16_t port, int n, int rounds, size_t frame, int ready_fd,
                         int report_fd) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int ep = epoll_create1(0);
  std::vector<int> fds(size_t(n), -1);
  for (int i = 0; i < n; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = uint32_t(i);
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
      die("epoll_ctl");
    fds[size_t(i)] = fd;
  }
  char ok = 'R';
  write_all(ready_fd, &ok, 1);
  std::vector<size_t> have(size_t(n), 0);
  std::vector<int64_t> arrived(size_t(n), 0);
  std::vector<char> buf(64 * 1024);
  std::vector<epoll_event> events(1024);
  auto cpu_before = own_cpu_us();
  for (int round = 0; round < rounds; ++round) {
    int done = 0;
    while (done < n) {
      int k = epoll_wait(ep, events.data(), int(events.size()), -1);
      if (k < 0 && errno == EINTR)
        continue;
      if (k < 0)
        die("epoll_wait");
      for (int e = 0; e < k; ++e) {
        auto i = events[size_t(e)].data.u32;
        auto got = ::read(fds[i], buf.data(), buf.size());
        if (got <= 0)
          die("read from a client socket");
        have[i] += size_t(got);
        if (have[i] >= frame) {
          have[i] -= frame; // frames are never split across rounds
          arrived[i] = now_ns();
          ++done;
        }
      }
    }
    auto cpu_after = own_cpu_us();
    auto sorted = arrived;
    std::sort(sorted.begin(), sorted.end());
    round_report r;
    r.p50 = sorted[sorted.size() / 2];
    r.p99 = sorted[std::min(sorted.size() - 1, size_t(0.99 * double(sorted.size())))];
    r.max = sorted.back();
    r.user_us = cpu_after.user - cpu_before.user;
    r.system_us = cpu_after.system - cpu_before.system;
    cpu_before = cpu_after;
    write_all(report_fd, &r, sizeof r);
  }
  std::_Exit(0);
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: bench_sendfloor <clients> [rounds] [frame bytes] [threads]\n");
    return 2;
  }
  int n = std::max(1, std::atoi(argv[1]));
  int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  size_t payload = argc > 3 ? size_t(std::max(1, std::atoi(argv[3]))) : 300;
  int threads = argc > 4 ? std::max(1, std::atoi(argv[4])) : 2;
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);

  // An unmasked text frame, as a server sends it.
  std::string header;
  header.push_back(char(0x81));
  if (payload < 126) {
    header.push_back(char(payload));
  } else if (payload < 65536) {
    header.push_back(char(126));
    header.push_back(char((payload >> 8) & 0xff));
    header.push_back(char(payload & 0xff));
  } else {
    std::fprintf(stderr, "frames of 64 KiB and more are not measured here\n");
    return 2;
  }
  std::string body(payload, 'x');
  size_t frame = header.size() + body.size();

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (lfd < 0 || bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
      || listen(lfd, 4096) != 0
      || getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    die("listen");
  int ready[2];
  int report[2];
  if (pipe(ready) != 0 || pipe(report) != 0)
    die("pipe");
  pid_t child = fork();
  if (child < 0)
    die("fork");
  if (child == 0) {
    close(lfd);
    reader(ntohs(addr.sin_port), n, rounds, frame, ready[1], report[1]);
  }
  std::vector<int> fds;
  fds.reserve(size_t(n));
  while (int(fds.size()) < n) {
    int fd = accept(lfd, nullptr, nullptr);
    if (fd < 0)
      die("accept");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fds.push_back(fd);
  }
  char ok = 0;
  read_all(ready[0], &ok, 1);
  std::printf("%d loopback connections, %zu-byte frames (%zu-byte payload), %d writing "
              "threads, one writev per client\n",
              n, frame, payload, threads);
  std::vector<double> p50s, p99s;
  cpu_times sent_cpu;
  cpu_times read_cpu;
  for (int round = 0; round < rounds; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto cpu_before = own_cpu_us();
    auto start = now_ns();
    std::vector<std::thread> writers;
    for (int t = 0; t < threads; ++t)
      writers.emplace_back([&, t] {
        iovec iov[2] = {{header.data(), header.size()}, {body.data(), body.size()}};
        for (size_t i = size_t(t); i < fds.size(); i += size_t(threads))
          if (::writev(fds[i], iov, 2) != ssize_t(frame))
            die("writev");
      });
    for (auto& w : writers)
      w.join();
    auto cpu_after = own_cpu_us();
    round_report r;
    read_all(report[0], &r, sizeof r);
    sent_cpu.user += cpu_after.user - cpu_before.user;
    sent_cpu.system += cpu_after.system - cpu_before.system;
    read_cpu.user += r.user_us;
    read_cpu.system += r.system_us;
    auto ms = [&](int64_t t) { return double(t - start) / 1e6; };
    std::printf(
        "round %d: every client had it after p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
        round + 1, ms(r.p50), ms(r.p99), ms(r.max));
    p50s.push_back(ms(r.p50));
    p99s.push_back(ms(r.p99));
  }
  std::sort(p50s.begin(), p50s.end());
  std::sort(p99s.begin(), p99s.end());
  double messages = double(n) * rounds;
  std::printf(
      "median of %d rounds: p50 %.1f ms, p99 %.1f ms; writer CPU per message %.2f us "
      "(user %.2f, system %.2f); reader CPU per message %.2f us (user %.2f, "
      "system %.2f)\n",
      rounds, p50s[p50s.size() / 2], p99s[p99s.size() / 2],
      (sent_cpu.user + sent_cpu.system) / messages, sent_cpu.user / messages,
      sent_cpu.system / messages, (read_cpu.user + read_cpu.system) / messages,
      read_cpu.user / messages, read_cpu.system / messages);
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
