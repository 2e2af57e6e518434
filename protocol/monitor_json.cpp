#include "protocol/monitor_json.hpp"

#include "common/json.hpp"
#include "protocol/error.hpp"

#include <simdjson.h>

namespace o2hub::wire {

void write_pipeline(json::writer& w, const pipeline& p) {
  w.begin_object()
      .kv("intent_id", p.intent_id)
      .kv("intent_text", p.intent_text)
      .kv("status", p.status)
      .kv("current_stage", p.current_stage)
      .kv("start_time", p.start_time);
  if (p.end_time.empty())
    w.kv("end_time", nullptr);
  else
    w.kv("end_time", p.end_time);
  if (p.duration_s < 0)
    w.kv("duration", nullptr);
  else
    w.kv("duration", p.duration_s);
  w.kv("rolled_back", p.rolled_back).key("stages").begin_array();
  for (const auto& s : p.stages)
    w.begin_object()
        .kv("stage", s.name)
        .kv("timestamp", s.timestamp)
        .key("metadata")
        .raw(s.metadata_json)
        .end_object();
  w.end_array().end_object();
}

std::string pipeline_json(const pipeline& p) {
  json::writer w;
  write_pipeline(w, p);
  return w.take();
}

caf::expected<pipeline> read_pipeline(std::string_view json_text) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json_text.data(), json_text.size()).get(doc))
    return caf::error{ec::parse_error, "stored pipeline is not JSON"};
  pipeline p;
  auto str = [&](const char* key, std::string& out) {
    std::string_view v;
    if (!doc[key].get(v))
      out = std::string{v};
  };
  str("intent_id", p.intent_id);
  str("intent_text", p.intent_text);
  str("status", p.status);
  str("current_stage", p.current_stage);
  str("start_time", p.start_time);
  str("end_time", p.end_time);
  double d = 0;
  if (!doc["duration"].get(d))
    p.duration_s = d;
  bool rb = false;
  if (!doc["rolled_back"].get(rb))
    p.rolled_back = rb;
  simdjson::dom::array stages;
  if (!doc["stages"].get(stages))
    for (auto s : stages) {
      stage_entry e;
      std::string_view v;
      if (!s["stage"].get(v))
        e.name = std::string{v};
      if (!s["timestamp"].get(v))
        e.timestamp = std::string{v};
      simdjson::dom::element m;
      if (!s["metadata"].get(m))
        e.metadata_json = simdjson::minify(m);
      p.stages.push_back(std::move(e));
    }
  if (p.intent_id.empty())
    return caf::error{ec::parse_error, "stored pipeline has no intent_id"};
  return p;
}

std::string event_json(std::string_view type, std::string_view data_json) {
  json::writer w;
  w.begin_object().kv("type", type).key("data").raw(data_json).end_object();
  return w.take();
}

} // namespace o2hub::wire
