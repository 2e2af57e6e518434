#include "app/serve.hpp"

#include "actors/hub_client.hpp"
#include "actors/sessions/bridge_session.hpp"
#include "actors/sessions/intent_session.hpp"
#include "actors/sessions/monitor_session.hpp"
#include "actors/status.hpp"
#include "app/actor_config.hpp"
#include "app/components.hpp"
#include "app/nodes.hpp"
#include "app/router.hpp"
#include "common/exit_deadline.hpp"
#include "common/log.hpp"
#include "io/ask.hpp"
#include "io/bridge_routes.hpp"
#include "io/connection_gate.hpp"
#include "io/http_client.hpp"
#include "io/intent_routes.hpp"
#include "io/lifecycle_routes.hpp"
#include "io/llm_backends.hpp"
#include "io/metrics.hpp"
#include "io/monitor_routes.hpp"
#include "io/node_connector.hpp"
#include "io/security.hpp"
#include "io/server.hpp"
#include "io/service_context.hpp"
#include "io/tls.hpp"
#include "io/tmf_routes.hpp"
#include "io/tmux.hpp"
#include "io/webhook_routes.hpp"
#include "protocol/error.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

namespace o2hub {

namespace net = boost::asio;

namespace {

bool is_loopback(const std::string& address) {
  if (address == "localhost")
    return true;
  boost::system::error_code ec;
  auto addr = net::ip::make_address(address, ec);
  return !ec && addr.is_loopback();
}

struct service_spec {
  const char* name;
  uint16_t port;
  bool enabled;
};

} // namespace

std::string refuse_reason(const run_options& opts, bool tokens_configured) {
  if (opts.bridge && !is_loopback(opts.cfg.bind) && !tokens_configured)
    return "the terminal bridge gives shell access: refusing to bind it to "
           + opts.cfg.bind
           + " without a token; set O2HUB_TOKEN (and optionally "
             "O2HUB_VIEWER_TOKEN) or bind to 127.0.0.1";
  return {};
}

int run_services(const run_options& opts) {
  const auto& cfg = opts.cfg;
  auto security =
      std::make_shared<const security_policy>(security_policy::from_env(cfg.security));
  if (auto why = refuse_reason(opts, security->tokens_configured()); !why.empty()) {
    log::error("refusing to start", {{"reason", why}});
    std::cerr << "o2hub: " << why << "\n";
    return 2;
  }
  for (const auto& w : cfg.warnings)
    log::warn("configuration", {{"detail", w}});
  auto webui =
      cfg.webui_dir.empty() ? std::string{O2HUB_SOURCE_WEBUI_DIR} : cfg.webui_dir;
  init_http_client(); // before any thread starts
  // Other nodes: this process is a hub (it runs the monitor and publishes
  // the agent hub) or an intent service that starts pipelines on a hub.
  bool hub_here = opts.monitor && cfg.nodes.port != 0;
  bool to_hub = opts.intent && !opts.monitor && !opts.hub.empty();
  std::string hub_host;
  uint16_t hub_port = 0;
  if (to_hub) {
    if (!parse_host_port(opts.hub, hub_host, hub_port)) {
      std::cerr << "o2hub: --hub must be HOST:PORT, got '" << opts.hub << "'\n";
      return 2;
    }
    if (!cfg.nodes.tls.enabled() && hub_host != "localhost" && !is_loopback(hub_host)) {
      std::cerr << "o2hub: the hub at " << opts.hub
                << " is not on loopback; connect with TLS (nodes.tls: cert, key, ca)\n";
      return 2;
    }
  }
  caf::actor_system_config acfg;
  configure_actor_system(acfg);
  if (hub_here || to_hub)
    enable_nodes(acfg, cfg);
  exit_deadline deadline; // goes after the actor system (common/exit_deadline.hpp)
  caf::actor_system sys{acfg};
  int exit_code = 0;
  {
    // Actors never own an Asio object (a WebSocket sink only links to its
    // connection), except the askers' callbacks of open requests: the
    // askers go first (their destructor waits), then the io_context, then
    // the actor system.
    net::io_context ioc{1};
    // http.threads > 1: one io_context per further thread, connections
    // dealt out over all of them in turn (no strands: each context has one
    // thread). Declared after `ioc`, so they go first.
    std::vector<std::unique_ptr<net::io_context>> more_contexts;
    int http_threads =
        cfg.http.threads > 0
            ? cfg.http.threads
            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 1; i < http_threads; ++i)
      more_contexts.push_back(std::make_unique<net::io_context>(1));
    // Requests from the HTTP handlers go through these (asks made after
    // they are gone fall back to one-shot actors).
    asker_pool askers{sys, sys.scheduler().num_workers()};
    std::vector<std::unique_ptr<server>> servers;
    server_options sopts;
    sopts.body_limit = cfg.http.body_limit;
    sopts.read_timeout_s = cfg.http.read_timeout_s;
    sopts.ws_frame_limit = cfg.http.ws_frame_limit;
    sopts.ws_queue_limit = cfg.http.ws_queue_limit;
    sopts.ws_queue_bytes = cfg.http.ws_queue_bytes;
    sopts.strands = false; // each io_context has one thread: handlers run in order
    if (!more_contexts.empty()) {
      sopts.connection_contexts.push_back(&ioc);
      for (auto& c : more_contexts)
        sopts.connection_contexts.push_back(c.get());
    }
    {
      auto fds = raise_fd_limit();
      auto total = cfg.http.max_connections ? cfg.http.max_connections
                                            : default_max_connections(fds);
      auto per_ip = cfg.http.max_connections_per_ip ? cfg.http.max_connections_per_ip
                                                    : std::max<size_t>(1, total / 4);
      // The default per-address cap spares this machine's own clients (the
      // benches, the console); a configured one applies to every address.
      sopts.gate = std::make_shared<connection_gate>(
          total, per_ip, cfg.http.max_connections_per_ip == 0);
      log::info("connection limits",
                {{"open_files", std::to_string(fds)},
                 {"max_connections", std::to_string(total)},
                 {"max_connections_per_ip", std::to_string(per_ip)}});
    }
    if (cfg.http.tls.enabled()) {
      std::string why;
      sopts.tls = make_server_tls(cfg.http.tls, why);
      if (!sopts.tls) {
        log::error("cannot start TLS", {{"reason", why}});
        std::cerr << "o2hub: " << why << "\n";
        return 2;
      }
    }
    running run;
    std::vector<std::string> site_names;
    for (const auto& s : cfg.sites)
      site_names.push_back(s.name);
    // The monitor first: the intent service's pipelines report to it.
    pipeline_manager_actor pipelines;
    for (auto spec : {service_spec{"monitor", cfg.monitor_port, opts.monitor},
                      service_spec{"intent", cfg.intent_port, opts.intent},
                      service_spec{"bridge", cfg.bridge_port, opts.bridge}}) {
      if (!spec.enabled)
        continue;
      service_context ctx;
      ctx.sys = &sys;
      ctx.cfg = &cfg;
      ctx.name = spec.name;
      ctx.health = std::make_shared<health_board>();
      ctx.status =
          run.own(sys.spawn(published_status, std::string{spec.name}, ctx.health));
      ctx.metrics = std::make_shared<http_metrics>(spec.name);
      ctx.webui = webui;
      std::shared_ptr<http::router> router;
      // Sessions are spawned hidden: one whose connection never reported its
      // close (the io_context stopped first) must not hold up the shutdown.
      if (spec.name == std::string_view{"intent"}) {
        pipeline_starter_actor starter = pipelines;
        if (to_hub) {
          hub_client_options hc;
          hc.host = hub_host;
          hc.port = hub_port;
          hc.connector = run.own(node_connector(sys, cfg));
          hc.hub_interface = hub_interface(sys);
          starter = run.own(sys.spawn(hub_client, std::move(hc)));
          log::info("pipelines run on the hub", {{"hub", opts.hub}});
        }
        ctx.intent_counters = std::make_shared<intent_board>();
        auto intent = spawn_intent(sys, cfg, starter, run, ctx.intent_counters);
        router = make_router(ctx, opts, security, false);
        intent_session_options so;
        so.intent = intent;
        so.sites = site_names;
        so.stage = cfg.llm.backend != "none" ? "llm_processing" : "rules";
        add_intent_routes(*router, ctx, intent,
                          [so](caf::actor_system& sys, const ws_sink_ptr& sink) {
                            return sys.spawn<caf::hidden>(intent_session, sink, so);
                          });
        add_webhook_routes(*router, ctx, pipelines);
        add_lifecycle_routes(*router, ctx, starter);
        if (starter) {
          auto tmf = spawn_tmf(sys, cfg, intent, starter, run);
          if (!tmf) {
            std::cerr << "o2hub: " << render(tmf.error()) << "\n";
            exit_code = 2;
            break;
          }
          add_tmf_routes(*router, ctx, *tmf);
        }
      } else if (spec.name == std::string_view{"monitor"}) {
        auto m = spawn_monitor(sys, cfg, run);
        if (!m) {
          std::cerr << "o2hub: " << render(m.error()) << "\n";
          exit_code = 2;
          break;
        }
        router = make_router(ctx, opts, security, true);
        add_monitor_routes(*router, ctx, m->monitor,
                           [](caf::actor_system& sys, const ws_sink_ptr& sink) {
                             return sys.spawn<caf::hidden>(monitor_session, sink);
                           });
        // The pipelines: in-process with the monitor and the intent service.
        if (opts.intent && cfg.pipeline.enabled) {
          auto p = spawn_pipelines(sys, cfg, *m, run);
          if (!p) {
            std::cerr << "o2hub: " << render(p.error()) << "\n";
            exit_code = 2;
            break;
          }
          pipelines = *p;
          *m->pipelines = pipelines;
        }
      } else {
        auto b = spawn_bridge(sys, cfg, ctx.status, run);
        router = make_router(ctx, opts, security, true);
        add_bridge_routes(*router, ctx,
                          [b](caf::actor_system& sys, const ws_sink_ptr& sink) {
                            return sys.spawn<caf::hidden>(bridge_session, sink, b);
                          });
      }
      if (spec.name != std::string_view{"bridge"})
        warn_undocumented(*router,
                          webui
                              + (spec.name == std::string_view{"intent"}
                                     ? "/openapi.json"
                                     : "/monitor-openapi.json"),
                          spec.name);
      sopts.name = spec.name;
      auto srv = std::make_unique<server>(ioc, router, sopts);
      if (auto err = srv->listen(cfg.bind, spec.port); !err.empty()) {
        log::error("cannot start service", {{"service", spec.name}, {"reason", err}});
        std::cerr << "o2hub: " << spec.name << " service: " << err << "\n";
        exit_code = 1;
        break;
      }
      log::info("service listening",
                {{"service", spec.name},
                 {"url", std::string{service_scheme(cfg)} + "://" + cfg.bind + ":"
                             + std::to_string(srv->port())}});
      servers.push_back(std::move(srv));
    }
    net::steady_timer grace{ioc};
    net::signal_set signals{ioc, SIGINT, SIGTERM};
    auto stop_all = [&] {
      for (auto& s : servers)
        s->shutdown();
      for (auto& a : run.actors)
        caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
      cancel_llm_calls();   // blocked LLM workers must not delay the exit
      cancel_node_probes(); // nor a connect to a silent hub
      if (run.http)
        run.http->stop();
      if (run.tmux)
        run.tmux->stop(); // detaches; the session keeps running
      // Let close frames and last responses go out, then stop.
      grace.expires_after(std::chrono::milliseconds(500));
      grace.async_wait([&ioc, &more_contexts](boost::system::error_code) {
        for (auto& c : more_contexts)
          c->stop();
        ioc.stop();
      });
    };
    if (exit_code == 0 && hub_here && run.hub) {
      // The services work without other nodes: a port in use is reported,
      // not fatal.
      if (auto why = publish_hub(sys, cfg, run.hub); !why.empty()) {
        log::error("cannot publish the hub for other nodes; agents and intent "
                   "services on other nodes cannot connect",
                   {{"address", cfg.nodes.bind + ":" + std::to_string(cfg.nodes.port)},
                    {"reason", why}});
        std::cerr << "o2hub: nodes endpoint " << cfg.nodes.bind << ":" << cfg.nodes.port
                  << ": " << why << "\n";
      }
    }
    if (exit_code != 0) {
      stop_all();
    } else {
      for (auto& p : run.probers)
        caf::anon_send(p, atom::tick_v);
      if (run.hub)
        caf::anon_send(run.hub, atom::tick_v);
      if (run.tmux)
        run.tmux->start();
      signals.async_wait([&](boost::system::error_code ec, int sig) {
        if (ec)
          return;
        log::info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
        stop_all();
      });
    }
    std::vector<std::thread> threads;
    std::vector<net::executor_work_guard<net::io_context::executor_type>> busy;
    for (auto& c : more_contexts) {
      busy.push_back(net::make_work_guard(*c));
      threads.emplace_back([c = c.get()] { c->run(); });
    }
    ioc.run();
    for (auto& c : more_contexts)
      c->stop();
    for (auto& t : threads)
      t.join();
    servers.clear();
    // An actor that stops drops the replies it still owed; a direct reply
    // (the intent route's) then answers its connection, which needs the
    // io_context: wait for the services' actors before it goes.
    await_down(sys, run.actors, std::chrono::seconds(5));
  }
  sys.await_all_actors_done();
  // Every actor of o2hub's is done, its data saved; CAF's own teardown (the
  // middleman: a connect to the hub may be in progress) gets 5 s.
  deadline.arm(actor_system_teardown_limit, actor_system_teardown, exit_code);
  if (exit_code == 0)
    log::info("stopped");
  return exit_code;
}

} // namespace o2hub
