// The pipeline manager: starts one pipeline per new intent, resumes the
// unfinished ones a previous process left (from the runs actor), and routes
// alerts to the pipelines they concern.
#pragma once

#include "actors/pipeline/pipeline.hpp"

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace o2hub {

struct manager_state {
  static inline const char* name = "pipeline-manager";

  pipeline_env env;
  /// Running pipelines by pipeline id, with the run they started from.
  std::map<std::string, std::pair<pipeline_actor, pipeline_run>> running;
  /// Each intent's latest finished run (a completed deploy may still be
  /// rolled back by an alert): intent id -> run.
  std::map<std::string, pipeline_run> finished;
  /// The newest finished runs by pipeline id (their reports), at most
  /// env.history_limit; older ones are in the runs table.
  std::map<std::string, pipeline_run> history;
  /// history's keys, oldest first.
  std::deque<std::string> history_order;
  /// Each intent's runs by pipeline id, oldest first.
  std::map<std::string, std::vector<std::string>> runs_of;
  /// Intent ids, first seen first.
  std::vector<std::string> order;
  /// What the monitor was last told about the sites.
  std::vector<site_load> loads;
  /// Each site's newest SLO gate: its JSON, whether it failed; and when.
  std::map<std::string, std::pair<std::string, bool>> gates;
  std::map<std::string, std::string> gate_at;
};

/// Keeps a finished run's reports at hand; past env.history_limit the
/// oldest goes (the runs table still has it). (actors/pipeline/history.cpp)
void manager_remember(pipeline_manager_actor::stateful_pointer<manager_state> self,
                      const pipeline_run& run);

/// A finished run by pipeline id: from memory, else from the runs table.
caf::result<pipeline_run>
manager_history(pipeline_manager_actor::stateful_pointer<manager_state> self,
                const std::string& id);

pipeline_manager_actor::behavior_type
pipeline_manager(pipeline_manager_actor::stateful_pointer<manager_state> self,
                 pipeline_env env);

} // namespace o2hub
