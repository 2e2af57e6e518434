#include "io/tmux.hpp"

#include "common/fd.hpp"
#include "common/log.hpp"
#include "io/subprocess.hpp"
#include "protocol/tmux_control.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace o2hub {

std::vector<std::string> tmux_control_argv(const tmux_options& opts) {
  // "default": tmux's own default server, which plain `tmux ls` sees.
  std::vector<std::string> argv{opts.tmux};
  if (opts.socket != "default")
    argv.insert(argv.end(), {"-L", opts.socket});
  argv.insert(argv.end(), {"-C", "new-session", "-A", "-s", opts.session, "-x",
                           std::to_string(opts.cols), "-y", std::to_string(opts.rows)});
  auto cmd = opts.command;
  // One argument would run through /bin/sh -c: env(1) keeps it from the shell.
  if (cmd.size() == 1)
    cmd.insert(cmd.begin(), "/usr/bin/env");
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  return argv;
}

struct tmux_link::impl {
  tmux_options opts;
  tmux_callbacks cbs;
  std::thread thread;
  std::mutex mtx;
  std::condition_variable cv;
  bool stopping = false;
  int in_fd = -1;            // guarded by mtx
  pid_t child = -1;          // guarded by mtx
  std::deque<uint64_t> tags; // guarded by mtx: our commands awaiting answers
  /// Guarded by mtx: command lines tmux's full stdin pipe did not take yet.
  std::string out;
  int wake[2] = {-1, -1};

  void run();
  /// Writes what the pipe takes of `out` (mtx held).
  void flush_locked();
  void wake_up();
  bool spawn(int& out_fd, int& err_fd);
  void read_loop(int out_fd, int err_fd, bool& attached, std::string& errors);
};

bool tmux_link::impl::spawn(int& out_fd, int& err_fd) {
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0
      || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]})
      if (fd >= 0)
        ::close(fd);
    return false;
  }
  auto argv = tmux_control_argv(opts);
  std::vector<char*> cargv;
  for (auto& a : argv)
    cargv.push_back(a.data());
  cargv.push_back(nullptr);
  // The environment without TMUX/TMUX_PANE: o2hub may itself run in tmux.
  auto env = environment_without({"TMUX=", "TMUX_PANE="});
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  prepare_spawn(actions, attr, false);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, cargv[0], &actions, &attr, cargv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    log::error("cannot run tmux",
               {{"program", opts.tmux}, {"reason", std::strerror(rc)}});
    for (int fd : {in_pipe[1], out_pipe[0], err_pipe[0]})
      ::close(fd);
    return false;
  }
  // Writes never block the caller (an actor): the rest waits in `out`.
  ::fcntl(in_pipe[1], F_SETFL, ::fcntl(in_pipe[1], F_GETFL) | O_NONBLOCK);
  {
    std::lock_guard<std::mutex> guard{mtx};
    in_fd = in_pipe[1];
    child = pid;
    tags.clear();
    out.clear();
  }
  out_fd = out_pipe[0];
  err_fd = err_pipe[0];
  return true;
}

