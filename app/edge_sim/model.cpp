// The model's functions: requests, metrics, state.
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

} // namespace o2hub::edge_sim
