#include "io/http_client.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <curl/curl.h>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace o2hub {

// Named, not anonymous: http_client::impl (a class with external linkage)
// holds transfers.
namespace http_client_detail {

struct transfer {
  fetch_request req;
  std::function<void(fetch_result)> done;
  std::string body;
  curl_slist* headers = nullptr;
  std::chrono::steady_clock::time_point start;
  ~transfer() {
    if (headers)
      curl_slist_free_all(headers);
  }
};

size_t on_data(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  auto bytes = size * n;
  if (t->body.size() < t->req.max_body)
    t->body.append(data, std::min(bytes, t->req.max_body - t->body.size()));
  return bytes;
}

} // namespace http_client_detail

struct http_client::impl {
  CURLM* multi = nullptr;
  std::thread thread;
  mutable std::mutex mtx;
  std::deque<std::unique_ptr<http_client_detail::transfer>> incoming;
  std::unordered_map<CURL*, std::unique_ptr<http_client_detail::transfer>> running;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> count{0};

  void run() {
    while (!stopping) {
      add_incoming();
      int still = 0;
      curl_multi_perform(multi, &still);
      collect();
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    // Abort what is left.
    add_incoming();
    for (auto& [easy, t] : running) {
      curl_multi_remove_handle(multi, easy);
      curl_easy_cleanup(easy);
      fetch_result r;
      r.error = "client stopped";
      t->done(std::move(r));
      --count;
    }
    running.clear();
  }

  void add_incoming() {
    std::deque<std::unique_ptr<http_client_detail::transfer>> batch;
    {
      std::lock_guard<std::mutex> guard{mtx};
      batch.swap(incoming);
    }
    for (auto& t : batch) {
      if (stopping) {
        fetch_result r;
        r.error = "client stopped";
        t->done(std::move(r));
        --count;
        continue;
      }
      CURL* e = curl_easy_init();
      curl_easy_setopt(e, CURLOPT_URL, t->req.url.c_str());
      curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(t->req.timeout_ms));
      curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(t->req.timeout_ms));
      curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_client_detail::on_data);
      curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
      curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, t->req.verify_tls ? 1L : 0L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, t->req.verify_tls ? 2L : 0L);
      if (!t->req.ca_file.empty())
        curl_easy_setopt(e, CURLOPT_CAINFO, t->req.ca_file.c_str());
      if (t->req.method == "POST") {
        t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
        t->headers = curl_slist_append(t->headers, "Expect:");
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(t->req.body.size()));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->req.body.c_str());
      }
      curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
      t->start = std::chrono::steady_clock::now();
      curl_multi_add_handle(multi, e);
      running.emplace(e, std::move(t));
    }
  }

  void collect() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE)
        continue;
      CURL* e = msg->easy_handle;
      auto node = running.extract(e);
      curl_multi_remove_handle(multi, e);
      fetch_result r;
      std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - node.mapped()->start;
      r.latency_ms = took.count();
      if (msg->data.result == CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
        r.status = static_cast<int32_t>(code);
      } else {
        r.timed_out = msg->data.result == CURLE_OPERATION_TIMEDOUT;
        r.error = curl_easy_strerror(msg->data.result);
      }
      r.body = std::move(node.mapped()->body);
      curl_easy_cleanup(e);
      --count;
      node.mapped()->done(std::move(r));
    }
  }
};

http_client::http_client() : impl_(std::make_unique<impl>()) {
  impl_->multi = curl_multi_init();
  impl_->thread = std::thread([this] { impl_->run(); });
}

http_client::~http_client() {
  stop();
  curl_multi_cleanup(impl_->multi);
}

void http_client::fetch(fetch_request req, std::function<void(fetch_result)> done) {
  if (impl_->stopping) {
    fetch_result r;
    r.error = "client stopped";
    done(std::move(r));
    return;
  }
  auto t = std::make_unique<http_client_detail::transfer>();
  t->req = std::move(req);
  t->done = std::move(done);
  ++impl_->count;
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    impl_->incoming.push_back(std::move(t));
  }
  curl_multi_wakeup(impl_->multi);
}

void http_client::stop() {
  if (impl_->stopping.exchange(true))
    return;
  curl_multi_wakeup(impl_->multi);
  if (impl_->thread.joinable())
    impl_->thread.join();
}

size_t http_client::in_flight() const {
  return impl_->count;
}

} // namespace o2hub
