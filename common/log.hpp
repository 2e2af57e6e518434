// Structured logging: one JSON object per line on stderr
// ({"ts","level","msg",...fields}). Never log secrets.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace o2hub::log {

enum class level { debug, info, warn, error, off };

using field = std::pair<std::string_view, std::string_view>;

/// Sets up the logger; `level_name` is debug, info, warn, error or off.
/// Returns false for an unknown level name.
bool init(std::string_view level_name);

void write(level lvl, std::string_view msg, std::initializer_list<field> fields);

inline void debug(std::string_view msg, std::initializer_list<field> f = {}) {
  write(level::debug, msg, f);
}
inline void info(std::string_view msg, std::initializer_list<field> f = {}) {
  write(level::info, msg, f);
}
inline void warn(std::string_view msg, std::initializer_list<field> f = {}) {
  write(level::warn, msg, f);
}
inline void error(std::string_view msg, std::initializer_list<field> f = {}) {
  write(level::error, msg, f);
}

} // namespace o2hub::log
