#include "io/server.hpp"

#include "common/log.hpp"
#include "common/text.hpp"
#include "io/connection_gate.hpp"
#include "io/http.hpp"
#include "io/security.hpp"
#include "io/server_impl.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace o2hub {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

std::atomic<uint64_t> connection_ids{1};

/// Why a request's framing is unsafe, or "".
std::string unsafe_framing(const http::request& req) {
  auto te = req[bhttp::field::transfer_encoding];
  if (te.empty())
    return {};
  auto last = te.substr(te.rfind(',') == std::string_view::npos ? 0 : te.rfind(',') + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t'))
    last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t'))
    last.remove_suffix(1);
  if (!iequals(last, "chunked"))
    return "Transfer-Encoding must end in chunked (got '" + std::string{te.substr(0, 64)}
           + "')";
  if (req.count(bhttp::field::content_length) > 0)
    return "Transfer-Encoding and Content-Length together";
  return {};
}

} // namespace

uint64_t next_connection_id() {
  return connection_ids++;
}

namespace {

// -- HTTP session --------------------------------------------------------------

class http_session : public std::enable_shared_from_this<http_session> {
public:
  http_session(tcp::socket&& socket, std::shared_ptr<server::impl> srv,
               std::shared_ptr<void> ticket)
      : stream_(std::move(socket)), srv_(std::move(srv)), ticket_(std::move(ticket)) {}

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&http_session::do_read, shared_from_this()));
  }

private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(srv_->opts.body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(srv_->opts.read_timeout_s));
    bhttp::async_read(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&http_session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream)
      return do_close();
    if (ec == bhttp::error::body_limit)
      return reject(http::status::payload_too_large, "body_too_large",
                    "the request body exceeds the limit of "
                        + std::to_string(srv_->opts.body_limit) + " bytes");
    if (ec == bhttp::error::header_limit)
      return reject(http::status::request_header_fields_too_large, "headers_too_large",
                    "the request headers are too large");
    if (ec
        && ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category())
      return reject(http::status::bad_request, "malformed_request",
                    "malformed HTTP request: " + ec.message());
    if (ec)
      return; // timeout, reset: the stream is closed
    auto req = std::make_shared<http::request>(parser_->release());
    // Request smuggling (RFC 9112 6.1, 6.3): a Transfer-Encoding whose last
    // coding is not chunked, or one beside a Content-Length, cannot be
    // framed safely; refuse it and close, so no byte after it is read as
    // another request.
    if (auto why = unsafe_framing(*req); !why.empty())
      return reject(http::status::bad_request, "bad_framing", std::move(why));
    if (websocket::is_upgrade(*req))
      return upgrade(std::move(req));
    stream_.expires_never(); // handlers bound their own time
    bool head = req->method() == bhttp::verb::head;
    srv_->router->handle(*req,
                         [self = shared_from_this(), req, head](http::response res) {
                           net::post(self->stream_.get_executor(),
                                     [self, head, res = std::move(res)]() mutable {
                                       self->send(std::move(res), head);
                                     });
                         });
  }

  void reject(http::status st, std::string_view code, std::string detail) {
    http::request req;
    req.version(11);
    req.keep_alive(false);
    auto res = http::make_error(req, st, code, detail);
    res.keep_alive(false);
    linger_ = true;
    send(std::move(res), false);
  }

  // After refusing a request whose body may still be arriving: stop sending,
  // then read and discard for a moment, so that closing the socket does not
  // reset the connection before the client has read our error response.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    scratch_ = std::make_unique<std::array<char, 16384>>();
    drain();
  }

  void drain() {
    stream_.async_read_some(
        net::buffer(*scratch_),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          self->drained_ += n;
          if (!ec && self->drained_ < 64 * 1024 * 1024)
            self->drain();
        });
  }

  void upgrade(std::shared_ptr<http::request> req) {
    auto route = srv_->router->find_ws(req->target());
    const auto& sec = srv_->router->security();
    auto refuse = [&](http::status st, std::string_view code, std::string_view detail) {
      auto res = http::make_error(*req, st, code, detail);
      res.keep_alive(false);
      send(std::move(res), false);
    };
    if (!route)
      return refuse(http::status::not_found, "not_found",
                    "no WebSocket endpoint at this path");
    if ((*req)[bhttp::field::sec_websocket_version] != "13") {
      auto res = http::make_error(*req, http::status::upgrade_required,
                                  "unsupported_websocket_version",
                                  "only WebSocket version 13 (RFC 6455) is supported");
      res.set(bhttp::field::sec_websocket_version, "13");
      res.keep_alive(false);
      return send(std::move(res), false);
    }
    if (srv_->stopping)
      return refuse(http::status::service_unavailable, "shutting_down",
                    "the server is shutting down");
    if (!sec.host_allowed(*req))
      return refuse(http::status::misdirected_request, "host_not_allowed",
                    "this server does not answer for this Host; add the name to "
                    "security.allowed_hosts");
    if (!sec.origin_allowed(*req))
      return refuse(http::status::forbidden, "origin_not_allowed",
                    "this Origin may not open a WebSocket here");
    auto who = sec.authenticate(*req, true);
    if (!who)
      return refuse(http::status::unauthorized, "invalid_token",
                    "the token is not valid");
    bool ok = route->level == http::access::open
              || (route->level == http::access::viewer && *who != role::anonymous)
              || (route->level == http::access::operator_ && *who == role::operator_);
    if (!ok)
      return refuse(*who == role::anonymous ? http::status::unauthorized
                                            : http::status::forbidden,
                    *who == role::anonymous ? "unauthorized" : "forbidden",
                    "this WebSocket needs a token (Authorization: Bearer or "
                    "?token=)");
    stream_.expires_never();
    start_ws_connection(stream_.release_socket(), srv_, route->endpoint, *who,
                        std::move(req), std::move(ticket_));
  }

  void send(http::response res, bool head) {
    if (head) {
      auto size = res.body().size();
      res.body().clear();
      res.content_length(size);
    }
    close_after_ = res.need_eof();
    res_ = std::make_shared<http::response>(std::move(res));
    stream_.expires_after(std::chrono::seconds(srv_->opts.read_timeout_s));
    bhttp::async_write(
        stream_, *res_,
        beast::bind_front_handler(&http_session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    res_.reset();
    if (ec)
      return;
    if (linger_)
      return linger();
    if (close_after_ || srv_->stopping)
      return do_close();
    do_read();
  }

  void do_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server::impl> srv_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<http::response> res_;
  /// The connection's slot in the gate; freed with the session (or handed
  /// to the WebSocket session on upgrade).
  std::shared_ptr<void> ticket_;
  std::unique_ptr<std::array<char, 16384>> scratch_;
  size_t drained_ = 0;
  bool close_after_ = false;
  bool linger_ = false;
};

} // namespace

