// The status actor's latest health report, readable from any thread without
// a message: GET /health is answered on the connection's own thread.
#pragma once

#include "protocol/messages.hpp"

#include <chrono>
#include <memory>
#include <mutex>

namespace o2hub {

class health_board {
public:
  /// The report as of the last change (uptime and request count are the
  /// reader's to fill in).
  void publish(health_report report) {
    auto next = std::make_shared<const health_report>(std::move(report));
    std::lock_guard<std::mutex> guard{mtx_};
    latest_ = std::move(next);
  }

  /// A copy of the latest report with the uptime filled in; null before
  /// the first publish.
  std::shared_ptr<const health_report> latest() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return latest_;
  }

  double uptime_s() const {
    std::chrono::duration<double> up = std::chrono::steady_clock::now() - started_;
    return up.count();
  }

private:
  mutable std::mutex mtx_;
  std::shared_ptr<const health_report> latest_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

} // namespace o2hub
