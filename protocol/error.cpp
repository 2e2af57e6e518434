#include "protocol/error.hpp"

#include <caf/atom.hpp>
#include <caf/exit_reason.hpp>
#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace o2hub {

const char* to_string(ec x) {
  switch (x) {
  case ec::no_error:
    return "no_error";
  case ec::invalid_configuration:
    return "invalid_configuration";
  case ec::invalid_argument:
    return "invalid_argument";
  case ec::unknown_entity:
    return "unknown_entity";
  case ec::conflict:
    return "conflict";
  case ec::filesystem_error:
    return "filesystem_error";
  case ec::network_error:
    return "network_error";
  case ec::timeout:
    return "timeout";
  case ec::subprocess_error:
    return "subprocess_error";
  case ec::parse_error:
    return "parse_error";
  case ec::unknown_site:
    return "unknown_site";
  case ec::invalid_stage:
    return "invalid_stage";
  case ec::unspecified:
    return "unspecified";
  case ec::unauthorized:
    return "unauthorized";
  case ec::unavailable:
    return "unavailable";
  case ec::not_an_intent:
    return "not_an_intent";
  case ec::infeasible:
    return "infeasible";
  case ec::no_matching_intent:
    return "no_matching_intent";
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
  } else if (err.category() == caf::atom("system")) {
    // CAF's own codes by name ("system.request_timeout", not "system.4").
    result = "system.";
    result += caf::to_string(static_cast<caf::sec>(err.code()));
  } else if (err.category() == caf::atom("exit")) {
    result = "exit.";
    result += caf::to_string(static_cast<caf::exit_reason>(err.code()));
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

std::string describe_down(const caf::error& reason) {
  if (reason == caf::exit_reason::remote_link_unreachable)
    return "the connection to its node was lost";
  if (reason == caf::exit_reason::user_shutdown || reason == caf::exit_reason::normal)
    return "it shut down";
  return "it went down (" + render(reason) + ")";
}

std::string describe_connect_error(const caf::error& err) {
  if (err == caf::sec::disconnect_during_handshake)
    return "the connection closed during the handshake (TLS: is this node's "
           "certificate signed by the other node's CA, and do both sides use "
           "TLS?)";
  if (err == caf::sec::cannot_connect_to_node) // the node connector says why
    return error_detail(err);
  if (err == caf::sec::no_actor_published_at_port)
    return "no o2hub hub is published there";
  if (err == caf::sec::request_timeout)
    return no_node_handshake;
  return render(err);
}

std::string error_detail(const caf::error& err) {
  const auto& ctx = err.context();
  if (ctx.size() >= 1 && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  return render(err);
}

http_answer http_answer_of(const caf::error& err) {
  if (err.category() == caf::atom("o2hub")) {
    switch (static_cast<ec>(err.code())) {
    case ec::invalid_argument:
      return {422, "invalid_request"};
    case ec::invalid_stage:
      return {400, "invalid_stage"};
    case ec::unknown_site:
      return {400, "unknown_site"};
    case ec::unknown_entity:
      return {404, "not_found"};
    case ec::conflict:
      return {409, "conflict"};
    case ec::timeout:
      return {504, "timeout"};
    case ec::unauthorized:
      return {403, "forbidden"};
    case ec::not_an_intent:
      return {422, "not_an_intent"};
    case ec::infeasible:
      return {422, "infeasible"};
    case ec::no_matching_intent:
      return {404, "no_matching_intent"};
    case ec::filesystem_error:
    case ec::network_error:
    case ec::unavailable:
      return {503, "unavailable"};
    default:
      return {500, "internal_error"};
    }
  }
  if (err == caf::sec::request_timeout)
    return {504, "timeout"};
  // The actor that should answer is gone (shutting down) or broke its promise.
  return {503, "unavailable"};
}

} // namespace o2hub
