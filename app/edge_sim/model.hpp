// The simulated edge sites' shared model (app/edge_sim/): the sites, their
// provisioning requests and faults, and the functions the routes, the
// config sync and the runner share. Guarded by sim::mtx.
#pragma once

#include "config/config.hpp"
#include "io/http.hpp"
#include "io/security.hpp"
#include "io/server.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace o2hub::json {
class writer;
} // namespace o2hub::json

namespace o2hub::edge_sim {

namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;

struct sim_request {
  std::string id; // metadata.name (the provisioningRequestId)
  std::string intent_id;
  std::string description;
  std::string template_name;
  std::string template_version;
  std::string params_json = "{}";
  /// The ProvisioningRequest file as last synced (a change re-provisions).
  std::string content;
  double latency_ms = 10;
  double bandwidth_mbps = 100;
  double availability_pct = 99.9;
  clock_type::time_point first_seen;
  std::string first_seen_wall;
  bool failed = false; // decided once, when it would have been fulfilled
};

struct faults {
  bool fail_provisioning = false;
  bool degrade_slo = false;
  bool hang = false;
  bool refuse = false;
};

struct sim_site {
  std::string name;
  const edge_site* cfg = nullptr;
  faults f;
  std::map<std::string, sim_request> requests;
  std::vector<std::unique_ptr<server>> servers;
  std::vector<http::responder> hung; // answered when `hang` is lifted
  std::string last_sync;
  std::string sync_error;
};

struct sim {
  const config* cfg = nullptr;
  net::io_context* ioc = nullptr;
  std::mutex mtx;
  std::map<std::string, sim_site> sites;
  std::chrono::milliseconds delay{3000};
  std::shared_ptr<const security_policy> security;
  std::vector<std::unique_ptr<server>> control;

  std::string phase_of(sim_site& s, sim_request& r) {
    auto age = clock_type::now() - r.first_seen;
    if (age < delay / 2)
      return "PENDING";
    if (age < delay)
      return "PROGRESSING";
    if (!r.failed && s.f.fail_provisioning && age < delay + std::chrono::hours(24))
      r.failed = true; // the fault decides while the request is in flight
    return r.failed ? "FAILED" : "FULFILLED";
  }
};

/// The O-Cloud id a site reports.
std::string ocloud_id(const std::string& site);

/// A provisioning request as the O2 IMS API shows it.
void write_request(json::writer& w, sim& S, sim_site& s, sim_request& r);

/// A simulated metric for a PromQL query: healthy values meet the intent
/// with margin, degraded ones miss it.
double metric_value(const config& cfg, const sim_site& s, const sim_request& r,
                    const std::string& metric);

/// The value of `label` in a PromQL selector ("" when absent).
std::string label_of(const std::string& q, const std::string& label);

/// GET /sim/state.
std::string state_json(sim& S);

/// The site's O2 IMS, Prometheus and Kubernetes APIs.
std::shared_ptr<http::router> o2ims_router(sim& S, const std::string& site);
std::shared_ptr<http::router> prometheus_router(sim& S, const std::string& site);
std::shared_ptr<http::router> k8s_router(sim& S, const std::string& site);

/// GET/POST /sim/faults, GET /sim/state.
std::shared_ptr<http::router> control_router(sim& S);

/// Starts (or, after `refuse`, restarts) the site's servers.
std::string start_site_servers(sim& S, sim_site& s);

/// Fetches the GitOps remote once and updates every site's requests.
void sync_once(sim& S, const std::string& mirror_root);

} // namespace o2hub::edge_sim
