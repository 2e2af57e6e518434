// Helpers shared by the TMF921 body readers (actors/tmf/read.cpp,
// actors/tmf/patch.cpp).
#pragma once

#include "actors/tmf/read.hpp"
#include "protocol/intent_json.hpp"

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub::tmf::detail {

inline refusal bad(std::string message) {
  return {400, "invalidBody", std::move(message)};
}

inline bool has(const std::vector<std::string>& xs, std::string_view x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

/// Fields of an Intent that o2hub sets.
inline const std::vector<std::string>& owned() {
  static const std::vector<std::string> xs{
      "id",           "href",       "lifecycleStatus",
      "creationDate", "lastUpdate", "statusChangeDate",
      "version"};
  return xs;
}

/// Parses `body` as one whole JSON object (a `what`), or refuses it.
inline refusal parse_object(simdjson::dom::parser& p, std::string_view body,
                            simdjson::dom::object& out, const char* what) {
  if (auto e = wire::invalid_document(body))
    return {e->status, "invalidBody", e->message};
  simdjson::dom::element root;
  if (p.parse(body.data(), body.size()).get(root) || root.get_object().get(out))
    return bad(std::string{"the body must be a JSON object ("} + what + ")");
  return {};
}

} // namespace o2hub::tmf::detail
