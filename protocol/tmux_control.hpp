// tmux control mode (`tmux -C`), as text: parsing the lines tmux writes and
// building the commands o2hub sends. Pure functions, no I/O; io/tmux.cpp
// runs the process and actors/bridge.cpp decides what to do.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace o2hub::tmux {

/// One line of control-mode output.
struct line {
  enum kind_t : uint8_t {
    /// `%output %<pane> <data>`: `pane` and the unescaped bytes in `text`.
    output,
    /// `%begin <time> <number> <flags>`: a command's answer starts.
    begin,
    /// `%end ...`: the answer ended well.
    end,
    /// `%error ...`: the command failed; the lines between are the message.
    error,
    /// `%exit [reason]`: the control client is done (server gone, detached).
    exit,
    /// Any other `%` notification (`%session-changed`, `%layout-change`, ...):
    /// the word in `name`, the rest in `text`.
    notification,
    /// A line of a command's answer (between %begin and %end/%error).
    data,
  };
  kind_t kind = data;
  /// Notification name without '%', or the pane id ("%3") of an output.
  std::string name;
  std::string text;
  /// %begin/%end/%error: flags; 1 = a command this client sent.
  int flags = 0;
};

/// Parses one line (without its newline). `in_block` tells whether the line
/// sits between %begin and %end, where lines are data even if they start
/// with '%'.
line parse_line(std::string_view text, bool in_block);

/// Undoes tmux's octal escaping of %output data (`\ooo`, `\\`).
std::string unescape(std::string_view data);

/// `send-keys -t <target> -H <hex bytes>`: types `bytes` literally, whatever
/// they contain (no key-name lookup, no quoting problems).
std::string send_bytes_command(std::string_view target, std::string_view bytes);

/// The control keys a browser may send by name, and their tmux key names.
/// Returns nullopt for anything not on the list.
std::optional<std::string> allowed_key(std::string_view name);

/// True for a session name tmux and o2hub agree on: [A-Za-z0-9_-]{1,64}
/// (no ':', '.' or spaces, which tmux targets treat specially).
bool valid_session_name(std::string_view name);

/// Splits raw terminal bytes into complete UTF-8 text: appends to `carry`
/// and returns everything up to the last complete character, keeping an
/// unfinished trailing sequence (at most 3 bytes) in `carry`.
std::string take_utf8(std::string& carry, std::string_view bytes);

/// Removes ANSI/VT escape sequences (CSI, OSC, two-byte ESC) and carriage
/// returns, for matching patterns against what a human would read.
std::string strip_ansi(std::string_view text);

/// Plain text for clients that read lines (the original bridge's clients):
/// the complete lines of `carry` + `bytes`, escape sequences and carriage
/// returns removed, each ending in '\n'; the unfinished line stays in
/// `carry` (flushed as a line once longer than `max_carry`).
std::string take_text_lines(std::string& carry, std::string_view bytes,
                            size_t max_carry = 64 * 1024);

/// A late joiner's screen as plain text: the captured lines without escape
/// sequences, trailing blank lines dropped, joined with '\n'.
std::string snapshot_text(std::string_view captured);

/// The screen a late joiner sees: clear, the captured lines (`capture-pane
/// -p -e -J`, trailing blank lines dropped) joined with CRLF, then the cursor
/// moved to (x, y) (zero-based, as tmux reports them).
std::string snapshot_screen(std::string_view captured, int cursor_x, int cursor_y);

/// Finds events in newly arrived output: complete lines only (a partial line
/// waits for its newline), each line once, every category that matches it.
class event_matcher {
public:
  /// Category name ("processing", "success", ...) and ECMAScript regex,
  /// matched case-insensitively. Throws std::regex_error on a bad pattern.
  explicit event_matcher(
      const std::vector<std::pair<std::string, std::string>>& patterns);
  ~event_matcher();

  /// Feeds raw output bytes; returns (category, matched text) per match.
  /// At most `max_lines` complete lines are matched (the first ones); the
  /// rest are skipped, so a flooding pane cannot eat the bridge's CPU.
  std::vector<std::pair<std::string, std::string>>
  feed(std::string_view bytes, size_t max_lines = static_cast<size_t>(-1));

  /// Lines seen but not matched because of `max_lines`.
  uint64_t skipped() const { return skipped_; }

  /// Forgets a partial line (the screen was cleared or the session restarted).
  void reset() { partial_.clear(); }

private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::string partial_;
  uint64_t skipped_ = 0;
};

/// Why `pattern` is not a usable event regex ("" when it is).
std::string regex_problem(const std::string& pattern);

/// The default event patterns (the categories of the original bridge).
std::vector<std::pair<std::string, std::string>> default_event_patterns();

} // namespace o2hub::tmux
