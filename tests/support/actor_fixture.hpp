// Deterministic actor tests under Boost.Test: CAF's test_coordinator runs
// every message when the test says so (run()) and moves virtual time
// (advance_time()). caf/test/dsl.hpp is not used: it needs CAF's own runner.
#pragma once

#include "common/clock.hpp"
#include "protocol/error.hpp"
#include "protocol/register.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <ostream>
#include <vector>

namespace caf {

/// Boost.Test prints caf::error through this.
inline std::ostream& boost_test_print_type(std::ostream& os, const error& x) {
  return os << o2hub::render(x);
}

} // namespace caf

namespace o2hub::test {

/// The rendered error of an expected, or "" when it holds a value (calling
/// error() on a value is undefined).
template <class T>
std::string error_of(const caf::expected<T>& x) {
  return x ? std::string{} : o2hub::render(x.error());
}

struct test_config : caf::actor_system_config {
  test_config() {
    set("scheduler.policy", caf::atom("testing"));
    set("logger.file-verbosity", caf::atom("quiet"));
    set("logger.console-verbosity", caf::atom("quiet"));
    register_types(*this);
  }
};

/// Owns an actor system on the test coordinator; exits every actor it
/// spawned when the test ends.
struct actor_fixture {
  actor_fixture()
      : sys(cfg), sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())),
        self(sys, true) {}

  ~actor_fixture() {
    for (auto& a : spawned)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    run();
  }

  template <class F, class... Ts>
  auto spawn(F fun, Ts&&... xs) {
    auto handle = sys.spawn(fun, std::forward<Ts>(xs)...);
    spawned.push_back(caf::actor_cast<caf::actor>(handle));
    run();
    return handle;
  }

  /// Runs every pending message (not timers).
  void run() { sched.run(); }

  /// Moves virtual time and runs what it triggers.
  template <class Duration>
  void advance(Duration d) {
    sched.advance_time(std::chrono::duration_cast<caf::timespan>(d));
    run();
  }

  /// A time of day that follows the test coordinator's virtual time: it
  /// starts at 2026-01-01T00:00:00Z and moves only with advance().
  o2hub::wall_clock virtual_wall_clock() {
    auto* clock = &sched.clock();
    auto start = clock->now();
    auto base = std::chrono::system_clock::time_point{std::chrono::seconds{1767225600}};
    return [clock, start, base] {
      return base
             + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                 clock->now() - start);
    };
  }

  /// Sends a request from the scoped actor and returns the reply after
  /// running the system; fails the test on an error.
  template <class T, class Handle, class... Ts>
  caf::expected<T> request(const Handle& h, Ts&&... xs) {
    self->send(h, std::forward<Ts>(xs)...);
    run();
    caf::expected<T> result = caf::error{ec::unspecified, "no reply"};
    self->receive([&](T& x) { result = std::move(x); },
                  [&](caf::error& err) { result = std::move(err); },
                  caf::after(std::chrono::seconds(0)) >> [] {});
    return result;
  }

  test_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;
  caf::scoped_actor self;
  std::vector<caf::actor> spawned;
};

} // namespace o2hub::test
