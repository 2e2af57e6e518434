// The monitor's durable state in SQLite (WAL): pipelines with their stages,
// the counters behind the metrics, and the last status of every edge.
// Blocking: the monitor reaches it only through the detached store actor
// (spawn_monitor_store).
#pragma once

#include "protocol/actors.hpp"
#include "protocol/monitor_store.hpp"

#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace o2hub {

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
caf::expected<std::unique_ptr<pipeline_store>> open_sqlite_store(const std::string& path,
                                                                 stored_state& loaded);

/// Spawns the store as a detached actor (protocol/actors.hpp:
/// monitor_store_actor): the monitor never blocks on SQLite.
monitor_store_actor spawn_monitor_store(caf::actor_system& sys,
                                        std::unique_ptr<pipeline_store> store);

} // namespace o2hub
