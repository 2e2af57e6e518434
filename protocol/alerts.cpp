#include "protocol/alerts.hpp"

#include <simdjson.h>

namespace o2hub {

std::vector<rollback_target> read_alerts(std::string_view body, bool always,
                                         std::string& error, size_t& ignored) {
  std::vector<rollback_target> out;
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::array alerts;
  if (p.parse(body.data(), body.size()).get(root)
      || root["alerts"].get_array().get(alerts)) {
    error = "expected an Alertmanager webhook payload: {\"alerts\": [...]}";
    return out;
  }
  for (auto a : alerts) {
    auto str = [](simdjson::dom::element e, const char* key) {
      std::string_view v;
      return e[key].get_string().get(v) == simdjson::SUCCESS ? std::string{v}
                                                             : std::string{};
    };
    auto status = str(a, "status");
    simdjson::dom::element labels;
    if (a["labels"].get(labels) != simdjson::SUCCESS || status == "resolved") {
      ++ignored;
      continue;
    }
    auto severity = str(labels, "severity");
    if (!always && (severity == "warning" || severity == "info")) {
      ++ignored;
      continue;
    }
    rollback_target t;
    t.intent_id = str(labels, "intent_id");
    t.site = str(labels, "site");
    if (t.site.empty())
      t.site = str(labels, "edge");
    if (t.intent_id.empty() && t.site.empty()) {
      ++ignored;
      continue;
    }
    auto name = str(labels, "alertname");
    simdjson::dom::element ann;
    std::string summary;
    if (a["annotations"].get(ann) == simdjson::SUCCESS)
      summary = str(ann, "summary");
    t.reason = "alert " + (name.empty() ? std::string{"(unnamed)"} : name)
               + (summary.empty() ? "" : ": " + summary);
    out.push_back(std::move(t));
  }
  return out;
}

} // namespace o2hub
