// o2hub configuration: plain structs loaded from YAML (o2hub.yaml and the
// seed's edge-sites-config.yaml), validated, with embedded defaults so the
// system runs with no file at all. Secrets never come from YAML.
#pragma once

#include "protocol/site_name.hpp"

#include <caf/expected.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub {

struct edge_site {
  /// Canonical name ("edge1").
  std::string name;
  std::string ip = "127.0.0.1";
  std::string user;
  uint16_t o2ims_port = 0;
  uint16_t prometheus_port = 0;
  uint16_t k8s_api_port = 0;
  /// Per-site probe interval override, seconds.
  std::optional<int> scrape_interval_s;
  /// "http" or "https" for this site's Kubernetes API; empty: probing.k8s_scheme.
  /// The simulated sites (edge-sim) serve plain HTTP.
  std::string k8s_scheme;
  /// Edge agents (issue 11): "preferred" (through the site's agent while one
  /// is registered, else probed over HTTP from the hub), "required" (only
  /// through an agent) or "off" (never an agent); empty: preferred.
  std::string agent;
  /// What the site can carry, Mbps (intents asking more are infeasible);
  /// 0: limits.capacity_mbps.
  double capacity_mbps = 0;
};

/// What the configured sites can offer: intents asking for more are refused
/// as infeasible (issue 12).
/// tmf: the TMF921 API's event delivery and how often it looks at the
/// pipelines.
struct tmf_config {
  int poll_ms = 500;
  size_t queue_limit = 1000;
  int max_failures = 5;
  int delivery_timeout_ms = 5000;
};

struct limits_config {
  double min_latency_ms = 0.5;
  double max_reliability_pct = 99.99999;
  int64_t max_devices = 10'000'000;
  /// A site's capacity unless it sets its own.
  double capacity_mbps = 10'000;
};

/// HTTPS/WSS for all three services (file paths; the key file is a secret
/// kept out of YAML by being a path). Empty cert: plain HTTP.
struct tls_config {
  /// PEM certificate chain, the server's certificate first.
  std::string cert;
  /// PEM private key of the certificate.
  std::string key;
  /// PEM CA that o2hub's own clients (the console, the self-probes) trust
  /// for these services; empty: `cert` itself (a self-signed certificate).
  std::string ca;

  bool enabled() const { return !cert.empty(); }
};

struct http_config {
  size_t body_limit;
  int read_timeout_s;
  size_t ws_frame_limit;
  size_t ws_queue_limit;
  size_t ws_queue_bytes;
  int threads;
  /// 0: derived from the open-files limit.
  size_t max_connections;
  /// 0: a quarter of max_connections.
  size_t max_connections_per_ip;
  tls_config tls;
};

struct security_config {
  /// Origins allowed to open WebSockets besides the page's own origin.
  std::vector<std::string> allowed_origins;
  /// Host names (without port) requests may name in `Host` besides
  /// localhost and IP addresses; "*" turns the check off (DNS rebinding).
  std::vector<std::string> allowed_hosts;
  /// Origins that get CORS headers; empty: no CORS.
  std::vector<std::string> cors_origins;
  /// Send Access-Control-Allow-Credentials (never together with "*").
  bool cors_credentials = false;
};

struct llm_config {
  /// "none", "cli" or "http".
  std::string backend = "none";
  std::vector<std::string> cli_argv;
  std::string endpoint;
  std::string model;
  int timeout_s;
  size_t cache_size;
  int cache_ttl_s;
  int concurrency;
};

struct gitops_config {
  /// Remote URL; empty: a local bare repository under the data dir.
  std::string remote;
  /// "mono" or "per-site".
  std::string layout = "mono";
  std::string branch = "main";
  /// Longest wait between two push attempts while the remote is down.
  int retry_max_s = 30;
};

struct pipeline_config {
  /// False: intents are only understood, never deployed.
  bool enabled = true;
  /// How long all sites may take to report `fulfilled`.
  int deploy_timeout_s = 300;
  /// How often O2 IMS is polled while deploying.
  int poll_interval_ms = 1000;
  /// Per request to an edge (O2 IMS, Prometheus).
  int request_timeout_ms = 5000;
  /// spec.templateName ("{type}": the slice type in lower case) and version.
  std::string template_name = "o2hub-slice-{type}";
  std::string template_version = "v1";
  /// PromQL per SLO metric (latency_p95_ms, success_rate, throughput_mbps);
  /// "{intent}" and "{site}" are replaced.
  std::map<std::string, std::string> slo_queries;
};

