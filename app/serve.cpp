#include "app/serve.hpp"

#include "actors/bridge.hpp"
#include "actors/edge_prober.hpp"
#include "actors/intent.hpp"
#include "actors/monitor/monitor.hpp"
#include "actors/pipeline/manager.hpp"
#include "actors/sessions/bridge_session.hpp"
#include "actors/sessions/intent_session.hpp"
#include "actors/sessions/monitor_session.hpp"
#include "actors/status.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "io/ask.hpp"
#include "io/bridge_routes.hpp"
#include "io/git.hpp"
#include "io/gitops.hpp"
#include "io/http.hpp"
#include "io/http_client.hpp"
#include "io/http_client_actor.hpp"
#include "io/intent_routes.hpp"
#include "io/llm_backends.hpp"
#include "io/monitor_routes.hpp"
#include "io/record_store.hpp"
#include "io/records_actor.hpp"
#include "io/security.hpp"
#include "io/server.hpp"
#include "io/service_context.hpp"
#include "io/static_files.hpp"
#include "io/store.hpp"
#include "io/tmux.hpp"
#include "io/tmux_actor.hpp"
#include "io/webhook_routes.hpp"
#include "protocol/error.hpp"
#include "protocol/register.hpp"
#include "protocol/wire.hpp"
#include "protocol/ws_common.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <thread>
#include <unistd.h>

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

std::string services_json(const run_options& opts) {
  json::writer w;
  w.begin_object().key("services").begin_array();
  auto add = [&](const char* name, uint16_t port, bool on, const char* ui) {
    w.begin_object()
        .kv("name", name)
        .kv("port", port)
        .kv("enabled", on)
        .kv("ui", ui)
        .end_object();
  };
  add("intent", opts.cfg.intent_port, opts.intent, "/docs");
  add("monitor", opts.cfg.monitor_port, opts.monitor, "/");
  add("bridge", opts.cfg.bridge_port, opts.bridge, "/");
  w.end_array().end_object();
  return w.take();
}

/// The routes every service has; `with_health` false when the service
/// brings its own /health.
std::shared_ptr<http::router> make_router(const service_context& ctx,
                                          const run_options& opts,
                                          std::shared_ptr<const security_policy> security,
                                          bool with_health) {
  using http::verb;
  auto r = std::make_shared<http::router>(std::move(security));
  r->on_response(
      [metrics = ctx.metrics](const std::string& route, unsigned code, double seconds) {
        metrics->record(route, code, seconds);
      });
  if (with_health) {
    r->add(verb::get, "/health",
           [&sys = *ctx.sys, status = ctx.status,
            metrics = ctx.metrics](const http::request& req, const http::request_context&,
                                   http::responder respond) {
             auto proto = http::reply_prototype(req);
             ask(
                 sys, status, std::chrono::seconds(2),
                 [proto, respond, metrics](health_report report) {
                   report.requests_total = metrics->total();
                   respond(http::make_json(*proto, http::status::ok,
                                           wire::health_json(report)));
                 },
                 [proto, respond](const caf::error& err) {
                   respond(http::make_error(*proto, http::status::service_unavailable,
                                            "unavailable", render(err)));
                 },
                 atom::health_v);
           });
    if (ctx.name != "monitor") // the monitor adds its own metrics
      r->add(
          verb::get, "/metrics",
          [metrics = ctx.metrics](const http::request& req, const http::request_context&,
                                  http::responder respond) {
            respond(http::make_body(req, http::status::ok, metrics->render(),
                                    "text/plain; version=0.0.4"));
          },
          http::access::viewer);
  }
  auto services = services_json(opts);
  r->add(verb::get, "/api/v1/services",
         [services](const http::request& req, const http::request_context&,
                    http::responder respond) {
           respond(http::make_json(req, http::status::ok, services));
         });
  // Every service has the landing page.
  r->add(verb::get, "/home", static_file(ctx.webui + "/index.html"));
  // The monitor's / is its dashboard, the bridge's its terminal page.
  auto root_page = ctx.name == "monitor"  ? "/dashboard.html"
                   : ctx.name == "bridge" ? "/terminal.html"
                                          : "/index.html";
  r->add(verb::get, "/", static_file(ctx.webui + root_page));
  r->add_prefix(verb::get, "/static/", static_files(ctx.webui));
  r->add_prefix(verb::get, "/vendor/", vendor_files(ctx.webui + "/node_modules"));
  return r;
}

