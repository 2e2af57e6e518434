// The server's private parts, shared by its two halves: io/server.cpp
// (listener, HTTP sessions) and io/ws_connection.cpp (WebSocket sessions).
#pragma once

#include "io/http.hpp"
#include "io/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace o2hub {

namespace net = boost::asio;
using tcp = net::ip::tcp;

/// A process-wide id for every connection.
uint64_t next_connection_id();

struct server::impl : std::enable_shared_from_this<server::impl> {
  impl(net::io_context& io, std::shared_ptr<const http::router> r, server_options o)
      : ioc(io), router(std::move(r)), opts(std::move(o)),
        acceptor(net::make_strand(io)) {}

  void do_accept();
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
  std::atomic<bool> stopping{false};
  mutable std::mutex mtx;
  std::unordered_map<uint64_t, std::weak_ptr<ws_sink>> sessions;
};

/// Takes over an upgraded socket: runs the WebSocket handshake for `req`
/// and the connection, registered with `srv` while it is open.
void start_ws_connection(tcp::socket&& socket, std::shared_ptr<server::impl> srv,
                         std::shared_ptr<ws_endpoint> endpoint, o2hub::role r,
                         std::shared_ptr<http::request> req);

} // namespace o2hub
