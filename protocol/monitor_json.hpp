// JSON of the monitor's wire formats (REST on 8003 and its WebSocket).
#pragma once

#include "protocol/monitor_values.hpp"
#include "protocol/pipeline.hpp"

#include <caf/expected.hpp>

#include <string>

namespace o2hub::json {
class writer;
}

namespace o2hub::wire {

/// {"intent_id","intent_text","status","current_stage","start_time",
///  "end_time","duration","stages":[{stage,timestamp,metadata}],"rolled_back"}
void write_pipeline(json::writer& w, const pipeline& p);
std::string pipeline_json(const pipeline& p);

/// Reads what pipeline_json() wrote (for restoring from the store).
caf::expected<pipeline> read_pipeline(std::string_view json_text);

/// An edge's status: {"status","last_sync","deployments","latency_ms",
/// "checks","edge"} (null for unknown times and latencies).
void write_edge(json::writer& w, const edge_status& e);
std::string edge_json(const edge_status& e);

/// Edges as one object keyed by name.
void write_edges(json::writer& w, const std::vector<edge_status>& edges);

/// {"total_intents","successful_intents","failed_intents",
///  "avg_processing_time","current_stage","last_update","active_pipelines",
///  "success_rate","p50_processing_time","p95_processing_time"}
void write_metrics(json::writer& w, const monitor_figures& m);
std::string metrics_json(const monitor_figures& m);

/// Services keyed by name: {"url","status"[,"last_check","latency_ms"]}.
/// Services as objects {url, status, ...}, then the original monitor's flat
/// keys: claude_headless (the intent service), gitea (an HTTP GitOps
/// remote), edge01... (healthy, unhealthy, offline or unknown).
void write_services(json::writer& w, const std::vector<service_status>& services,
                    const std::vector<edge_status>& edges);

/// GET /api/v1/metrics: {"metrics","edge_status","services"}.
std::string snapshot_json(const monitor_snapshot& s);

/// GET /api/v1/pipelines: {"total","limit","offset","pipelines":[...]}.
std::string pipeline_page_json(const pipeline_page& page);

/// GET /metrics: the monitor's series in Prometheus' text format.
std::string prometheus_text(const monitor_counters& c);

/// A probe's checks as an edge's "checks" object: {"latency_ms"?, name:
/// {"state","http"?,"latency_ms"?,"error"?}...}.
std::string probe_checks_json(const probe_report& r);

/// Takes "deployments" and "latency_ms" from a manual update's metadata
/// object into `e` (the original clients put them there).
void read_edge_figures(std::string_view metadata, edge_status& e);

/// Reads what edge_json() wrote (for restoring from the store).
caf::expected<edge_status> read_edge(std::string_view json_text);

/// {"type": type, "data": <data_json>}
std::string event_json(std::string_view type, std::string_view data_json);

} // namespace o2hub::wire
