// The bridge from Asio handlers to actors: a request goes out from one of a
// few long-lived "asker" actors (an asker_pool, one per scheduler thread,
// which the services' composition root owns), never from an actor spawned
// per request; the reply (or error) goes to a callback, which runs on a CAF
// thread and must only post back to Asio. The asker keeps the deadlines
// itself (one timer for all, every 100 ms) rather than giving CAF a timeout
// per request: CAF's clock thread would be woken twice for every request
// (set, then cancel). Without a pool for the actor system (tools, tests), a
// one-shot actor asks, as before.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/detail/type_traits.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <functional>
#include <unordered_map>
#include <utility>

namespace o2hub {

struct asker_state {
  static inline const char* name = "asker";
  struct entry {
    std::chrono::steady_clock::time_point deadline;
    std::function<void()> expire;
  };
  uint64_t next_id = 0;
  std::unordered_map<uint64_t, entry> pending;
  bool ticking = false;
};

using asker_ptr = caf::stateful_actor<asker_state>*;

/// Work for an asker: starts a request from it.
struct ask_job {
  std::function<void(asker_ptr)> run;
};

/// The askers of one actor system, from construction to destruction (which
/// must come before the system's: it stops them). One at a time per process.
class asker_pool {
public:
  asker_pool(caf::actor_system& sys, size_t size);
  ~asker_pool();
  asker_pool(const asker_pool&) = delete;
  asker_pool& operator=(const asker_pool&) = delete;
};

/// The next asker of this actor system (round robin); invalid when it has
/// no pool.
caf::actor asker(caf::actor_system& sys);

/// Notes a request that times out after `timeout` (then `expire` runs);
/// returns its id.
uint64_t asker_watch(asker_ptr self, std::chrono::milliseconds timeout,
                     std::function<void()> expire);

/// Whether the request is still awaited (false: it timed out); forgets it.
bool asker_done(asker_ptr self, uint64_t id);

namespace detail {

template <class F, class... Args>
auto guarded(asker_ptr self, uint64_t id, F f, caf::detail::type_list<Args...>) {
  return [self, id, f](Args... xs) mutable {
    if (asker_done(self, id))
      f(std::forward<Args>(xs)...);
  };
}

} // namespace detail

template <class Handle, class OnResult, class OnError, class... Ts>
void ask(caf::actor_system& sys, const Handle& target, std::chrono::milliseconds timeout,
         OnResult on_result, OnError on_error, Ts&&... xs) {
  auto a = asker(sys);
  if (!a) {
    sys.spawn([=](caf::event_based_actor* self) mutable {
      self->request(target, timeout, xs...)
          .then(std::move(on_result), std::move(on_error));
    });
    return;
  }
  ask_job job{[=](asker_ptr self) mutable {
    auto id = asker_watch(self, timeout, [on_error]() mutable {
      caf::error err = caf::make_error(caf::sec::request_timeout);
      on_error(err);
    });
    using args = typename caf::detail::get_callable_trait<OnResult>::arg_types;
    self->request(target, caf::infinite, xs...)
        .then(detail::guarded(self, id, on_result, args{}),
              [self, id, on_error](caf::error& err) mutable {
                if (asker_done(self, id))
                  on_error(err);
              });
  }};
  caf::anon_send(a, std::move(job));
}

} // namespace o2hub

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(o2hub::ask_job)
