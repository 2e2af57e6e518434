#include "common/json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace o2hub::json {

namespace {

/// Length of the well-formed UTF-8 sequence at s[i], or 0 if ill-formed.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  auto c = b(0);
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2))
      return 0;
    if (c == 0xE0 && b(1) < 0xA0)
      return 0; // overlong
    if (c == 0xED && b(1) >= 0xA0)
      return 0; // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3))
      return 0;
    if (c == 0xF0 && b(1) < 0x90)
      return 0; // overlong
    if (c == 0xF4 && b(1) >= 0x90)
      return 0; // > U+10FFFF
    return 4;
  }
  return 0;
}

} // namespace

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto n = utf8_sequence(s, i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

namespace {

/// Bytes that need a look before they go into a JSON string: control
/// characters, '"', '\\', DEL and every byte of a multi-byte sequence.
constexpr std::array<bool, 256> special_bytes = [] {
  std::array<bool, 256> t{};
  for (size_t c = 0; c < 256; ++c)
    t[c] = c < 0x20 || c >= 0x7F || c == '"' || c == '\\';
  return t;
}();

} // namespace

void append_quoted(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    // A run of characters that need no escape goes in at once (most keys
    // and values are all such characters: one append instead of one
    // push_back per character, issue 16).
    size_t run = i;
    while (run < s.size() && !special_bytes[static_cast<unsigned char>(s[run])])
      ++run;
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      auto n = utf8_sequence(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD"; // U+FFFD
        ++i;
        continue;
      }
      // U+2028 and U+2029 are valid JSON but break JavaScript string literals.
      if (n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80
          && (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
        out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      } else {
        out.append(s.data() + i, n);
      }
      i += n;
      continue;
    }
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20 || c == 0x7F) {
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
      } else {
        out += static_cast<char>(c);
      }
    }
    ++i;
  }
  out += '"';
}

void writer::grow(size_t n) {
  out_.resize(std::max({len_ + n, 2 * out_.size(), out_.capacity(), size_t{256}}));
}

void writer::put(std::string_view s) {
  if (!s.empty())
    std::memcpy(room(s.size()), s.data(), s.size());
}

void writer::quoted(std::string_view s) {
  // Most keys and values need no escape: one piece, quotes included.
  size_t n = 0;
  while (n < s.size() && !special_bytes[static_cast<unsigned char>(s[n])])
    ++n;
  if (n == s.size()) {
    char* at = room(s.size() + 2);
    at[0] = '"';
    if (!s.empty())
      std::memcpy(at + 1, s.data(), s.size());
    at[s.size() + 1] = '"';
    return;
  }
  out_.resize(len_);
  append_quoted(out_, s);
  len_ = out_.size();
}

void writer::before_value() {
  if (after_key_)
    after_key_ = false;
  else if (need_comma_ && depth_ > 0)
    put(',');
  need_comma_ = true;
}

writer& writer::begin_object() {
  before_value();
  put('{');
  ++depth_;
  need_comma_ = false;
  return *this;
}

writer& writer::end_object() {
  put('}');
  --depth_;
  need_comma_ = true;
  return *this;
}

writer& writer::begin_array() {
  before_value();
  put('[');
  ++depth_;
  need_comma_ = false;
  return *this;
}

writer& writer::end_array() {
  put(']');
  --depth_;
  need_comma_ = true;
  return *this;
}

writer& writer::key(std::string_view k) {
  before_value();
  quoted(k);
  put(':');
  after_key_ = true;
  return *this;
}

writer& writer::value(std::string_view s) {
  before_value();
  quoted(s);
  return *this;
}

writer& writer::value(bool b) {
  before_value();
  put(b ? "true" : "false");
  return *this;
}

writer& writer::value(double d) {
  before_value();
  if (!std::isfinite(d)) {
    put("null"); // JSON has no NaN or infinity
    return *this;
  }
  std::array<char, 32> buf;
  auto [end, err] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  put({buf.data(),
       static_cast<size_t>((err == std::errc{} ? end : buf.data()) - buf.data())});
  return *this;
}

writer& writer::value(std::nullptr_t) {
  before_value();
  put("null");
  return *this;
}

writer& writer::integer(int64_t i) {
  before_value();
  std::array<char, 24> buf;
  auto res = std::to_chars(buf.data(), buf.data() + buf.size(), i);
  put({buf.data(), static_cast<size_t>(res.ptr - buf.data())});
  return *this;
}

writer& writer::unsigned_integer(uint64_t i) {
  before_value();
  std::array<char, 24> buf;
  auto res = std::to_chars(buf.data(), buf.data() + buf.size(), i);
  put({buf.data(), static_cast<size_t>(res.ptr - buf.data())});
  return *this;
}

writer& writer::raw(std::string_view json_text) {
  before_value();
  put(json_text);
  return *this;
}

std::string writer::take() {
  out_.resize(len_);
  std::string result;
  result.swap(out_);
  len_ = 0;
  depth_ = 0;
  need_comma_ = false;
  after_key_ = false;
  return result;
}

} // namespace o2hub::json
