// A scripted tmux control connection: it implements the whole tmux_actor
// interface and records every command; the test plays tmux's answers by
// sending the bridge reply/output/notify messages itself.
#pragma once

#include "protocol/actors.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace o2hub::test {

/// Commands in the order they came: (command line, tag).
using tmux_log = std::shared_ptr<std::vector<std::pair<std::string, uint64_t>>>;

struct scripted_tmux_state {
  static inline const char* name = "scripted-tmux";
};

inline tmux_actor::behavior_type
scripted_tmux(tmux_actor::stateful_pointer<scripted_tmux_state>, tmux_log log) {
  return {
      [log](atom::command, std::string& command, uint64_t tag) {
        log->emplace_back(std::move(command), tag);
      },
  };
}

} // namespace o2hub::test
