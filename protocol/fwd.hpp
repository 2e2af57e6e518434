// Forward declarations, atoms and the type-ID block of every o2hub message
// type. Register once per actor system: cfg.add_message_types<caf::id_block::o2hub>().
#pragma once

#include <caf/fwd.hpp>
#include <caf/type_id.hpp>

namespace o2hub {

struct fetch_request;
struct fetch_result;
struct git_change;
struct health_field;
struct health_report;
struct check_outcome;
struct probe_report;
struct edge_status;
struct site_load;
struct service_status;
struct monitor_figures;
struct monitor_snapshot;
struct pipeline_page;
struct monitor_counters;
struct record_list;
struct intent;
struct intent_metadata;
struct intent_request;
struct intent_response;
struct intent_stats;
struct intent_outcome;
struct pipeline;
struct pipeline_run;
struct pipeline_ref;
struct intent_resource;
struct rollback_target;
struct stage_entry;
struct agent_hello;
struct agent_welcome;
struct agent_change;
struct edge_query;
struct edge_answer;

} // namespace o2hub

// -- type-ID block: value types first, then atoms -------------------------------

CAF_BEGIN_TYPE_ID_BLOCK(o2hub, caf::first_custom_type_id)

  CAF_ADD_TYPE_ID(o2hub, (o2hub::health_report))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::intent))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::intent_metadata))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::intent_request))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::intent_response))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::intent_stats))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::pipeline))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::stage_entry))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::fetch_request))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::fetch_result))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::git_change))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::record_list))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::pipeline_run))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::pipeline_ref))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::health_field))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::check_outcome))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::probe_report))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::edge_status))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::service_status))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::monitor_figures))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::monitor_snapshot))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::pipeline_page))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::monitor_counters))
  CAF_ADD_TYPE_ID(o2hub, (std::vector<o2hub::edge_status>))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::rollback_target))
  CAF_ADD_TYPE_ID(o2hub, (std::vector<o2hub::rollback_target>))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::intent_outcome))
  CAF_ADD_TYPE_ID(o2hub, (std::vector<o2hub::intent_request>))
  CAF_ADD_TYPE_ID(o2hub, (std::vector<o2hub::intent_outcome>))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::agent_hello))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::agent_welcome))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::agent_change))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::edge_query))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::edge_answer))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::intent_resource))
  CAF_ADD_TYPE_ID(o2hub, (std::vector<o2hub::intent_resource>))
  CAF_ADD_TYPE_ID(o2hub, (o2hub::site_load))
  CAF_ADD_TYPE_ID(o2hub, (std::vector<o2hub::site_load>))

  // Atoms: at most 10 characters of [a-z0-9_]; unique across CAF and o2hub.
  CAF_ADD_ATOM(o2hub, o2hub::atom, health, "o2_health")
  CAF_ADD_ATOM(o2hub, o2hub::atom, process, "o2_process")
  CAF_ADD_ATOM(o2hub, o2hub::atom, stats, "o2_stats")
  CAF_ADD_ATOM(o2hub, o2hub::atom, run, "o2_run")
  CAF_ADD_ATOM(o2hub, o2hub::atom, start, "o2_start")
  CAF_ADD_ATOM(o2hub, o2hub::atom, edge, "o2_edge")
  CAF_ADD_ATOM(o2hub, o2hub::atom, edges, "o2_edges")
  CAF_ADD_ATOM(o2hub, o2hub::atom, metrics, "o2_metrics")
  CAF_ADD_ATOM(o2hub, o2hub::atom, pipelines, "o2_pipes")
  CAF_ADD_ATOM(o2hub, o2hub::atom, pipeline, "o2_pipe")
  CAF_ADD_ATOM(o2hub, o2hub::atom, checked, "o2_checked")
  CAF_ADD_ATOM(o2hub, o2hub::atom, prometheus, "o2_prom")
  CAF_ADD_ATOM(o2hub, o2hub::atom, service, "o2_service")
  CAF_ADD_ATOM(o2hub, o2hub::atom, link, "o2_link")
  CAF_ADD_ATOM(o2hub, o2hub::atom, output, "o2_output")
  CAF_ADD_ATOM(o2hub, o2hub::atom, reply, "o2_reply")
  CAF_ADD_ATOM(o2hub, o2hub::atom, notify, "o2_notify")
  CAF_ADD_ATOM(o2hub, o2hub::atom, join, "o2_join")
  CAF_ADD_ATOM(o2hub, o2hub::atom, leave, "o2_leave")
  CAF_ADD_ATOM(o2hub, o2hub::atom, input, "o2_input")
  CAF_ADD_ATOM(o2hub, o2hub::atom, resize, "o2_resize")
  CAF_ADD_ATOM(o2hub, o2hub::atom, push, "o2_push")
  CAF_ADD_ATOM(o2hub, o2hub::atom, fetched, "o2_fetched")
  CAF_ADD_ATOM(o2hub, o2hub::atom, rollback, "o2_rollbk")
  CAF_ADD_ATOM(o2hub, o2hub::atom, done, "o2_done")
  CAF_ADD_ATOM(o2hub, o2hub::atom, fetch, "o2_fetch")
  CAF_ADD_ATOM(o2hub, o2hub::atom, erase, "o2_erase")
  CAF_ADD_ATOM(o2hub, o2hub::atom, all, "o2_all")
  CAF_ADD_ATOM(o2hub, o2hub::atom, command, "o2_command")
  CAF_ADD_ATOM(o2hub, o2hub::atom, frame, "o2_frame")
  CAF_ADD_ATOM(o2hub, o2hub::atom, hello, "o2_hello")
  CAF_ADD_ATOM(o2hub, o2hub::atom, heartbeat, "o2_beat")
  CAF_ADD_ATOM(o2hub, o2hub::atom, query, "o2_query")
  CAF_ADD_ATOM(o2hub, o2hub::atom, pause, "o2_pause")
  CAF_ADD_ATOM(o2hub, o2hub::atom, connect, "o2_connect")
  CAF_ADD_ATOM(o2hub, o2hub::atom, intents, "o2_intents")
  CAF_ADD_ATOM(o2hub, o2hub::atom, remove, "o2_remove")
  CAF_ADD_ATOM(o2hub, o2hub::atom, modify, "o2_modify")
  CAF_ADD_ATOM(o2hub, o2hub::atom, report, "o2_report")

CAF_END_TYPE_ID_BLOCK(o2hub)

namespace o2hub::atom {

// CAF's own atoms, re-exported so that o2hub code names every atom the same way.
using get = caf::get_atom;
constexpr get get_v{};
using put = caf::put_atom;
constexpr put put_v{};
using ping = caf::ping_atom;
constexpr ping ping_v{};
using pong = caf::pong_atom;
constexpr pong pong_v{};
using update = caf::update_atom;
constexpr update update_v{};
using subscribe = caf::subscribe_atom;
constexpr subscribe subscribe_v{};
using tick = caf::tick_atom;
constexpr tick tick_v{};
using ok = caf::ok_atom;
constexpr ok ok_v{};

} // namespace o2hub::atom
