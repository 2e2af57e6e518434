// The composition root's parts: one spawn_X per component. Each spawns the
// component's actors (and the I/O actors they need), records in `running`
// what must be stopped at shutdown, and returns the handle the other
// components and the routes use.
#pragma once

#include "actors/edge_prober.hpp"
#include "config/config.hpp"
#include "protocol/actors.hpp"

#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace o2hub {

class http_client;
class intent_board;
class tmux_link;

/// What is running, in the order it is stopped: the actors get an exit
/// message, then the I/O objects are stopped.
struct running {
  std::vector<caf::actor> actors;
  /// Probers get their first tick once every service listens.
  std::vector<prober_actor> probers;
  /// The agent hub starts its probers and heartbeat checks on its first tick.
  agent_hub_actor hub;
  std::shared_ptr<http_client> http;
  std::shared_ptr<tmux_link> tmux;

  template <class Handle>
  const Handle& own(const Handle& h) {
    actors.push_back(caf::actor_cast<caf::actor>(h));
    return h;
  }
};

/// Waits until every actor in `actors` has terminated, at most `timeout`
/// in all (they must have been told to exit).
void await_down(caf::actor_system& sys, const std::vector<caf::actor>& actors,
                std::chrono::milliseconds timeout);

/// The prober of an edge site (sink and client set by who spawns it).
prober_options site_prober(const config& cfg, const edge_site& site);

/// The base URL other local components use for a service on `port`.
std::string local_url(const config& cfg, uint16_t port);

/// The monitor with its store, the HTTP client actor and one prober per
/// edge site and service. Fails when the database cannot be opened.
struct monitor_parts {
  monitor_actor monitor;
  http_client_actor http;
  /// The edge agents' registry and the edges' access for the pipelines.
  agent_hub_actor hub;
  /// Where the hub passes `start` on (set once the pipelines run).
  std::shared_ptr<pipeline_starter_actor> pipelines;
  /// The SQLite file the pipelines share.
  std::string db;
};
caf::expected<monitor_parts> spawn_monitor(caf::actor_system& sys, const config& cfg,
                                           running& r);

/// The pipeline manager with the git actor and the runs table.
caf::expected<pipeline_manager_actor> spawn_pipelines(caf::actor_system& sys,
                                                      const config& cfg,
                                                      const monitor_parts& m, running& r);

/// The intent actor, with the configured LLM backend.
intent_actor spawn_intent(caf::actor_system& sys, const config& cfg,
                          pipeline_starter_actor pipelines, running& r,
                          std::shared_ptr<intent_board> board = nullptr);

/// The TMF921 API's actor over the intent service and the pipelines, with
/// its tables in the data directory's database. Fails when the database
/// cannot be opened.
caf::expected<tmf_actor> spawn_tmf(caf::actor_system& sys, const config& cfg,
                                   intent_actor intent, pipeline_starter_actor pipelines,
                                   running& r);

/// The bridge, its tmux control connection (started later, by start()) and
/// the tmux actor in front of it.
bridge_actor spawn_bridge(caf::actor_system& sys, const config& cfg, status_actor status,
                          running& r);

} // namespace o2hub
