// The TMF921 v5 Intent Management API's actor (protocol/actors.hpp:
// tmf_actor). Every intent the pipelines know is a TMF resource here: the
// ones created through TMF921 with the client's own fields, the others
// (POST /api/v1/intent, the WebSocket, the console) with their sentence. Its
// lifecycle follows the pipelines (a look every `poll`); each finished run
// becomes an IntentReport; events go to the hub's subscribers in order,
// one delivery in flight per subscriber, retried with backoff; a subscriber
// that fails `max_failures` times in a row, or whose queue overflows, is
// dropped and logged. Records, reports and subscriptions are durable
// (tables tmf_intents, tmf_reports, tmf_hub).
#pragma once

#include "actors/intent.hpp"
#include "protocol/tmf_json.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace o2hub {

struct tmf_options {
  /// Understands sentences, checks and starts stated intents.
  intent_actor intent;
  /// The pipelines (here, or the hub's).
  pipeline_starter_actor pipelines;
  records_actor intents_table;
  records_actor reports_table;
  records_actor hub_table;
  /// Delivers events (POST to the callbacks).
  http_client_actor http;
  /// Configured sites and limits: a modify is checked as a create is.
  intent_options checks;
  std::chrono::milliseconds poll{500};
  /// Events queued per subscriber at most.
  size_t queue_limit = 1000;
  /// Failed deliveries in a row before a subscriber is dropped.
  int max_failures = 5;
  int64_t delivery_timeout_ms = 5000;
  wall_clock now = system_wall_clock();
};

struct tmf_subscriber {
  std::string id;
  std::string callback;
  std::string query;
  /// Wanted event types; empty: all.
  std::vector<std::string> types;
  /// Queued events: number, body.
  std::deque<std::pair<uint64_t, std::string>> queue;
  bool in_flight = false;
  int failures = 0;
};

struct tmf_state {
  static inline const char* name = "tmf-intents";

  tmf_options opts;
  std::map<std::string, tmf::intent_record> intents;
  /// Intent ids, oldest first.
  std::vector<std::string> order;
  /// Report id -> IntentReport JSON; intent id -> its report ids.
  std::map<std::string, std::string> reports;
  std::map<std::string, std::vector<std::string>> reports_of;
  /// Runs whose record is being asked for.
  std::set<std::string> fetching;
  std::map<std::string, tmf_subscriber> subs;
  uint64_t next_event = 0;
  uint64_t next_hub = 0;
  /// Creates in flight: intents the pipelines know but this actor not yet.
  int creating = 0;
  /// Tables read: 3 when ready.
  int loaded = 0;
  bool polling = false;
};

using tmf_ptr = tmf_actor::stateful_pointer<tmf_state>;

tmf_actor::behavior_type tmf_intents(tmf_ptr self, tmf_options opts);

namespace tmf_steps {

std::string now(tmf_ptr self);

/// Writes a record (fire and forget: the table actor keeps the order).
void save(tmf_ptr self, const tmf::intent_record& r);

/// Queues an event for every subscriber that wants its type.
void emit(tmf_ptr self, const std::string& type, const std::string& key,
          const std::string& resource);

/// Sends a subscriber's next event unless one is in flight.
void pump(tmf_ptr self, const std::string& sub);

/// Compares the pipelines' intents with the records: new intents, status
/// changes, removals, finished runs' reports.
void reconcile(tmf_ptr self, const std::vector<intent_resource>& all);

/// Reads the three tables, then starts looking at the pipelines.
void load(tmf_ptr self);

} // namespace tmf_steps

} // namespace o2hub
