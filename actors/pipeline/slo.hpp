// The SLO gate's arithmetic and the reading of the edges' answers, pure: the
// pipeline actor (actors/pipeline/pipeline.cpp) feeds them what the edges
// said and acts on the verdict.
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

/// A site's provisioning as its O2 IMS answer tells it.
struct o2ims_phase {
  /// fulfilled, progressing, pending, failed ... (lower case), or
  /// unreachable / error when the answer says nothing.
  std::string phase;
  std::string message;
};

/// Reads `GET .../provisioningRequests/{id}`: HTTP status (0: no answer),
/// body, the client's error. 404 is "pending" (not synced yet).
o2ims_phase read_o2ims_answer(int32_t status, const std::string& body,
                              const std::string& error);

/// Reads a Prometheus `/api/v1/query` answer: the first sample's value as
/// text, or "error: <why>" (unreachable, HTTP error, unreadable, no data).
std::string read_prometheus_answer(int32_t status, const std::string& body,
                                   const std::string& error);

} // namespace o2hub
