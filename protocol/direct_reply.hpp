// A reply that goes straight to a callback — an HTTP connection waiting for
// it — instead of back to an asking actor: the request path of a hot route
// then costs one message, not an asker's three (issue 16). Local only.
#pragma once

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/sec.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <utility>

namespace o2hub {

/// Answers exactly once: the first `deliver` wins; dropped unanswered (the
/// actor is gone, its mailbox was discarded) the callback gets
/// `sec::request_receiver_down`. The callback runs on the thread that
/// delivers (a CAF worker): it must only post back to its connection.
template <class T>
class direct_reply {
public:
  using callback = std::function<void(caf::expected<T>)>;

  direct_reply() = default;
  explicit direct_reply(callback f) : state_(std::make_shared<state>(std::move(f))) {}

  void deliver(T&& value) const {
    if (state_ && !state_->done.exchange(true))
      state_->f(std::move(value));
  }

  void deliver(caf::error err) const {
    if (state_ && !state_->done.exchange(true))
      state_->f(std::move(err));
  }

  explicit operator bool() const { return state_ != nullptr; }

private:
  struct state {
    explicit state(callback g) : f(std::move(g)) {}
    ~state() {
      if (!done.exchange(true) && f)
        f(caf::make_error(caf::sec::request_receiver_down));
    }
    callback f;
    std::atomic<bool> done{false};
  };
  std::shared_ptr<state> state_;
};

} // namespace o2hub
