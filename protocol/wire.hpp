// JSON codecs of the wire formats shared by every service: health, ping/pong,
// errors. Service-specific formats live beside these as their issues add them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace o2hub {

struct health_report;

namespace json {
class writer;
} // namespace json

namespace wire {

/// GET /health body: {"status","service","version","uptime_s","timestamp",
/// "requests_total", the report's fields..., what `more` writes}.
std::string health_json(const health_report& report,
                        const std::function<void(json::writer&)>& more = {});

/// {"type":"pong","timestamp":"..."}.
std::string pong_json();

/// A WebSocket error message: {"type":"error","code","message","timestamp"}.
std::string ws_error_json(std::string_view code, std::string_view message);

/// An HTTP error body: {"detail": "<human message>", "code": "<stable code>"}.
std::string http_error_json(std::string_view code, std::string_view detail);

/// The same with "reasons": one per line of `reasons`.
std::string http_error_json(std::string_view code, std::string_view detail,
                            std::string_view reasons);

/// The result of reading the envelope of a client's WebSocket message.
struct ws_envelope {
  /// The message's "type", when the text was a JSON object with a string type.
  std::optional<std::string> type;
  /// Why the message has no usable type: stable code and human message.
  std::string error_code;
  std::string error_message;
};

/// Reads the "type" of a client's WebSocket text message. The bare text
/// "ping" (sent by the original clients) reads as type "ping".
ws_envelope read_ws_envelope(std::string_view text);

} // namespace wire
} // namespace o2hub
