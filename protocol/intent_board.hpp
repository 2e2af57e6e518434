// The intent actor's latest counters, readable from any thread without a
// message: the intent service's GET /health and /metrics are answered on
// the connection's own thread (issue 16), like the status actor's
// health_board.
#pragma once

#include "protocol/messages.hpp"

#include <mutex>

namespace o2hub {

class intent_board {
public:
  void publish(const intent_stats& stats) {
    std::lock_guard<std::mutex> guard{mtx_};
    latest_ = stats;
  }

  intent_stats latest() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return latest_;
  }

private:
  mutable std::mutex mtx_;
  intent_stats latest_;
};

} // namespace o2hub
