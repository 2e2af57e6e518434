#include "app/edge_sim.hpp"

#include "common/json.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "io/git.hpp"
#include "io/http.hpp"
#include "io/security.hpp"
#include "io/server.hpp"
#include "protocol/krm.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace o2hub {

namespace {

namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;

struct sim_request {
  std::string id; // metadata.name (the provisioningRequestId)
  std::string intent_id;
  std::string description;
  std::string template_name;
  std::string template_version;
  std::string params_json = "{}";
  double latency_ms = 10;
  double bandwidth_mbps = 100;
  double availability_pct = 99.9;
  clock_type::time_point first_seen;
  std::string first_seen_wall;
  bool failed = false; // decided once, when it would have been fulfilled
};

struct faults {
  bool fail_provisioning = false;
  bool degrade_slo = false;
  bool hang = false;
  bool refuse = false;
};

struct sim_site {
  std::string name;
  const edge_site* cfg = nullptr;
  faults f;
  std::map<std::string, sim_request> requests;
  std::vector<std::unique_ptr<server>> servers;
  std::vector<http::responder> hung; // answered when `hang` is lifted
  std::string last_sync;
  std::string sync_error;
};

struct sim {
  const config* cfg = nullptr;
  net::io_context* ioc = nullptr;
  std::mutex mtx;
  std::map<std::string, sim_site> sites;
  std::chrono::milliseconds delay{3000};
  std::shared_ptr<const security_policy> security;
  std::vector<std::unique_ptr<server>> control;

