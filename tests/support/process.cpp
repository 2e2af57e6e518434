#include "support/process.hpp"

#include "support/client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace o2hub::test {

namespace {

/// Ports for the tests' servers come from below the kernel's ephemeral range
/// (32768-60999): a port from bind(0) is an ephemeral one, and any outgoing
/// connection on the machine (a prober, a WebSocket client of another test)
/// may take it between the test choosing it and o2hub binding it.
constexpr uint16_t first_test_port = 20000;
constexpr uint16_t test_ports = 12000;

/// Binds a free port from that range and keeps it bound.
std::unique_ptr<boost::asio::ip::tcp::acceptor> hold_port(boost::asio::io_context& ioc) {
  static std::mt19937 rng{std::random_device{}()};
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto port = static_cast<uint16_t>(first_test_port + rng() % test_ports);
    auto acc = std::make_unique<boost::asio::ip::tcp::acceptor>(ioc);
    boost::system::error_code ec;
    acc->open(boost::asio::ip::tcp::v4(), ec);
    if (!ec)
      acc->bind({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    if (!ec)
      return acc;
  }
  throw std::runtime_error("no free port in 20000-31999");
}

} // namespace

uint16_t free_port() {
  boost::asio::io_context ioc;
  return hold_port(ioc)->local_endpoint().port();
}

std::vector<uint16_t> free_ports(size_t n) {
  boost::asio::io_context ioc;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> held;
  std::vector<uint16_t> ports;
  while (ports.size() < n) {
    held.push_back(hold_port(ioc));
    auto port = held.back()->local_endpoint().port();
    if (std::find(ports.begin(), ports.end(), port) == ports.end())
      ports.push_back(port);
  }
  return ports;
}

process::process(std::vector<std::string> argv, std::map<std::string, std::string> env) {
  static std::atomic<int> counter{0};
  log_path_ = "/tmp/o2hub-test-" + std::to_string(::getpid()) + "-"
              + std::to_string(counter++) + ".log";
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) {
    std::string entry{*e};
    auto name = entry.substr(0, entry.find('='));
    if (env.count(name) == 0)
      envs.push_back(entry);
  }
  for (auto& [k, v] : env)
    envs.push_back(k + "=" + v);
  std::vector<char*> cargv;
  for (auto& a : argv)
    cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  for (auto& e : envs)
    cenv.push_back(e.data());
  cenv.push_back(nullptr);
  int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, STDIN_FILENO);
    ::execve(cargv[0], cargv.data(), cenv.data());
    ::_exit(127);
  }
  ::close(fd);
}

process::~process() {
  if (running()) {
    signal(SIGKILL);
    wait(std::chrono::seconds(5));
  }
  ::unlink(log_path_.c_str());
}

void process::signal(int sig) {
  if (pid_ > 0 && !status_)
    ::kill(pid_, sig);
}

bool process::running() {
  if (pid_ <= 0 || status_)
    return false;
  int st = 0;
  if (::waitpid(pid_, &st, WNOHANG) == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  return true;
}

std::optional<int> process::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline)
      return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

std::string process::output() const {
  std::ifstream in{log_path_};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string process::tail(size_t n) {
  auto out = output();
  if (out.size() > n)
    out = "..." + out.substr(out.size() - n);
  if (!running())
    return out + "\n[exited with " + std::to_string(status_.value_or(-1)) + "]";
  out += "\n[still running, pid " + std::to_string(pid_) + "; threads:";
  std::error_code ec;
  auto task = "/proc/" + std::to_string(pid_) + "/task";
  for (auto& t : std::filesystem::directory_iterator(task, ec)) {
    auto read = [&](const char* name) {
      std::ifstream in{t.path() / name};
      std::string line;
      std::getline(in, line);
      return line;
    };
    auto stat = read("stat");
    auto paren = stat.rfind(')');
    out += " " + t.path().filename().string() + " " + read("comm") + " "
           + (paren == std::string::npos ? "?" : stat.substr(paren + 2, 1)) + " "
           + read("wchan") + " " + read("syscall").substr(0, 24) + ";";
  }
  return out + "]";
}

std::string process::stacks() {
  if (!running())
    return {};
  std::string out = "[kernel stacks:";
  std::error_code ec;
  auto task = "/proc/" + std::to_string(pid_) + "/task";
  for (auto& t : std::filesystem::directory_iterator(task, ec)) {
    std::ifstream in{t.path() / "stack"};
    std::string line, frames;
    for (int i = 0; i < 6 && std::getline(in, line); ++i)
      frames += (frames.empty() ? "" : " < ") + line.substr(line.find(' ') + 1);
    out +=
        " " + t.path().filename().string() + ": " + (frames.empty() ? "-" : frames) + ";";
  }
  out += "]";
  if (!std::filesystem::exists("/usr/bin/gdb"))
    return out + "\n[no gdb: no user-space backtrace]";
  process gdb{{"/usr/bin/gdb", "-nx", "-batch", "-p", std::to_string(pid_), "-ex",
               "thread apply all bt 20"}};
  if (!gdb.wait(std::chrono::seconds(90)))
    return out + "\n[gdb did not finish in 90 s]";
  auto bt = gdb.output();
  if (bt.size() > 6000)
    bt = "..." + bt.substr(bt.size() - 6000);
  return out + "\n[gdb:\n" + bt + "]";
}

void kill_tmux_server(const std::string& name) {
  process kill{{"/usr/bin/env", "tmux", "-L", name, "kill-server"}};
  kill.wait(std::chrono::seconds(5));
  // Whatever is left: processes whose argv holds "tmux" ... "-L" name.
  std::error_code ec;
  for (auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    auto pid_text = entry.path().filename().string();
    if (pid_text.find_first_not_of("0123456789") != std::string::npos)
      continue;
    std::ifstream in{entry.path() / "cmdline", std::ios::binary};
    std::vector<std::string> args;
    for (std::string a; std::getline(in, a, '\0');)
      args.push_back(a);
    if (args.empty() || args[0].find("tmux") == std::string::npos)
      continue;
    for (size_t i = 1; i + 1 < args.size(); ++i)
      if (args[i] == "-L" && args[i + 1] == name) {
        ::kill(static_cast<pid_t>(std::stol(pid_text)), SIGKILL);
        break;
      }
  }
}

bool wait_healthy(uint16_t port, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto ready_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      auto res = http_get(port, "/health");
      // Up and answering; "healthy" once it is ready (the bridge reports
      // "degraded" for the few ms until tmux has told it the pane). A
      // service that stays degraded is returned after 2 s.
      if (res.status == 200
          && (res.body.find("\"status\":\"healthy\"") != std::string::npos
              || std::chrono::steady_clock::now() > ready_deadline))
        return true;
    } catch (...) {
      // not up yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

bool eventually(std::chrono::seconds timeout, const std::function<bool()>& done) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

} // namespace o2hub::test
