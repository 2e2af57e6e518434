#include "actors/intent.hpp"

#include "actors/intent_changes.hpp"
#include "actors/intent_rules.hpp"
#include "common/json.hpp"
#include "common/time.hpp"
#include "protocol/error.hpp"
#include "protocol/llm_json.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <algorithm>
#include <chrono>

namespace o2hub {

namespace {

using intent_self = intent_actor::stateful_pointer<intent_state>;

/// Gives an answer its own id, time and duration.
/// Completes `res` in place (an answer is moved as seldom as possible: it
/// is large, and the intent POST is the hot route).
intent_response&& finish(intent_self self, intent_response&& res,
                         caf::actor_clock::time_point start) {
  auto now = self->state.opts.now();
  res.value.intent_id = next_intent_id(now);
  res.metadata.processed_at = rfc3339(now);
  std::chrono::duration<double, std::milli> took = self->clock().now() - start;
  res.metadata.duration_ms = took.count();
  return std::move(res);
}

/// Delivers `res`, after starting its pipeline unless the request is a dry
/// run (a pipeline that cannot start is reported in the metadata).
void deliver(intent_self self, caf::typed_response_promise<intent_response> promise,
             intent_response res, const intent_request& req) {
  auto& mgr = self->state.opts.pipelines;
  if (!mgr || req.dry_run) {
    if (!req.dry_run)
      announce(self, res);
    promise.deliver(std::move(res));
    return;
  }
  if (res.value.action != "deploy") // changing a deployed intent
    return deliver_change(self, std::move(promise), std::move(res), req);
  auto value = res.value;
  self->request(mgr, std::chrono::seconds(15), atom::start_v, std::move(value), req.text)
      .then(
          [self, promise, res](pipeline_ref& ref) mutable {
            res.metadata.pipeline = std::move(ref);
            announce(self, res);
            promise.deliver(std::move(res));
          },
          [self, promise, res](const caf::error& err) mutable {
            res.metadata.pipeline.status = "not_started";
            res.metadata.pipeline.error = render(err);
            announce(self, res);
            promise.deliver(std::move(res));
          });
}

caf::result<intent_response> answer(intent_self self, intent_response&& res,
                                    const intent_request& req) {
  if (!self->state.opts.pipelines || req.dry_run) {
    if (!req.dry_run)
      announce(self, res);
    return std::move(res);
  }
  auto promise = self->make_response_promise<intent_response>();
  deliver(self, promise, std::move(res), req);
  return promise;
}

caf::error not_an_intent(const std::string& text) {
  auto shown = text.size() > 80 ? text.substr(0, 80) + "..." : text;
  return caf::make_error(ec::not_an_intent,
                         "'" + shown
                             + "' is not an intent: it names no service type, use, "
                               "site, requirement or action (try \"Deploy eMBB on "
                               "edge1 with 200 Mbps\")");
}

/// The rules' answer.
intent_response by_rules(intent_self self, const rule_reading& reading,
                         const intent_request& req) {
  intent_response res;
  res.value =
      make_intent(reading, req, self->state.opts.sites, {}, res.metadata.defaulted);
  res.metadata.corrections = reading.corrections;
  res.metadata.confidence = confidence_of(res.metadata.defaulted, reading.corrections);
  res.metadata.engine = "rules";
  ++self->state.stats.answered_by_rules;
  return res;
}

/// The LLM's answer, with the rules' defaults for what it left out.
intent_response by_llm(intent_self self, const llm_answer& a, const intent_request& req) {
  rule_reading r;
  r.intent_type = a.intent_type;
  r.sites = a.target_sites;
  r.all_sites = a.target_sites.empty();
  r.downlink_mbps = a.bandwidth_mbps;
  r.uplink_mbps = a.uplink_mbps;
  r.latency_ms = a.latency_ms;
  r.reliability_pct = a.reliability_pct;
  r.device_count = a.device_count;
  r.priority = a.priority;
  intent_response res;
  res.value = make_intent(r, req, self->state.opts.sites, {}, res.metadata.defaulted);
  res.metadata.engine = "llm";
  ++self->state.stats.answered_by_llm;
  return res;
}

/// Why the LLM's answer was not used, for metadata.fallbackReason.
std::string reason_of(const caf::error& err) {
  const auto& ctx = err.context();
  if (ctx.size() == 1 && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  return render(err);
}

void pump(intent_self self);

/// The counters as the stats request returns them.
intent_stats current_stats(intent_self self) {
  auto& st = self->state;
  auto stats = st.stats;
  stats.cache_size = st.lru.size();
  stats.llm = !st.opts.llm ? "disabled" : st.last_call_ok ? "healthy" : "degraded";
  return stats;
}

void publish_stats(intent_self self) {
  if (self->state.opts.board)
    self->state.opts.board->publish(current_stats(self));
}

/// Answers everyone waiting for the call of `key`.
void complete(intent_self self, const std::string& key,
              caf::expected<llm_answer> answer) {
  auto& st = self->state;
  auto node = st.in_flight.extract(key);
  if (node.empty())
    return;
  st.last_call_ok = static_cast<bool>(answer);
  bool stored = false;
  for (auto& [promise, req] : node.mapped().waiters) {
    intent_response res;
    std::string refused; // why the LLM's answer is not used
    if (answer) {
      res = by_llm(self, *answer, req);
      // The LLM's answer gets the rules' safety checks: an unknown site or
      // an infeasible value falls back to the rules, which then may refuse.
      for (const auto& s : answer->target_sites)
        if (std::find(st.opts.sites.begin(), st.opts.sites.end(), s)
            == st.opts.sites.end())
          refused = "the LLM named an unknown site '" + s + "'";
      if (auto err = feasibility_error(res.value, st.opts.limits); err && refused.empty())
        refused = "the LLM's answer is infeasible: " + error_detail(err);
      if (refused.empty() && !stored) {
        cache_store(self, key, res.value, res.metadata);
        stored = true;
      }
    }
    if (!answer || !refused.empty()) {
      auto reading = read_intent_text(req.text, st.opts.sites);
      if (says_nothing(reading)) {
        promise.deliver(not_an_intent(req.text));
        continue;
      }
      res = by_rules(self, reading, req);
      if (auto err = feasibility_error(res.value, st.opts.limits)) {
        promise.deliver(err);
        continue;
      }
      res.metadata.fallback = true;
      res.metadata.fallback_reason = answer ? refused : reason_of(answer.error());
      ++st.stats.fallbacks;
    }
    deliver(self, promise, finish(self, std::move(res), node.mapped().start), req);
  }
  publish_stats(self);
}

void start_call(intent_self self, const std::string& key) {
  auto& st = self->state;
  auto i = st.in_flight.find(key);
  if (i == st.in_flight.end())
    return;
  const auto& req = i->second.waiters.front().second;
  auto worker = st.opts.llm(self, build_llm_prompt(req.text, st.opts.sites));
  ++st.active_calls;
  auto done = [self, key, worker](caf::expected<llm_answer> answer) {
    // Not `normal`: actors ignore exit messages with that reason.
    self->send_exit(worker, caf::exit_reason::user_shutdown);
    --self->state.active_calls;
    complete(self, key, std::move(answer));
    pump(self);
  };
  self->request(worker, std::chrono::seconds(st.opts.llm_timeout_s + 5), atom::run_v)
      .then(
          [self, done](std::string& text) {
            auto object = extract_json_object(text);
            if (!object)
              return done(std::move(object.error()));
            done(parse_llm_answer(*object, self->state.opts.sites));
          },
          [done](caf::error& err) { done(std::move(err)); });
}

/// A batch in progress: its requests go to this actor's own mailbox, at
/// most `batch_window` at once, so they interleave with everyone else's.
struct batch_run {
  std::vector<intent_request> requests;
  std::vector<intent_outcome> outcomes;
  size_t next = 0;
  size_t open = 0;
  caf::typed_response_promise<std::vector<intent_outcome>> promise;
};

void pump_batch(intent_self self, const std::shared_ptr<batch_run>& run) {
  auto me = caf::actor_cast<intent_actor>(self);
  while (run->open < intent_batch_window && run->next < run->requests.size()) {
    auto i = run->next++;
    ++run->open;
    auto done = [self, run, i](intent_outcome outcome) {
      run->outcomes[i] = std::move(outcome);
      --run->open;
      pump_batch(self, run);
    };
    self->request(me, std::chrono::seconds(intent_item_timeout_s), atom::process_v,
                  std::move(run->requests[i]))
        .then(
            [done](intent_response& res) {
              done({std::move(res), {}});
            },
            [done](caf::error& err) {
              done({{}, std::move(err)});
            });
  }
  if (run->open == 0 && run->next == run->requests.size() && run->promise.pending())
    run->promise.deliver(std::move(run->outcomes));
}

void pump(intent_self self) {
  auto& st = self->state;
  while (st.active_calls < st.opts.llm_concurrency && !st.queued.empty()) {
    auto key = std::move(st.queued.front());
    st.queued.pop_front();
    start_call(self, key);
  }
}

/// Understands one request: an answer, a refusal, or a promise (LLM,
/// pipeline start).
caf::result<intent_response> process_request(intent_self self, intent_request& req) {
  auto start = self->clock().now();
  auto& st = self->state;
  ++st.stats.requests;
  // The key serves the cache and the LLM's shared calls; rules alone with
  // the cache off need none.
  bool cache_on = st.opts.cache_size > 0;
  auto key = cache_on || st.opts.llm ? intent_cache_key(req) : std::string{};
  if (auto hit = cache_on ? cache_lookup(self, key) : nullptr) {
    ++st.stats.cache_hits;
    intent_response res{hit->value, hit->metadata};
    res.value.description = req.text;
    res.metadata.cached = true;
    return answer(self, finish(self, std::move(res), start), req);
  }
  auto reading = read_intent_text(req.text, st.opts.sites);
  if (req.target_sites.empty() && !reading.unknown_sites.empty()) {
    std::string names;
    for (const auto& s : reading.unknown_sites)
      names += (names.empty() ? "" : ", ") + s;
    std::string known;
    for (const auto& s : st.opts.sites)
      known += (known.empty() ? "" : ", ") + s;
    return caf::error{ec::unknown_site, "unknown site " + names
                                            + " in the text; configured "
                                              "sites: "
                                            + known};
  }
  if (!st.opts.llm) {
    // Never act on what was not understood.
    if (says_nothing(reading))
      return not_an_intent(req.text);
    auto res = by_rules(self, reading, req);
    if (auto err = feasibility_error(res.value, st.opts.limits))
      return err;
    cache_store(self, std::move(key), res.value, res.metadata);
    return answer(self, finish(self, std::move(res), start), req);
  }
  // LLM: identical requests in flight share one call.
  auto promise = self->make_response_promise<intent_response>();
  auto& call = st.in_flight[key];
  call.waiters.emplace_back(promise, req);
  if (call.waiters.size() == 1) {
    call.start = start;
    st.queued.push_back(key);
    pump(self);
  }
  return promise;
}

/// Whether `process_request` answers `req` at once (rules only, no
/// pipeline to start): no promise, so no asking actor is needed.
bool answers_at_once(intent_self self, const intent_request& req) {
  const auto& opts = self->state.opts;
  return !opts.llm && (!opts.pipelines || req.dry_run);
}

} // namespace

intent_actor::behavior_type
intent_service(intent_actor::stateful_pointer<intent_state> self, intent_options opts) {
  self->state.opts = std::move(opts);
  if (self->state.opts.llm_concurrency < 1)
    self->state.opts.llm_concurrency = 1;
  publish_stats(self);
  return {
      [self](atom::process, intent_request& req) -> caf::result<intent_response> {
        auto res = process_request(self, req);
        publish_stats(self);
        return res;
      },
      [self](atom::process, intent_request& req, intent_reply& reply) {
        if (answers_at_once(self, req)) {
          auto res = process_request(self, req);
          publish_stats(self);
          if (res.flag == caf::rt_value && res.value.match_elements<intent_response>())
            reply.deliver(std::move(res.value.get_mutable_as<intent_response>(0)));
          else if (res.flag == caf::rt_error)
            reply.deliver(std::move(res.err));
          else
            reply.deliver(caf::make_error(caf::sec::unexpected_response));
          return;
        }
        // An LLM call or a pipeline start: the promise-based handler,
        // asked by this actor itself.
        auto me = caf::actor_cast<intent_actor>(self);
        self->request(me, std::chrono::seconds(intent_item_timeout_s), atom::process_v,
                      std::move(req))
            .then([reply](intent_response& res) { reply.deliver(std::move(res)); },
                  [reply](caf::error& err) { reply.deliver(std::move(err)); });
      },
      [self](atom::process, intent& x) -> caf::result<intent_response> {
        auto start = self->clock().now();
        if (auto err = check_stated(x, self->state.opts))
          return err;
        x.action = "deploy";
        intent_response res{std::move(x), {}};
        res.metadata.engine = "stated";
        intent_request req;
        req.text = res.value.description;
        return answer(self, finish(self, std::move(res), start), req);
      },
      [self](atom::process, std::vector<intent_request>& requests)
          -> caf::result<std::vector<intent_outcome>> {
        auto run = std::make_shared<batch_run>();
        run->outcomes.resize(requests.size());
        run->requests = std::move(requests);
        run->promise = self->make_response_promise<std::vector<intent_outcome>>();
        auto promise = run->promise;
        pump_batch(self, run);
        return promise;
      },
      [self](atom::subscribe, ws_sink_ptr& sink) {
        auto& subs = self->state.subscribers;
        for (auto& weak : subs)
          if (weak.lock() == sink)
            return;
        subs.erase(std::remove_if(subs.begin(), subs.end(),
                                  [](const auto& w) { return w.expired(); }),
                   subs.end());
        subs.push_back(sink);
      },
      [self](atom::stats) -> caf::result<intent_stats> { return current_stats(self); },
  };
}

} // namespace o2hub
