// HTTP request handling without sockets: request/response types, a router of
// (method, path) -> handler with access levels, and JSON response helpers.
// Handlers are pure functions of the request; tests call router::handle
// directly.
#pragma once

#include "protocol/ws_sink.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub {

class security_policy;

namespace http {

namespace bhttp = boost::beast::http;
using request = bhttp::request<bhttp::string_body>;
using response = bhttp::response<bhttp::string_body>;
using status = bhttp::status;
using verb = bhttp::verb;

/// Delivers the response; may be called from any thread, exactly once.
using responder = std::function<void(response)>;

/// Who may use a route.
enum class access : uint8_t { open, viewer, operator_ };

struct request_context {
  /// Role of the caller (operator when no tokens are configured).
  o2hub::role role = o2hub::role::anonymous;
  /// The route pattern that matched, e.g. "/api/v1/pipelines/{id}".
  std::string route;
  /// Path without the query string, percent-decoded.
  std::string path;
  /// Query parameters, percent-decoded ('+' is a space).
  std::multimap<std::string, std::string> query;
  /// Path parameters from {name} segments.
  std::map<std::string, std::string> params;
  /// The part of the path after a prefix route.
  std::string rest;

  /// First value of a query parameter, or nullptr.
  const std::string* param(std::string_view name) const;
};

using handler = std::function<void(const request&, const request_context&, responder)>;

/// What a late reply needs of a request (version, keep-alive): handlers that
/// answer after returning keep this instead of the request.
std::shared_ptr<request> reply_prototype(const request& req);

/// A response with a JSON body; keep-alive and version follow the request.
response make_json(const request& req, status st, std::string body);

/// An error response: {"detail": "...", "code": "..."}.
response make_error(const request& req, status st, std::string_view code,
                    std::string_view detail);

/// A response with any body and content type.
response make_body(const request& req, status st, std::string body,
                   std::string_view content_type);

/// Splits "a=b&c=d" into decoded pairs. Returns false on bad escapes.
bool parse_query(std::string_view q, std::multimap<std::string, std::string>& out);

/// Percent-decodes `in`; '+' becomes a space when `plus_is_space`.
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space);

struct ws_route {
  std::string path;
  std::shared_ptr<ws_endpoint> endpoint;
  access level = access::open;
};

class router {
public:
  explicit router(std::shared_ptr<const security_policy> security);

  /// Adds a route; {name} segments match one path segment.
  void add(verb method, std::string pattern, handler h, access level = access::open);

  /// Adds a route that matches every path below `prefix` (ends with '/').
  void add_prefix(verb method, std::string prefix, handler h,
                  access level = access::open);

  /// Adds a WebSocket route.
  void add_ws(std::string path, std::shared_ptr<ws_endpoint> endpoint,
              access level = access::open);

  /// Called after every response with the matched route (or "unmatched"),
  /// the status and the seconds it took; for metrics.
  using response_hook = std::function<void(const std::string&, unsigned, double)>;
  void on_response(response_hook f);

  /// Writes the router's own refusals (404, 405, 401, 403) for paths below
  /// `prefix` in an API's own error format (TMF921's Error).
  using error_writer = std::function<response(
      const request&, status, std::string_view code, const std::string& message)>;
  void error_format(std::string prefix, error_writer w);

  /// Routes one request: 404/405 for unknown paths or methods, 401/403 when
  /// the caller lacks the access level, CORS preflight, CORS headers.
  void handle(const request& req, responder respond) const;

  /// The WebSocket route for `target`, or nullptr.
  const ws_route* find_ws(std::string_view target) const;

  const security_policy& security() const { return *security_; }

  /// Every exact route as (method in lower case, pattern), WebSocket
  /// routes as ("get", path); prefix routes (files) are left out. For the
  /// check that each is in the service's API description.
  std::vector<std::pair<std::string, std::string>> routes() const;

private:
  struct entry {
    verb method;
    std::string pattern;
    std::vector<std::string> segments;
    bool prefix = false;
    handler h;
    access level;
  };

  bool match(const entry& e, const std::vector<std::string_view>& segments,
             request_context& ctx) const;
  response refuse(const request& req, const std::string& path, status st,
                  std::string_view code, const std::string& message) const;

  std::shared_ptr<const security_policy> security_;
  std::vector<entry> routes_;
  std::vector<ws_route> ws_routes_;
  std::shared_ptr<const response_hook> on_response_;
  std::vector<std::pair<std::string, error_writer>> error_formats_;
};

/// The routes of `r` that the OpenAPI description `spec` (JSON text) does
/// not list (as "METHOD /path"), pages (/, /home, /favicon.ico) aside; or
/// {"cannot read the API description: ..."}.
std::vector<std::string> undocumented_routes(const router& r, std::string_view spec);

/// The path part of a request target, without the query.
std::string_view target_path(std::string_view target);

} // namespace http
} // namespace o2hub
