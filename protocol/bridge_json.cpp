#include "protocol/bridge_json.hpp"

#include "common/json.hpp"
#include "common/time.hpp"

#include <simdjson.h>

namespace o2hub::wire {

bridge_request read_bridge_request(std::string_view text, std::string_view type,
                                   size_t max_text) {
  bridge_request r;
  r.type = std::string{type};
  auto fail = [&](const char* code, std::string msg) {
    r.error_code = code;
    r.error_message = std::move(msg);
    return r;
  };
  const char* field = type == "command"  ? "content"
                      : type == "input"  ? "data"
                      : type == "key"    ? "key"
                      : type == "stream" ? "mode"
                                         : nullptr;
  if (type == "clear")
    return r;
  if (type != "command" && type != "input" && type != "key" && type != "resize"
      && type != "stream")
    return fail("unknown_type", "unknown message type '" + std::string{type}
                                    + "'; expected command, input, key, resize, "
                                      "stream, clear or ping");
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded{text};
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(obj))
    return fail("invalid_json", "the message is not a JSON object");
  if (field) {
    std::string_view value;
    auto err = obj.find_field_unordered(field).get_string().get(value);
    if (err)
      return fail("invalid_message", std::string{"'"} + std::string{type}
                                         + "' needs a string field '" + field + "'");
    if (value.size() > max_text)
      return fail("too_long", std::string{"'"} + field + "' is longer than "
                                  + std::to_string(max_text) + " bytes");
    if (type == "command" && value.empty())
      return fail("invalid_message", "'content' is empty");
    if (type == "stream" && value != "raw" && value != "text")
      return fail("invalid_message", "'mode' is raw or text");
    r.text = std::string{value};
    return r;
  }
  // resize
  int64_t cols = 0;
  int64_t rows = 0;
  if (obj.find_field_unordered("cols").get_int64().get(cols)
      || obj.find_field_unordered("rows").get_int64().get(rows))
    return fail("invalid_message", "'resize' needs integer 'cols' and 'rows'");
  if (cols < 10 || cols > 1000 || rows < 2 || rows > 500)
    return fail("invalid_message", "'cols' must be 10..1000 and 'rows' 2..500");
  r.cols = static_cast<uint32_t>(cols);
  r.rows = static_cast<uint32_t>(rows);
  return r;
}

std::string bridge_connection_json(std::string_view session, std::string_view role,
                                   bool session_active) {
  json::writer w;
  w.begin_object()
      .kv("type", "connection")
      .kv("status", "connected")
      .kv("timestamp", rfc3339_now())
      .kv("session", session)
      .kv("role", role)
      .kv("session_active", session_active)
      .end_object();
  return w.take();
}

std::string bridge_output_json(std::string_view content, bool snapshot) {
  json::writer w;
  w.begin_object()
      .kv("type", "output")
      .kv("content", content)
      .kv("timestamp", rfc3339_now());
  if (snapshot)
    w.kv("snapshot", true);
  w.end_object();
  return w.take();
}

std::string bridge_presence_json(size_t watching, size_t operators) {
  json::writer w;
  w.begin_object()
      .kv("type", "presence")
      .kv("watching", static_cast<uint64_t>(watching))
      .kv("operators", static_cast<uint64_t>(operators))
      .kv("viewers", static_cast<uint64_t>(watching - operators))
      .kv("timestamp", rfc3339_now())
      .end_object();
  return w.take();
}

std::string bridge_event_json(std::string_view event, std::string_view match) {
  json::writer w;
  w.begin_object()
      .kv("type", "event")
      .kv("event", event)
      .kv("timestamp", rfc3339_now())
      .kv("match", match)
      .end_object();
  return w.take();
}

std::string bridge_command_received_json(std::string_view command) {
  json::writer w;
  w.begin_object()
      .kv("type", "command_received")
      .kv("command", command)
      .kv("timestamp", rfc3339_now())
      .end_object();
  return w.take();
}

} // namespace o2hub::wire
