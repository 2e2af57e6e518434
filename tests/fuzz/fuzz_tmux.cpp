// libFuzzer target: tmux control-mode output as the bridge reads it: line
// parsing, %output unescaping, UTF-8 carry, ANSI stripping, event matching.
#include "protocol/tmux_control.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes{reinterpret_cast<const char*>(data), size};
  static o2hub::tmux::event_matcher events{o2hub::tmux::default_event_patterns()};
  bool in_block = false;
  std::string carry;
  size_t start = 0;
  while (start <= bytes.size()) {
    auto end = bytes.find('\n', start);
    auto line_text =
        bytes.substr(start, end == std::string_view::npos ? end : end - start);
    auto l = o2hub::tmux::parse_line(line_text, in_block);
    auto raw = o2hub::tmux::unescape(line_text);
    auto text = o2hub::tmux::take_utf8(carry, raw);
    events.feed(o2hub::tmux::strip_ansi(text), 64);
    (void)l;
    if (line_text.rfind("%begin", 0) == 0)
      in_block = true;
    else if (line_text.rfind("%end", 0) == 0 || line_text.rfind("%error", 0) == 0)
      in_block = false;
    if (end == std::string_view::npos)
      break;
    start = end + 1;
  }
  o2hub::tmux::snapshot_screen(bytes, static_cast<int>(size % 200),
                               static_cast<int>(size % 50));
  o2hub::tmux::send_bytes_command("%0", bytes.substr(0, 4096));
  o2hub::tmux::allowed_key(bytes);
  o2hub::tmux::valid_session_name(bytes);
  return 0;
}
