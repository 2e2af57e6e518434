// Every o2hub actor interface, in one place. Read this header and one actor
// file to follow any message's path.
#pragma once

#include "protocol/direct_reply.hpp"
#include "protocol/fwd.hpp"
#include "protocol/intent.hpp"
#include "protocol/io_messages.hpp"
#include "protocol/messages.hpp"
#include "protocol/monitor_values.hpp"
#include "protocol/nodes.hpp"
#include "protocol/pipeline.hpp"
#include "protocol/pipeline_run.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <functional>
#include <memory>
#include <string>

namespace o2hub {

class ws_sink;

/// A WebSocket connection's outbound side. Local only: handed to the hub
/// actor in the same process, never sent across nodes.
using ws_sink_ptr = std::shared_ptr<ws_sink>;

/// Where an intent answer goes when an HTTP connection asks directly.
using intent_reply = direct_reply<intent_response>;

} // namespace o2hub

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(o2hub::ws_sink_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(o2hub::intent_reply)

namespace o2hub {

/// The status of one service (intent, monitor, bridge): uptime and the
/// service fields of GET /health.
using status_actor = caf::typed_actor<
    // Returns the service's health report.
    caf::replies_to<atom::health>::with<health_report>,
    // Sets a service field shown in the health report; a text field
    // "status" sets the reported status instead.
    caf::reacts_to<atom::put, health_field>>;

/// One LLM call (a CLI run or an HTTP request), as a detached actor that
/// blocks in I/O; it answers once and is then told to exit.
using llm_call_actor = caf::typed_actor<
    // Runs the call; returns the model's text (the CLI's "result", the
    // completion's message content).
    caf::replies_to<atom::run>::with<std::string>>;

/// Starts one LLM call with a prompt from `self`'s context (spawned by the
/// configured backend, io/llm_backends.hpp); the returned actor answers
/// `run` once. Local only: a factory, not a message.
using llm_spawner =
    std::function<llm_call_actor(caf::local_actor* self, std::string prompt)>;

/// Turns operators' sentences into intents: rules always, an LLM when
/// configured, with a cache.
using intent_actor = caf::typed_actor<
    // Understands one request (sites already validated by the caller).
    caf::replies_to<atom::process, intent_request>::with<intent_response>,
    // The same, answered to `reply` instead of the sender (the REST route:
    // no asking actor in between). Local only.
    caf::reacts_to<atom::process, intent_request, intent_reply>,
    // Checks an intent stated with explicit requirements (TMF921
    // characteristics; no NLU): sites, feasibility; gives it an id and, with
    // pipelines, starts its deployment (metadata.pipeline).
    caf::replies_to<atom::process, intent>::with<intent_response>,
    // Understands a batch, a few requests at a time, each as if it came
    // alone; one outcome per request, in order.
    caf::replies_to<atom::process,
                    std::vector<intent_request>>::with<std::vector<intent_outcome>>,
    // Returns counters and the LLM's state.
    caf::replies_to<atom::stats>::with<intent_stats>,
    // Sends the sink every intent created from now on (not dry runs, not
    // refusals; from REST, batch, WebSocket or TMF) as the original's
    // {"stage":"intent_generated"} message, until the sink closes.
    caf::reacts_to<atom::subscribe, ws_sink_ptr>>;

/// The realtime monitor: pipelines keyed by intent id, metrics, edge status;
/// the hub that fans events out to WebSocket clients. Replies are values;
/// protocol/monitor_json.hpp writes them as the REST answers' JSON.
using monitor_actor = caf::typed_actor<
    // Starts a pipeline: intent id, intent text; conflict if it is running.
    caf::replies_to<atom::start, std::string, std::string>::with<pipeline>,
    // The same for a pipeline an outside client reports (POST
    // /api/v1/pipeline/start): only such pipelines are the implicit target
    // of an update without an intent id.
    caf::replies_to<atom::start, std::string, std::string, atom::update>::with<pipeline>,
    // Moves a pipeline to a stage: intent id ("" = the latest running
    // pipeline an outside client started), stage string, metadata JSON
    // object (validated by the caller).
    caf::replies_to<atom::update, std::string, std::string, std::string>::with<pipeline>,
    // Cancels a pipeline an outside client started (running or stale): it
    // fails with reason "cancelled"; o2hub's own pipelines are refused.
    caf::replies_to<atom::update, std::string, atom::erase>::with<pipeline>,
    // Sets an edge's status by hand: edge name (any spelling), status,
    // metadata JSON object ("" = keep the checks); returns the edge's status.
    caf::replies_to<atom::edge, std::string, std::string, std::string>::with<edge_status>,
    // A probe's report for an edge: edge name, the report.
    caf::reacts_to<atom::edge, std::string, probe_report>,
    // What the pipelines say about the sites (active intents, the last SLO
    // gate): an edge whose last gate failed is not shown healthy.
    caf::reacts_to<atom::edge, std::vector<site_load>>,
    // GET /api/v1/metrics: figures, edges, services.
    caf::replies_to<atom::get, atom::metrics>::with<monitor_snapshot>,
    // GET /api/v1/pipelines: newest first, limit, offset.
    caf::replies_to<atom::get, atom::pipelines, uint64_t, uint64_t>::with<pipeline_page>,
    // GET /api/v1/pipelines/{id}.
    caf::replies_to<atom::get, atom::pipeline, std::string>::with<pipeline>,
    // GET /api/v1/edges: by name.
    caf::replies_to<atom::get, atom::edges>::with<std::vector<edge_status>>,
    // GET /metrics: pipelines by result, durations, edges, clients.
    caf::replies_to<atom::get, atom::prometheus>::with<monitor_counters>,
    // A service's status from its prober: service name, the report.
    caf::reacts_to<atom::service, std::string, probe_report>,
    // Broadcasts the metrics when they changed (the actor's own timer).
    caf::reacts_to<atom::tick>,
    // A new WebSocket client: gets initial_state, then every event.
    caf::reacts_to<atom::subscribe, ws_sink_ptr>>;

/// Where probers report: the monitor, the agent hub (which passes a site's
/// reports on while no agent serves it) or an edge agent (which sends them
/// to its hub).
using probe_sink_actor = caf::typed_actor<
    // A site's status changed: site name, the report.
    caf::reacts_to<atom::edge, std::string, probe_report>,
    // A service's status changed: service name, the report.
    caf::reacts_to<atom::service, std::string, probe_report>>;

/// Probes one edge site (O2 IMS, Prometheus, Kubernetes) on a timer and
/// tells its sink when the site's status changes.
using prober_actor = caf::typed_actor<
    // Probes now; the actor sends itself the next tick after the interval.
    caf::reacts_to<atom::tick>,
    // Paused (true): rounds are skipped, no report is sent (an agent probes
    // the site); resumed (false): the next round reports whatever it finds.
    caf::reacts_to<atom::pause, bool>,
    // One check's result: round, check index, HTTP status (0: no answer),
    // latency in ms, error text.
    caf::reacts_to<atom::checked, uint64_t, uint32_t, int32_t, double, std::string>>;

/// One WebSocket connection's inbound side (actors/sessions/): it parses
/// what its client sends, holds the client's role and talks to the
/// service's actors. Everything that goes *out* to the client is pushed into
/// the connection's bounded sink, never through a mailbox. The I/O layer
/// spawns one per connection when it opens and stops it when it closes.
using ws_session_actor = caf::typed_actor<
    // A frame from the client: payload, binary.
    caf::reacts_to<atom::frame, std::string, bool>>;

// -- I/O actors: the only way logic actors reach the world ----------------------

/// HTTP GETs to edge endpoints (O2 IMS, Prometheus, Kubernetes) on the shared
/// non-blocking libcurl client (io/http_client_actor.hpp).
using http_client_actor = caf::typed_actor<
    // Runs one request. Never an error: no answer is a result with status 0
    // and the client's message (timeouts included).
    caf::replies_to<atom::fetch, fetch_request>::with<fetch_result>,
    // Internal: a finished transfer, sent by the client's thread.
    caf::reacts_to<atom::fetched, uint64_t, fetch_result>>;

/// A durable table of JSON records by key (SQLite, WAL; detached because it
/// blocks): pipeline runs, the git outbox (io/records_actor.hpp). Every
/// answer comes after the write reached the database.
using records_actor = caf::typed_actor<
    // Inserts or replaces a record: key, value.
    caf::replies_to<atom::put, std::string, std::string>::with<atom::ok>,
    // Removes a record (absent is fine).
    caf::replies_to<atom::erase, std::string>::with<atom::ok>,
    // One record's value; unknown_entity when there is none.
    caf::replies_to<atom::get, std::string>::with<std::string>,
    // Every record, oldest insertion first.
    caf::replies_to<atom::all>::with<record_list>>;

/// The tmux control connection (io/tmux_actor.hpp): the bridge's only way
/// to tmux. What tmux says comes to the bridge as link, output, reply and
/// notify messages.
using tmux_actor = caf::typed_actor<
    // Sends one command line; a non-zero tag asks for a `reply` to the sender
    // (a failed one when the control connection is down).
    caf::reacts_to<atom::command, std::string, uint64_t>>;

/// The monitor's durable state (SQLite, WAL; detached because it blocks):
/// pipelines with their stages, the counters behind the metrics, the last
/// status of every edge (io/store.hpp). Every answer comes after the write
/// reached the database.
using monitor_store_actor = caf::typed_actor<
    // Writes a pipeline and the counters in one transaction: pipeline, total,
    // successful, failed, the new duration in s (-1: none).
    caf::replies_to<atom::put, pipeline, uint64_t, uint64_t, uint64_t,
                    double>::with<atom::ok>,
    // Writes an edge's status.
    caf::replies_to<atom::put, edge_status>::with<atom::ok>>;

/// The terminal bridge: owns the view of the shared tmux session and its
/// viewers. The tmux link (io/tmux.hpp) reports to it; WebSocket sessions
/// hand it their sinks and their clients' input.
using bridge_actor = caf::typed_actor<
    // The control connection went up (attached) or down.
    caf::reacts_to<atom::link, bool>,
    // Bytes a pane wrote: pane id ("%0"), bytes.
    caf::reacts_to<atom::output, std::string, std::string>,
    // The answer to a tagged command: tag, ok, body.
    caf::reacts_to<atom::reply, uint64_t, bool, std::string>,
    // Another tmux notification: name, rest of the line.
    caf::reacts_to<atom::notify, std::string, std::string>,
    // A new viewer: gets `connection`, the current screen, then the stream.
    caf::reacts_to<atom::join, ws_sink_ptr>,
    // A viewer left: its sink id.
    caf::reacts_to<atom::leave, uint64_t>,
    // Input from an operator's connection: sink id, kind ("command",
    // "input", "key", "clear"), data. Refused with an error message to that
    // connection while the session is down.
    caf::reacts_to<atom::input, uint64_t, std::string, std::string>,
    // The operator's terminal size: cols, rows.
    caf::reacts_to<atom::resize, uint32_t, uint32_t>,
    // A viewer's choice of stream: sink id, raw (terminal bytes, for
    // xterm) or plain text lines (the default, as the original clients
    // read). The viewer gets a fresh screen in its form.
    caf::reacts_to<atom::hello, uint64_t, bool>,
    // Checks lagging viewers (its own timer while any lags).
    caf::reacts_to<atom::tick>>;

/// The one writer of the GitOps remote(s): applies changes as commits and
/// pushes them, one at a time, from a durable outbox; retries with backoff
/// while a remote is down. Detached (libgit2 blocks).
using gitops_actor = caf::typed_actor<
    // Applies a change and pushes it: op id (the same id is applied once),
    // repository name, the change; returns the commit id once the remote has
    // it.
    caf::replies_to<atom::push, std::string, std::string, git_change>::with<std::string>,
    // Tries the outbox again (its own timer).
    caf::reacts_to<atom::tick>>;

/// One pipeline: intent -> KRM -> git -> O2 IMS -> SLO gate -> done or
/// rollback; reports every stage to the monitor; durable step by step.
using pipeline_actor = caf::typed_actor<
    // Runs (or resumes) from the recorded step.
    caf::reacts_to<atom::run>,
    // An edge question's answer: question key, the answer.
    caf::reacts_to<atom::fetched, uint64_t, edge_answer>,
    // The next O2 IMS poll round.
    caf::reacts_to<atom::tick>,
    // Roll back now (an alert): reason.
    caf::reacts_to<atom::rollback, std::string>>;

/// The pipeline's questions to edge sites (O2 IMS provisioning status, the
/// SLO gate's PromQL), answered as values. The hub's agent hub answers
/// through a site's agent when one is registered, else over HTTP; an agent
/// answers for its own site.
using edge_access_actor = caf::typed_actor<
    // Asks a site: site name, the question. Never an error: a site that
    // cannot be asked answers with the reason (phase "unreachable" or value
    // "error: ...").
    caf::replies_to<atom::query, std::string, edge_query>::with<edge_answer>>;

/// Starts the pipeline of a new intent (the manager, or the hub's node actor
/// for an intent service on another node).
using pipeline_starter_actor = caf::typed_actor<
    // A new intent and its sentence; returns the started pipeline.
    caf::replies_to<atom::start, intent, std::string>::with<pipeline_ref>,
    // Removes a deployed intent: intent id, why; returns the started removal.
    caf::replies_to<atom::remove, std::string, std::string>::with<pipeline_ref>,
    // Changes an active intent: the new version, why; returns the modify run.
    caf::replies_to<atom::modify, intent, std::string>::with<pipeline_ref>,
    // Every intent with its lifecycle status, newest first.
    caf::replies_to<atom::get, atom::intents>::with<std::vector<intent_resource>>,
    // One run's record by its pipeline id (running or finished).
    caf::replies_to<atom::get, atom::pipeline, std::string>::with<pipeline_run>>;

/// What a hub publishes to other nodes (CAF middleman, TLS off loopback):
/// edge agents register and report; intent services start pipelines.
using hub_node_actor = caf::typed_actor<
    // An agent introduces itself; returns a nonce it signs with its
    // certificate's key (any text without TLS).
    caf::replies_to<atom::hello, agent_hello>::with<std::string>,
    // The agent proves it: instance, signature of the nonce (base64; empty
    // without TLS). The sender is the agent's actor (edge_agent_actor).
    caf::replies_to<atom::join, std::string, std::string>::with<agent_welcome>,
    // A heartbeat of a registration: session. An error tells the agent to
    // register again.
    caf::replies_to<atom::heartbeat, uint64_t>::with<atom::ok>,
    // A status change: session, the change; returns the last applied seq.
    caf::replies_to<atom::edge, uint64_t, agent_change>::with<uint64_t>,
    // A new intent and its sentence; returns the started pipeline.
    caf::replies_to<atom::start, intent, std::string>::with<pipeline_ref>,
    // The intent lifecycle, for intent services on other nodes.
    caf::replies_to<atom::remove, std::string, std::string>::with<pipeline_ref>,
    caf::replies_to<atom::modify, intent, std::string>::with<pipeline_ref>,
    caf::replies_to<atom::get, atom::intents>::with<std::vector<intent_resource>>,
    // One run's record by its pipeline id (running or finished).
    caf::replies_to<atom::get, atom::pipeline, std::string>::with<pipeline_run>>;

/// The hub's registry of edge agents: the published node interface, the
/// edge access of the pipelines and the sink of the hub's own probers.
using agent_hub_actor = hub_node_actor::extend<
    caf::replies_to<atom::query, std::string, edge_query>::with<edge_answer>,
    caf::reacts_to<atom::edge, std::string, probe_report>,
    caf::reacts_to<atom::service, std::string, probe_report>,
    // Checks the heartbeats (its own timer).
    caf::reacts_to<atom::tick>>;

/// An edge agent (`o2hub agent`): probes its site, answers its hub's
/// questions about it, reports changes over a link it keeps up.
using edge_agent_actor = caf::typed_actor<
    // The hub's question about this agent's site.
    caf::replies_to<atom::query, edge_query>::with<edge_answer>,
    // The local prober's report (the site or a service).
    caf::reacts_to<atom::edge, std::string, probe_report>,
    caf::reacts_to<atom::service, std::string, probe_report>,
    // Connects, sends a heartbeat, retries (its own timers): the timer's
    // generation (older ones are ignored).
    caf::reacts_to<atom::tick, uint64_t>>;

/// Starts pipelines for new intents, resumes unfinished ones after a
/// restart, and routes alerts to the pipelines they concern.
using pipeline_manager_actor = caf::typed_actor<
    // A new intent and its sentence; returns the started pipeline.
    caf::replies_to<atom::start, intent, std::string>::with<pipeline_ref>,
    // Rolls back the deployed intents each target names (an alert batch);
    // returns the ids of the intents rolled back, per target in order.
    caf::replies_to<atom::rollback,
                    std::vector<rollback_target>>::with<std::vector<std::string>>,
    // A pipeline finished: its final run record.
    caf::reacts_to<atom::done, pipeline_run>,
    // Removes a deployed intent from its sites: intent id, why; returns the
    // started removal (its pipeline id is "<intent id>-remove").
    caf::replies_to<atom::remove, std::string, std::string>::with<pipeline_ref>,
    // Changes an active intent: the new version (same intent id), what asked
    // for it; returns the started modify run ("<intent id>-m<n>").
    caf::replies_to<atom::modify, intent, std::string>::with<pipeline_ref>,
    // Every intent the manager knows with its lifecycle status, newest first.
    caf::replies_to<atom::get, atom::intents>::with<std::vector<intent_resource>>,
    // One run's record by its pipeline id (running or finished).
    caf::replies_to<atom::get, atom::pipeline, std::string>::with<pipeline_run>>;

/// The TMF921 v5 Intent Management API's resources (actors/tmf/tmf_intents.hpp):
/// intents as TMF resources over the pipelines' lifecycle, one report per
/// pipeline run, event subscriptions. Bodies in and out are JSON text that
/// protocol/tmf.hpp reads and writes; errors are ec codes (the routes write
/// TMF's Error).
using tmf_actor = caf::typed_actor<
    // POST /intent: the Intent_FVO body -> the created Intent.
    caf::replies_to<atom::start, std::string>::with<std::string>,
    // GET /intent: lifecycleStatus filter, name filter, fields, offset,
    // limit -> (the page as a JSON array, total count, count in the page).
    caf::replies_to<atom::get, atom::intents, std::string, std::string, std::string,
                    uint64_t, uint64_t>::with<std::string, uint64_t, uint64_t>,
    // GET /intent/{id}: id, fields.
    caf::replies_to<atom::get, atom::intents, std::string,
                    std::string>::with<std::string>,
    // PATCH /intent/{id}: id, the merge patch -> the Intent.
    caf::replies_to<atom::modify, std::string, std::string>::with<std::string>,
    // DELETE /intent/{id} -> the Intent (removing).
    caf::replies_to<atom::remove, std::string>::with<std::string>,
    // GET /intent/{id}/intentReport: id -> JSON array.
    caf::replies_to<atom::get, atom::report, std::string>::with<std::string>,
    // GET /intent/{id}/intentReport/{rid}.
    caf::replies_to<atom::get, atom::report, std::string, std::string>::with<std::string>,
    // POST /hub: the Hub_FVO body -> the Hub.
    caf::replies_to<atom::subscribe, std::string>::with<std::string>,
    // DELETE /hub/{id}.
    caf::replies_to<atom::erase, std::string>::with<atom::ok>,
    // Looks at the pipelines' intents again (its own timer).
    caf::reacts_to<atom::tick>,
    // Delivers the next queued event of a subscriber (its own timer):
    // subscription id.
    caf::reacts_to<atom::notify, std::string>>;

} // namespace o2hub
