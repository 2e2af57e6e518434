#define BOOST_TEST_MODULE router
#include "io/http.hpp"
#include "io/security.hpp"
#include "io/static_files.hpp"
#include "support/paths.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>

using namespace o2hub;
namespace bh = boost::beast::http;

namespace {

http::request make_request(http::verb method, std::string target,
                           std::map<std::string, std::string> headers = {}) {
  http::request req{method, target, 11};
  req.set(bh::field::host, "127.0.0.1:8003");
  for (auto& [k, v] : headers)
    req.set(k, v);
  return req;
}

/// Routes synchronously and returns the response.
http::response call(const http::router& r, const http::request& req) {
  std::optional<http::response> out;
  r.handle(req, [&](http::response res) { out = std::move(res); });
  BOOST_REQUIRE(out.has_value());
  return std::move(*out);
}

http::handler echo_route(std::string* seen = nullptr) {
  return [seen](const http::request& req, const http::request_context& ctx,
                http::responder respond) {
    if (seen) {
      *seen = ctx.route + "|" + to_string(ctx.role);
      for (auto& [k, v] : ctx.params)
        *seen += "|" + k + "=" + v;
      for (auto& [k, v] : ctx.query)
        *seen += "|?" + k + "=" + v;
      if (!ctx.rest.empty())
        *seen += "|rest=" + ctx.rest;
    }
    respond(http::make_json(req, http::status::ok, "{}"));
  };
}

std::shared_ptr<security_policy> open_policy(security_config cfg = {}) {
  return std::make_shared<security_policy>("", "", std::move(cfg));
}

std::shared_ptr<security_policy> token_policy() {
  return std::make_shared<security_policy>("op-secret", "view-secret", security_config{});
}

} // namespace

BOOST_AUTO_TEST_CASE(routes_by_method_and_path) {
  http::router r{open_policy()};
  std::string seen;
  r.add(http::verb::get, "/health", echo_route(&seen));
  r.add(http::verb::post, "/api/v1/pipelines/{id}/update", echo_route(&seen));
  auto res = call(r, make_request(http::verb::get, "/health"));
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(seen == "/health|operator");
  res = call(
      r, make_request(http::verb::post,
                      "/api/v1/pipelines/intent-7/update?stage=krm_generated&x=a%20b+c"));
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(seen
             == "/api/v1/pipelines/{id}/update|operator|id=intent-7"
                "|?stage=krm_generated|?x=a b c");
}

BOOST_AUTO_TEST_CASE(unknown_paths_404_and_wrong_methods_405_with_json) {
  http::router r{open_policy()};
  r.add(http::verb::get, "/health", echo_route());
  auto res = call(r, make_request(http::verb::get, "/nope"));
  BOOST_TEST(res.result_int() == 404u);
  BOOST_TEST(res[bh::field::content_type] == "application/json");
  BOOST_TEST(res.body() == R"({"detail":"no route for /nope","code":"not_found"})");
  res = call(r, make_request(http::verb::delete_, "/health"));
  BOOST_TEST(res.result_int() == 405u);
  BOOST_TEST(res[bh::field::allow] == "GET");
  BOOST_TEST(res.body().find("method_not_allowed") != std::string::npos);
  // HEAD is GET without a body (the server strips it).
  res = call(r, make_request(http::verb::head, "/health"));
  BOOST_TEST(res.result_int() == 200u);
  // Bad escapes in path or query are 400, not a crash.
  res = call(r, make_request(http::verb::get, "/health?x=%zz"));
  BOOST_TEST(res.result_int() == 400u);
  res = call(r, make_request(http::verb::get, "/he%2"));
  BOOST_TEST(res.result_int() == 400u);
  res = call(r, make_request(http::verb::get, "*"));
  BOOST_TEST(res.result_int() == 400u);
}

BOOST_AUTO_TEST_CASE(tokens_gate_routes_by_access_level) {
  http::router r{token_policy()};
  std::string seen;
  r.add(http::verb::get, "/health", echo_route(&seen));
  r.add(http::verb::get, "/view", echo_route(&seen), http::access::viewer);
  r.add(http::verb::post, "/act", echo_route(&seen), http::access::operator_);
  auto get = [&](const char* path, std::map<std::string, std::string> h = {}) {
    return call(r, make_request(http::verb::get, path, h)).result_int();
  };
  auto post = [&](const char* path, std::map<std::string, std::string> h = {}) {
    return call(r, make_request(http::verb::post, path, h)).result_int();
  };
  BOOST_TEST(get("/health") == 200u);
  BOOST_TEST(seen == "/health|anonymous");
  BOOST_TEST(get("/view") == 401u);
  BOOST_TEST(get("/view", {{"Authorization", "Bearer view-secret"}}) == 200u);
  BOOST_TEST(seen == "/view|viewer");
  BOOST_TEST(post("/act", {{"Authorization", "Bearer view-secret"}}) == 403u);
  BOOST_TEST(post("/act", {{"Authorization", "Bearer op-secret"}}) == 200u);
  BOOST_TEST(seen == "/act|operator");
  BOOST_TEST(post("/act", {{"Authorization", "Bearer wrong"}}) == 401u);
  BOOST_TEST(post("/act", {{"Authorization", "Basic b3A6c2VjcmV0"}}) == 401u);
  // Query tokens are for WebSocket upgrades only, not REST.
  BOOST_TEST(post("/act?token=op-secret") == 401u);
  auto res = call(r, make_request(http::verb::post, "/act"));
  BOOST_TEST(res[bh::field::www_authenticate] == "Bearer");
}

