#include "protocol/monitor_json.hpp"

#include "common/json.hpp"
#include "protocol/error.hpp"
#include "protocol/site_name.hpp"

#include <simdjson.h>

#include <algorithm>

namespace o2hub::wire {

void write_pipeline(json::writer& w, const pipeline& p) {
  w.begin_object()
      .kv("intent_id", p.intent_id)
      .kv("intent_text", p.intent_text)
      .kv("status", p.status)
      .kv("current_stage", p.current_stage)
      .kv("start_time", p.start_time);
  if (p.end_time.empty())
    w.kv("end_time", nullptr);
  else
    w.kv("end_time", p.end_time);
  if (p.duration_s < 0)
    w.kv("duration", nullptr);
  else
    w.kv("duration", p.duration_s);
  w.kv("rolled_back", p.rolled_back).key("stages").begin_array();
  for (const auto& s : p.stages)
    w.begin_object()
        .kv("stage", s.name)
        .kv("timestamp", s.timestamp)
        .key("metadata")
        .raw(s.metadata_json)
        .end_object();
  w.end_array().end_object();
}

std::string pipeline_json(const pipeline& p) {
  json::writer w;
  write_pipeline(w, p);
  return w.take();
}

caf::expected<pipeline> read_pipeline(std::string_view json_text) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json_text.data(), json_text.size()).get(doc))
    return caf::error{ec::parse_error, "stored pipeline is not JSON"};
  pipeline p;
  auto str = [&](const char* key, std::string& out) {
    std::string_view v;
    if (!doc[key].get(v))
      out = std::string{v};
  };
  str("intent_id", p.intent_id);
  str("intent_text", p.intent_text);
  str("status", p.status);
  str("current_stage", p.current_stage);
  str("start_time", p.start_time);
  str("end_time", p.end_time);
  double d = 0;
  if (!doc["duration"].get(d))
    p.duration_s = d;
  bool rb = false;
  if (!doc["rolled_back"].get(rb))
    p.rolled_back = rb;
  simdjson::dom::array stages;
  if (!doc["stages"].get(stages))
    for (auto s : stages) {
      stage_entry e;
      std::string_view v;
      if (!s["stage"].get(v))
        e.name = std::string{v};
      if (!s["timestamp"].get(v))
        e.timestamp = std::string{v};
      simdjson::dom::element m;
      if (!s["metadata"].get(m))
        e.metadata_json = simdjson::minify(m);
      p.stages.push_back(std::move(e));
    }
  if (p.intent_id.empty())
    return caf::error{ec::parse_error, "stored pipeline has no intent_id"};
  return p;
}

void write_edge(json::writer& w, const edge_status& e) {
  w.begin_object().kv("status", e.status);
  if (e.last_sync.empty())
    w.kv("last_sync", nullptr);
  else
    w.kv("last_sync", e.last_sync);
  w.kv("deployments", e.deployments);
  if (e.latency_ms < 0)
    w.kv("latency_ms", nullptr);
  else
    w.kv("latency_ms", e.latency_ms);
  // The seed's spelling on the wire ("edge01"), the canonical name beside.
  w.key("checks")
      .raw(e.checks_json)
      .kv("edge", seed_site_name(e.name))
      .kv("site", e.name);
  if (!e.via.empty())
    w.kv("via", e.via);
  if (!e.agent_version.empty())
    w.kv("agent_version", e.agent_version);
  // What the pipelines say: the active intents there and the last SLO gate.
  w.key("intents").begin_array();
  for (const auto& id : e.intents)
    w.value(id);
  w.end_array().key("slo");
  if (e.slo_json.empty())
    w.value(nullptr);
  else
    w.raw(e.slo_json);
  w.end_object();
}

std::string edge_json(const edge_status& e) {
  json::writer w;
  write_edge(w, e);
  return w.take();
}

