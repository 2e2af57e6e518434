// The monitor's durable state in SQLite (WAL): pipelines with their stages,
// the counters behind the metrics, and the last status of every edge.
// Blocking: used by the monitor actor, which runs detached when a store is
// configured.
#pragma once

#include "protocol/pipeline.hpp"

#include <caf/expected.hpp>

#include <map>
#include <memory>
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

class pipeline_store {
public:
  virtual ~pipeline_store() = default;
  /// Writes a pipeline and the counters in one transaction; returns an
  /// error when it did not reach the database.
  virtual caf::error save(const pipeline& p, uint64_t total, uint64_t successful,
                          uint64_t failed, double new_duration) = 0;
  virtual caf::error save_edge(const std::string& name, const std::string& json) = 0;
  virtual caf::error remove(const std::string& intent_id) = 0;
};

/// Opens (creating) `path` in WAL mode and loads what it holds.
caf::expected<std::unique_ptr<pipeline_store>>
open_sqlite_store(const std::string& path, stored_state& loaded);

} // namespace o2hub
