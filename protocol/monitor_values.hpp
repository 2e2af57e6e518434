// The monitor's answers and reports as values: what its REST routes and its
// probers exchange with it. protocol/monitor_json.hpp writes them as the
// wire contract's JSON; nothing else does.
#pragma once

#include "protocol/fwd.hpp"
#include "protocol/pipeline.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace o2hub {

/// One check of a probe round as its prober saw it.
struct check_outcome {
  /// "o2ims", "prometheus" or "k8s" (edges); the service's name (services).
  std::string name;
  /// "ok", "unauthorized", "error" or "down".
  std::string state;
  /// HTTP status; 0: no answer.
  int32_t http = 0;
  double latency_ms = 0;
  /// Why there was no usable answer ("" if none).
  std::string error;

  friend bool operator==(const check_outcome& x, const check_outcome& y) {
    return x.name == y.name && x.state == y.state && x.http == y.http
           && x.latency_ms == y.latency_ms && x.error == y.error;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, check_outcome& x) {
    return f(caf::meta::type_name("o2hub.check_outcome"), x.name, x.state, x.http,
             x.latency_ms, x.error);
  }
};

/// What a prober reports when its site's (or service's) status changed.
struct probe_report {
  /// "healthy", "degraded" or "unreachable".
  std::string status;
  /// Mean latency of the checks that answered; -1: none answered.
  double latency_ms = -1;
  std::vector<check_outcome> checks;
  /// Who probed: "probe" (this node, over HTTP) or "agent" (the site's edge
  /// agent, locally); empty: "probe".
  std::string via;
  /// The agent's o2hub version when `via` is "agent".
  std::string agent_version;

  friend bool operator==(const probe_report& x, const probe_report& y) {
    return x.status == y.status && x.latency_ms == y.latency_ms && x.checks == y.checks
           && x.via == y.via && x.agent_version == y.agent_version;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, probe_report& x) {
    return f(caf::meta::type_name("o2hub.probe_report"), x.status, x.latency_ms, x.checks,
             x.via, x.agent_version);
  }
};

/// One edge site's status on the dashboard and in /api/v1/edges.
struct edge_status {
  /// Canonical site name ("edge01").
  std::string name;
  std::string status = "unknown";
  /// RFC 3339; empty: never updated.
  std::string last_sync;
  int64_t deployments = 0;
  /// -1: unknown.
  double latency_ms = -1;
  /// A JSON object: the probe's checks, or the metadata of a manual update
  /// (free-form by contract, validated before it gets here).
  std::string checks_json = "{}";
  /// Where the status came from: "probe" (HTTP from the hub), "agent" (the
  /// site's edge agent), "manual" (edge/update); empty: not yet known.
  std::string via;
  /// The agent's o2hub version when `via` is "agent".
  std::string agent_version;
  /// The active intents deployed on the site (from the pipelines).
  std::vector<std::string> intents;
  /// The last SLO gate that measured the site (see site_load); "": none.
  std::string slo_json;

  friend bool operator==(const edge_status& x, const edge_status& y) {
    return x.name == y.name && x.status == y.status && x.last_sync == y.last_sync
           && x.deployments == y.deployments && x.latency_ms == y.latency_ms
           && x.checks_json == y.checks_json && x.via == y.via
           && x.agent_version == y.agent_version && x.intents == y.intents
           && x.slo_json == y.slo_json;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, edge_status& x) {
    return f(caf::meta::type_name("o2hub.edge_status"), x.name, x.status, x.last_sync,
             x.deployments, x.latency_ms, x.checks_json, x.via, x.agent_version,
             x.intents, x.slo_json);
  }
};

/// What the pipelines say about a site; the pipeline manager tells the
/// monitor whenever it changes (and once after start-up).
struct site_load {
  /// Canonical site name.
  std::string site;
  /// Active intents deployed there, oldest first.
  std::vector<std::string> intents;
  /// The last SLO gate that measured the site: {"passed", "intent_id",
  /// "pipeline", "at", "results": {metric: {value, target, op, pass}}};
  /// "": none yet.
  std::string slo_json;
  /// Whether that gate failed on this site.
  bool slo_failed = false;

  friend bool operator==(const site_load& x, const site_load& y) {
    return x.site == y.site && x.intents == y.intents && x.slo_json == y.slo_json
           && x.slo_failed == y.slo_failed;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, site_load& x) {
    return f(caf::meta::type_name("o2hub.site_load"), x.site, x.intents, x.slo_json,
             x.slo_failed);
  }
};

