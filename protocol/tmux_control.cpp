// GCC 12 reports -Wmaybe-uninitialized inside <regex> under -O1 with the
// sanitizers (a known false positive); std::regex is confined to this file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "protocol/tmux_control.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>

namespace o2hub::tmux {

namespace {

int block_flags(std::string_view rest) {
  // "<time> <number> <flags>"
  auto pos = rest.rfind(' ');
  if (pos == std::string_view::npos)
    return 0;
  auto f = rest.substr(pos + 1);
  return !f.empty() && f[0] == '1' ? 1 : 0;
}

} // namespace

line parse_line(std::string_view text, bool in_block) {
  line l;
  auto word_end = text.find(' ');
  auto word = text.substr(0, word_end);
  auto rest =
      word_end == std::string_view::npos ? std::string_view{} : text.substr(word_end + 1);
  if (word == "%begin") {
    l.kind = line::begin;
    l.flags = block_flags(rest);
    return l;
  }
  if (word == "%end" || word == "%error") {
    // Inside a block only these end it; tmux guarantees data lines never
    // look exactly like a block end of the same command, and we do not need
    // to tell them apart further.
    l.kind = word == "%end" ? line::end : line::error;
    l.flags = block_flags(rest);
    return l;
  }
  if (in_block || text.empty() || text[0] != '%') {
    l.kind = line::data;
    l.text = std::string{text};
    return l;
  }
  if (word == "%output") {
    l.kind = line::output;
    auto sp = rest.find(' ');
    l.name = std::string{rest.substr(0, sp)};
    if (sp != std::string_view::npos)
      l.text = unescape(rest.substr(sp + 1));
    return l;
  }
  if (word == "%extended-output") {
    // With pause-after: "%extended-output %<pane> <age ms> ... : <data>".
    l.kind = line::output;
    auto sp = rest.find(' ');
    l.name = std::string{rest.substr(0, sp)};
    auto colon = rest.find(" : ");
    if (colon != std::string_view::npos)
      l.text = unescape(rest.substr(colon + 3));
    return l;
  }
  if (word == "%exit") {
    l.kind = line::exit;
    l.text = std::string{rest};
    return l;
  }
  l.kind = line::notification;
  l.name = std::string{word.substr(1)};
  l.text = std::string{rest};
  return l;
}

std::string unescape(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  auto octal = [](char c) { return c >= '0' && c <= '7'; };
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (c == '\\' && i + 3 < data.size() && octal(data[i + 1]) && octal(data[i + 2])
        && octal(data[i + 3]) && data[i + 1] <= '3') {
      out.push_back(static_cast<char>((data[i + 1] - '0') * 64 + (data[i + 2] - '0') * 8
                                      + (data[i + 3] - '0')));
      i += 3;
      continue;
    }
    if (c == '\\' && i + 1 < data.size() && data[i + 1] == '\\') {
      out.push_back('\\');
      ++i;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string send_bytes_command(std::string_view target, std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string cmd = "send-keys -t ";
  cmd += target;
  cmd += " -H";
  cmd.reserve(cmd.size() + bytes.size() * 3);
  for (unsigned char b : bytes) {
    cmd += ' ';
    cmd += hex[b >> 4];
    cmd += hex[b & 15];
  }
  return cmd;
}

std::optional<std::string> allowed_key(std::string_view name) {
  static const char* keys[] = {
      "C-a",   "C-b", "C-c",  "C-d",   "C-e",    "C-k",  "C-l",  "C-r",
      "C-u",   "C-w", "C-z",  "Enter", "Escape", "Tab",  "BTab", "BSpace",
      "DC",    "Up",  "Down", "Left",  "Right",  "Home", "End",  "PPage",
      "NPage", "F1",  "F2",   "F3",    "F4",     "F5",   "F6",   "F7",
      "F8",    "F9",  "F10",  "F11",   "F12"};
  for (auto k : keys)
    if (name == k)
      return std::string{k};
  return std::nullopt;
}

bool valid_session_name(std::string_view name) {
  if (name.empty() || name.size() > 64)
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string take_utf8(std::string& carry, std::string_view bytes) {
  carry.append(bytes.data(), bytes.size());
  // Find where a trailing, possibly unfinished sequence starts.
  size_t n = carry.size();
  size_t start = n;
  for (size_t back = 1; back <= 4 && back <= n; ++back) {
    auto c = static_cast<unsigned char>(carry[n - back]);
    if ((c & 0xC0) == 0x80)
      continue; // continuation byte: look further back
    size_t need = c < 0x80         ? 1
                  : (c >> 5) == 6  ? 2
                  : (c >> 4) == 14 ? 3
                  : (c >> 3) == 30 ? 4
                                   : 1;
    start = back < need ? n - back : n;
    break;
  }
  std::string out = carry.substr(0, start);
  carry.erase(0, start);
  return out;
}

std::string strip_ansi(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    auto c = static_cast<unsigned char>(t[i]);
    if (c == 0x1b) {
      if (i + 1 >= t.size())
        break;
      char k = t[i + 1];
      if (k == '[') { // CSI: parameters, then a final byte 0x40-0x7e
        size_t j = i + 2;
        while (j < t.size()
               && !(static_cast<unsigned char>(t[j]) >= 0x40
                    && static_cast<unsigned char>(t[j]) <= 0x7e))
          ++j;
        i = j;
      } else if (k == ']' || k == 'P' || k == '_' || k == '^') {
        // OSC/DCS/APC/PM: until BEL or ESC backslash
        size_t j = i + 2;
        while (j < t.size() && t[j] != '\a'
               && !(t[j] == 0x1b && j + 1 < t.size() && t[j + 1] == '\\'))
          ++j;
        i = j < t.size() && t[j] == 0x1b ? j + 1 : j;
      } else if (k == '(' || k == ')' || k == '#' || k == '%') {
        i += 2; // designator + one byte
      } else {
        i += 1;
      }
      continue;
    }
    if (c < 0x20 && c != '\n' && c != '\t')
      continue; // CR, BS, BEL and the like
    if (c == 0x7f)
      continue;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string snapshot_screen(std::string_view captured, int cursor_x, int cursor_y) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= captured.size()) {
    auto nl = captured.find('\n', pos);
    if (nl == std::string_view::npos) {
      if (pos < captured.size())
        lines.push_back(captured.substr(pos));
      break;
    }
    lines.push_back(captured.substr(pos, nl - pos));
    pos = nl + 1;
  }
  while (!lines.empty()
         && strip_ansi(lines.back()).find_first_not_of(' ') == std::string::npos)
    lines.pop_back();
  std::string out = "\x1b[0m\x1b[H\x1b[2J";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0)
      out += "\x1b[0m\r\n";
    out += lines[i];
  }
  char pos_seq[32];
  std::snprintf(pos_seq, sizeof pos_seq, "\x1b[0m\x1b[%d;%dH", cursor_y + 1,
                cursor_x + 1);
  out += pos_seq;
  return out;
}

struct event_matcher::impl {
  std::vector<std::pair<std::string, std::regex>> patterns;
};

event_matcher::event_matcher(
    const std::vector<std::pair<std::string, std::string>>& patterns)
    : impl_(std::make_unique<impl>()) {
  for (const auto& [name, re] : patterns)
    impl_->patterns.emplace_back(name,
                                 std::regex{re, std::regex::ECMAScript | std::regex::icase
                                                    | std::regex::optimize});
}

event_matcher::~event_matcher() = default;

std::string regex_problem(const std::string& pattern) {
  try {
    std::regex re{pattern, std::regex::ECMAScript | std::regex::icase};
    return {};
  } catch (const std::regex_error& e) {
    return e.what();
  }
}

std::vector<std::pair<std::string, std::string>>
event_matcher::feed(std::string_view bytes, size_t max_lines) {
  std::vector<std::pair<std::string, std::string>> found;
  size_t checked = 0;
  auto check = [&](std::string_view raw) {
    if (checked >= max_lines) {
      ++skipped_;
      return;
    }
    ++checked;
    auto text = strip_ansi(raw);
    if (text.find_first_not_of(" \t") == std::string::npos)
      return;
    for (const auto& [name, re] : impl_->patterns) {
      std::smatch m;
      if (std::regex_search(text, m, re))
        found.emplace_back(name, m.str());
    }
  };
  constexpr size_t max_line = 16 * 1024;
  size_t pos = 0;
  while (pos < bytes.size()) {
    auto nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) {
      partial_.append(bytes.substr(pos));
      if (partial_.size() > max_line) { // a line that never ends
        check(partial_);
        partial_.clear();
      }
      break;
    }
    partial_.append(bytes.substr(pos, nl - pos));
    check(partial_);
    partial_.clear();
    pos = nl + 1;
  }
  return found;
}

