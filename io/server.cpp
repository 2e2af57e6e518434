#include "io/server.hpp"

#include "common/log.hpp"
#include "io/http.hpp"
#include "io/security.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

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

std::atomic<uint64_t> next_connection_id{1};

class ws_session;

} // namespace

struct server::impl : std::enable_shared_from_this<server::impl> {
  impl(net::io_context& io, std::shared_ptr<const http::router> r, server_options o)
      : ioc(io), router(std::move(r)), opts(std::move(o)),
        acceptor(net::make_strand(io)) {}

  void do_accept();
  void add(uint64_t id, std::weak_ptr<ws_session> s) {
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
  std::unordered_map<uint64_t, std::weak_ptr<ws_session>> sessions;
};

namespace {

// -- WebSocket session ---------------------------------------------------------

class ws_session : public ws_sink, public std::enable_shared_from_this<ws_session> {
public:
  ws_session(tcp::socket&& socket, std::shared_ptr<server::impl> srv,
             std::shared_ptr<ws_endpoint> endpoint, o2hub::role r)
      : ws_(std::move(socket)), srv_(std::move(srv)), endpoint_(std::move(endpoint)),
        role_(r), id_(next_connection_id++) {}

  void run(std::shared_ptr<http::request> req) {
    upgrade_ = std::move(req);
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(bhttp::field::server, "o2hub/" O2HUB_VERSION);
    }));
    ws_.read_message_max(srv_->opts.ws_frame_limit);
    ws_.async_accept(
        *upgrade_, beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
  }

  // -- ws_sink (any thread) ----------------------------------------------------

  bool push(std::shared_ptr<const std::string> text) override {
    if (closed_.load())
      return false;
    // Bound the queue *before* posting, or Asio's handler queue grows instead.
    auto size = text->size();
    auto queued_bytes = pending_bytes_.fetch_add(size);
    if (pending_.fetch_add(1) >= srv_->opts.ws_queue_limit
        || (queued_bytes > 0 && queued_bytes + size > srv_->opts.ws_queue_bytes)) {
      --pending_;
      pending_bytes_ -= size;
      close(close_code::policy_violation, "client too slow: outbound queue full");
      return false;
    }
    net::post(ws_.get_executor(),
              [self = shared_from_this(), text = std::move(text)]() mutable {
                self->enqueue(std::move(text));
              });
    return true;
  }

  void close(uint16_t code, std::string reason) override {
    if (closed_.exchange(true))
      return;
    net::post(ws_.get_executor(),
              [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
                self->begin_close(code, std::move(reason));
              });
  }

  uint64_t id() const override { return id_; }
  o2hub::role role() const override { return role_; }
  size_t queued_bytes() const override { return pending_bytes_.load(); }

private:
  void on_accept(beast::error_code ec) {
    upgrade_.reset();
    if (ec) {
      log::debug("websocket handshake failed",
                 {{"service", srv_->opts.name}, {"error", ec.message()}});
      return;
    }
    open_ = true;
    srv_->add(id_, weak_from_this());
    endpoint_->on_open(shared_from_this());
    do_read();
    if (closing_ && !writing_)
      do_close(); // close() arrived during the handshake
  }

  void do_read() {
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      if (ec == websocket::error::message_too_big)
        log::info("websocket message over the frame limit; closed with 1009",
                  {{"service", srv_->opts.name}});
      return finish();
    }
    auto data = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!finished_)
      endpoint_->on_message(shared_from_this(), data, ws_.got_binary());
    do_read();
  }

  void enqueue(std::shared_ptr<const std::string> text) {
    if (finished_ || closing_) {
      --pending_;
      pending_bytes_ -= text->size();
      return;
    }
    queue_.push_back(std::move(text));
    if (!writing_)
      do_write();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    pending_bytes_ -= queue_.front()->size();
    queue_.pop_front();
    --pending_;
    writing_ = false;
    if (ec)
      return finish();
    if (close_reason_)
      return do_close();
    if (!queue_.empty())
      do_write();
  }

  void begin_close(uint16_t code, std::string reason) {
    if (finished_ || close_reason_)
      return;
    close_reason_.emplace();
    close_reason_->code = code;
    close_reason_->reason = reason;
    // Unsent messages are dropped: a closing client gets nothing new.
    while (queue_.size() > (writing_ ? 1u : 0u)) {
      pending_bytes_ -= queue_.back()->size();
      queue_.pop_back();
      --pending_;
    }
    closing_ = true;
    if (!open_)
      return;
    if (!writing_)
      do_close();
  }

  void do_close() {
    ws_.async_close(*close_reason_,
                    [self = shared_from_this()](beast::error_code) { self->finish(); });
  }

  void finish() {
    closed_ = true;
    if (finished_)
      return;
    finished_ = true;
    if (open_) {
      srv_->remove(id_);
      endpoint_->on_close(shared_from_this());
    }
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server::impl> srv_;
  std::shared_ptr<ws_endpoint> endpoint_;
  std::shared_ptr<http::request> upgrade_;
  o2hub::role role_;
  uint64_t id_;
  // Strand-only state.
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::optional<websocket::close_reason> close_reason_;
  bool writing_ = false;
  bool open_ = false;
  bool closing_ = false;
  bool finished_ = false;
  // Any thread.
  std::atomic<size_t> pending_{0};
  std::atomic<size_t> pending_bytes_{0};
  std::atomic<bool> closed_{false};
};

// -- HTTP session --------------------------------------------------------------

class http_session : public std::enable_shared_from_this<http_session> {
public:
  http_session(tcp::socket&& socket, std::shared_ptr<server::impl> srv)
      : stream_(std::move(socket)), srv_(std::move(srv)) {}

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
    if (srv_->stopping)
      return refuse(http::status::service_unavailable, "shutting_down",
                    "the server is shutting down");
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
    std::make_shared<ws_session>(stream_.release_socket(), srv_, route->endpoint, *who)
        ->run(std::move(req));
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
  std::unique_ptr<std::array<char, 16384>> scratch_;
  size_t drained_ = 0;
  bool close_after_ = false;
  bool linger_ = false;
};

} // namespace

// -- listener ----------------------------------------------------------------

void server::impl::do_accept() {
  acceptor.async_accept(net::make_strand(ioc), [self = shared_from_this()](
                                                   beast::error_code ec,
                                                   tcp::socket socket) {
    if (ec == net::error::operation_aborted || self->stopping)
      return;
    if (ec) {
      log::warn("accept failed", {{"service", self->opts.name}, {"error", ec.message()}});
    } else {
      // Small frames (keystrokes, pongs) must not wait for Nagle.
      beast::error_code nd;
      socket.set_option(tcp::no_delay(true), nd);
      std::make_shared<http_session>(std::move(socket), self)->run();
    }
    self->do_accept();
  });
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
  std::vector<std::shared_ptr<ws_session>> open;
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
