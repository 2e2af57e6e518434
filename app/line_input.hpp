// The console's line input: line editing, history kept in a file and Tab
// completion (Debian's libedit) when the console runs on a terminal (the
// bridge's tmux pane); whole lines from the stream otherwise (pipes, tests).
// Ctrl-C cancels the line being typed, never the console.
#pragma once

#include <atomic>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace o2hub {

class line_input {
public:
  /// Candidates for the word being completed: the line before it, the word.
  using completer =
      std::function<std::vector<std::string>(const std::string&, const std::string&)>;

  enum class outcome { line, interrupted, eof };

  /// `history_file` empty: history only while running. `interrupted` is the
  /// flag a SIGINT handler sets (installed without SA_RESTART); the caller
  /// resets it.
  line_input(std::istream& in, std::ostream& out, std::string history_file,
             completer complete, const std::atomic<bool>* interrupted);
  ~line_input();
  line_input(const line_input&) = delete;
  line_input& operator=(const line_input&) = delete;

  /// Reads a line after `prompt` (escape sequences in it are fine); a line
  /// that is not blank nor a repeat goes into the history when `remember`.
  outcome read(const std::string& prompt, std::string& line, bool remember = true);

  /// For the SIGINT handler (async-signal-safe): wakes a read waiting for a
  /// key, which then returns `interrupted` even if the signal came while
  /// the editor was busy echoing keys rather than waiting in read().
  static void interrupt() noexcept;

  /// Whether libedit edits the lines (stdin and stdout are terminals).
  bool editing() const { return editing_; }

  /// Lines kept in the history file at most.
  static constexpr int history_limit = 1000;

private:
  std::istream& in_;
  std::ostream& out_;
  std::string history_file_;
  completer complete_;
  const std::atomic<bool>* interrupted_;
  bool editing_ = false;
  std::string last_;
};

} // namespace o2hub
