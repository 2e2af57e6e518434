// A WebSocket connection's outbound side for tests: records every message
// pushed into it, with a role and an id of its own.
#pragma once

#include "protocol/ws_sink.hpp"
#include "support/json_query.hpp"

#include <string>
#include <vector>

namespace o2hub::test {

struct recording_sink : ws_sink {
  explicit recording_sink(uint64_t id, o2hub::role r = o2hub::role::operator_)
      : id_(id), role_(r) {}
  std::vector<std::string> got;
  /// Plays a client whose queue is full: every push fails.
  bool full = false;
  uint16_t closed = 0;
  /// What queued_bytes() reports (a client that lags).
  size_t queued = 0;
  size_t queued_bytes() const override { return queued; }
  bool push(std::shared_ptr<const std::string> text) override {
    if (full || closed)
      return false;
    got.push_back(*text);
    return true;
  }
  void close(uint16_t code, std::string) override { closed = code; }
  uint64_t id() const override { return id_; }
  o2hub::role role() const override { return role_; }
  /// The messages of one `type`.
  std::vector<std::string> of_type(const std::string& type) const {
    std::vector<std::string> out;
    for (auto& m : got)
      if (json_at(m, {"type"}) == type)
        out.push_back(m);
    return out;
  }

private:
  uint64_t id_;
  o2hub::role role_;
};

} // namespace o2hub::test
