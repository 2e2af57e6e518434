#include "actors/pipeline/pipeline.hpp"

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

namespace o2hub {

namespace {

using self_ptr = pipeline_actor::stateful_pointer<pipeline_state>;

const std::string& id_of(self_ptr self) {
  return self->state.run.value.intent_id;
}

/// Records the run, then calls `then` (also when the write failed: the
/// pipeline goes on; a restart would redo the step, which is idempotent).
template <class F>
void save(self_ptr self, F then) {
  auto& st = self->state;
  if (!st.env.runs)
    return then();
  self->request(st.env.runs, caf::infinite, atom::put_v, id_of(self), to_json(st.run))
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
void stage(self_ptr self, const std::string& name, std::string metadata = "{}") {
  self->request(self->state.env.monitor, std::chrono::seconds(30), atom::update_v,
                id_of(self), name, std::move(metadata))
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

void finish(self_ptr self, const std::string& result) {
  auto& st = self->state;
  st.run.result = result;
  st.run.step = "done";
  save(self); // the runs actor writes it even after this actor is gone
  self->send(st.manager, atom::done_v, st.run);
  self->quit();
}

const edge_site* site_cfg(self_ptr self, const std::string& name) {
  return find_site(*self->state.env.cfg, name);
}

std::vector<std::string> repos(self_ptr self) {
  return repos_of(*self->state.env.cfg, self->state.run);
}

void begin_rollback(self_ptr self, std::string reason, std::string results = "{}") {
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
  stage(self, "failed", w.take());
  finish(self, "failed");
}

void ask(self_ptr self, const std::string& url, const std::string& site,
         const std::string& what) {
  auto& st = self->state;
  auto key = st.next_key++;
  st.asked[key] = {site, what};
  ++st.answers_left;
  fetch_request req;
  req.url = url;
  req.timeout_ms = st.env.cfg->pipeline.request_timeout_ms;
  req.max_body = 256 * 1024;
  auto deadline = std::chrono::milliseconds(req.timeout_ms) + std::chrono::seconds(5);
  self->request(st.env.http, deadline, atom::fetch_v, std::move(req))
      .then(
          [self, key](fetch_result& r) {
            self->send(self, atom::fetched_v, key, r.status, std::move(r.body),
                       std::move(r.error));
          },
          [self, key](const caf::error& err) {
            self->send(self, atom::fetched_v, key, int32_t{0}, std::string{},
                       render(err));
          });
}

// -- steps --------------------------------------------------------------------

void poll_deploy(self_ptr self) {
  auto& st = self->state;
  st.asked.clear();
  st.answers_left = 0;
  for (auto& site : st.run.value.target_sites) {
    if (st.phases[site] == "fulfilled")
      continue;
    auto s = site_cfg(self, site);
    if (!s) {
      st.phases[site] = "unknown site";
      continue;
    }
    ask(self,
        "http://" + s->ip + ":" + std::to_string(s->o2ims_port)
            + "/o2ims-infrastructureProvisioning/v1/provisioningRequests/"
            + provisioning_request_id(id_of(self), site),
        site, "o2ims");
  }
}

std::string sites_json(self_ptr self) {
  auto& st = self->state;
  json::writer w;
  w.begin_object();
  for (auto& site : st.run.value.target_sites) {
    w.key(site).begin_object().kv("phase", st.phases[site]);
    if (!st.messages[site].empty())
      w.kv("message", st.messages[site]);
    w.end_object();
  }
  w.end_object();
  return w.take();
}

void deploy_round_done(self_ptr self) {
  auto& st = self->state;
  std::vector<std::string> failed;
  bool all = true;
  for (auto& site : st.run.value.target_sites) {
    auto& ph = st.phases[site];
    if (ph == "failed")
      failed.push_back(site);
    if (ph != "fulfilled")
      all = false;
  }
  if (!failed.empty()) {
    std::string reason = "provisioning failed on";
    for (auto& f : failed)
      reason += " " + f + (st.messages[f].empty() ? "" : " (" + st.messages[f] + ")");
    return begin_rollback(self, reason, sites_json(self));
  }
  if (all) {
    json::writer w;
    w.begin_object().key("sites").raw(sites_json(self)).end_object();
    stage(self, "edge_deployed", w.take());
    return step(self, "slo");
  }
  if (self->clock().now() >= st.deploy_deadline) {
    std::string reason = "deployment timed out after "
                         + std::to_string(st.env.cfg->pipeline.deploy_timeout_s)
                         + " s; not fulfilled:";
    for (auto& site : st.run.value.target_sites)
      if (st.phases[site] != "fulfilled")
        reason += " " + site + " (" + st.phases[site] + ")";
    return begin_rollback(self, reason, sites_json(self));
  }
  self->delayed_send(self,
                     std::chrono::milliseconds(st.env.cfg->pipeline.poll_interval_ms),
                     atom::tick_v);
}

void on_o2ims(self_ptr self, const std::string& site, int32_t status,
              const std::string& body, const std::string& error) {
  auto& st = self->state;
  log::debug("o2ims answer", {{"intent_id", id_of(self)},
                              {"site", site},
                              {"status", std::to_string(status)},
                              {"error", error}});
  auto answer = read_o2ims_answer(status, body, error);
  st.phases[site] = std::move(answer.phase);
  if (!answer.message.empty() || status != 200)
    st.messages[site] = std::move(answer.message);
}

void query_slo(self_ptr self) {
  auto& st = self->state;
  st.asked.clear();
  st.answers_left = 0;
  st.metrics.clear();
  for (auto& site : st.run.value.target_sites) {
    auto s = site_cfg(self, site);
    if (!s) {
      st.metrics[site]["error"] = "unknown site";
      continue;
    }
    for (auto& [metric, query] : st.env.cfg->pipeline.slo_queries) {
      auto q = query;
      for (auto [ph, val] : {std::pair<std::string, std::string>{"{intent}", id_of(self)},
                             {"{site}", site}})
        for (auto pos = q.find(ph); pos != std::string::npos; pos = q.find(ph))
          q.replace(pos, ph.size(), val);
      ask(self,
          "http://" + s->ip + ":" + std::to_string(s->prometheus_port)
              + "/api/v1/query?query=" + url_encode(q),
          site, metric);
    }
  }
  if (st.answers_left == 0)
    self->send(self, atom::fetched_v, uint64_t{0}, int32_t{0}, std::string{},
               std::string{});
}

void on_prometheus(self_ptr self, const std::string& site, const std::string& metric,
                   int32_t status, const std::string& body, const std::string& error) {
  self->state.metrics[site][metric] = read_prometheus_answer(status, body, error);
}

void slo_round_done(self_ptr self) {
  auto& st = self->state;
  json::writer w;
  w.begin_object();
  std::vector<std::string> failures;
  for (auto& site : st.run.value.target_sites) {
    auto& got = st.metrics[site];
    std::map<std::string, double> measured;
    w.key(site).begin_object();
    for (auto& [metric, text] : got) {
      if (text.rfind("error", 0) == 0) {
        failures.push_back(site + " " + metric + ": " + text.substr(7));
        continue;
      }
      measured[metric] = std::strtod(text.c_str(), nullptr);
    }
    for (auto& c : evaluate_slo(st.run.value, st.env.cfg->slo_targets, measured)) {
      w.key(c.metric).begin_object();
      if (measured.count(c.metric))
        w.kv("value", c.value);
      else
        w.kv("value", nullptr);
      w.kv("target", c.target).kv("op", c.op).kv("pass", c.pass).end_object();
      if (!c.pass && measured.count(c.metric))
        failures.push_back(site + " " + c.metric + " " + wire::format_number(c.value)
                           + " (needs " + c.op + " " + wire::format_number(c.target)
                           + ")");
    }
    w.end_object();
  }
  w.end_object();
  auto results = w.take();
  if (failures.empty()) {
    json::writer done;
    done.begin_object().kv("passed", true).key("results").raw(results).end_object();
    stage(self, "completed", done.take());
    return finish(self, "completed");
  }
  std::string reason = "SLO not met:";
  for (auto& f : failures)
    reason += " " + f + ";";
  reason.pop_back();
  begin_rollback(self, reason, results);
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
    w.end_array().end_object();
    stage(self, "intent_parsed", w.take());
    return step(self, "krm");
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
      deploy_change(*st.env.cfg, run, repo, files);
    w.kv("files_created", files).end_object();
    stage(self, "krm_generated", w.take());
    return step(self, "git");
  }
  if (run.step == "git") {
    json::writer w;
    w.begin_object().key("repositories").begin_array();
    for (auto& r : repos(self))
      w.value(r);
    w.end_array().end_object();
    stage(self, "gitops_pushing", w.take());
    auto left = std::make_shared<size_t>(repos(self).size());
    for (auto& repo : repos(self)) {
      size_t files = 0;
      auto change = deploy_change(*st.env.cfg, run, repo, files);
      self->request(st.env.git, caf::infinite, atom::push_v,
                    id_of(self) + ":deploy:" + repo, repo, std::move(change))
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
                out.end_object().end_object();
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
    w.end_array().kv("timeout_s", st.env.cfg->pipeline.deploy_timeout_s).end_object();
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
      self->request(st.env.git, caf::infinite, atom::push_v,
                    id_of(self) + ":revert:" + repo, repo,
                    revert_change(*st.env.cfg, run, repo))
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
                stage(self, after ? "rollback" : "failed", out.take());
                finish(self, after ? "rolled_back" : "failed");
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
      [self](atom::fetched, uint64_t key, int32_t status, std::string& body,
             std::string& error) {
        auto& st = self->state;
        auto i = st.asked.find(key);
        if (key != 0) {
          if (i == st.asked.end())
            return; // an answer from an earlier round
          auto [site, what] = i->second;
          st.asked.erase(i);
          --st.answers_left;
          if (what == "o2ims")
            on_o2ims(self, site, status, body, error);
          else
            on_prometheus(self, site, what, status, body, error);
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
