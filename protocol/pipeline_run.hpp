// What a pipeline records after each step: the durable run record (JSON in
// the runs table) and the value the pipeline hands its manager when it ends.
#pragma once

#include "protocol/fwd.hpp"
#include "protocol/intent.hpp"

#include <caf/meta/type_name.hpp>

#include <map>
#include <string>
#include <vector>

namespace o2hub {

struct pipeline_run {
  intent value;
  std::string text;
  /// What the run does to the intent: "deploy" or "remove".
  std::string kind = "deploy";
  /// The pipeline's id on the monitor and in the runs table: the intent id
  /// for its deploy run, "<intent id>-m<n>" for its n-th modify,
  /// "<intent id>-remove" for its removal.
  std::string run_id;
  /// A modify's intent before the change (restored when its gate fails),
  /// with the revision and render time its packages carry.
  intent previous;
  std::string previous_revision;
  std::string previous_rendered_at;
  /// start, krm, git, deploy, slo, rollback, done.
  std::string step = "start";
  std::string rendered_at;
  /// Repository -> deployment commit.
  std::map<std::string, std::string> commits;
  /// Why it rolled back (or failed).
  std::string reason;
  /// completed, failed or rolled_back once done.
  std::string result;
  /// The rollback undoes a completed deployment (an alert): the monitor
  /// records it as the pipeline's one `rollback` stage, after the revert.
  bool after_completion = false;
  /// When the run started and ended (ISO 8601 UTC; empty: not yet).
  std::string started_at;
  std::string finished_at;
  /// The SLO gate's verdict as JSON: {site: {metric: {value, target, op,
  /// pass}}}; empty before the gate ran.
  std::string slo_results;

  friend bool operator==(const pipeline_run& x, const pipeline_run& y) {
    return x.value == y.value && x.text == y.text && x.kind == y.kind
           && x.run_id == y.run_id && x.previous == y.previous
           && x.previous_revision == y.previous_revision
           && x.previous_rendered_at == y.previous_rendered_at && x.step == y.step
           && x.rendered_at == y.rendered_at && x.commits == y.commits
           && x.reason == y.reason && x.result == y.result
           && x.after_completion == y.after_completion && x.started_at == y.started_at
           && x.finished_at == y.finished_at && x.slo_results == y.slo_results;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, pipeline_run& x) {
    return f(caf::meta::type_name("o2hub.pipeline_run"), x.value, x.text, x.kind,
             x.run_id, x.previous, x.previous_revision, x.previous_rendered_at, x.step,
             x.rendered_at, x.commits, x.reason, x.result, x.after_completion,
             x.started_at, x.finished_at, x.slo_results);
  }
};

/// The run's pipeline id: run_id, or the intent id when it has none.
inline const std::string& pipeline_id(const pipeline_run& r) {
  return r.run_id.empty() ? r.value.intent_id : r.run_id;
}

/// templateParameters.revision of the packages a run renders: a modify's
/// pipeline id; empty for a deploy.
inline std::string revision_of(const pipeline_run& r) {
  return r.kind == "modify" ? pipeline_id(r) : std::string{};
}

/// The intent as deployed after the run: a modify that did not complete
/// left the previous one in place.
inline const intent& effective_intent(const pipeline_run& r) {
  return r.kind == "modify" && r.result != "completed" && !r.result.empty()
                 && !r.previous.intent_id.empty()
             ? r.previous
             : r.value;
}

/// An intent as a resource: its latest run and its lifecycle status.
struct intent_resource {
  /// The intent's latest run (running or finished).
  pipeline_run run;
  /// acknowledged, inProgress, active, degraded, failed, removing, removed.
  std::string lifecycle;
  /// The pipeline ids of its runs, oldest first.
  std::vector<std::string> runs;

  friend bool operator==(const intent_resource& x, const intent_resource& y) {
    return x.run == y.run && x.lifecycle == y.lifecycle && x.runs == y.runs;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, intent_resource& x) {
    return f(caf::meta::type_name("o2hub.intent_resource"), x.run, x.lifecycle, x.runs);
  }
};

/// The lifecycle status of an intent whose latest run is `r` (running or
/// finished): a running deploy or modify is inProgress, a running removal
/// removing; a completed deploy or modify active, one rolled back after
/// completion (an alert) degraded, a failed deploy failed; a failed modify
/// (restored) and a failed removal leave the intent active; a completed
/// removal removed.
std::string lifecycle_of(const pipeline_run& r, bool running);

/// One site's part of an SLO gate's verdict.
struct site_verdict {
  bool passed = false;
  /// {metric: {value, target, op, pass}}.
  std::string results_json;
};

/// A run's SLO verdict by site (empty before its gate ran).
std::map<std::string, site_verdict> slo_by_site(const pipeline_run& r);

/// GET /api/v1/intents' item: {intentId, intentType, description,
/// targetSites, lifecycleStatus, intent, lastRun: {id, kind, step, result,
/// reason, commits}, runs}.
std::string intent_resource_json(const intent_resource& s);

/// The run record's JSON (the runs table).
std::string to_json(const pipeline_run& r);

/// Reads to_json's output back; false when it is not such a record.
bool from_json(const std::string& text, pipeline_run& r);

/// What to roll back, and why (an alert): deployed intents with this id
/// and/or on this site ("" = any).
struct rollback_target {
  std::string intent_id;
  std::string site;
  std::string reason;

  friend bool operator==(const rollback_target& x, const rollback_target& y) {
    return x.intent_id == y.intent_id && x.site == y.site && x.reason == y.reason;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, rollback_target& x) {
    return f(caf::meta::type_name("o2hub.rollback_target"), x.intent_id, x.site,
             x.reason);
  }
};

} // namespace o2hub
