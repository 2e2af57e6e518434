// `o2hub agent` (issue 11): an o2hub node next to one edge site. It probes
// the site locally, answers the hub's O2 IMS and PromQL questions about it,
// and keeps a link to the hub: connect, hello, prove the site, join, then
// heartbeats and status changes. When the link fails it reconnects with
// backoff (1 s doubling to 30 s) and keeps the latest change per key,
// replayed after joining again (the hub applies each seq once).
#pragma once

#include "actors/edge_prober.hpp"
#include "config/config.hpp"
#include "protocol/actors.hpp"

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>

namespace o2hub {

struct edge_agent_options {
  /// The site, as configured here (name, addresses, ports).
  edge_site site;
  std::string version;
  /// Random per process.
  std::string instance;
  std::string hub_host;
  uint16_t hub_port = 0;
  /// Connects to the hub: an actor answering (connect_atom, host, port) with
  /// (node_id, strong_actor_ptr, std::set<std::string>) — CAF's middleman
  /// actor, or its TLS variant.
  caf::actor connector;
  /// The interface the hub must publish (the system's message types of
  /// hub_node_actor); empty: not checked.
  std::set<std::string> hub_interface;
  /// Under TLS: this node's certificate (PEM) and the signer of nonces.
  std::string certificate;
  std::function<std::string(const std::string& nonce)> sign;
  http_client_actor http;
  int request_timeout_ms = 5000;
  /// The local prober (its sink is the agent).
  prober_options prober;
  /// Changes kept while the hub is away, latest per key.
  size_t buffer_limit = 64;
  /// Timeouts of the link's requests.
  caf::timespan request_timeout = std::chrono::seconds(10);
};

struct edge_agent_state {
  static inline const char* name = "edge_agent";

  edge_agent_options opts;
  prober_actor prober;
  hub_node_actor hub;
  /// "idle", "connecting" or "joined".
  std::string phase = "idle";
  uint64_t session = 0;
  uint32_t heartbeat_s = 2;
  int backoff_s = 1;
  uint64_t seq = 0;
  /// Key -> the latest change (sent again after joining to a hub that has
  /// not applied it: one that was away or restarted).
  std::map<std::string, agent_change> latest;
  /// Timers of an older phase are ignored.
  uint64_t timer = 0;
  /// The last problem logged (each distinct one is logged once, then again
  /// every tenth time it repeats) and how often it has repeated since.
  std::string last_problem;
  uint64_t problem_repeats = 0;
  uint64_t joins = 0;
};

edge_agent_actor::behavior_type
edge_agent(edge_agent_actor::stateful_pointer<edge_agent_state> self,
           edge_agent_options opts);

} // namespace o2hub
