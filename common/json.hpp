// The one JSON writer of o2hub: a small streaming writer with full RFC 8259
// escaping. Never build JSON by string concatenation; parse with simdjson.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace o2hub::json {

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool valid_utf8(std::string_view s);

/// Appends `s` as a quoted JSON string. Control characters, quotes and
/// backslashes are escaped, U+2028/U+2029 too (safe inside <script>); every
/// ill-formed UTF-8 sequence becomes U+FFFD, so the output is always valid.
void append_quoted(std::string& out, std::string_view s);

/// Streams one JSON text. Commas and colons are placed automatically.
///
///   json::writer w;
///   w.begin_object().kv("type", "pong").kv("n", 1).end_object();
///   send(w.take());
class writer {
public:
  writer& begin_object();
  writer& end_object();
  writer& begin_array();
  writer& end_array();
  writer& key(std::string_view k);

  writer& value(std::string_view s);
  writer& value(const char* s) { return value(std::string_view{s}); }
  writer& value(const std::string& s) { return value(std::string_view{s}); }
  writer& value(bool b);
  writer& value(double d);
  writer& value(std::nullptr_t);
  template <class T,
            class = std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>>
  writer& value(T i) {
    if constexpr (std::is_signed_v<T>)
      return integer(static_cast<int64_t>(i));
    else
      return unsigned_integer(static_cast<uint64_t>(i));
  }

  /// Inserts an already serialized JSON value (produced by another writer).
  writer& raw(std::string_view json_text);

  template <class T>
  writer& kv(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  /// Room for `n` bytes of text up front (fewer reallocations while a
  /// document of about that size is written).
  void reserve(size_t n) {
    if (out_.size() < n)
      out_.resize(n);
  }

  /// The text so far.
  std::string_view str() const { return {out_.data(), len_}; }
  /// Moves the text out; the writer is empty afterwards.
  std::string take();

private:
  writer& integer(int64_t i);
  writer& unsigned_integer(uint64_t i);
  void before_value();
  void quoted(std::string_view s);

  /// Room for `n` more bytes of text; returns where they go.
  char* room(size_t n) {
    if (n > out_.size() - len_)
      grow(n);
    char* at = out_.data() + len_;
    len_ += n;
    return at;
  }
  void put(char c) { *room(1) = c; }
  void put(std::string_view s);
  void grow(size_t n);

  // The text is the first len_ bytes of out_; the rest is room, filled once
  // when out_ grows. Appending to a std::string costs an out-of-line call
  // and a check per piece, and an answer has ~150 pieces (issue 16).
  std::string out_;
  size_t len_ = 0;
  // One flag is enough for the commas: a value after another value in the
  // same container needs one, the first one in a container does not, and a
  // container that ends is itself a value of its parent.
  size_t depth_ = 0;
  bool need_comma_ = false;
  bool after_key_ = false;
};

} // namespace o2hub::json
