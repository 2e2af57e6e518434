// A WebSocket connection: the chat-multi shape (strand, one write in
// flight, a bounded queue checked before net::post), and the outbound
// sink that hubs and sessions push into.
#include "common/log.hpp"
#include "io/server_impl.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <optional>

namespace o2hub {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace bhttp = beast::http;

namespace {

template <class Stream>
class ws_session : public ws_sink,
                   public std::enable_shared_from_this<ws_session<Stream>> {
  using std::enable_shared_from_this<ws_session<Stream>>::shared_from_this;
  using std::enable_shared_from_this<ws_session<Stream>>::weak_from_this;

public:
  ws_session(Stream&& stream, std::shared_ptr<server::impl> srv,
             std::shared_ptr<ws_endpoint> endpoint, o2hub::role r)
      : ws_(std::move(stream)), srv_(std::move(srv)), endpoint_(std::move(endpoint)),
        role_(r), id_(next_connection_id()) {}

  void hold(std::shared_ptr<void> ticket) { ticket_ = std::move(ticket); }

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

  websocket::stream<Stream> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server::impl> srv_;
  std::shared_ptr<ws_endpoint> endpoint_;
  std::shared_ptr<http::request> upgrade_;
  o2hub::role role_;
  uint64_t id_;
  /// The connection's slot in the gate; freed with the session.
  std::shared_ptr<void> ticket_;
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

} // namespace

namespace {

template <class Stream>
void start(Stream&& stream, std::shared_ptr<server::impl> srv,
           std::shared_ptr<ws_endpoint> endpoint, o2hub::role r,
           std::shared_ptr<http::request> req, std::shared_ptr<void> ticket) {
  auto s = std::make_shared<ws_session<Stream>>(std::move(stream), std::move(srv),
                                                std::move(endpoint), r);
  s->hold(std::move(ticket));
  s->run(std::move(req));
}

} // namespace

void start_ws_connection(beast::tcp_stream&& stream, std::shared_ptr<server::impl> srv,
                         std::shared_ptr<ws_endpoint> endpoint, o2hub::role r,
                         std::shared_ptr<http::request> req,
                         std::shared_ptr<void> ticket) {
  start(std::move(stream), std::move(srv), std::move(endpoint), r, std::move(req),
        std::move(ticket));
}

void start_ws_connection(tls_stream&& stream, std::shared_ptr<server::impl> srv,
                         std::shared_ptr<ws_endpoint> endpoint, o2hub::role r,
                         std::shared_ptr<http::request> req,
                         std::shared_ptr<void> ticket) {
  start(std::move(stream), std::move(srv), std::move(endpoint), r, std::move(req),
        std::move(ticket));
}

} // namespace o2hub