  std::string phase_of(sim_site& s, sim_request& r) {
    auto age = clock_type::now() - r.first_seen;
    if (age < delay / 2)
      return "PENDING";
    if (age < delay)
      return "PROGRESSING";
    if (!r.failed && s.f.fail_provisioning && age < delay + std::chrono::hours(24))
      r.failed = true; // the fault decides while the request is in flight
    return r.failed ? "FAILED" : "FULFILLED";
  }
};

std::string ocloud_id(const std::string& site) {
  return provisioning_request_id("o-cloud", site);
}

void write_request(json::writer& w, sim& S, sim_site& s, sim_request& r) {
  auto phase = S.phase_of(s, r);
  w.begin_object()
      .kv("provisioningRequestReference", provisioning_request_id(r.id, "ref"))
      .key("provisioningRequestData")
      .begin_object()
      .kv("provisioningRequestId", r.id)
      .kv("name", r.intent_id + "-" + s.name)
      .kv("description", r.description)
      .kv("templateName", r.template_name)
      .kv("templateVersion", r.template_version)
      .key("templateParameters")
      .raw(r.params_json)
      .end_object()
      .key("provisionedResourceSet")
      .begin_object()
      .kv("nodeClusterId", phase == "FULFILLED" ? ocloud_id(s.name) : std::string{})
      .key("infrastructureResourceIds")
      .begin_array()
      .end_array()
      .end_object()
      .key("status")
      .begin_object()
      .kv("updateTime", rfc3339_now())
      .kv("message", phase == "FAILED"        ? "simulated provisioning failure"
                     : phase == "FULFILLED"   ? "provisioned on " + s.name
                     : phase == "PROGRESSING" ? "provisioning in progress"
                                              : "waiting to be provisioned")
      .kv("provisioningPhase", phase)
      .key("nodeClusterProvisioningStatus")
      .begin_object()
      .kv("resourceName", s.name + "-cluster")
      .kv("resourceId", ocloud_id(s.name))
      .kv("resourceProvisioningPhase", phase)
      .end_object()
      .key("infrastructureResourceProvisioningStatus")
      .begin_array()
      .end_array()
      .end_object()
      .end_object();
}

/// The value the site's Prometheus reports for `metric` of `r`: healthy
/// values meet the intent with margin; a degraded site misses them.
double metric_value(const config& cfg, const sim_site& s, const sim_request& r,
                    const std::string& metric) {
  auto target = [&](const char* key, double fallback) {
    auto i = cfg.slo_targets.find(key);
    return i == cfg.slo_targets.end() ? fallback
                                      : std::strtod(i->second.c_str(), nullptr);
  };
  if (metric.find("latency") != std::string::npos) {
    auto need =
        std::min(r.latency_ms > 0 ? r.latency_ms : 1e9, target("latency_p95_ms", 1e9));
    if (need >= 1e9)
      need = 10;
    return s.f.degrade_slo ? need * 8 : need * 0.6;
  }
  if (metric.find("success") != std::string::npos) {
    auto need = std::max(r.availability_pct / 100.0, target("success_rate", 0));
    return s.f.degrade_slo ? need - 0.1 : 1 - (1 - need) * 0.5;
  }
  auto need = std::max(r.bandwidth_mbps, target("throughput_mbps", 0));
  return s.f.degrade_slo ? need * 0.2 : need * 1.25;
}

/// The label value of `label="..."` in a PromQL selector.
std::string label_of(const std::string& q, const std::string& label) {
  auto key = label + "=\"";
  auto pos = q.find(key);
  if (pos == std::string::npos)
    return {};
  pos += key.size();
  auto end = q.find('"', pos);
  return end == std::string::npos ? std::string{} : q.substr(pos, end - pos);
}

using handler_fn = std::function<void(sim_site&, const http::request&,
                                      const http::request_context&, http::responder)>;

/// Wraps a site handler with the site's faults and the lock.
http::handler site_route(sim& S, const std::string& site, handler_fn f) {
  return [&S, site, f = std::move(f)](const http::request& req,
                                      const http::request_context& ctx,
                                      http::responder respond) {
    std::lock_guard<std::mutex> guard{S.mtx};
    auto& s = S.sites[site];
    if (s.f.hang) {
      if (s.hung.size() < 1000)
        s.hung.push_back(std::move(respond));
      return;
    }
    f(s, req, ctx, std::move(respond));
  };
}

std::shared_ptr<http::router> o2ims_router(sim& S, const std::string& site) {
  using http::verb;
  auto r = std::make_shared<http::router>(S.security);
  r->add(verb::get, "/o2ims-infrastructureInventory/api_versions",
         site_route(S, site,
                    [](sim_site&, const http::request& req, const http::request_context&,
                       http::responder respond) {
                      respond(http::make_json(
                          req, http::status::ok,
                          R"({"uriPrefix":"/o2ims-infrastructureInventory/v1",)"
                          R"("apiVersions":[{"version":"1.0.0"}]})"));
                    }));
  r->add(verb::get, "/o2ims-infrastructureInventory/v1",
         site_route(S, site,
                    [](sim_site& s, const http::request& req,
                       const http::request_context&, http::responder respond) {
                      json::writer w;
                      w.begin_object()
                          .kv("oCloudId", ocloud_id(s.name))
                          .kv("globalCloudId", ocloud_id(s.name))
                          .kv("name", s.name)
                          .kv("description", "o2hub simulated O-Cloud " + s.name)
                          .kv("serviceUri", "http://" + s.cfg->ip + ":"
                                                + std::to_string(s.cfg->o2ims_port))
                          .end_object();
                      respond(http::make_json(req, http::status::ok, w.take()));
                    }));
  r->add(verb::get, "/o2ims-infrastructureInventory/v1/resourcePools",
         site_route(S, site,
                    [](sim_site& s, const http::request& req,
                       const http::request_context&, http::responder respond) {
                      json::writer w;
                      w.begin_array()
                          .begin_object()
                          .kv("resourcePoolId", provisioning_request_id("pool", s.name))
                          .kv("name", s.name + "-pool")
                          .kv("oCloudId", ocloud_id(s.name))
                          .kv("location", s.name)
                          .kv("description", "simulated resource pool")
                          .end_object()
                          .end_array();
                      respond(http::make_json(req, http::status::ok, w.take()));
                    }));
  r->add(verb::get, "/o2ims-infrastructureProvisioning/v1/provisioningRequests",
         site_route(S, site,
                    [&S](sim_site& s, const http::request& req,
                         const http::request_context&, http::responder respond) {
                      json::writer w;
                      w.begin_array();
                      for (auto& [id, pr] : s.requests)
                        write_request(w, S, s, pr);
                      w.end_array();
                      respond(http::make_json(req, http::status::ok, w.take()));
                    }));
  r->add(verb::get, "/o2ims-infrastructureProvisioning/v1/provisioningRequests/{id}",
         site_route(
             S, site,
             [&S](sim_site& s, const http::request& req, const http::request_context& ctx,
                  http::responder respond) {
               auto i = s.requests.find(ctx.params.at("id"));
               if (i == s.requests.end()) {
                 json::writer w;
                 w.begin_object()
                     .kv("status", 404)
                     .kv("title", "Not Found")
                     .kv("detail", "no provisioning request " + ctx.params.at("id"))
                     .end_object();
                 return respond(http::make_json(req, http::status::not_found, w.take()));
               }
               json::writer w;
               write_request(w, S, s, i->second);
               respond(http::make_json(req, http::status::ok, w.take()));
             }));
  return r;
}

std::shared_ptr<http::router> prometheus_router(sim& S, const std::string& site) {
  using http::verb;
  auto r = std::make_shared<http::router>(S.security);
  for (auto path : {"/-/healthy", "/-/ready"})
    r->add(verb::get, path,
           site_route(S, site,
                      [](sim_site&, const http::request& req,
                         const http::request_context&, http::responder respond) {
                        respond(http::make_body(req, http::status::ok,
                                                "Prometheus Server is Healthy.\n",
                                                "text/plain"));
                      }));
  r->add(
      verb::get, "/api/v1/query",
      site_route(
          S, site,
          [&S](sim_site& s, const http::request& req, const http::request_context& ctx,
               http::responder respond) {
            auto q = ctx.param("query");
            if (!q || q->empty())
              return respond(http::make_json(
                  req, http::status::bad_request,
                  R"({"status":"error","errorType":"bad_data","error":"query is required"})"));
            auto name = q->substr(0, q->find('{'));
            auto intent_id = label_of(*q, "intent");
            json::writer w;
            w.begin_object()
                .kv("status", "success")
                .key("data")
                .begin_object()
                .kv("resultType", "vector")
                .key("result")
                .begin_array();
            for (auto& [id, pr] : s.requests) {
              if (!intent_id.empty() && pr.intent_id != intent_id)
                continue;
              if (S.phase_of(s, pr) != "FULFILLED")
                continue;
              char value[64];
              std::snprintf(value, sizeof value, "%.6g",
                            metric_value(*S.cfg, s, pr, name));
              auto now = std::chrono::duration<double>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
              w.begin_object()
                  .key("metric")
                  .begin_object()
                  .kv("__name__", name)
                  .kv("intent", pr.intent_id)
                  .kv("site", s.name)
                  .end_object()
                  .key("value")
                  .begin_array()
                  .value(now)
                  .value(std::string{value})
                  .end_array()
                  .end_object();
              if (!intent_id.empty())
                break;
            }
            w.end_array().end_object().end_object();
            respond(http::make_json(req, http::status::ok, w.take()));
          }));
  return r;
}

std::shared_ptr<http::router> k8s_router(sim& S, const std::string& site) {
  using http::verb;
  auto r = std::make_shared<http::router>(S.security);
  for (auto path : {"/readyz", "/livez"})
    r->add(verb::get, path,
           site_route(S, site,
                      [](sim_site&, const http::request& req,
                         const http::request_context&, http::responder respond) {
                        respond(
                            http::make_body(req, http::status::ok, "ok", "text/plain"));
                      }));
  return r;
}

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

std::string state_json(sim& S) {
  json::writer w;
  w.begin_object().key("sites").begin_object();
  for (auto& [name, s] : S.sites) {
    w.key(name)
        .begin_object()
        .key("faults")
        .begin_object()
        .kv("fail_provisioning", s.f.fail_provisioning)
        .kv("degrade_slo", s.f.degrade_slo)
        .kv("hang", s.f.hang)
        .kv("refuse", s.f.refuse)
        .end_object()
        .kv("last_sync", s.last_sync)
        .kv("sync_error", s.sync_error)
        .key("provisioning_requests")
        .begin_object();
    for (auto& [id, pr] : s.requests)
      w.key(id)
          .begin_object()
          .kv("intent_id", pr.intent_id)
          .kv("phase", S.phase_of(s, pr))
          .kv("first_seen", pr.first_seen_wall)
          .end_object();
    w.end_object().end_object();
  }
  w.end_object().end_object();
  return w.take();
}

std::shared_ptr<http::router> control_router(sim& S) {
  using http::verb;
  auto r = std::make_shared<http::router>(S.security);
  auto state = [&S](const http::request& req, const http::request_context&,
                    http::responder respond) {
    std::lock_guard<std::mutex> guard{S.mtx};
    respond(http::make_json(req, http::status::ok, state_json(S)));
  };
  r->add(verb::get, "/sim/state", state);
  r->add(verb::get, "/sim/faults", state);
  r->add(verb::get, "/health",
         [](const http::request& req, const http::request_context&,
            http::responder respond) {
           respond(http::make_json(req, http::status::ok,
                                   R"({"status":"healthy","service":"edge-sim"})"));
         });
  // {"site":"edge1","fail_provisioning":true,"degrade_slo":false,"hang":false,"refuse":false}
  r->add(verb::post, "/sim/faults",
         [&S](const http::request& req, const http::request_context&,
              http::responder respond) {
           simdjson::dom::parser p;
           simdjson::dom::element root;
           std::string_view site_v;
           if (p.parse(req.body()).get(root) || root["site"].get_string().get(site_v))
             return respond(
                 http::make_error(req, http::status::unprocessable_entity, "invalid_body",
                                  "expected {\"site\": \"edge1\", \"fail_provisioning\""
                                  ": bool, \"degrade_slo\": bool, \"hang\": bool, "
                                  "\"refuse\": bool}"));
           auto site = normalize_site_name(site_v);
           std::lock_guard<std::mutex> guard{S.mtx};
           auto i = S.sites.find(site);
           if (i == S.sites.end())
             return respond(http::make_error(req, http::status::not_found, "unknown_site",
                                             "no simulated site " + site));
           auto& s = i->second;
           auto flag = [&](const char* key, bool& out) {
             bool v;
             if (root[key].get_bool().get(v) == simdjson::SUCCESS)
               out = v;
           };
           bool was_refusing = s.f.refuse;
           flag("fail_provisioning", s.f.fail_provisioning);
           flag("degrade_slo", s.f.degrade_slo);
           flag("hang", s.f.hang);
           flag("refuse", s.f.refuse);
           if (!s.f.hang) {
             for (auto& h : s.hung) {
               http::request proto;
               proto.version(11);
               h(http::make_error(proto, http::status::service_unavailable, "hang_lifted",
                                  "the simulated hang was lifted"));
             }
             s.hung.clear();
           }
           if (s.f.refuse && !was_refusing) {
             for (auto& srv : s.servers)
               srv->shutdown();
             s.servers.clear();
           } else if (!s.f.refuse && was_refusing) {
             if (auto err = start_site_servers(S, s); !err.empty())
               log::error("edge-sim: cannot listen again", {{"error", err}});
           }
           log::info("edge-sim faults set", {{"site", site}});
           respond(http::make_json(req, http::status::ok, state_json(S)));
         });
  return r;
}

/// One sync round: fetch every repository, update every site's requests.
void sync_once(sim& S, const std::string& mirror_root) {
  const auto& cfg = *S.cfg;
  std::map<std::string, std::vector<std::string>> repos; // repo -> sites
  {
    std::lock_guard<std::mutex> guard{S.mtx};
    for (auto& [name, s] : S.sites)
      repos[gitops_repo(cfg, name)].push_back(name);
  }
  for (auto& [repo, sites] : repos) {
    std::map<std::string, std::string> files;
    auto err = git_read_tree(mirror_root + "/" + repo + ".git", gitops_url(cfg, repo),
                             cfg.gitops.branch, "", files);
    std::lock_guard<std::mutex> guard{S.mtx};
    for (auto& site : sites) {
      auto& s = S.sites[site];
      s.sync_error = err;
      if (!err.empty())
        continue; // the remote is unreachable: keep what we know
      s.last_sync = rfc3339_now();
      auto prefix = cfg.gitops.layout == "per-site" ? std::string{} : site + "/";
      std::set<std::string> seen;
      for (auto& [path, content] : files) {
        if (path.rfind(prefix, 0) != 0 || path.size() < 5
            || path.compare(path.size() - 5, 5, ".yaml") != 0)
          continue;
        if (content.find("kind: ProvisioningRequest") == std::string::npos)
          continue;
        try {
          auto doc = YAML::Load(content);
          if (doc["kind"].as<std::string>("") != "ProvisioningRequest")
            continue;
          auto id = doc["metadata"]["name"].as<std::string>("");
          if (id.empty())
            continue;
          seen.insert(id);
          if (s.requests.count(id))
            continue;
          sim_request r;
          r.id = id;
          auto spec = doc["spec"];
          auto params = spec["templateParameters"];
          r.intent_id = params["intentId"].as<std::string>("");
          r.description = spec["description"].as<std::string>("");
          r.template_name = spec["templateName"].as<std::string>("");
          r.template_version = spec["templateVersion"].as<std::string>("");
          r.latency_ms = params["latencyMs"].as<double>(10);
          r.bandwidth_mbps = params["bandwidthMbps"].as<double>(100);
          r.availability_pct = params["availabilityPct"].as<double>(99.9);
          json::writer w;
          w.begin_object();
          for (auto kv : params) {
            auto key = kv.first.as<std::string>();
            auto text = kv.second.as<std::string>("");
            char* end = nullptr;
            auto num = std::strtod(text.c_str(), &end);
            if (!text.empty() && end && *end == '\0' && key != "sd")
              w.kv(key, num);
            else
              w.kv(key, text);
          }
          w.end_object();
          r.params_json = w.take();
          r.first_seen = clock_type::now();
          r.first_seen_wall = rfc3339_now();
          log::info("edge-sim: provisioning request seen",
                    {{"site", site}, {"id", id}, {"intent_id", r.intent_id}});
          s.requests.emplace(id, std::move(r));
        } catch (const YAML::Exception& e) {
          log::warn("edge-sim: unreadable file", {{"path", path}, {"error", e.what()}});
        }
      }
      for (auto i = s.requests.begin(); i != s.requests.end();) {
        if (!seen.count(i->first)) {
          log::info("edge-sim: provisioning request removed (reverted)",
                    {{"site", site}, {"id", i->first}});
          i = s.requests.erase(i);
        } else {
          ++i;
        }
      }
    }
  }
}

} // namespace

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
