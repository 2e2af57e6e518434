// JSON of the monitor's wire formats (REST on 8003 and its WebSocket).
#pragma once

#include "protocol/pipeline.hpp"

#include <caf/expected.hpp>

#include <string>

namespace o2hub::json {
class writer;
}

namespace o2hub::wire {

/// {"intent_id","intent_text","status","current_stage","start_time",
///  "end_time","duration","stages":[{stage,timestamp,metadata}],"rolled_back"}
void write_pipeline(json::writer& w, const pipeline& p);
std::string pipeline_json(const pipeline& p);

/// Reads what pipeline_json() wrote (for restoring from the store).
caf::expected<pipeline> read_pipeline(std::string_view json_text);

/// {"type": type, "data": <data_json>}
std::string event_json(std::string_view type, std::string_view data_json);

} // namespace o2hub::wire
