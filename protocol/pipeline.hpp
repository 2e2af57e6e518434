// Pipelines as the monitor shows them: stage strings of the wire contract,
// the legal transitions between them, and the pipeline record.
#pragma once

#include "protocol/fwd.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub {

enum class stage : uint8_t {
  idle,
  input_received,
  intent_parsing,
  intent_parsed,
  krm_generating,
  krm_generated,
  gitops_pushing,
  gitops_pushed,
  edge_deploying,
  edge_deployed,
  slo_validating,
  completed,
  failed,
  rollback,
};

/// The wire string ("krm_generating").
const char* to_string(stage s);

/// The stage named `text`, or nullopt.
std::optional<stage> parse_stage(std::string_view text);

/// All stage strings, in pipeline order (for error messages and pages).
const std::vector<std::string>& stage_names();

struct stage_entry {
  std::string name;
  std::string timestamp;
  /// A JSON object ("{}" if none).
  std::string metadata_json = "{}";

  friend bool operator==(const stage_entry& x, const stage_entry& y) {
    return x.name == y.name && x.timestamp == y.timestamp
           && x.metadata_json == y.metadata_json;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, stage_entry& x) {
    return f(caf::meta::type_name("o2hub.stage_entry"), x.name, x.timestamp,
             x.metadata_json);
  }
};

struct pipeline {
  std::string intent_id;
  std::string intent_text;
  /// "running", "completed" or "failed".
  std::string status = "running";
  std::string current_stage = "input_received";
  std::string start_time;
  /// Empty while running.
  std::string end_time;
  /// Seconds from start to the first terminal stage (-1 while running).
  double duration_s = -1;
  std::vector<stage_entry> stages;
  /// Set once the pipeline was rolled back.
  bool rolled_back = false;

  friend bool operator==(const pipeline& x, const pipeline& y) {
    return x.intent_id == y.intent_id && x.intent_text == y.intent_text
           && x.status == y.status && x.current_stage == y.current_stage
           && x.start_time == y.start_time && x.end_time == y.end_time
           && x.duration_s == y.duration_s && x.stages == y.stages
           && x.rolled_back == y.rolled_back;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, pipeline& x) {
    return f(caf::meta::type_name("o2hub.pipeline"), x.intent_id, x.intent_text, x.status,
             x.current_stage, x.start_time, x.end_time, x.duration_s, x.stages,
             x.rolled_back);
  }
};

/// Why a transition is refused, or empty when `to` may follow the
/// pipeline's current state:
///  - running: any stage at or after the current one, `failed` and
///    `rollback` at any time; after `rollback` only `failed`;
///  - completed or failed (terminal, counted once): only `rollback`, once.
std::string transition_error(const pipeline& p, stage to);

} // namespace o2hub
