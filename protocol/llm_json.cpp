#include "protocol/llm_json.hpp"

#include "protocol/error.hpp"
#include "protocol/site_name.hpp"

#include <simdjson.h>

#include <cmath>

namespace o2hub {

namespace {

using namespace simdjson;

caf::error bad(std::string what) {
  return caf::error{ec::parse_error, std::move(what)};
}

} // namespace

std::string build_llm_prompt(std::string_view text,
                             const std::vector<std::string>& sites) {
  std::string site_list;
  for (const auto& s : sites)
    site_list += (site_list.empty() ? "" : ", ") + s;
  std::string prompt =
      "You translate a mobile-network operator's request into an O-RAN "
      "deployment intent. Reply with exactly one JSON object and nothing else, "
      "with these fields:\n"
      "  \"intentType\": \"eMBB\", \"URLLC\" or \"mMTC\"\n"
      "  \"targetSites\": a list of site names from ["
      + site_list
      + "]; an "
        "empty list means all sites\n"
        "  \"bandwidthMbps\": downlink bandwidth in Mbps, or null\n"
        "  \"uplinkMbps\": uplink bandwidth in Mbps, or null\n"
        "  \"latencyMs\": maximum latency in milliseconds, or null\n"
        "  \"reliabilityPct\": reliability in percent (e.g. 99.999), or null\n"
        "  \"deviceCount\": number of devices, or null\n"
        "  \"priority\": 1 (lowest) to 10, or null\n"
        "Use null for anything the request does not say. The request:\n";
  prompt += text;
  return prompt;
}

caf::expected<std::string> read_cli_output(std::string_view stdout_text) {
  ondemand::parser parser;
  padded_string padded{stdout_text};
  ondemand::document doc;
  ondemand::object obj;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(obj))
    return bad("the CLI's output is not a JSON object");
  std::string result;
  bool is_error = false;
  std::string type;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key))
      return bad("the CLI's output is not valid JSON");
    if (key == "result") {
      std::string_view v;
      if (field.value().get_string().get(v))
        return bad("the CLI's \"result\" is not a string");
      result = std::string{v};
    } else if (key == "is_error") {
      bool b = false;
      if (field.value().get_bool().get(b) == SUCCESS)
        is_error = b;
    } else if (key == "type") {
      std::string_view v;
      if (field.value().get_string().get(v) == SUCCESS)
        type = std::string{v};
    }
  }
  if (!type.empty() && type != "result")
    return bad("the CLI answered a \"" + type + "\" event, not a result");
  if (is_error)
    return bad("the CLI reported an error");
  if (result.empty())
    return bad("the CLI's output has no \"result\"");
  return result;
}

caf::expected<std::string> read_chat_completion(std::string_view body) {
  dom::parser parser;
  dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc))
    return bad("the completion is not valid JSON");
  std::string_view content;
  if (doc.at_pointer("/choices/0/message/content").get(content))
    return bad("the completion has no choices[0].message.content");
  return std::string{content};
}

caf::expected<std::string> extract_json_object(std::string_view text) {
  // Prefer a fenced block: ```json ... ``` or ``` ... ```.
  if (auto fence = text.find("```"); fence != std::string_view::npos) {
    auto start = text.find('\n', fence);
    auto end = start == std::string_view::npos ? start : text.find("```", start);
    if (end != std::string_view::npos)
      text = text.substr(start + 1, end - start - 1);
  }
  auto open = text.find('{');
  if (open == std::string_view::npos)
    return bad("the model's answer holds no JSON object");
  // Match braces outside strings.
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{')
      ++depth;
    else if (c == '}' && --depth == 0)
      return std::string{text.substr(open, i - open + 1)};
  }
  return bad("the model's JSON object is not closed");
}

caf::expected<llm_answer> parse_llm_answer(std::string_view json_object,
                                           const std::vector<std::string>& sites) {
  dom::parser parser;
  dom::element doc;
  if (parser.parse(json_object.data(), json_object.size()).get(doc))
    return bad("the model's JSON is invalid");
  dom::object obj;
  if (doc.get(obj))
    return bad("the model's JSON is not an object");
  llm_answer a;
  // A number field: absent or null -> -1; else within [min, max].
  auto number = [&](const char* key, double min, double max, double& out) -> caf::error {
    dom::element e;
    if (obj[key].get(e) || e.is_null())
      return {};
    double v = 0;
    if (e.is_int64())
      v = static_cast<double>(int64_t(e));
    else if (e.is_uint64())
      v = static_cast<double>(uint64_t(e));
    else if (e.is_double())
      v = double(e);
    else
      return bad(std::string{"\""} + key + "\" must be a number");
    if (!std::isfinite(v) || v < min || v > max)
      return bad(std::string{"\""} + key + "\" is out of range");
    out = v;
    return {};
  };
  std::string_view type;
  if (obj["intentType"].get(type))
    return bad("\"intentType\" is missing or not a string");
  if (type == "eMBB" || type == "URLLC" || type == "mMTC")
    a.intent_type = std::string{type};
  else
    return bad("\"intentType\" must be eMBB, URLLC or mMTC");
  dom::element site_list;
  if (!obj["targetSites"].get(site_list) && !site_list.is_null()) {
    dom::array arr;
    if (site_list.get(arr))
      return bad("\"targetSites\" must be a list");
    for (auto item : arr) {
      std::string_view name;
      if (item.get(name))
        return bad("\"targetSites\" must hold site names");
      auto canonical = normalize_site_name(name);
      if (std::find(sites.begin(), sites.end(), canonical) == sites.end())
        return bad("the model named an unknown site '" + std::string{name} + "'");
      if (std::find(a.target_sites.begin(), a.target_sites.end(), canonical)
          == a.target_sites.end())
        a.target_sites.push_back(canonical);
    }
  }
  double devices = -1;
  double priority = -1;
  for (auto err :
       {number("bandwidthMbps", 0.001, 1e7, a.bandwidth_mbps),
        number("uplinkMbps", 0.001, 1e7, a.uplink_mbps),
        number("latencyMs", 0.001, 1e5, a.latency_ms),
        number("reliabilityPct", 50, 100, a.reliability_pct),
        number("deviceCount", 1, 1e10, devices), number("priority", 1, 10, priority)})
    if (err)
      return err;
  if (devices >= 0) {
    if (devices != std::floor(devices))
      return bad("\"deviceCount\" must be a whole number");
    a.device_count = static_cast<int64_t>(devices);
  }
  if (priority >= 0) {
    if (priority != std::floor(priority))
      return bad("\"priority\" must be a whole number");
    a.priority = static_cast<int>(priority);
  }
  return a;
}

} // namespace o2hub
