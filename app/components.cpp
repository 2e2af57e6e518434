#include "app/components.hpp"

#include "actors/agent_hub.hpp"
#include "actors/bridge.hpp"
#include "actors/edge_prober.hpp"
#include "actors/intent.hpp"
#include "actors/monitor/monitor.hpp"
#include "actors/pipeline/manager.hpp"
#include "actors/tmf/tmf_intents.hpp"
#include "app/bridge_command.hpp"
#include "common/log.hpp"
#include "io/git.hpp"
#include "io/gitops.hpp"
#include "io/http_client.hpp"
#include "io/http_client_actor.hpp"
#include "io/llm_backends.hpp"
#include "io/node_identity.hpp"
#include "io/record_store.hpp"
#include "io/records_actor.hpp"
#include "io/store.hpp"
#include "io/tls.hpp"
#include "io/tmux.hpp"
#include "io/tmux_actor.hpp"
#include "protocol/error.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>

namespace o2hub {

void await_down(caf::actor_system& sys, const std::vector<caf::actor>& actors,
                std::chrono::milliseconds timeout) {
  caf::scoped_actor self{sys};
  for (const auto& a : actors)
    self->monitor(a);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (size_t left = actors.size(); left > 0; --left) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline)
      return;
    bool timed_out = false;
    self->receive(
        [](const caf::down_msg&) {},
        caf::after(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now))
            >> [&] { timed_out = true; });
    if (timed_out)
      return;
  }
}

std::string local_url(const config& cfg, uint16_t port) {
  auto host =
      cfg.bind == "0.0.0.0" || cfg.bind == "::" ? std::string{"127.0.0.1"} : cfg.bind;
  return std::string{service_scheme(cfg)} + "://" + host + ":" + std::to_string(port);
}

prober_options site_prober(const config& cfg, const edge_site& site) {
  prober_options popts;
  popts.site = site.name;
  popts.checks = checks_for(site, cfg.probing);
  popts.interval =
      std::chrono::seconds(site.scrape_interval_s.value_or(cfg.probing.interval_s));
  popts.failures_before_unreachable = cfg.probing.failures_before_unreachable;
  return popts;
}

caf::expected<monitor_parts> spawn_monitor(caf::actor_system& sys, const config& cfg,
                                           running& r) {
  monitor_options mopts;
  for (const auto& s : cfg.sites)
    mopts.sites.push_back(s.name);
  mopts.stale_after = std::chrono::seconds(cfg.monitor_stale_after_s);
  // The services list: what the probers below check.
  std::vector<std::pair<std::string, std::string>> service_checks{
      {"intent", local_url(cfg, cfg.intent_port) + "/health"},
      {"bridge", local_url(cfg, cfg.bridge_port) + "/health"}};
  if (cfg.gitops.remote.rfind("http", 0) == 0)
    service_checks.emplace_back("gitops", cfg.gitops.remote);
  for (const auto& [name, url] : service_checks)
    mopts.services[name] = url;
  std::error_code fs_err;
  std::filesystem::create_directories(cfg.data_dir, fs_err);
  monitor_parts out;
  out.db = cfg.data_dir + "/o2hub.db";
  auto store = open_sqlite_store(out.db, mopts.restored);
  if (!store)
    return store.error();
  // SQLite blocks only the store actor's own thread.
  mopts.store = r.own(spawn_monitor_store(sys, std::move(*store)));
  log::info("monitor state restored",
            {{"database", out.db},
             {"pipelines", std::to_string(mopts.restored.pipelines.size())}});
  out.monitor = r.own(sys.spawn(monitor, std::move(mopts)));
  // One prober per edge site and service, all on one non-blocking client.
  r.http = std::make_shared<http_client>();
  out.http = r.own(spawn_http_client_actor(sys, r.http));
  auto start_prober = [&](prober_options popts) {
    popts.sink = out.monitor;
    popts.http = out.http;
    r.probers.push_back(r.own(sys.spawn(edge_prober, std::move(popts))));
  };
  // Edge sites: probed by the agent hub's probers, or by their agents.
  agent_hub_options hopts;
  hopts.cfg = std::make_shared<const config>(cfg);
  hopts.http = out.http;
  hopts.monitor = out.monitor;
  for (const auto& site : cfg.sites)
    hopts.probers.push_back(site_prober(cfg, site));
  out.pipelines = std::make_shared<pipeline_starter_actor>();
  hopts.pipelines = out.pipelines;
  hopts.heartbeat_s = static_cast<uint32_t>(cfg.nodes.heartbeat_s);
  if (cfg.nodes.tls.enabled()) {
    hopts.verify =
        [ca = cfg.nodes.tls.ca](const std::string& cert, const std::string& site,
                                const std::string& nonce, const std::string& signature) {
          return verify_agent_proof(ca, cert, site, nonce, signature);
        };
  }
  out.hub = r.own(sys.spawn(agent_hub, std::move(hopts)));
  r.hub = out.hub;
  for (auto& [name, url] : service_checks) {
    prober_options popts;
    popts.site = name;
    popts.service = true;
    fetch_request fr;
    fr.url = url;
    fr.timeout_ms = cfg.probing.timeout_ms;
    fr.ca_file = service_ca_file(cfg); // o2hub's own services under TLS
    popts.checks = {{"http", fr}};
    popts.interval = std::chrono::seconds(cfg.probing.interval_s);
    popts.failures_before_unreachable = cfg.probing.failures_before_unreachable;
    start_prober(std::move(popts));
  }
  return out;
}

