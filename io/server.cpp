#include "io/server.hpp"

#include "common/log.hpp"
#include "io/connection_gate.hpp"
#include "io/http.hpp"
#include "io/security.hpp"
#include "io/server_impl.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <type_traits>
#include <unordered_map>

namespace o2hub {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

// -- HTTP session --------------------------------------------------------------

/// One HTTP connection over `Stream`: tcp::socket, or tls_stream
/// (beast::ssl_stream over one) when http.tls is configured.
template <class Stream>
class http_session : public std::enable_shared_from_this<http_session<Stream>> {
  static constexpr bool tls = !std::is_same_v<Stream, tcp::socket>;
  using std::enable_shared_from_this<http_session<Stream>>::shared_from_this;
  using clock = std::chrono::steady_clock;

public:
  http_session(Stream&& stream, std::shared_ptr<server::impl> srv,
               std::shared_ptr<void> ticket)
      : stream_(std::move(stream)), srv_(std::move(srv)), ticket_(std::move(ticket)),
        timer_(stream_.get_executor()) {}

  void run() {
    if constexpr (tls) {
      // The handshake is bounded like a request.
      deadline(std::chrono::seconds(srv_->opts.read_timeout_s));
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = shared_from_this()](beast::error_code ec) {
                                if (ec)
                                  return; // not TLS, bad certificate, timeout
                                self->do_read();
                              });
    } else {
      net::dispatch(
          stream_.get_executor(),
          beast::bind_front_handler(&http_session::do_read, shared_from_this()));
    }
  }

private:
  tcp::socket& lowest() { return beast::get_lowest_layer(stream_); }

  // -- time limits -------------------------------------------------------------
  // One lazy timer per connection instead of one timer operation per read
  // and write (Beast's basic_stream): a deadline is a store; the timer,
  // when it fires, closes the socket if the deadline has passed (the
  // pending operation then ends with an error) or waits again for the rest.
  // It holds the session weakly: a finished connection goes at once.

  void deadline(std::chrono::seconds s) {
    deadline_ = clock::now() + s;
    // A wait already pending ends no later: it fires and waits again for
    // the rest. A shorter limit (the linger after a refusal) re-arms.
    if (!timer_waiting_ || timer_.expiry() > deadline_)
      wait_until(deadline_);
  }

  void no_deadline() { deadline_ = clock::time_point::max(); }

  void wait_until(clock::time_point at) {
    timer_waiting_ = true;
    timer_.expires_at(at); // cancels a pending wait
    timer_.async_wait([weak = this->weak_from_this()](beast::error_code ec) {
      if (auto self = weak.lock())
        self->on_timer(ec);
    });
  }

  void on_timer(beast::error_code ec) {
    if (ec == net::error::operation_aborted)
      return; // re-armed, or handed over to a WebSocket session
    timer_waiting_ = false;
    if (deadline_ == clock::time_point::max())
      return; // nothing to time now; the next deadline waits again
    if (clock::now() < deadline_)
      return wait_until(deadline_);
    beast::error_code ignored;
    lowest().close(ignored);
  }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(srv_->opts.body_limit);
    parser_->header_limit(16 * 1024);
    deadline(std::chrono::seconds(srv_->opts.read_timeout_s));
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
    no_deadline(); // handlers bound their own time
    bool head = req->method() == bhttp::verb::head;
    // A handler that answers at once (on this thread) is written at once;
    // one that answers from an actor is posted back to the connection.
    srv_->router->handle(*req,
                         [self = shared_from_this(), req, head](http::response res) {
                           net::dispatch(self->stream_.get_executor(),
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
    lowest().shutdown(tcp::socket::shutdown_send, ec);
    deadline(std::chrono::seconds(2));
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
    no_deadline();
    timer_.cancel();
    start_ws_connection(std::move(stream_), srv_, route->endpoint, *who, std::move(req),
                        std::move(ticket_));
  }

  void send(http::response res, bool head) {
    if (head) {
      auto size = res.body().size();
      res.body().clear();
      res.content_length(size);
    }
    close_after_ = res.need_eof();
    // One gathered write of the head and the body: Beast's serializer
    // walks a chain of buffer views per write, several times the cost of
    // the rest of a small request (profiled for issue 16).
    head_ = render_head(res);
    body_ = std::move(res.body());
    deadline(std::chrono::seconds(srv_->opts.read_timeout_s));
    std::array<net::const_buffer, 2> bufs{net::buffer(head_), net::buffer(body_)};
    net::async_write(
        stream_, bufs,
        beast::bind_front_handler(&http_session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    head_.clear();
    body_ = std::string{};
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
    lowest().shutdown(tcp::socket::shutdown_send, ec);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server::impl> srv_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string head_;
  std::string body_;
  /// The connection's slot in the gate; freed with the session (or handed
  /// to the WebSocket session on upgrade).
  std::shared_ptr<void> ticket_;
  std::unique_ptr<std::array<char, 16384>> scratch_;
  size_t drained_ = 0;
  net::steady_timer timer_;
  clock::time_point deadline_ = clock::time_point::max();
  bool timer_waiting_ = false;
  bool close_after_ = false;
  bool linger_ = false;
};

} // namespace

// -- listener ----------------------------------------------------------------

void server::impl::do_accept() {
  net::any_io_executor executor;
  if (!opts.connection_contexts.empty())
    executor = opts.connection_contexts[next_context++ % opts.connection_contexts.size()]
                   ->get_executor();
  else if (opts.strands)
    executor = net::make_strand(ioc);
  else
    executor = ioc.get_executor();
  acceptor.async_accept(
      executor, [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
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
        if (self->opts.tls)
          std::make_shared<http_session<tls_stream>>(
              tls_stream{std::move(socket), *self->opts.tls}, self, std::move(ticket))
              ->run();
        else
          std::make_shared<http_session<tcp::socket>>(std::move(socket), self,
                                                      std::move(ticket))
              ->run();
        self->do_accept();
      });
}

} // namespace o2hub
