#include "actors/tmf/read_parts.hpp"
#include "common/json.hpp"
#include "common/text.hpp"
#include "protocol/intent_json.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>

namespace o2hub::tmf {

namespace {

using namespace detail;
using simdjson::dom::element;
using simdjson::dom::object;

/// Fields of an Intent_FVO a client may set (besides name and description).
const std::vector<std::string>& client_fields() {
  static const std::vector<std::string> xs{"@type",
                                           "@baseType",
                                           "@schemaLocation",
                                           "expression",
                                           "validFor",
                                           "isBundle",
                                           "priority",
                                           "context",
                                           "intentSpecification",
                                           "intentRelationship",
                                           "characteristic",
                                           "relatedParty",
                                           "attachment"};
  return xs;
}

/// A number, or a string holding one ("10", "10.5").
bool number_of(element v, double& out) {
  if (v.get_double().get(out) == simdjson::SUCCESS)
    return std::isfinite(out);
  int64_t i = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS)
    return out = static_cast<double>(i), true;
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS || s.empty() || s.size() > 32)
    return false;
  std::string text{s};
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

refusal slice_type(std::string_view v, rule_reading& r) {
  for (const char* t : {"eMBB", "URLLC", "mMTC"})
    if (iequals(v, t))
      return r.intent_type = t, refusal{};
  return bad("sliceType must be eMBB, URLLC or mMTC, not '" + std::string{v.substr(0, 40)}
             + "'");
}

refusal sst_type(double sst, rule_reading& r) {
  static const char* names[] = {"eMBB", "URLLC", "mMTC"};
  if (sst != 1 && sst != 2 && sst != 3)
    return bad("sst must be 1 (eMBB), 2 (URLLC) or 3 (mMTC)");
  std::string t = names[static_cast<int>(sst) - 1];
  if (!r.intent_type.empty() && r.intent_type != t)
    return bad("sst " + std::to_string(static_cast<int>(sst)) + " contradicts sliceType "
               + r.intent_type);
  r.intent_type = t;
  return {};
}

/// One requirement by its (lower-case) name: sites, numbers.
refusal requirement(const std::string& name, element v, rule_reading& r) {
  if (name == "slicetype" || name == "servicetype" || name == "intenttype") {
    std::string_view s;
    if (v.get_string().get(s))
      return bad(name + " must be a string");
    return slice_type(s, r);
  }
  if (name == "targetsite" || name == "targetsites" || name == "site") {
    std::vector<element> items;
    simdjson::dom::array arr;
    if (v.get_array().get(arr) == simdjson::SUCCESS)
      for (auto e : arr)
        items.push_back(e);
    else
      items.push_back(v);
    for (auto e : items) {
      std::string_view s;
      if (e.get_string().get(s) || s.empty() || s.size() > 64)
        return bad("a target site is a name of 1 to 64 characters");
      r.sites.emplace_back(s);
    }
    return {};
  }
  double x = 0;
  if (!number_of(v, x) || x < 0)
    return bad("characteristic " + name + " must be a non-negative number");
  if (name == "sst")
    return sst_type(x, r);
  if (name == "mindownlinkthroughputmbps" || name == "downlinkmbps"
      || name == "bandwidthmbps")
    r.downlink_mbps = x;
  else if (name == "minuplinkthroughputmbps" || name == "uplinkmbps")
    r.uplink_mbps = x;
  else if (name == "maxlatencyms" || name == "latencyms")
    r.latency_ms = x;
  else if (name == "minreliabilitypct" || name == "reliabilitypct") {
    if (x > 100)
      return bad("reliability is a percentage (at most 100)");
    r.reliability_pct = x;
  } else if (name == "availabilitypct") {
    if (x > 100)
      return bad("availability is a percentage (at most 100)");
    r.availability_pct = x;
  } else if (name == "devicecount" || name == "maxdevices") {
    if (x != std::floor(x) || x > 1e12)
      return bad("deviceCount must be a whole number");
    r.device_count = static_cast<int64_t>(x);
  } else if (name == "priority") {
    if (x < 1 || x > 10 || x != std::floor(x))
      return bad("priority must be a whole number from 1 to 10");
    r.priority = static_cast<int>(x);
  } else {
    return bad("unknown characteristic '" + name.substr(0, 64) + "'");
  }
  return {};
}

refusal read_characteristics(simdjson::dom::array list, rule_reading& r) {
  if (list.size() > 64)
    return bad("at most 64 characteristics");
  for (auto c : list) {
    object o;
    std::string_view name;
    element v;
    if (c.get_object().get(o) || o["name"].get_string().get(name) || name.empty()
        || o["value"].get(v))
      return bad("every characteristic is an object with a name and a value");
    if (auto no = requirement(to_lower(name), v, r))
      return no;
  }
  return {};
}

/// A JSON-LD term without its prefix ("ex:site" -> "site").
std::string_view local_name(std::string_view term) {
  auto colon = term.rfind(':');
  return colon == std::string_view::npos ? term : term.substr(colon + 1);
}

/// A quan:smaller / quan:larger bound: its value in o2hub's unit.
refusal bound(std::string_view property, element q, rule_reading& r) {
  element value;
  double x = 0;
  std::string_view unit;
  if (q["rdf:value"].get(value) || (value.is_object() && value["@value"].get(value))
      || !number_of(value, x) || x < 0)
    return bad("a condition on " + std::string{property}
               + " needs a non-negative rdf:value");
  if (q["quan:unit"].get_string().get(unit) != simdjson::SUCCESS)
    unit = {};
  auto u = to_lower(unit);
  if (property == "latency") {
    if (u == "us" || u == "µs")
      x /= 1000;
    else if (u == "s")
      x *= 1000;
    else if (!u.empty() && u != "ms")
      return bad("unknown latency unit '" + u + "'");
    r.latency_ms = x;
    return {};
  }
  if (property == "bandwidth" || property == "downlink" || property == "uplink") {
    if (u == "gbit/s" || u == "gbps")
      x *= 1000;
    else if (u == "kbit/s" || u == "kbps")
      x /= 1000;
    else if (!u.empty() && u != "mbit/s" && u != "mbps")
      return bad("unknown bandwidth unit '" + u + "'");
    (property == "uplink" ? r.uplink_mbps : r.downlink_mbps) = x;
    return {};
  }
  if (property == "reliability" && x <= 100)
    return r.reliability_pct = x, refusal{};
  if (property == "devices")
    return r.device_count = static_cast<int64_t>(x), refusal{};
  return bad("no requirement o2hub knows on '" + std::string{property} + "'");
}

/// Walks a JSON-LD expression for o2hub's terms; `found` counts them.
refusal walk(element e, rule_reading& r, int& found, int depth) {
  if (depth > 32)
    return bad("the expression is nested too deeply");
  simdjson::dom::array arr;
  if (e.get_array().get(arr) == simdjson::SUCCESS) {
    for (auto x : arr)
      if (auto no = walk(x, r, found, depth + 1))
        return no;
    return {};
  }
  object o;
  if (e.get_object().get(o))
    return {};
  for (auto [k, v] : o) {
    auto term = local_name(k);
    if (k == "@context")
      continue;
    if (term == "site" || term == "sliceType" || term == "sst") {
      ++found;
      std::string lower = to_lower(term);
      if (auto no = requirement(lower == "site" ? "targetsite" : lower, v, r))
        return no;
    } else if (term == "valuesOfTargetProperty") {
      std::string_view id;
      if (v["@id"].get_string().get(id))
        return bad("icm:valuesOfTargetProperty needs an @id");
      element q;
      if (o["quan:smaller"].get(q) && o["quan:larger"].get(q) && o["quan:atMost"].get(q)
          && o["quan:atLeast"].get(q))
        return bad("a condition on " + std::string{id} + " needs a quan bound");
      ++found;
      if (auto no = bound(local_name(id), q, r))
        return no;
    } else if (auto no = walk(v, r, found, depth + 1)) {
      return no;
    }
  }
  return {};
}

/// A stated intent needs its type and its sites; the rest may default.
refusal complete(const rule_reading& r) {
  if (r.intent_type.empty())
    return {422, "notUnderstood", "the intent states no sliceType (or sst)"};
  if (r.sites.empty())
    return {422, "notUnderstood", "the intent states no targetSite"};
  return {};
}

} // namespace

