// Request metrics of one service, rendered in the Prometheus text format.
// Thread-safe: the HTTP threads record, GET /metrics renders.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace o2hub {

class http_metrics {
public:
  /// Upper bounds (seconds) of the latency histogram's buckets.
  static constexpr std::array<double, 12> buckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

  explicit http_metrics(std::string service) : service_(std::move(service)) {}

  /// Records one response.
  void record(const std::string& route, unsigned status, double seconds);

  uint64_t total() const;

  /// o2hub_http_requests_total{service,route,status} and
  /// o2hub_http_request_duration_seconds{service} as Prometheus text.
  std::string render() const;

private:
  std::string service_;
  mutable std::mutex mtx_;
  std::map<std::pair<std::string, unsigned>, uint64_t> requests_;
  std::array<uint64_t, buckets.size()> bucket_counts_{};
  uint64_t count_ = 0;
  double sum_ = 0;
};

/// Escapes a Prometheus label value.
std::string prometheus_label(std::string_view value);

} // namespace o2hub
