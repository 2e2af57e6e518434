#include "app/line_input.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <istream>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

// libedit's readline emulation (BSD licence); after <cstdio>: it needs FILE.
#include <editline/readline.h>

namespace o2hub {

namespace {

/// libedit's completion hooks are plain C functions: the active input and
/// the candidates of the current Tab press.
line_input::completer* active = nullptr;
std::vector<std::string> candidates;

/// The self-pipe a SIGINT writes to: [0] read end, [1] write end.
int wake[2] = {-1, -1};

void drain_wake() {
  char buf[64];
  while (wake[0] >= 0 && ::read(wake[0], buf, sizeof buf) > 0) {
  }
}

/// libedit's key reader: a key from stdin, or EOF when Ctrl-C woke us (the
/// editor then gives up the line: readline returns null).
int read_key(FILE*) {
  for (;;) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wake[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      return EOF;
    }
    if (fds[1].revents != 0) {
      drain_wake();
      return EOF;
    }
    unsigned char c = 0;
    auto n = ::read(STDIN_FILENO, &c, 1);
    if (n == 1)
      return c;
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    return EOF; // end of input
  }
}

char* next_candidate(const char* text, int state) {
  static size_t i = 0;
  if (state == 0)
    i = 0;
  size_t n = std::strlen(text);
  while (i < candidates.size()) {
    const auto& c = candidates[i++];
    if (c.compare(0, n, text) == 0)
      return ::strdup(c.c_str());
  }
  return nullptr;
}

char** complete(const char* text, int start, int) {
  rl_attempted_completion_over = 1; // never file names
  candidates.clear();
  if (active && *active) {
    std::string before{rl_line_buffer ? rl_line_buffer : "",
                       static_cast<size_t>(start > 0 ? start : 0)};
    candidates = (*active)(before, text);
  }
  return rl_completion_matches(text, next_candidate);
}

} // namespace

line_input::line_input(std::istream& in, std::ostream& out, std::string history_file,
                       completer complete_fn, const std::atomic<bool>* interrupted)
    : in_(in), out_(out), history_file_(std::move(history_file)),
      complete_(std::move(complete_fn)), interrupted_(interrupted) {
  editing_ = &in == &std::cin && ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
  if (!editing_)
    return;
  rl_catch_signals = 0; // Ctrl-C is the console's: it cancels the line
  if (wake[0] < 0 && ::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0)
    wake[0] = wake[1] = -1;
  if (wake[0] >= 0)
    rl_getc_function = read_key;
  rl_readline_name = const_cast<char*>("o2hub");
  rl_attempted_completion_function = complete;
  rl_basic_word_break_characters = " \t";
  active = &complete_;
  using_history();
  stifle_history(history_limit);
  if (!history_file_.empty())
    read_history(history_file_.c_str());
}

line_input::~line_input() {
  if (!editing_)
    return;
  active = nullptr;
  if (!history_file_.empty()) {
    // The operator's commands: readable by the user only.
    auto old = ::umask(077);
    write_history(history_file_.c_str());
    history_truncate_file(history_file_.c_str(), history_limit);
    ::umask(old);
  }
}

void line_input::interrupt() noexcept {
  if (wake[1] >= 0) {
    char c = 1;
    auto n = ::write(wake[1], &c, 1); // full pipe: already woken
    (void)n;
  }
}

line_input::outcome line_input::read(const std::string& prompt, std::string& line,
                                     bool remember) {
  line.clear();
  if (!editing_) {
    out_ << prompt << std::flush;
    if (std::getline(in_, line))
      return outcome::line;
    if (*interrupted_ && !in_.eof()) {
      in_.clear();
      return outcome::interrupted;
    }
    return outcome::eof;
  }
  // A Ctrl-C already handled (it stopped following a pipeline) must not
  // cancel this line too; one not handled yet (pressed while a command
  // printed) gives a fresh prompt at once.
  if (!*interrupted_)
    drain_wake();
  if (*interrupted_) {
    drain_wake();
    return outcome::interrupted;
  }
  // libedit hides what sits between \1 and \2 from its width count.
  std::string shown;
  bool esc = false;
  for (char c : prompt) {
    if (c == '\x1b') {
      shown += '\1';
      esc = true;
    }
    shown += c;
    if (esc && c == 'm') {
      shown += '\2';
      esc = false;
    }
  }
  char* text = ::readline(shown.c_str());
  if (!text)
    return *interrupted_ ? outcome::interrupted : outcome::eof;
  line = text;
  std::free(text);
  auto kept = line.substr(0, line.find_last_not_of(" \t") + 1); // Tab adds a space
  if (remember && !kept.empty() && kept != last_) {
    add_history(kept.c_str());
    last_ = kept;
    if (!history_file_.empty()) {
      auto old = ::umask(077);
      write_history(history_file_.c_str()); // kept even if the pane dies
      ::umask(old);
    }
  }
  return outcome::line;
}

} // namespace o2hub
