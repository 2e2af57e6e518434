#include "app/router.hpp"

#include "common/json.hpp"
#include "common/log.hpp"
#include "io/ask.hpp"
#include "io/metrics.hpp"
#include "io/static_files.hpp"
#include "protocol/actors.hpp"
#include "protocol/error.hpp"
#include "protocol/wire.hpp"

#include <fstream>
#include <iterator>

namespace o2hub {

namespace {

std::string services_json(const run_options& opts) {
  json::writer w;
  w.begin_object().key("services").begin_array();
  auto add = [&](const char* name, uint16_t port, bool on, const char* ui) {
    w.begin_object()
        .kv("name", name)
        .kv("port", port)
        .kv("enabled", on)
        .kv("ui", ui)
        .end_object();
  };
  add("intent", opts.cfg.intent_port, opts.intent, "/docs");
  add("monitor", opts.cfg.monitor_port, opts.monitor, "/");
  add("bridge", opts.cfg.bridge_port, opts.bridge, "/");
  w.end_array().end_object();
  return w.take();
}

} // namespace

std::shared_ptr<http::router> make_router(const service_context& ctx,
                                          const run_options& opts,
                                          std::shared_ptr<const security_policy> security,
                                          bool with_health) {
  using http::verb;
  auto r = std::make_shared<http::router>(std::move(security));
  r->on_response(
      [metrics = ctx.metrics](const std::string& route, unsigned code, double seconds) {
        metrics->record(route, code, seconds);
      });
  if (with_health) {
    r->add(verb::get, "/health",
           [&sys = *ctx.sys, status = ctx.status, board = ctx.health,
            metrics = ctx.metrics](const http::request& req, const http::request_context&,
                                   http::responder respond) {
             // Answered here, on the connection's thread, from what the
             // status actor published last: no message, no actor.
             if (auto latest = board ? board->latest() : nullptr) {
               auto report = *latest;
               report.uptime_s = board->uptime_s();
               report.requests_total = metrics->total();
               respond(http::make_json(req, http::status::ok, wire::health_json(report)));
               return;
             }
             auto proto = http::reply_prototype(req);
             ask(
                 sys, status, std::chrono::seconds(2),
                 [proto, respond, metrics](health_report report) {
                   report.requests_total = metrics->total();
                   respond(http::make_json(*proto, http::status::ok,
                                           wire::health_json(report)));
                 },
                 [proto, respond](const caf::error& err) {
                   respond(http::make_error(*proto, http::status::service_unavailable,
                                            "unavailable", render(err)));
                 },
                 atom::health_v);
           });
    if (ctx.name != "monitor") // the monitor adds its own metrics
      r->add(
          verb::get, "/metrics",
          [metrics = ctx.metrics](const http::request& req, const http::request_context&,
                                  http::responder respond) {
            respond(http::make_body(req, http::status::ok, metrics->render(),
                                    "text/plain; version=0.0.4"));
          },
          http::access::viewer);
  }
  auto services = services_json(opts);
  r->add(
      verb::get, "/api/v1/services",
      [services](const http::request& req, const http::request_context&,
                 http::responder respond) {
        respond(http::make_json(req, http::status::ok, services));
      },
      http::access::viewer);
  // Every service has the landing page.
  r->add(verb::get, "/home", static_file(ctx.webui + "/index.html"));
  // The monitor's / is its dashboard, the bridge's its terminal page.
  auto root_page = ctx.name == "monitor"  ? "/dashboard.html"
                   : ctx.name == "bridge" ? "/terminal.html"
                                          : "/index.html";
  r->add(verb::get, "/", static_file(ctx.webui + root_page));
  r->add_prefix(verb::get, "/static/", static_files(ctx.webui));
  r->add(verb::get, "/favicon.ico", static_file(ctx.webui + "/favicon.svg"));
  r->add_prefix(verb::get, "/vendor/", vendor_files(ctx.webui + "/node_modules"));
  return r;
}

void warn_undocumented(const http::router& r, const std::string& spec_file,
                       std::string_view service) {
  std::ifstream in{spec_file, std::ios::binary};
  std::string spec{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
  for (const auto& route : http::undocumented_routes(r, spec))
    log::warn("route not in the service's API description",
              {{"service", std::string{service}}, {"route", route}, {"file", spec_file}});
}

} // namespace o2hub
