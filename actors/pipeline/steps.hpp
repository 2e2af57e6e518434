// The pipeline's steps, shared by its files: the record and report helpers
// (steps.cpp), the deployment and SLO rounds against the edges
// (edge_rounds.cpp) and the step machine (pipeline.cpp).
#pragma once

#include "actors/pipeline/pipeline.hpp"

#include <string>
#include <vector>

namespace o2hub {
struct edge_site;
} // namespace o2hub

namespace o2hub::pipeline_steps {

using self_ptr = pipeline_actor::stateful_pointer<pipeline_state>;

/// The intent's id (its packages, provisioning requests, SLO queries).
const std::string& id_of(self_ptr self);

/// The run's pipeline id (the monitor, the runs table, git op ids).
const std::string& run_of(self_ptr self);

/// True for a remove run.
bool removing(self_ptr self);

/// Records the run (fire and forget: the runs actor keeps the order).
void save(self_ptr self);

/// Reports a stage to the monitor (in order: one sender, one mailbox).
void stage(self_ptr self, const std::string& name, std::string metadata = "{}");

/// Records `next` as the step, then runs it.
void step(self_ptr self, const std::string& next);

/// Reports the final stage and, once the monitor has it, records the result
/// (step "done"), tells the manager and ends the pipeline. In this order, a
/// crash never leaves a run recorded done whose final stage the monitor
/// never stored (it would show `running` forever); at worst the last step
/// runs again after a restart and its final stage is refused as a repeat.
void finish(self_ptr self, const std::string& result, const std::string& final_stage,
            std::string metadata);

const edge_site* site_cfg(self_ptr self, const std::string& name);

std::vector<std::string> repos(self_ptr self);

/// Reports `rollback` and moves to the rollback step (once).
void begin_rollback(self_ptr self, std::string reason, std::string results = "{}");

/// Reports `failed` and ends.
void fail(self_ptr self, const std::string& reason);

/// Asks an edge site (the edge access actor); the answer comes back as
/// `fetched` with a key that maps to (site, what).
void ask(self_ptr self, const std::string& site, const std::string& what, edge_query q);

// -- the rounds against the edges (edge_rounds.cpp) ---------------------------

/// Polls every site's O2 IMS for the provisioning request.
void poll_deploy(self_ptr self);

/// All deployment answers are in: on, done, rolled back or timed out.
void deploy_round_done(self_ptr self);

void on_o2ims(self_ptr self, const std::string& site, edge_answer& answer);

/// Queries every site's Prometheus for the SLO metrics.
void query_slo(self_ptr self);

void on_prometheus(self_ptr self, const std::string& site, const std::string& metric,
                   edge_answer& answer);

/// All SLO answers are in: the gate's verdict.
void slo_round_done(self_ptr self);

} // namespace o2hub::pipeline_steps
