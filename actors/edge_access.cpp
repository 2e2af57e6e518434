#include "actors/edge_access.hpp"

#include "common/text.hpp"

#include <caf/event_based_actor.hpp>

namespace o2hub {

fetch_request edge_request(const edge_site& site, const edge_query& q, int timeout_ms) {
  fetch_request req;
  req.timeout_ms = timeout_ms;
  req.max_body = 256 * 1024;
  if (q.kind == "o2ims")
    req.url = "http://" + site.ip + ":" + std::to_string(site.o2ims_port)
              + "/o2ims-infrastructureProvisioning/v1/provisioningRequests/"
              + url_encode(q.arg.substr(0, q.arg.find('@')));
  else if (q.kind == "promql")
    req.url = "http://" + site.ip + ":" + std::to_string(site.prometheus_port)
              + "/api/v1/query?query=" + url_encode(q.arg);
  return req;
}

edge_answer read_edge_answer(const edge_query& q, const fetch_result& r) {
  edge_answer a;
  a.status = r.status;
  if (q.kind == "o2ims") {
    auto at = q.arg.find('@');
    auto phase =
        read_o2ims_answer(r.status, r.body, r.error,
                          at == std::string::npos ? std::string{} : q.arg.substr(at + 1));
    a.value = std::move(phase.phase);
    a.message = std::move(phase.message);
  } else {
    a.value = read_prometheus_answer(r.status, r.body, r.error);
  }
  return a;
}

edge_answer unanswered(const edge_query& q, const std::string& why) {
  edge_answer a;
  if (q.kind == "o2ims") {
    a.value = "unreachable";
    a.message = why;
  } else {
    a.value = "error: " + why;
  }
  return a;
}

edge_access_actor::behavior_type direct_edges(edge_access_actor::pointer self,
                                              direct_edges_options opts) {
  return {
      [self, opts](atom::query, const std::string& name,
                   const edge_query& q) -> caf::result<edge_answer> {
        auto site = find_site(*opts.cfg, name);
        if (!site)
          return unanswered(q, "unknown site '" + name + "'");
        auto rp = self->make_response_promise<edge_answer>();
        ask_directly(self, opts.http, *site, q, opts.cfg->pipeline.request_timeout_ms,
                     [rp](edge_answer a) mutable { rp.deliver(std::move(a)); });
        return rp;
      },
  };
}

} // namespace o2hub
