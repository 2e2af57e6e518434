#include "actors/pipeline/slo.hpp"

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
  // The intent's own latency counts as given: 0 is a target (never met),
  // not "unset"; only `absent` (-1) leaves the configured target alone.
  auto latency = target_of("latency_p95_ms", -1);
  if (x.latency_ms >= 0)
    latency = latency >= 0 ? std::min(latency, x.latency_ms) : x.latency_ms;
  if (latency >= 0)
    add("latency_p95_ms", latency, "<=");
  auto success = std::max(target_of("success_rate", 0), x.availability_pct / 100.0);
  add("success_rate", success, ">=");
  auto throughput = std::max(target_of("throughput_mbps", 0), x.bandwidth_mbps);
  add("throughput_mbps", throughput, ">=");
  return out;
}

} // namespace o2hub
