// A non-blocking HTTP client for probes: one thread drives a libcurl multi
// handle (curl_multi_poll, woken by curl_multi_wakeup for new work) and
// calls each request's callback on that thread. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace o2hub {

struct fetch_request {
  std::string url;
  long timeout_ms = 2000;
  /// For https: check the peer (with `ca_file` when set).
  bool verify_tls = true;
  std::string ca_file;
  /// Keep at most this much of the body.
  size_t max_body = 64 * 1024;
};

struct fetch_result {
  /// HTTP status; 0 when no response came.
  long status = 0;
  double latency_ms = 0;
  bool timed_out = false;
  /// curl's message when no response came.
  std::string error;
  std::string body;
};

/// Percent-encodes everything but RFC 3986's unreserved characters, for
/// query values and path segments.
std::string url_encode(std::string_view s);

class http_client {
public:
  http_client();
  ~http_client();

  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// Starts a request; `done` runs on the client's thread (keep it short:
  /// send a message and return). After stop(), `done` gets an error.
  void fetch(fetch_request req, std::function<void(fetch_result)> done);

  /// Aborts pending requests (their callbacks get an error) and joins.
  void stop();

  /// Requests in flight (for metrics).
  size_t in_flight() const;

  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

} // namespace o2hub
