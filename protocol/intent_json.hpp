// JSON codecs of the intent service's wire formats (REST and WebSocket on
// port 8002), compatible with the original service's clients.
#pragma once

#include "protocol/intent.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub::wire {

/// A request that cannot be served, as the HTTP status and error body say.
struct request_error {
  unsigned status = 0;
  std::string code;
  std::string message;
};

/// JSON nesting deeper than this is refused (a request has 3 levels).
constexpr size_t max_json_depth = 64;

/// Why `text` is not one whole valid JSON document at most max_json_depth
/// deep (400 invalid_json / invalid_utf8 / too_deep, 413), or nullopt.
/// Ondemand parsing checks only what it reads: junk in an ignored field or
/// a second document after the first would pass unseen without this.
std::optional<request_error> invalid_document(std::string_view text);

/// A parsed intent request, or why not.
struct parsed_request {
  intent_request request;
  request_error error;
  bool ok() const { return error.status == 0; }
};

/// Reads a POST /api/v1/intent body. `sites` are the configured sites'
/// canonical names; `target_sites` (or the alias `target_site`) must name
/// them. `natural_language` is accepted for `text`.
parsed_request parse_intent_request(std::string_view body,
                                    const std::vector<std::string>& sites);

/// One item of a batch: the parse result and the item's JSON text.
struct batch_item {
  parsed_request parsed;
  std::string raw_json;
};

/// Reads a POST /api/v1/intent/batch body: a JSON array of 1 to `max_items`
/// request objects. On a bad body, `error` says why and `items` is empty.
struct parsed_batch {
  std::vector<batch_item> items;
  request_error error;
};
parsed_batch parse_intent_batch(std::string_view body,
                                const std::vector<std::string>& sites, size_t max_items);

/// A client message on the intent WebSocket: its "type", "id" and, for
/// type "intent", the request.
struct ws_intent_message {
  std::string type;
  std::string id;
  parsed_request parsed;
};
ws_intent_message parse_ws_intent(std::string_view text,
                                  const std::vector<std::string>& sites);

/// "200Mbps", "0.5ms", "99.999%": numbers without trailing zeros.
std::string format_number(double value);

/// The intent alone, as the envelope's "intent" member.
std::string intent_json(const intent& x);

/// Reads intent_json's output back; false when it is not such an object.
bool read_intent_json(std::string_view text, intent& out);

/// The REST envelope: {"status":"success","intent":{...},"metadata":{...}}.
/// `extra_metadata` is a JSON object whose members are added to metadata
/// ("{}" for none).
std::string intent_envelope(const intent_response& r,
                            std::string_view extra_metadata = "{}");

/// The envelope's members without braces, for embedding in another object
/// (the WebSocket's intent_generated message).
std::string intent_envelope_members(const intent_response& r,
                                    std::string_view extra_metadata = "{}");

} // namespace o2hub::wire
