#include "io/llm_backends.hpp"

#include "common/json.hpp"
#include "io/subprocess.hpp"
#include "protocol/error.hpp"
#include "protocol/llm_json.hpp"

#include <caf/local_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <atomic>
#include <curl/curl.h>

namespace o2hub {

namespace {

std::atomic<bool> cancelled{false};

std::string first_line(const std::string& s) {
  auto nl = s.find('\n');
  auto line = s.substr(0, std::min<size_t>(nl, 200));
  return line;
}

llm_call_actor::behavior_type cli_call(llm_call_actor::pointer,
                                       std::vector<std::string> argv,
                                       std::chrono::seconds timeout) {
  return {
      [argv = std::move(argv), timeout](atom::run) -> caf::result<std::string> {
        auto res = run_process(argv, timeout);
        if (!res.start_error.empty())
          return caf::error{ec::subprocess_error, res.start_error};
        if (res.timed_out)
          return caf::error{ec::timeout, "the LLM CLI gave no answer within "
                                             + std::to_string(timeout.count()) + " s"};
        if (res.exit_code != 0)
          return caf::error{ec::subprocess_error,
                            "the LLM CLI exited with code "
                                + std::to_string(res.exit_code)
                                + (res.err.empty() ? "" : ": " + first_line(res.err))};
        auto text = read_cli_output(res.out);
        if (!text)
          return std::move(text.error());
        return std::move(*text);
      },
  };
}

size_t collect_reply(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * n > 8 * 1024 * 1024)
    return 0; // too much: abort the transfer
  out->append(data, size * n);
  return size * n;
}

int progress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return cancelled.load() ? 1 : 0;
}

llm_call_actor::behavior_type http_llm_call(llm_call_actor::pointer, std::string url,
                                            std::string body, std::string api_key,
                                            std::chrono::seconds timeout) {
  return {
      [=](atom::run) -> caf::result<std::string> {
        CURL* h = curl_easy_init();
        if (!h)
          return caf::error{ec::network_error, "cannot create an HTTP client"};
        std::string response;
        curl_slist* headers = nullptr;
        headers = curl_slist_append(headers, "Content-Type: application/json");
        std::string auth;
        if (!api_key.empty()) {
          auth = "Authorization: Bearer " + api_key;
          headers = curl_slist_append(headers, auth.c_str());
        }
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                         static_cast<long>(timeout.count() * 1000));
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_reply);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        auto rc = curl_easy_perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        if (rc == CURLE_OPERATION_TIMEDOUT)
          return caf::error{ec::timeout, "the LLM endpoint gave no answer within "
                                             + std::to_string(timeout.count()) + " s"};
        if (rc != CURLE_OK)
          return caf::error{ec::network_error, std::string{"the LLM endpoint failed: "}
                                                   + curl_easy_strerror(rc)};
        if (status < 200 || status > 299)
          return caf::error{ec::network_error,
                            "the LLM endpoint answered HTTP " + std::to_string(status)};
        auto text = read_chat_completion(response);
        if (!text)
          return std::move(text.error());
        return std::move(*text);
      },
  };
}

} // namespace

llm_spawner make_cli_llm(std::vector<std::string> argv, std::chrono::seconds timeout) {
  return [argv = std::move(argv), timeout](caf::local_actor* self, std::string prompt) {
    auto args = argv;
    for (auto& a : args) {
      auto pos = a.find("{prompt}");
      if (pos != std::string::npos)
        a.replace(pos, 8, prompt);
    }
    return self->spawn<caf::detached>(cli_call, std::move(args), timeout);
  };
}

llm_spawner make_http_llm(std::string endpoint, std::string model, std::string api_key,
                          std::chrono::seconds timeout) {
  while (!endpoint.empty() && endpoint.back() == '/')
    endpoint.pop_back();
  auto url = endpoint + "/v1/chat/completions";
  return [url, model = std::move(model), api_key = std::move(api_key),
          timeout](caf::local_actor* self, std::string prompt) {
    json::writer w;
    w.begin_object()
        .kv("model", model)
        .kv("temperature", 0)
        .key("messages")
        .begin_array();
    w.begin_object().kv("role", "user").kv("content", prompt).end_object();
    w.end_array().end_object();
    return self->spawn<caf::detached>(http_llm_call, url, w.take(), api_key, timeout);
  };
}

void cancel_llm_calls() {
  cancelled = true;
  cancel_all_processes();
}

void init_http_client() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

} // namespace o2hub
