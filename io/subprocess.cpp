#include "io/subprocess.hpp"

#include "common/fd.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace o2hub {

namespace {

std::mutex groups_mtx;
std::set<pid_t> running_groups;
bool cancelled = false;

} // namespace

std::vector<char*> environment_without(std::initializer_list<const char*> drop) {
  std::vector<char*> env;
  for (char** e = environ; *e; ++e)
    if (std::none_of(drop.begin(), drop.end(), [e](const char* name) {
          return std::strncmp(*e, name, std::strlen(name)) == 0;
        }))
      env.push_back(*e);
  env.push_back(nullptr);
  return env;
}

void prepare_spawn(posix_spawn_file_actions_t& actions, posix_spawnattr_t& attr,
                   bool new_group) {
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_init(&attr);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (new_group)
    flags |= POSIX_SPAWN_SETPGROUP;
  posix_spawnattr_setflags(&attr, flags);
  if (new_group)
    posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &defaults);
}

void cancel_all_processes() {
  std::lock_guard<std::mutex> guard{groups_mtx};
  cancelled = true;
  for (auto pgid : running_groups)
    ::kill(-pgid, SIGKILL);
}

process_result run_process(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout, size_t max_output) {
  process_result result;
  if (argv.empty()) {
    result.start_error = "empty command";
    return result;
  }
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    result.start_error = std::strerror(errno);
    return result;
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.start_error = std::strerror(errno);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return result;
  }
  std::vector<char*> cargv;
  for (const auto& a : argv)
    cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  // posix_spawn: safe in a multi-threaded process (no code runs between
  // fork and exec), own process group, stdin from /dev/null.
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  prepare_spawn(actions, attr, true);
  pid_t pid = -1;
  int rc = 0;
  {
    std::lock_guard<std::mutex> guard{groups_mtx};
    if (cancelled)
      rc = ECANCELED;
    else
      rc = ::posix_spawnp(&pid, cargv[0], &actions, &attr, cargv.data(), environ);
    if (rc == 0)
      running_groups.insert(pid);
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    result.start_error = "cannot run '" + argv[0] + "': "
                         + (rc == ECANCELED ? "shutting down" : std::strerror(rc));
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return result;
  }
  int fds[2] = {out_pipe[0], err_pipe[0]};
  std::string* sinks[2] = {&result.out, &result.err};
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[16384];
  while (fds[0] >= 0 || fds[1] >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd pfds[2];
    nfds_t n = 0;
    int which[2];
    for (int i = 0; i < 2; ++i)
      if (fds[i] >= 0) {
        pfds[n] = {fds[i], POLLIN, 0};
        which[n++] = i;
      }
    int ready = ::poll(pfds, n, static_cast<int>(std::min<long>(left, 100)));
    if (ready < 0 && errno != EINTR)
      break;
    for (nfds_t k = 0; k < n && ready > 0; ++k) {
      if (!(pfds[k].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      int i = which[k];
      auto got = ::read(fds[i], buf, sizeof(buf));
      if (got <= 0) {
        close_fd(fds[i]);
        continue;
      }
      if (sinks[i]->size() < max_output)
        sinks[i]->append(buf, std::min<size_t>(static_cast<size_t>(got),
                                               max_output - sinks[i]->size()));
    }
  }
  close_fd(fds[0]);
  close_fd(fds[1]);
  // The whole group goes: a timed-out program and anything it started.
  if (result.timed_out)
    ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // Leftover children of a program that exited (daemonised helpers) too.
  ::kill(-pid, SIGKILL);
  {
    std::lock_guard<std::mutex> guard{groups_mtx};
    running_groups.erase(pid);
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

} // namespace o2hub
