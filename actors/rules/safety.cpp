// What the operator asked to do, whether the text says anything at all, and
// whether what it asks for can be offered (issue 12: understood, asked, or
// refused, never guessed).
#include "actors/rules/tokens.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <cmath>

namespace o2hub {

namespace rules {

bool one_edit_apart(std::string_view a, std::string_view b) {
  if (a == b)
    return true;
  if (a.size() > b.size())
    std::swap(a, b);
  if (b.size() - a.size() > 1)
    return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i])
    ++i;
  if (a.size() == b.size()) {
    // One replacement, or two neighbours swapped.
    if (a.substr(i + 1) == b.substr(i + 1))
      return true;
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i]
           && a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1); // one insertion
}

void read_action(const tokens& t, rule_reading& r) {
  bool remove = false;
  bool modify = false;
  bool deploy = false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (is_any_word(t, i,
                    {"remove", "delete", "undeploy", "decommission", "deprovision",
                     "terminate", "uninstall", "destroy", "teardown", "retire"})
        || phrase_at(t, i, "tear down") || phrase_at(t, i, "take down")
        || phrase_at(t, i, "shut down")
        || cjk_has(
            t, i,
            {"刪除", "删除", "移除", "停用", "下線", "下线", "拆除", "撤銷", "撤销"}))
      remove = true;
    if (is_any_word(t, i,
                    {"change", "modify", "increase", "decrease", "raise", "lower",
                     "update", "adjust", "scale", "upgrade", "downgrade", "reduce",
                     "boost", "bump", "tighten", "relax"})
        || cjk_has(t, i,
                   {"修改", "調整", "调整", "提高", "降低", "增加", "減少", "减少",
                    "變更", "变更", "更新"}))
      modify = true;
    if (is_any_word(t, i,
                    {"deploy", "create", "provision", "setup", "launch", "start", "add",
                     "enable", "establish", "activate", "allocate", "configure", "build",
                     "rollout", "instantiate", "slice", "service"})
        || phrase_at(t, i, "set up") || phrase_at(t, i, "spin up")
        || phrase_at(t, i, "bring up") || phrase_at(t, i, "roll out")
        || cjk_has(t, i,
                   {"部署", "建立", "建置", "開通", "开通", "新增", "啟用", "启用",
                    "配置", "需要", "提供", "切片", "服務", "服务"}))
      deploy = true;
  }
  r.verb = remove || modify || deploy;
  r.action = remove ? "remove" : modify ? "modify" : "deploy";
}

} // namespace rules

bool says_nothing(const rule_reading& r) {
  return r.intent_type.empty() && r.sites.empty() && r.unknown_sites.empty()
         && !r.all_sites && r.downlink_mbps < 0 && r.uplink_mbps < 0 && r.latency_ms < 0
         && r.reliability_pct < 0 && r.availability_pct < 0 && r.device_count < 0
         && !r.verb;
}

std::vector<std::string> infeasible_reasons(const intent& x,
                                            const intent_limits& limits) {
  std::vector<std::string> out;
  auto num = [](double v) {
    auto s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.')
      s.pop_back();
    return s;
  };
  if (x.latency_ms < limits.min_latency_ms)
    out.push_back("latency " + num(x.latency_ms)
                  + " ms is below what the sites can offer (" + num(limits.min_latency_ms)
                  + " ms)");
  for (const auto& site : x.target_sites) {
    auto i = limits.capacity_mbps.find(site);
    auto cap = i == limits.capacity_mbps.end() ? limits.default_capacity_mbps : i->second;
    for (auto [what, v] : {std::pair<const char*, double>{"bandwidth", x.bandwidth_mbps},
                           {"uplink", x.uplink_mbps}})
      if (v > cap)
        out.push_back(std::string{what} + " " + num(v) + " Mbps exceeds " + site
                      + "'s capacity (" + num(cap) + " Mbps)");
  }
  if (x.reliability_pct > limits.max_reliability_pct)
    out.push_back("reliability " + num(x.reliability_pct)
                  + "% is above what can be offered (" + num(limits.max_reliability_pct)
                  + "%)");
  if (x.device_count > limits.max_devices)
    out.push_back(std::to_string(x.device_count) + " devices exceed the limit ("
                  + std::to_string(limits.max_devices) + ")");
  return out;
}

std::string confidence_of(const std::vector<std::string>& defaulted,
                          const std::vector<text_correction>& corrections) {
  auto has = [&](const char* f) {
    return std::find(defaulted.begin(), defaulted.end(), f) != defaulted.end();
  };
  if (has("intentType") || has("targetSites") || !corrections.empty())
    return "low";
  return defaulted.empty() ? "high" : "medium";
}

} // namespace o2hub