/// What the bridge's tmux session runs: the configured command, else the
/// LLM CLI when that is the configured backend, else `o2hub console`
/// talking to this process's intent service and monitor.
tmux_options bridge_tmux_options(const config& cfg) {
  tmux_options t;
  t.socket = cfg.tmux_socket;
  t.session = cfg.tmux_session;
  t.cols = cfg.bridge_cols;
  t.rows = cfg.bridge_rows;
  t.command = cfg.bridge_command;
  if (t.command.empty() && cfg.llm.backend == "cli" && !cfg.llm.cli_argv.empty()) {
    // Only a CLI that exists: a pane whose program cannot start would end
    // the session at once, again and again.
    auto cli = cfg.llm.cli_argv.front();
    bool found =
        cli.find('/') != std::string::npos ? ::access(cli.c_str(), X_OK) == 0 : false;
    if (cli.find('/') == std::string::npos) {
      const char* path = std::getenv("PATH");
      std::string dirs = path ? path : "/usr/bin:/bin";
      size_t pos = 0;
      while (!found && pos <= dirs.size()) {
        auto end = dirs.find(':', pos);
        auto dir =
            dirs.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        found = !dir.empty() && ::access((dir + "/" + cli).c_str(), X_OK) == 0;
        if (end == std::string::npos)
          break;
        pos = end + 1;
      }
    }
    if (found)
      t.command = {cli};
    else
      log::warn("the LLM CLI is not installed; the terminal runs o2hub console",
                {{"program", cli}});
  }
  if (t.command.empty()) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    auto local =
        cfg.bind == "0.0.0.0" || cfg.bind == "::" ? std::string{"127.0.0.1"} : cfg.bind;
    t.command = {ec ? std::string{"o2hub"} : self.string(),
                 "console",
                 "--intent-url",
                 "http://" + local + ":" + std::to_string(cfg.intent_port),
                 "--monitor-url",
                 "http://" + local + ":" + std::to_string(cfg.monitor_port)};
  }
  return t;
}

} // namespace

