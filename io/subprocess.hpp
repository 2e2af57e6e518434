// Runs a program from an argv vector (never a shell), in its own process
// group, with a deadline: on timeout the whole group is killed. Blocking:
// call it only from a detached actor or a thread of its own.
#pragma once

#include <chrono>
#include <initializer_list>
#include <spawn.h>
#include <string>
#include <vector>

namespace o2hub {

struct process_result {
  /// Exit code, or 128+signal when killed; -1 when it could not start.
  int exit_code = -1;
  std::string out;
  std::string err;
  bool timed_out = false;
  /// Set when the program could not be started (the reason).
  std::string start_error;
};

/// Runs `argv` (argv[0] is looked up in PATH) with stdin closed. Output
/// beyond `max_output` bytes per stream is dropped.
process_result run_process(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout,
                           size_t max_output = 4 * 1024 * 1024);

/// posix_spawn settings every o2hub child gets: the three standard streams
/// as `actions` arranged them and no other descriptor (o2hub's listening
/// sockets must not live on in a child, e.g. tmux's server), an empty
/// signal mask, default SIGPIPE/SIGINT/SIGTERM; `new_group`: its own
/// process group. Call after adding the stream actions.
/// The process's environment without the variables named in `drop` (each
/// "NAME="), null-terminated for posix_spawn; points into `environ`.
std::vector<char*> environment_without(std::initializer_list<const char*> drop);

void prepare_spawn(posix_spawn_file_actions_t& actions, posix_spawnattr_t& attr,
                   bool new_group);

/// Kills every process group started by run_process that is still running
/// (at shutdown, so that no blocked caller delays the exit).
void cancel_all_processes();

} // namespace o2hub
