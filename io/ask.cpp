#include "io/ask.hpp"

#include <caf/actor_registry.hpp>
#include <caf/atom.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>

namespace o2hub {

namespace {

caf::behavior asker_behavior(caf::event_based_actor* self) {
  // A request whose reply never comes must not keep the asker: requests
  // carry timeouts, and an unexpected message is dropped, not fatal.
  self->set_default_handler(caf::drop);
  return {
      [self](ask_job& job) { job.run(self); },
  };
}

caf::atom_value asker_name(size_t i) {
  return caf::atom_from_string("o2_asker" + std::to_string(i % 100));
}

std::mutex& spawning_mutex() {
  static std::mutex m;
  return m;
}

} // namespace

caf::actor asker(caf::actor_system& sys) {
  static std::atomic<size_t> next{0};
  auto n = std::min<size_t>(std::max<size_t>(1, sys.scheduler().num_workers()), 100);
  auto name = asker_name(next.fetch_add(1, std::memory_order_relaxed) % n);
  if (auto found = sys.registry().get(name))
    return caf::actor_cast<caf::actor>(found);
  std::lock_guard<std::mutex> guard{spawning_mutex()};
  if (auto found = sys.registry().get(name)) // spawned meanwhile
    return caf::actor_cast<caf::actor>(found);
  auto a = sys.spawn<caf::hidden>(asker_behavior);
  sys.registry().put(name, caf::actor_cast<caf::strong_actor_ptr>(a));
  return a;
}

void stop_askers(caf::actor_system& sys) {
  std::lock_guard<std::mutex> guard{spawning_mutex()};
  for (size_t i = 0; i < 100; ++i) {
    auto name = asker_name(i);
    if (auto found = sys.registry().get(name)) {
      sys.registry().erase(name);
      caf::anon_send_exit(found, caf::exit_reason::user_shutdown);
    }
  }
}

} // namespace o2hub
