// What the monitor's durable store restores at start-up (a value read once,
// before the monitor starts; io/store.hpp fills it).
#pragma once

#include "protocol/monitor_values.hpp"
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
  /// The last status of every edge the store knows.
  std::vector<edge_status> edges;
  uint64_t total = 0;
  uint64_t successful = 0;
  uint64_t failed = 0;
  std::vector<double> durations;
};

} // namespace o2hub