caf::expected<pipeline_manager_actor> spawn_pipelines(caf::actor_system& sys,
                                                      const config& cfg,
                                                      const monitor_parts& m,
                                                      running& r) {
  auto shared_cfg = std::make_shared<const config>(cfg);
  std::set<std::string> repos;
  for (const auto& site : cfg.sites)
    repos.insert(gitops_repo(cfg, site.name));
  if (cfg.gitops.remote.empty())
    for (const auto& repo : repos)
      if (auto err = git_ensure_bare(gitops_url(cfg, repo)); !err.empty())
        log::error("cannot create the local GitOps remote",
                   {{"repo", repo}, {"error", err}});
  auto outbox = std::make_shared<record_store>(m.db, "git_outbox");
  if (!outbox->error().empty())
    return caf::make_error(ec::filesystem_error, outbox->error());
  auto runs = spawn_records_actor(sys, m.db, "pipeline_runs");
  if (!runs)
    return runs.error();
  gitops_options gopts;
  gopts.work_dir = cfg.data_dir + "/gitops-work";
  gopts.url_of = [shared_cfg](const std::string& repo) {
    return gitops_url(*shared_cfg, repo);
  };
  gopts.branch = cfg.gitops.branch;
  if (auto t = std::getenv("O2HUB_GITOPS_TOKEN"))
    gopts.token = t;
  gopts.outbox = outbox;
  gopts.retry_max = std::chrono::seconds(cfg.gitops.retry_max_s);
  pipeline_env env;
  env.cfg = shared_cfg;
  env.monitor = m.monitor;
  env.git = r.own(sys.spawn<caf::detached>(gitops, std::move(gopts)));
  env.runs = r.own(*runs);
  env.edges = m.hub;
  env.monitor_url = local_url(cfg, cfg.monitor_port);
  auto pipelines = r.own(sys.spawn(pipeline_manager, std::move(env)));
  log::info("pipelines enabled",
            {{"gitops", gitops_url(cfg, *repos.begin())}, {"layout", cfg.gitops.layout}});
  return pipelines;
}

namespace {

/// The sites and limits an intent is checked against.
intent_options intent_checks(const config& cfg) {
  intent_options iopts;
  for (const auto& s : cfg.sites)
    iopts.sites.push_back(s.name);
  iopts.limits.min_latency_ms = cfg.limits.min_latency_ms;
  iopts.limits.max_reliability_pct = cfg.limits.max_reliability_pct;
  iopts.limits.max_devices = cfg.limits.max_devices;
  iopts.limits.default_capacity_mbps = cfg.limits.capacity_mbps;
  for (const auto& s : cfg.sites)
    if (s.capacity_mbps > 0)
      iopts.limits.capacity_mbps[s.name] = s.capacity_mbps;
  return iopts;
}

} // namespace

