// What the monitor's durable store restores at start-up (a value read once,
// before the monitor starts; io/store.hpp fills it).
#pragma once

#include "protocol/pipeline.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace o2hub {

/// What a restart restores.
struct stored_state {
  /// Pipelines in start order.
  std::vector<pipeline> pipelines;
  /// Edge name -> the edge's JSON as the monitor wrote it.
  std::map<std::string, std::string> edges;
  uint64_t total = 0;
  uint64_t successful = 0;
  uint64_t failed = 0;
  std::vector<double> durations;
};

} // namespace o2hub
