// libFuzzer target: the HTTP router on arbitrary request targets and Host
// headers: path decoding, query parsing, pattern matching. Every request gets
// exactly one answer, and error answers are JSON.
#include "io/http.hpp"
#include "io/security.hpp"

#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace {

const o2hub::http::router& the_router() {
  static auto r = [] {
    auto sec =
        std::make_shared<o2hub::security_policy>("op", "view", o2hub::security_config{});
    auto out = std::make_shared<o2hub::http::router>(sec);
    auto ok = [](const o2hub::http::request& req, const o2hub::http::request_context& ctx,
                 o2hub::http::responder respond) {
      std::string echo;
      for (const auto& [k, v] : ctx.query)
        echo += k + "=" + v + ";";
      for (const auto& [k, v] : ctx.params)
        echo += k + ":" + v + ";";
      respond(o2hub::http::make_body(req, o2hub::http::status::ok, echo, "text/plain"));
    };
    using o2hub::http::verb;
    out->add(verb::get, "/health", ok);
    out->add(verb::get, "/api/v1/pipelines/{id}", ok, o2hub::http::access::viewer);
    out->add(verb::post, "/api/v1/intent", ok, o2hub::http::access::operator_);
    out->add_prefix(verb::get, "/static/", ok);
    return out;
  }();
  return *r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in{reinterpret_cast<const char*>(data), size};
  // First line: the target; second: the Host; third: Authorization.
  auto cut = [&in]() {
    auto nl = in.find('\n');
    auto part = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
    return part;
  };
  auto target = cut();
  auto host = cut();
  auto auth = cut();
  o2hub::http::request req;
  req.version(11);
  req.method(size % 3 == 0 ? o2hub::http::verb::post : o2hub::http::verb::get);
  try {
    req.target(target);
    req.set(boost::beast::http::field::host, host);
    if (!auth.empty())
      req.set(boost::beast::http::field::authorization, auth);
  } catch (...) {
    return 0; // Beast refuses a header value (CR/LF): never reaches the router
  }
  int answers = 0;
  the_router().handle(req, [&](o2hub::http::response res) {
    ++answers;
    if (res.result_int() >= 400) {
      simdjson::dom::parser p;
      simdjson::dom::element e;
      if (p.parse(res.body()).get(e))
        std::abort();
    }
  });
  if (answers != 1)
    std::abort();
  std::multimap<std::string, std::string> query;
  o2hub::http::parse_query(target, query);
  std::string decoded;
  o2hub::http::percent_decode(target, decoded, true);
  return 0;
}
