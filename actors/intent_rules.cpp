#include "actors/intent_rules.hpp"

#include "actors/rules/tokens.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <random>

namespace o2hub {

using namespace rules;

// -- public --------------------------------------------------------------------

rule_reading read_intent_text(std::string_view text,
                              const std::vector<std::string>& configured) {
  auto t = tokenize(text);
  rule_reading r;
  normalize_words(t, r.corrections);
  read_sites(t, configured, r);
  read_bandwidth(t, r);
  read_quantities(t, r);
  r.intent_type = read_type(t, r);
  read_action(t, r);
  return r;
}

intent make_intent(const rule_reading& reading, const intent_request& req,
                   const std::vector<std::string>& configured, std::string intent_id,
                   std::vector<std::string>& defaulted) {
  intent x;
  x.intent_id = std::move(intent_id);
  x.description = req.text;
  x.intent_type = reading.intent_type;
  if (x.intent_type.empty()) {
    x.intent_type = "eMBB";
    defaulted.emplace_back("intentType");
  }
  // Sites: the request's, else the text's, else all configured; less the
  // ones the text excludes ("all sites except edge3").
  auto excluded = [&](const std::string& s) {
    return std::find(reading.excluded_sites.begin(), reading.excluded_sites.end(), s)
           != reading.excluded_sites.end();
  };
  if (!req.target_sites.empty()) {
    x.target_sites = req.target_sites;
  } else {
    bool named = !reading.sites.empty() && !reading.all_sites;
    for (const auto& s : named ? reading.sites : configured)
      if (!excluded(s))
        x.target_sites.push_back(s);
    if (!named && !reading.all_sites && reading.excluded_sites.empty())
      defaulted.emplace_back("targetSites");
  }
  struct defaults_row {
    const char* type;
    double bandwidth;
    double latency;
    double reliability;
    int sst;
    int five_qi;
    int priority;
  };
  static constexpr std::array<defaults_row, 3> table{{
      {"eMBB", 200, 30, absent, 1, 9, 5},
      {"URLLC", 50, 1, 99.999, 2, 82, 8},
      {"mMTC", 10, 100, absent, 3, 8, 4},
  }};
  const auto& d = *std::find_if(table.begin(), table.end(),
                                [&](auto& row) { return x.intent_type == row.type; });
  x.bandwidth_mbps = reading.downlink_mbps;
  if (x.bandwidth_mbps < 0) {
    x.bandwidth_mbps = d.bandwidth;
    defaulted.emplace_back("bandwidth");
  }
  x.uplink_mbps = reading.uplink_mbps;
  x.latency_ms = reading.latency_ms;
  if (x.latency_ms < 0) {
    x.latency_ms = d.latency;
    defaulted.emplace_back("latency");
  }
  x.reliability_pct = reading.reliability_pct;
  if (x.reliability_pct < 0 && d.reliability > 0) {
    x.reliability_pct = d.reliability;
    defaulted.emplace_back("reliability");
  }
  x.device_count = reading.device_count;
  x.availability_pct = reading.availability_pct > 0 ? reading.availability_pct
                       : x.reliability_pct > 0      ? x.reliability_pct
                                                    : 99.9;
  x.sst = d.sst;
  x.sd = reading.sd;
  x.five_qi = d.five_qi;
  x.priority = reading.priority > 0
                   ? reading.priority
                   : std::clamp(d.priority + reading.priority_bump, 1, 10);
  x.action = reading.action;
  return x;
}

std::string next_intent_id(std::chrono::system_clock::time_point now) {
  static std::atomic<uint32_t> counter{[] {
    std::random_device rd;
    return static_cast<uint32_t>(rd());
  }()};
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch())
                .count();
  // "intent-<ms>-<8 hex digits>", without snprintf's format parsing (1,600
  // instructions per intent; 200 this way, issue 16).
  char buf[48] = "intent-";
  auto res = std::to_chars(buf + 7, buf + 32, static_cast<long long>(ms));
  char* at = res.ptr;
  *at++ = '-';
  static constexpr char hex[] = "0123456789abcdef";
  uint32_t n = counter.fetch_add(1);
  for (int shift = 28; shift >= 0; shift -= 4)
    *at++ = hex[(n >> shift) & 0xF];
  return std::string(buf, at);
}

} // namespace o2hub
