// Helpers shared by the TMF921 body readers (actors/tmf/read.cpp,
// actors/tmf/patch.cpp).
#pragma once

#include "actors/tmf/read.hpp"

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

} // namespace o2hub::tmf::detail
