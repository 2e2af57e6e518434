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
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace o2hub {

namespace net = boost::asio;
using tcp = net::ip::tcp;

/// A connection's stream under TLS. Plain connections are a bare
/// tcp::socket: Beast's basic_stream wraps every operation in a timeout
/// operation, which sessions here replace with one lazy timer each.
using tls_stream = boost::beast::ssl_stream<tcp::socket>;

/// A process-wide id for every connection.
uint64_t next_connection_id();

/// Why a request's framing is unsafe (RFC 9112 6.1, 6.3), or "".
std::string unsafe_framing(const http::request& req);

/// The status line and header fields of `res`, as Beast's serializer
/// writes them (every response here has a string body with its
/// Content-Length set, or none and the connection closes after it).
std::string render_head(const http::response& res);

/// Messages for the WebSocket sessions of one io_context, gathered: a
/// broadcast to N sessions posts to each io_context once, not N times
/// (a post is a lock, a handler allocation and, to an idle thread, a
/// wake-up; issue 16). Per producer, messages keep their order.
class ws_outbox : public std::enable_shared_from_this<ws_outbox> {
public:
  /// A session, as the outbox delivers to it (on its io_context).
  struct receiver {
    virtual ~receiver() = default;
    virtual void deliver(std::shared_ptr<const std::string> text) = 0;
  };

  explicit ws_outbox(net::io_context::executor_type ex) : ex_(ex) {}

  /// Any thread.
  void push(std::weak_ptr<receiver> to, std::shared_ptr<const std::string> text);

private:
  struct item {
    std::weak_ptr<receiver> to;
    std::shared_ptr<const std::string> text;
  };

  /// On the io_context: delivers a bounded share, then posts itself again
  /// (other handlers of the thread get their turn) until nothing is left.
  void drain();

  net::io_context::executor_type ex_;
  std::mutex mtx_;
  std::vector<item> items_; // guarded by mtx_
  bool scheduled_ = false;  // guarded by mtx_
  std::vector<item> batch_; // the io_context only
  size_t cursor_ = 0;       // the io_context only
};

struct server::impl : std::enable_shared_from_this<server::impl> {
  impl(net::io_context& io, std::shared_ptr<const http::router> r, server_options o)
      : ioc(io), router(std::move(r)), opts(std::move(o)), acceptor(net::make_strand(io)),
        pause(acceptor.get_executor()) {
    if (!opts.connection_contexts.empty()) {
      for (auto* c : opts.connection_contexts)
        outboxes.emplace_back(c, std::make_shared<ws_outbox>(c->get_executor()));
    } else if (!opts.strands) {
      outboxes.emplace_back(&ioc, std::make_shared<ws_outbox>(ioc.get_executor()));
    }
  }

  /// The outbox of the io_context `ex` runs on; null for a strand (its
  /// sessions get a post each).
  std::shared_ptr<ws_outbox> outbox_for(const net::any_io_executor& ex) const {
    auto* plain = ex.target<net::io_context::executor_type>();
    if (plain == nullptr)
      return nullptr;
    for (const auto& [ctx, box] : outboxes)
      if (&plain->context() == ctx)
        return box;
    return nullptr;
  }

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
  std::vector<std::pair<net::io_context*, std::shared_ptr<ws_outbox>>> outboxes;
};

/// Takes over an upgraded socket: runs the WebSocket handshake for `req`
/// and the connection, registered with `srv` while it is open; `ticket`
/// (the connection's slot, io/connection_gate.hpp) lives as long.
void start_ws_connection(tcp::socket&& stream, std::shared_ptr<server::impl> srv,
                         std::shared_ptr<ws_endpoint> endpoint, o2hub::role r,
                         std::shared_ptr<http::request> req,
                         std::shared_ptr<void> ticket);
void start_ws_connection(tls_stream&& stream, std::shared_ptr<server::impl> srv,
                         std::shared_ptr<ws_endpoint> endpoint, o2hub::role r,
                         std::shared_ptr<http::request> req,
                         std::shared_ptr<void> ticket);

} // namespace o2hub
