// An intent client's WebSocket session: reads {"type":"intent","id","text"}
// messages, answers `progress` at once and `intent_generated` (or an error)
// when the intent actor has understood the sentence. Operators only.
#pragma once

#include "common/clock.hpp"
#include "protocol/actors.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace o2hub {

struct intent_session_options {
  intent_actor intent;
  /// Canonical names of the configured sites.
  std::vector<std::string> sites;
  /// The `stage` of progress messages: "llm_processing" or "rules".
  std::string stage = "rules";
  /// How long one understanding may take (the LLM has its own timeout).
  std::chrono::seconds timeout{120};
  wall_clock now = system_wall_clock();
};

struct intent_session_state {
  static inline const char* name = "intent-session";
  /// Weak: the connection owns its sink; a session never keeps a closed
  /// connection's Asio objects alive (they must go before the io_context).
  std::weak_ptr<ws_sink> sink;
  intent_session_options opts;
  /// Ids for messages that bring none ("ws-1", ...).
  uint64_t next_id = 1;
};

ws_session_actor::behavior_type
intent_session(ws_session_actor::stateful_pointer<intent_session_state> self,
               ws_sink_ptr sink, intent_session_options opts);

} // namespace o2hub
