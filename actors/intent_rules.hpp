// The rule engine: understands an operator's sentence (English or Chinese)
// without any I/O. Pure functions; the intent actor calls them.
#pragma once

#include "protocol/intent.hpp"

#include <cstdint>
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
};

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
