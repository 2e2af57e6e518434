// The plain interfaces between WebSocket connections and the code that uses
// them. No Beast, no CAF: hubs and endpoints see only these.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace o2hub {

/// Who a request or connection speaks for.
enum class role : uint8_t {
  /// No credentials (or none needed for this route).
  anonymous,
  /// Read-only: O2HUB_VIEWER_TOKEN.
  viewer,
  /// Full access: O2HUB_TOKEN, or anyone when no token is configured.
  operator_,
};

inline const char* to_string(role r) {
  switch (r) {
  case role::anonymous:
    return "anonymous";
  case role::viewer:
    return "viewer";
  case role::operator_:
    return "operator";
  }
  return "anonymous";
}

/// WebSocket close codes o2hub uses.
namespace close_code {
constexpr uint16_t normal = 1000;
constexpr uint16_t going_away = 1001;
constexpr uint16_t unsupported_data = 1003;
constexpr uint16_t policy_violation = 1008;
constexpr uint16_t too_big = 1009;
constexpr uint16_t try_again_later = 1013;
} // namespace close_code

/// The outbound side of one WebSocket connection. Thread-safe: any thread or
/// actor may push. A push never blocks and never queues without bound.
class ws_sink {
public:
  virtual ~ws_sink() = default;

  /// Queues a text message. Returns false when the client is gone or its
  /// queue is full (the connection is then closed with 1008).
  virtual bool push(std::shared_ptr<const std::string> text) = 0;

  /// Closes the connection with a code and reason after queued messages.
  virtual void close(uint16_t code, std::string reason) = 0;

  /// Unique per process.
  virtual uint64_t id() const = 0;

  virtual o2hub::role role() const = 0;

  /// Bytes queued and not yet written to the client (0 if not tracked).
  virtual size_t queued_bytes() const { return 0; }

  /// Convenience: push a copy of `text`.
  bool send(std::string text) {
    return push(std::make_shared<const std::string>(std::move(text)));
  }
};

/// What a WebSocket route does with its connections. Called on the
/// connection's strand; implementations must be thread-safe across
/// connections.
class ws_endpoint {
public:
  virtual ~ws_endpoint() = default;
  virtual void on_open(const std::shared_ptr<ws_sink>& sink) = 0;
  virtual void on_message(const std::shared_ptr<ws_sink>& sink, std::string_view data,
                          bool binary) = 0;
  virtual void on_close(const std::shared_ptr<ws_sink>& sink) = 0;
};

} // namespace o2hub
