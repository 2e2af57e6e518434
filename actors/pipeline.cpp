#include "actors/pipeline.hpp"

#include "io/log.hpp"
#include "protocol/error.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/json.hpp"
#include "protocol/time.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace o2hub {

// -- the run record -------------------------------------------------------------

std::string to_json(const pipeline_run& r) {
  json::writer w;
  w.begin_object()
    .key("intent")
    .raw(wire::intent_json(r.value))
    .kv("text", r.text)
    .kv("step", r.step)
    .kv("rendered_at", r.rendered_at)
    .key("commits")
    .begin_object();
  for (auto& [repo, sha] : r.commits)
    w.kv(repo, sha);
  w.end_object()
    .kv("reason", r.reason)
    .kv("result", r.result)
    .kv("after_completion", r.after_completion)
    .end_object();
  return w.take();
}

bool from_json(const std::string& text, pipeline_run& r) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (p.parse(text).get(root))
    return false;
  simdjson::dom::element in;
  if (root["intent"].get(in) || !wire::read_intent_json(simdjson::minify(in), r.value))
    return false;
  auto str = [&](const char* key, std::string& dst) {
    std::string_view v;
    if (root[key].get_string().get(v) == simdjson::SUCCESS)
      dst = std::string{v};
  };
  str("text", r.text);
  str("step", r.step);
  str("rendered_at", r.rendered_at);
  str("reason", r.reason);
  str("result", r.result);
  bool after = false;
  if (root["after_completion"].get_bool().get(after) == simdjson::SUCCESS)
    r.after_completion = after;
  simdjson::dom::object commits;
  if (root["commits"].get_object().get(commits) == simdjson::SUCCESS)
    for (auto [k, v] : commits) {
      std::string_view sha;
      if (v.get_string().get(sha) == simdjson::SUCCESS)
        r.commits[std::string{k}] = std::string{sha};
    }
  return true;
}

// -- the SLO gate -------------------------------------------------------------

std::vector<slo_check> evaluate_slo(const intent& x,
                                    const std::map<std::string, std::string>& targets,
                                    const std::map<std::string, double>& measured) {
  auto target_of = [&](const char* key, double fallback) {
    auto i = targets.find(key);
    if (i == targets.end())
      return fallback;
    char* end = nullptr;
    auto v = std::strtod(i->second.c_str(), &end);
    return end != i->second.c_str() ? v : fallback;
  };
  std::vector<slo_check> out;
  auto add = [&](const char* metric, double target, const char* op) {
    slo_check c;
    c.metric = metric;
    c.target = std::round(target * 1e9) / 1e9; // 99.9 / 100 -> 0.999
    c.op = op;
    auto m = measured.find(metric);
    if (m != measured.end()) {
      c.value = m->second;
      c.pass = c.op == "<=" ? c.value <= c.target : c.value >= c.target;
    }
    out.push_back(c);
  };
  auto latency = target_of("latency_p95_ms", -1);
  if (x.latency_ms > 0)
    latency = latency > 0 ? std::min(latency, x.latency_ms) : x.latency_ms;
  if (latency > 0)
    add("latency_p95_ms", latency, "<=");
  auto success = std::max(target_of("success_rate", 0), x.availability_pct / 100.0);
  add("success_rate", success, ">=");
  auto throughput = std::max(target_of("throughput_mbps", 0), x.bandwidth_mbps);
  add("throughput_mbps", throughput, ">=");
  return out;
}

