// Value types exchanged between actors. Every type has a friend inspect() and
// a type ID (protocol/fwd.hpp), so it may cross CAF nodes.
#pragma once

#include "protocol/fwd.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace o2hub {

/// One service-specific field of GET /health ("session_active": true).
struct health_field {
  enum kinds : uint8_t { text_kind, number_kind, flag_kind };

  std::string key;
  uint8_t kind = text_kind;
  std::string text;
  int64_t number = 0;
  bool flag = false;

  static health_field of(std::string key, std::string text) {
    return {std::move(key), text_kind, std::move(text), 0, false};
  }
  static health_field of(std::string key, int64_t number) {
    return {std::move(key), number_kind, {}, number, false};
  }
  static health_field of(std::string key, bool flag) {
    return {std::move(key), flag_kind, {}, 0, flag};
  }

  friend bool operator==(const health_field& x, const health_field& y) {
    return x.key == y.key && x.kind == y.kind && x.text == y.text && x.number == y.number
           && x.flag == y.flag;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, health_field& x) {
    return f(caf::meta::type_name("o2hub.health_field"), x.key, x.kind, x.text, x.number,
             x.flag);
  }
};

/// A service's health, as GET /health shows it.
struct health_report {
  /// Service name: "intent", "monitor" or "bridge".
  std::string service;
  /// o2hub version.
  std::string version;
  /// "healthy" or "degraded".
  std::string status;
  /// Seconds since the service started.
  double uptime_s = 0;
  /// HTTP requests the service handled.
  uint64_t requests_total = 0;
  /// Service-specific fields, in key order.
  std::vector<health_field> details;

  friend bool operator==(const health_report& x, const health_report& y) {
    return x.service == y.service && x.version == y.version && x.status == y.status
           && x.uptime_s == y.uptime_s && x.requests_total == y.requests_total
           && x.details == y.details;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, health_report& x) {
    return f(caf::meta::type_name("o2hub.health_report"), x.service, x.version, x.status,
             x.uptime_s, x.requests_total, x.details);
  }
};

/// The intent service's counters and LLM state (for /health and /metrics).
struct intent_stats {
  /// "disabled", "healthy" or "degraded" (recent LLM calls failed).
  std::string llm = "disabled";
  uint64_t requests = 0;
  uint64_t answered_by_rules = 0;
  uint64_t answered_by_llm = 0;
  uint64_t fallbacks = 0;
  uint64_t cache_hits = 0;
  uint64_t cache_size = 0;

  friend bool operator==(const intent_stats& x, const intent_stats& y) {
    return x.llm == y.llm && x.requests == y.requests
           && x.answered_by_rules == y.answered_by_rules
           && x.answered_by_llm == y.answered_by_llm && x.fallbacks == y.fallbacks
           && x.cache_hits == y.cache_hits && x.cache_size == y.cache_size;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, intent_stats& x) {
    return f(caf::meta::type_name("o2hub.intent_stats"), x.llm, x.requests,
             x.answered_by_rules, x.answered_by_llm, x.fallbacks, x.cache_hits,
             x.cache_size);
  }
};

} // namespace o2hub
