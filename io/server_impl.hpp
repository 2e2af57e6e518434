// The server's private parts, shared by its two halves: io/server.cpp
// (listener, HTTP sessions) and io/ws_connection.cpp (WebSocket sessions).
#pragma once

#include "io/http.hpp"
#include "io/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace o2hub {

namespace net = boost::asio;
using tcp = net::ip::tcp;

/// A connection's stream under TLS.
using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// A process-wide id for every connection.
uint64_t next_connection_id();

struct server::impl : std::enable_shared_from_this<server::impl> {
  impl(net::io_context& io, std::shared_ptr<const http::router> r, server_options o)
      : ioc(io), router(std::move(r)), opts(std::move(o)), acceptor(net::make_strand(io)),
        pause(acceptor.get_executor()) {}

  void do_accept();
  /// Accepting failed for want of descriptors or memory: wait, then retry.
  void back_off(const boost::system::error_code& ec);
  /// A connection over a cap: a short 503 and close, without reading.
  void turn_away(tcp::socket socket, const std::string& why);
  /// Logs `msg` at most once per 10 s, with how many were held back.
  void log_throttled(const char* msg, const std::string& detail);
  void add(uint64_t id, std::weak_ptr<ws_sink> s) {
    std::lock_guard<std::mutex> guard{mtx};
    sessions.emplace(id, std::move(s));
  }
  void remove(uint64_t id) {
    std::lock_guard<std::mutex> guard{mtx};
    sessions.erase(id);
  }

  net::io_context& ioc;
  std::shared_ptr<const http::router> router;
  server_options opts;
  tcp::acceptor acceptor;
  /// The accept pause after EMFILE/ENFILE (doubles up to 1 s).
  net::steady_timer pause;
  std::chrono::milliseconds pause_for{0};
  /// Throttled logging (the acceptor's strand only).
  std::chrono::steady_clock::time_point last_log{};
  uint64_t held_back = 0;
  std::atomic<bool> stopping{false};
  /// The next of opts.connection_contexts (the acceptor's strand only).
  size_t next_context = 0;
  mutable std::mutex mtx;
  std::unordered_map<uint64_t, std::weak_ptr<ws_sink>> sessions;
};

/// Takes over an upgraded socket: runs the WebSocket handshake for `req`
/// and the connection, registered with `srv` while it is open; `ticket`
/// (the connection's slot, io/connection_gate.hpp) lives as long.
void start_ws_connection(boost::beast::tcp_stream&& stream,
                         std::shared_ptr<server::impl> srv,
                         std::shared_ptr<ws_endpoint> endpoint, o2hub::role r,
                         std::shared_ptr<http::request> req,
                         std::shared_ptr<void> ticket);
void start_ws_connection(tls_stream&& stream, std::shared_ptr<server::impl> srv,
                         std::shared_ptr<ws_endpoint> endpoint, o2hub::role r,
                         std::shared_ptr<http::request> req,
                         std::shared_ptr<void> ticket);

} // namespace o2hub
