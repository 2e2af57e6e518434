#include "protocol/tmf_json.hpp"

#include "common/json.hpp"
#include "protocol/intent_json.hpp"

#include <simdjson.h>

#include <algorithm>

namespace o2hub::tmf {

namespace {

std::string href_of(const std::string& id) {
  return std::string{base_path} + "/intent/" + id;
}

void string_char(json::writer& w, const char* name, const std::string& v) {
  w.begin_object()
      .kv("@type", "StringCharacteristic")
      .kv("name", name)
      .kv("value", v)
      .kv("valueType", "string")
      .end_object();
}

void number_char(json::writer& w, const char* name, double v) {
  w.begin_object()
      .kv("@type", "NumberCharacteristic")
      .kv("name", name)
      .kv("value", v)
      .kv("valueType", "number")
      .end_object();
}

/// The deployed intent's requirements as characteristics.
void characteristics(json::writer& w, const intent& x) {
  w.key("characteristic").begin_array();
  string_char(w, "sliceType", x.intent_type);
  w.begin_object()
      .kv("@type", "IntegerCharacteristic")
      .kv("name", "sst")
      .kv("value", x.sst)
      .kv("valueType", "integer")
      .end_object();
  for (const auto& s : x.target_sites)
    string_char(w, "targetSite", s);
  number_char(w, "minDownlinkThroughputMbps", x.bandwidth_mbps);
  if (x.uplink_mbps >= 0)
    number_char(w, "minUplinkThroughputMbps", x.uplink_mbps);
  number_char(w, "maxLatencyMs", x.latency_ms);
  if (x.reliability_pct >= 0)
    number_char(w, "minReliabilityPct", x.reliability_pct);
  if (x.device_count >= 0)
    number_char(w, "deviceCount", static_cast<double>(x.device_count));
  w.end_array();
}

bool wanted(const std::vector<std::string>& keep, std::string_view k) {
  return keep.empty() || k == "@type" || k == "id" || k == "href"
         || std::find(keep.begin(), keep.end(), k) != keep.end();
}

std::vector<std::string> split_fields(const std::string& fields) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= fields.size() && !fields.empty()) {
    auto comma = fields.find(',', start);
    auto f = fields.substr(start, comma == std::string::npos ? std::string::npos
                                                             : comma - start);
    if (!f.empty())
      out.push_back(f);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return out;
}

} // namespace

std::string to_json(const intent_record& r) {
  json::writer w;
  w.begin_object()
      .kv("id", r.id)
      .kv("name", r.name)
      .key("doc")
      .raw(r.doc.empty() ? std::string{"{}"} : r.doc)
      .kv("form", r.form)
      .kv("creationDate", r.creation_date)
      .kv("lastUpdate", r.last_update)
      .kv("statusChangeDate", r.status_change_date)
      .kv("lifecycle", r.lifecycle)
      .kv("version", r.version);
  if (!r.value.intent_id.empty())
    w.key("intent").raw(wire::intent_json(r.value));
  w.key("reported").begin_array();
  for (const auto& id : r.reported)
    w.value(id);
  w.end_array().kv("deleteSent", r.delete_sent).end_object();
  return w.take();
}

bool from_json(const std::string& text, intent_record& r) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (p.parse(text).get(root) || !root.is_object())
    return false;
  auto str = [&](const char* key, std::string& dst) {
    std::string_view v;
    if (root[key].get_string().get(v) == simdjson::SUCCESS)
      dst = std::string{v};
  };
  str("id", r.id);
  if (r.id.empty())
    return false;
  simdjson::dom::element doc;
  if (root["doc"].get(doc) || !doc.is_object())
    return false;
  r.doc = simdjson::minify(doc);
  str("name", r.name);
  str("form", r.form);
  str("creationDate", r.creation_date);
  str("lastUpdate", r.last_update);
  str("statusChangeDate", r.status_change_date);
  str("lifecycle", r.lifecycle);
  int64_t version = 1;
  if (root["version"].get_int64().get(version) == simdjson::SUCCESS)
    r.version = static_cast<int>(version);
  simdjson::dom::element in;
  if (!root["intent"].get(in) && !wire::read_intent_json(simdjson::minify(in), r.value))
    return false;
  simdjson::dom::array reported;
  if (root["reported"].get_array().get(reported) == simdjson::SUCCESS)
    for (auto e : reported) {
      std::string_view v;
      if (e.get_string().get(v) == simdjson::SUCCESS)
        r.reported.emplace_back(v);
    }
  bool sent = false;
  if (root["deleteSent"].get_bool().get(sent) == simdjson::SUCCESS)
    r.delete_sent = sent;
  return true;
}

