#include "io/monitor_routes.hpp"

#include "common/json.hpp"
#include "io/ask.hpp"
#include "io/http_error.hpp"
#include "io/static_files.hpp"
#include "io/ws_sessions.hpp"
#include "protocol/error.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/monitor_json.hpp"
#include "protocol/site_name.hpp"
#include "protocol/wire.hpp"
#include "protocol/ws_common.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <simdjson.h>

#include <charconv>
#include <optional>

namespace o2hub {

namespace {

using namespace std::chrono_literals;

/// Sends `xs` to the monitor and answers with `on_ok(reply)` or the error.
template <class Reply, class OnOk, class... Ts>
void call(caf::actor_system& sys, const monitor_actor& monitor, const http::request& req,
          http::responder respond, OnOk on_ok, Ts... xs) {
  auto proto = http::reply_prototype(req);
  ask(
      sys, monitor, 5s, [=](const Reply& r) { respond(on_ok(*proto, r)); },
      [=](const caf::error& err) { respond(http::from_error(*proto, err)); }, xs...);
}

/// Fields of a JSON body: string fields, and the raw "metadata" object.
struct body_fields {
  std::map<std::string, std::string> strings;
  std::string metadata = "{}";
  std::string error; // why the body is unusable
};

/// The string fields the monitor's routes read, with their longest value in
/// bytes; a field of another type is refused, never ignored.
const std::map<std::string_view, size_t>& field_limits() {
  static const std::map<std::string_view, size_t> limits{{"intent_id", 128},
                                                         {"intent_text", 4096},
                                                         {"stage", 64},
                                                         {"edge", 128},
                                                         {"status", 64}};
  return limits;
}

/// The largest metadata object kept with a stage or an edge.
constexpr size_t max_metadata_bytes = 64 * 1024;

/// Why the query's values cannot be used, or "".
std::string query_error(const http::request_context& ctx) {
  for (const auto& [name, limit] : field_limits())
    if (auto q = ctx.param(name); q && q->size() > limit)
      return std::string{name} + " is longer than " + std::to_string(limit) + " bytes";
  return {};
}

/// Reads a JSON object body. With `metadata_only`, the whole body is the
/// metadata object (the original's update form).
body_fields read_body(const std::string& body, bool metadata_only) {
  body_fields out;
  bool blank = body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank)
    return out;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded{body};
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(obj)) {
    out.error = "the body must be a JSON object";
    return out;
  }
  if (metadata_only) {
    std::string_view raw;
    if (obj.raw_json().get(raw))
      out.error = "the body must be a JSON object";
    else if (raw.size() > max_metadata_bytes)
      out.error =
          "the metadata is larger than " + std::to_string(max_metadata_bytes) + " bytes";
    else
      out.metadata = std::string{raw};
    return out;
  }
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) {
      out.error = "the body must be a JSON object";
      return out;
    }
    auto v = field.value();
    if (key == "metadata") {
      simdjson::ondemand::object m;
      std::string_view raw;
      if (v.get_object().get(m) || m.raw_json().get(raw)) {
        out.error = "\"metadata\" must be an object";
        return out;
      }
      if (raw.size() > max_metadata_bytes) {
        out.error = "\"metadata\" is larger than " + std::to_string(max_metadata_bytes)
                    + " bytes";
        return out;
      }
      out.metadata = std::string{raw};
      continue;
    }
    auto limit = field_limits().find(key);
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) {
      if (limit != field_limits().end() && s.size() > limit->second) {
        out.error = "\"" + std::string{key} + "\" is longer than "
                    + std::to_string(limit->second) + " bytes";
        return out;
      }
      out.strings[std::string{key}] = std::string{s};
    } else if (limit != field_limits().end()) {
      out.error = "\"" + std::string{key} + "\" must be a string";
      return out;
    }
  }
  return out;
}

/// What every mutating route reads first: a JSON (or empty) body and the
/// query, checked; the refusal to answer with, if any. `metadata_only`: the
/// original's form, where the whole body is the metadata object.
std::optional<http::response> read_input(const http::request& req,
                                         const http::request_context& ctx,
                                         bool metadata_only, body_fields& body) {
  if (!http::json_or_empty(req))
    return http::unsupported_media(req);
  // The whole body must be valid JSON: metadata is stored and sent to every
  // dashboard as it came.
  if (req.body().find_first_not_of(" \t\r\n") != std::string::npos)
    if (auto bad = wire::invalid_document(req.body()))
      return http::make_error(req, static_cast<http::status>(bad->status), bad->code,
                              bad->message);
  body = read_body(req.body(), metadata_only);
  if (body.error.empty())
    body.error = query_error(ctx);
  if (!body.error.empty())
    return http::make_error(req, http::status::unprocessable_entity, "invalid_body",
                            body.error);
  return std::nullopt;
}