/// `o2hub edge-sim`: how the simulated sites behave.
struct edge_sim_config {
  /// From first seen in git to fulfilled (half of it pending, half progressing).
  int provisioning_delay_ms = 3000;
  /// How often the GitOps remote is fetched.
  int sync_interval_ms = 2000;
};

struct probing_config {
  int interval_s;
  int timeout_ms;
  int failures_before_unreachable;
  std::string k8s_ca_file;
  bool k8s_skip_verify = true;
  /// "https" (the API server) or "http" (e.g. behind `kubectl proxy`).
  std::string k8s_scheme = "https";
};

/// Other o2hub nodes (issue 11): where the hub publishes its node actor for
/// edge agents and intent services (CAF's middleman; TLS through
/// caf_openssl off loopback).
struct nodes_config {
  /// 0: publish nothing.
  uint16_t port = 4242;
  /// Loopback unless `tls` is set (validate() refuses otherwise).
  std::string bind = "127.0.0.1";
  /// How often agents send a heartbeat; three missed ones lose the agent.
  int heartbeat_s = 2;
  /// cert + key of this node, ca that signs every node's certificate (file
  /// paths). Set: peers must present a certificate signed by `ca`, and an
  /// agent's certificate must name its site (CN or a DNS SAN).
  tls_config tls;
};

struct config {
  std::string bind;
  std::string data_dir;
  /// Where the pages live; empty: the source tree's webui/.
  std::string webui_dir;
  uint16_t intent_port;
  uint16_t monitor_port;
  uint16_t bridge_port;
  std::string tmux_session;
  std::string tmux_socket;
  /// What the shared session's pane runs (argv, no shell); empty: `o2hub
  /// console`, or the LLM CLI when llm.backend is cli.
  std::vector<std::string> bridge_command;
  /// console.confirm: `o2hub console` shows how a sentence is understood
  /// and asks before anything is deployed, changed or removed.
  bool console_confirm = true;
  /// Viewers at once; more are refused with close code 1013.
  size_t bridge_max_viewers;
  /// The pane's size until a browser resizes it.
  int bridge_cols;
  int bridge_rows;
  /// Event category -> regex (case-insensitive) over new output lines;
  /// empty: the built-in patterns.
  std::vector<std::pair<std::string, std::string>> bridge_events;
  http_config http;
  security_config security;
  llm_config llm;
  gitops_config gitops;
  pipeline_config pipeline;
  edge_sim_config edge_sim;
  probing_config probing;
  nodes_config nodes;
  limits_config limits;
  tmf_config tmf;
  /// monitor.stale_after_s: an outside client's pipeline with no update for
  /// this long is shown `stale` (and may be cancelled).
  int monitor_stale_after_s = 600;
  std::vector<edge_site> sites;
  /// The seed's slo_targets: name -> value as written.
  std::map<std::string, std::string> slo_targets;
  /// Things worth telling the operator (unknown keys, secrets in YAML).
  std::vector<std::string> warnings;
};

/// The embedded defaults: four simulated edge sites on loopback.
config default_config();

/// Loads o2hub.yaml over the defaults. Errors name the file, line and key.
caf::expected<config> load_config(const std::string& path);

/// Loads the seed's edge-sites-config.yaml format into `cfg` (replacing its
/// sites, monitoring interval and slo_targets).
caf::error load_edge_sites(const std::string& path, config& cfg);

/// Parses YAML text in the edge-sites format; `origin` names it in errors.
caf::error parse_edge_sites(std::string_view yaml, const std::string& origin,
                            config& cfg);

/// Parses o2hub.yaml text over `cfg`.
caf::error parse_config(std::string_view yaml, const std::string& origin, config& cfg);

/// Checks values that parse but make no sense (ports, duplicates, layout).
caf::error validate(const config& cfg);

/// The GitOps repository a site's packages go to: "o2hub-gitops" (mono) or
/// "<site>-config" (per-site).
std::string gitops_repo(const config& cfg, const std::string& site);

/// The folder of an intent's package for `site` inside its repository.
std::string gitops_package_dir(const config& cfg, const std::string& site,
                               const std::string& intent_id);

/// The remote URL of `repo`: gitops.remote with "{repo}" replaced (or as it
/// is for mono); empty remote: a local bare repository under the data dir.
std::string gitops_url(const config& cfg, const std::string& repo);

/// The configured site named `name` in any accepted spelling, or nullptr.
const edge_site* find_site(const config& cfg, std::string_view name);

} // namespace o2hub
