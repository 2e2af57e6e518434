#include "actors/pipeline/manager.hpp"

#include "common/json.hpp"
#include "common/log.hpp"
#include "protocol/error.hpp"
#include "protocol/site_name.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>

namespace o2hub {

namespace {

using mgr_ptr = pipeline_manager_actor::stateful_pointer<manager_state>;

void launch(mgr_ptr self, pipeline_run run) {
  auto& st = self->state;
  auto id = run.value.intent_id;
  auto me = caf::actor_cast<pipeline_manager_actor>(self);
  // Linked: a pipeline goes when the manager goes (shutdown).
  auto p = self->spawn<caf::linked>(pipeline_fsm, st.env, me, run);
  st.running[id] = {p, std::move(run)};
  self->send(p, atom::run_v);
}

/// Records a run before anything acts on it (fire and forget: the runs
/// actor handles its messages in order, before any the pipeline sends).
void record(mgr_ptr self, const pipeline_run& run) {
  if (!self->state.env.runs)
    return;
  auto id = run.value.intent_id;
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
      st.finished[id] = std::move(run);
    } else {
      log::info("resuming pipeline", {{"intent_id", id}, {"step", run.step}});
      launch(self, std::move(run));
    }
  }
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
    if (concerns(running.second)) {
      self->send(running.first, atom::rollback_v, t.reason);
      affected.push_back(id);
    }
  }
  for (auto i = st.finished.begin(); i != st.finished.end();) {
    if (i->second.result == "completed" && concerns(i->second)) {
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
                  promise.deliver(pipeline_ref{x.intent_id,
                                               "started",
                                               st.env.monitor_url + "/api/v1/pipelines/"
                                                   + x.intent_id,
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
        auto id = run.value.intent_id;
        st.running.erase(id);
        st.finished[id] = std::move(run);
      },
  };
}

} // namespace o2hub
