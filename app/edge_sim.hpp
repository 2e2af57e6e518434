// `o2hub edge-sim`: simulated edge sites on loopback, the embedded default
// that lets the pipeline run on one machine and the test double for real
// edges. Per site: an O2 IMS inventory and provisioning API, a Prometheus
// query API answering the SLO gate from simulated metrics, Kubernetes
// /readyz and /livez, and a "config sync" that fetches the GitOps remote and
// moves the site's ProvisioningRequests pending -> progressing -> fulfilled.
// Faults (fail provisioning, degrade SLO metrics, hang, refuse connections)
// are set by flags or on the control endpoint.
#pragma once

#include "config/config.hpp"
#include "config/defaults.hpp"

#include <cstdint>
#include <set>
#include <string>

namespace o2hub {

struct edge_sim_options {
  /// Sites to simulate; empty: every configured site.
  std::set<std::string> sites;
  /// Control endpoint port (GET/POST /sim/faults, GET /sim/state); 0: none.
  uint16_t control_port = defaults::sim_control_port;
  /// Faults set from the start: site names.
  std::set<std::string> fail_provisioning;
  std::set<std::string> degrade_slo;
};

/// Runs until SIGINT/SIGTERM. Returns the exit code.
int run_edge_sim(const config& cfg, const edge_sim_options& opts);

} // namespace o2hub
