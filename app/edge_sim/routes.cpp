// The simulated APIs: O2 IMS, Prometheus, Kubernetes and the control
// endpoint.
#include "app/edge_sim/model.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "io/git.hpp"
#include "protocol/krm.hpp"

#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <map>

namespace o2hub::edge_sim {

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

} // namespace o2hub::edge_sim
