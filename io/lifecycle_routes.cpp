#include "io/lifecycle_routes.hpp"

#include "common/json.hpp"
#include "io/ask.hpp"
#include "io/http_error.hpp"
#include "protocol/error.hpp"
#include "protocol/pipeline_run.hpp"

#include <chrono>

namespace o2hub {

namespace {

http::response no_pipelines(const http::request& req) {
  return http::make_error(req, http::status::service_unavailable, "pipelines_disabled",
                          "no pipelines run in this process");
}

} // namespace

void add_lifecycle_routes(http::router& r, const service_context& ctx,
                          pipeline_starter_actor pipelines) {
  using http::verb;
  auto& sys = *ctx.sys;
  r.add(
      verb::get, "/api/v1/intents",
      [&sys, pipelines](const http::request& req, const http::request_context&,
                        http::responder respond) {
        if (!pipelines)
          return respond(no_pipelines(req));
        auto proto = http::reply_prototype(req);
        ask(
            sys, pipelines, std::chrono::seconds(10),
            [proto, respond](const std::vector<intent_resource>& all) {
              json::writer w;
              w.begin_object().kv("total", all.size()).key("intents").begin_array();
              for (const auto& s : all)
                w.raw(intent_resource_json(s));
              w.end_array().end_object();
              respond(http::make_json(*proto, http::status::ok, w.take()));
            },
            [proto, respond](const caf::error& err) {
              respond(http::from_error(*proto, err));
            },
            atom::get_v, atom::intents_v);
      },
      http::access::viewer);
  r.add(
      verb::delete_, "/api/v1/intents/{id}",
      [&sys, pipelines](const http::request& req, const http::request_context& c,
                        http::responder respond) {
        if (!req.body().empty() && !http::json_or_empty(req))
          return respond(http::unsupported_media(req));
        if (!pipelines)
          return respond(no_pipelines(req));
        const auto& id = c.params.at("id");
        if (id.empty() || id.size() > 128)
          return respond(http::make_error(req, http::status::bad_request, "invalid_id",
                                          "an intent id has 1 to 128 characters"));
        std::string reason = "removed by an operator";
        if (auto q = c.param("reason"); q && !q->empty())
          reason = q->substr(0, 500);
        auto proto = http::reply_prototype(req);
        ask(
            sys, pipelines, std::chrono::seconds(15),
            [proto, respond, id](const pipeline_ref& ref) {
              json::writer w;
              w.begin_object()
                  .kv("intentId", id)
                  .kv("lifecycleStatus", "removing")
                  .key("pipeline")
                  .begin_object()
                  .kv("id", ref.id)
                  .kv("status", ref.status)
                  .kv("monitor", ref.monitor)
                  .end_object()
                  .end_object();
              respond(http::make_json(*proto, http::status::accepted, w.take()));
            },
            [proto, respond](const caf::error& err) {
              respond(http::from_error(*proto, err));
            },
            atom::remove_v, id, reason);
      },
      http::access::operator_);
}

} // namespace o2hub
