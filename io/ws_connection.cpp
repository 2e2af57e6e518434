// A WebSocket connection: the chat-multi shape (one write in flight, a
// bounded queue checked before anything is queued), the outbound sink that
// hubs and sessions push into, and the outbox that carries their messages
// to the io_context (io/server_impl.hpp).
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
class ws_session;

/// What hubs and session actors hold: the connection's queue counters and a
/// weak link to it, never the socket. An actor that outlives the
/// connection (or the io_context, at shutdown) then owns no Asio object.
template <class Stream>
class ws_outlet final : public ws_sink {
public:
  ws_outlet(uint64_t id, o2hub::role r, size_t queue_limit, size_t queue_bytes)
      : id_(id), role_(r), queue_limit_(queue_limit), queue_bytes_(queue_bytes) {}

  // -- ws_sink (any thread) ----------------------------------------------------

  bool push(std::shared_ptr<const std::string> text) override {
    if (closed.load())
      return false;
    // Bound the queue *before* posting, or Asio's handler queue grows instead.
    auto size = text->size();
    auto queued = pending_bytes.fetch_add(size);
    if (pending.fetch_add(1) >= queue_limit_
        || (queued > 0 && queued + size > queue_bytes_)) {
      unqueue(size);
      close(close_code::policy_violation, "client too slow: outbound queue full");
      return false;
    }
    auto s = session.lock();
    if (!s) {
      unqueue(size);
      closed = true;
      return false;
    }
    s->post_enqueue(std::move(text));
    return true;
  }

  void close(uint16_t code, std::string reason) override {
    if (closed.exchange(true))
      return;
    if (auto s = session.lock())
      s->post_close(code, std::move(reason));
  }

  uint64_t id() const override { return id_; }
  o2hub::role role() const override { return role_; }
  size_t queued_bytes() const override { return pending_bytes.load(); }

  void unqueue(size_t size) {
    --pending;
    pending_bytes -= size;
  }

  std::weak_ptr<ws_session<Stream>> session;
  std::atomic<size_t> pending{0};
  std::atomic<size_t> pending_bytes{0};
  std::atomic<bool> closed{false};

private:
  uint64_t id_;
  o2hub::role role_;
  size_t queue_limit_;
  size_t queue_bytes_;
};

template <class Stream>
class ws_session : public std::enable_shared_from_this<ws_session<Stream>>,
                   public ws_outbox::receiver {
  using std::enable_shared_from_this<ws_session<Stream>>::shared_from_this;

public:
  ws_session(Stream&& stream, std::shared_ptr<server::impl> srv,
             std::shared_ptr<ws_endpoint> endpoint, o2hub::role r)
      : ws_(std::move(stream)), srv_(std::move(srv)), endpoint_(std::move(endpoint)),
        out_(std::make_shared<ws_outlet<Stream>>(next_connection_id(), r,
                                                 srv_->opts.ws_queue_limit,
                                                 srv_->opts.ws_queue_bytes)),
        outbox_(srv_->outbox_for(ws_.get_executor())) {}

  void hold(std::shared_ptr<void> ticket) { ticket_ = std::move(ticket); }

  void run(std::shared_ptr<http::request> req) {
    out_->session = shared_from_this();
    upgrade_ = std::move(req);
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(bhttp::field::server, "o2hub/" O2HUB_VERSION);
    }));
    ws_.read_message_max(srv_->opts.ws_frame_limit);
    ws_.async_accept(
        *upgrade_, beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
  }

  // -- from the outlet (any thread) --------------------------------------------

  void post_enqueue(std::shared_ptr<const std::string> text) {
    if (outbox_) {
      outbox_->push(std::weak_ptr<ws_outbox::receiver>{shared_from_this()},
                    std::move(text));
      return;
    }
    net::post(ws_.get_executor(),
              [self = shared_from_this(), text = std::move(text)]() mutable {
                self->enqueue(std::move(text));
              });
  }

  void post_close(uint16_t code, std::string reason) {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
                self->begin_close(code, std::move(reason));
              });
  }

  /// From the outbox, on the connection's io_context.
  void deliver(std::shared_ptr<const std::string> text) override {
    enqueue(std::move(text));
  }

private:
  void on_accept(beast::error_code ec) {
    upgrade_.reset();
    if (ec) {
      log::debug("websocket handshake failed",
                 {{"service", srv_->opts.name}, {"error", ec.message()}});
      return;
    }
    open_ = true;
    srv_->add(out_->id(), out_);
    endpoint_->on_open(out_);
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
      endpoint_->on_message(out_, data, ws_.got_binary());
    do_read();
  }

  void enqueue(std::shared_ptr<const std::string> text) {
    if (finished_ || closing_) {
      out_->unqueue(text->size());
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
    out_->unqueue(queue_.front()->size());
    queue_.pop_front();
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
      out_->unqueue(queue_.back()->size());
      queue_.pop_back();
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
    out_->closed = true;
    if (finished_)
      return;
    finished_ = true;
    if (open_) {
      srv_->remove(out_->id());
      endpoint_->on_close(out_);
    }
  }

  // No permessage-deflate (never negotiated): without it the stream compiles
  // in a fraction of the time and holds no zlib state.
  websocket::stream<Stream, false> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server::impl> srv_;
  std::shared_ptr<ws_endpoint> endpoint_;
  std::shared_ptr<http::request> upgrade_;
  std::shared_ptr<ws_outlet<Stream>> out_;
  /// Null under a strand.
  std::shared_ptr<ws_outbox> outbox_;
  /// The connection's slot in the gate; freed with the session.
  std::shared_ptr<void> ticket_;
  // Strand-only state.
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::optional<websocket::close_reason> close_reason_;
  bool writing_ = false;
  bool open_ = false;
  bool closing_ = false;
  bool finished_ = false;
};

} // namespace

void ws_outbox::push(std::weak_ptr<receiver> to,
                     std::shared_ptr<const std::string> text) {
  bool post = false;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    items_.push_back({std::move(to), std::move(text)});
    post = !scheduled_;
    scheduled_ = true;
  }
  if (post)
    net::post(ex_, [self = shared_from_this()] { self->drain(); });
}

void ws_outbox::drain() {
  // A share small enough that a thread with thousands of sessions still
  // reads and accepts in between.
  constexpr size_t share = 256;
  if (cursor_ == batch_.size()) {
    batch_.clear();
    cursor_ = 0;
    std::lock_guard<std::mutex> guard{mtx_};
    batch_.swap(items_);
    if (batch_.empty()) {
      scheduled_ = false;
      return;
    }
  }
  auto end = std::min(batch_.size(), cursor_ + share);
  for (; cursor_ < end; ++cursor_) {
    auto& x = batch_[cursor_];
    if (auto to = x.to.lock())
      to->deliver(std::move(x.text));
    x = item{};
  }
  net::post(ex_, [self = shared_from_this()] { self->drain(); });
}

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

void start_ws_connection(tcp::socket&& stream, std::shared_ptr<server::impl> srv,
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
