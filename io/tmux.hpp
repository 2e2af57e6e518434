// The tmux control-mode connection: runs `tmux -L <socket> -C new-session
// -A -s <session> ...` over pipes (no pty), reads what tmux writes, sends
// commands on the same channel, and starts it again when it ends (the
// server was killed, the session's program exited). No CAF here: the
// callbacks run on the link's own thread and forward to the bridge actor.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace o2hub {

struct tmux_options {
  /// `tmux -L <socket>`: a tmux server of o2hub's own; "default": tmux's
  /// default server (the one plain `tmux ls` and the original's scripts see).
  std::string socket = "o2hub";
  std::string session = "claude-intent";
  /// What the session's pane runs (argv; never through a shell).
  std::vector<std::string> command;
  int cols = 120;
  int rows = 36;
  /// The tmux binary.
  std::string tmux = "tmux";
  /// Counts output messages handed on and not yet handled (the consumer
  /// decrements); reading from tmux waits while it exceeds max_backlog.
  std::shared_ptr<std::atomic<int>> backlog;
  int max_backlog = 8;
  /// Longest wait between two attempts to (re)start.
  std::chrono::milliseconds max_backoff{5000};
};

struct tmux_callbacks {
  /// The control connection is up (attached to the session) or down.
  std::function<void(bool up)> on_link;
  /// Bytes a pane wrote (consecutive %output lines of one pane merged).
  std::function<void(std::string pane, std::string bytes)> on_output;
  /// The answer to a command sent with a non-zero tag.
  std::function<void(uint64_t tag, bool ok, std::string body)> on_reply;
  /// Any other notification: name without '%', the rest of the line.
  std::function<void(std::string name, std::string text)> on_notification;
};

class tmux_link {
public:
  tmux_link(tmux_options opts, tmux_callbacks cbs);
  ~tmux_link();
  tmux_link(const tmux_link&) = delete;
  tmux_link& operator=(const tmux_link&) = delete;

  /// Starts the connection thread.
  void start();

  /// Sends one command line. With a non-zero tag, on_reply reports its
  /// answer — tmux's, or a failure when the connection ends first. A
  /// command tmux cannot read yet waits, in order, up to
  /// `max_unsent_bytes`. False when the link is down or that much waits
  /// (the command is dropped, no answer follows).
  bool send(const std::string& command, uint64_t tag = 0);

  static constexpr size_t max_unsent_bytes = 1024 * 1024;

  /// Detaches (the session keeps running) and joins the thread.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The argv that starts the control client for `opts` (for logs and tests).
std::vector<std::string> tmux_control_argv(const tmux_options& opts);

} // namespace o2hub
