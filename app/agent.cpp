#include "app/agent.hpp"

#include "actors/edge_agent.hpp"
#include "app/actor_config.hpp"
#include "app/nodes.hpp"
#include "common/exit_deadline.hpp"
#include "common/log.hpp"
#include "io/http_client.hpp"
#include "io/http_client_actor.hpp"
#include "io/llm_backends.hpp"
#include "io/node_connector.hpp"
#include "io/node_identity.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include <csignal>
#include <iostream>
#include <random>

namespace o2hub {

namespace {

std::string random_instance() {
  std::random_device rd;
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i)
    out += hex[rd() & 0xf];
  return out;
}

} // namespace

int run_agent(const config& cfg, const agent_run_options& opts) {
  auto site = find_site(cfg, opts.site);
  if (!site) {
    std::cerr << "o2hub: agent: site '" << opts.site
              << "' is not in the configuration (edge_sites)\n";
    return 2;
  }
  edge_agent_options aopts;
  if (!parse_host_port(opts.hub, aopts.hub_host, aopts.hub_port)) {
    std::cerr << "o2hub: agent: --hub must be HOST:PORT, got '" << opts.hub << "'\n";
    return 2;
  }
  bool loopback_hub = aopts.hub_host == "localhost" || aopts.hub_host == "::1"
                      || aopts.hub_host.rfind("127.", 0) == 0;
  if (!cfg.nodes.tls.enabled() && !loopback_hub) {
    std::cerr << "o2hub: agent: the hub at " << opts.hub
              << " is not on loopback; connect with TLS (nodes.tls: cert, key, ca)\n";
    return 2;
  }
  if (cfg.nodes.tls.enabled()) {
    aopts.certificate = read_text_file(cfg.nodes.tls.cert);
    if (aopts.certificate.empty()) {
      std::cerr << "o2hub: agent: cannot read nodes.tls.cert '" << cfg.nodes.tls.cert
                << "'\n";
      return 2;
    }
    aopts.sign = [key = cfg.nodes.tls.key](const std::string& nonce) {
      return sign_nonce(key, nonce);
    };
  }
  // SIGINT/SIGTERM are waited for below, in this thread only.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  init_http_client();
  caf::actor_system_config acfg;
  configure_actor_system(acfg);
  // An agent does little (one prober, a heartbeat, a few questions): one
  // scheduler thread is plenty, and many agents share a machine well.
  acfg.set("scheduler.max-threads", size_t{1});
  enable_nodes(acfg, cfg);
  exit_deadline deadline; // goes after the actor system (common/exit_deadline.hpp)
  caf::actor_system sys{acfg};
  auto client = std::make_shared<http_client>();
  auto http = spawn_http_client_actor(sys, client);
  aopts.site = *site;
  aopts.version = O2HUB_VERSION;
  aopts.instance = random_instance();
  auto connector = node_connector(sys, cfg);
  aopts.connector = connector;
  aopts.hub_interface = hub_interface(sys);
  aopts.http = http;
  aopts.request_timeout_ms = cfg.pipeline.request_timeout_ms;
  aopts.prober.site = site->name;
  aopts.prober.checks = checks_for(*site, cfg.probing);
  aopts.prober.interval =
      std::chrono::seconds(site->scrape_interval_s.value_or(cfg.probing.interval_s));
  aopts.prober.failures_before_unreachable = cfg.probing.failures_before_unreachable;
  log::info("edge agent starting", {{"site", site->name},
                                    {"hub", opts.hub},
                                    {"instance", aopts.instance},
                                    {"tls", cfg.nodes.tls.enabled() ? "yes" : "no"}});
  auto agent = sys.spawn(edge_agent, std::move(aopts));
  int sig = 0;
  sigwait(&sigs, &sig);
  log::info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  cancel_node_probes(); // a connect to a silent hub must not hold up the stop
  // An agent keeps no data: its stop, CAF's middleman included, gets 5 s.
  deadline.arm(actor_system_teardown_limit, actor_system_teardown);
  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(http, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(connector, caf::exit_reason::user_shutdown);
  client->stop();
  return 0;
}

} // namespace o2hub