std::vector<std::pair<std::string, std::string>> default_event_patterns() {
  return {
      {"processing", R"(\b(processing|analy[sz]ing|generating|rendering|thinking)\b)"},
      {"success", R"(\b(success(ful(ly)?)?|completed?|fulfilled|passed)\b|✓)"},
      {"error", R"(\b(error|failed|failure|exception|fatal|refused)\b|✗)"},
      {"warning", R"(\b(warning|warn|degraded|timed? ?out|rollback|rolled back)\b)"},
      {"intent",
       R"(\b(intent[ _-]?id|intent[ _-][0-9a-f]{6,}|tmf921|intentExpectation|intent (created|received|accepted))\b)"},
      {"deployment",
       R"(\b(deploy(ing|ed|ment)|rollout|provisioning|gitops[ _]push(ed|ing)?|krm)\b)"},
  };
}

namespace {

/// One line of terminal output as text: no escape sequences, no CR.
std::string plain_line(std::string_view raw) {
  auto text = strip_ansi(raw);
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

} // namespace

std::string take_text_lines(std::string& carry, std::string_view bytes,
                            size_t max_carry) {
  carry.append(bytes);
  std::string out;
  size_t start = 0;
  for (size_t nl = carry.find('\n'); nl != std::string::npos;
       nl = carry.find('\n', start)) {
    out += plain_line(std::string_view{carry}.substr(start, nl - start));
    out += '\n';
    start = nl + 1;
  }
  carry.erase(0, start);
  if (carry.size() > max_carry) {
    out += plain_line(carry);
    out += '\n';
    carry.clear();
  }
  return out;
}

std::string snapshot_text(std::string_view captured) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= captured.size()) {
    auto nl = captured.find('\n', start);
    auto end = nl == std::string_view::npos ? captured.size() : nl;
    lines.push_back(plain_line(captured.substr(start, end - start)));
    if (nl == std::string_view::npos)
      break;
    start = nl + 1;
  }
  while (!lines.empty() && lines.back().find_first_not_of(' ') == std::string::npos)
    lines.pop_back();
  std::string out;
  for (const auto& l : lines) {
    auto last = l.find_last_not_of(' ');
    out += last == std::string::npos ? std::string{} : l.substr(0, last + 1);
    out += '\n';
  }
  return out;
}

} // namespace o2hub::tmux
