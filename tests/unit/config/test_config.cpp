#define BOOST_TEST_MODULE config
#include "config/config.hpp"
#include "config/defaults.hpp"
#include "support/actor_fixture.hpp" // caf::error printer
#include "support/paths.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace o2hub;
namespace test = o2hub::test;

namespace {

/// The seed guide's edge-sites block, verbatim (secrets included).
constexpr const char* seed_sites = R"(edge_sites:
  edge1:
    ip: "172.16.4.45"
    user: "ubuntu"
    key: "id_ed25519"
    ports:
      o2ims: 31280
      prometheus: 30090
      k8s_api: 6443

  edge2:
    ip: "172.16.4.176"
    user: "ubuntu"
    key: "id_ed25519"
    ports:
      o2ims: 31280
      prometheus: 30090
      k8s_api: 6443

  edge3:
    ip: "172.16.5.81"
    user: "thc1006"
    key: "edge_sites_key"
    password: "1006"
    ports:
      o2ims: 31280
      prometheus: 30090
      k8s_api: 6443

  edge4:
    ip: "172.16.1.252"
    user: "thc1006"
    key: "edge_sites_key"
    password: "1006"
    ports:
      o2ims: 31280
      prometheus: 30090
      k8s_api: 6443
)";

bool any_contains(const std::vector<std::string>& xs, const std::string& part) {
  for (auto& x : xs)
    if (x.find(part) != std::string::npos)
      return true;
  return false;
}

} // namespace

