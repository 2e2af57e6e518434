#include "protocol/wire.hpp"

#include "common/json.hpp"
#include "common/time.hpp"
#include "protocol/messages.hpp"

#include <simdjson.h>

namespace o2hub::wire {

std::string health_json(const health_report& report,
                        const std::function<void(json::writer&)>& more) {
  json::writer w;
  w.begin_object()
      .kv("status", report.status)
      .kv("service", report.service)
      .kv("version", report.version)
      .kv("uptime_s", report.uptime_s)
      .kv("timestamp", rfc3339_now())
      .kv("requests_total", report.requests_total);
  for (const auto& f : report.details) {
    w.key(f.key);
    if (f.kind == health_field::number_kind)
      w.value(f.number);
    else if (f.kind == health_field::flag_kind)
      w.value(f.flag);
    else
      w.value(f.text);
  }
  if (more)
    more(w);
  w.end_object();
  return w.take();
}

std::string pong_json() {
  json::writer w;
  w.begin_object().kv("type", "pong").kv("timestamp", rfc3339_now()).end_object();
  return w.take();
}

std::string ws_error_json(std::string_view code, std::string_view message) {
  json::writer w;
  w.begin_object()
      .kv("type", "error")
      .kv("code", code)
      .kv("message", message)
      .kv("timestamp", rfc3339_now())
      .end_object();
  return w.take();
}

std::string http_error_json(std::string_view code, std::string_view detail) {
  json::writer w;
  w.begin_object().kv("detail", detail).kv("code", code).end_object();
  return w.take();
}

std::string http_error_json(std::string_view code, std::string_view detail,
                            std::string_view reasons) {
  json::writer w;
  w.begin_object().kv("detail", detail).kv("code", code).key("reasons").begin_array();
  while (!reasons.empty()) {
    auto nl = reasons.find('\n');
    w.value(reasons.substr(0, nl));
    reasons = nl == std::string_view::npos ? std::string_view{} : reasons.substr(nl + 1);
  }
  w.end_array().end_object();
  return w.take();
}

ws_envelope read_ws_envelope(std::string_view text) {
  ws_envelope result;
  if (text == "ping") {
    result.type = "ping";
    return result;
  }
  if (!json::valid_utf8(text)) {
    result.error_code = "invalid_utf8";
    result.error_message = "message is not valid UTF-8";
    return result;
  }
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded{text};
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS
      || doc.get_object().get(obj) != simdjson::SUCCESS) {
    result.error_code = "invalid_json";
    result.error_message = "message must be a JSON object";
    return result;
  }
  std::string_view type;
  auto err = obj.find_field_unordered("type").get_string().get(type);
  if (err == simdjson::NO_SUCH_FIELD) {
    result.error_code = "missing_type";
    result.error_message = "message has no \"type\" field";
    return result;
  }
  if (err != simdjson::SUCCESS) {
    result.error_code = err == simdjson::INCORRECT_TYPE ? "invalid_type" : "invalid_json";
    result.error_message = err == simdjson::INCORRECT_TYPE
                               ? "\"type\" must be a string"
                               : "message must be a JSON object";
    return result;
  }
  result.type = std::string{type};
  return result;
}

} // namespace o2hub::wire
