// Value types exchanged between actors. Every type has a friend inspect() and
// a type ID (protocol/fwd.hpp), so it may cross CAF nodes.
#pragma once

#include "protocol/fwd.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace o2hub {

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
  /// Service-specific fields: a JSON object written by json::writer ("{}" if none).
  std::string details_json = "{}";

  friend bool operator==(const health_report& x, const health_report& y) {
    return x.service == y.service && x.version == y.version
           && x.status == y.status && x.uptime_s == y.uptime_s
           && x.requests_total == y.requests_total
           && x.details_json == y.details_json;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f,
                                                 health_report& x) {
    return f(caf::meta::type_name("o2hub.health_report"), x.service,
             x.version, x.status, x.uptime_s, x.requests_total,
             x.details_json);
  }
};

/// One handled HTTP request, for per-route counters.
struct http_count {
  /// Route pattern, e.g. "/health".
  std::string route;
  /// HTTP status code of the response.
  uint16_t status = 0;

  friend bool operator==(const http_count& x, const http_count& y) {
    return x.route == y.route && x.status == y.status;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, http_count& x) {
    return f(caf::meta::type_name("o2hub.http_count"), x.route, x.status);
  }
};

} // namespace o2hub
