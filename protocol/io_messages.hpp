// Value types of the I/O actors' interfaces (protocol/actors.hpp): an HTTP
// request to an edge and its result, a change to a GitOps repository. Every
// type has a friend inspect() and a type ID, so it may cross CAF nodes.
#pragma once

#include "protocol/fwd.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace o2hub {

/// One HTTP request: a GET to an edge endpoint (O2 IMS, Prometheus,
/// Kubernetes), or a POST of JSON (TMF921 event notifications).
struct fetch_request {
  std::string url;
  /// "GET" or "POST"; a POST sends `body` as application/json.
  std::string method = "GET";
  std::string body;
  int64_t timeout_ms = 2000;
  /// For https: check the peer (with `ca_file` when set).
  bool verify_tls = true;
  std::string ca_file;
  /// Keep at most this much of the body.
  uint64_t max_body = 64 * 1024;

  friend bool operator==(const fetch_request& x, const fetch_request& y) {
    return x.url == y.url && x.method == y.method && x.body == y.body
           && x.timeout_ms == y.timeout_ms && x.verify_tls == y.verify_tls
           && x.ca_file == y.ca_file && x.max_body == y.max_body;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, fetch_request& x) {
    return f(caf::meta::type_name("o2hub.fetch_request"), x.url, x.method, x.body,
             x.timeout_ms, x.verify_tls, x.ca_file, x.max_body);
  }
};

/// What came back: the status and body, or why nothing did.
struct fetch_result {
  /// HTTP status; 0 when no response came.
  int32_t status = 0;
  double latency_ms = 0;
  bool timed_out = false;
  /// The client's message when no response came.
  std::string error;
  std::string body;

  friend bool operator==(const fetch_result& x, const fetch_result& y) {
    return x.status == y.status && x.latency_ms == y.latency_ms
           && x.timed_out == y.timed_out && x.error == y.error && x.body == y.body;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, fetch_result& x) {
    return f(caf::meta::type_name("o2hub.fetch_result"), x.status, x.latency_ms,
             x.timed_out, x.error, x.body);
  }
};

/// One commit to a GitOps repository: files to write (path -> content) and
/// folders to remove, relative to the repository's root.
struct git_change {
  std::string message;
  std::map<std::string, std::string> write;
  std::vector<std::string> remove;

  friend bool operator==(const git_change& x, const git_change& y) {
    return x.message == y.message && x.write == y.write && x.remove == y.remove;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, git_change& x) {
    return f(caf::meta::type_name("o2hub.git_change"), x.message, x.write, x.remove);
  }
};

/// Records of a records_actor table, oldest insertion first.
struct record_list {
  std::vector<std::string> keys;
  std::vector<std::string> values;

  friend bool operator==(const record_list& x, const record_list& y) {
    return x.keys == y.keys && x.values == y.values;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, record_list& x) {
    return f(caf::meta::type_name("o2hub.record_list"), x.keys, x.values);
  }
};

} // namespace o2hub
