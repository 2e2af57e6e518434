#include "actors/edge_prober.hpp"

#include "config/config.hpp"
#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include <algorithm>
#include <cstdint>

namespace o2hub {

std::vector<probe_check> checks_for(const edge_site& site, const probing_config& cfg) {
  auto base = [&](const char* scheme, uint16_t port) {
    return std::string{scheme} + "://" + site.ip + ":" + std::to_string(port);
  };
  std::vector<probe_check> out;
  fetch_request r;
  r.timeout_ms = cfg.timeout_ms;
  r.url = base("http", site.o2ims_port) + "/o2ims-infrastructureInventory/api_versions";
  out.push_back({"o2ims", r});
  r.url = base("http", site.prometheus_port) + "/-/healthy";
  out.push_back({"prometheus", r});
  auto scheme = site.k8s_scheme.empty() ? cfg.k8s_scheme : site.k8s_scheme;
  r.url = base(scheme.c_str(), site.k8s_api_port) + "/readyz";
  r.ca_file = cfg.k8s_ca_file;
  r.verify_tls = !cfg.k8s_skip_verify || !cfg.k8s_ca_file.empty();
  out.push_back({"k8s", r});
  return out;
}

namespace {

using prober_self = prober_actor::stateful_pointer<prober_state>;

/// The check index that means "every check still open" (the round timer).
constexpr uint32_t all_checks = UINT32_MAX;

/// How long after the longest request timeout a round gives up waiting.
constexpr auto round_grace = std::chrono::seconds(5);

const char* check_state(int32_t status) {
  if (status >= 200 && status < 300)
    return "ok";
  if (status == 401 || status == 403)
    return "unauthorized"; // reachable, but needs credentials
  if (status > 0)
    return "error";
  return "down";
}

void evaluate(prober_self self) {
  auto& st = self->state;
  size_t up = 0;
  size_t down = 0;
  double latency = 0;
  size_t answered = 0;
  for (const auto& r : st.results) {
    auto s = std::string{check_state(r.status)};
    if (s == "ok" || s == "unauthorized")
      ++up;
    if (s == "down")
      ++down;
    if (r.status > 0) {
      latency += r.latency_ms;
      ++answered;
    }
  }
  std::string next = st.status;
  if (up == st.results.size()) {
    next = "healthy";
    st.consecutive_down = 0;
  } else if (down == st.results.size()) {
    if (++st.consecutive_down >= st.opts.failures_before_unreachable)
      next = "unreachable";
  } else {
    next = "degraded";
    st.consecutive_down = 0;
  }
  if (next == st.status)
    return;
  st.status = next;
  probe_report report;
  report.status = next;
  if (answered > 0)
    report.latency_ms = latency / static_cast<double>(answered);
  for (size_t i = 0; i < st.results.size(); ++i) {
    const auto& r = st.results[i];
    report.checks.push_back({st.opts.checks[i].name, check_state(r.status),
                             r.status > 0 ? r.status : 0, r.status > 0 ? r.latency_ms : 0,
                             r.error});
  }
  if (st.opts.service)
    caf::anon_send(st.opts.sink, atom::service_v, st.opts.site, std::move(report));
  else
    caf::anon_send(st.opts.sink, atom::edge_v, st.opts.site, std::move(report));
}

/// One check's result: counted once, and only for the current round.
/// `all_checks`: every check of the round that has no result yet.
void record(prober_self self, uint64_t round, uint32_t check, int32_t status,
            double latency, std::string error) {
  auto& st = self->state;
  if (check == all_checks) {
    if (round != st.round)
      return;
    for (uint32_t i = 0; i < st.results.size() && st.pending > 0; ++i)
      if (st.results[i].status == -1)
        record(self, round, i, status, latency, error);
    return;
  }
  if (round != st.round || check >= st.results.size() || st.results[check].status != -1)
    return; // late or duplicate
  st.results[check] = {status, latency, std::move(error)};
  if (--st.pending == 0)
    evaluate(self);
}

} // namespace

prober_actor::behavior_type edge_prober(prober_actor::stateful_pointer<prober_state> self,
                                        prober_options opts) {
  self->state.opts = std::move(opts);
  return {
      [self](atom::tick) {
        auto& st = self->state;
        self->delayed_send(self, st.opts.interval, atom::tick_v);
        if (st.paused || st.pending > 0)
          return; // paused, or the previous round is still running
        ++st.round;
        st.results.assign(st.opts.checks.size(), {});
        st.pending = st.opts.checks.size();
        // The client answers within each request's own timeout; one timer
        // per round (not one per request: timers cost a thread wake-up
        // each) covers a client that never answers at all.
        int64_t longest = 0;
        for (auto& c : st.opts.checks)
          longest = std::max(longest, c.request.timeout_ms);
        self->delayed_send(self, std::chrono::milliseconds(longest) + round_grace,
                           atom::checked_v, st.round, all_checks, int32_t{0}, 0.0,
                           std::string{"no answer from the HTTP client"});
        for (uint32_t i = 0; i < st.opts.checks.size(); ++i) {
          auto round = st.round;
          const auto& req = st.opts.checks[i].request;
          self->request(st.opts.http, caf::infinite, atom::fetch_v, req)
              .then(
                  [self, round, i](fetch_result& r) {
                    record(self, round, i, r.status, r.latency_ms, std::move(r.error));
                  },
                  [self, round, i](caf::error& err) {
                    record(self, round, i, 0, 0, render(err));
                  });
        }
      },
      [self](atom::pause, bool paused) {
        auto& st = self->state;
        if (paused == st.paused)
          return;
        st.paused = paused;
        // Answers of the round in flight are dropped; after a pause, the
        // first verdict is reported even if it equals the one before.
        ++st.round;
        st.pending = 0;
        st.status = "unknown";
        st.consecutive_down = 0;
      },
      [self](atom::checked, uint64_t round, uint32_t check, int32_t status,
             double latency, std::string& error) {
        record(self, round, check, status, latency, std::move(error));
      },
  };
}

} // namespace o2hub
