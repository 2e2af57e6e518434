#include "protocol/pipeline.hpp"

#include <array>

namespace o2hub {

namespace {

constexpr std::array<const char*, 14> names{
    "idle",           "input_received", "intent_parsing", "intent_parsed",
    "krm_generating", "krm_generated",  "gitops_pushing", "gitops_pushed",
    "edge_deploying", "edge_deployed",  "slo_validating", "completed",
    "failed",         "rollback"};

} // namespace

const char* to_string(stage s) {
  return names[static_cast<size_t>(s)];
}

std::optional<stage> parse_stage(std::string_view text) {
  for (size_t i = 0; i < names.size(); ++i)
    if (text == names[i])
      return static_cast<stage>(i);
  return std::nullopt;
}

const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> all(names.begin(), names.end());
  return all;
}

std::string transition_error(const pipeline& p, stage to) {
  auto current = parse_stage(p.current_stage).value_or(stage::idle);
  if (p.status != "running") {
    if (to == stage::rollback && !p.rolled_back)
      return {};
    return "pipeline " + p.intent_id + " already " + p.status
           + (p.rolled_back ? " and rolled back" : "") + "; '" + to_string(to)
           + "' cannot follow";
  }
  if (current == stage::rollback)
    return to == stage::failed
               ? std::string{}
               : "pipeline " + p.intent_id + " is rolling back; only 'failed' may follow";
  if (to == stage::failed || to == stage::rollback)
    return {};
  if (to == stage::idle)
    return "'idle' is not a stage a running pipeline can enter";
  if (static_cast<int>(to) < static_cast<int>(current))
    return "pipeline " + p.intent_id + " is at '" + p.current_stage
           + "'; it cannot go back to '" + to_string(to) + "'";
  return {};
}

} // namespace o2hub
