// Starts the real o2hub binary for integration tests (argv, no shell), with
// free ports, and stops it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace o2hub::test {

/// A port nobody listens on right now (bound to port 0, then released).
uint16_t free_port();

/// `n` distinct free ports (all held until every one is chosen).
std::vector<uint16_t> free_ports(size_t n);

class process {
public:
  /// Starts `argv` with extra environment entries; stdout+stderr go to a
  /// temporary log file.
  process(std::vector<std::string> argv, std::map<std::string, std::string> env = {});
  ~process();

  process(const process&) = delete;
  process& operator=(const process&) = delete;

  pid_t pid() const { return pid_; }

  /// Sends a signal.
  void signal(int sig);

  /// Waits for exit; returns the exit code (128+signal when killed), or
  /// nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  /// What the process printed so far.
  std::string output() const;

  /// The last `n` bytes of the output and, while it runs, what the process
  /// is doing (state and wait channel of each thread): for failure messages.
  std::string tail(size_t n = 8000);

  /// While it runs: each thread's kernel stack and, when gdb is installed,
  /// every thread's backtrace (takes seconds: only for a process that is
  /// stuck, never in a passing test).
  std::string stacks();

  bool running();

private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

/// Stops the tmux server on socket `-L name`: kill-server, then SIGKILL to
/// any tmux process still running for that socket (tmux 3.3a can wedge when
/// a control client's peer died: it then refuses every new client, so
/// kill-server cannot reach it, and it would outlive the test).
void kill_tmux_server(const std::string& name);

/// Waits until `port` answers GET /health with 200 and "healthy" (or with
/// 200 for 2 s: a service may stay degraded); false after `timeout`.
bool wait_healthy(uint16_t port, std::chrono::milliseconds timeout);

/// Polls `done` every 200 ms until it holds or `timeout` passes.
bool eventually(std::chrono::seconds timeout, const std::function<bool()>& done);

} // namespace o2hub::test