BOOST_AUTO_TEST_CASE(websocket_origin_and_query_token) {
  auto policy = token_policy();
  auto req = make_request(http::verb::get, "/ws?token=view-secret",
                          {{"Origin", "http://127.0.0.1:8003"}});
  BOOST_TEST(policy->origin_allowed(req));
  BOOST_TEST((policy->authenticate(req, true) == role::viewer));
  BOOST_TEST((policy->authenticate(req, false) == role::anonymous));
  req.set(bh::field::origin, "http://evil.example");
  BOOST_TEST(!policy->origin_allowed(req));
  // localhost, 127.0.0.1 and [::1] on the same port are one origin (issue 14)...
  for (auto o : {"http://localhost:8003", "http://[::1]:8003", "http://LOCALHOST:8003"}) {
    req.set(bh::field::origin, o);
    BOOST_TEST(policy->origin_allowed(req), o);
  }
  // ... on another port, or another name, they are not.
  for (auto o : {"http://localhost:8004", "http://localhost", "http://127.0.0.2:8003",
                 "http://localhost.evil.example:8003"}) {
    req.set(bh::field::origin, o);
    BOOST_TEST(!policy->origin_allowed(req), o);
  }
  req.erase(bh::field::origin);
  BOOST_TEST(policy->origin_allowed(req)); // not a browser
  security_config cfg;
  cfg.allowed_origins = {"https://ops.example.net"};
  auto allow = open_policy(cfg);
  req.set(bh::field::origin, "https://ops.example.net");
  BOOST_TEST(allow->origin_allowed(req));
  BOOST_TEST((allow->authenticate(req, true) == role::operator_));
}

BOOST_AUTO_TEST_CASE(cors_only_for_configured_origins) {
  security_config cfg;
  cfg.cors_origins = {"https://ui.example.net"};
  cfg.cors_credentials = true;
  http::router r{open_policy(cfg)};
  r.add(http::verb::post, "/api", echo_route());
  auto res = call(
      r, make_request(http::verb::post, "/api", {{"Origin", "https://ui.example.net"}}));
  BOOST_TEST(res[bh::field::access_control_allow_origin] == "https://ui.example.net");
  BOOST_TEST(res[bh::field::access_control_allow_credentials] == "true");
  res = call(
      r, make_request(http::verb::post, "/api", {{"Origin", "https://other.example"}}));
  BOOST_TEST(res[bh::field::access_control_allow_origin].empty());
  res = call(r, make_request(http::verb::options, "/api",
                             {{"Origin", "https://ui.example.net"},
                              {"Access-Control-Request-Method", "POST"}}));
  BOOST_TEST(res.result_int() == 204u);
  BOOST_TEST(res[bh::field::access_control_allow_methods] == "POST");
}

BOOST_AUTO_TEST_CASE(counts_every_response) {
  http::router r{open_policy()};
  r.add(http::verb::get, "/health", echo_route());
  std::vector<std::pair<std::string, unsigned>> counted;
  r.on_response([&](const std::string& route, unsigned st, double) {
    counted.emplace_back(route, st);
  });
  call(r, make_request(http::verb::get, "/health"));
  call(r, make_request(http::verb::get, "/missing"));
  BOOST_TEST_REQUIRE(counted.size() == 2u);
  BOOST_TEST(counted[0].first == "/health");
  BOOST_TEST(counted[0].second == 200u);
  BOOST_TEST(counted[1].first == "unmatched");
  BOOST_TEST(counted[1].second == 404u);
}

BOOST_AUTO_TEST_CASE(static_files_refuse_traversal) {
  http::router r{open_policy()};
  r.add_prefix(http::verb::get, "/static/", static_files(test::source_dir() + "/webui"));
  auto res = call(r, make_request(http::verb::get, "/static/landing.js"));
  BOOST_TEST(res.result_int() == 200u);
  BOOST_TEST(res[bh::field::content_type] == "text/javascript; charset=utf-8");
  for (auto bad : {"/static/../CMakeLists.txt", "/static/%2e%2e/CMakeLists.txt",
                   "/static/.hidden", "/static/a/../../main.cpp"})
    BOOST_TEST(call(r, make_request(http::verb::get, bad)).result_int() == 404u, bad);
}

BOOST_AUTO_TEST_CASE(lists_the_routes_its_api_description_lacks) {
  http::router r{open_policy()};
  r.add(http::verb::get, "/", echo_route());
  r.add(http::verb::get, "/api/v1/things/{id}", echo_route());
  r.add(http::verb::delete_, "/api/v1/things/{id}", echo_route());
  r.add(http::verb::post, "/webhook/alert", echo_route());
  r.add_prefix(http::verb::get, "/static/", echo_route());
  r.add_ws("/ws", nullptr);
  auto spec =
      R"({"openapi":"3.0.3","paths":{"/api/v1/things/{id}":{"get":{}},"/ws":{"get":{}}}})";
  auto missing = http::undocumented_routes(r, spec);
  // The page (/) and the file prefix are not API routes.
  BOOST_TEST(missing
                 == (std::vector<std::string>{"DELETE /api/v1/things/{id}",
                                              "POST /webhook/alert"}),
             boost::test_tools::per_element());
  BOOST_TEST(http::undocumented_routes(r, "{").front().rfind("cannot read", 0) == 0u);
}