std::string intent_json(const intent_record& r, const std::string& fields) {
  auto keep = split_fields(fields);
  simdjson::dom::parser p;
  simdjson::dom::object doc;
  json::writer w;
  w.begin_object().kv("@type", "Intent").kv("id", r.id).kv("href", href_of(r.id));
  bool has_chars = false;
  if (!p.parse(r.doc).get_object().get(doc))
    for (auto [k, v] : doc) {
      if (k == "@type" || !wanted(keep, k))
        continue;
      has_chars = has_chars || k == "characteristic";
      w.key(k).raw(simdjson::minify(v));
    }
  if (!has_chars && !r.value.intent_id.empty() && wanted(keep, "characteristic"))
    characteristics(w, r.value);
  if (wanted(keep, "version"))
    w.kv("version", std::to_string(r.version));
  if (wanted(keep, "creationDate") && !r.creation_date.empty())
    w.kv("creationDate", r.creation_date);
  if (wanted(keep, "lastUpdate") && !r.last_update.empty())
    w.kv("lastUpdate", r.last_update);
  if (wanted(keep, "statusChangeDate") && !r.status_change_date.empty())
    w.kv("statusChangeDate", r.status_change_date);
  if (wanted(keep, "lifecycleStatus"))
    w.kv("lifecycleStatus", r.lifecycle);
  w.end_object();
  return w.take();
}

std::string report_id(const pipeline_run& run) {
  return pipeline_id(run) + (run.after_completion ? "-rollback" : "");
}

std::string report_json(const pipeline_run& run, const std::string& rid) {
  const auto& id = run.value.intent_id;
  const auto& x = run.value;
  std::string outcome = run.result == "completed"     ? "completed"
                        : run.result == "rolled_back" ? "rolled back"
                                                      : "failed";
  std::string sites;
  for (const auto& s : x.target_sites)
    sites += (sites.empty() ? "" : ", ") + s;
  json::writer w;
  w.begin_object()
      .kv("@type", "IntentReport")
      .kv("id", rid)
      .kv("href", href_of(id) + "/intentReport/" + rid)
      .kv("name", run.kind + " " + rid)
      .kv("description", run.kind + " of " + x.intent_type + " on " + sites + " "
                             + outcome + (run.reason.empty() ? "" : ": " + run.reason))
      .kv("creationDate", run.finished_at.empty() ? run.started_at : run.finished_at)
      .key("intent")
      .begin_object()
      .kv("@type", "IntentRef")
      .kv("@referredType", "Intent")
      .kv("id", id)
      .kv("href", href_of(id))
      .end_object()
      .key("expression")
      .begin_object()
      .kv("@type", "JsonLdExpression")
      .kv("iri", "urn:o2hub:intent-report:" + rid)
      .key("expressionValue")
      .begin_object()
      .key("@context")
      .begin_object()
      .kv("o2hub", "urn:o2hub:report#")
      .end_object()
      .kv("@id", "urn:o2hub:intent-report:" + rid)
      .kv("@type", "o2hub:PipelineRunReport")
      .kv("o2hub:kind", run.kind)
      .kv("o2hub:result", run.result)
      .kv("o2hub:reason", run.reason)
      .kv("o2hub:startedAt", run.started_at)
      .kv("o2hub:finishedAt", run.finished_at)
      .key("o2hub:sites")
      .begin_array();
  for (const auto& s : x.target_sites)
    w.value(s);
  w.end_array().key("o2hub:commits").begin_object();
  for (const auto& [repo, sha] : run.commits)
    w.kv(repo, sha);
  w.end_object().key("o2hub:slo").raw(run.slo_results.empty() ? "{}" : run.slo_results);
  w.key("o2hub:intent").raw(wire::intent_json(x));
  if (run.kind == "modify" && !run.previous.intent_id.empty())
    w.key("o2hub:previous").raw(wire::intent_json(run.previous));
  w.end_object().end_object().end_object();
  return w.take();
}

std::string event_json(const std::string& type, uint64_t number, const std::string& time,
                       const std::string& key, const std::string& resource) {
  json::writer w;
  w.begin_object()
      .kv("@type", type)
      .kv("eventId", std::to_string(number))
      .kv("eventTime", time)
      .kv("eventType", type)
      .kv("timeOccurred", time)
      .kv("domain", "intentManagement")
      .key("event")
      .begin_object()
      .key(key)
      .raw(resource)
      .end_object()
      .end_object();
  return w.take();
}

std::string hub_json(const std::string& id, const std::string& callback,
                     const std::string& query) {
  json::writer w;
  w.begin_object()
      .kv("@type", "Hub")
      .kv("id", id)
      .kv("href", std::string{base_path} + "/hub/" + id)
      .kv("callback", callback);
  if (!query.empty())
    w.kv("query", query);
  w.end_object();
  return w.take();
}

std::string error_json(const std::string& code, const std::string& reason,
                       const std::string& message, unsigned status) {
  json::writer w;
  w.begin_object()
      .kv("@type", "Error")
      .kv("code", code)
      .kv("reason", reason)
      .kv("message", message)
      .kv("status", std::to_string(status))
      .end_object();
  return w.take();
}

} // namespace o2hub::tmf
