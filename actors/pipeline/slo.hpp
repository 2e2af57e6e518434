// The SLO gate's arithmetic, pure: the pipeline actor
// (actors/pipeline/pipeline.cpp) feeds it what the edges measured
// (protocol/edge_answers.hpp reads their answers) and acts on the verdict.
#pragma once

#include "protocol/intent.hpp"

#include <map>
#include <string>
#include <vector>

namespace o2hub {

/// The SLO gate's verdict on one metric: the required value is the stricter
/// of the intent's and the configuration's.
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
