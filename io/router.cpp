#include "io/http.hpp"
#include "io/security.hpp"
#include "protocol/wire.hpp"

#include <boost/beast/http/field.hpp>
#include <simdjson.h>

#include <cctype>
#include <chrono>

namespace o2hub::http {

namespace {

/// The segments of `path` as views into it (no copies).
std::vector<std::string_view> split_views(std::string_view path) {
  std::vector<std::string_view> out;
  out.reserve(8);
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos)
      j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

/// The segments of `path` as strings (a route's pattern, kept).
std::vector<std::string> split_segments(std::string_view path) {
  auto views = split_views(path);
  return std::vector<std::string>(views.begin(), views.end());
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

std::vector<std::string> undocumented_routes(const router& r, std::string_view spec) {
  simdjson::dom::parser parser;
  simdjson::dom::object paths;
  if (auto err = parser.parse(spec.data(), spec.size())["paths"].get(paths))
    return {std::string{"cannot read the API description: "}
            + simdjson::error_message(err)};
  std::vector<std::string> missing;
  for (const auto& [method, pattern] : r.routes()) {
    if (pattern == "/" || pattern == "/home" || pattern == "/favicon.ico")
      continue;
    simdjson::dom::object ops;
    simdjson::dom::element op;
    if (paths[pattern].get(ops) || ops[method].get(op)) {
      std::string m = method;
      for (auto& c : m)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      missing.push_back(m + " " + pattern);
    }
  }
  return missing;
}

std::string_view target_path(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

bool percent_decode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size())
        return false;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0)
        return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

bool parse_query(std::string_view q, std::multimap<std::string, std::string>& out) {
  while (!q.empty()) {
    auto amp = q.find('&');
    auto pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    std::string key;
    std::string value;
    if (!percent_decode(pair.substr(0, eq), key, true))
      return false;
    if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), value, true))
      return false;
    out.emplace(std::move(key), std::move(value));
  }
  return true;
}

const std::string* request_context::param(std::string_view name) const {
  auto i = query.find(std::string{name});
  return i == query.end() ? nullptr : &i->second;
}

std::shared_ptr<request> reply_prototype(const request& req) {
  auto proto = std::make_shared<request>();
  proto->version(req.version());
  proto->keep_alive(req.keep_alive());
  return proto;
}

response make_body(const request& req, status st, std::string body,
                   std::string_view content_type) {
  response res{st, req.version()};
  res.set(bhttp::field::server, "o2hub/" O2HUB_VERSION);
  res.set(bhttp::field::content_type, content_type);
  res.set(bhttp::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response make_json(const request& req, status st, std::string body) {
  return make_body(req, st, std::move(body), "application/json");
}

response make_error(const request& req, status st, std::string_view code,
                    std::string_view detail) {
  return make_json(req, st, wire::http_error_json(code, detail));
}

router::router(std::shared_ptr<const security_policy> security)
    : security_(std::move(security)) {}

void router::add(verb method, std::string pattern, handler h, access level) {
  auto segments = split_segments(pattern);
  routes_.push_back(
      {method, std::move(pattern), std::move(segments), false, std::move(h), level});
}

void router::add_prefix(verb method, std::string prefix, handler h, access level) {
  auto segments = split_segments(prefix);
  routes_.push_back(
      {method, std::move(prefix), std::move(segments), true, std::move(h), level});
}

void router::add_ws(std::string path, std::shared_ptr<ws_endpoint> endpoint,
                    access level) {
  ws_routes_.push_back({std::move(path), std::move(endpoint), level});
}

std::vector<std::pair<std::string, std::string>> router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : routes_) {
    if (e.prefix)
      continue;
    std::string m{boost::beast::http::to_string(e.method)};
    for (auto& c : m)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.emplace_back(std::move(m), e.pattern);
  }
  for (const auto& w : ws_routes_)
    out.emplace_back("get", w.path);
  return out;
}

void router::on_response(response_hook f) {
  on_response_ = std::make_shared<const response_hook>(std::move(f));
}

const ws_route* router::find_ws(std::string_view target) const {
  auto path = target_path(target);
  for (const auto& r : ws_routes_)
    if (r.path == path)
      return &r;
  return nullptr;
}

bool router::match(const entry& e, const std::vector<std::string_view>& segments,
                   request_context& ctx) const {
  if (e.prefix) {
    if (segments.size() < e.segments.size())
      return false;
  } else if (segments.size() != e.segments.size()) {
    return false;
  }
  for (size_t i = 0; i < e.segments.size(); ++i) {
    const auto& want = e.segments[i];
    bool param = want.size() > 2 && want.front() == '{' && want.back() == '}';
    if (!param && want != segments[i])
      return false;
  }
  // Matched: only now the parameters and the rest are copied out.
  for (size_t i = 0; i < e.segments.size(); ++i) {
    const auto& want = e.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}')
      ctx.params[want.substr(1, want.size() - 2)] = std::string{segments[i]};
  }
  if (e.prefix) {
    std::string rest;
    for (size_t i = e.segments.size(); i < segments.size(); ++i) {
      if (!rest.empty())
        rest += '/';
      rest += segments[i];
    }
    ctx.rest = std::move(rest);
  }
  return true;
}

