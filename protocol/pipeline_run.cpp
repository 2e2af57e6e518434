#include "protocol/pipeline_run.hpp"

#include "common/json.hpp"
#include "protocol/intent_json.hpp"

#include <simdjson.h>

namespace o2hub {

std::string to_json(const pipeline_run& r) {
  json::writer w;
  w.begin_object()
      .key("intent")
      .raw(wire::intent_json(r.value))
      .kv("text", r.text)
      .kv("kind", r.kind)
      .kv("run_id", r.run_id);
  if (!r.previous.intent_id.empty())
    w.key("previous")
        .raw(wire::intent_json(r.previous))
        .kv("previous_revision", r.previous_revision)
        .kv("previous_rendered_at", r.previous_rendered_at);
  w.kv("step", r.step).kv("rendered_at", r.rendered_at).key("commits").begin_object();
  for (auto& [repo, sha] : r.commits)
    w.kv(repo, sha);
  w.end_object()
      .kv("reason", r.reason)
      .kv("result", r.result)
      .kv("after_completion", r.after_completion)
      .kv("started_at", r.started_at)
      .kv("finished_at", r.finished_at);
  if (!r.slo_results.empty())
    w.key("slo_results").raw(r.slo_results);
  w.end_object();
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
  str("kind", r.kind);
  str("run_id", r.run_id);
  simdjson::dom::element prev;
  if (!root["previous"].get(prev)
      && !wire::read_intent_json(simdjson::minify(prev), r.previous))
    return false;
  str("previous_revision", r.previous_revision);
  str("previous_rendered_at", r.previous_rendered_at);
  str("step", r.step);
  str("rendered_at", r.rendered_at);
  str("reason", r.reason);
  str("result", r.result);
  str("started_at", r.started_at);
  str("finished_at", r.finished_at);
  simdjson::dom::element slo;
  if (!root["slo_results"].get(slo) && slo.is_object())
    r.slo_results = simdjson::minify(slo);
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

std::map<std::string, site_verdict> slo_by_site(const pipeline_run& r) {
  std::map<std::string, site_verdict> out;
  if (r.slo_results.empty())
    return out;
  simdjson::dom::parser parser;
  simdjson::dom::object sites;
  if (parser.parse(r.slo_results).get_object().get(sites) != simdjson::SUCCESS)
    return out;
  for (auto [site, metrics] : sites) {
    simdjson::dom::object m;
    if (metrics.get_object().get(m) != simdjson::SUCCESS)
      continue;
    site_verdict v;
    v.passed = true;
    for (auto [name, check] : m) {
      bool pass = false;
      if (check["pass"].get_bool().get(pass) != simdjson::SUCCESS || !pass)
        v.passed = false;
    }
    v.results_json = simdjson::minify(metrics);
    out[std::string{site}] = std::move(v);
  }
  return out;
}

std::string lifecycle_of(const pipeline_run& r, bool running) {
  bool remove = r.kind == "remove";
  if (running)
    return remove                                    ? "removing"
           : r.step == "start" && r.kind == "deploy" ? "acknowledged"
                                                     : "inProgress";
  if (remove)
    return r.result == "completed" ? "removed" : "active";
  if (r.result == "completed")
    return "active";
  if (r.result == "rolled_back" || r.after_completion)
    return "degraded";
  return r.kind == "modify" ? "active" : "failed";
}

std::string intent_resource_json(const intent_resource& s) {
  const auto& r = s.run;
  const auto& x = effective_intent(r);
  json::writer w;
  w.begin_object()
      .kv("intentId", x.intent_id)
      .kv("intentType", x.intent_type)
      .kv("description", x.description)
      .key("targetSites")
      .begin_array();
  for (const auto& site : x.target_sites)
    w.value(site);
  w.end_array()
      .kv("lifecycleStatus", s.lifecycle)
      .key("intent")
      .raw(wire::intent_json(x))
      .key("lastRun")
      .begin_object()
      .kv("id", pipeline_id(r))
      .kv("kind", r.kind)
      .kv("step", r.step)
      .kv("result", r.result)
      .kv("reason", r.reason)
      .key("commits")
      .begin_object();
  for (const auto& [repo, sha] : r.commits)
    w.kv(repo, sha);
  w.end_object().end_object().key("runs").begin_array();
  for (const auto& id : s.runs)
    w.value(id);
  w.end_array().end_object();
  return w.take();
}

} // namespace o2hub
