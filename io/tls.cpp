#include "io/tls.hpp"

#include <boost/asio/ssl/context.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace o2hub {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_server_tls(const tls_config& cfg, std::string& error) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2
                       | ssl::context::no_sslv3 | ssl::context::no_tlsv1
                       | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                   ec);
  if (!ec)
    ctx->use_certificate_chain_file(cfg.cert, ec);
  if (ec) {
    error = "http.tls.cert: cannot use '" + cfg.cert + "': " + ec.message();
    return nullptr;
  }
  ctx->use_private_key_file(cfg.key, ssl::context::pem, ec);
  if (ec) {
    error = "http.tls.key: cannot use '" + cfg.key + "': " + ec.message();
    return nullptr;
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    error = "http.tls: the key does not match the certificate";
    return nullptr;
  }
  return ctx;
}

} // namespace o2hub
