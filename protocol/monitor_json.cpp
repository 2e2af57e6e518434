#include "protocol/monitor_json.hpp"

#include "protocol/json.hpp"

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

std::string event_json(std::string_view type, std::string_view data_json) {
  json::writer w;
  w.begin_object().kv("type", type).key("data").raw(data_json).end_object();
  return w.take();
}

} // namespace o2hub::wire
