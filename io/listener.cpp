// The server's listener half: binding, the accept loop's pauses and
// refusals (io/server.cpp accepts and runs the sessions), and shutdown.
#include "common/log.hpp"
#include "io/server.hpp"
#include "io/server_impl.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace o2hub {

namespace beast = boost::beast;

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
  // Best effort, never blocking: the socket's buffer takes these few bytes
  // (under TLS there is no session to say it in: just close).
  beast::error_code ec;
  socket.non_blocking(true, ec);
  if (!opts.tls)
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
