#include "actors/intent_changes.hpp"

#include "common/json.hpp"
#include "common/time.hpp"
#include "protocol/error.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/site_name.hpp"

#include <caf/event_based_actor.hpp>

#include <algorithm>

namespace o2hub {

namespace {

std::string join(const std::vector<std::string>& xs, const char* sep) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : sep) + x;
  return out;
}

bool has(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

/// The intent with the requirements `said` states explicitly (not
/// defaulted) taken over; false when none differs.
bool apply_change(intent& x, const intent& said,
                  const std::vector<std::string>& defaulted) {
  auto before = x;
  if (!has(defaulted, "bandwidth"))
    x.bandwidth_mbps = said.bandwidth_mbps;
  if (said.uplink_mbps >= 0)
    x.uplink_mbps = said.uplink_mbps;
  if (!has(defaulted, "latency"))
    x.latency_ms = said.latency_ms;
  if (!has(defaulted, "reliability") && said.reliability_pct >= 0) {
    x.reliability_pct = said.reliability_pct;
    x.availability_pct = said.availability_pct;
  }
  if (said.device_count >= 0)
    x.device_count = said.device_count;
  return !(x == before);
}

using promise_type = caf::typed_response_promise<intent_response>;

void started(promise_type promise, intent_response res, const caf::error& err,
             pipeline_ref ref) {
  if (err) {
    res.metadata.pipeline.status = "not_started";
    res.metadata.pipeline.error = render(err);
  } else {
    res.metadata.pipeline = std::move(ref);
  }
  promise.deliver(std::move(res));
}

} // namespace

caf::error feasibility_error(const intent& x, const intent_limits& limits) {
  auto reasons = infeasible_reasons(x, limits);
  if (reasons.empty())
    return {};
  std::string joined;
  for (auto& r : reasons)
    joined += (joined.empty() ? "" : "\n") + r;
  return caf::make_error(ec::infeasible,
                         "the intent asks for more than the sites can offer: "
                             + reasons.front()
                             + (reasons.size() > 1 ? " (and more)" : ""),
                         joined);
}

caf::error check_stated(intent& x, const intent_options& opts) {
  if (x.intent_type != "eMBB" && x.intent_type != "URLLC" && x.intent_type != "mMTC")
    return caf::error{ec::invalid_argument,
                      "the service type must be eMBB, URLLC or mMTC, not '"
                          + x.intent_type.substr(0, 40) + "'"};
  if (x.target_sites.empty())
    return caf::error{ec::invalid_argument, "the intent names no site"};
  std::vector<std::string> sites;
  for (const auto& s : x.target_sites) {
    auto name = normalize_site_name(s);
    if (!has(opts.sites, name))
      return caf::error{ec::unknown_site,
                        "unknown site " + s.substr(0, 64)
                            + "; configured sites: " + join(opts.sites, ", ")};
    if (!has(sites, name))
      sites.push_back(name);
  }
  x.target_sites = std::move(sites);
  if (!(x.bandwidth_mbps > 0))
    return caf::error{ec::invalid_argument, "the downlink bandwidth must be positive"};
  return feasibility_error(x, opts.limits);
}

void deliver_change(intent_actor::stateful_pointer<intent_state> self,
                    caf::typed_response_promise<intent_response> promise,
                    intent_response res, const intent_request& req) {
  auto mgr = self->state.opts.pipelines;
  self->request(mgr, std::chrono::seconds(10), atom::get_v, atom::intents_v)
      .then(
          [self, mgr, promise, res,
           text = req.text](const std::vector<intent_resource>& all) mutable {
            const auto& d = res.metadata.defaulted;
            const auto& named = res.value.target_sites;
            auto on_named = [&](const std::string& site) { return has(named, site); };
            const intent* match = nullptr;
            std::string active;
            for (const auto& r : all) {
              if (r.lifecycle != "active")
                continue;
              const auto& x = effective_intent(r.run);
              active += (active.empty() ? "" : "; ") + x.intent_id + " (" + x.intent_type
                        + " on " + join(x.target_sites, ", ") + ")";
              if (match
                  || (!has(d, "intentType") && x.intent_type != res.value.intent_type))
                continue;
              if (has(d, "targetSites")
                  || std::any_of(x.target_sites.begin(), x.target_sites.end(), on_named))
                match = &x;
            }
            if (!match) {
              promise.deliver(caf::make_error(
                  ec::no_matching_intent,
                  "no active intent matches '" + text + "'; active intents: "
                      + (active.empty() ? std::string{"none"} : active)));
              return;
            }
            res.metadata.affects = {match->intent_id};
            auto not_started = [&](std::string why) {
              res.metadata.pipeline.status = "not_started";
              res.metadata.pipeline.error = std::move(why);
              promise.deliver(std::move(res));
            };
            auto start = [&](auto what, auto arg) {
              self->request(mgr, std::chrono::seconds(15), what, std::move(arg),
                            "asked: " + text)
                  .then(
                      [promise, res](pipeline_ref& ref) mutable {
                        started(promise, std::move(res), {}, std::move(ref));
                      },
                      [promise, res](const caf::error& err) mutable {
                        started(promise, std::move(res), err, {});
                      });
            };
            intent changed = *match;
            if (res.value.action == "modify") {
              if (!apply_change(changed, res.value, d))
                return not_started("the sentence changes no requirement of "
                                   + match->intent_id);
              return start(atom::modify_v, std::move(changed));
            }
            // Removing it from some of its sites only changes its sites.
            changed.target_sites.clear();
            for (const auto& site : match->target_sites)
              if (!has(d, "targetSites") && !on_named(site))
                changed.target_sites.push_back(site);
            if (!changed.target_sites.empty())
              return start(atom::modify_v, std::move(changed));
            start(atom::remove_v, match->intent_id);
          },
          [promise](const caf::error& err) mutable { promise.deliver(err); });
}

/// Tells the subscribed WebSocket clients about a created intent: the
/// original service's broadcast, plus the REST answer's members. The text is
/// made once and shared by every client.
void announce(intent_actor::stateful_pointer<intent_state> self,
              const intent_response& res) {
  auto& subs = self->state.subscribers;
  if (subs.empty())
    return;
  json::writer w;
  w.begin_object()
      .kv("type", "intent_created")
      .kv("stage", "intent_generated")
      .kv("intentId", res.value.intent_id)
      .kv("message", "Intent successfully generated")
      .kv("timestamp", rfc3339(self->state.opts.now()));
  w.raw(wire::intent_envelope_members(res));
  w.end_object();
  auto text = std::make_shared<const std::string>(w.take());
  subs.erase(std::remove_if(subs.begin(), subs.end(),
                            [&](const std::weak_ptr<ws_sink>& weak) {
                              auto sink = weak.lock();
                              return !sink || !sink->push(text);
                            }),
             subs.end());
}

} // namespace o2hub