void tmux_link::impl::read_loop(int out_fd, int err_fd, bool& attached,
                                std::string& errors) {
  std::string buf;
  bool in_block = false;
  bool ok_block = true;
  int block_flags = 0;
  std::string body;
  std::string out_pane;
  std::string out_bytes;
  auto flush_output = [&] {
    if (!out_bytes.empty() && cbs.on_output) {
      if (opts.backlog)
        ++*opts.backlog;
      cbs.on_output(std::move(out_pane), std::move(out_bytes));
    }
    out_pane.clear();
    out_bytes.clear();
  };
  char chunk[65536];
  while (out_fd >= 0) {
    int pending_fd = -1;
    {
      std::lock_guard<std::mutex> guard{mtx};
      if (!out.empty())
        pending_fd = in_fd;
    }
    pollfd pfds[4] = {{out_fd, POLLIN, 0},
                      {err_fd, POLLIN, 0},
                      {wake[0], POLLIN, 0},
                      {pending_fd, POLLOUT, 0}};
    int n = ::poll(pfds, 4, -1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (err_fd >= 0 && (pfds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      auto got = ::read(err_fd, chunk, sizeof chunk);
      if (got <= 0)
        close_fd(err_fd);
      else if (errors.size() < 4096)
        errors.append(chunk, static_cast<size_t>(got));
    }
    if (pfds[2].revents & POLLIN) {
      char c[64];
      [[maybe_unused]] auto r = ::read(wake[0], c, sizeof c);
    }
    if (pfds[3].revents & (POLLOUT | POLLERR | POLLHUP)) {
      std::lock_guard<std::mutex> guard{mtx};
      flush_locked();
    }
    if (!(pfds[0].revents & (POLLIN | POLLHUP | POLLERR)))
      continue;
    // Backpressure: while the bridge has not caught up, leave the bytes in
    // the pipe; tmux notices and pauses the pane for us (pause-after).
    for (int spins = 0; opts.backlog && *opts.backlog > opts.max_backlog && spins < 2000;
         ++spins) {
      {
        std::lock_guard<std::mutex> guard{mtx};
        if (stopping)
          return;
        flush_locked(); // tmux still gets what was typed meanwhile
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    auto got = ::read(out_fd, chunk, sizeof chunk);
    if (got <= 0)
      break;
    buf.append(chunk, static_cast<size_t>(got));
    size_t pos = 0;
    for (;;) {
      auto nl = buf.find('\n', pos);
      if (nl == std::string::npos)
        break;
      std::string_view text{buf.data() + pos, nl - pos};
      pos = nl + 1;
      auto l = tmux::parse_line(text, in_block);
      if (l.kind != tmux::line::output)
        flush_output();
      switch (l.kind) {
      case tmux::line::output:
        if (l.name != out_pane)
          flush_output();
        out_pane = l.name;
        out_bytes += l.text;
        break;
      case tmux::line::begin:
        in_block = true;
        block_flags = l.flags;
        body.clear();
        break;
      case tmux::line::data:
        if (in_block) {
          body.append(l.text);
          body.push_back('\n');
        }
        break;
      case tmux::line::end:
      case tmux::line::error: {
        in_block = false;
        ok_block = l.kind == tmux::line::end;
        if (block_flags != 1)
          break; // the session's own start-up command
        uint64_t tag = 0;
        {
          std::lock_guard<std::mutex> guard{mtx};
          if (!tags.empty()) {
            tag = tags.front();
            tags.pop_front();
          }
        }
        if (tag != 0 && cbs.on_reply)
          cbs.on_reply(tag, ok_block, std::move(body));
        body.clear();
        break;
      }
      case tmux::line::exit:
        break;
      case tmux::line::notification:
        if (l.name == "session-changed" && !attached) {
          attached = true;
          if (cbs.on_link)
            cbs.on_link(true);
        }
        if (cbs.on_notification)
          cbs.on_notification(std::move(l.name), std::move(l.text));
        break;
      }
    }
    flush_output();
    buf.erase(0, pos);
  }
}

void tmux_link::impl::run() {
  auto backoff = std::chrono::milliseconds(100);
  for (;;) {
    {
      std::lock_guard<std::mutex> guard{mtx};
      if (stopping)
        return;
    }
    int out_fd = -1;
    int err_fd = -1;
    bool attached = false;
    std::string errors;
    auto started = std::chrono::steady_clock::now();
    if (spawn(out_fd, err_fd)) {
      read_loop(out_fd, err_fd, attached, errors);
      close_fd(out_fd);
      close_fd(err_fd);
      pid_t pid;
      std::deque<uint64_t> unanswered;
      {
        std::lock_guard<std::mutex> guard{mtx};
        close_fd(in_fd);
        pid = child;
        child = -1;
        unanswered.swap(tags);
        out.clear();
      }
      // Every tagged command gets an answer: these are told as failed.
      for (auto tag : unanswered)
        if (tag != 0 && cbs.on_reply)
          cbs.on_reply(tag, false, "the tmux control connection ended");
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      while (!errors.empty() && (errors.back() == '\n' || errors.back() == '\r'))
        errors.pop_back();
      bool stopping_now;
      {
        std::lock_guard<std::mutex> guard{mtx};
        stopping_now = stopping;
      }
      // Detaching at shutdown is not a lost session: viewers are not told.
      if (attached && !stopping_now && cbs.on_link)
        cbs.on_link(false);
      if (!stopping_now)
        log::warn(
            "tmux control connection ended; starting it again",
            {{"session", opts.session}, {"socket", opts.socket}, {"stderr", errors}});
    }
    // A connection that lasted is not a failure loop: start again quickly.
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(10))
      backoff = std::chrono::milliseconds(100);
    std::unique_lock<std::mutex> lock{mtx};
    if (cv.wait_for(lock, backoff, [this] { return stopping; }))
      return;
    backoff = std::min(backoff * 2, opts.max_backoff);
  }
}

tmux_link::tmux_link(tmux_options opts, tmux_callbacks cbs)
    : impl_(std::make_unique<impl>()) {
  impl_->opts = std::move(opts);
  impl_->cbs = std::move(cbs);
  if (::pipe2(impl_->wake, O_CLOEXEC | O_NONBLOCK) != 0)
    impl_->wake[0] = impl_->wake[1] = -1;
}

tmux_link::~tmux_link() {
  stop();
  close_fd(impl_->wake[0]);
  close_fd(impl_->wake[1]);
}

void tmux_link::start() {
  if (!impl_->thread.joinable())
    impl_->thread = std::thread([this] { impl_->run(); });
}

bool tmux_link::send(const std::string& command, uint64_t tag) {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  auto& i = *impl_;
  if (i.in_fd < 0 || i.stopping)
    return false;
  // tmux stopped reading: past 1 MiB waiting, refused (the caller says so).
  if (i.out.size() + command.size() + 1 > max_unsent_bytes)
    return false;
  bool was_empty = i.out.empty();
  i.out += command;
  i.out.push_back('\n');
  i.tags.push_back(tag);
  i.flush_locked();
  if (was_empty && !i.out.empty()) // the link's thread writes the rest
    i.wake_up();
  return true;
}

void tmux_link::impl::flush_locked() {
  while (!out.empty() && in_fd >= 0) {
    auto n = ::write(in_fd, out.data(), out.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      // tmux is gone (EPIPE): the reader fails every unanswered tag; kept,
      // the wait for POLLOUT would report this error again and again.
      out.clear();
      return;
    }
    if (n <= 0)
      return; // full
    out.erase(0, static_cast<size_t>(n));
  }
}

void tmux_link::impl::wake_up() {
  if (wake[1] >= 0) {
    [[maybe_unused]] auto r = ::write(wake[1], "x", 1);
  }
}

void tmux_link::stop() {
  pid_t pid = -1;
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    if (impl_->stopping && !impl_->thread.joinable())
      return;
    impl_->stopping = true;
    // EOF on its stdin detaches the control client; the session stays.
    close_fd(impl_->in_fd);
    pid = impl_->child;
  }
  impl_->cv.notify_all();
  impl_->wake_up();
  if (impl_->thread.joinable()) {
    std::thread killer;
    std::mutex m;
    std::condition_variable done_cv;
    bool done = false;
    if (pid > 0)
      killer = std::thread([&] {
        std::unique_lock<std::mutex> lock{m};
        if (!done_cv.wait_for(lock, std::chrono::seconds(2), [&] { return done; }))
          ::kill(pid, SIGKILL);
      });
    impl_->thread.join();
    {
      std::lock_guard<std::mutex> lock{m};
      done = true;
    }
    done_cv.notify_all();
    if (killer.joinable())
      killer.join();
  }
}

} // namespace o2hub
