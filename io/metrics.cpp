#include "io/metrics.hpp"

#include "protocol/intent_json.hpp"

namespace o2hub {

std::string prometheus_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void http_metrics::record(const std::string& route, unsigned status, double seconds) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++requests_[{route, status}];
  for (size_t i = 0; i < buckets.size(); ++i)
    if (seconds <= buckets[i])
      ++bucket_counts_[i];
  ++count_;
  sum_ += seconds;
}

uint64_t http_metrics::total() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return count_;
}

std::string http_metrics::render() const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto svc = prometheus_label(service_);
  std::string out;
  out += "# HELP o2hub_http_requests_total HTTP responses by route and status.\n"
         "# TYPE o2hub_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += "o2hub_http_requests_total{service=\"" + svc + "\",route=\""
           + prometheus_label(key.first) + "\",status=\"" + std::to_string(key.second)
           + "\"} " + std::to_string(n) + "\n";
  out += "# HELP o2hub_http_request_duration_seconds Time to answer a request.\n"
         "# TYPE o2hub_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < buckets.size(); ++i)
    out += "o2hub_http_request_duration_seconds_bucket{service=\"" + svc + "\",le=\""
           + wire::format_number(buckets[i]) + "\"} " + std::to_string(bucket_counts_[i])
           + "\n";
  out += "o2hub_http_request_duration_seconds_bucket{service=\"" + svc
         + "\",le=\"+Inf\"} " + std::to_string(count_) + "\n";
  out += "o2hub_http_request_duration_seconds_sum{service=\"" + svc + "\"} "
         + wire::format_number(sum_) + "\n";
  out += "o2hub_http_request_duration_seconds_count{service=\"" + svc + "\"} "
         + std::to_string(count_) + "\n";
  return out;
}

} // namespace o2hub
