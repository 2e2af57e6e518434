// The bridge from Asio handlers to actors: a one-shot actor sends a request
// and hands the reply (or error) to a callback, which runs on a CAF thread
// and must only post back to Asio.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <chrono>
#include <utility>

namespace o2hub {

template <class Handle, class OnResult, class OnError, class... Ts>
void ask(caf::actor_system& sys, const Handle& target, std::chrono::milliseconds timeout,
         OnResult on_result, OnError on_error, Ts&&... xs) {
  sys.spawn([=](caf::event_based_actor* self) mutable {
    self->request(target, timeout, xs...).then(std::move(on_result), std::move(on_error));
  });
}

} // namespace o2hub
