// The hub's registry of edge agents (issue 11). Agents on other nodes say
// hello, prove their site (under TLS: a signature with their certificate's
// key), send heartbeats and status changes; the pipelines ask edges through
// it (through the site's agent when one is registered, else over HTTP); the
// hub's own probers report through it, so a site served by an agent is not
// probed from here. A lost agent (its node down, or no heartbeat for three
// intervals) makes its site unreachable at once.
#pragma once

#include "config/config.hpp"
#include "protocol/actors.hpp"

#include <caf/actor_clock.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace o2hub {

struct prober_options;

/// Checks an agent's proof under TLS: certificate (PEM), the site it claims,
/// the nonce, the signature. Returns why it is refused; empty: accepted.
using agent_verifier =
    std::function<std::string(const std::string& certificate, const std::string& site,
                              const std::string& nonce, const std::string& signature)>;

struct agent_hub_options {
  std::shared_ptr<const config> cfg;
  http_client_actor http;
  monitor_actor monitor;
  /// Direct probers by site (absent for sites with `agent: required`); the
  /// hub spawns them with itself as their sink and starts them on its first
  /// tick.
  std::vector<prober_options> probers;
  /// Where `start` goes, filled once the pipelines run (the hub is spawned
  /// before them: they ask edges through it); null or invalid: this hub runs
  /// no pipelines.
  std::shared_ptr<pipeline_starter_actor> pipelines;
  uint32_t heartbeat_s = 2;
  /// Set: agents must prove their site with their certificate.
  agent_verifier verify;
  /// Makes nonces (tests: predictable).
  std::function<std::string()> nonce;
};

struct agent_hub_state {
  static inline const char* name = "agent_hub";

  struct agent_link {
    std::string instance;
    std::string version;
    std::string certificate;
    std::string nonce;
    /// 0: said hello, not joined yet.
    uint64_t session = 0;
    edge_agent_actor handle;
    caf::actor_clock::time_point last_beat;
  };

  struct site_entry {
    /// "required", "preferred" or "off".
    std::string mode = "preferred";
    prober_actor prober;
    /// The joined agent (session != 0), or none.
    std::optional<agent_link> agent;
    /// The agent that said hello last and has not joined yet.
    std::optional<agent_link> pending;
    /// Why the last joined agent is gone; empty: none lost.
    std::string lost;
    /// The last report an agent sent (re-published when it joins again).
    std::optional<probe_report> agent_report;
  };

  agent_hub_options opts;
  std::map<std::string, site_entry> sites;
  /// Session -> site.
  std::map<uint64_t, std::string> sessions;
  /// Agent instance -> the last change applied from it.
  std::map<std::string, uint64_t> applied;
  uint64_t next_session = 1;
  bool started = false;
  /// Changes applied and duplicates dropped (tests, logs).
  uint64_t changes_applied = 0;
  uint64_t changes_duplicate = 0;
};

agent_hub_actor::behavior_type
agent_hub(agent_hub_actor::stateful_pointer<agent_hub_state> self,
          agent_hub_options opts);

} // namespace o2hub
