// The realtime monitor actor: the state machine of every pipeline, the
// metrics, the edges' status, and the hub that fans events out to the
// WebSocket clients' bounded sinks (never through mailboxes).
#pragma once

#include "common/clock.hpp"
#include "protocol/actors.hpp"
#include "protocol/monitor_store.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace o2hub {

struct monitor_options {
  /// Canonical names of the configured sites.
  std::vector<std::string> sites;
  /// The services list shown on the dashboard: name -> URL.
  std::map<std::string, std::string> services;
  /// Pipelines kept in memory (oldest finished ones go first).
  size_t max_pipelines = 10000;
  /// A pipeline an outside client started that gets no update for this
  /// long is `stale` (checked with the metrics, every metrics_interval).
  std::chrono::seconds stale_after{600};
  /// How often the metrics are broadcast when they changed; 0: never.
  std::chrono::milliseconds metrics_interval{5000};
  /// The time of day of timestamps (tests: virtual time).
  wall_clock now = system_wall_clock();
  /// Durable state; invalid: memory only. A reply comes after its write.
  monitor_store_actor store;
  /// What the store held at start-up.
  stored_state restored;
};

struct monitor_state {
  static inline const char* name = "monitor";

  monitor_options opts;
  std::map<std::string, pipeline> pipelines;
  /// Intent ids by start order (oldest first).
  std::vector<std::string> order;
  std::map<std::string, edge_status> edges;
  /// Each site's last probe result: a manual status lasts until it differs.
  std::map<std::string, std::string> probe_status;
  /// Each site's status from probes or an operator, before the SLO gates
  /// are taken into account (a healthy site whose last gate failed is shown
  /// degraded).
  std::map<std::string, std::string> base_status;
  /// What the pipelines last said about each site.
  std::map<std::string, site_load> loads;
  /// Service name -> status from its prober (only once it reported).
  std::map<std::string, service_status> services;
  uint64_t total = 0;
  uint64_t successful = 0;
  uint64_t failed = 0;
  std::vector<double> durations;
  std::string last_update;
  std::string current_stage = "idle";
  std::vector<std::weak_ptr<ws_sink>> clients;
  /// The metrics JSON last broadcast.
  std::string last_metrics;
};

monitor_actor::behavior_type monitor(monitor_actor::stateful_pointer<monitor_state> self,
                                     monitor_options opts);

} // namespace o2hub
