// Blocking HTTP, WebSocket and raw TCP clients for integration tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace o2hub::test {

struct http_result {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
};

http_result http_request(uint16_t port, const std::string& method,
                         const std::string& target, const std::string& body = {},
                         const std::map<std::string, std::string>& headers = {});

inline http_result http_get(uint16_t port, const std::string& target) {
  return http_request(port, "GET", target);
}

/// Sends raw bytes, returns everything read until the peer closes or the
/// timeout passes.
std::string raw_exchange(uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// A blocking WebSocket client.
class ws_client {
public:
  /// Connects and upgrades; throws on failure (the HTTP status is in the
  /// message).
  ws_client(uint16_t port, const std::string& target = "/ws",
            const std::map<std::string, std::string>& headers = {});
  ~ws_client();

  void send_text(const std::string& text);
  /// Like send_text, but a peer that already closed is not an error.
  void send_text_lenient(const std::string& text);
  /// After a failed read: the error text ("" if none).
  std::string last_error() const;
  void send_binary(const std::string& data);

  /// Reads one message; throws on close or error. `timeout` bounds the wait.
  std::string read(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  /// After the server closed: the close code it sent (0 if none).
  uint16_t close_code() const;
  std::string close_reason() const;

  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

} // namespace o2hub::test