/// A parameter from the query, else from the body.
std::string param(const http::request_context& ctx, const body_fields& body,
                  const char* name) {
  if (auto q = ctx.param(name))
    return *q;
  if (auto i = body.strings.find(name); i != body.strings.end())
    return i->second;
  return {};
}

uint64_t number_param(const http::request_context& ctx, const char* name,
                      uint64_t fallback, uint64_t max, bool& ok) {
  auto q = ctx.param(name);
  if (!q)
    return fallback;
  uint64_t v = 0;
  auto res = std::from_chars(q->data(), q->data() + q->size(), v);
  if (res.ec != std::errc{} || res.ptr != q->data() + q->size() || v > max) {
    ok = false;
    return 0;
  }
  return v;
}

bool valid_status(const std::string& s) {
  if (s.empty() || s.size() > 32)
    return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
      return false;
  return true;
}

/// The monitor's WebSocket: clients subscribe to the monitor actor's events.
} // namespace

void add_monitor_routes(http::router& r, const service_context& ctx,
                        monitor_actor monitor, ws_session_factory sessions) {
  using http::verb;
  auto& sys = *ctx.sys;
  auto bad = [](const http::request& req, http::status st, const char* code,
                std::string detail) {
    return http::make_error(req, st, code, std::move(detail));
  };

  r.add(
      verb::post, "/api/v1/pipeline/start",
      [&sys, monitor, bad](const http::request& req, const http::request_context& c,
                           http::responder respond) {
        body_fields body;
        if (auto refused = read_input(req, c, false, body))
          return respond(std::move(*refused));
        auto id = param(c, body, "intent_id");
        auto text = param(c, body, "intent_text");
        if (id.empty())
          return respond(bad(req, http::status::unprocessable_entity, "missing_intent_id",
                             "intent_id is required (query or JSON body)"));
        call<pipeline>(
            sys, monitor, req, respond,
            [](const http::request& proto, const pipeline& p) {
              json::writer w;
              w.begin_object().kv("status", "started").key("pipeline");
              wire::write_pipeline(w, p);
              w.end_object();
              return http::make_json(proto, http::status::ok, w.take());
            },
            atom::start_v, id, text, atom::update_v);
      },
      http::access::operator_);

  r.add(
      verb::post, "/api/v1/pipeline/update",
      [&sys, monitor, bad](const http::request& req, const http::request_context& c,
                           http::responder respond) {
        // Original form: ?stage=..&intent_id=.. with the metadata as the body.
        body_fields body;
        if (auto refused = read_input(req, c, c.param("stage") != nullptr, body))
          return respond(std::move(*refused));
        auto stage_name = param(c, body, "stage");
        if (stage_name.empty())
          return respond(bad(req, http::status::unprocessable_entity, "missing_stage",
                             "stage is required (query or JSON body)"));
        if (!parse_stage(stage_name)) {
          std::string all;
          for (const auto& s : stage_names())
            all += (all.empty() ? "" : ", ") + s;
          return respond(bad(req, http::status::bad_request, "invalid_stage",
                             "unknown stage '" + stage_name + "'; stages: " + all));
        }
        call<pipeline>(
            sys, monitor, req, respond,
            [](const http::request& proto, const pipeline& p) {
              json::writer w;
              w.begin_object().kv("status", "updated").key("pipeline");
              wire::write_pipeline(w, p);
              w.end_object();
              return http::make_json(proto, http::status::ok, w.take());
            },
            atom::update_v, param(c, body, "intent_id"), stage_name, body.metadata);
      },
      http::access::operator_);

  r.add(
      verb::post, "/api/v1/edge/update",
      [&sys, monitor, bad](const http::request& req, const http::request_context& c,
                           http::responder respond) {
        body_fields body;
        if (auto refused = read_input(req, c, c.param("edge") != nullptr, body))
          return respond(std::move(*refused));
        auto edge = param(c, body, "edge");
        auto status = param(c, body, "status");
        if (edge.empty() || status.empty())
          return respond(bad(req, http::status::unprocessable_entity, "missing_field",
                             "edge and status are required (query or JSON body)"));
        if (!valid_status(status))
          return respond(bad(req, http::status::unprocessable_entity, "invalid_status",
                             "status must be a lower-case word such as healthy, "
                             "degraded or unreachable"));
        call<edge_status>(
            sys, monitor, req, respond,
            [](const http::request& proto, const edge_status& e) {
              json::writer w;
              w.begin_object()
                  .kv("status", "updated")
                  .kv("edge", seed_site_name(e.name))
                  .key("edge_status");
              wire::write_edge(w, e);
              w.end_object();
              return http::make_json(proto, http::status::ok, w.take());
            },
            atom::edge_v, edge, status, body.metadata);
      },
      http::access::operator_);

  // A GET's reply value as JSON, written by `encode`.
  auto json_of = [](auto encode) {
    return [encode](const http::request& proto, const auto& value) {
      return http::make_json(proto, http::status::ok, encode(value));
    };
  };
  r.add(
      verb::get, "/api/v1/metrics",
      [&sys, monitor, json_of](const http::request& req, const http::request_context&,
                               http::responder respond) {
        call<monitor_snapshot>(sys, monitor, req, respond, json_of(wire::snapshot_json),
                               atom::get_v, atom::metrics_v);
      },
      http::access::viewer);
  r.add(
      verb::get, "/api/v1/pipelines",
      [&sys, monitor, json_of, bad](const http::request& req,
                                    const http::request_context& c,
                                    http::responder respond) {
        bool ok = true;
        auto limit = number_param(c, "limit", 50, 1000, ok);
        auto offset = number_param(c, "offset", 0, UINT32_MAX, ok);
        if (!ok)
          return respond(bad(req, http::status::bad_request, "invalid_query",
                             "limit (0-1000) and offset must be whole numbers"));
        call<pipeline_page>(sys, monitor, req, respond, json_of(wire::pipeline_page_json),
                            atom::get_v, atom::pipelines_v, limit, offset);
      },
      http::access::viewer);
  r.add(
      verb::post, "/api/v1/pipelines/{id}/cancel",
      [&sys, monitor](const http::request& req, const http::request_context& c,
                      http::responder respond) {
        if (!http::json_or_empty(req))
          return respond(http::unsupported_media(req));
        call<pipeline>(
            sys, monitor, req, respond,
            [](const http::request& proto, const pipeline& p) {
              json::writer w;
              w.begin_object().kv("status", "cancelled").key("pipeline");
              wire::write_pipeline(w, p);
              w.end_object();
              return http::make_json(proto, http::status::ok, w.take());
            },
            atom::update_v, c.params.at("id"), atom::erase_v);
      },
      http::access::operator_);
  // The monitor's own API document and Swagger UI.
  r.add(verb::get, "/openapi.json", static_file(ctx.webui + "/monitor-openapi.json"));
  r.add(verb::get, "/docs", static_file(ctx.webui + "/docs.html"));
  r.add(
      verb::get, "/api/v1/pipelines/{id}",
      [&sys, monitor, json_of](const http::request& req, const http::request_context& c,
                               http::responder respond) {
        call<pipeline>(sys, monitor, req, respond, json_of(wire::pipeline_json),
                       atom::get_v, atom::pipeline_v, c.params.at("id"));
      },
      http::access::viewer);
  r.add(
      verb::get, "/api/v1/edges",
      [&sys, monitor, json_of](const http::request& req, const http::request_context&,
                               http::responder respond) {
        call<std::vector<edge_status>>(sys, monitor, req, respond,
                                       json_of([](const std::vector<edge_status>& es) {
                                         json::writer w;
                                         wire::write_edges(w, es);
                                         return w.take();
                                       }),
                                       atom::get_v, atom::edges_v);
      },
      http::access::viewer);
  r.add(
      verb::get, "/metrics",
      [&sys, monitor, metrics = ctx.metrics](const http::request& req,
                                             const http::request_context&,
                                             http::responder respond) {
        call<monitor_counters>(
            sys, monitor, req, respond,
            [metrics](const http::request& proto, const monitor_counters& c) {
              return http::make_body(proto, http::status::ok,
                                     metrics->render() + wire::prometheus_text(c),
                                     "text/plain; version=0.0.4");
            },
            atom::get_v, atom::prometheus_v);
      },
      http::access::viewer);
  // Lazy sessions: a dashboard is subscribed when it connects; a session
  // actor is spawned only if the client ever sends something.
  r.add_ws("/ws",
           make_session_endpoint(sys, std::move(sessions), client_counter(ctx.status),
                                 [monitor](const ws_sink_ptr& sink) {
                                   caf::anon_send(monitor, atom::subscribe_v, sink);
                                 }),
           http::access::viewer);
}

} // namespace o2hub
