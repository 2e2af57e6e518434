#include "io/intent_routes.hpp"

#include "common/json.hpp"
#include "common/text.hpp"
#include "common/time.hpp"
#include "io/ask.hpp"
#include "io/http_error.hpp"
#include "io/static_files.hpp"
#include "io/ws_sessions.hpp"
#include "protocol/error.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/wire.hpp"
#include "protocol/ws_common.hpp"

#include <boost/beast/http/field.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <atomic>
#include <chrono>

namespace o2hub {

namespace {

namespace bh = boost::beast::http;
using namespace std::chrono_literals;

/// How long one understanding may take (the LLM has its own timeout).
constexpr auto process_timeout = std::chrono::seconds(120);

std::vector<std::string> site_names(const config& cfg) {
  std::vector<std::string> out;
  for (const auto& s : cfg.sites)
    out.push_back(s.name);
  return out;
}

std::string stats_members(const intent_stats& s) {
  json::writer w;
  w.begin_object()
      .kv("llm", s.llm)
      .kv("cache_size", s.cache_size)
      .key("counts")
      .begin_object()
      .kv("requests", s.requests)
      .kv("rules", s.answered_by_rules)
      .kv("llm", s.answered_by_llm)
      .kv("fallbacks", s.fallbacks)
      .kv("cache_hits", s.cache_hits)
      .end_object()
      .end_object();
  return w.take();
}

std::string stats_prometheus(const intent_stats& s) {
  std::string out;
  auto counter = [&](const char* name, const char* help, const std::string& labels,
                     uint64_t v, bool header = true) {
    if (header)
      out +=
          std::string{"# HELP "} + name + " " + help + "\n# TYPE " + name + " counter\n";
    out += name + labels + " " + std::to_string(v) + "\n";
  };
  counter("o2hub_intent_requests_total", "Intents requested.", "", s.requests);
  counter("o2hub_intent_answers_total", "Intents by the engine that answered.",
          "{engine=\"rules\"}", s.answered_by_rules);
  counter("o2hub_intent_answers_total", "", "{engine=\"llm\"}", s.answered_by_llm, false);
  counter("o2hub_intent_fallbacks_total", "LLM answers replaced by rules.", "",
          s.fallbacks);
  counter("o2hub_intent_cache_hits_total", "Answers served from the cache.", "",
          s.cache_hits);
  out += "# HELP o2hub_intent_cache_entries Answers in the cache.\n"
         "# TYPE o2hub_intent_cache_entries gauge\n"
         "o2hub_intent_cache_entries "
         + std::to_string(s.cache_size) + "\n";
  out += std::string{"# HELP o2hub_intent_llm_up 1 when the LLM answers well, "
                     "0 when degraded.\n# TYPE o2hub_intent_llm_up gauge\n"
                     "o2hub_intent_llm_up{state=\""}
         + s.llm + "\"} " + (s.llm == "degraded" ? "0" : "1") + "\n";
  return out;
}

// -- batch -------------------------------------------------------------------

struct batch_run {
  std::vector<wire::batch_item> items;
  std::vector<std::string> results;
  size_t next = 0;
  size_t in_flight = 0;
  size_t done = 0;
  size_t ok = 0;
  intent_actor intent;
  std::shared_ptr<http::request> proto;
  http::responder respond;
};

/// At most this many requests of one batch are processed at once.
constexpr size_t batch_window = 8;

std::string failed_item(const std::string& code, const std::string& message,
                        const std::string& raw) {
  json::writer w;
  w.begin_object()
      .kv("status", "failed")
      .key("error")
      .begin_object()
      .kv("code", code)
      .kv("message", message)
      .end_object()
      .key("request")
      .raw(raw.empty() ? "null" : raw)
      .end_object();
  return w.take();
}

void finish_batch(const std::shared_ptr<batch_run>& run) {
  json::writer w;
  w.begin_object()
      .kv("total", run->items.size())
      .kv("successful", run->ok)
      .kv("failed", run->items.size() - run->ok)
      .key("results")
      .begin_array();
  for (const auto& r : run->results)
    w.raw(r);
  w.end_array().end_object();
  run->respond(http::make_json(*run->proto, http::status::ok, w.take()));
}

void pump_batch(caf::event_based_actor* self, const std::shared_ptr<batch_run>& run) {
  while (run->in_flight < batch_window && run->next < run->items.size()) {
    auto i = run->next++;
    auto& item = run->items[i];
    if (!item.parsed.ok()) {
      run->results[i] =
          failed_item(item.parsed.error.code, item.parsed.error.message, item.raw_json);
      ++run->done;
      continue;
    }
    ++run->in_flight;
    self->request(run->intent, process_timeout, atom::process_v, item.parsed.request)
        .then(
            [self, run, i](const intent_response& res) {
              run->results[i] = wire::intent_envelope(res);
              ++run->ok;
              --run->in_flight;
              ++run->done;
              pump_batch(self, run);
            },
            [self, run, i](const caf::error& err) {
              run->results[i] = failed_item(http_answer_of(err).code, error_detail(err),
                                            run->items[i].raw_json);
              --run->in_flight;
              ++run->done;
              pump_batch(self, run);
            });
  }
  if (run->done == run->items.size() && run->in_flight == 0 && run->proto) {
    finish_batch(run);
    run->proto.reset(); // answered
  }
}

} // namespace

void add_intent_routes(http::router& r, const service_context& ctx, intent_actor intent,
                       ws_session_factory sessions) {
  using http::verb;
  auto& sys = *ctx.sys;
  auto sites = site_names(*ctx.cfg);

  r.add(verb::get, "/health",
        [&sys, status = ctx.status, intent,
         metrics = ctx.metrics](const http::request& req, const http::request_context&,
                                http::responder respond) {
          auto proto = http::reply_prototype(req);
          sys.spawn([=](caf::event_based_actor* self) {
            auto fail = [proto, respond](const caf::error& err) {
              respond(http::make_error(*proto, http::status::service_unavailable,
                                       "unavailable", render(err)));
            };
            self->request(status, 2s, atom::health_v)
                .then(
                    [=](health_report report) {
                      self->request(intent, 2s, atom::stats_v)
                          .then(
                              [=](const intent_stats& stats) mutable {
                                report.requests_total = metrics->total();
                                report.details_json = merge_json_objects(
                                    report.details_json, stats_members(stats));
                                respond(http::make_json(*proto, http::status::ok,
                                                        wire::health_json(report)));
                              },
                              fail);
                    },
                    fail);
          });
        });

  r.add(
      verb::post, "/api/v1/intent",
      [&sys, intent, sites](const http::request& req, const http::request_context&,
                            http::responder respond) {
        if (!http::json_or_empty(req))
          return respond(http::unsupported_media(req));
        auto parsed = wire::parse_intent_request(req.body(), sites);
        if (!parsed.ok())
          return respond(http::make_error(req,
                                          static_cast<http::status>(parsed.error.status),
                                          parsed.error.code, parsed.error.message));
        auto proto = http::reply_prototype(req);
        ask(
            sys, intent, process_timeout,
            [proto, respond](const intent_response& res) {
              respond(
                  http::make_json(*proto, http::status::ok, wire::intent_envelope(res)));
            },
            [proto, respond](const caf::error& err) {
              respond(http::from_error(*proto, err));
            },
            atom::process_v, std::move(parsed.request));
      },
      http::access::operator_);

  r.add(
      verb::post, "/api/v1/intent/batch",
      [&sys, intent, sites](const http::request& req, const http::request_context&,
                            http::responder respond) {
        if (!http::json_or_empty(req))
          return respond(http::unsupported_media(req));
        auto parsed = wire::parse_intent_batch(req.body(), sites, max_batch_items);
        if (parsed.error.status != 0)
          return respond(http::make_error(req,
                                          static_cast<http::status>(parsed.error.status),
                                          parsed.error.code, parsed.error.message));
        auto run = std::make_shared<batch_run>();
        run->items = std::move(parsed.items);
        run->results.resize(run->items.size());
        run->intent = intent;
        run->proto = http::reply_prototype(req);
        run->respond = std::move(respond);
        sys.spawn([run](caf::event_based_actor* self) { pump_batch(self, run); });
      },
      http::access::operator_);

  r.add(
      verb::get, "/metrics",
      [&sys, intent, metrics = ctx.metrics](const http::request& req,
                                            const http::request_context&,
                                            http::responder respond) {
        auto proto = http::reply_prototype(req);
        sys.spawn([=](caf::event_based_actor* self) {
          self->request(intent, 2s, atom::stats_v)
              .then(
                  [=](const intent_stats& stats) {
                    respond(http::make_body(*proto, http::status::ok,
                                            metrics->render() + stats_prometheus(stats),
                                            "text/plain; version=0.0.4"));
                  },
                  [=](const caf::error& err) {
                    respond(http::make_error(*proto, http::status::service_unavailable,
                                             "unavailable", render(err)));
                  });
        });
      },
      http::access::viewer);

  r.add(verb::get, "/openapi.json", static_file(ctx.webui + "/openapi.json"));
  r.add(verb::get, "/docs", static_file(ctx.webui + "/docs.html"));
  r.add_ws("/ws",
           make_session_endpoint(sys, std::move(sessions), client_counter(ctx.status)),
           http::access::viewer);
}

} // namespace o2hub
