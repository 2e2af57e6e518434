// The pipeline of one intent: KRM -> git -> O2 IMS deployment -> SLO gate ->
// done or rollback. Each step is recorded (through the runs actor) before
// the next begins, so a restarted hub resumes an in-flight pipeline from its
// last completed step. Every stage is reported to the monitor, in order. It
// reaches the world only through the actors in its environment.
#pragma once

#include "common/clock.hpp"
#include "config/config.hpp"
#include "protocol/actors.hpp"
#include "protocol/pipeline_run.hpp"

#include <caf/actor_clock.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <map>
#include <memory>
#include <string>
#include <utility>

namespace o2hub {

/// What every pipeline (and the manager) works with.
struct pipeline_env {
  std::shared_ptr<const config> cfg;
  monitor_actor monitor;
  gitops_actor git;
  /// The edges' answers (O2 IMS, Prometheus): the agent hub, or direct HTTP.
  edge_access_actor edges;
  /// The runs table; invalid: memory only.
  records_actor runs;
  /// Base URL of the monitor for the intent's metadata.
  std::string monitor_url;
  /// The time of day of timestamps (tests: virtual time).
  wall_clock now = system_wall_clock();
  /// Finished runs the manager keeps in memory (the newest); older ones are
  /// read from the runs table when asked for.
  size_t history_limit = 1000;
};

struct pipeline_state {
  static inline const char* name = "pipeline";

  pipeline_env env;
  pipeline_manager_actor manager;
  pipeline_run run;
  /// Deploy/SLO rounds: request key -> (site, what).
  std::map<uint64_t, std::pair<std::string, std::string>> asked;
  uint64_t next_key = 1;
  size_t answers_left = 0;
  caf::actor_clock::time_point deploy_deadline;
  /// Per site: the last O2 IMS phase (or problem) seen.
  std::map<std::string, std::string> phases;
  std::map<std::string, std::string> messages;
  /// SLO: site -> metric -> value (or error).
  std::map<std::string, std::map<std::string, std::string>> metrics;
  bool rolling_back = false;
};

pipeline_actor::behavior_type
pipeline_fsm(pipeline_actor::stateful_pointer<pipeline_state> self, pipeline_env env,
             pipeline_manager_actor manager, pipeline_run run);

} // namespace o2hub
