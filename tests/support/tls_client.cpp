#include "support/tls_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/ssl.h>
#include <stdexcept>

namespace o2hub::test {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = net::ssl;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

ssl::context client_context(const std::string& ca_file) {
  ssl::context ctx{ssl::context::tls_client};
  ctx.load_verify_file(ca_file);
  ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

/// Connects and runs the handshake, checking the certificate for `host`.
void connect(beast::ssl_stream<beast::tcp_stream>& s, uint16_t port,
             const std::string& host) {
  beast::get_lowest_layer(s).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(s).connect({net::ip::make_address("127.0.0.1"), port});
  SSL_set_tlsext_host_name(s.native_handle(), host.c_str());
  s.set_verify_callback(ssl::host_name_verification(host));
  beast::error_code ec;
  s.handshake(ssl::stream_base::client, ec);
  if (ec)
    throw std::runtime_error("TLS handshake failed: " + ec.message());
}

} // namespace

http_result https_request(uint16_t port, const std::string& method,
                          const std::string& target, const std::string& body,
                          const std::string& ca_file,
                          const std::map<std::string, std::string>& headers,
                          const std::string& host) {
  net::io_context ioc;
  auto ctx = client_context(ca_file);
  beast::ssl_stream<beast::tcp_stream> s{ioc, ctx};
  connect(s, port, host);
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, host + ":" + std::to_string(port));
  for (const auto& [k, v] : headers)
    req.set(k, v);
  if (!body.empty() || method == "POST") {
    req.body() = body;
    if (headers.count("Content-Type") == 0)
      req.set(bhttp::field::content_type, "application/json");
    req.prepare_payload();
  }
  bhttp::write(s, req);
  beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(s, buf, res);
  return {res.result_int(), res.body(), {}};
}

std::vector<std::string> wss_exchange(uint16_t port, const std::string& target,
                                      const std::string& ca_file, size_t first,
                                      const std::vector<std::string>& send) {
  net::io_context ioc;
  auto ctx = client_context(ca_file);
  websocket::stream<beast::ssl_stream<beast::tcp_stream>, false> ws{ioc, ctx};
  connect(ws.next_layer(), port, "localhost");
  ws.handshake("localhost:" + std::to_string(port), target);
  std::vector<std::string> got;
  auto read_one = [&] {
    beast::flat_buffer buf;
    ws.read(buf);
    got.push_back(beast::buffers_to_string(buf.data()));
  };
  for (size_t i = 0; i < first; ++i)
    read_one();
  for (const auto& m : send) {
    ws.text(true);
    ws.write(net::buffer(m));
    read_one();
  }
  beast::error_code ec;
  ws.close(websocket::close_code::normal, ec);
  return got;
}

} // namespace o2hub::test