BOOST_AUTO_TEST_CASE(defaults_describe_four_local_sites) {
  auto cfg = default_config();
  BOOST_TEST(!validate(cfg));
  BOOST_TEST(cfg.intent_port == 8002);
  BOOST_TEST(cfg.monitor_port == 8003);
  BOOST_TEST(cfg.bridge_port == 8004);
  BOOST_TEST(cfg.bind == "127.0.0.1");
  BOOST_TEST_REQUIRE(cfg.sites.size() == 4u);
  BOOST_TEST(cfg.sites[0].name == "edge1");
  BOOST_TEST(cfg.sites[3].name == "edge4");
  BOOST_TEST(cfg.sites[2].o2ims_port == defaults::sim_o2ims_base + 3);
  BOOST_TEST(cfg.sites[2].ip == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(normalizes_site_names) {
  for (auto name :
       {"edge1", "edge01", "Edge1", "EDGE01", "edge-1", "edge_01", "Edge 1", "edge001"})
    BOOST_TEST(normalize_site_name(name) == "edge1", name);
  BOOST_TEST(normalize_site_name("edge10") == "edge10");
  BOOST_TEST(normalize_site_name("Site-3") == "site3");
  BOOST_TEST(normalize_site_name("core") == "core");
}

BOOST_AUTO_TEST_CASE(reads_the_seed_format_and_never_keeps_secrets) {
  auto cfg = default_config();
  auto err = parse_edge_sites(seed_sites, "edge-sites-config.yaml", cfg);
  BOOST_TEST_REQUIRE(!err, render(err));
  BOOST_TEST_REQUIRE(cfg.sites.size() == 4u);
  BOOST_TEST(cfg.sites[1].ip == "172.16.4.176");
  BOOST_TEST(cfg.sites[2].user == "thc1006");
  BOOST_TEST(cfg.sites[3].o2ims_port == 31280);
  BOOST_TEST(cfg.sites[3].prometheus_port == 30090);
  BOOST_TEST(cfg.sites[3].k8s_api_port == 6443);
  // password and key are warned about with file and line, never echoed.
  BOOST_TEST(any_contains(cfg.warnings, "edge-sites-config.yaml:24: key "
                                        "'edge_sites.edge3.password'"));
  BOOST_TEST(!any_contains(cfg.warnings, "1006"));
  BOOST_TEST(!any_contains(cfg.warnings, "id_ed25519"));
}

BOOST_AUTO_TEST_CASE(reads_flat_variants_aliases_and_the_repo_example) {
  auto cfg = default_config();
  auto err = load_edge_sites(test::source_dir() + "/config/edge-sites-config.yaml", cfg);
  BOOST_TEST_REQUIRE(!err, render(err));
  BOOST_TEST(cfg.sites.size() == 4u);
  BOOST_TEST(cfg.sites[2].o2ims_port == 31280);
  BOOST_TEST(cfg.probing.interval_s == 15);
  BOOST_TEST(cfg.slo_targets["success_rate"] == "0.995");
  auto cfg2 = default_config();
  err = parse_edge_sites("edge_sites:\n  Edge-01: {ip: 10.0.0.1}\n  edge02:\n"
                         "    ip: 10.0.0.2\n    scrape_interval: 2m\n",
                         "inline", cfg2);
  BOOST_TEST_REQUIRE(!err, render(err));
  BOOST_TEST(find_site(cfg2, "EDGE1")->ip == "10.0.0.1");
  BOOST_TEST(find_site(cfg2, "edge-2")->scrape_interval_s.value_or(0) == 120);
  BOOST_TEST(find_site(cfg2, "edge1")->o2ims_port == defaults::o2ims_port);
  BOOST_TEST(find_site(cfg2, "edge3") == nullptr);
}

BOOST_AUTO_TEST_CASE(wrong_types_name_file_line_and_key) {
  auto cfg = default_config();
  auto err = parse_edge_sites("edge_sites:\n  edge1:\n    ip: 1.2.3.4\n"
                              "    ports:\n      o2ims: lots\n",
                              "sites.yaml", cfg);
  BOOST_TEST_REQUIRE(static_cast<bool>(err));
  auto text = render(err);
  BOOST_TEST(text.find("sites.yaml:5") != std::string::npos, text);
  BOOST_TEST(text.find("edge_sites.edge1.ports.o2ims") != std::string::npos, text);
  BOOST_TEST(text.find("integer") != std::string::npos, text);

  err = parse_config("services:\n  intent:\n    port: 70000\n", "o2hub.yaml", cfg);
  BOOST_TEST_REQUIRE(static_cast<bool>(err));
  text = render(err);
  BOOST_TEST(text.find("o2hub.yaml:3: key 'services.intent.port'") != std::string::npos,
             text);
  err = parse_config("http: [1, 2]\n", "o2hub.yaml", cfg);
  BOOST_TEST(render(err).find("key 'http': must be a mapping") != std::string::npos,
             render(err));
  err = parse_config("security:\n  cors_credentials: maybe\n", "o2hub.yaml", cfg);
  BOOST_TEST(render(err).find("true or false") != std::string::npos);
  // HTTP threads: 0 (the default) is one per core; at most 64.
  BOOST_TEST(default_config().http.threads == 0);
  err = parse_config("http:\n  threads: 65\n", "o2hub.yaml", cfg);
  BOOST_TEST(render(err).find("http.threads") != std::string::npos, render(err));
  err = parse_config("http:\n  threads: 2\n", "o2hub.yaml", cfg);
  BOOST_TEST(!err, render(err));
  BOOST_TEST(cfg.http.threads == 2);
}

BOOST_AUTO_TEST_CASE(broken_yaml_and_duplicates_fail) {
  auto cfg = default_config();
  auto err = parse_config("bind: [unclosed\n", "bad.yaml", cfg);
  BOOST_TEST_REQUIRE(static_cast<bool>(err));
  BOOST_TEST(render(err).find("bad.yaml:") != std::string::npos, render(err));
  err = parse_edge_sites("edge_sites:\n  edge1: {ip: a}\n  edge01: {ip: b}\n", "dup.yaml",
                         cfg);
  BOOST_TEST_REQUIRE(static_cast<bool>(err));
  BOOST_TEST(render(err).find("duplicate site") != std::string::npos);
  err = parse_config("- a\n- b\n", "list.yaml", cfg);
  BOOST_TEST(render(err).find("top level must be a mapping") != std::string::npos);
  auto missing = load_config("/nonexistent/o2hub.yaml");
  BOOST_TEST(!missing);
}

BOOST_AUTO_TEST_CASE(unknown_keys_warn_and_secrets_in_yaml_fail) {
  auto cfg = default_config();
  auto err = parse_config("bnid: 0.0.0.0\nhttp:\n  body_limt: 5\n", "o.yaml", cfg);
  BOOST_TEST(!err, render(err));
  BOOST_TEST(any_contains(cfg.warnings, "o.yaml:1: key 'bnid': unknown key"));
  BOOST_TEST(any_contains(cfg.warnings, "o.yaml:3: key 'http.body_limt'"));
  for (auto yaml : {"llm:\n  api_key: sk-secret\n", "security:\n  token: abc\n",
                    "gitops:\n  token: ghp_x\n"}) {
    auto c = default_config();
    auto e = parse_config(yaml, "s.yaml", c);
    BOOST_TEST_REQUIRE(static_cast<bool>(e), yaml);
    auto text = render(e);
    BOOST_TEST(text.find("environment") != std::string::npos, text);
    BOOST_TEST(text.find("sk-secret") == std::string::npos);
    BOOST_TEST(text.find("ghp_x") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(loads_the_commented_example_and_validates) {
  auto cfg = load_config(test::source_dir() + "/config/o2hub.example.yaml");
  BOOST_TEST_REQUIRE(static_cast<bool>(cfg), test::error_of(cfg));
  BOOST_TEST(cfg->warnings.empty(), (cfg->warnings.empty() ? "" : cfg->warnings[0]));
  BOOST_TEST(cfg->sites.size() == 4u);
  auto bad = default_config();
  bad.monitor_port = bad.intent_port;
  BOOST_TEST(static_cast<bool>(validate(bad)));
  bad = default_config();
  bad.gitops.layout = "tree";
  BOOST_TEST(render(validate(bad)).find("gitops.layout") != std::string::npos);
  bad = default_config();
  bad.llm.backend = "http";
  BOOST_TEST(render(validate(bad)).find("llm.endpoint") != std::string::npos);
  bad = default_config();
  bad.security.cors_origins = {"*"};
  bad.security.cors_credentials = true;
  BOOST_TEST(static_cast<bool>(validate(bad)));
}

BOOST_AUTO_TEST_CASE(o2hub_yaml_can_point_at_a_seed_file) {
  auto dir = std::string{"/tmp/o2hub-config-test"};
  std::filesystem::create_directories(dir);
  {
    std::ofstream out{dir + "/edge-sites-config.yaml"};
    out << seed_sites;
  }
  {
    std::ofstream out{dir + "/o2hub.yaml"};
    out << "edge_sites_file: edge-sites-config.yaml\nservices:\n  monitor:\n"
           "    port: 9003\n";
  }
  auto cfg = load_config(dir + "/o2hub.yaml");
  BOOST_TEST_REQUIRE(static_cast<bool>(cfg), test::error_of(cfg));
  BOOST_TEST(cfg->monitor_port == 9003);
  BOOST_TEST(cfg->sites.size() == 4u);
  BOOST_TEST(cfg->sites[0].ip == "172.16.4.45");
}

BOOST_AUTO_TEST_CASE(a_site_may_choose_its_kubernetes_scheme) {
  auto cfg = o2hub::default_config();
  BOOST_TEST(cfg.sites[0].k8s_scheme == "http"); // the simulated sites
  auto err = o2hub::parse_config("edge_sites:\n  edge9:\n    ip: 10.0.0.9\n"
                                 "    k8s_scheme: https\n",
                                 "inline", cfg);
  BOOST_TEST(!err);
  auto* site = o2hub::find_site(cfg, "edge09");
  BOOST_TEST_REQUIRE(site != nullptr);
  BOOST_TEST(site->k8s_scheme == "https");
  cfg.sites.back().k8s_scheme = "ftp";
  BOOST_TEST(static_cast<bool>(o2hub::validate(cfg)));
}

BOOST_AUTO_TEST_CASE(nodes_are_loopback_unless_tls_and_sites_choose_agents) {
  auto cfg = o2hub::default_config();
  BOOST_TEST(cfg.nodes.port == 4242);
  BOOST_TEST(cfg.nodes.bind == "127.0.0.1");
  BOOST_TEST(cfg.nodes.heartbeat_s == 2);
  auto err = o2hub::parse_config("nodes:\n  port: 5000\n  heartbeat_s: 3\n"
                                 "edge_sites:\n  edge1:\n    agent: required\n",
                                 "inline", cfg);
  BOOST_TEST(!err, render(err));
  BOOST_TEST(cfg.nodes.port == 5000);
  BOOST_TEST(cfg.nodes.heartbeat_s == 3);
  BOOST_TEST(o2hub::find_site(cfg, "edge1")->agent == "required");
  BOOST_TEST(!o2hub::validate(cfg));
  // Off loopback only with TLS: refused with the reason.
  cfg.nodes.bind = "0.0.0.0";
  BOOST_TEST(render(o2hub::validate(cfg)).find("nodes.bind: '0.0.0.0' is not loopback")
             != std::string::npos);
  // TLS needs all three files, readable.
  cfg.nodes.tls.cert = "/nonexistent/hub.pem";
  BOOST_TEST(render(o2hub::validate(cfg)).find("nodes.tls: cert, key and ca")
             != std::string::npos);
  cfg.nodes.tls.key = "/nonexistent/hub-key.pem";
  cfg.nodes.tls.ca = "/nonexistent/ca.pem";
  BOOST_TEST(render(o2hub::validate(cfg)).find("nodes.tls.cert: cannot read")
             != std::string::npos);
  // Port 0: no nodes endpoint at all (any bind is fine then).
  cfg = o2hub::default_config();
  err = o2hub::parse_config("nodes:\n  port: 0\n  bind: 0.0.0.0\n", "inline", cfg);
  BOOST_TEST(!err, render(err));
  BOOST_TEST(cfg.nodes.port == 0);
  BOOST_TEST(!o2hub::validate(cfg));
  // A site's agent mode is one of three.
  cfg.sites[0].agent = "sometimes";
  BOOST_TEST(
      render(o2hub::validate(cfg)).find("agent: must be required, preferred or off")
      != std::string::npos);
  // Unknown keys are reported, as everywhere.
  err = o2hub::parse_config("nodes:\n  tls:\n    password: x\n", "inline", cfg);
  BOOST_TEST((static_cast<bool>(err) || !cfg.warnings.empty()));
}