std::string merge_json_objects(std::string_view a, std::string_view b) {
  auto inner = [](std::string_view x) {
    return x.size() > 2 ? x.substr(1, x.size() - 2) : std::string_view{};
  };
  auto ia = inner(a);
  auto ib = inner(b);
  std::string out = "{";
  out += ia;
  if (!ia.empty() && !ib.empty())
    out += ',';
  out += ib;
  out += '}';
  return out;
}

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
  caf::actor_system_config acfg;
  register_types(acfg);
  caf::actor_system sys{acfg};
  int exit_code = 0;
  {
    net::io_context ioc{cfg.http.threads};
    std::vector<std::unique_ptr<server>> servers;
    std::vector<status_actor> actors;
    server_options sopts;
    sopts.body_limit = cfg.http.body_limit;
    sopts.read_timeout_s = cfg.http.read_timeout_s;
    sopts.ws_frame_limit = cfg.http.ws_frame_limit;
    sopts.ws_queue_limit = cfg.http.ws_queue_limit;
    sopts.ws_queue_bytes = cfg.http.ws_queue_bytes;
    std::vector<caf::actor> others; // service actors besides the status ones
    std::shared_ptr<http_client> probe_client;
    std::vector<prober_actor> probers; // first tick once every service listens
    std::shared_ptr<tmux_link> tmux;   // the bridge's control connection
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
      ctx.status = sys.spawn(status, std::string{spec.name});
      ctx.metrics = std::make_shared<http_metrics>(spec.name);
      ctx.webui = webui;
      actors.push_back(ctx.status);
      std::shared_ptr<http::router> router;
      if (spec.name == std::string_view{"intent"}) {
        intent_options iopts;
        iopts.sites = site_names;
        iopts.cache_size = cfg.llm.cache_size;
        iopts.cache_ttl_s = cfg.llm.cache_ttl_s;
        iopts.llm_timeout_s = cfg.llm.timeout_s;
        iopts.llm_concurrency = cfg.llm.concurrency;
        if (cfg.llm.backend == "cli") {
          iopts.llm =
              make_cli_llm(cfg.llm.cli_argv, std::chrono::seconds(cfg.llm.timeout_s));
        } else if (cfg.llm.backend == "http") {
          auto key = std::getenv("O2HUB_LLM_API_KEY");
          iopts.llm = make_http_llm(cfg.llm.endpoint, cfg.llm.model, key ? key : "",
                                    std::chrono::seconds(cfg.llm.timeout_s));
        }
        if (iopts.llm)
          log::info("LLM enabled", {{"backend", cfg.llm.backend}});
        iopts.pipelines = pipelines;
        auto intent = sys.spawn(intent_service, std::move(iopts));
        others.push_back(caf::actor_cast<caf::actor>(intent));
        router = make_router(ctx, opts, security, false);
        intent_session_options sopts;
        sopts.intent = intent;
        sopts.sites = site_names;
        sopts.stage = cfg.llm.backend != "none" ? "llm_processing" : "rules";
        add_intent_routes(*router, ctx, intent,
                          [sopts](caf::actor_system& sys, const ws_sink_ptr& sink) {
                            // Hidden: a session whose connection never reported its close
                            // (the io_context stopped first) must not hold up the
                            // shutdown.
                            return sys.spawn<caf::hidden>(intent_session, sink, sopts);
                          });
        add_webhook_routes(*router, ctx, pipelines);
      } else if (spec.name == std::string_view{"monitor"}) {
        monitor_options mopts;
        mopts.sites = site_names;
        // The services list: what the probers below check.
        auto local = cfg.bind == "0.0.0.0" || cfg.bind == "::" ? std::string{"127.0.0.1"}
                                                               : cfg.bind;
        std::vector<std::pair<std::string, std::string>> service_checks{
            {"intent",
             "http://" + local + ":" + std::to_string(cfg.intent_port) + "/health"},
            {"bridge",
             "http://" + local + ":" + std::to_string(cfg.bridge_port) + "/health"}};
        if (cfg.gitops.remote.rfind("http", 0) == 0)
          service_checks.emplace_back("gitops", cfg.gitops.remote);
        for (const auto& [name, url] : service_checks)
          mopts.services[name] = url;
        std::error_code fs_err;
        std::filesystem::create_directories(cfg.data_dir, fs_err);
        auto db = cfg.data_dir + "/o2hub.db";
        auto store = open_sqlite_store(db, mopts.restored);
        if (!store) {
          std::cerr << "o2hub: " << render(store.error()) << "\n";
          exit_code = 2;
          break;
        }
        mopts.store = spawn_monitor_store(sys, std::move(*store));
        others.push_back(caf::actor_cast<caf::actor>(mopts.store));
        log::info("monitor state restored",
                  {{"database", db},
                   {"pipelines", std::to_string(mopts.restored.pipelines.size())}});
        // SQLite blocks only the store actor's own thread.
        auto mon = sys.spawn(monitor, std::move(mopts));
        others.push_back(caf::actor_cast<caf::actor>(mon));
        // One prober per edge site, all on one non-blocking HTTP client.
        probe_client = std::make_shared<http_client>();
        auto http = spawn_http_client_actor(sys, probe_client);
        others.push_back(caf::actor_cast<caf::actor>(http));
        auto start_prober = [&](prober_options popts) {
          popts.monitor = mon;
          popts.http = http;
          auto prober = sys.spawn(edge_prober, std::move(popts));
          probers.push_back(prober);
          others.push_back(caf::actor_cast<caf::actor>(prober));
        };
        for (const auto& site : cfg.sites) {
          prober_options popts;
          popts.site = site.name;
          popts.checks = checks_for(site, cfg.probing);
          popts.interval = std::chrono::seconds(
              site.scrape_interval_s.value_or(cfg.probing.interval_s));
          popts.failures_before_unreachable = cfg.probing.failures_before_unreachable;
          start_prober(std::move(popts));
        }
        // The services: the same mechanism, one check each.
        for (auto& [name, url] : service_checks) {
          prober_options popts;
          popts.site = name;
          popts.service = true;
          fetch_request fr;
          fr.url = url;
          fr.timeout_ms = cfg.probing.timeout_ms;
          popts.checks = {{"http", fr}};
          popts.interval = std::chrono::seconds(cfg.probing.interval_s);
          popts.failures_before_unreachable = cfg.probing.failures_before_unreachable;
          start_prober(std::move(popts));
        }
        router = make_router(ctx, opts, security, true);
        add_monitor_routes(*router, ctx, mon,
                           [mon](caf::actor_system& sys, const ws_sink_ptr& sink) {
                             return sys.spawn<caf::hidden>(monitor_session, sink, mon);
                           });
        // The pipelines: in-process with the monitor and the intent service.
        if (opts.intent && cfg.pipeline.enabled) {
          auto shared_cfg = std::make_shared<const config>(cfg);
          std::set<std::string> repos;
          for (const auto& site : cfg.sites)
            repos.insert(gitops_repo(cfg, site.name));
          if (cfg.gitops.remote.empty())
            for (const auto& repo : repos)
              if (auto err = git_ensure_bare(gitops_url(cfg, repo)); !err.empty())
                log::error("cannot create the local GitOps remote",
                           {{"repo", repo}, {"error", err}});
          auto outbox = std::make_shared<record_store>(db, "git_outbox");
          auto runs = spawn_records_actor(sys, db, "pipeline_runs");
          if (!outbox->error().empty() || !runs) {
            std::cerr << "o2hub: " << (runs ? outbox->error() : render(runs.error()))
                      << "\n";
            exit_code = 2;
            if (runs)
              caf::anon_send_exit(*runs, caf::exit_reason::user_shutdown);
            break;
          }
          others.push_back(caf::actor_cast<caf::actor>(*runs));
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
          auto git = sys.spawn<caf::detached>(gitops, std::move(gopts));
          others.push_back(caf::actor_cast<caf::actor>(git));
          pipeline_env env;
          env.cfg = shared_cfg;
          env.monitor = mon;
          env.git = git;
          env.runs = *runs;
          env.http = http;
          env.monitor_url = "http://" + local + ":" + std::to_string(cfg.monitor_port);
          pipelines = sys.spawn(pipeline_manager, std::move(env));
          others.push_back(caf::actor_cast<caf::actor>(pipelines));
          log::info("pipelines enabled", {{"gitops", gitops_url(cfg, *repos.begin())},
                                          {"layout", cfg.gitops.layout}});
        }
      } else {
        router = make_router(ctx, opts, security, true);
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
        auto topts = bridge_tmux_options(cfg);
        auto backlog = std::make_shared<std::atomic<int>>(0);
        topts.backlog = backlog;
        tmux = std::make_shared<tmux_link>(std::move(topts), std::move(cbs));
        bridge_options bopts;
        bopts.session = cfg.tmux_session;
        bopts.max_viewers = cfg.bridge_max_viewers;
        bopts.event_patterns = cfg.bridge_events;
        bopts.status = ctx.status;
        bopts.backlog = backlog;
        bopts.tmux = spawn_tmux_actor(sys, tmux);
        others.push_back(caf::actor_cast<caf::actor>(bopts.tmux));
        *slot = sys.spawn(bridge, std::move(bopts));
        others.push_back(caf::actor_cast<caf::actor>(*slot));
        add_bridge_routes(*router, ctx,
                          [b = *slot](caf::actor_system& sys, const ws_sink_ptr& sink) {
                            return sys.spawn<caf::hidden>(bridge_session, sink, b);
                          });
      }
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
                 {"url", "http://" + cfg.bind + ":" + std::to_string(srv->port())}});
      servers.push_back(std::move(srv));
    }
    net::steady_timer grace{ioc};
    net::signal_set signals{ioc, SIGINT, SIGTERM};
    auto stop_all = [&] {
      for (auto& s : servers)
        s->shutdown();
      for (auto& a : actors)
        caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
      for (auto& a : others)
        caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
      cancel_llm_calls(); // blocked LLM workers must not delay the exit
      if (probe_client)
        probe_client->stop();
      if (tmux)
        tmux->stop(); // detaches; the session keeps running
      // Let close frames and last responses go out, then stop.
      grace.expires_after(std::chrono::milliseconds(500));
      grace.async_wait([&ioc](boost::system::error_code) { ioc.stop(); });
    };
    if (exit_code != 0) {
      stop_all();
    } else {
      for (auto& p : probers)
        caf::anon_send(p, atom::tick_v);
      if (tmux)
        tmux->start();
      signals.async_wait([&](boost::system::error_code ec, int sig) {
        if (ec)
          return;
        log::info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
        stop_all();
      });
    }
    std::vector<std::thread> threads;
    for (int i = 1; i < cfg.http.threads; ++i)
      threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads)
      t.join();
    servers.clear();
  }
  sys.await_all_actors_done();
  if (exit_code == 0)
    log::info("stopped");
  return exit_code;
}

} // namespace o2hub
