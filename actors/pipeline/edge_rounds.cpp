#include "actors/pipeline/changes.hpp"
#include "actors/pipeline/slo.hpp"
#include "actors/pipeline/steps.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "common/time.hpp"
#include "protocol/edge_answers.hpp"
#include "protocol/error.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/krm.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <cstdlib>

namespace o2hub::pipeline_steps {

void poll_deploy(self_ptr self) {
  auto& st = self->state;
  st.asked.clear();
  st.answers_left = 0;
  for (auto& site : st.run.value.target_sites) {
    if (st.phases[site] == (removing(self) ? "removed" : "fulfilled"))
      continue;
    auto s = site_cfg(self, site);
    if (!s) {
      st.phases[site] = "unknown site";
      continue;
    }
    ask(self, site, "o2ims",
        {"o2ims", o2ims_query_arg(provisioning_request_id(id_of(self), site),
                                  revision_of(st.run))});
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

namespace {

/// A removal's round: done when no site's O2 IMS reports the request.
void removal_round_done(self_ptr self) {
  auto& st = self->state;
  std::vector<std::string> left;
  for (auto& site : st.run.value.target_sites)
    if (st.phases[site] != "removed")
      left.push_back(site);
  if (left.empty()) {
    json::writer w;
    w.begin_object().key("sites").raw(sites_json(self)).kv("kind", "remove").end_object();
    stage(self, "edge_deployed", w.take());
    json::writer done;
    done.begin_object().kv("kind", "remove").key("removed").begin_array();
    for (auto& site : st.run.value.target_sites)
      done.value(site);
    done.end_array().end_object();
    return finish(self, "completed", "completed", done.take());
  }
  if (self->clock().now() >= st.deploy_deadline) {
    std::string reason = "removal timed out after "
                         + std::to_string(st.env.cfg->pipeline.deploy_timeout_s)
                         + " s; still reported by:";
    for (auto& site : left)
      reason += " " + site + " (" + st.phases[site] + ")";
    return fail(self, reason);
  }
  self->delayed_send(self,
                     std::chrono::milliseconds(st.env.cfg->pipeline.poll_interval_ms),
                     atom::tick_v);
}

} // namespace

void deploy_round_done(self_ptr self) {
  auto& st = self->state;
  if (removing(self))
    return removal_round_done(self);
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
        reason += " " + site + " (" + st.phases[site]
                  + (st.messages[site].empty() ? "" : ": " + st.messages[site]) + ")";
    return begin_rollback(self, reason, sites_json(self));
  }
  self->delayed_send(self,
                     std::chrono::milliseconds(st.env.cfg->pipeline.poll_interval_ms),
                     atom::tick_v);
}

void on_o2ims(self_ptr self, const std::string& site, edge_answer& answer) {
  auto& st = self->state;
  log::debug("o2ims answer", {{"intent_id", id_of(self)},
                              {"site", site},
                              {"status", std::to_string(answer.status)},
                              {"phase", answer.value},
                              {"message", answer.message}});
  if (removing(self)) {
    // Removed once the O2 IMS no longer knows the request.
    st.phases[site] = answer.status == 404 ? "removed" : answer.value;
    return;
  }
  st.phases[site] = std::move(answer.value);
  if (!answer.message.empty() || answer.status != 200)
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
      ask(self, site, metric, {"promql", q});
    }
  }
  if (st.answers_left == 0)
    self->send(self, atom::fetched_v, uint64_t{0}, edge_answer{});
}

void on_prometheus(self_ptr self, const std::string& site, const std::string& metric,
                   edge_answer& answer) {
  self->state.metrics[site][metric] = std::move(answer.value);
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
  st.run.slo_results = results;
  if (failures.empty()) {
    json::writer done;
    done.begin_object().kv("passed", true).key("results").raw(results).end_object();
    return finish(self, "completed", "completed", done.take());
  }
  std::string reason = "SLO not met:";
  for (auto& f : failures)
    reason += " " + f + ";";
  reason.pop_back();
  begin_rollback(self, reason, results);
}

} // namespace o2hub::pipeline_steps
