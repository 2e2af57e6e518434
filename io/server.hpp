// The Beast HTTP + WebSocket server shared by every service (chat-multi
// shape): one listener per service, a strand per connection, body and frame
// limits, read timeouts, and bounded per-connection write queues.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
namespace ssl {
class context;
} // namespace ssl
} // namespace boost::asio

namespace o2hub {

namespace http {
class router;
} // namespace http

class connection_gate;

struct server_options {
  /// Service name for logs.
  std::string name;
  size_t body_limit = 1024 * 1024;
  int read_timeout_s = 30;
  size_t ws_frame_limit = 1024 * 1024;
  size_t ws_queue_limit = 1024;
  /// Bytes queued per WebSocket client before it counts as too slow (one
  /// message larger than this is still accepted into an empty queue).
  size_t ws_queue_bytes = 8 * 1024 * 1024;
  /// Connection caps shared by the process's servers; null: none.
  std::shared_ptr<connection_gate> gate;
  /// TLS (HTTPS and WSS on the same port); null: plain HTTP.
  std::shared_ptr<boost::asio::ssl::context> tls;
  /// A strand per connection. Only needed when more than one thread runs
  /// the io_context; with one, every handler already runs in order on it,
  /// and a strand would add a queue and a lock to every post and completion.
  bool strands = false;
  /// Where accepted connections live, dealt out in turn; each io_context is
  /// run by one thread, so a connection's handlers run in order without a
  /// strand, and the connections spread over the threads (http.threads).
  /// Empty: the server's own io_context (strands as set above).
  std::vector<boost::asio::io_context*> connection_contexts;
};

class server {
public:
  server(boost::asio::io_context& ioc, std::shared_ptr<const http::router> r,
         server_options opts);
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds and starts accepting. Returns an empty string on success, else a
  /// message for the operator ("port 8002 is already in use ...").
  std::string listen(const std::string& address, uint16_t port);

  /// The bound port (useful with port 0).
  uint16_t port() const;

  /// Stops accepting and closes every WebSocket with 1001 (going away).
  /// Thread-safe.
  void shutdown();

  /// Open WebSocket connections.
  size_t ws_clients() const;

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace o2hub
