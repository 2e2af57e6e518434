#include "io/http_call.hpp"

#include <chrono>
#include <curl/curl.h>

namespace o2hub {

namespace {

struct sink_t {
  std::string* out;
  size_t max;
};

size_t collect_body(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<sink_t*>(user);
  auto len = size * n;
  if (s->out->size() < s->max)
    s->out->append(data, std::min(len, s->max - s->out->size()));
  return len;
}

} // namespace

fetch_result http_call(const http_call_request& req) {
  fetch_result res;
  CURL* h = curl_easy_init();
  if (!h) {
    res.error = "curl_easy_init failed";
    return res;
  }
  curl_slist* headers = nullptr;
  std::string auth;
  if (!req.body.empty())
    headers = curl_slist_append(headers, "Content-Type: application/json");
  if (!req.bearer.empty()) {
    auth = "Authorization: Bearer " + req.bearer;
    headers = curl_slist_append(headers, auth.c_str());
  }
  sink_t sink{&res.body, req.max_body};
  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  if (req.method == "GET" && req.body.empty())
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  if (!req.body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.body.size()));
  }
  if (headers)
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req.timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(req.timeout_ms, 5000L));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!req.ca_file.empty())
    curl_easy_setopt(h, CURLOPT_CAINFO, req.ca_file.c_str());
  auto start = std::chrono::steady_clock::now();
  auto rc = curl_easy_perform(h);
  res.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
          .count();
  if (rc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res.status);
  } else {
    res.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    res.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(h);
  return res;
}

} // namespace o2hub
