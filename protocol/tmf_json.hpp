// The TMF921 v5 resources o2hub keeps and writes, pure: the intent record
// (durable, table tmf_intents), the Intent, IntentReport, Hub, event and
// Error bodies.
#pragma once

#include "protocol/intent.hpp"
#include "protocol/pipeline_run.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace o2hub::tmf {

/// The API's base path.
constexpr const char* base_path = "/tmf-api/intentManagement/v5";

/// An intent as a TMF921 resource: what its client stated and what o2hub
/// adds. The lifecycle comes from the pipelines (protocol/pipeline_run.hpp).
struct intent_record {
  std::string id;
  std::string name;
  /// The client's Intent (name, description, expression, characteristic,
  /// ...) as a JSON object; for an intent that came through another API,
  /// its name (the id) and sentence.
  std::string doc;
  /// How it states the intent: characteristic, jsonld, sentence, or api
  /// (created by POST /api/v1/intent, the WebSocket or the console).
  std::string form;
  std::string creation_date;
  std::string last_update;
  std::string status_change_date;
  std::string lifecycle = "acknowledged";
  /// 1 on create, +1 per accepted change of its requirements.
  int version = 1;
  /// The intent as deployed (characteristics of intents without their own).
  intent value;
  /// Pipeline runs that have their report.
  std::vector<std::string> reported;
  /// IntentDeleteEvent sent (removed).
  bool delete_sent = false;
};

std::string to_json(const intent_record& r);
bool from_json(const std::string& text, intent_record& r);

/// The Intent: the client's fields, then id, href, version, dates,
/// lifecycleStatus; characteristic derived from the deployed intent when
/// the client gave none. `fields` (comma-separated, may be empty) keeps
/// only those top-level attributes (plus @type, id, href).
std::string intent_json(const intent_record& r, const std::string& fields = {});

/// The report of a finished run: what was deployed where, the SLO gate's
/// measured values against targets, commits, the reason of a failure (in
/// a JSON-LD expressionValue), with its id (the run's pipeline id).
std::string report_json(const pipeline_run& run, const std::string& report_id);

/// A run's report id: its pipeline id, "-rollback" added for the rollback
/// of a completed deployment (an alert).
std::string report_id(const pipeline_run& run);

/// An event: type, number, time, the payload's key ("intent" or
/// "intentReport") and resource.
std::string event_json(const std::string& type, uint64_t number, const std::string& time,
                       const std::string& key, const std::string& resource);

std::string hub_json(const std::string& id, const std::string& callback,
                     const std::string& query);

/// TMF's Error: {"@type":"Error", code, reason, message, status}.
std::string error_json(const std::string& code, const std::string& reason,
                       const std::string& message, unsigned status);

} // namespace o2hub::tmf