const std::vector<std::string>& characteristic_names() {
  static const std::vector<std::string> xs{"sliceType",
                                           "sst",
                                           "targetSite",
                                           "minDownlinkThroughputMbps",
                                           "minUplinkThroughputMbps",
                                           "maxLatencyMs",
                                           "minReliabilityPct",
                                           "availabilityPct",
                                           "deviceCount",
                                           "priority"};
  return xs;
}

const std::vector<std::string>& event_types() {
  static const std::vector<std::string> xs{
      "IntentCreateEvent", "IntentAttributeValueChangeEvent", "IntentStatusChangeEvent",
      "IntentDeleteEvent", "IntentReportCreateEvent"};
  return xs;
}

refusal read_intent(std::string_view body, intent_body& out) {
  simdjson::dom::parser p;
  object o;
  if (auto no = parse_object(p, body, o, "an Intent"))
    return no;
  std::string_view type;
  if (o["@type"].get_string().get(type) || type != "Intent")
    return bad("@type must be \"Intent\"");
  std::string_view name;
  if (o["name"].get_string().get(name) || name.empty() || name.size() > 256)
    return bad("name is required: a string of 1 to 256 characters");
  out.name = std::string{name};
  element expr;
  object expr_obj;
  if (o["expression"].get(expr) || expr.get_object().get(expr_obj))
    return bad("expression is required: an object (JsonLdExpression)");
  std::string_view text;
  if (auto d = o["description"]; !d.error()) {
    if (d.get_string().get(text) || text.size() > 4096)
      return bad("description is a string of at most 4096 characters");
    out.description = std::string{text};
  }
  json::writer w;
  w.begin_object();
  for (auto [k, v] : o) {
    if (has(owned(), k))
      continue;
    if (k != "name" && k != "description" && !has(client_fields(), k))
      return bad("unknown field '" + std::string{k.substr(0, 64)} + "'");
    w.key(k).raw(simdjson::minify(v));
  }
  w.end_object();
  out.doc = w.take();
  out.stated = {};
  simdjson::dom::array chars;
  if (o["characteristic"].get_array().get(chars) == simdjson::SUCCESS
      && chars.size() > 0) {
    out.form = "characteristic";
    if (auto no = read_characteristics(chars, out.stated))
      return no;
    return complete(out.stated);
  }
  element value;
  bool has_value = !expr_obj["expressionValue"].get(value);
  if (has_value && value.is_object()) {
    int found = 0;
    if (auto no = walk(value, out.stated, found, 0))
      return no;
    if (found > 0) {
      out.form = "jsonld";
      return complete(out.stated);
    }
  }
  out.form = "sentence";
  if (!out.description.empty())
    out.sentence = out.description;
  else if (has_value && !value.get_string().get(text) && !text.empty()
           && text.size() <= 4096)
    out.sentence = std::string{text};
  else
    return {422, "notUnderstood",
            "nothing states the intent: give characteristic (sliceType, targetSite, "
            "minDownlinkThroughputMbps, maxLatencyMs, ...), a JSON-LD "
            "expression with o2hub's terms, or the sentence in description"};
  return {};
}

std::string statement_of(const intent_body& b) {
  if (b.form == "sentence")
    return "sentence\n" + b.sentence;
  const auto& r = b.stated;
  json::writer w;
  w.begin_array().value(r.intent_type);
  for (const auto& s : r.sites)
    w.value(s);
  w.value(r.downlink_mbps)
      .value(r.uplink_mbps)
      .value(r.latency_ms)
      .value(r.reliability_pct)
      .value(r.availability_pct)
      .value(r.device_count)
      .value(r.priority)
      .end_array();
  return w.take();
}

intent stated_intent(const intent_body& b, std::vector<std::string>& defaulted) {
  intent_request req;
  req.text = b.description.empty() ? b.name : b.description;
  req.target_sites = b.stated.sites;
  return make_intent(b.stated, req, {}, {}, defaulted);
}

} // namespace o2hub::tmf
