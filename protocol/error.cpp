#include "protocol/error.hpp"

#include <caf/atom.hpp>
#include <caf/message.hpp>

namespace o2hub {

const char* to_string(ec x) {
  switch (x) {
    case ec::no_error: return "no_error";
    case ec::invalid_configuration: return "invalid_configuration";
    case ec::invalid_argument: return "invalid_argument";
    case ec::unknown_entity: return "unknown_entity";
    case ec::conflict: return "conflict";
    case ec::filesystem_error: return "filesystem_error";
    case ec::network_error: return "network_error";
    case ec::timeout: return "timeout";
    case ec::subprocess_error: return "subprocess_error";
    case ec::parse_error: return "parse_error";
    case ec::unspecified: return "unspecified";
  }
  return "unknown";
}

std::string render(const caf::error& err) {
  if (!err)
    return "no error";
  std::string result;
  if (err.category() == caf::atom("o2hub")) {
    result = "o2hub.";
    result += to_string(static_cast<ec>(err.code()));
  } else {
    result = caf::to_string(err.category());
    result += '.';
    result += std::to_string(err.code());
  }
  const auto& ctx = err.context();
  if (!ctx.empty()) {
    result += ": ";
    for (size_t i = 0; i < ctx.size(); ++i) {
      if (i > 0)
        result += ' ';
      if (ctx.match_element<std::string>(i))
        result += ctx.get_as<std::string>(i);
      else
        result += ctx.stringify(i);
    }
  }
  return result;
}

} // namespace o2hub
