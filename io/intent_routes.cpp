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

#include <atomic>
#include <chrono>

namespace o2hub {

namespace {

namespace bh = boost::beast::http;
using namespace std::chrono_literals;

std::vector<std::string> site_names(const config& cfg) {
  std::vector<std::string> out;
  for (const auto& s : cfg.sites)
    out.push_back(s.name);
  return out;
}

/// The intent service's fields of GET /health.
void write_stats_members(json::writer& w, const intent_stats& s) {
  w.kv("llm", s.llm)
      .kv("cache_size", s.cache_size)
      .key("counts")
      .begin_object()
      .kv("requests", s.requests)
      .kv("rules", s.answered_by_rules)
      .kv("llm", s.answered_by_llm)
      .kv("fallbacks", s.fallbacks)
      .kv("cache_hits", s.cache_hits)
      .end_object();
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

/// The batch answer: every item's result in the order sent; `outcomes` holds
/// one entry per item that was readable, in order.
std::string batch_json(const std::vector<wire::batch_item>& items,
                       const std::vector<intent_outcome>& outcomes) {
  std::vector<std::string> results;
  size_t ok = 0;
  size_t next = 0;
  for (const auto& item : items) {
    if (!item.parsed.ok()) {
      results.push_back(
          failed_item(item.parsed.error.code, item.parsed.error.message, item.raw_json));
      continue;
    }
    const auto& out = outcomes.at(next++);
    if (out.error) {
      results.push_back(failed_item(http_answer_of(out.error).code,
                                    error_detail(out.error), item.raw_json));
    } else {
      results.push_back(wire::intent_envelope(out.response));
      ++ok;
    }
  }
  json::writer w;
  w.begin_object()
      .kv("total", items.size())
      .kv("successful", ok)
      .kv("failed", items.size() - ok)
      .key("results")
      .begin_array();
  for (const auto& r : results)
    w.raw(r);
  w.end_array().end_object();
  return w.take();
}

} // namespace

void add_intent_routes(http::router& r, const service_context& ctx, intent_actor intent,
                       ws_session_factory sessions) {
  using http::verb;
  auto& sys = *ctx.sys;
  auto sites = site_names(*ctx.cfg);

  r.add(verb::get, "/health",
        [&sys, status = ctx.status, intent, metrics = ctx.metrics, board = ctx.health,
         counters = ctx.intent_counters](const http::request& req,
                                         const http::request_context&,
                                         http::responder respond) {
          // Answered here, on the connection's thread, from what the status
          // and intent actors published last: no message (issue 16).
          if (auto latest = board && counters ? board->latest() : nullptr) {
            auto report = *latest;
            report.uptime_s = board->uptime_s();
            report.requests_total = metrics->total();
            auto stats = counters->latest();
            respond(http::make_json(req, http::status::ok,
                                    wire::health_json(report, [&](json::writer& w) {
                                      write_stats_members(w, stats);
                                    })));
            return;
          }
          auto proto = http::reply_prototype(req);
          auto fail = [proto, respond](const caf::error& err) {
            respond(http::make_error(*proto, http::status::service_unavailable,
                                     "unavailable", render(err)));
          };
          // The service's report, then the engine's counters.
          ask(
              sys, status, 2s,
              [&sys, intent, metrics, proto, respond, fail](health_report report) {
                report.requests_total = metrics->total();
                ask(
                    sys, intent, 2s,
                    [report, proto, respond](const intent_stats& stats) {
                      auto body = wire::health_json(report, [&](json::writer& w) {
                        write_stats_members(w, stats);
                      });
                      respond(http::make_json(*proto, http::status::ok, body));
                    },
                    fail, atom::stats_v);
              },
              fail, atom::health_v);
        });

  r.add(
      verb::post, "/api/v1/intent",
      [intent, sites](const http::request& req, const http::request_context&,
                      http::responder respond) {
        if (!http::json_or_empty(req))
          return respond(http::unsupported_media(req));
        auto parsed = wire::parse_intent_request(req.body(), sites);
        if (!parsed.ok())
          return respond(http::make_error(req,
                                          static_cast<http::status>(parsed.error.status),
                                          parsed.error.code, parsed.error.message));
        // Straight to the intent actor, which answers this connection
        // itself (no asking actor: one message instead of three).
        intent_reply reply{[proto = http::reply_prototype(req),
                            respond](caf::expected<intent_response> res) {
          if (res)
            respond(
                http::make_json(*proto, http::status::ok, wire::intent_envelope(*res)));
          else
            respond(http::from_error(*proto, res.error()));
        }};
        caf::anon_send(intent, atom::process_v, std::move(parsed.request),
                       std::move(reply));
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
        auto items =
            std::make_shared<std::vector<wire::batch_item>>(std::move(parsed.items));
        std::vector<intent_request> requests;
        for (auto& item : *items)
          if (item.parsed.ok())
            requests.push_back(item.parsed.request);
        auto proto = http::reply_prototype(req);
        auto reply = [items, proto,
                      respond](const std::vector<intent_outcome>& outcomes) {
          respond(
              http::make_json(*proto, http::status::ok, batch_json(*items, outcomes)));
        };
        if (requests.empty())
          return reply({});
        // Every round of the window may take the item timeout.
        auto rounds = (requests.size() + intent_batch_window - 1) / intent_batch_window;
        auto timeout = std::chrono::seconds(intent_item_timeout_s * rounds + 10);
        ask(
            sys, intent, timeout, reply,
            [proto, respond](const caf::error& err) {
              respond(http::from_error(*proto, err));
            },
            atom::process_v, std::move(requests));
      },
      http::access::operator_);

  r.add(
      verb::get, "/metrics",
      [&sys, intent, metrics = ctx.metrics, counters = ctx.intent_counters](
          const http::request& req, const http::request_context&,
          http::responder respond) {
        if (counters)
          return respond(
              http::make_body(req, http::status::ok,
                              metrics->render() + stats_prometheus(counters->latest()),
                              "text/plain; version=0.0.4"));
        auto proto = http::reply_prototype(req);
        ask(
            sys, intent, 2s,
            [proto, respond, metrics](const intent_stats& stats) {
              respond(http::make_body(*proto, http::status::ok,
                                      metrics->render() + stats_prometheus(stats),
                                      "text/plain; version=0.0.4"));
            },
            [proto, respond](const caf::error& err) {
              respond(http::make_error(*proto, http::status::service_unavailable,
                                       "unavailable", render(err)));
            },
            atom::stats_v);
      },
      http::access::viewer);

  r.add(verb::get, "/openapi.json", static_file(ctx.webui + "/openapi.json"));
  r.add(verb::get, "/docs", static_file(ctx.webui + "/docs.html"));
  r.add_ws("/ws",
           make_session_endpoint(sys, std::move(sessions), client_counter(ctx.status)),
           http::access::viewer);
}

} // namespace o2hub
