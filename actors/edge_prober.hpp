// One actor per edge site: every interval it checks the site's O2 IMS,
// Prometheus and Kubernetes endpoints through the HTTP client actor and
// reports status changes (healthy / degraded / unreachable, with
// hysteresis) to its sink.
#pragma once

#include "protocol/actors.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace o2hub {

struct probe_check {
  /// "o2ims", "prometheus" or "k8s".
  std::string name;
  fetch_request request;
};

struct prober_options {
  std::string site;
  std::vector<probe_check> checks;
  std::chrono::milliseconds interval{15000};
  /// Rounds with every check down before the site is unreachable.
  int failures_before_unreachable = 3;
  /// Gets the reports (the monitor, the agent hub, an edge agent).
  probe_sink_actor sink;
  /// Runs the checks' requests.
  http_client_actor http;
  /// True: `site` names a service (intent, bridge, gitops), not an edge.
  bool service = false;
};

/// The checks of a configured site: O2 IMS api_versions, Prometheus
/// /-/healthy, Kubernetes /readyz (https).
struct edge_site;
struct probing_config;
std::vector<probe_check> checks_for(const edge_site& site, const probing_config& cfg);

struct prober_state {
  static inline const char* name = "edge_prober";

  struct outcome {
    int32_t status = -1; // -1: no result yet this round
    double latency_ms = 0;
    std::string error;
  };

  prober_options opts;
  uint64_t round = 0;
  std::vector<outcome> results;
  size_t pending = 0;
  int consecutive_down = 0;
  std::string status = "unknown";
  bool paused = false;
};

prober_actor::behavior_type edge_prober(prober_actor::stateful_pointer<prober_state> self,
                                        prober_options opts);

} // namespace o2hub
