// o2hub: the Intent-to-O2 services layer. This file only parses the command
// line; everything else lives in o2hub_core.
#include "app/agent.hpp"
#include "app/console.hpp"
#include "app/edge_sim.hpp"
#include "app/serve.hpp"
#include "common/log.hpp"
#include "config/config.hpp"
#include "protocol/error.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>

namespace {

struct common_flags {
  std::string config_file;
  std::string edge_sites_file;
  std::optional<std::string> bind;
  std::optional<std::string> data_dir;
  std::optional<std::string> tmux_socket;
  std::string log_level = "info";
};

void add_common(CLI::App* app, common_flags& f) {
  app->add_option("-c,--config", f.config_file, "o2hub.yaml to load")
      ->check(CLI::ExistingFile);
  app->add_option("--edge-sites", f.edge_sites_file,
                  "edge-sites-config.yaml (the seed's format)")
      ->check(CLI::ExistingFile);
  app->add_option("--bind", f.bind, "address to listen on (default 127.0.0.1)");
  app->add_option("--data-dir", f.data_dir, "where o2hub keeps its data");
  app->add_option("--tmux-socket", f.tmux_socket,
                  "tmux -L socket of the bridge's session (default o2hub)");
  app->add_option("--log-level", f.log_level, "debug, info, warn, error or off")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
}

/// Loads the configuration: defaults, then files, then flags.
std::optional<o2hub::config> load(const common_flags& f) {
  auto cfg = o2hub::default_config();
  if (!f.config_file.empty()) {
    auto loaded = o2hub::load_config(f.config_file);
    if (!loaded) {
      std::cerr << "o2hub: " << o2hub::render(loaded.error()) << "\n";
      return std::nullopt;
    }
    cfg = std::move(*loaded);
  }
  if (!f.edge_sites_file.empty()) {
    if (auto err = o2hub::load_edge_sites(f.edge_sites_file, cfg)) {
      std::cerr << "o2hub: " << o2hub::render(err) << "\n";
      return std::nullopt;
    }
  }
  if (f.bind)
    cfg.bind = *f.bind;
  if (f.data_dir)
    cfg.data_dir = *f.data_dir;
  if (f.tmux_socket)
    cfg.tmux_socket = *f.tmux_socket;
  return cfg;
}

} // namespace

