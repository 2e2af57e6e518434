#include "io/security.hpp"

#include "common/text.hpp"

#include <boost/beast/http/field.hpp>

#include <cctype>
#include <cstdlib>

namespace o2hub {

namespace {

/// Compares in time independent of where the strings differ.
bool equal_constant_time(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

std::string env(const char* name) {
  auto value = std::getenv(name);
  return value ? value : "";
}

} // namespace

security_policy::security_policy(std::string operator_token, std::string viewer_token,
                                 security_config cfg)
    : operator_token_(std::move(operator_token)), viewer_token_(std::move(viewer_token)),
      cfg_(std::move(cfg)) {}

security_policy security_policy::from_env(const security_config& cfg) {
  return security_policy{env("O2HUB_TOKEN"), env("O2HUB_VIEWER_TOKEN"), cfg};
}

std::optional<role> security_policy::authenticate(const http::request& req,
                                                  bool allow_query_token) const {
  if (!tokens_configured())
    return role::operator_;
  std::string token;
  bool presented = false;
  auto auth = req[boost::beast::http::field::authorization];
  if (!auth.empty()) {
    presented = true;
    constexpr std::string_view bearer = "Bearer ";
    if (auth.size() > bearer.size() && iequals(auth.substr(0, bearer.size()), bearer))
      token = std::string{auth.substr(bearer.size())};
  } else if (allow_query_token) {
    auto target = req.target();
    if (auto q = target.find('?'); q != std::string_view::npos) {
      std::multimap<std::string, std::string> query;
      if (http::parse_query(target.substr(q + 1), query)) {
        if (auto i = query.find("token"); i != query.end()) {
          presented = true;
          token = i->second;
        }
      }
    }
  }
  if (!presented)
    return role::anonymous;
  if (!token.empty() && !operator_token_.empty()
      && equal_constant_time(token, operator_token_))
    return role::operator_;
  if (!token.empty() && !viewer_token_.empty()
      && equal_constant_time(token, viewer_token_))
    return role::viewer;
  return std::nullopt;
}

namespace {

/// The host part of a Host header value ("[::1]:8002" -> "[::1]").
std::string_view host_name(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return close == std::string_view::npos ? std::string_view{}
                                           : host.substr(0, close + 1);
  }
  auto colon = host.find(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

bool is_ipv4(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = i;
    int value = 0;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - i < 3)
      value = value * 10 + (s[j++] - '0');
    if (j == i || value > 255)
      return false;
    ++parts;
    if (j == s.size())
      return parts == 4;
    if (s[j] != '.')
      return false;
    i = j + 1;
  }
  return false;
}

bool is_ipv6_literal(std::string_view s) {
  if (s.size() < 4 || s.front() != '[' || s.back() != ']')
    return false;
  for (char c : s.substr(1, s.size() - 2))
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'))
      return false;
  return true;
}

/// This machine's own names: the same port on any of them is one origin.
bool is_loopback_name(std::string_view name) {
  return iequals(name, "localhost") || name == "127.0.0.1" || name == "[::1]";
}

} // namespace

bool security_policy::host_allowed(const http::request& req) const {
  auto host = req[boost::beast::http::field::host];
  if (host.empty())
    return req.version() < 11;
  auto name = host_name(host);
  if (name.empty())
    return false;
  if (is_ipv4(name) || is_ipv6_literal(name) || iequals(name, "localhost"))
    return true;
  for (const auto& allowed : cfg_.allowed_hosts)
    if (allowed == "*" || iequals(allowed, name))
      return true;
  return false;
}

bool security_policy::origin_allowed(const http::request& req) const {
  auto origin = req[boost::beast::http::field::origin];
  if (origin.empty())
    return true; // not a browser; tokens still apply
  for (const auto& allowed : cfg_.allowed_origins)
    if (allowed == "*" || iequals(allowed, origin))
      return true;
  // Same origin: the Origin's authority equals the Host header.
  auto host = req[boost::beast::http::field::host];
  auto scheme_end = origin.find("://");
  if (host.empty() || scheme_end == std::string_view::npos)
    return false;
  auto authority = origin.substr(scheme_end + 3);
  if (iequals(authority, host))
    return true;
  // localhost, 127.0.0.1 and [::1] on the same port are the same origin.
  auto a_name = host_name(authority);
  auto h_name = host_name(host);
  return !a_name.empty() && !h_name.empty() && is_loopback_name(a_name)
         && is_loopback_name(h_name)
         && authority.substr(a_name.size()) == host.substr(h_name.size());
}

bool security_policy::cors_allowed(std::string_view origin) const {
  if (origin.empty())
    return false;
  for (const auto& allowed : cfg_.cors_origins)
    if (allowed == "*" || iequals(allowed, origin))
      return true;
  return false;
}

void security_policy::apply_cors(std::string_view origin, http::response& res) const {
  namespace bh = boost::beast::http;
  if (!cors_allowed(origin))
    return;
  res.set(bh::field::access_control_allow_origin, origin);
  res.set(bh::field::vary, "Origin");
  if (cfg_.cors_credentials)
    res.set(bh::field::access_control_allow_credentials, "true");
}

} // namespace o2hub