void write_edges(json::writer& w, const std::vector<edge_status>& edges) {
  w.begin_object();
  for (const auto& e : edges) {
    w.key(seed_site_name(e.name));
    write_edge(w, e);
  }
  w.end_object();
}

void write_metrics(json::writer& w, const monitor_figures& m) {
  w.begin_object()
      .kv("total_intents", m.total)
      .kv("successful_intents", m.successful)
      .kv("failed_intents", m.failed)
      .kv("avg_processing_time", m.avg_processing_time)
      .kv("current_stage", m.current_stage);
  if (m.last_update.empty())
    w.kv("last_update", nullptr);
  else
    w.kv("last_update", m.last_update);
  w.kv("active_pipelines", m.active)
      .kv("stale_pipelines", m.stale)
      .kv("success_rate", m.success_rate)
      .kv("p50_processing_time", m.p50_processing_time)
      .kv("p95_processing_time", m.p95_processing_time)
      .end_object();
}

std::string metrics_json(const monitor_figures& m) {
  json::writer w;
  write_metrics(w, m);
  return w.take();
}

namespace {

/// The original monitor's word for a status: healthy, unhealthy, offline.
const char* seed_status(const std::string& s) {
  if (s == "healthy")
    return "healthy";
  if (s == "unreachable")
    return "offline";
  if (s == "unknown" || s.empty())
    return "unknown";
  return "unhealthy";
}

} // namespace

void write_services(json::writer& w, const std::vector<service_status>& services,
                    const std::vector<edge_status>& edges) {
  w.begin_object();
  for (const auto& s : services) {
    w.key(s.name).begin_object().kv("url", s.url).kv("status", s.status);
    if (!s.last_check.empty())
      w.kv("last_check", s.last_check);
    if (s.latency_ms >= 0)
      w.kv("latency_ms", s.latency_ms);
    w.end_object();
  }
  // The original's flat keys, for its dashboard's service dots.
  for (const auto& s : services) {
    if (s.name == "intent")
      w.kv("claude_headless", seed_status(s.status));
    else if (s.name == "gitops")
      w.kv("gitea", seed_status(s.status));
  }
  for (const auto& e : edges)
    w.kv(seed_site_name(e.name), seed_status(e.status));
  w.end_object();
}

std::string snapshot_json(const monitor_snapshot& s) {
  json::writer w;
  w.begin_object().key("metrics");
  write_metrics(w, s.metrics);
  w.key("edge_status");
  write_edges(w, s.edges);
  w.key("services");
  write_services(w, s.services, s.edges);
  w.end_object();
  return w.take();
}

std::string pipeline_page_json(const pipeline_page& page) {
  json::writer w;
  w.begin_object()
      .kv("total", page.total)
      .kv("limit", page.limit)
      .kv("offset", page.offset)
      .key("pipelines")
      .begin_array();
  for (const auto& p : page.pipelines)
    write_pipeline(w, p);
  w.end_array().end_object();
  return w.take();
}

