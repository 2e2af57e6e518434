#include "io/ask.hpp"

#include <caf/scheduler/abstract_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace o2hub {

namespace {

constexpr auto tick_every = std::chrono::milliseconds(100);

caf::behavior asker_behavior(asker_ptr self) {
  // An unexpected message is dropped, not fatal.
  self->set_default_handler(caf::drop);
  return {
      [self](ask_job& job) { job.run(self); },
      [self](caf::tick_atom) {
        auto& st = self->state;
        auto now = std::chrono::steady_clock::now();
        std::vector<std::function<void()>> expired;
        for (auto i = st.pending.begin(); i != st.pending.end();) {
          if (i->second.deadline <= now) {
            expired.push_back(std::move(i->second.expire));
            i = st.pending.erase(i);
          } else {
            ++i;
          }
        }
        for (auto& f : expired)
          f();
        st.ticking = !st.pending.empty();
        if (st.ticking)
          self->delayed_send(self, tick_every, caf::tick_atom_v);
      },
  };
}

} // namespace

uint64_t asker_watch(asker_ptr self, std::chrono::milliseconds timeout,
                     std::function<void()> expire) {
  auto& st = self->state;
  auto id = st.next_id++;
  st.pending.emplace(id, asker_state::entry{std::chrono::steady_clock::now() + timeout,
                                            std::move(expire)});
  if (!st.ticking) {
    st.ticking = true;
    self->delayed_send(self, tick_every, caf::tick_atom_v);
  }
  return id;
}

bool asker_done(asker_ptr self, uint64_t id) {
  return self->state.pending.erase(id) > 0;
}

namespace {

struct pool_data {
  caf::actor_system* sys = nullptr;
  std::vector<caf::actor> askers;
  std::atomic<size_t> next{0};
};

/// The current pool; replaced, never freed while a reader may hold it.
std::shared_ptr<pool_data> current_pool;

} // namespace

asker_pool::asker_pool(caf::actor_system& sys, size_t size) {
  auto p = std::make_shared<pool_data>();
  p->sys = &sys;
  for (size_t i = 0; i < std::max<size_t>(1, size); ++i)
    p->askers.push_back(sys.spawn<caf::hidden>(asker_behavior));
  std::atomic_store(&current_pool, std::move(p));
}

asker_pool::~asker_pool() {
  auto p = std::atomic_exchange(&current_pool, std::shared_ptr<pool_data>{});
  if (!p)
    return;
  // Waits until every asker is gone: the callbacks of requests still open
  // (which own HTTP connections) are destroyed before this returns, while
  // the io_context they belong to still exists.
  caf::scoped_actor self{*p->sys};
  for (auto& a : p->askers) {
    self->monitor(a);
    self->send_exit(a, caf::exit_reason::user_shutdown);
  }
  for (size_t i = 0; i < p->askers.size(); ++i)
    self->receive([](const caf::down_msg&) {},
                  caf::after(std::chrono::seconds(5)) >> [] {});
}

caf::actor asker(caf::actor_system& sys) {
  auto p = std::atomic_load(&current_pool);
  if (!p || p->sys != &sys)
    return {};
  return p->askers[p->next.fetch_add(1, std::memory_order_relaxed) % p->askers.size()];
}

} // namespace o2hub
