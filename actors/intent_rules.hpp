// The rule engine: understands an operator's sentence (English or Chinese)
// without any I/O. Pure functions; the intent actor calls them.
#pragma once

#include "protocol/intent.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub {

/// What the rules read from a sentence; `absent` (-1) where it says nothing.
struct rule_reading {
  /// "eMBB", "URLLC", "mMTC", or empty when nothing in the text tells.
  std::string intent_type;
  /// Configured sites the text names, in order of appearance.
  std::vector<std::string> sites;
  /// Sites the text names that are not configured ("edge9").
  std::vector<std::string> unknown_sites;
  /// True when the text said "all sites" (or the like).
  bool all_sites = false;
  /// Sites the text excludes ("all sites except edge3").
  std::vector<std::string> excluded_sites;
  double downlink_mbps = absent;
  double uplink_mbps = absent;
  double latency_ms = absent;
  double reliability_pct = absent;
  double availability_pct = absent;
  int64_t device_count = -1;
  /// Explicit priority 1..10, or -1.
  int priority = -1;
  /// Priority adjustment from words such as "urgent" or "low priority".
  int priority_bump = 0;
  std::string sd;
  /// "deploy", "modify" or "remove" (actors/rules/safety.cpp).
  std::string action = "deploy";
  /// True when a verb said what to do (deploy, change, remove ...).
  bool verb = false;
  /// True when the text is a question ("who deployed edge2?", "is edge1
  /// healthy?"), not a request ("how about URLLC on edge2?", "can you ...").
  bool question = false;
  /// Words read as others: site-name typos ("edg02" -> "edge2").
  std::vector<text_correction> corrections;
};

/// True when the text names no type, use, site, requirement or action, or
/// is a question that names no type or requirement: not an intent (a
/// greeting, a question about the weather, "who deployed edge2?").
bool says_nothing(const rule_reading& r);

/// What the configured sites can offer (intent.limits, edge sites'
/// capacity_mbps).
struct intent_limits {
  double min_latency_ms = 0.5;
  double max_reliability_pct = 99.99999;
  int64_t max_devices = 10'000'000;
  /// Per canonical site; sites not listed: `default_capacity_mbps`.
  std::map<std::string, double> capacity_mbps;
  double default_capacity_mbps = 10'000;
};

/// Every reason why `x` asks for more than the sites can offer (empty:
/// feasible). 0 ms latency is infeasible, not "unset".
std::vector<std::string> infeasible_reasons(const intent& x, const intent_limits& limits);

/// "high", "medium" or "low" for an intent built with these defaults and
/// corrections.
std::string confidence_of(const std::vector<std::string>& defaulted,
                          const std::vector<text_correction>& corrections);

/// Reads a sentence. `configured` are the canonical names of the configured
/// sites ("edge1", ...), used for "all sites", "both" and ordinals.
rule_reading read_intent_text(std::string_view text,
                              const std::vector<std::string>& configured);

/// Builds the full intent from a reading: request sites win over text
/// sites, which win over all configured sites; defaults (eMBB 200Mbps/30ms,
/// URLLC 50Mbps/1ms/99.999%, mMTC 10Mbps) fill the gaps and are listed in
/// `defaulted`.
intent make_intent(const rule_reading& reading, const intent_request& req,
                   const std::vector<std::string>& configured, std::string intent_id,
                   std::vector<std::string>& defaulted);

/// A new intent id: "intent-<unix ms>-<8 hex>", unique even for many calls
/// in the same millisecond.
std::string next_intent_id(std::chrono::system_clock::time_point now);

} // namespace o2hub
