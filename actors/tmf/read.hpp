// Reading TMF921 v5 request bodies, pure: what an Intent_FVO (POST /intent)
// or a merge patch (PATCH /intent/{id}) asks for, and a Hub_FVO. Which forms
// of an intent are understood, in order:
//  1. `characteristic`: name/value pairs with explicit requirements
//     (characteristic_names below), taken as is, without NLU;
//  2. a JSON-LD `expression.expressionValue` object in the TMF Intent Common
//     Model with o2hub's terms (`ex:site`, `ex:sliceType`/`ex:sst` in an
//     icm:Context, conditions on `ex:latency`, `ex:bandwidth`, `ex:uplink`,
//     `ex:reliability`, `ex:devices` with quan:smaller/quan:larger and a
//     quan:unit), taken as is;
//  3. a sentence: `description`, or an `expressionValue` that is a string,
//     understood by the intent service like POST /api/v1/intent.
#pragma once

#include "actors/intent_rules.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace o2hub::tmf {

/// Why a body is refused: HTTP status, TMF error code, message.
struct refusal {
  unsigned status = 0;
  std::string code;
  std::string message;
  explicit operator bool() const { return status != 0; }
};

/// What a create (or a patched intent) states.
struct intent_body {
  std::string name;
  std::string description;
  /// The client's Intent (name, description, expression, characteristic,
  /// priority, context, validFor, ...) as one JSON object, without what
  /// o2hub sets.
  std::string doc = "{}";
  /// "characteristic", "jsonld" or "sentence".
  std::string form;
  /// Explicit requirements (forms characteristic and jsonld).
  rule_reading stated;
  /// The sentence (form sentence).
  std::string sentence;
};

/// The characteristic names understood (case-insensitive).
const std::vector<std::string>& characteristic_names();

/// Reads an Intent_FVO: `@type` Intent, `name`, `expression` required;
/// fields o2hub sets (id, href, lifecycleStatus, creationDate, lastUpdate,
/// statusChangeDate, version) are ignored on create, unknown ones refused.
refusal read_intent(std::string_view body, intent_body& out);

/// Applies a JSON merge patch (RFC 7386) to `target` (a JSON object's
/// text); refuses a patch that is not an object or that sets a field o2hub
/// owns.
refusal merge_patch(const std::string& target, std::string_view patch, std::string& out);

/// What a body states, as text to compare: its sentence, or its stated
/// requirements (two bodies that state the same are the same intent).
std::string statement_of(const intent_body& b);

/// The intent's stated requirements as an intent (ids and defaults as for a
/// sentence: actors/intent_rules.hpp make_intent); `defaulted` lists what
/// the body left out.
intent stated_intent(const intent_body& b, std::vector<std::string>& defaulted);

/// A Hub_FVO: callback (http or https URL, at most 2048 characters) and an
/// optional query "eventType=A,B" naming the event types wanted.
struct hub_body {
  std::string callback;
  std::string query;
  std::vector<std::string> event_types;
};

refusal read_hub(std::string_view body, hub_body& out);

/// The event types o2hub sends.
const std::vector<std::string>& event_types();

} // namespace o2hub::tmf
