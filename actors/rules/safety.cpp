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
  // One hash lookup per word (the rule parse stays a few microseconds).
  enum verb : uint8_t { remove_verb, modify_verb, deploy_verb };
  static const word_table<verb> words{
      {"remove", remove_verb},      {"delete", remove_verb},
      {"undeploy", remove_verb},    {"decommission", remove_verb},
      {"deprovision", remove_verb}, {"terminate", remove_verb},
      {"uninstall", remove_verb},   {"destroy", remove_verb},
      {"teardown", remove_verb},    {"retire", remove_verb},
      {"change", modify_verb},      {"modify", modify_verb},
      {"increase", modify_verb},    {"decrease", modify_verb},
      {"raise", modify_verb},       {"lower", modify_verb},
      {"update", modify_verb},      {"adjust", modify_verb},
      {"scale", modify_verb},       {"upgrade", modify_verb},
      {"downgrade", modify_verb},   {"reduce", modify_verb},
      {"boost", modify_verb},       {"bump", modify_verb},
      {"tighten", modify_verb},     {"relax", modify_verb},
      {"deploy", deploy_verb},      {"create", deploy_verb},
      {"provision", deploy_verb},   {"setup", deploy_verb},
      {"launch", deploy_verb},      {"start", deploy_verb},
      {"add", deploy_verb},         {"enable", deploy_verb},
      {"establish", deploy_verb},   {"activate", deploy_verb},
      {"allocate", deploy_verb},    {"configure", deploy_verb},
      {"build", deploy_verb},       {"rollout", deploy_verb},
      {"instantiate", deploy_verb}, {"slice", deploy_verb},
      {"service", deploy_verb}};
  // Two-word verbs: the first word, then the second.
  static const word_table<std::pair<std::string_view, verb>> pairs{
      {"tear", {"down", remove_verb}}, {"take", {"down", remove_verb}},
      {"shut", {"down", remove_verb}}, {"set", {"up", deploy_verb}},
      {"spin", {"up", deploy_verb}},   {"bring", {"up", deploy_verb}},
      {"roll", {"out", deploy_verb}}};
  bool found[3] = {false, false, false};
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].k == kind::word) {
      if (const verb* w = words.find(t[i].text))
        found[*w] = true;
      if (const auto* p = pairs.find(t[i].text); p && is_word(t, i + 1, p->first))
        found[p->second] = true;
    } else if (t[i].k == kind::cjk) {
      if (cjk_has(
              t, i,
              {"刪除", "删除", "移除", "停用", "下線", "下线", "拆除", "撤銷", "撤销"}))
        found[remove_verb] = true;
      if (cjk_has(t, i, {"修改", "調整", "调整", "提高", "降低", "增加", "減少", "减少",
                         "變更", "变更", "更新", "改成", "改為", "改为", "改到", "提升",
                         "上調", "上调", "下調", "下调", "擴容", "扩容"}))
        found[modify_verb] = true;
      if (cjk_has(t, i,
                  {"部署", "建立", "建置", "開通", "开通", "新增", "啟用", "启用", "配置",
                   "需要", "提供", "切片", "服務", "服务"}))
        found[deploy_verb] = true;
    }
  }
  r.verb = found[remove_verb] || found[modify_verb] || found[deploy_verb];
  // A question: it starts with a question word ("who deployed edge2?"),
  // unless it asks for something ("how about", "what about", "can you").
  size_t first = 0;
  while (first < t.size() && t[first].k == kind::word
         && is_any_word(t, first, {"hey", "hi", "so", "ok", "and", "but", "um", "yo"}))
    ++first;
  r.question =
      is_any_word(t, first,
                  {"who", "when", "where", "why", "what", "which", "how", "whose", "did",
                   "was", "were", "is", "are", "has", "have", "does", "do"})
      && !is_any_word(t, first + 1, {"about", "you", "we"});
  r.action = found[remove_verb] ? "remove" : found[modify_verb] ? "modify" : "deploy";
}

} // namespace rules

bool says_nothing(const rule_reading& r) {
  bool no_requirement = r.intent_type.empty() && r.downlink_mbps < 0 && r.uplink_mbps < 0
                        && r.latency_ms < 0 && r.reliability_pct < 0
                        && r.availability_pct < 0 && r.device_count < 0;
  if (r.question && no_requirement)
    return true;
  return no_requirement && r.sites.empty() && r.unknown_sites.empty()
         && r.excluded_sites.empty() && !r.all_sites && !r.verb;
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
  if (x.target_sites.empty())
    out.emplace_back("no site is left to deploy to (every site is excluded)");
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
