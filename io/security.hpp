// The security middleware every route goes through: bearer tokens from the
// environment, the WebSocket Origin allow-list and CORS.
#pragma once

#include "config/config.hpp"
#include "io/http.hpp"

#include <optional>
#include <string>

namespace o2hub {

class security_policy {
public:
  security_policy(std::string operator_token, std::string viewer_token,
                  security_config cfg);

  /// Tokens from O2HUB_TOKEN and O2HUB_VIEWER_TOKEN.
  static security_policy from_env(const security_config& cfg);

  bool tokens_configured() const {
    return !operator_token_.empty() || !viewer_token_.empty();
  }

  /// The caller's role from `Authorization: Bearer <t>` (and `?token=<t>`
  /// when `allow_query_token`, for browser WebSocket upgrades). No tokens
  /// configured: everyone is operator. Wrong credentials: nullopt.
  std::optional<role> authenticate(const http::request& req,
                                   bool allow_query_token) const;

  /// The request's Host names this server: an IP address (v4 or [v6]),
  /// localhost, or a name in security.allowed_hosts; the port is not
  /// compared. HTTP/1.0 requests may leave Host out. Guards against DNS
  /// rebinding, where a foreign page's name resolves to this server.
  bool host_allowed(const http::request& req) const;

  /// A WebSocket upgrade's Origin: absent (not a browser), the server's own
  /// origin, or listed in security.allowed_origins.
  bool origin_allowed(const http::request& req) const;

  /// Adds CORS headers when the request's Origin is in security.cors_origins.
  void apply_cors(std::string_view origin, http::response& res) const;

  /// True when `origin` may make cross-origin requests.
  bool cors_allowed(std::string_view origin) const;

private:
  std::string operator_token_;
  std::string viewer_token_;
  security_config cfg_;
};

} // namespace o2hub
