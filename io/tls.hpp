// The server side of HTTPS/WSS: one TLS context for all three services,
// from http.tls (certificate chain and key files).
#pragma once

#include "config/config.hpp"

#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace o2hub {

/// A server context: TLS 1.2 or newer, HTTP/1.1 only (no ALPN h2), the
/// chain and key of `cfg`. Null and `error` set when the files do not load
/// or the key does not match the certificate.
std::shared_ptr<boost::asio::ssl::context> make_server_tls(const tls_config& cfg,
                                                           std::string& error);

/// The scheme o2hub's own clients use for its services: "https" or "http".
inline const char* service_scheme(const config& cfg) {
  return cfg.http.tls.enabled() ? "https" : "http";
}

/// The CA file o2hub's own clients trust for its services ("" without TLS).
inline std::string service_ca_file(const config& cfg) {
  if (!cfg.http.tls.enabled())
    return {};
  return cfg.http.tls.ca.empty() ? cfg.http.tls.cert : cfg.http.tls.ca;
}

} // namespace o2hub
