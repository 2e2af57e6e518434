// A non-blocking HTTP client for probes: one thread drives a libcurl multi
// handle (curl_multi_poll, woken by curl_multi_wakeup for new work) and
// calls each request's callback on that thread. Thread-safe.
#pragma once

#include "common/text.hpp" // url_encode
#include "protocol/io_messages.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace o2hub {

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
