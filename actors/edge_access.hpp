// Asking an edge site directly over HTTP: the pipeline's O2 IMS and PromQL
// questions turned into requests to the site's own endpoints, and the
// answers read into values. The agent hub uses it for sites without an
// agent; an edge agent uses it for its own site.
#pragma once

#include "config/config.hpp"
#include "protocol/actors.hpp"
#include "protocol/edge_answers.hpp"
#include "protocol/error.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace o2hub {

/// The HTTP request that answers `q` at `site`; an empty URL: a question of
/// an unknown kind.
fetch_request edge_request(const edge_site& site, const edge_query& q, int timeout_ms);

/// Reads a site's HTTP answer to `q` (edge_answers.hpp).
edge_answer read_edge_answer(const edge_query& q, const fetch_result& r);

/// The answer when a site cannot be asked at all: `why` as the O2 IMS
/// phase's message ("unreachable") or as the PromQL value's error.
edge_answer unanswered(const edge_query& q, const std::string& why);

/// Asks `site` over HTTP through `http`; calls `done(edge_answer)` once.
template <class Self, class F>
void ask_directly(Self* self, const http_client_actor& http, const edge_site& site,
                  const edge_query& q, int timeout_ms, F done) {
  auto req = edge_request(site, q, timeout_ms);
  if (req.url.empty())
    return done(unanswered(q, "unknown question '" + q.kind + "'"));
  auto deadline = std::chrono::milliseconds(timeout_ms) + std::chrono::seconds(5);
  self->request(http, deadline, atom::fetch_v, std::move(req))
      .then(
          [q, done](const fetch_result& r) mutable { done(read_edge_answer(q, r)); },
          [q, done](const caf::error& err) mutable { done(unanswered(q, render(err))); });
}

struct direct_edges_options {
  std::shared_ptr<const config> cfg;
  http_client_actor http;
};

/// Answers every configured site over HTTP (no agents): what `o2hub
/// intent` alone and the tests use.
edge_access_actor::behavior_type direct_edges(edge_access_actor::pointer self,
                                              direct_edges_options opts);

} // namespace o2hub