intent_actor spawn_intent(caf::actor_system& sys, const config& cfg,
                          pipeline_starter_actor pipelines, running& r,
                          std::shared_ptr<intent_board> board) {
  auto iopts = intent_checks(cfg);
  iopts.cache_size = cfg.llm.cache_size;
  iopts.cache_ttl_s = cfg.llm.cache_ttl_s;
  iopts.llm_timeout_s = cfg.llm.timeout_s;
  iopts.llm_concurrency = cfg.llm.concurrency;
  if (cfg.llm.backend == "cli") {
    iopts.llm = make_cli_llm(cfg.llm.cli_argv, std::chrono::seconds(cfg.llm.timeout_s));
  } else if (cfg.llm.backend == "http") {
    auto key = std::getenv("O2HUB_LLM_API_KEY");
    iopts.llm = make_http_llm(cfg.llm.endpoint, cfg.llm.model, key ? key : "",
                              std::chrono::seconds(cfg.llm.timeout_s));
  }
  if (iopts.llm)
    log::info("LLM enabled", {{"backend", cfg.llm.backend}});
  iopts.pipelines = std::move(pipelines);
  iopts.board = std::move(board);
  return r.own(sys.spawn(intent_service, std::move(iopts)));
}

caf::expected<tmf_actor> spawn_tmf(caf::actor_system& sys, const config& cfg,
                                   intent_actor intent, pipeline_starter_actor pipelines,
                                   running& r) {
  std::error_code fs_err;
  std::filesystem::create_directories(cfg.data_dir, fs_err);
  auto db = cfg.data_dir + "/o2hub.db";
  tmf_options topts;
  for (auto [table, slot] : {std::pair{"tmf_intents", &topts.intents_table},
                             std::pair{"tmf_reports", &topts.reports_table},
                             std::pair{"tmf_hub", &topts.hub_table}}) {
    auto t = spawn_records_actor(sys, db, table);
    if (!t)
      return t.error();
    *slot = r.own(*t);
  }
  if (!r.http)
    r.http = std::make_shared<http_client>();
  topts.http = r.own(spawn_http_client_actor(sys, r.http));
  topts.intent = std::move(intent);
  topts.pipelines = std::move(pipelines);
  topts.checks = intent_checks(cfg);
  topts.poll = std::chrono::milliseconds(cfg.tmf.poll_ms);
  topts.queue_limit = cfg.tmf.queue_limit;
  topts.max_failures = cfg.tmf.max_failures;
  topts.delivery_timeout_ms = cfg.tmf.delivery_timeout_ms;
  return r.own(sys.spawn(tmf_intents, std::move(topts)));
}

bridge_actor spawn_bridge(caf::actor_system& sys, const config& cfg, status_actor status,
                          running& r) {
  // tmux reports to the bridge, which needs the tmux actor first: the
  // callbacks find the bridge through a slot filled below.
  auto slot = std::make_shared<bridge_actor>();
  tmux_callbacks cbs;
  cbs.on_link = [slot](bool up) { caf::anon_send(*slot, atom::link_v, up); };
  cbs.on_output = [slot](std::string pane, std::string bytes) {
    caf::anon_send(*slot, atom::output_v, std::move(pane), std::move(bytes));
  };
  cbs.on_reply = [slot](uint64_t tag, bool ok, std::string body) {
    caf::anon_send(*slot, atom::reply_v, tag, ok, std::move(body));
  };
  cbs.on_notification = [slot](std::string name, std::string text) {
    caf::anon_send(*slot, atom::notify_v, std::move(name), std::move(text));
  };
  // The console in the pane (maybe left running by an earlier o2hub) reads
  // the current operator token from a private file, never its command line.
  {
    const char* t = std::getenv("O2HUB_TOKEN");
    if (!write_console_token(cfg, t ? t : ""))
      log::warn("the console's token file could not be written; the console may "
                "be refused",
                {{"path", console_token_file(cfg)}});
  }
  auto topts = bridge_tmux_options(cfg);
  auto backlog = std::make_shared<std::atomic<int>>(0);
  topts.backlog = backlog;
  r.tmux = std::make_shared<tmux_link>(std::move(topts), std::move(cbs));
  bridge_options bopts;
  bopts.session = cfg.tmux_session;
  bopts.max_viewers = cfg.bridge_max_viewers;
  bopts.event_patterns = cfg.bridge_events;
  bopts.status = std::move(status);
  bopts.backlog = backlog;
  bopts.tmux = r.own(spawn_tmux_actor(sys, r.tmux));
  *slot = r.own(sys.spawn(bridge, std::move(bopts)));
  return *slot;
}

} // namespace o2hub
