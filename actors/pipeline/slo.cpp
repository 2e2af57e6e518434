#include "actors/pipeline/slo.hpp"

#include "common/text.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace o2hub {

std::vector<slo_check> evaluate_slo(const intent& x,
                                    const std::map<std::string, std::string>& targets,
                                    const std::map<std::string, double>& measured) {
  auto target_of = [&](const char* key, double fallback) {
    auto i = targets.find(key);
    if (i == targets.end())
      return fallback;
    char* end = nullptr;
    auto v = std::strtod(i->second.c_str(), &end);
    return end != i->second.c_str() ? v : fallback;
  };
  std::vector<slo_check> out;
  auto add = [&](const char* metric, double target, const char* op) {
    slo_check c;
    c.metric = metric;
    c.target = std::round(target * 1e9) / 1e9; // 99.9 / 100 -> 0.999
    c.op = op;
    auto m = measured.find(metric);
    if (m != measured.end()) {
      c.value = m->second;
      c.pass = c.op == "<=" ? c.value <= c.target : c.value >= c.target;
    }
    out.push_back(c);
  };
  auto latency = target_of("latency_p95_ms", -1);
  if (x.latency_ms > 0)
    latency = latency > 0 ? std::min(latency, x.latency_ms) : x.latency_ms;
  if (latency > 0)
    add("latency_p95_ms", latency, "<=");
  auto success = std::max(target_of("success_rate", 0), x.availability_pct / 100.0);
  add("success_rate", success, ">=");
  auto throughput = std::max(target_of("throughput_mbps", 0), x.bandwidth_mbps);
  add("throughput_mbps", throughput, ">=");
  return out;
}

o2ims_phase read_o2ims_answer(int32_t status, const std::string& body,
                              const std::string& error) {
  if (status == 0)
    return {"unreachable", error};
  if (status == 404)
    return {"pending", "not yet known to the O-Cloud"};
  if (status != 200)
    return {"error", "HTTP " + std::to_string(status)};
  // The O2 IMS API puts the phase in status.provisioningPhase; the CRD (and
  // APIs that return it) in status.provisioningStatus.provisioningPhase.
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::element status_obj;
  std::string_view phase;
  bool ok = !p.parse(body).get(root) && !root["status"].get(status_obj);
  if (ok
      && status_obj["provisioningPhase"].get_string().get(phase) != simdjson::SUCCESS) {
    simdjson::dom::element nested;
    ok = !status_obj["provisioningStatus"].get(nested)
         && nested["provisioningPhase"].get_string().get(phase) == simdjson::SUCCESS;
    if (ok)
      status_obj = nested;
  }
  if (!ok)
    return {"error", "unreadable provisioning request"};
  o2ims_phase out{to_lower(phase), {}};
  std::string_view msg;
  if (status_obj["message"].get_string().get(msg) == simdjson::SUCCESS)
    out.message = std::string{msg};
  return out;
}

std::string read_prometheus_answer(int32_t status, const std::string& body,
                                   const std::string& error) {
  if (status == 0)
    return "error: unreachable (" + error + ")";
  if (status != 200)
    return "error: HTTP " + std::to_string(status);
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::array result;
  if (p.parse(body).get(root) || root["data"]["result"].get_array().get(result))
    return "error: unreadable answer";
  for (auto sample : result) {
    std::string_view v;
    if (sample["value"].at(1).get_string().get(v) == simdjson::SUCCESS)
      return std::string{v};
  }
  return "error: no data";
}

} // namespace o2hub