// -- listener ----------------------------------------------------------------

void server::impl::do_accept() {
  acceptor.async_accept(
      net::make_strand(ioc),
      [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || self->stopping)
          return;
        if (ec == net::error::no_descriptors || ec == net::error::no_buffer_space
            || ec == net::error::no_memory
            || ec == boost::system::errc::too_many_files_open_in_system)
          return self->back_off(ec);
        self->pause_for = std::chrono::milliseconds{0};
        if (ec) {
          // One connection's trouble (reset before accept): go on.
          self->log_throttled("accept failed", ec.message());
          return self->do_accept();
        }
        std::shared_ptr<void> ticket;
        if (self->opts.gate) {
          beast::error_code pe;
          auto peer = socket.remote_endpoint(pe);
          std::string why;
          auto addr = peer.address();
          ticket = self->opts.gate->admit(pe ? std::string{} : addr.to_string(),
                                          !pe && addr.is_loopback(), why);
          if (!ticket) {
            self->turn_away(std::move(socket), why);
            return self->do_accept();
          }
        }
        // Small frames (keystrokes, pongs) must not wait for Nagle.
        beast::error_code nd;
        socket.set_option(tcp::no_delay(true), nd);
        std::make_shared<http_session>(std::move(socket), self, std::move(ticket))->run();
        self->do_accept();
      });
}

void server::impl::back_off(const boost::system::error_code& ec) {
  pause_for = std::clamp(pause_for * 2, std::chrono::milliseconds{50},
                         std::chrono::milliseconds{1000});
  log_throttled("accept paused: out of file descriptors or memory",
                ec.message() + "; retrying in " + std::to_string(pause_for.count())
                    + " ms");
  pause.expires_after(pause_for);
  pause.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
    if (!wait_ec && !self->stopping)
      self->do_accept();
  });
}

void server::impl::turn_away(tcp::socket socket, const std::string& why) {
  log_throttled("connection refused", why);
  static const std::string answer = [] {
    std::string body = R"({"detail":"too many connections; try again later",)"
                       R"("code":"too_many_connections"})";
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
           "Retry-After: 5\r\nConnection: close\r\nContent-Length: "
           + std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  // Best effort, never blocking: the socket's buffer takes these few bytes.
  beast::error_code ec;
  socket.non_blocking(true, ec);
  socket.write_some(net::buffer(answer), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

void server::impl::log_throttled(const char* msg, const std::string& detail) {
  auto now = std::chrono::steady_clock::now();
  if (last_log != std::chrono::steady_clock::time_point{}
      && now - last_log < std::chrono::seconds(10)) {
    ++held_back;
    return;
  }
  log::warn(msg, {{"service", opts.name},
                  {"detail", detail},
                  {"held_back", std::to_string(held_back)}});
  held_back = 0;
  last_log = now;
}

server::server(net::io_context& ioc, std::shared_ptr<const http::router> r,
               server_options opts)
    : impl_(std::make_shared<impl>(ioc, std::move(r), std::move(opts))) {}

server::~server() {
  shutdown();
}

std::string server::listen(const std::string& address, uint16_t port) {
  beast::error_code ec;
  auto addr = net::ip::make_address(address, ec);
  if (ec)
    return "'" + address + "' is not an IP address to bind to";
  tcp::endpoint ep{addr, port};
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec)
    acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    acc.bind(ep, ec);
  if (ec == net::error::address_in_use)
    return "port " + std::to_string(port) + " on " + address
           + " is already in use (is another o2hub running? stop it, or "
             "choose another port)";
  if (ec == net::error::access_denied)
    return "not allowed to bind " + address + ":" + std::to_string(port);
  if (!ec)
    acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return "cannot listen on " + address + ":" + std::to_string(port) + ": "
           + ec.message();
  impl_->do_accept();
  return {};
}

uint16_t server::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void server::shutdown() {
  if (impl_->stopping.exchange(true))
    return;
  net::post(impl_->acceptor.get_executor(), [self = impl_] {
    beast::error_code ec;
    self->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<ws_sink>> open;
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    for (auto& [id, weak] : impl_->sessions)
      if (auto s = weak.lock())
        open.push_back(std::move(s));
  }
  for (auto& s : open)
    s->close(close_code::going_away, "server shutting down");
}

size_t server::ws_clients() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->sessions.size();
}

} // namespace o2hub
