#include "actors/pipeline/pipeline.hpp"

#include "actors/pipeline/changes.hpp"
#include "actors/pipeline/slo.hpp"
#include "actors/pipeline/steps.hpp"
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

namespace o2hub {

namespace pipeline_steps {

namespace {

/// The run's commit for `repo`: its packages written (deploy), rendered
/// anew (modify) or deleted (remove).
git_change change_of(self_ptr self, const std::string& repo, size_t& files) {
  auto& st = self->state;
  if (st.run.kind == "remove")
    return remove_change(*st.env.cfg, st.run, repo);
  if (st.run.kind == "modify")
    return modify_change(*st.env.cfg, st.run, repo, files);
  return deploy_change(*st.env.cfg, st.run, repo, files);
}

void run_step(self_ptr self) {
  auto& st = self->state;
  auto& run = st.run;
  if (run.step == "start") {
    json::writer w;
    w.begin_object()
        .kv("intentType", run.value.intent_type)
        .key("targetSites")
        .begin_array();
    for (auto& s : run.value.target_sites)
      w.value(s);
    w.end_array().kv("kind", run.kind).end_object();
    stage(self, "intent_parsed", w.take());
    // A removal renders nothing: it deletes the packages.
    return step(self, removing(self) ? "git" : "krm");
  }
  if (run.step == "krm") {
    stage(self, "krm_generating");
    if (run.rendered_at.empty())
      run.rendered_at = rfc3339(st.env.now());
    size_t files = 0;
    json::writer w;
    w.begin_object().key("packages").begin_array();
    for (auto& site : run.value.target_sites)
      w.value(gitops_repo(*st.env.cfg, site) + ":"
              + gitops_package_dir(*st.env.cfg, site, id_of(self)));
    w.end_array();
    for (auto& repo : repos(self))
      change_of(self, repo, files);
    w.kv("files_created", files).kv("kind", run.kind).end_object();
    stage(self, "krm_generated", w.take());
    return step(self, "git");
  }
  if (run.step == "git") {
    json::writer w;
    w.begin_object().key("repositories").begin_array();
    for (auto& r : repos(self))
      w.value(r);
    w.end_array().kv("kind", run.kind).end_object();
    stage(self, "gitops_pushing", w.take());
    auto left = std::make_shared<size_t>(repos(self).size());
    for (auto& repo : repos(self)) {
      size_t files = 0;
      auto change = change_of(self, repo, files);
      self->request(st.env.git, caf::infinite, atom::push_v,
                    run_of(self) + ":" + run.kind + ":" + repo, repo, std::move(change))
          .then(
              [self, repo, left](const std::string& sha) {
                self->state.run.commits[repo] = sha;
                if (self->state.rolling_back) { // an alert came first
                  save(self);
                  return;
                }
                if (--*left > 0)
                  return;
                json::writer out;
                out.begin_object().key("commits").begin_object();
                for (auto& [r, c] : self->state.run.commits)
                  out.kv(r, c);
                out.end_object().kv("kind", self->state.run.kind).end_object();
                stage(self, "gitops_pushed", out.take());
                step(self, "deploy");
              },
              [self](const caf::error& err) {
                fail(self, "git push failed: " + render(err));
              });
    }
    return;
  }
  if (run.step == "deploy") {
    json::writer w;
    w.begin_object().key("sites").begin_array();
    for (auto& s : run.value.target_sites)
      w.value(s);
    w.end_array()
        .kv("timeout_s", st.env.cfg->pipeline.deploy_timeout_s)
        .kv("kind", run.kind)
        .end_object();
    stage(self, "edge_deploying", w.take());
    st.deploy_deadline =
        self->clock().now() + std::chrono::seconds(st.env.cfg->pipeline.deploy_timeout_s);
    st.phases.clear();
    return poll_deploy(self);
  }
  if (run.step == "slo") {
    json::writer w;
    w.begin_object().key("sites").begin_array();
    for (auto& s : run.value.target_sites)
      w.value(s);
    w.end_array().end_object();
    stage(self, "slo_validating", w.take());
    return query_slo(self);
  }
  if (run.step == "rollback") {
    st.rolling_back = true;
    auto all = repos(self);
    auto left = std::make_shared<size_t>(all.size());
    auto reverts = std::make_shared<std::map<std::string, std::string>>();
    for (auto& repo : all) {
      // A modify that failed its own gate restores the previous version;
      // anything else (an alert after completion, a deploy) is reverted.
      auto undo = run.kind == "modify" && !run.after_completion
                      ? restore_change(*st.env.cfg, run, repo)
                      : revert_change(*st.env.cfg, run, repo);
      self->request(st.env.git, caf::infinite, atom::push_v,
                    run_of(self) + ":revert:" + repo, repo, std::move(undo))
          .then(
              [self, repo, left, reverts](const std::string& sha) {
                (*reverts)[repo] = sha;
                if (--*left > 0)
                  return;
                auto after = self->state.run.after_completion;
                json::writer out;
                out.begin_object().kv("reason", self->state.run.reason);
                if (after)
                  out.kv("trigger", "alert");
                out.key("reverts").begin_object();
                for (auto& [r, c] : *reverts)
                  out.kv(r, c);
                out.end_object().end_object();
                // A completed pipeline ends with its one `rollback` stage.
                finish(self, after ? "rolled_back" : "failed",
                       after ? "rollback" : "failed", out.take());
              },
              [self](const caf::error& err) {
                fail(self,
                     self->state.run.reason + "; the revert failed: " + render(err));
              });
    }
    return;
  }
}

} // namespace

} // namespace pipeline_steps

using namespace pipeline_steps;

pipeline_actor::behavior_type
pipeline_fsm(pipeline_actor::stateful_pointer<pipeline_state> self, pipeline_env env,
             pipeline_manager_actor manager, pipeline_run run) {
  auto& st = self->state;
  st.env = std::move(env);
  st.manager = std::move(manager);
  st.run = std::move(run);
  st.rolling_back = st.run.step == "rollback";
  return {
      [self](atom::run) { run_step(self); },
      [self](atom::fetched, uint64_t key, edge_answer& answer) {
        auto& st = self->state;
        auto i = st.asked.find(key);
        if (key != 0) {
          if (i == st.asked.end())
            return; // an answer from an earlier round
          auto [site, what] = i->second;
          st.asked.erase(i);
          --st.answers_left;
          if (what == "o2ims")
            on_o2ims(self, site, answer);
          else
            on_prometheus(self, site, what, answer);
        }
        if (st.answers_left > 0 || st.rolling_back)
          return;
        if (st.run.step == "deploy")
          deploy_round_done(self);
        else if (st.run.step == "slo")
          slo_round_done(self);
      },
      [self](atom::tick) {
        if (self->state.run.step == "deploy" && !self->state.rolling_back)
          poll_deploy(self);
        if (self->state.answers_left == 0 && self->state.run.step == "deploy"
            && !self->state.rolling_back)
          deploy_round_done(self);
      },
      [self](atom::rollback, const std::string& reason) {
        auto& st = self->state;
        if (removing(self)) // an alert during a removal: it goes on
          return log::info("rollback ignored: the intent is being removed",
                           {{"intent_id", id_of(self)}, {"reason", reason}});
        if (st.run.step == "start" || st.run.step == "krm") {
          return fail(self, reason);
        }
        if (st.run.step == "git") {
          // The deployment is still being pushed: roll back once it landed.
          st.run.reason = reason;
        }
        begin_rollback(self, reason);
      },
  };
}

} // namespace o2hub