void router::handle(const request& req, responder respond) const {
  auto target = std::string_view{req.target()};
  auto raw_path = target_path(target);
  request_context ctx;
  // Count and decorate every response on its way out.
  // Captures copies only: a handler may answer after `req` is gone.
  auto finish = [security = security_, counter = on_response_,
                 origin = std::string{req[bhttp::field::origin]},
                 start = std::chrono::steady_clock::now(),
                 respond](const std::string& route, response res) {
    security->apply_cors(origin, res);
    // /health needs no token anyway: the sibling services' pages (the
    // landing page on another port) may read it.
    if (route == "/health")
      res.set(bhttp::field::access_control_allow_origin, "*");
    if (counter && *counter) {
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      (*counter)(route, res.result_int(), took.count());
    }
    respond(std::move(res));
  };
  if (!security_->host_allowed(req)) {
    finish("unmatched",
           make_error(req, status::misdirected_request, "host_not_allowed",
                      "this server does not answer for the Host '"
                          + std::string{req[bhttp::field::host].substr(0, 200)}
                          + "'; add the name to security.allowed_hosts"));
    return;
  }
  if (raw_path.empty() || raw_path.front() != '/'
      || !percent_decode(raw_path, ctx.path, false)
      || ctx.path.find('\0') != std::string::npos) {
    finish("unmatched", make_error(req, status::bad_request, "bad_target",
                                   "the request target is not a valid path"));
    return;
  }
  if (auto q = target.find('?');
      q != std::string_view::npos && !parse_query(target.substr(q + 1), ctx.query)) {
    finish("unmatched", make_error(req, status::bad_request, "bad_query",
                                   "the query string has an invalid escape"));
    return;
  }
  // Find the routes for this path; prefer exact routes over prefixes. The
  // path is split once; a route's parameters are copied only when it is
  // the one taken.
  auto segments = split_views(ctx.path);
  const entry* found = nullptr;
  std::string allowed;
  for (int pass = 0; pass < 2 && !found; ++pass) {
    for (const auto& e : routes_) {
      if (e.prefix != (pass == 1))
        continue;
      bool head_ok = req.method() == verb::head && e.method == verb::get;
      bool method_ok = e.method == req.method() || head_ok;
      if (method_ok) {
        if (!match(e, segments, ctx))
          continue;
        found = &e;
        break;
      }
      request_context probe;
      if (!match(e, segments, probe))
        continue;
      if (!allowed.empty())
        allowed += ", ";
      allowed += std::string{bhttp::to_string(e.method)};
    }
  }
  if (!found && req.method() == verb::options && !allowed.empty()) {
    // CORS preflight for an allowed origin; 204 either way.
    auto res = make_body(req, status::no_content, "", "text/plain");
    res.set(bhttp::field::allow, allowed);
    auto origin = req[bhttp::field::origin];
    if (security_->cors_allowed(origin)) {
      res.set(bhttp::field::access_control_allow_methods, allowed);
      res.set(bhttp::field::access_control_allow_headers, "Authorization, Content-Type");
      res.set(bhttp::field::access_control_max_age, "600");
    }
    finish("preflight", std::move(res));
    return;
  }
  if (!found) {
    if (!allowed.empty()) {
      auto res = refuse(req, ctx.path, status::method_not_allowed, "method_not_allowed",
                        std::string{"method "} + std::string{req.method_string()}
                            + " is not allowed on " + ctx.path + "; allowed: " + allowed);
      res.set(bhttp::field::allow, allowed);
      finish("unmatched", std::move(res));
    } else {
      finish("unmatched", refuse(req, ctx.path, status::not_found, "not_found",
                                 "no route for " + ctx.path));
    }
    return;
  }
  ctx.route = found->pattern;
  auto who = security_->authenticate(req, false);
  if (!who) {
    auto res = refuse(req, ctx.path, status::unauthorized, "invalid_token",
                      "the bearer token is not valid");
    res.set(bhttp::field::www_authenticate, "Bearer");
    finish(ctx.route, std::move(res));
    return;
  }
  ctx.role = *who;
  auto need = found->level;
  bool ok = need == access::open
            || (need == access::viewer && ctx.role != role::anonymous)
            || (need == access::operator_ && ctx.role == role::operator_);
  if (!ok) {
    if (ctx.role == role::anonymous) {
      auto res = refuse(req, ctx.path, status::unauthorized, "unauthorized",
                        "this route needs a bearer token");
      res.set(bhttp::field::www_authenticate, "Bearer");
      finish(ctx.route, std::move(res));
    } else {
      finish(ctx.route, refuse(req, ctx.path, status::forbidden, "forbidden",
                               "this route needs the operator token"));
    }
    return;
  }
  found->h(req, ctx,
           [finish = std::move(finish), route = found->pattern](response res) mutable {
             finish(route, std::move(res));
           });
}

void router::error_format(std::string prefix, error_writer w) {
  error_formats_.emplace_back(std::move(prefix), std::move(w));
}

response router::refuse(const request& req, const std::string& path, status st,
                        std::string_view code, const std::string& message) const {
  for (const auto& [prefix, write] : error_formats_)
    if (path.compare(0, prefix.size(), prefix) == 0)
      return write(req, st, code, message);
  return make_error(req, st, code, message);
}

} // namespace o2hub::http