namespace {

using self_ptr = pipeline_actor::stateful_pointer<pipeline_state>;

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const std::string& id_of(self_ptr self) {
  return self->state.run.value.intent_id;
}

void save(self_ptr self) {
  auto& st = self->state;
  if (st.env.runs && !st.env.runs->put(id_of(self), to_json(st.run)))
    log::error("pipeline state not saved", {{"intent_id", id_of(self)}});
}

/// Reports a stage to the monitor (in order: one sender, one mailbox).
void stage(self_ptr self, const std::string& name, std::string metadata = "{}") {
  self->request(self->state.env.monitor, std::chrono::seconds(30), atom::update_v,
                id_of(self), name, std::move(metadata))
    .then([](const pipeline&) {},
          [self, name](const caf::error& err) {
            log::warn("monitor refused a stage", {{"intent_id", id_of(self)},
                                                  {"stage", name},
                                                  {"error", render(err)}});
          });
}

void step(self_ptr self, const std::string& next) {
  self->state.run.step = next;
  save(self);
  self->send(self, atom::run_v);
}

void finish(self_ptr self, const std::string& result) {
  auto& st = self->state;
  st.run.result = result;
  st.run.step = "done";
  save(self);
  self->send(st.manager, atom::done_v, id_of(self), result);
  self->quit();
}

const edge_site* site_cfg(self_ptr self, const std::string& name) {
  return find_site(*self->state.env.cfg, name);
}

std::vector<std::string> repos(self_ptr self) {
  std::set<std::string> out;
  for (auto& s : self->state.run.value.target_sites)
    out.insert(gitops_repo(*self->state.env.cfg, s));
  return {out.begin(), out.end()};
}

/// The change that deploys the intent's packages to `repo`.
std::string deploy_change(self_ptr self, const std::string& repo, size_t& files) {
  auto& st = self->state;
  auto& cfg = *st.env.cfg;
  krm_options ko;
  ko.template_name = cfg.pipeline.template_name;
  ko.template_version = cfg.pipeline.template_version;
  std::string sites;
  for (auto& s : st.run.value.target_sites)
    sites += (sites.empty() ? "" : ", ") + s;
  json::writer w;
  w.begin_object()
    .kv("message", "deploy intent " + id_of(self) + " to " + sites)
    .key("write")
    .begin_object();
  for (auto& site : st.run.value.target_sites) {
    if (gitops_repo(cfg, site) != repo)
      continue;
    auto base = gitops_package_dir(cfg, site, id_of(self));
    base = base.substr(0, base.size() - id_of(self).size()); // "" or "<site>/"
    for (auto& f : render_krm(st.run.value, site, ko, st.run.rendered_at)) {
      w.kv(base + f.path, f.content);
      ++files;
    }
  }
  w.end_object().end_object();
  return w.take();
}

std::string revert_change(self_ptr self, const std::string& repo) {
  auto& st = self->state;
  auto& cfg = *st.env.cfg;
  std::string sites;
  for (auto& s : st.run.value.target_sites)
    sites += (sites.empty() ? "" : ", ") + s;
  json::writer w;
  auto sha = st.run.commits.count(repo) ? st.run.commits[repo] : std::string{};
  w.begin_object()
    .kv("message", "Revert \"deploy intent " + id_of(self) + " to " + sites
                     + "\"\n\nThis reverts commit " + sha + ".\nReason: "
                     + st.run.reason)
    .key("remove")
    .begin_array();
  for (auto& site : st.run.value.target_sites)
    if (gitops_repo(cfg, site) == repo)
      w.value(gitops_package_dir(cfg, site, id_of(self)));
  w.end_array().end_object();
  return w.take();
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
  auto me = caf::actor_cast<pipeline_actor>(self);
  st.env.fetch(req, [me, key](fetch_result r) {
    caf::anon_send(me, atom::fetched_v, key, static_cast<int32_t>(r.status),
                   std::move(r.body), std::move(r.error));
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
  self->delayed_send(self, std::chrono::milliseconds(st.env.cfg->pipeline.poll_interval_ms),
                     atom::tick_v);
}

void on_o2ims(self_ptr self, const std::string& site, int32_t status,
              const std::string& body, const std::string& error) {
  auto& st = self->state;
  log::debug("o2ims answer", {{"intent_id", id_of(self)}, {"site", site},
                              {"status", std::to_string(status)}, {"error", error}});
  if (status == 0) {
    st.phases[site] = "unreachable";
    st.messages[site] = error;
    return;
  }
  if (status == 404) {
    st.phases[site] = "pending";
    st.messages[site] = "not yet known to the O-Cloud";
    return;
  }
  if (status != 200) {
    st.phases[site] = "error";
    st.messages[site] = "HTTP " + std::to_string(status);
    return;
  }
  // The O2 IMS API puts the phase in status.provisioningPhase; the CRD (and
  // APIs that return it) in status.provisioningStatus.provisioningPhase.
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::element status_obj;
  std::string_view phase;
  bool ok = !p.parse(body).get(root) && !root["status"].get(status_obj);
  if (ok && status_obj["provisioningPhase"].get_string().get(phase) != simdjson::SUCCESS) {
    simdjson::dom::element nested;
    ok = !status_obj["provisioningStatus"].get(nested)
         && nested["provisioningPhase"].get_string().get(phase) == simdjson::SUCCESS;
    if (ok)
      status_obj = nested;
  }
  if (!ok) {
    st.phases[site] = "error";
    st.messages[site] = "unreadable provisioning request";
    return;
  }
  st.phases[site] = lower(std::string{phase});
  std::string_view msg;
  if (status_obj["message"].get_string().get(msg) == simdjson::SUCCESS)
    st.messages[site] = std::string{msg};
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
  auto& out = self->state.metrics[site][metric];
  if (status == 0) {
    out = "error: unreachable (" + error + ")";
    return;
  }
  if (status != 200) {
    out = "error: HTTP " + std::to_string(status);
    return;
  }
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::array result;
  if (p.parse(body).get(root) || root["data"]["result"].get_array().get(result)) {
    out = "error: unreadable answer";
    return;
  }
  for (auto sample : result) {
    std::string_view v;
    if (sample["value"].at(1).get_string().get(v) == simdjson::SUCCESS) {
      out = std::string{v};
      return;
    }
  }
  out = "error: no data";
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
    w.begin_object().kv("intentType", run.value.intent_type).key("targetSites").begin_array();
    for (auto& s : run.value.target_sites)
      w.value(s);
    w.end_array().end_object();
    stage(self, "intent_parsed", w.take());
    return step(self, "krm");
  }
  if (run.step == "krm") {
    stage(self, "krm_generating");
    if (run.rendered_at.empty())
      run.rendered_at = rfc3339_now();
    size_t files = 0;
    json::writer w;
    w.begin_object().key("packages").begin_array();
    for (auto& site : run.value.target_sites)
      w.value(gitops_repo(*st.env.cfg, site) + ":"
              + gitops_package_dir(*st.env.cfg, site, id_of(self)));
    w.end_array();
    for (auto& repo : repos(self))
      deploy_change(self, repo, files);
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
      auto change = deploy_change(self, repo, files);
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
          [self](const caf::error& err) { fail(self, "git push failed: " + render(err)); });
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
    st.deploy_deadline = self->clock().now()
                         + std::chrono::seconds(st.env.cfg->pipeline.deploy_timeout_s);
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
                    id_of(self) + ":revert:" + repo, repo, revert_change(self, repo))
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
            fail(self, self->state.run.reason + "; the revert failed: " + render(err));
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

// -- the manager -----------------------------------------------------------------

namespace {

using mgr_ptr = pipeline_manager_actor::stateful_pointer<manager_state>;

void launch(mgr_ptr self, pipeline_run run) {
  auto& st = self->state;
  auto id = run.value.intent_id;
  auto me = caf::actor_cast<pipeline_manager_actor>(self);
  auto env = st.env;
  // Linked: a pipeline goes when the manager goes (shutdown).
  auto p = self->spawn<caf::linked>(pipeline_fsm, env, me, std::move(run));
  st.running[id] = p;
  self->send(p, atom::run_v);
}

} // namespace

pipeline_manager_actor::behavior_type
pipeline_manager(pipeline_manager_actor::stateful_pointer<manager_state> self,
                 pipeline_env env) {
  auto& st = self->state;
  st.env = std::move(env);
  // Resume what a previous process left running; remember finished ones.
  if (st.env.runs) {
    for (auto& [id, text] : st.env.runs->all()) {
      pipeline_run run;
      if (!from_json(text, run)) {
        log::warn("unreadable pipeline record skipped", {{"intent_id", id}});
        continue;
      }
      if (run.step == "done") {
        st.finished[id] = std::move(run);
      } else {
        log::info("resuming pipeline", {{"intent_id", id}, {"step", run.step}});
        launch(self, std::move(run));
      }
    }
  }
  return {
    [self](atom::start, intent& x, std::string& text) -> caf::result<std::string> {
      auto& st = self->state;
      auto id = x.intent_id;
      if (x.target_sites.empty())
        return caf::error{ec::invalid_argument, "the intent names no site"};
      auto promise = self->make_response_promise<std::string>();
      // The monitor knows the pipeline before the answer goes out.
      self->request(st.env.monitor, std::chrono::seconds(10), atom::start_v, id, text)
        .then(
          [self, promise, x, text](const pipeline&) mutable {
            auto& st = self->state;
            pipeline_run run;
            run.value = x;
            run.text = text;
            if (st.env.runs)
              st.env.runs->put(x.intent_id, to_json(run));
            launch(self, std::move(run));
            json::writer w;
            w.begin_object()
              .kv("id", x.intent_id)
              .kv("status", "started")
              .kv("monitor", st.env.monitor_url + "/api/v1/pipelines/" + x.intent_id)
              .end_object();
            promise.deliver(w.take());
          },
          [promise](const caf::error& err) mutable { promise.deliver(err); });
      return promise;
    },
    [self](atom::rollback, const std::string& intent_id, const std::string& site,
           const std::string& reason) -> std::string {
      auto& st = self->state;
      auto site_name = site.empty() ? std::string{} : normalize_site_name(site);
      auto concerns = [&](const pipeline_run& r) {
        if (!intent_id.empty() && r.value.intent_id != intent_id)
          return false;
        if (!site_name.empty()
            && std::find(r.value.target_sites.begin(), r.value.target_sites.end(),
                         site_name)
                 == r.value.target_sites.end())
          return false;
        return true;
      };
      std::vector<std::string> affected;
      for (auto& [id, p] : st.running) {
        auto rec = std::string{};
        pipeline_run r;
        if (st.env.runs && st.env.runs->get(id, rec) && from_json(rec, r) && concerns(r)) {
          self->send(p, atom::rollback_v, reason);
          affected.push_back(id);
        }
      }
      for (auto i = st.finished.begin(); i != st.finished.end();) {
        if (i->second.result == "completed" && concerns(i->second)) {
          auto run = std::move(i->second);
          i = st.finished.erase(i);
          affected.push_back(run.value.intent_id);
          run.reason = reason;
          run.step = "rollback";
          run.result.clear();
          run.after_completion = true;
          if (st.env.runs)
            st.env.runs->put(run.value.intent_id, to_json(run));
          launch(self, std::move(run));
        } else {
          ++i;
        }
      }
      json::writer w;
      w.begin_object().key("rolled_back").begin_array();
      for (auto& a : affected)
        w.value(a);
      w.end_array().end_object();
      return w.take();
    },
    [self](atom::done, const std::string& id, const std::string&) {
      auto& st = self->state;
      st.running.erase(id);
      std::string rec;
      pipeline_run r;
      if (st.env.runs && st.env.runs->get(id, rec) && from_json(rec, r))
        st.finished[id] = std::move(r);
    },
  };
}

} // namespace o2hub
