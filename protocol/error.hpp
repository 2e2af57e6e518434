// o2hub error codes. Fallible functions return caf::expected<T>; build errors
// with caf::error{ec::x, "context"}.
#pragma once

#include <caf/error.hpp>
#include <caf/make_message.hpp>

#include <cstdint>
#include <string>

namespace o2hub {

enum class ec : uint8_t {
  /// Not an error.
  no_error = 0,
  /// A configuration file or value is invalid.
  invalid_configuration,
  /// A request, message or argument is malformed.
  invalid_argument,
  /// A name refers to nothing known (site, pipeline, route).
  unknown_entity,
  /// The request conflicts with the current state.
  conflict,
  /// A file could not be read or written.
  filesystem_error,
  /// A network operation failed (bind, connect, I/O).
  network_error,
  /// An operation ran out of time.
  timeout,
  /// A subprocess could not run or failed.
  subprocess_error,
  /// Text could not be parsed.
  parse_error,
  /// An operator named a site that is not configured.
  unknown_site,
  /// A stage name that is not one of the pipeline's stages.
  invalid_stage,
  /// Anything else.
  unspecified,
  /// A peer is not allowed to do this (an agent that cannot prove its site).
  unauthorized,
  /// What the request needs is not running here (no pipelines on this node).
  unavailable,
  /// The text says nothing o2hub could act on (a greeting, a question).
  not_an_intent,
  /// The intent asks for more than the sites can offer; the error's context
  /// is the detail and the reasons, one per line.
  infeasible,
  /// A remove or modify names no active intent.
  no_matching_intent,
};

/// Why a remote actor went down, in words ("the connection to its node was
/// lost" for CAF's remote_link_unreachable).
std::string describe_down(const caf::error& reason);

/// Why connecting to another node failed, in words.
std::string describe_connect_error(const caf::error& err);

/// Said of a node port that accepts connections but never completes the
/// node handshake.
inline constexpr const char* no_node_handshake =
    "it accepts connections but never completed the node handshake (another service "
    "on that port, a hub too busy to answer, or TLS on one side only?)";

/// The stable name of an error code ("invalid_configuration").
const char* to_string(ec x);

/// Renders any error for humans: "o2hub.invalid_configuration: <context>".
std::string render(const caf::error& err);

/// The human part of an error: its context when that is one string (how
/// o2hub builds errors), else render(err).
std::string error_detail(const caf::error& err);

/// How an error answers an HTTP request: status and the body's "code".
struct http_answer {
  uint16_t status;
  const char* code;
};

/// The one mapping from errors to HTTP answers, for every route of every
/// service: invalid_argument 422 invalid_request, invalid_stage 400,
/// unknown_site 400, unknown_entity 404 not_found, conflict 409, timeouts
/// 504, a store or an actor that is gone 503 unavailable, anything else 500.
http_answer http_answer_of(const caf::error& err);

} // namespace o2hub

CAF_ERROR_CODE_ENUM(o2hub::ec, "o2hub")
