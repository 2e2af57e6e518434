// The monitor's state changes (actors/monitor/updates.cpp): a pipeline
// started, a stage reached, an edge's status. Each is stored first (when a
// store is configured), then applied and broadcast, then answered.
#pragma once

#include "actors/monitor/monitor.hpp"

#include <caf/result.hpp>

#include <string>

namespace o2hub::monitor_updates {

using self_ptr = monitor_actor::stateful_pointer<monitor_state>;

/// Starts a pipeline; `external`: an outside client's (POST
/// /api/v1/pipeline/start), marked in its input_received stage
/// ({"source":"api"}).
caf::result<pipeline> start(self_ptr self, const std::string& id, const std::string& text,
                            bool external = false);

/// Moves a pipeline on; without an id, the newest running pipeline an
/// outside client started (never one o2hub's own pipeline actors drive).
caf::result<pipeline> update(self_ptr self, const std::string& id,
                             const std::string& stage_name, const std::string& metadata);

/// Cancels an outside client's running or stale pipeline.
caf::result<pipeline> cancel(self_ptr self, const std::string& id);

/// Marks outside clients' pipelines with no update for stale_after stale.
void mark_stale(self_ptr self);

caf::result<edge_status> edge(self_ptr self, const std::string& raw_name,
                              const std::string& status, const std::string& metadata);

/// What the pipelines say about the sites: active intents (the edges'
/// deployments) and the last SLO gate (a failed one shows a healthy site
/// degraded). Only edges that change are stored and broadcast.
void loads(self_ptr self, const std::vector<site_load>& loads);

/// A probe's report for a configured edge (others are ignored).
void probed(self_ptr self, const std::string& name, const probe_report& report);

} // namespace o2hub::monitor_updates
