// An actor's error as an HTTP answer: the one mapping (protocol/error.hpp,
// http_answer_of) with o2hub's JSON error body. Every route uses this.
#pragma once

#include "common/text.hpp"
#include "io/http.hpp"
#include "protocol/error.hpp"
#include "protocol/wire.hpp"

namespace o2hub::http {

/// `{"detail": <the error's text>, "code": ...}` with the mapped status.
inline response from_error(const request& req, const caf::error& err) {
  auto answer = http_answer_of(err);
  const auto& ctx = err.context();
  if (ctx.size() == 2 && ctx.match_element<std::string>(0)
      && ctx.match_element<std::string>(1)) {
    // {"detail", "code", "reasons": [...]} (infeasible: every reason).
    return make_json(req, static_cast<status>(answer.status),
                     o2hub::wire::http_error_json(answer.code, ctx.get_as<std::string>(0),
                                                  ctx.get_as<std::string>(1)));
  }
  return make_error(req, static_cast<status>(answer.status), answer.code,
                    error_detail(err));
}

/// CSRF: a request that changes state and has a body must declare it as
/// JSON (application/json or +json). A browser can send text/plain, a form,
/// or a body with no type at all to another site without asking it first;
/// it cannot send JSON. Bodiless requests (the original clients' query
/// forms) pass.
inline bool json_or_empty(const request& req) {
  if (req.body().empty())
    return true;
  auto type = req[bhttp::field::content_type];
  auto base = type.substr(0, type.find(';'));
  while (!base.empty() && base.back() == ' ')
    base.remove_suffix(1);
  if (base.size() < 4)
    return false;
  auto lower = to_lower(base);
  return lower == "application/json"
         || (lower.size() > 5 && lower.compare(lower.size() - 5, 5, "+json") == 0);
}

/// 415 for a body that is not declared JSON.
inline response unsupported_media(const request& req) {
  return make_error(req, status::unsupported_media_type, "unsupported_media_type",
                    "send the body as application/json");
}

} // namespace o2hub::http