int main(int argc, char** argv) {
  // A write to a pipe whose reader is gone (tmux's control client that just
  // died, a subprocess) must be an EPIPE error the caller handles, not a
  // signal that kills every service. Children get the default back
  // (io/subprocess.cpp: prepare_spawn).
  ::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"o2hub: intent-to-O2 services (intent 8002, monitor 8003, "
               "bridge 8004)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string{O2HUB_VERSION});

  common_flags flags;
  uint16_t intent_port = 0;
  uint16_t monitor_port = 0;
  uint16_t bridge_port = 0;
  uint16_t port = 0;

  auto serve = app.add_subcommand("serve", "run all three services in one process");
  add_common(serve, flags);
  serve->add_option("--intent-port", intent_port, "intent service port (8002)");
  serve->add_option("--monitor-port", monitor_port, "monitor port (8003)");
  serve->add_option("--bridge-port", bridge_port, "tmux bridge port (8004)");

  auto intent = app.add_subcommand("intent", "run the intent service alone");
  auto monitor = app.add_subcommand("monitor", "run the realtime monitor alone");
  auto bridge = app.add_subcommand("bridge", "run the tmux bridge alone");
  std::string hub;
  for (auto* sub : {intent, monitor, bridge}) {
    add_common(sub, flags);
    sub->add_option("-p,--port", port, "port to listen on");
  }
  intent->add_option("--hub", hub,
                     "HOST:PORT of a hub's nodes endpoint: start pipelines there");

  o2hub::agent_run_options agent_opts;
  auto agent = app.add_subcommand(
      "agent", "an edge agent: probes its site and answers for it to the hub");
  add_common(agent, flags);
  agent->add_option("--site", agent_opts.site, "the site this agent serves")->required();
  agent->add_option("--hub", agent_opts.hub, "HOST:PORT of the hub's nodes endpoint")
      ->required();

  o2hub::console_options console_opts;
  bool no_color = false;
  auto console = app.add_subcommand(
      "console", "the interactive intent console (what the bridge's tmux pane runs)");
  console->add_option("--intent-url", console_opts.intent_url,
                      "intent service base URL (http://127.0.0.1:8002)");
  console->add_option("--monitor-url", console_opts.monitor_url,
                      "monitor base URL (http://127.0.0.1:8003)");
  console->add_option("--follow-timeout", console_opts.follow_timeout_s,
                      "seconds to follow one pipeline (300)");
  console->add_flag("--no-color", no_color, "plain text output");
  bool no_confirm = false;
  console->add_flag("--no-confirm", no_confirm,
                    "deploy, change or remove without asking first (console.confirm: "
                    "false)");
  console->add_option("--history", console_opts.history_file,
                      "file keeping the typed lines between runs (the bridge: "
                      "<data dir>/console-history); line editing and Tab completion "
                      "need a terminal");
  console->add_option("--ca-file", console_opts.ca_file,
                      "PEM CA to check the services' https certificate against");
  console->add_option("--token-file", console_opts.token_file,
                      "file with the operator token, read before each request "
                      "(written by the bridge; wins over O2HUB_TOKEN)");

  o2hub::edge_sim_options sim_opts;
  std::vector<std::string> sim_sites, sim_fail, sim_degrade;
  uint16_t sim_control = o2hub::defaults::sim_control_port;
  auto edge_sim = app.add_subcommand(
      "edge-sim", "simulated edge sites: O2 IMS, Prometheus, Kubernetes, config sync");
  add_common(edge_sim, flags);
  edge_sim
      ->add_option("--sites", sim_sites, "sites to simulate (default: all configured)")
      ->delimiter(',');
  edge_sim->add_option("--control-port", sim_control,
                       "fault control endpoint port ("
                           + std::to_string(o2hub::defaults::sim_control_port)
                           + "; 0 = none)");
  edge_sim->add_option("--fail-provisioning", sim_fail, "sites whose provisioning fails");
  edge_sim->add_option("--degrade-slo", sim_degrade, "sites whose SLO metrics are bad");

  CLI11_PARSE(app, argc, argv);

  if (console->parsed()) {
    if (auto t = std::getenv("O2HUB_TOKEN"))
      console_opts.token = t;
    console_opts.color = !no_color && !std::getenv("NO_COLOR");
    console_opts.confirm = !no_confirm;
    return o2hub::run_console(console_opts, std::cin, std::cout);
  }

  o2hub::log::init(flags.log_level);
  auto cfg = load(flags);
  if (!cfg)
    return 2;
  if (agent->parsed()) {
    if (auto err = o2hub::validate(*cfg)) {
      std::cerr << "o2hub: " << o2hub::render(err) << "\n";
      return 2;
    }
    return o2hub::run_agent(*cfg, agent_opts);
  }
  if (edge_sim->parsed()) {
    // --bind puts the simulated sites (and the control endpoint) there.
    if (flags.bind)
      for (auto& s : cfg->sites)
        s.ip = *flags.bind;
    if (auto err = o2hub::validate(*cfg)) {
      std::cerr << "o2hub: " << o2hub::render(err) << "\n";
      return 2;
    }
    for (auto& s : sim_sites)
      sim_opts.sites.insert(o2hub::normalize_site_name(s));
    for (auto& s : sim_fail)
      sim_opts.fail_provisioning.insert(o2hub::normalize_site_name(s));
    for (auto& s : sim_degrade)
      sim_opts.degrade_slo.insert(o2hub::normalize_site_name(s));
    sim_opts.control_port = sim_control;
    return o2hub::run_edge_sim(*cfg, sim_opts);
  }
  o2hub::run_options opts;
  if (serve->parsed()) {
    if (intent_port)
      cfg->intent_port = intent_port;
    if (monitor_port)
      cfg->monitor_port = monitor_port;
    if (bridge_port)
      cfg->bridge_port = bridge_port;
  } else {
    opts.intent = intent->parsed();
    opts.monitor = monitor->parsed();
    opts.bridge = bridge->parsed();
    opts.hub = hub;
    if (port) {
      auto& target = opts.intent    ? cfg->intent_port
                     : opts.monitor ? cfg->monitor_port
                                    : cfg->bridge_port;
      target = port;
    }
  }
  if (auto err = o2hub::validate(*cfg)) {
    std::cerr << "o2hub: " << o2hub::render(err) << "\n";
    return 2;
  }
  opts.cfg = std::move(*cfg);
  return o2hub::run_services(opts);
}
