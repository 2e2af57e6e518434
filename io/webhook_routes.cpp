#include "io/webhook_routes.hpp"

#include "common/json.hpp"
#include "io/ask.hpp"
#include "io/http_error.hpp"
#include "protocol/error.hpp"

#include <simdjson.h>

#include <chrono>

namespace o2hub {

std::vector<rollback_target> read_alerts(std::string_view body, bool always,
                                         std::string& error, size_t& ignored) {
  std::vector<rollback_target> out;
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::array alerts;
  if (p.parse(body.data(), body.size()).get(root)
      || root["alerts"].get_array().get(alerts)) {
    error = "expected an Alertmanager webhook payload: {\"alerts\": [...]}";
    return out;
  }
  for (auto a : alerts) {
    auto str = [](simdjson::dom::element e, const char* key) {
      std::string_view v;
      return e[key].get_string().get(v) == simdjson::SUCCESS ? std::string{v}
                                                             : std::string{};
    };
    auto status = str(a, "status");
    simdjson::dom::element labels;
    if (a["labels"].get(labels) != simdjson::SUCCESS || status == "resolved") {
      ++ignored;
      continue;
    }
    auto severity = str(labels, "severity");
    if (!always && (severity == "warning" || severity == "info")) {
      ++ignored;
      continue;
    }
    rollback_target t;
    t.intent_id = str(labels, "intent_id");
    t.site = str(labels, "site");
    if (t.site.empty())
      t.site = str(labels, "edge");
    if (t.intent_id.empty() && t.site.empty()) {
      ++ignored;
      continue;
    }
    auto name = str(labels, "alertname");
    simdjson::dom::element ann;
    std::string summary;
    if (a["annotations"].get(ann) == simdjson::SUCCESS)
      summary = str(ann, "summary");
    t.reason = "alert " + (name.empty() ? std::string{"(unnamed)"} : name)
               + (summary.empty() ? "" : ": " + summary);
    out.push_back(std::move(t));
  }
  return out;
}

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
