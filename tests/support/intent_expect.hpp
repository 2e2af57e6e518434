// The operator-sentence fixture (tests/fixtures/operator-intents.jsonl):
// reading it and comparing what o2hub understood with what a line expects.
// Shared by the pure-engine test and the HTTP test, so both judge alike.
//
// A line: {"text": "...", "expect": {...}} where expect may hold
//   intentType, targetSites, bandwidthMbps, uplinkMbps, latencyMs,
//   reliabilityPct, deviceCount   (null: must be absent),
//   action                        ("deploy" | "modify" | "remove"),
//   corrections                   ([{"from","to"}], each must be reported),
//   refuse                        ("not_an_intent" | "unknown_site" | "infeasible").
// Fields a line does not list are not checked.
#pragma once

#include "protocol/intent.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace o2hub::test {

struct fixture_line {
  std::string text;
  std::string expect_json;
};

inline std::vector<fixture_line> read_fixture(const std::string& path) {
  std::vector<fixture_line> out;
  std::ifstream in{path};
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    simdjson::dom::element e;
    if (parser.parse(line).get(e))
      throw std::runtime_error("invalid fixture line: " + line);
    std::string_view text;
    simdjson::dom::element expect;
    if (e["text"].get_string().get(text) || e["expect"].get(expect))
      throw std::runtime_error("fixture line without text or expect: " + line);
    out.push_back({std::string{text}, simdjson::minify(expect)});
  }
  return out;
}

/// What o2hub made of a sentence: a refusal code, or an intent.
struct understood {
  std::string refused; // "" or the error code
  intent value;
  std::vector<text_correction> corrections;
};

/// Every difference between `expect_json` and `got`, in words (empty: the
/// sentence was understood fully right).
inline std::vector<std::string> differences(const std::string& expect_json,
                                            const understood& got) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  simdjson::dom::object expect = parser.parse(expect_json).get_object();
  std::string_view refuse;
  if (expect["refuse"].get_string().get(refuse) == simdjson::SUCCESS) {
    if (got.refused != refuse)
      out.push_back("expected refusal " + std::string{refuse} + ", got "
                    + (got.refused.empty() ? "an intent" : got.refused));
    return out;
  }
  if (!got.refused.empty()) {
    out.push_back("refused (" + got.refused + ")");
    return out;
  }
  auto num = [&](const char* key, double have) {
    simdjson::dom::element e;
    if (expect[key].get(e))
      return;
    std::ostringstream msg;
    if (e.is_null()) {
      if (have >= 0) {
        msg << key << ": expected absent, got " << have;
        out.push_back(msg.str());
      }
      return;
    }
    double want = e.get_double();
    if (!(std::fabs(want - have) <= 1e-9 * std::max(1.0, std::fabs(want)))) {
      msg.precision(12);
      msg << key << ": expected " << want << ", got " << have;
      out.push_back(msg.str());
    }
  };
  auto& x = got.value;
  num("bandwidthMbps", x.bandwidth_mbps);
  num("uplinkMbps", x.uplink_mbps);
  num("latencyMs", x.latency_ms);
  num("reliabilityPct", x.reliability_pct);
  num("deviceCount", static_cast<double>(x.device_count));
  std::string_view s;
  if (expect["intentType"].get_string().get(s) == simdjson::SUCCESS && s != x.intent_type)
    out.push_back("intentType: expected " + std::string{s} + ", got " + x.intent_type);
  if (expect["action"].get_string().get(s) == simdjson::SUCCESS && s != x.action)
    out.push_back("action: expected " + std::string{s} + ", got " + x.action);
  simdjson::dom::array a;
  if (expect["targetSites"].get_array().get(a) == simdjson::SUCCESS) {
    std::string want, have;
    for (auto v : a)
      want += (want.empty() ? "" : ",") + std::string{v.get_string().value()};
    for (auto& v : x.target_sites)
      have += (have.empty() ? "" : ",") + v;
    if (want != have)
      out.push_back("targetSites: expected " + want + ", got " + have);
  }
  if (expect["corrections"].get_array().get(a) == simdjson::SUCCESS)
    for (auto c : a) {
      std::string from{c["from"].get_string().value()};
      std::string to{c["to"].get_string().value()};
      bool found = std::any_of(got.corrections.begin(), got.corrections.end(),
                               [&](auto& k) { return k.from == from && k.to == to; });
      if (!found)
        out.push_back("correction " + from + " -> " + to + " not reported");
    }
  return out;
}

} // namespace o2hub::test