std::string prometheus_text(const monitor_counters& c) {
  std::string out;
  out += "# HELP o2hub_pipelines_total Pipelines by result.\n"
         "# TYPE o2hub_pipelines_total counter\n";
  out += "o2hub_pipelines_total{result=\"started\"} " + std::to_string(c.started) + "\n";
  out +=
      "o2hub_pipelines_total{result=\"completed\"} " + std::to_string(c.completed) + "\n";
  out += "o2hub_pipelines_total{result=\"failed\"} " + std::to_string(c.failed) + "\n";
  out += "# HELP o2hub_pipelines_active Pipelines running now.\n"
         "# TYPE o2hub_pipelines_active gauge\no2hub_pipelines_active "
         + std::to_string(c.active) + "\n";
  static constexpr double bounds[] = {1, 5, 10, 30, 60, 120, 300, 600, 1800};
  out += "# HELP o2hub_pipeline_duration_seconds Time from start to result.\n"
         "# TYPE o2hub_pipeline_duration_seconds histogram\n";
  double sum = 0;
  for (double d : c.durations)
    sum += d;
  for (double b : bounds) {
    auto n = std::count_if(c.durations.begin(), c.durations.end(),
                           [b](double d) { return d <= b; });
    out += "o2hub_pipeline_duration_seconds_bucket{le=\""
           + std::to_string(static_cast<int>(b)) + "\"} " + std::to_string(n) + "\n";
  }
  out += "o2hub_pipeline_duration_seconds_bucket{le=\"+Inf\"} "
         + std::to_string(c.durations.size()) + "\n";
  out += "o2hub_pipeline_duration_seconds_sum " + std::to_string(sum) + "\n";
  out += "o2hub_pipeline_duration_seconds_count " + std::to_string(c.durations.size())
         + "\n";
  out += "# HELP o2hub_edge_up 1 when the edge site is healthy or degraded.\n"
         "# TYPE o2hub_edge_up gauge\n";
  for (const auto& e : c.edges)
    out += "o2hub_edge_up{edge=\"" + e.name + "\",status=\"" + e.status + "\"} "
           + (e.status == "healthy" || e.status == "degraded" ? "1" : "0") + "\n";
  out += "# HELP o2hub_edge_probe_latency_ms Mean latency of the last probe.\n"
         "# TYPE o2hub_edge_probe_latency_ms gauge\n";
  for (const auto& e : c.edges)
    if (e.latency_ms >= 0)
      out += "o2hub_edge_probe_latency_ms{edge=\"" + e.name + "\"} "
             + std::to_string(e.latency_ms) + "\n";
  out += "# HELP o2hub_monitor_websocket_clients Dashboard clients.\n"
         "# TYPE o2hub_monitor_websocket_clients gauge\n"
         "o2hub_monitor_websocket_clients "
         + std::to_string(c.clients) + "\n";
  return out;
}

std::string probe_checks_json(const probe_report& r) {
  json::writer w;
  w.begin_object();
  if (r.latency_ms >= 0)
    w.kv("latency_ms", r.latency_ms);
  for (const auto& c : r.checks) {
    w.key(c.name).begin_object().kv("state", c.state);
    if (c.http > 0)
      w.kv("http", c.http).kv("latency_ms", c.latency_ms);
    if (!c.error.empty())
      w.kv("error", c.error);
    w.end_object();
  }
  w.end_object();
  return w.take();
}

void read_edge_figures(std::string_view metadata, edge_status& e) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(metadata.data(), metadata.size()).get(doc))
    return;
  int64_t deployments = 0;
  double latency = 0;
  if (!doc["deployments"].get(deployments))
    e.deployments = deployments;
  if (!doc["latency_ms"].get(latency))
    e.latency_ms = latency;
}

/// Reads what edge_json() wrote (for restoring from the store); the name is
/// the caller's.
caf::expected<edge_status> read_edge(std::string_view json_text) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json_text.data(), json_text.size()).get(doc))
    return caf::error{ec::parse_error, "stored edge is not JSON"};
  edge_status e;
  std::string_view v;
  if (!doc["status"].get(v))
    e.status = std::string{v};
  if (!doc["last_sync"].get(v))
    e.last_sync = std::string{v};
  if (!doc["edge"].get(v))
    e.name = std::string{v};
  if (!doc["via"].get(v))
    e.via = std::string{v};
  if (!doc["agent_version"].get(v))
    e.agent_version = std::string{v};
  int64_t n = 0;
  if (!doc["deployments"].get(n))
    e.deployments = n;
  double l = 0;
  if (!doc["latency_ms"].get(l))
    e.latency_ms = l;
  simdjson::dom::element checks;
  if (!doc["checks"].get(checks))
    e.checks_json = simdjson::minify(checks);
  return e;
}

std::string event_json(std::string_view type, std::string_view data_json) {
  json::writer w;
  w.begin_object().kv("type", type).key("data").raw(data_json).end_object();
  return w.take();
}

} // namespace o2hub::wire
