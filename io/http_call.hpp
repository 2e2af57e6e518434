// One blocking HTTP request with libcurl's easy interface: for programs and
// threads that may wait (the console, the git and edge-sim helpers), never
// for an actor of the shared pool.
#pragma once

#include "io/http_client.hpp"

#include <string>
#include <vector>

namespace o2hub {

struct http_call_request {
  std::string method = "GET";
  std::string url;
  /// Sent as application/json when not empty.
  std::string body;
  /// "Authorization: Bearer <token>" when not empty.
  std::string bearer;
  long timeout_ms = 5000;
  size_t max_body = 4 * 1024 * 1024;
  /// PEM CA bundle to verify an https server with ("" = the system's).
  std::string ca_file;
};

/// Performs the request; a result with status 0 and `error` when no
/// response came.
fetch_result http_call(const http_call_request& req);

} // namespace o2hub
