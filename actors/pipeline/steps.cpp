#include "actors/pipeline/steps.hpp"

#include "actors/edge_access.hpp"
#include "actors/pipeline/changes.hpp"
#include "actors/pipeline/slo.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "common/time.hpp"
#include "protocol/error.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/krm.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <cstdlib>

namespace o2hub::pipeline_steps {

const std::string& id_of(self_ptr self) {
  return self->state.run.value.intent_id;
}

const std::string& run_of(self_ptr self) {
  return pipeline_id(self->state.run);
}

bool removing(self_ptr self) {
  return self->state.run.kind == "remove";
}

/// Records the run, then calls `then` (also when the write failed: the
/// pipeline goes on; a restart would redo the step, which is idempotent).
template <class F>
void save(self_ptr self, F then) {
  auto& st = self->state;
  if (!st.env.runs)
    return then();
  self->request(st.env.runs, caf::infinite, atom::put_v, run_of(self), to_json(st.run))
      .then([then](atom::ok) mutable { then(); },
            [self, then](const caf::error& err) mutable {
              log::error("pipeline state not saved",
                         {{"intent_id", id_of(self)}, {"error", render(err)}});
              then();
            });
}

void save(self_ptr self) {
  save(self, [] {});
}

/// Reports a stage to the monitor (in order: one sender, one mailbox).
void stage(self_ptr self, const std::string& name, std::string metadata) {
  self->request(self->state.env.monitor, std::chrono::seconds(30), atom::update_v,
                run_of(self), name, std::move(metadata))
      .then([](const pipeline&) {},
            [self, name](const caf::error& err) {
              log::warn(
                  "monitor refused a stage",
                  {{"intent_id", id_of(self)}, {"stage", name}, {"error", render(err)}});
            });
}

void step(self_ptr self, const std::string& next) {
  self->state.run.step = next;
  save(self, [self] { self->send(self, atom::run_v); });
}

void finish(self_ptr self, const std::string& result, const std::string& final_stage,
            std::string metadata) {
  auto done = [self, result] {
    auto& st = self->state;
    st.run.result = result;
    st.run.step = "done";
    st.run.finished_at = rfc3339(st.env.now());
    save(self); // the runs actor writes it even after this actor is gone
    self->send(st.manager, atom::done_v, st.run);
    self->quit();
  };
  // Awaited: nothing else (an alert, a late answer) is handled meanwhile.
  self->request(self->state.env.monitor, std::chrono::seconds(30), atom::update_v,
                run_of(self), final_stage, std::move(metadata))
      .await([done](const pipeline&) { done(); },
             [self, final_stage, done](const caf::error& err) {
               log::warn("monitor refused the final stage", {{"intent_id", id_of(self)},
                                                             {"stage", final_stage},
                                                             {"error", render(err)}});
               done();
             });
}

const edge_site* site_cfg(self_ptr self, const std::string& name) {
  return find_site(*self->state.env.cfg, name);
}

std::vector<std::string> repos(self_ptr self) {
  return repos_of(*self->state.env.cfg, self->state.run);
}

void begin_rollback(self_ptr self, std::string reason, std::string results) {
  auto& st = self->state;
  if (st.rolling_back)
    return;
  st.rolling_back = true;
  st.run.reason = std::move(reason);
  json::writer w;
  w.begin_object().kv("reason", st.run.reason).key("results").raw(results).end_object();
  stage(self, "rollback", w.take());
  step(self, "rollback");
}

void fail(self_ptr self, const std::string& reason) {
  self->state.run.reason = reason;
  json::writer w;
  w.begin_object().kv("reason", reason).end_object();
  finish(self, "failed", "failed", w.take());
}

void ask(self_ptr self, const std::string& site, const std::string& what, edge_query q) {
  auto& st = self->state;
  auto key = st.next_key++;
  st.asked[key] = {site, what};
  ++st.answers_left;
  // The edge access answers within the request timeout (an agent's answer
  // included); this deadline only covers an access actor that is gone.
  auto deadline = std::chrono::milliseconds(st.env.cfg->pipeline.request_timeout_ms)
                  + std::chrono::seconds(10);
  self->request(st.env.edges, deadline, atom::query_v, site, q)
      .then([self, key](
                edge_answer& a) { self->send(self, atom::fetched_v, key, std::move(a)); },
            [self, key, q](const caf::error& err) {
              self->send(self, atom::fetched_v, key, unanswered(q, render(err)));
            });
}

} // namespace o2hub::pipeline_steps
