#include "support/client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <stdexcept>

namespace o2hub::test {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

tcp::endpoint local(uint16_t port) {
  return {net::ip::make_address("127.0.0.1"), port};
}

} // namespace

http_result http_request(uint16_t port, const std::string& method,
                         const std::string& target, const std::string& body,
                         const std::map<std::string, std::string>& headers) {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(local(port));
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
  for (auto& [k, v] : headers)
    req.set(k, v);
  if (!body.empty() || method == "POST") {
    req.body() = body;
    if (headers.count("Content-Type") == 0)
      req.set(bhttp::field::content_type, "application/json");
    req.prepare_payload();
  }
  beast::error_code write_ec;
  bhttp::write(stream, req, write_ec); // a refused large body may break the pipe
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD")
    parser.skip(true);
  bhttp::read(stream, buf, parser);
  auto res = parser.release();
  http_result out;
  out.status = res.result_int();
  out.body = res.body();
  for (auto& f : res)
    out.headers[std::string{f.name_string()}] = std::string{f.value()};
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

std::string raw_exchange(uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout) {
  net::io_context ioc;
  tcp::socket sock{ioc};
  sock.connect(local(port));
  net::write(sock, net::buffer(bytes));
  std::string out;
  std::array<char, 4096> buf;
  std::function<void()> read_more = [&] {
    sock.async_read_some(net::buffer(buf), [&](beast::error_code ec, size_t n) {
      out.append(buf.data(), n);
      if (!ec)
        read_more();
    });
  };
  read_more();
  ioc.run_for(timeout);
  return out;
}

struct ws_client::impl {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream, false> ws{ioc}; // no permessage-deflate
  beast::flat_buffer buf;
  bool closed = false;
  std::string last_error;
};

ws_client::ws_client(uint16_t port, const std::string& target,
                     const std::map<std::string, std::string>& headers)
    : impl_(std::make_unique<impl>()) {
  auto& ws = impl_->ws;
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(ws).connect(local(port));
  ws.set_option(
      websocket::stream_base::decorator([headers](websocket::request_type& req) {
        for (auto& [k, v] : headers)
          req.set(k, v);
      }));
  websocket::response_type res;
  beast::error_code ec;
  ws.handshake(res, "127.0.0.1:" + std::to_string(port), target, ec);
  if (ec) {
    // Beast 1.74 does not fill `res` when the upgrade is declined: repeat the
    // upgrade request as plain HTTP to report what the server answered.
    auto h = headers;
    h["Connection"] = "Upgrade";
    h["Upgrade"] = "websocket";
    h["Sec-WebSocket-Version"] = "13";
    h["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ==";
    auto plain = http_request(port, "GET", target, {}, h);
    throw std::runtime_error("websocket handshake failed (" + ec.message() + "): HTTP "
                             + std::to_string(plain.status) + " " + plain.body);
  }
  beast::get_lowest_layer(ws).expires_never();
  ws.read_message_max(64 * 1024 * 1024);
}

ws_client::~ws_client() {
  if (!impl_->closed) {
    beast::error_code ec;
    beast::get_lowest_layer(impl_->ws).socket().close(ec);
  }
}

void ws_client::send_text(const std::string& text) {
  impl_->ws.text(true);
  impl_->ws.write(net::buffer(text));
}

void ws_client::send_text_lenient(const std::string& text) {
  impl_->ws.text(true);
  beast::error_code ec;
  impl_->ws.write(net::buffer(text), ec);
  if (ec)
    impl_->last_error = ec.message();
}

std::string ws_client::last_error() const {
  return impl_->last_error;
}

void ws_client::send_binary(const std::string& data) {
  impl_->ws.binary(true);
  impl_->ws.write(net::buffer(data));
}

std::string ws_client::read(std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  bool done = false;
  beast::error_code result;
  d.ws.async_read(d.buf, [&](beast::error_code ec, size_t) {
    result = ec;
    done = true;
  });
  d.ioc.restart();
  d.ioc.run_for(timeout);
  if (!done) {
    beast::get_lowest_layer(d.ws).cancel();
    d.ioc.restart();
    d.ioc.run();
    throw std::runtime_error("websocket read timed out");
  }
  if (result) {
    d.closed = true;
    d.last_error = result.message();
    throw std::runtime_error("websocket closed: " + result.message());
  }
  auto text = beast::buffers_to_string(d.buf.data());
  d.buf.consume(d.buf.size());
  return text;
}

uint16_t ws_client::close_code() const {
  return impl_->ws.reason().code;
}

std::string ws_client::close_reason() const {
  return std::string{impl_->ws.reason().reason.c_str()};
}

} // namespace o2hub::test
