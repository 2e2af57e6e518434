// The seed's edge-sites-config.yaml format and site-name normalisation.
#include "config/config.hpp"
#include "config/defaults.hpp"
#include "config/yaml_reader.hpp"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace o2hub {

const edge_site* find_site(const config& cfg, std::string_view name) {
  auto canonical = normalize_site_name(name);
  for (const auto& site : cfg.sites)
    if (site.name == canonical)
      return &site;
  return nullptr;
}

namespace {

void read_site(detail::yaml_reader& r, const YAML::Node& node,
               const std::string& raw_name, edge_site& site) {
  auto path = "edge_sites." + raw_name;
  if (!r.expect_map(node, path))
    return;
  r.check_keys(node, path,
               {"ip", "host", "user", "key", "ssh_key", "password", "ports", "o2ims_port",
                "prometheus_port", "k8s_api_port", "k8s_port", "scrape_interval", "name",
                "description", "location", "enabled", "k8s_scheme", "agent",
                "capacity_mbps"});
  r.read(node, "capacity_mbps", path, site.capacity_mbps, 0.001, 1e9);
  r.read(node, "k8s_scheme", path, site.k8s_scheme);
  r.read(node, "agent", path, site.agent);
  r.read(node, "host", path, site.ip);
  r.read(node, "ip", path, site.ip);
  r.read(node, "user", path, site.user);
  for (auto secret : {"password", "key", "ssh_key"})
    if (node[secret])
      r.warn(node[secret], detail::join_path(path, secret),
             "secrets do not belong in YAML; the value is ignored and never "
             "logged (use an SSH agent or the environment)");
  // Flat variants first, then the nested `ports` map wins.
  r.read_port(node, "o2ims_port", path, site.o2ims_port);
  r.read_port(node, "prometheus_port", path, site.prometheus_port);
  r.read_port(node, "k8s_port", path, site.k8s_api_port);
  r.read_port(node, "k8s_api_port", path, site.k8s_api_port);
  if (auto ports = node["ports"]; ports && r.expect_map(ports, path + ".ports")) {
    auto pp = path + ".ports";
    r.check_keys(ports, pp, {"o2ims", "prometheus", "k8s_api", "k8s"});
    r.read_port(ports, "o2ims", pp, site.o2ims_port);
    r.read_port(ports, "prometheus", pp, site.prometheus_port);
    r.read_port(ports, "k8s", pp, site.k8s_api_port);
    r.read_port(ports, "k8s_api", pp, site.k8s_api_port);
  }
  int interval = 0;
  r.read_seconds(node, "scrape_interval", path, interval);
  if (interval > 0)
    site.scrape_interval_s = interval;
  if (site.o2ims_port == 0)
    site.o2ims_port = defaults::o2ims_port;
  if (site.prometheus_port == 0)
    site.prometheus_port = defaults::prometheus_port;
  if (site.k8s_api_port == 0)
    site.k8s_api_port = defaults::k8s_api_port;
}

void flatten_slo(detail::yaml_reader& r, const YAML::Node& node,
                 const std::string& prefix, std::map<std::string, std::string>& out) {
  if (node.IsScalar()) {
    out[prefix] = node.Scalar();
  } else if (node.IsMap()) {
    for (const auto& kv : node)
      flatten_slo(r, kv.second, detail::join_path(prefix, kv.first.Scalar()), out);
  } else if (!node.IsNull()) {
    r.fail(node, "slo_targets." + prefix, "must be a value or a mapping");
  }
}

} // namespace

namespace detail {

// Reads edge_sites, monitoring and slo_targets from a YAML root; shared with
// config.cpp so o2hub.yaml may hold them inline.
void read_edge_sections(yaml_reader& r, const YAML::Node& root, config& cfg) {
  if (auto sites = root["edge_sites"]) {
    std::vector<edge_site> result;
    std::set<std::string> seen;
    auto add = [&](const YAML::Node& node, const std::string& raw) {
      edge_site site;
      site.name = normalize_site_name(raw);
      read_site(r, node, raw, site);
      if (!seen.insert(site.name).second)
        r.fail(node, "edge_sites." + raw,
               "duplicate site: '" + raw + "' is the same site as another entry ('"
                   + site.name + "')");
      result.push_back(std::move(site));
    };
    if (sites.IsMap()) {
      for (const auto& kv : sites)
        add(kv.second, kv.first.Scalar());
    } else if (sites.IsSequence()) {
      for (const auto& item : sites) {
        if (!item.IsMap() || !item["name"] || !item["name"].IsScalar()) {
          r.fail(item, "edge_sites", "list entries need a 'name'");
          break;
        }
        add(item, item["name"].Scalar());
      }
    } else if (!sites.IsNull()) {
      r.fail(sites, "edge_sites", "must be a mapping of site name to site");
    }
    if (!r.error())
      cfg.sites = std::move(result);
  }
  if (auto mon = root["monitoring"]; mon && r.expect_map(mon, "monitoring")) {
    r.check_keys(mon, "monitoring",
                 {"scrape_interval", "evaluation_interval", "timeout",
                  "failures_before_unreachable", "prometheus_url", "alertmanager_url",
                  "retention", "enabled"});
    r.read_seconds(mon, "scrape_interval", "monitoring", cfg.probing.interval_s);
    int timeout_s = 0;
    r.read_seconds(mon, "timeout", "monitoring", timeout_s);
    if (timeout_s > 0)
      cfg.probing.timeout_ms = timeout_s * 1000;
    r.read(mon, "failures_before_unreachable", "monitoring",
           cfg.probing.failures_before_unreachable, 1, 100);
  }
  if (auto slo = root["slo_targets"]) {
    std::map<std::string, std::string> targets;
    if (slo.IsMap())
      for (const auto& kv : slo)
        flatten_slo(r, kv.second, kv.first.Scalar(), targets);
    else if (!slo.IsNull())
      r.fail(slo, "slo_targets", "must be a mapping");
    if (!r.error())
      cfg.slo_targets = std::move(targets);
  }
}

caf::error parse_yaml(std::string_view text, const std::string& origin, YAML::Node& out) {
  try {
    out = YAML::Load(std::string{text});
  } catch (const YAML::Exception& e) {
    return caf::error{ec::invalid_configuration, origin + ":"
                                                     + std::to_string(e.mark.line + 1)
                                                     + ": invalid YAML: " + e.msg};
  }
  if (!out.IsNull() && !out.IsMap())
    return caf::error{ec::invalid_configuration,
                      origin + ": the top level must be a mapping"};
  return {};
}

caf::error read_file(const std::string& path, std::string& out) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return caf::error{ec::filesystem_error, "cannot read " + path};
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return {};
}

} // namespace detail

caf::error parse_edge_sites(std::string_view yaml, const std::string& origin,
                            config& cfg) {
  YAML::Node root;
  if (auto err = detail::parse_yaml(yaml, origin, root))
    return err;
  detail::yaml_reader r{origin, cfg.warnings};
  r.check_keys(root, "", {"edge_sites", "monitoring", "slo_targets"});
  detail::read_edge_sections(r, root, cfg);
  return r.error();
}

caf::error load_edge_sites(const std::string& path, config& cfg) {
  std::string text;
  if (auto err = detail::read_file(path, text))
    return err;
  return parse_edge_sites(text, path, cfg);
}

} // namespace o2hub
