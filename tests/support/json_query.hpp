// Reading values out of JSON answers in tests, by a path of keys and
// indexes: get_string(text, {"intent", "targetSites", 0}).
#pragma once

#include <simdjson.h>

#include <initializer_list>
#include <string>
#include <variant>

namespace o2hub::test {

using json_step = std::variant<const char*, size_t>;

/// The raw JSON of the value at `path`, or "<missing>".
inline std::string json_at(const std::string& text,
                           std::initializer_list<json_step> path) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(text).get(e))
    return "<invalid json>";
  for (const auto& step : path) {
    simdjson::dom::element next;
    auto err = std::holds_alternative<const char*>(step)
                   ? e[std::get<const char*>(step)].get(next)
                   : e.at(std::get<size_t>(step)).get(next);
    if (err)
      return "<missing>";
    e = next;
  }
  if (e.is_string())
    return std::string{std::string_view{e}};
  return simdjson::minify(e);
}

} // namespace o2hub::test
