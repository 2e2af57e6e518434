#include "io/webhook_routes.hpp"

#include "common/json.hpp"
#include "io/ask.hpp"
#include "io/http_error.hpp"
#include "protocol/error.hpp"

#include <chrono>

namespace o2hub {

void add_webhook_routes(http::router& r, const service_context& ctx,
                        pipeline_manager_actor pipelines) {
  using http::verb;
  auto& sys = *ctx.sys;
  for (auto [path, always] :
       {std::pair{"/webhook/alert", false}, std::pair{"/webhook/critical", true},
        std::pair{"/webhook/rollback", true}}) {
    r.add(
        verb::post, path,
        [&sys, pipelines, always = always](const http::request& req,
                                           const http::request_context&,
                                           http::responder respond) {
          if (!http::json_or_empty(req))
            return respond(http::unsupported_media(req));
          std::string error;
          size_t ignored = 0;
          auto targets = read_alerts(req.body(), always, error, ignored);
          if (!error.empty())
            return respond(http::make_error(req, http::status::unprocessable_entity,
                                            "invalid_webhook", error));
          if (!pipelines)
            return respond(http::make_error(req, http::status::service_unavailable,
                                            "pipelines_disabled",
                                            "no pipelines run in this process"));
          auto proto = http::reply_prototype(req);
          auto received = targets.size() + ignored;
          auto reply = [proto, respond, received,
                        ignored](const std::vector<std::string>& rolled_back) {
            json::writer w;
            w.begin_object()
                .kv("received", received)
                .kv("ignored", ignored)
                .key("rolled_back")
                .begin_array();
            for (auto& id : rolled_back)
              w.value(id);
            w.end_array().end_object();
            respond(http::make_json(*proto, http::status::ok, w.take()));
          };
          if (targets.empty())
            return reply({});
          ask(
              sys, pipelines, std::chrono::seconds(10), reply,
              [proto, respond](const caf::error& err) {
                respond(http::from_error(*proto, err));
              },
              atom::rollback_v, std::move(targets));
        },
        http::access::operator_);
  }
}

} // namespace o2hub
