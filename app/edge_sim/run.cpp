// `o2hub edge-sim`: starts every simulated site and the config sync, runs
// until SIGINT/SIGTERM.
#include "app/edge_sim.hpp"
#include "app/edge_sim/model.hpp"
#include "common/log.hpp"

#include <boost/asio/signal_set.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <thread>

namespace o2hub {

namespace edge_sim {

std::string start_site_servers(sim& S, sim_site& s) {
  server_options so;
  so.name = "edge-sim-" + s.name;
  auto add = [&](std::shared_ptr<http::router> r, uint16_t port) -> std::string {
    auto srv = std::make_unique<server>(*S.ioc, std::move(r), so);
    if (auto err = srv->listen(s.cfg->ip, port); !err.empty())
      return s.name + ": " + err;
    s.servers.push_back(std::move(srv));
    return {};
  };
  if (auto e = add(o2ims_router(S, s.name), s.cfg->o2ims_port); !e.empty())
    return e;
  if (auto e = add(prometheus_router(S, s.name), s.cfg->prometheus_port); !e.empty())
    return e;
  return add(k8s_router(S, s.name), s.cfg->k8s_api_port);
}

} // namespace edge_sim

using namespace edge_sim;

int run_edge_sim(const config& cfg, const edge_sim_options& opts) {
  net::io_context ioc{1};
  sim S;
  S.cfg = &cfg;
  S.ioc = &ioc;
  S.delay = std::chrono::milliseconds(cfg.edge_sim.provisioning_delay_ms);
  S.security =
      std::make_shared<const security_policy>(security_policy::from_env(cfg.security));
  for (const auto& site : cfg.sites) {
    if (!opts.sites.empty() && !opts.sites.count(site.name))
      continue;
    auto& s = S.sites[site.name];
    s.name = site.name;
    s.cfg = &site;
    s.f.fail_provisioning = opts.fail_provisioning.count(site.name) > 0;
    s.f.degrade_slo = opts.degrade_slo.count(site.name) > 0;
  }
  if (S.sites.empty()) {
    std::cerr << "o2hub edge-sim: no site to simulate\n";
    return 2;
  }
  for (auto& [name, s] : S.sites)
    if (auto err = start_site_servers(S, s); !err.empty()) {
      std::cerr << "o2hub edge-sim: " << err << "\n";
      return 1;
    }
  if (opts.control_port != 0) {
    server_options so;
    so.name = "edge-sim-control";
    auto srv = std::make_unique<server>(ioc, control_router(S), so);
    if (auto err = srv->listen(cfg.bind, opts.control_port); !err.empty()) {
      std::cerr << "o2hub edge-sim: control endpoint: " << err << "\n";
      return 1;
    }
    S.control.push_back(std::move(srv));
  }
  std::string names;
  for (auto& [name, s] : S.sites)
    names += (names.empty() ? "" : ",") + name;
  log::info("edge-sim running",
            {{"sites", names},
             {"control_port", std::to_string(opts.control_port)},
             {"gitops", gitops_url(cfg, gitops_repo(cfg, S.sites.begin()->first))}});
  // Config sync on a thread of its own (libgit2 blocks).
  std::mutex stop_mtx;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::thread sync([&] {
    auto mirrors = cfg.data_dir + "/edge-sim";
    for (;;) {
      sync_once(S, mirrors);
      std::unique_lock<std::mutex> lock{stop_mtx};
      if (stop_cv.wait_for(lock, std::chrono::milliseconds(cfg.edge_sim.sync_interval_ms),
                           [&] { return stopping; }))
        return;
    }
  });
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&](boost::system::error_code, int) {
    std::lock_guard<std::mutex> guard{S.mtx};
    for (auto& [name, s] : S.sites) {
      for (auto& srv : s.servers)
        srv->shutdown();
      s.hung.clear();
    }
    for (auto& srv : S.control)
      srv->shutdown();
    ioc.stop();
  });
  ioc.run();
  {
    std::lock_guard<std::mutex> guard{stop_mtx};
    stopping = true;
  }
  stop_cv.notify_all();
  sync.join();
  {
    std::lock_guard<std::mutex> guard{S.mtx};
    for (auto& [name, s] : S.sites)
      s.servers.clear();
    S.control.clear();
  }
  log::info("edge-sim stopped");
  return 0;
}

} // namespace o2hub
