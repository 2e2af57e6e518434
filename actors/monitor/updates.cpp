#include "actors/monitor/updates.hpp"

#include "actors/monitor/views.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "protocol/error.hpp"
#include "protocol/monitor_json.hpp"
#include "protocol/site_name.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <simdjson.h>

#include <algorithm>

namespace o2hub::monitor_updates {

using namespace monitor_views;

namespace {

/// Stores through the store actor, then runs `apply` (which returns the
/// answer); without a store, applies at once. Awaiting keeps every other
/// message waiting meanwhile, as a blocking write would, so the state the
/// change was computed from is still the state it is applied to.
template <class T, class Apply, class... Ts>
caf::result<T> store_then(self_ptr self, Apply apply, Ts... xs) {
  auto& st = self->state;
  if (!st.opts.store)
    return apply();
  auto promise = self->make_response_promise<T>();
  self->request(st.opts.store, caf::infinite, atom::put_v, std::move(xs)...)
      .await([promise, apply](atom::ok) mutable { promise.deliver(apply()); },
             [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

/// The same for a change nobody waits for (a `send`, not a `request`): no
/// response promise, whose answer would reach a sender not expecting one.
template <class Apply, class... Ts>
void store_quietly(self_ptr self, Apply apply, Ts... xs) {
  auto& st = self->state;
  if (!st.opts.store) {
    apply();
    return;
  }
  self->request(st.opts.store, caf::infinite, atom::put_v, std::move(xs)...)
      .await([apply](atom::ok) mutable { apply(); },
             [](caf::error& err) {
               log::error("edge status not stored", {{"error", render(err)}});
             });
}

} // namespace

namespace {

constexpr const char* external_mark = R"({"source":"api"})";

bool external(const pipeline& p) {
  return !p.stages.empty() && p.stages.front().metadata_json == external_mark;
}

/// The newest running pipeline an outside client started.
const pipeline* latest_external(const monitor_state& st) {
  for (auto i = st.order.rbegin(); i != st.order.rend(); ++i) {
    auto p = st.pipelines.find(*i);
    if (p != st.pipelines.end()
        && (p->second.status == "running" || p->second.status == "stale")
        && external(p->second))
      return &p->second;
  }
  return nullptr;
}

} // namespace

caf::result<pipeline> start(self_ptr self, const std::string& id, const std::string& text,
                            bool external) {
  auto& st = self->state;
  if (id.empty())
    return caf::error{ec::invalid_argument, "intent_id must not be empty"};
  if (auto i = st.pipelines.find(id);
      i != st.pipelines.end() && i->second.status == "running")
    return caf::error{ec::conflict, "pipeline " + id + " is already running"};
  pipeline p;
  p.intent_id = id;
  p.intent_text = text;
  p.start_time = rfc3339(st.opts.now());
  p.stages.push_back({"input_received", p.start_time, external ? external_mark : "{}"});
  auto apply = [self, p] {
    auto& st = self->state;
    st.order.erase(std::remove(st.order.begin(), st.order.end(), p.intent_id),
                   st.order.end());
    st.order.push_back(p.intent_id);
    st.pipelines[p.intent_id] = p;
    ++st.total;
    st.last_update = p.start_time;
    st.current_stage = p.current_stage;
    trim(st);
    broadcast(st, wire::event_json("pipeline_started", wire::pipeline_json(p)));
    return p;
  };
  return store_then<pipeline>(self, apply, p, st.total + 1, st.successful, st.failed,
                              -1.0);
}

caf::result<pipeline> update(self_ptr self, const std::string& id,
                             const std::string& stage_name, const std::string& metadata) {
  auto& st = self->state;
  auto to = parse_stage(stage_name);
  if (!to)
    return caf::error{ec::invalid_stage, "unknown stage '" + stage_name + "'"};
  const pipeline* p = nullptr;
  if (id.empty()) {
    // The original clients' form: never a pipeline o2hub itself drives.
    p = latest_external(st);
    if (!p)
      return caf::error{ec::unknown_entity,
                        "no running pipeline started through pipeline/start to update; "
                        "name it with intent_id"};
  } else {
    auto i = st.pipelines.find(id);
    if (i == st.pipelines.end())
      return caf::error{ec::unknown_entity, "no pipeline " + id};
    p = &i->second;
  }
  auto cur = *p;
  if (cur.status == "stale") // an update brings it back
    cur.status = "running";
  if (auto why = transition_error(cur, *to); !why.empty())
    return caf::error{ec::conflict, why};
  // Every stage_update carries the whole pipeline: keep it bounded.
  if (p->stages.size() >= 256)
    return caf::error{ec::conflict,
                      "pipeline " + p->intent_id + " has 256 stage updates already"};
  auto now = rfc3339(st.opts.now());
  // Change a copy, store it, then apply: a 2xx means it is on disk.
  auto next = cur;
  auto successful = st.successful;
  auto failed = st.failed;
  double duration = -1;
  next.stages.push_back({stage_name, now, metadata.empty() ? "{}" : metadata});
  next.current_stage = stage_name;
  if (next.status == "running" && (*to == stage::completed || *to == stage::failed)) {
    next.status = *to == stage::completed ? "completed" : "failed";
    next.end_time = now;
    next.duration_s = duration = seconds_between(next.start_time, now);
    ++(*to == stage::completed ? successful : failed);
  }
  if (*to == stage::rollback)
    next.rolled_back = true;
  auto apply = [self, next, successful, failed, duration, stage_name, now] {
    auto& st = self->state;
    auto& p = st.pipelines[next.intent_id];
    p = next;
    st.successful = successful;
    st.failed = failed;
    if (duration >= 0)
      st.durations.push_back(duration);
    st.last_update = now;
    st.current_stage = stage_name;
    json::writer w;
    w.begin_object().key("pipeline");
    wire::write_pipeline(w, p);
    w.key("stage")
        .begin_object()
        .kv("stage", stage_name)
        .kv("timestamp", now)
        .key("metadata")
        .raw(p.stages.back().metadata_json)
        .end_object()
        .end_object();
    broadcast(st, wire::event_json("stage_update", w.take()));
    return p;
  };
  return store_then<pipeline>(self, apply, next, st.total, successful, failed, duration);
}

namespace {

/// Stores an edge's new status, then applies and broadcasts it; answers
/// the request (`quiet`: nobody asked).
caf::result<edge_status> set_edge(self_ptr self, edge_status e, bool quiet = false) {
  auto apply = [self, e] {
    auto& st = self->state;
    st.edges[e.name] = e;
    auto edge_json = wire::edge_json(e);
    json::writer ev;
    ev.begin_object()
        .kv("edge", seed_site_name(e.name))
        .key("status")
        .raw(edge_json)
        .end_object();
    broadcast(st, wire::event_json("edge_update", ev.take()));
    st.last_update = e.last_sync;
    return e;
  };
  if (quiet) {
    store_quietly(self, apply, e);
    return e;
  }
  return store_then<edge_status>(self, apply, e);
}

} // namespace

caf::result<pipeline> cancel(self_ptr self, const std::string& id) {
  auto& st = self->state;
  auto i = st.pipelines.find(id);
  if (i == st.pipelines.end())
    return caf::error{ec::unknown_entity, "no pipeline " + id};
  if (i->second.status != "running" && i->second.status != "stale")
    return caf::error{ec::conflict, "pipeline " + id + " is " + i->second.status};
  if (!external(i->second))
    return caf::error{ec::conflict, "o2hub's own pipeline actors drive " + id
                                        + "; remove or change its intent instead"};
  return update(self, id, "failed", R"({"reason":"cancelled"})");
}

void mark_stale(self_ptr self) {
  auto& st = self->state;
  auto limit = rfc3339(st.opts.now() - st.opts.stale_after);
  for (auto& id : st.order) {
    auto& p = st.pipelines.at(id);
    // RFC 3339 UTC timestamps of one format compare as strings.
    if (p.status != "running" || !external(p) || p.stages.back().timestamp >= limit)
      continue;
    auto next = p;
    next.status = "stale";
    auto apply = [self, next] {
      auto& st = self->state;
      st.pipelines[next.intent_id] = next;
      broadcast(st, wire::event_json("pipeline_update", wire::pipeline_json(next)));
    };
    if (!st.opts.store) {
      apply();
      continue;
    }
    // Stored, then applied; no reply (nobody asked: store_then would answer
    // the monitor itself).
    self->request(st.opts.store, caf::infinite, atom::put_v, next, st.total,
                  st.successful, st.failed, -1.0)
        .await([apply](atom::ok) { apply(); }, [](const caf::error&) {});
  }
}

namespace {

/// `checks` (a JSON object) with its "manual" member set to `manual` (a
/// JSON object; empty: none).
std::string with_manual(const std::string& checks, const std::string& manual) {
  simdjson::dom::parser p;
  simdjson::dom::object o;
  json::writer w;
  w.begin_object();
  if (!p.parse(checks).get_object().get(o))
    for (auto [k, v] : o)
      if (k != "manual")
        w.key(k).raw(simdjson::minify(v));
  if (!manual.empty())
    w.key("manual").raw(manual);
  w.end_object();
  return w.take();
}

/// The "manual" member of `checks`, or "".
std::string manual_of(const std::string& checks) {
  simdjson::dom::parser p;
  simdjson::dom::element m;
  if (p.parse(checks)["manual"].get(m))
    return {};
  return simdjson::minify(m);
}

} // namespace

/// The status shown for a site whose probes or operator say `base`: a
/// healthy site whose last SLO gate failed is degraded.
std::string shown_status(const monitor_state& st, const std::string& name,
                         const std::string& base) {
  auto l = st.loads.find(name);
  if (base == "healthy" && l != st.loads.end() && l->second.slo_failed)
    return "degraded";
  return base;
}

caf::result<edge_status> edge(self_ptr self, const std::string& raw_name,
                              const std::string& status, const std::string& metadata) {
  auto& st = self->state;
  auto name = normalize_site_name(raw_name);
  auto i = st.edges.find(name);
  if (i == st.edges.end())
    return caf::error{ec::unknown_entity, "unknown edge '" + raw_name + "'"};
  auto e = i->second;
  e.name = name;
  st.base_status[name] = status;
  e.status = shown_status(st, name, status);
  e.last_sync = rfc3339(st.opts.now());
  e.via = "manual";
  if (!metadata.empty()) {
    // The probe's checks stay; the operator's metadata sits beside them.
    e.checks_json = with_manual(e.checks_json, metadata);
    // The original clients put deployments (and latency) in the metadata.
    wire::read_edge_figures(metadata, e);
  }
  return set_edge(self, std::move(e));
}

void probed(self_ptr self, const std::string& name, const probe_report& report) {
  auto& st = self->state;
  auto i = st.edges.find(name);
  if (i == st.edges.end())
    return;
  auto e = i->second;
  e.name = name;
  // An operator's status lasts until the probes say something new.
  auto last = st.probe_status.find(name);
  bool keep =
      e.via == "manual" && last != st.probe_status.end() && last->second == report.status;
  st.probe_status[name] = report.status;
  e.last_sync = rfc3339(st.opts.now());
  auto checks = wire::probe_checks_json(report);
  e.checks_json = keep ? with_manual(checks, manual_of(e.checks_json)) : checks;
  if (report.latency_ms >= 0)
    e.latency_ms = report.latency_ms;
  if (!keep) {
    st.base_status[name] = report.status;
    e.status = shown_status(st, name, report.status);
    e.via = report.via.empty() ? "probe" : report.via;
  }
  e.agent_version = report.agent_version;
  set_edge(self, std::move(e), true);
}

void loads(self_ptr self, const std::vector<site_load>& loads) {
  auto& st = self->state;
  for (const auto& load : loads) {
    auto i = st.edges.find(load.site);
    if (i == st.edges.end())
      continue;
    auto prev = st.loads.find(load.site);
    // An operator's figure (edge/update metadata, the original clients'
    // way) stands until the pipelines' figure changes.
    bool manual = i->second.via == "manual";
    bool news = prev == st.loads.end() ? !manual : prev->second.intents != load.intents;
    st.loads[load.site] = load;
    auto e = i->second;
    e.intents = load.intents;
    if (news)
      e.deployments = static_cast<int64_t>(load.intents.size());
    e.slo_json = load.slo_json;
    auto base = st.base_status.find(load.site);
    e.status = shown_status(st, load.site,
                            base != st.base_status.end() ? base->second : e.status);
    if (e == i->second)
      continue;
    e.last_sync = rfc3339(st.opts.now());
    set_edge(self, std::move(e), true);
  }
}

} // namespace o2hub::monitor_updates
