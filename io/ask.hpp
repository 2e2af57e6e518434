// The bridge from Asio handlers to actors: a request goes out from one of a
// few long-lived "asker" actors (hidden, one per scheduler thread, spawned
// on first use and kept in the actor system's registry), never from an actor
// spawned per request; the reply (or error) goes to a callback, which runs
// on a CAF thread and must only post back to Asio.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <chrono>
#include <functional>
#include <utility>

namespace o2hub {

/// Work for an asker: starts a request from it.
struct ask_job {
  std::function<void(caf::event_based_actor*)> run;
};

/// The next asker of this actor system (round robin).
caf::actor asker(caf::actor_system& sys);

/// Stops the askers (before the actor system goes: nothing may ask after).
void stop_askers(caf::actor_system& sys);

template <class Handle, class OnResult, class OnError, class... Ts>
void ask(caf::actor_system& sys, const Handle& target, std::chrono::milliseconds timeout,
         OnResult on_result, OnError on_error, Ts&&... xs) {
  ask_job job{[=](caf::event_based_actor* self) mutable {
    self->request(target, timeout, xs...).then(std::move(on_result), std::move(on_error));
  }};
  caf::anon_send(asker(sys), std::move(job));
}

} // namespace o2hub

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(o2hub::ask_job)
