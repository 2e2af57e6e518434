#include "config/config.hpp"

#include "config/defaults.hpp"
#include "config/yaml_reader.hpp"
#include "protocol/tmux_control.hpp"

#include <filesystem>
#include <set>
#include <unistd.h>

namespace o2hub {

namespace detail {
void read_edge_sections(yaml_reader& r, const YAML::Node& root, config& cfg);
caf::error parse_yaml(std::string_view text, const std::string& origin, YAML::Node& out);
caf::error read_file(const std::string& path, std::string& out);
} // namespace detail

config default_config() {
  config cfg;
  cfg.bind = defaults::bind_address;
  cfg.data_dir = defaults::data_dir;
  cfg.intent_port = defaults::intent_port;
  cfg.monitor_port = defaults::monitor_port;
  cfg.bridge_port = defaults::bridge_port;
  cfg.tmux_session = defaults::tmux_session;
  cfg.tmux_socket = defaults::tmux_socket;
  cfg.bridge_max_viewers = defaults::bridge_max_viewers;
  cfg.bridge_cols = defaults::bridge_cols;
  cfg.bridge_rows = defaults::bridge_rows;
  cfg.http = {defaults::body_limit,
              defaults::read_timeout_s,
              defaults::ws_frame_limit,
              defaults::ws_queue_limit,
              defaults::ws_queue_bytes,
              defaults::http_threads,
              defaults::max_connections,
              defaults::max_connections_per_ip,
              {}};
  cfg.llm.cli_argv = {"claude", "-p", "{prompt}", "--output-format", "json"};
  cfg.llm.timeout_s = defaults::llm_timeout_s;
  cfg.llm.cache_size = defaults::llm_cache_size;
  cfg.llm.cache_ttl_s = defaults::llm_cache_ttl_s;
  cfg.llm.concurrency = defaults::llm_concurrency;
  cfg.probing.interval_s = defaults::scrape_interval_s;
  cfg.probing.timeout_ms = defaults::probe_timeout_ms;
  cfg.probing.failures_before_unreachable = defaults::failures_before_unreachable;
  for (int n = 1; n <= defaults::sim_sites; ++n) {
    edge_site site;
    site.name = "edge" + std::to_string(n);
    site.ip = "127.0.0.1";
    site.o2ims_port = static_cast<uint16_t>(defaults::sim_o2ims_base + n);
    site.prometheus_port = static_cast<uint16_t>(defaults::sim_prometheus_base + n);
    site.k8s_api_port = static_cast<uint16_t>(defaults::sim_k8s_base + n);
    site.k8s_scheme = "http"; // o2hub edge-sim
    cfg.sites.push_back(std::move(site));
  }
  cfg.pipeline.slo_queries = {
      {"latency_p95_ms",
       "o2hub_slice_latency_p95_ms{intent=\"{intent}\",site=\"{site}\"}"},
      {"success_rate", "o2hub_slice_success_rate{intent=\"{intent}\",site=\"{site}\"}"},
      {"throughput_mbps",
       "o2hub_slice_throughput_mbps{intent=\"{intent}\",site=\"{site}\"}"}};
  cfg.slo_targets = {
      {"latency_p95_ms", "15"}, {"success_rate", "0.995"}, {"throughput_mbps", "100"}};
  return cfg;
}

caf::error parse_config(std::string_view yaml, const std::string& origin, config& cfg) {
  YAML::Node root;
  if (auto err = detail::parse_yaml(yaml, origin, root))
    return err;
  detail::yaml_reader r{origin, cfg.warnings};
  r.check_keys(root, "", {"bind",       "data_dir",   "webui_dir",   "services",
                          "http",       "security",   "llm",         "gitops",
                          "pipeline",   "edge_sim",   "probing",     "edge_sites_file",
                          "edge_sites", "monitoring", "slo_targets", "nodes",
                          "limits",     "console",    "tmf",         "monitor"});
  r.read(root, "bind", "", cfg.bind);
  r.read(root, "data_dir", "", cfg.data_dir);
  r.read(root, "webui_dir", "", cfg.webui_dir);
  if (auto s = root["services"]; s && r.expect_map(s, "services")) {
    r.check_keys(s, "services", {"intent", "monitor", "bridge"});
    if (auto n = s["intent"]; n && r.expect_map(n, "services.intent")) {
      r.check_keys(n, "services.intent", {"port"});
      r.read_port(n, "port", "services.intent", cfg.intent_port);
    }
    if (auto n = s["monitor"]; n && r.expect_map(n, "services.monitor")) {
      r.check_keys(n, "services.monitor", {"port"});
      r.read_port(n, "port", "services.monitor", cfg.monitor_port);
    }
    if (auto n = s["bridge"]; n && r.expect_map(n, "services.bridge")) {
      r.check_keys(n, "services.bridge",
                   {"port", "tmux_session", "tmux_socket", "command", "max_viewers",
                    "cols", "rows", "events"});
      r.read_port(n, "port", "services.bridge", cfg.bridge_port);
      r.read(n, "tmux_session", "services.bridge", cfg.tmux_session);
      r.read(n, "tmux_socket", "services.bridge", cfg.tmux_socket);
      r.read(n, "command", "services.bridge", cfg.bridge_command);
      r.read(n, "max_viewers", "services.bridge", cfg.bridge_max_viewers, 1, 10000);
      r.read(n, "cols", "services.bridge", cfg.bridge_cols, 10, 1000);
      r.read(n, "rows", "services.bridge", cfg.bridge_rows, 2, 500);
      if (auto e = n["events"]; e && r.expect_map(e, "services.bridge.events")) {
        cfg.bridge_events.clear();
        for (const auto& kv : e) {
          auto name = kv.first.as<std::string>();
          std::string pattern;
          r.read(e, name.c_str(), "services.bridge.events", pattern);
          cfg.bridge_events.emplace_back(name, pattern);
        }
      }
    }
  }
  if (auto h = root["http"]; h && r.expect_map(h, "http")) {
    r.check_keys(h, "http",
                 {"body_limit", "read_timeout_s", "ws_frame_limit", "ws_queue_limit",
                  "ws_queue_bytes", "threads", "max_connections",
                  "max_connections_per_ip", "tls"});
    r.read(h, "body_limit", "http", cfg.http.body_limit, 1024, 1L << 30);
    r.read(h, "read_timeout_s", "http", cfg.http.read_timeout_s, 1, 3600);
    r.read(h, "ws_frame_limit", "http", cfg.http.ws_frame_limit, 1024, 1L << 30);
    r.read(h, "ws_queue_limit", "http", cfg.http.ws_queue_limit, 1, 1L << 20);
    r.read(h, "ws_queue_bytes", "http", cfg.http.ws_queue_bytes, 1024, 1L << 32);
    r.read(h, "threads", "http", cfg.http.threads, 0, 64);
    r.read(h, "max_connections", "http", cfg.http.max_connections, 0, 1L << 20);
    if (auto t = h["tls"]; t && r.expect_map(t, "http.tls")) {
      r.check_keys(t, "http.tls", {"cert", "key", "ca"});
      r.read(t, "cert", "http.tls", cfg.http.tls.cert);
      r.read(t, "key", "http.tls", cfg.http.tls.key);
      r.read(t, "ca", "http.tls", cfg.http.tls.ca);
    }
    r.read(h, "max_connections_per_ip", "http", cfg.http.max_connections_per_ip, 0,
           1L << 20);
  }
  if (auto s = root["security"]; s && r.expect_map(s, "security")) {
    r.check_keys(s, "security",
                 {"allowed_origins", "allowed_hosts", "cors_origins", "cors_credentials",
                  "token", "viewer_token"});
    for (auto secret : {"token", "viewer_token"})
      if (s[secret])
        r.fail(s[secret], std::string{"security."} + secret,
               "tokens come from the environment (O2HUB_TOKEN, "
               "O2HUB_VIEWER_TOKEN), never from YAML");
    r.read(s, "allowed_origins", "security", cfg.security.allowed_origins);
    r.read(s, "allowed_hosts", "security", cfg.security.allowed_hosts);
    r.read(s, "cors_origins", "security", cfg.security.cors_origins);
    r.read(s, "cors_credentials", "security", cfg.security.cors_credentials);
  }
  if (auto l = root["llm"]; l && r.expect_map(l, "llm")) {
    r.check_keys(l, "llm",
                 {"backend", "cli_argv", "endpoint", "model", "timeout_s", "cache_size",
                  "cache_ttl_s", "concurrency", "api_key"});
    if (l["api_key"])
      r.fail(l["api_key"], "llm.api_key",
             "the key comes from the environment (O2HUB_LLM_API_KEY), never "
             "from YAML");
    r.read(l, "backend", "llm", cfg.llm.backend);
    r.read(l, "cli_argv", "llm", cfg.llm.cli_argv);
    r.read(l, "endpoint", "llm", cfg.llm.endpoint);
    r.read(l, "model", "llm", cfg.llm.model);
    r.read(l, "timeout_s", "llm", cfg.llm.timeout_s, 1, 600);
    r.read(l, "cache_size", "llm", cfg.llm.cache_size, 0, 1L << 24);
    r.read(l, "cache_ttl_s", "llm", cfg.llm.cache_ttl_s, 0, 86400 * 30);
    r.read(l, "concurrency", "llm", cfg.llm.concurrency, 1, 256);
  }
  if (auto g = root["gitops"]; g && r.expect_map(g, "gitops")) {
    r.check_keys(g, "gitops", {"remote", "layout", "branch", "token", "retry_max_s"});
    if (g["token"])
      r.fail(g["token"], "gitops.token",
             "credentials come from the environment (O2HUB_GITOPS_TOKEN), "
             "never from YAML");
    r.read(g, "remote", "gitops", cfg.gitops.remote);
    r.read(g, "layout", "gitops", cfg.gitops.layout);
    r.read(g, "branch", "gitops", cfg.gitops.branch);
    r.read(g, "retry_max_s", "gitops", cfg.gitops.retry_max_s, 1, 3600);
  }
  if (auto p = root["pipeline"]; p && r.expect_map(p, "pipeline")) {
    r.check_keys(p, "pipeline",
                 {"enabled", "deploy_timeout_s", "poll_interval_ms", "request_timeout_ms",
                  "template_name", "template_version", "slo_queries"});
    r.read(p, "enabled", "pipeline", cfg.pipeline.enabled);
    r.read(p, "deploy_timeout_s", "pipeline", cfg.pipeline.deploy_timeout_s, 1, 86400);
    r.read(p, "poll_interval_ms", "pipeline", cfg.pipeline.poll_interval_ms, 10, 600000);
    r.read(p, "request_timeout_ms", "pipeline", cfg.pipeline.request_timeout_ms, 10,
           600000);
    r.read(p, "template_name", "pipeline", cfg.pipeline.template_name);
    r.read(p, "template_version", "pipeline", cfg.pipeline.template_version);
    if (auto q = p["slo_queries"]; q && r.expect_map(q, "pipeline.slo_queries")) {
      r.check_keys(q, "pipeline.slo_queries",
                   {"latency_p95_ms", "success_rate", "throughput_mbps"});
      for (auto key : {"latency_p95_ms", "success_rate", "throughput_mbps"})
        r.read(q, key, "pipeline.slo_queries", cfg.pipeline.slo_queries[key]);
    }
  }
  if (auto e = root["edge_sim"]; e && r.expect_map(e, "edge_sim")) {
    r.check_keys(e, "edge_sim", {"provisioning_delay_ms", "sync_interval_ms"});
    r.read(e, "provisioning_delay_ms", "edge_sim", cfg.edge_sim.provisioning_delay_ms, 0,
           3600000);
    r.read(e, "sync_interval_ms", "edge_sim", cfg.edge_sim.sync_interval_ms, 10, 600000);
  }
  if (auto p = root["probing"]; p && r.expect_map(p, "probing")) {
    r.check_keys(p, "probing",
                 {"interval_s", "timeout_ms", "failures_before_unreachable",
                  "k8s_ca_file", "k8s_skip_verify", "k8s_scheme"});
    r.read(p, "interval_s", "probing", cfg.probing.interval_s, 1, 86400);
    r.read(p, "timeout_ms", "probing", cfg.probing.timeout_ms, 10, 600000);
    r.read(p, "failures_before_unreachable", "probing",
           cfg.probing.failures_before_unreachable, 1, 100);
    r.read(p, "k8s_ca_file", "probing", cfg.probing.k8s_ca_file);
    r.read(p, "k8s_skip_verify", "probing", cfg.probing.k8s_skip_verify);
    r.read(p, "k8s_scheme", "probing", cfg.probing.k8s_scheme);
  }
  if (auto l = root["limits"]; l && r.expect_map(l, "limits")) {
    r.check_keys(
        l, "limits",
        {"min_latency_ms", "max_reliability_pct", "max_devices", "capacity_mbps"});
    r.read(l, "min_latency_ms", "limits", cfg.limits.min_latency_ms, 0, 1e6);
    r.read(l, "max_reliability_pct", "limits", cfg.limits.max_reliability_pct, 0, 100);
    size_t devices = static_cast<size_t>(cfg.limits.max_devices);
    r.read(l, "max_devices", "limits", devices, 1, 1L << 40);
    cfg.limits.max_devices = static_cast<int64_t>(devices);
    r.read(l, "capacity_mbps", "limits", cfg.limits.capacity_mbps, 0.001, 1e9);
  }
  if (auto m = root["monitor"]; m && r.expect_map(m, "monitor")) {
    r.check_keys(m, "monitor", {"stale_after_s"});
    r.read(m, "stale_after_s", "monitor", cfg.monitor_stale_after_s, 1, 30 * 86400);
  }
  if (auto t = root["tmf"]; t && r.expect_map(t, "tmf")) {
    r.check_keys(t, "tmf",
                 {"poll_ms", "queue_limit", "max_failures", "delivery_timeout_ms"});
    r.read(t, "poll_ms", "tmf", cfg.tmf.poll_ms, 50, 60000);
    r.read(t, "queue_limit", "tmf", cfg.tmf.queue_limit, 1, 1000000);
    r.read(t, "max_failures", "tmf", cfg.tmf.max_failures, 1, 1000);
    r.read(t, "delivery_timeout_ms", "tmf", cfg.tmf.delivery_timeout_ms, 100, 600000);
  }
  if (auto c = root["console"]; c && r.expect_map(c, "console")) {
    r.check_keys(c, "console", {"confirm"});
    r.read(c, "confirm", "console", cfg.console_confirm);
  }
  if (auto n = root["nodes"]; n && r.expect_map(n, "nodes")) {
    r.check_keys(n, "nodes", {"port", "bind", "heartbeat_s", "tls"});
    if (n["port"] && n["port"].IsScalar() && n["port"].Scalar() == "0")
      cfg.nodes.port = 0;
    else
      r.read_port(n, "port", "nodes", cfg.nodes.port);
    r.read(n, "bind", "nodes", cfg.nodes.bind);
    r.read(n, "heartbeat_s", "nodes", cfg.nodes.heartbeat_s, 1, 3600);
    if (auto t = n["tls"]; t && r.expect_map(t, "nodes.tls")) {
      r.check_keys(t, "nodes.tls", {"cert", "key", "ca"});
      r.read(t, "cert", "nodes.tls", cfg.nodes.tls.cert);
      r.read(t, "key", "nodes.tls", cfg.nodes.tls.key);
      r.read(t, "ca", "nodes.tls", cfg.nodes.tls.ca);
    }
  }
  if (r.error())
    return r.error();
  // Edge sites: a seed-format file, then inline sections on top.
  std::string sites_file;
  r.read(root, "edge_sites_file", "", sites_file);
  if (!sites_file.empty()) {
    namespace fs = std::filesystem;
    fs::path p{sites_file};
    if (p.is_relative() && origin.find('/') != std::string::npos)
      p = fs::path{origin}.parent_path() / p;
    if (auto err = load_edge_sites(p.string(), cfg))
      return err;
  }
  detail::read_edge_sections(r, root, cfg);
  return r.error();
}

caf::expected<config> load_config(const std::string& path) {
  auto cfg = default_config();
  std::string text;
  if (auto err = detail::read_file(path, text))
    return err;
  if (auto err = parse_config(text, path, cfg))
    return err;
  if (auto err = validate(cfg))
    return err;
  return cfg;
}

std::string gitops_repo(const config& cfg, const std::string& site) {
  return cfg.gitops.layout == "per-site" ? site + "-config" : "o2hub-gitops";
}

std::string gitops_package_dir(const config& cfg, const std::string& site,
                               const std::string& intent_id) {
  return cfg.gitops.layout == "per-site" ? intent_id : site + "/" + intent_id;
}

std::string gitops_url(const config& cfg, const std::string& repo) {
  if (cfg.gitops.remote.empty()) {
    std::error_code ec;
    auto base = std::filesystem::absolute(cfg.data_dir, ec);
    return (base / "gitops" / (repo + ".git")).lexically_normal().string();
  }
  auto url = cfg.gitops.remote;
  if (auto pos = url.find("{repo}"); pos != std::string::npos)
    url.replace(pos, 6, repo);
  return url;
}

caf::error validate(const config& cfg) {
  auto fail = [](std::string what) {
    return caf::error{ec::invalid_configuration, std::move(what)};
  };
  std::set<uint16_t> ports{cfg.intent_port, cfg.monitor_port, cfg.bridge_port};
  if (ports.size() != 3)
    return fail("services: the intent, monitor and bridge ports must differ");
  if (cfg.bind.empty())
    return fail("bind: must not be empty");
  if (cfg.http.tls.enabled() || !cfg.http.tls.key.empty()) {
    if (cfg.http.tls.cert.empty() || cfg.http.tls.key.empty())
      return fail("http.tls: both cert and key are needed (file paths)");
    for (const auto& [what, path] :
         {std::pair<const char*, std::string>{"cert", cfg.http.tls.cert},
          {"key", cfg.http.tls.key},
          {"ca", cfg.http.tls.ca}})
      if (!path.empty() && ::access(path.c_str(), R_OK) != 0)
        return fail(std::string{"http.tls."} + what + ": cannot read '" + path + "'");
  }
  if (cfg.nodes.tls.enabled() || !cfg.nodes.tls.key.empty()
      || !cfg.nodes.tls.ca.empty()) {
    if (cfg.nodes.tls.cert.empty() || cfg.nodes.tls.key.empty()
        || cfg.nodes.tls.ca.empty())
      return fail("nodes.tls: cert, key and ca are all needed (file paths)");
    for (const auto& [what, path] :
         {std::pair<const char*, std::string>{"cert", cfg.nodes.tls.cert},
          {"key", cfg.nodes.tls.key},
          {"ca", cfg.nodes.tls.ca}})
      if (::access(path.c_str(), R_OK) != 0)
        return fail(std::string{"nodes.tls."} + what + ": cannot read '" + path + "'");
  }
  if (cfg.nodes.port != 0 && !cfg.nodes.tls.enabled()
      && !(cfg.nodes.bind == "localhost" || cfg.nodes.bind == "::1"
           || cfg.nodes.bind.rfind("127.", 0) == 0))
    return fail("nodes.bind: '" + cfg.nodes.bind
                + "' is not loopback; other nodes connect only with TLS there (set "
                  "nodes.tls: cert, key, ca)");
  if (!tmux::valid_session_name(cfg.tmux_session))
    return fail("services.bridge.tmux_session: letters, digits, '_' and '-' "
                "only (1-64), got '"
                + cfg.tmux_session + "'");
  if (!tmux::valid_session_name(cfg.tmux_socket))
    return fail("services.bridge.tmux_socket: letters, digits, '_' and '-' "
                "only (1-64), got '"
                + cfg.tmux_socket + "'");
  static const std::set<std::string> categories{"processing", "success", "error",
                                                "warning",    "intent",  "deployment"};
  for (const auto& [name, pattern] : cfg.bridge_events) {
    if (!categories.count(name))
      return fail("services.bridge.events: unknown event '" + name
                  + "' (processing, success, error, warning, intent, deployment)");
    if (auto why = tmux::regex_problem(pattern); !why.empty())
      return fail("services.bridge.events." + name + ": not a valid regex: " + why);
  }
  if (cfg.llm.backend != "none" && cfg.llm.backend != "cli" && cfg.llm.backend != "http")
    return fail("llm.backend: must be none, cli or http, got '" + cfg.llm.backend + "'");
  if (cfg.llm.backend == "cli" && cfg.llm.cli_argv.empty())
    return fail("llm.cli_argv: must name a program when llm.backend is cli");
  for (const auto& arg : cfg.llm.cli_argv)
    if (arg == "--dangerously-skip-permissions")
      return fail("llm.cli_argv: --dangerously-skip-permissions is never allowed");
  if (cfg.llm.backend == "http" && cfg.llm.endpoint.empty())
    return fail("llm.endpoint: required when llm.backend is http");
  if (cfg.probing.k8s_scheme != "https" && cfg.probing.k8s_scheme != "http")
    return fail("probing.k8s_scheme: must be https or http");
  if (cfg.gitops.layout == "per-site" && !cfg.gitops.remote.empty()
      && cfg.gitops.remote.find("{repo}") == std::string::npos)
    return fail("gitops.remote: with layout per-site, the URL must contain "
                "{repo} (replaced by edgeN-config)");
  if (cfg.gitops.layout != "mono" && cfg.gitops.layout != "per-site")
    return fail("gitops.layout: must be mono or per-site, got '" + cfg.gitops.layout
                + "'");
  if (cfg.sites.empty())
    return fail("edge_sites: at least one edge site is required");
  for (const auto& s : cfg.sites)
    if (!s.k8s_scheme.empty() && s.k8s_scheme != "http" && s.k8s_scheme != "https")
      return fail("edge_sites." + s.name + ".k8s_scheme: must be https or http");
  for (const auto& s : cfg.sites)
    if (!s.agent.empty() && s.agent != "preferred" && s.agent != "required"
        && s.agent != "off")
      return fail("edge_sites." + s.name + ".agent: must be required, preferred or off");
  for (const auto& s : cfg.sites)
    if (s.ip.empty())
      return fail("edge_sites." + s.name + ".ip: must not be empty");
  if (cfg.security.cors_credentials)
    for (const auto& o : cfg.security.cors_origins)
      if (o == "*")
        return fail("security.cors_origins: '*' cannot be combined with "
                    "cors_credentials");
  return {};
}

} // namespace o2hub
