#include "io/tmf_routes.hpp"

#include "common/text.hpp"
#include "io/ask.hpp"
#include "io/http_error.hpp"
#include "protocol/error.hpp"
#include "protocol/tmf_json.hpp"

#include <chrono>

namespace o2hub {

namespace {

http::response tmf_error(const http::request& req, unsigned status, std::string code,
                         std::string message) {
  auto reason =
      std::string{http::bhttp::obsolete_reason(static_cast<http::status>(status))};
  return http::make_json(req, static_cast<http::status>(status),
                         tmf::error_json(code, reason, message, status));
}

http::response tmf_error(const http::request& req, const caf::error& err) {
  auto answer = http_answer_of(err);
  unsigned status = answer.status;
  std::string code = answer.code;
  if (err.category() == caf::atom("o2hub")
      && static_cast<ec>(err.code()) == ec::invalid_argument) {
    status = 400;
    code = "invalid_body";
  }
  return tmf_error(req, status, code, error_detail(err));
}

/// The body must be declared as one of `types` (415 otherwise).
bool declared(const http::request& req, std::initializer_list<const char*> types) {
  auto type = to_lower(req[http::bhttp::field::content_type]);
  auto base = type.substr(0, type.find(';'));
  while (!base.empty() && base.back() == ' ')
    base.pop_back();
  for (const char* t : types)
    if (base == t)
      return true;
  return false;
}

bool valid_id(const std::string& id) {
  return !id.empty() && id.size() <= 128;
}

/// A non-negative whole number parameter (absent: `fallback`).
bool number_param(const http::request_context& c, const char* name, uint64_t fallback,
                  uint64_t& out) {
  out = fallback;
  auto p = c.param(name);
  if (!p)
    return true;
  if (p->empty() || p->size() > 9
      || p->find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stoull(*p);
  return true;
}

std::string text_param(const http::request_context& c, const char* name) {
  auto p = c.param(name);
  return p ? p->substr(0, 256) : std::string{};
}

} // namespace

void add_tmf_routes(http::router& r, const service_context& ctx, tmf_actor tmf) {
  using http::verb;
  auto& sys = *ctx.sys;
  const std::string base = tmf::base_path;
  r.error_format(base + "/", [](const http::request& req, http::status st,
                                std::string_view code, const std::string& message) {
    return tmf_error(req, static_cast<unsigned>(st), std::string{code}, message);
  });
  auto timeout = std::chrono::seconds(180);
  // Answers a string reply with `status`, or the TMF Error.
  auto reply = [](const http::request& req, http::responder respond, http::status st) {
    auto proto = http::reply_prototype(req);
    return std::make_pair(
        [proto, respond, st](const std::string& body) {
          auto res = http::make_json(*proto, st, body);
          respond(std::move(res));
        },
        [proto, respond](const caf::error& err) { respond(tmf_error(*proto, err)); });
  };
  r.add(
      verb::post, base + "/intent",
      [&sys, tmf, reply, timeout](const http::request& req, const http::request_context&,
                                  http::responder respond) {
        if (!declared(req, {"application/json"}))
          return respond(tmf_error(req, 415, "unsupported_media_type",
                                   "send the Intent as application/json"));
        auto [ok, fail] = reply(req, respond, http::status::created);
        ask(sys, tmf, timeout, ok, fail, atom::start_v, req.body());
      },
      http::access::operator_);
  r.add(
      verb::get, base + "/intent",
      [&sys, tmf](const http::request& req, const http::request_context& c,
                  http::responder respond) {
        uint64_t offset = 0;
        uint64_t limit = 0;
        if (!number_param(c, "offset", 0, offset) || !number_param(c, "limit", 100, limit)
            || limit > 1000)
          return respond(
              tmf_error(req, 400, "invalid_query",
                        "offset and limit are whole numbers; limit at most 1000"));
        auto proto = http::reply_prototype(req);
        ask(
            sys, tmf, std::chrono::seconds(10),
            [proto, respond](const std::string& body, uint64_t total, uint64_t shown) {
              auto res = http::make_json(*proto, http::status::ok, body);
              res.set("X-Total-Count", std::to_string(total));
              res.set("X-Result-Count", std::to_string(shown));
              respond(std::move(res));
            },
            [proto, respond](const caf::error& err) { respond(tmf_error(*proto, err)); },
            atom::get_v, atom::intents_v, text_param(c, "lifecycleStatus"),
            text_param(c, "name"), text_param(c, "fields"), offset, limit);
      },
      http::access::viewer);
  r.add(
      verb::get, base + "/intent/{id}",
      [&sys, tmf, reply](const http::request& req, const http::request_context& c,
                         http::responder respond) {
        const auto& id = c.params.at("id");
        if (!valid_id(id))
          return respond(
              tmf_error(req, 404, "not_found", "no intent " + id.substr(0, 128)));
        auto [ok, fail] = reply(req, respond, http::status::ok);
        ask(sys, tmf, std::chrono::seconds(10), ok, fail, atom::get_v, atom::intents_v,
            id, text_param(c, "fields"));
      },
      http::access::viewer);
  r.add(
      verb::patch, base + "/intent/{id}",
      [&sys, tmf, reply, timeout](const http::request& req,
                                  const http::request_context& c,
                                  http::responder respond) {
        if (!declared(req, {"application/merge-patch+json", "application/json"}))
          return respond(tmf_error(req, 415, "unsupported_media_type",
                                   "send the change as application/merge-patch+json"));
        const auto& id = c.params.at("id");
        if (!valid_id(id))
          return respond(
              tmf_error(req, 404, "not_found", "no intent " + id.substr(0, 128)));
        auto [ok, fail] = reply(req, respond, http::status::ok);
        ask(sys, tmf, timeout, ok, fail, atom::modify_v, id, req.body());
      },
      http::access::operator_);
  r.add(
      verb::delete_, base + "/intent/{id}",
      [&sys, tmf, reply](const http::request& req, const http::request_context& c,
                         http::responder respond) {
        if (!req.body().empty() && !http::json_or_empty(req))
          return respond(tmf_error(req, 415, "unsupported_media_type",
                                   "a DELETE has no body (or a JSON one)"));
        const auto& id = c.params.at("id");
        if (!valid_id(id))
          return respond(
              tmf_error(req, 404, "not_found", "no intent " + id.substr(0, 128)));
        auto [ok, fail] = reply(req, respond, http::status::accepted);
        ask(sys, tmf, std::chrono::seconds(20), ok, fail, atom::remove_v, id);
      },
      http::access::operator_);
  r.add(
      verb::get, base + "/intent/{id}/intentReport",
      [&sys, tmf, reply](const http::request& req, const http::request_context& c,
                         http::responder respond) {
        auto [ok, fail] = reply(req, respond, http::status::ok);
        ask(sys, tmf, std::chrono::seconds(10), ok, fail, atom::get_v, atom::report_v,
            c.params.at("id"));
      },
      http::access::viewer);
  r.add(
      verb::get, base + "/intent/{id}/intentReport/{rid}",
      [&sys, tmf, reply](const http::request& req, const http::request_context& c,
                         http::responder respond) {
        auto [ok, fail] = reply(req, respond, http::status::ok);
        ask(sys, tmf, std::chrono::seconds(10), ok, fail, atom::get_v, atom::report_v,
            c.params.at("id"), c.params.at("rid"));
      },
      http::access::viewer);
  r.add(
      verb::post, base + "/hub",
      [&sys, tmf, reply](const http::request& req, const http::request_context&,
                         http::responder respond) {
        if (!declared(req, {"application/json"}))
          return respond(tmf_error(req, 415, "unsupported_media_type",
                                   "send the Hub as application/json"));
        auto [ok, fail] = reply(req, respond, http::status::created);
        ask(sys, tmf, std::chrono::seconds(10), ok, fail, atom::subscribe_v, req.body());
      },
      http::access::operator_);
  r.add(
      verb::delete_, base + "/hub/{id}",
      [&sys, tmf](const http::request& req, const http::request_context& c,
                  http::responder respond) {
        auto proto = http::reply_prototype(req);
        ask(
            sys, tmf, std::chrono::seconds(10),
            [proto, respond](atom::ok) {
              respond(http::make_body(*proto, http::status::no_content, "",
                                      "application/json"));
            },
            [proto, respond](const caf::error& err) { respond(tmf_error(*proto, err)); },
            atom::erase_v, c.params.at("id"));
      },
      http::access::operator_);
}

} // namespace o2hub
