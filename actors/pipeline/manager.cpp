#include "actors/pipeline/manager.hpp"

#include "actors/pipeline/changes.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "protocol/error.hpp"
#include "protocol/site_name.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>

namespace o2hub {

namespace {

using mgr_ptr = pipeline_manager_actor::stateful_pointer<manager_state>;

void tell_loads(mgr_ptr self);

/// Keeps each site's newest SLO gate (finished_at is RFC 3339 UTC: ordered
/// as text), from a finished run: once per run, not per look.
void note_gate(mgr_ptr self, const pipeline_run& run) {
  auto& st = self->state;
  for (auto& [site, verdict] : slo_by_site(run)) {
    auto& at = st.gate_at[site];
    if (at > run.finished_at)
      continue;
    at = run.finished_at;
    json::writer w;
    w.begin_object()
        .kv("passed", verdict.passed)
        .kv("intent_id", run.value.intent_id)
        .kv("pipeline", pipeline_id(run))
        .kv("at", run.finished_at)
        .key("results")
        .raw(verdict.results_json)
        .end_object();
    st.gates[site] = {w.take(), !verdict.passed};
  }
}

/// Notes a run of an intent (its pipeline id, once).
void note_run(mgr_ptr self, const pipeline_run& run) {
  auto& st = self->state;
  const auto& id = run.value.intent_id;
  auto& runs = st.runs_of[id];
  if (runs.empty())
    st.order.push_back(id);
  if (std::find(runs.begin(), runs.end(), pipeline_id(run)) == runs.end())
    runs.push_back(pipeline_id(run));
}

void launch(mgr_ptr self, pipeline_run run) {
  auto& st = self->state;
  if (run.started_at.empty())
    run.started_at = rfc3339(st.env.now());
  auto id = pipeline_id(run);
  auto me = caf::actor_cast<pipeline_manager_actor>(self);
  note_run(self, run);
  // Linked: a pipeline goes when the manager goes (shutdown).
  auto p = self->spawn<caf::linked>(pipeline_fsm, st.env, me, run);
  st.running[id] = {p, std::move(run)};
  self->send(p, atom::run_v);
}

/// Records a run before anything acts on it (fire and forget: the runs
/// actor handles its messages in order, before any the pipeline sends).
void record(mgr_ptr self, pipeline_run& run) {
  if (run.started_at.empty())
    run.started_at = rfc3339(self->state.env.now());
  if (!self->state.env.runs)
    return;
  auto id = pipeline_id(run);
  self->request(self->state.env.runs, caf::infinite, atom::put_v, id, to_json(run))
      .then([](atom::ok) {},
            [id](const caf::error& err) {
              log::error("pipeline state not saved",
                         {{"intent_id", id}, {"error", render(err)}});
            });
}

/// Resume what a previous process left running; remember finished ones.
void resume(mgr_ptr self, const record_list& records) {
  auto& st = self->state;
  for (size_t i = 0; i < records.keys.size(); ++i) {
    const auto& id = records.keys[i];
    pipeline_run run;
    if (!from_json(records.values[i], run)) {
      log::warn("unreadable pipeline record skipped", {{"intent_id", id}});
      continue;
    }
    if (st.running.count(id) > 0)
      continue; // started again meanwhile
    if (run.step == "done") {
      note_run(self, run);
      note_gate(self, run);
      manager_remember(self, run);
      auto intent_id = run.value.intent_id;
      st.finished[intent_id] = std::move(run);
    } else {
      log::info("resuming pipeline", {{"intent_id", id}, {"step", run.step}});
      launch(self, std::move(run));
    }
  }
  tell_loads(self);
}

/// Tells the monitor what the pipelines say about each configured site
/// when it changed: the active intents there, the last SLO gate on it.
void tell_loads(mgr_ptr self) {
  auto& st = self->state;
  if (!st.env.monitor || !st.env.cfg)
    return;
  std::map<std::string, site_load> by_site;
  for (const auto& site : st.env.cfg->sites)
    by_site[site.name].site = site.name;
  for (const auto& id : st.order) {
    auto f = st.finished.find(id);
    if (f == st.finished.end() || lifecycle_of(f->second, false) != "active")
      continue;
    for (const auto& site : effective_intent(f->second).target_sites)
      if (auto i = by_site.find(site); i != by_site.end())
        i->second.intents.push_back(id);
  }
  for (const auto& [site, gate] : st.gates)
    if (auto i = by_site.find(site); i != by_site.end()) {
      i->second.slo_json = gate.first;
      i->second.slo_failed = gate.second;
    }
  std::vector<site_load> loads;
  for (auto& [name, load] : by_site)
    loads.push_back(std::move(load));
  if (loads == st.loads)
    return;
  st.loads = loads;
  self->send(st.env.monitor, atom::edge_v, std::move(loads));
}

} // namespace

namespace {

/// Rolls back what `t` names: running pipelines are told, completed ones
/// start their rollback; their ids go to `affected`.
void rollback(mgr_ptr self, const rollback_target& t,
              std::vector<std::string>& affected) {
  auto& st = self->state;
  auto site_name = t.site.empty() ? std::string{} : normalize_site_name(t.site);
  auto concerns = [&](const pipeline_run& r) {
    if (!t.intent_id.empty() && r.value.intent_id != t.intent_id)
      return false;
    const auto& sites = r.value.target_sites;
    return site_name.empty()
           || std::find(sites.begin(), sites.end(), site_name) != sites.end();
  };
  for (auto& [id, running] : st.running) {
    if (running.second.kind != "remove" && concerns(running.second)) {
      self->send(running.first, atom::rollback_v, t.reason);
      affected.push_back(id);
    }
  }
  for (auto i = st.finished.begin(); i != st.finished.end();) {
    if (i->second.kind != "remove" && i->second.result == "completed"
        && concerns(i->second)) {
      auto run = std::move(i->second);
      i = st.finished.erase(i);
      affected.push_back(run.value.intent_id);
      run.reason = t.reason;
      run.step = "rollback";
      run.result.clear();
      run.after_completion = true;
      record(self, run);
      launch(self, std::move(run));
    } else {
      ++i;
    }
  }
}

/// Starts a run of an existing intent (modify, remove): the monitor knows
/// its pipeline before the answer goes out; recorded before it acts.
caf::result<pipeline_ref> start_run(mgr_ptr self, pipeline_run run, const char* what) {
  auto promise = self->make_response_promise<pipeline_ref>();
  self->request(self->state.env.monitor, std::chrono::seconds(10), atom::start_v,
                run.run_id, run.text)
      .then(
          [self, promise, run, what](const pipeline&) mutable {
            auto& st = self->state;
            auto ref = pipeline_ref{run.run_id,
                                    "started",
                                    st.env.monitor_url + "/#/pipelines/" + run.run_id,
                                    {}};
            log::info(what, {{"intent_id", run.value.intent_id},
                             {"pipeline", run.run_id},
                             {"why", run.text}});
            record(self, run);
            launch(self, std::move(run));
            promise.deliver(std::move(ref));
          },
          [promise](const caf::error& err) mutable { promise.deliver(err); });
  return promise;
}

/// The latest run of an active intent with no run in progress; else why
/// not (404 unknown, 409 running or not active: `not_active` says so).
caf::expected<const pipeline_run*> active_run(mgr_ptr self, const std::string& id,
                                              const char* not_active) {
  auto& st = self->state;
  for (auto& [pid, r] : st.running)
    if (r.second.value.intent_id == id)
      return caf::error{ec::conflict, "intent " + id + " has a " + r.second.kind
                                          + " run in progress (" + pid + ")"};
  auto i = st.finished.find(id);
  if (i == st.finished.end())
    return caf::error{ec::unknown_entity, "no intent " + id};
  auto life = lifecycle_of(i->second, false);
  if (life != "active")
    return caf::error{ec::conflict, "intent " + id + " is " + life + ": " + not_active};
  return &i->second;
}

/// Starts the removal of a deployed intent.
caf::result<pipeline_ref> remove(mgr_ptr self, const std::string& id,
                                 const std::string& reason) {
  auto last = active_run(self, id, "nothing deployed to remove");
  if (!last)
    return last.error();
  pipeline_run run = **last;
  run.value = effective_intent(**last); // a failed modify left the previous one
  run.previous = {};
  run.previous_revision.clear();
  run.previous_rendered_at.clear();
  run.kind = "remove";
  run.run_id = id + "-remove";
  run.step = "start";
  run.result.clear();
  run.reason = reason;
  run.commits.clear();
  run.after_completion = false;
  run.text = "remove intent " + id + (reason.empty() ? "" : ": " + reason);
  return start_run(self, std::move(run), "removing intent");
}

/// Starts a modify run: the intent's new version, deployed and gated like a
/// first deployment; restored when its gate fails.
caf::result<pipeline_ref> modify(mgr_ptr self, intent x, const std::string& reason) {
  auto& st = self->state;
  const auto id = x.intent_id;
  auto last = active_run(self, id, "only an active intent can change");
  if (!last)
    return last.error();
  const auto& prev = **last;
  if (x.target_sites.empty())
    return caf::error{ec::invalid_argument, "the changed intent names no site"};
  pipeline_run run;
  run.kind = "modify";
  run.value = std::move(x);
  run.previous = effective_intent(prev);
  bool restored = prev.kind == "modify" && prev.result != "completed";
  run.previous_revision = restored ? prev.previous_revision : revision_of(prev);
  run.previous_rendered_at = restored ? prev.previous_rendered_at : prev.rendered_at;
  size_t n = 1;
  for (auto& pid : st.runs_of[id])
    n += pid.find("-m", id.size()) == id.size() ? 1 : 0;
  run.run_id = id + "-m" + std::to_string(n);
  run.text = "modify intent " + id + ": " + describe_change(run.previous, run.value)
             + (reason.empty() ? "" : " (" + reason + ")");
  return start_run(self, std::move(run), "modifying intent");
}

/// Every intent with its lifecycle status, newest first.
std::vector<intent_resource> intents(mgr_ptr self) {
  auto& st = self->state;
  std::map<std::string, const pipeline_run*> running;
  for (auto& [pid, r] : st.running)
    running[r.second.value.intent_id] = &r.second;
  std::vector<intent_resource> out;
  for (auto i = st.order.rbegin(); i != st.order.rend(); ++i) {
    intent_resource s;
    if (auto r = running.find(*i); r != running.end()) {
      s.run = *r->second;
      s.lifecycle = lifecycle_of(s.run, true);
    } else if (auto f = st.finished.find(*i); f != st.finished.end()) {
      s.run = f->second;
      s.lifecycle = lifecycle_of(s.run, false);
    } else {
      continue;
    }
    s.runs = st.runs_of[*i];
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace

pipeline_manager_actor::behavior_type
pipeline_manager(pipeline_manager_actor::stateful_pointer<manager_state> self,
                 pipeline_env env) {
  auto& st = self->state;
  st.env = std::move(env);
  if (st.env.runs)
    self->request(st.env.runs, caf::infinite, atom::all_v)
        .then([self](const record_list& records) { resume(self, records); },
              [](const caf::error& err) {
                log::error("pipeline runs not read; nothing resumed",
                           {{"error", render(err)}});
              });
  return {
      [self](atom::start, intent& x, std::string& text) -> caf::result<pipeline_ref> {
        auto& st = self->state;
        auto id = x.intent_id;
        if (x.target_sites.empty())
          return caf::error{ec::invalid_argument, "the intent names no site"};
        auto promise = self->make_response_promise<pipeline_ref>();
        // The monitor knows the pipeline before the answer goes out.
        self->request(st.env.monitor, std::chrono::seconds(10), atom::start_v, id, text)
            .then(
                [self, promise, x, text](const pipeline&) mutable {
                  auto& st = self->state;
                  pipeline_run run;
                  run.value = x;
                  run.text = text;
                  record(self, run);
                  launch(self, std::move(run));
                  promise.deliver(
                      pipeline_ref{x.intent_id,
                                   "started",
                                   st.env.monitor_url + "/#/pipelines/" + x.intent_id,
                                   {}});
                },
                [promise](const caf::error& err) mutable { promise.deliver(err); });
        return promise;
      },
      [self](atom::rollback,
             const std::vector<rollback_target>& targets) -> std::vector<std::string> {
        std::vector<std::string> affected;
        for (const auto& t : targets) {
          log::info("rollback asked",
                    {{"intent_id", t.intent_id}, {"site", t.site}, {"reason", t.reason}});
          rollback(self, t, affected);
        }
        return affected;
      },
      [self](atom::done, pipeline_run& run) {
        auto& st = self->state;
        st.running.erase(pipeline_id(run));
        note_gate(self, run);
        manager_remember(self, run);
        auto id = run.value.intent_id;
        st.finished[id] = std::move(run);
        tell_loads(self);
      },
      [self](atom::remove, std::string& id, std::string& reason)
          -> caf::result<pipeline_ref> { return remove(self, id, reason); },
      [self](atom::modify, intent& x, std::string& reason) -> caf::result<pipeline_ref> {
        return modify(self, std::move(x), reason);
      },
      [self](atom::get, atom::intents) { return intents(self); },
      [self](atom::get, atom::pipeline,
             const std::string& id) -> caf::result<pipeline_run> {
        auto& st = self->state;
        if (auto r = st.running.find(id); r != st.running.end())
          return r->second.second;
        return manager_history(self, id);
      },
  };
}

} // namespace o2hub