/// A service in the dashboard's services list (intent, bridge, gitops).
struct service_status {
  std::string name;
  std::string url;
  /// "unknown" until its prober reported.
  std::string status = "unknown";
  /// RFC 3339 of the last report; empty: none.
  std::string last_check;
  /// -1: unknown.
  double latency_ms = -1;

  friend bool operator==(const service_status& x, const service_status& y) {
    return x.name == y.name && x.url == y.url && x.status == y.status
           && x.last_check == y.last_check && x.latency_ms == y.latency_ms;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, service_status& x) {
    return f(caf::meta::type_name("o2hub.service_status"), x.name, x.url, x.status,
             x.last_check, x.latency_ms);
  }
};

/// The monitor's figures ("metrics" of GET /api/v1/metrics and the events).
struct monitor_figures {
  uint64_t total = 0;
  uint64_t successful = 0;
  uint64_t failed = 0;
  double avg_processing_time = 0;
  std::string current_stage = "idle";
  /// RFC 3339; empty: never.
  std::string last_update;
  uint64_t active = 0;
  double success_rate = 0;
  double p50_processing_time = 0;
  double p95_processing_time = 0;
  /// Pipelines of outside clients with no update for monitor.stale_after_s.
  uint64_t stale = 0;

  friend bool operator==(const monitor_figures& x, const monitor_figures& y) {
    return x.total == y.total && x.successful == y.successful && x.failed == y.failed
           && x.avg_processing_time == y.avg_processing_time
           && x.current_stage == y.current_stage && x.last_update == y.last_update
           && x.active == y.active && x.success_rate == y.success_rate
           && x.p50_processing_time == y.p50_processing_time
           && x.p95_processing_time == y.p95_processing_time && x.stale == y.stale;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, monitor_figures& x) {
    return f(caf::meta::type_name("o2hub.monitor_figures"), x.total, x.successful,
             x.failed, x.avg_processing_time, x.current_stage, x.last_update, x.active,
             x.success_rate, x.p50_processing_time, x.p95_processing_time, x.stale);
  }
};

/// GET /api/v1/metrics: the figures, every edge, every service.
struct monitor_snapshot {
  monitor_figures metrics;
  /// By name.
  std::vector<edge_status> edges;
  /// By name.
  std::vector<service_status> services;

  friend bool operator==(const monitor_snapshot& x, const monitor_snapshot& y) {
    return x.metrics == y.metrics && x.edges == y.edges && x.services == y.services;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, monitor_snapshot& x) {
    return f(caf::meta::type_name("o2hub.monitor_snapshot"), x.metrics, x.edges,
             x.services);
  }
};

/// GET /api/v1/pipelines: one page, newest first.
struct pipeline_page {
  /// Pipelines the monitor holds.
  uint64_t total = 0;
  uint64_t limit = 0;
  uint64_t offset = 0;
  std::vector<pipeline> pipelines;

  friend bool operator==(const pipeline_page& x, const pipeline_page& y) {
    return x.total == y.total && x.limit == y.limit && x.offset == y.offset
           && x.pipelines == y.pipelines;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, pipeline_page& x) {
    return f(caf::meta::type_name("o2hub.pipeline_page"), x.total, x.limit, x.offset,
             x.pipelines);
  }
};

/// GET /metrics (Prometheus): the counters behind the monitor's series.
struct monitor_counters {
  uint64_t started = 0;
  uint64_t completed = 0;
  uint64_t failed = 0;
  uint64_t active = 0;
  /// Seconds from start to result of every finished pipeline.
  std::vector<double> durations;
  std::vector<edge_status> edges;
  /// Dashboard WebSocket clients.
  uint64_t clients = 0;

  friend bool operator==(const monitor_counters& x, const monitor_counters& y) {
    return x.started == y.started && x.completed == y.completed && x.failed == y.failed
           && x.active == y.active && x.durations == y.durations && x.edges == y.edges
           && x.clients == y.clients;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, monitor_counters& x) {
    return f(caf::meta::type_name("o2hub.monitor_counters"), x.started, x.completed,
             x.failed, x.active, x.durations, x.edges, x.clients);
  }
};

} // namespace o2hub
