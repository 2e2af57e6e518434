// The pipeline of one intent, and the manager that starts, resumes and rolls
// back pipelines. Each step (KRM, git, O2 IMS deployment, SLO gate,
// rollback) is recorded durably before the next begins, so a restarted hub
// resumes an in-flight pipeline from its last completed step. Every stage is
// reported to the monitor in-process, in order.
#pragma once

#include "actors/edge_prober.hpp" // fetch_fn
#include "config/config.hpp"
#include "io/record_store.hpp"
#include "protocol/actors.hpp"
#include "protocol/krm.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace o2hub {

/// What a pipeline records after each step (JSON in the runs table).
struct pipeline_run {
  intent value;
  std::string text;
  /// start, krm, git, deploy, slo, rollback, done.
  std::string step = "start";
  std::string rendered_at;
  /// Repository -> deployment commit.
  std::map<std::string, std::string> commits;
  /// Why it rolled back (or failed).
  std::string reason;
  /// completed, failed or rolled_back once done.
  std::string result;
  /// The rollback undoes a completed deployment (an alert): the monitor
  /// records it as the pipeline's one `rollback` stage, after the revert.
  bool after_completion = false;
};

std::string to_json(const pipeline_run& r);
bool from_json(const std::string& text, pipeline_run& r);

struct pipeline_env {
  std::shared_ptr<const config> cfg;
  monitor_actor monitor;
  gitops_actor git;
  /// Edge HTTP (O2 IMS, Prometheus): non-blocking, answers as messages.
  fetch_fn fetch;
  /// The runs table; null: memory only.
  std::shared_ptr<record_store> runs;
  /// Base URL of the monitor for the intent's metadata.
  std::string monitor_url;
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

struct manager_state {
  static inline const char* name = "pipeline-manager";

  pipeline_env env;
  /// Running pipelines by intent id.
  std::map<std::string, pipeline_actor> running;
  /// Finished runs that may still be rolled back by an alert: id -> run.
  std::map<std::string, pipeline_run> finished;
};

pipeline_manager_actor::behavior_type
pipeline_manager(pipeline_manager_actor::stateful_pointer<manager_state> self,
                 pipeline_env env);

/// The SLO gate's verdict on one metric, pure: the required value is the
/// stricter of the intent's and the configuration's.
struct slo_check {
  std::string metric;
  double value = 0;
  double target = 0;
  /// "<=" or ">=".
  std::string op;
  bool pass = false;
};

std::vector<slo_check> evaluate_slo(const intent& x,
                                    const std::map<std::string, std::string>& targets,
                                    const std::map<std::string, double>& measured);

} // namespace o2hub
