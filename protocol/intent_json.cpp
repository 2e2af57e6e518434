// The intent on the wire: writing it (and the answer envelope) and reading
// it back (run records).
#include "protocol/intent_json.hpp"

#include "common/json.hpp"
#include "protocol/site_name.hpp"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace o2hub::wire {

std::string format_number(double value) {
  char buf[64];
  // Whole numbers (most bandwidths and latencies) as integers: the same
  // text, at a tenth of the cost of the shortest-double search.
  if (value > -1e15 && value < 1e15) {
    auto whole = static_cast<int64_t>(value);
    if (static_cast<double>(whole) == value && (whole != 0 || !std::signbit(value))) {
      auto res = std::to_chars(buf, buf + sizeof(buf), whole);
      return std::string(buf, res.ptr);
    }
  }
  auto res = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed);
  if (res.ec != std::errc{})
    return "0";
  return std::string(buf, res.ptr);
}

namespace {

void write_intent(json::writer& w, const intent& x) {
  auto unit = [](double v, const char* u) { return format_number(v) + u; };
  w.begin_object()
      .kv("intentId", x.intent_id)
      .kv("intentType", x.intent_type)
      .kv("description", x.description)
      .key("targetSites")
      .begin_array();
  for (const auto& s : x.target_sites)
    w.value(s);
  w.end_array().key("serviceProfile").begin_object();
  w.kv("bandwidth", unit(x.bandwidth_mbps, "Mbps"));
  if (x.uplink_mbps >= 0)
    w.kv("uplink", unit(x.uplink_mbps, "Mbps"));
  w.kv("latency", unit(x.latency_ms, "ms"));
  if (x.reliability_pct >= 0)
    w.kv("reliability", unit(x.reliability_pct, "%"));
  if (x.device_count >= 0)
    w.kv("deviceCount", x.device_count);
  w.end_object()
      .key("sloRequirements")
      .begin_object()
      .kv("availability", unit(x.availability_pct, "%"))
      .kv("latencyP95", unit(x.latency_ms, "ms"))
      .kv("throughputMin", unit(x.bandwidth_mbps, "Mbps"))
      .end_object()
      .key("slice")
      .begin_object()
      .kv("sst", x.sst);
  if (!x.sd.empty())
    w.kv("sd", x.sd);
  w.end_object()
      .kv("fiveQI", x.five_qi)
      .kv("lifecycle", x.lifecycle)
      .kv("action", x.action)
      .kv("priority", x.priority)
      .key("constraints")
      .begin_object()
      .end_object()
      .end_object();
}

void write_envelope_members(json::writer& w, const intent_response& r,
                            std::string_view extra_metadata) {
  const auto& m = r.metadata;
  w.kv("status", "success").key("intent");
  write_intent(w, r.value);
  w.key("metadata")
      .begin_object()
      .kv("processedAt", m.processed_at)
      .kv("fallback", m.fallback)
      .kv("engine", m.engine);
  if (!m.fallback_reason.empty())
    w.kv("fallbackReason", m.fallback_reason);
  w.kv("cached", m.cached).kv("durationMs", m.duration_ms).key("defaulted").begin_array();
  for (const auto& d : m.defaulted)
    w.value(d);
  w.end_array().key("corrections").begin_array();
  for (const auto& c : m.corrections)
    w.begin_object().kv("from", c.from).kv("to", c.to).end_object();
  w.end_array().kv("confidence", m.confidence);
  if (!m.affects.empty()) {
    w.key("affects").begin_array();
    for (const auto& id : m.affects)
      w.value(id);
    w.end_array();
  }
  if (!m.pipeline.status.empty()) {
    w.key("pipeline").begin_object();
    if (!m.pipeline.id.empty())
      w.kv("id", m.pipeline.id);
    w.kv("status", m.pipeline.status);
    if (!m.pipeline.monitor.empty())
      w.kv("monitor", m.pipeline.monitor);
    if (!m.pipeline.error.empty())
      w.kv("error", m.pipeline.error);
    w.end_object();
  }
  if (extra_metadata.size() > 2)
    w.raw(extra_metadata.substr(1, extra_metadata.size() - 2));
  w.end_object();
}

} // namespace

std::string intent_json(const intent& x) {
  json::writer w;
  write_intent(w, x);
  return w.take();
}

bool read_intent_json(std::string_view text, intent& out) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root))
    return false;
  auto str = [&](const char* key, std::string& dst) {
    std::string_view v;
    if (root[key].get_string().get(v) == simdjson::SUCCESS)
      dst = std::string{v};
  };
  // "200Mbps", "1ms", "99.999%" -> the number.
  auto num = [](simdjson::dom::element e, const char* key, double& dst) {
    std::string_view v;
    if (e[key].get_string().get(v) == simdjson::SUCCESS)
      dst = std::strtod(std::string{v}.c_str(), nullptr);
  };
  str("intentId", out.intent_id);
  if (out.intent_id.empty())
    return false;
  str("intentType", out.intent_type);
  str("description", out.description);
  str("lifecycle", out.lifecycle);
  str("action", out.action);
  out.target_sites.clear();
  simdjson::dom::array sites;
  if (root["targetSites"].get_array().get(sites) == simdjson::SUCCESS)
    for (auto s : sites) {
      std::string_view v;
      if (s.get_string().get(v) == simdjson::SUCCESS)
        out.target_sites.emplace_back(v);
    }
  simdjson::dom::element p;
  if (root["serviceProfile"].get(p) == simdjson::SUCCESS) {
    num(p, "bandwidth", out.bandwidth_mbps);
    num(p, "uplink", out.uplink_mbps);
    num(p, "latency", out.latency_ms);
    num(p, "reliability", out.reliability_pct);
    int64_t n = 0;
    if (p["deviceCount"].get_int64().get(n) == simdjson::SUCCESS)
      out.device_count = n;
  }
  simdjson::dom::element slo;
  if (root["sloRequirements"].get(slo) == simdjson::SUCCESS)
    num(slo, "availability", out.availability_pct);
  simdjson::dom::element slice;
  if (root["slice"].get(slice) == simdjson::SUCCESS) {
    int64_t sst = 0;
    if (slice["sst"].get_int64().get(sst) == simdjson::SUCCESS)
      out.sst = static_cast<int>(sst);
    std::string_view sd;
    if (slice["sd"].get_string().get(sd) == simdjson::SUCCESS)
      out.sd = std::string{sd};
  }
  int64_t v = 0;
  if (root["fiveQI"].get_int64().get(v) == simdjson::SUCCESS)
    out.five_qi = static_cast<int>(v);
  if (root["priority"].get_int64().get(v) == simdjson::SUCCESS)
    out.priority = static_cast<int>(v);
  return true;
}

std::string intent_envelope(const intent_response& r, std::string_view extra_metadata) {
  json::writer w;
  w.reserve(1024 + r.value.description.size() + extra_metadata.size());
  w.begin_object();
  write_envelope_members(w, r, extra_metadata);
  w.end_object();
  return w.take();
}

std::string intent_envelope_members(const intent_response& r,
                                    std::string_view extra_metadata) {
  auto text = intent_envelope(r, extra_metadata);
  return text.substr(1, text.size() - 2);
}

} // namespace o2hub::wire
