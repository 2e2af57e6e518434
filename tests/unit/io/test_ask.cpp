// io/ask.hpp: requests from Asio handlers to actors go through the
// long-lived askers, which keep the deadlines themselves.
#define BOOST_TEST_MODULE ask
#include "app/actor_config.hpp"
#include "io/ask.hpp"
#include "protocol/actors.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace o2hub;
using namespace std::chrono_literals;

namespace {

/// Answers `stats` at once, or (while `hold`) not until a tick: its
/// promises are kept and delivered then.
struct slow_state {
  std::vector<caf::typed_response_promise<intent_stats>> held;
};

caf::behavior slow_target(caf::stateful_actor<slow_state>* self,
                          std::shared_ptr<bool> hold) {
  return {
      [self, hold](atom::stats) -> caf::result<intent_stats> {
        if (!*hold) {
          intent_stats s;
          s.requests = 7;
          return s;
        }
        self->state.held.push_back(self->make_response_promise<intent_stats>());
        return self->state.held.back();
      },
      [self](atom::tick) {
        for (auto& p : self->state.held)
          p.deliver(intent_stats{});
        self->state.held.clear();
      },
  };
}

struct outcome {
  std::mutex mtx;
  std::condition_variable cv;
  int results = 0;
  int errors = 0;
  std::string last_error;

  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds t = 5s) {
    std::unique_lock<std::mutex> lock{mtx};
    return cv.wait_for(lock, t, pred);
  }
};

} // namespace

BOOST_AUTO_TEST_CASE(answers_errors_and_deadlines) {
  caf::actor_system_config cfg;
  configure_actor_system(cfg);
  caf::actor_system sys{cfg};
  BOOST_TEST(!asker(sys)); // no pool: one-shot actors ask
  asker_pool pool{sys, 2};
  BOOST_TEST(static_cast<bool>(asker(sys)));
  auto hold = std::make_shared<bool>(false);
  auto target = sys.spawn(slow_target, hold);
  auto out = std::make_shared<outcome>();
  auto on_result = [out](const intent_stats& s) {
    std::lock_guard<std::mutex> g{out->mtx};
    out->results += s.requests == 7 ? 1 : 100;
    out->cv.notify_all();
  };
  auto on_error = [out](const caf::error& err) {
    std::lock_guard<std::mutex> g{out->mtx};
    ++out->errors;
    out->last_error = caf::to_string(err);
    out->cv.notify_all();
  };
  // Many at once, from many threads: every one answered once.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i)
        ask(sys, target, 2s, on_result, on_error, atom::stats_v);
    });
  for (auto& t : threads)
    t.join();
  BOOST_TEST(out->wait([&] { return out->results == 1000; }));
  BOOST_TEST(out->errors == 0);
  // No answer within the deadline: the error callback, once, with a
  // timeout; the late answer is ignored.
  *hold = true;
  auto asked = std::chrono::steady_clock::now();
  ask(sys, target, 300ms, on_result, on_error, atom::stats_v);
  BOOST_TEST(out->wait([&] { return out->errors == 1; }, 3s));
  auto took = std::chrono::steady_clock::now() - asked;
  BOOST_TEST((took >= 300ms && took < 2s));
  BOOST_TEST(out->last_error.find("request_timeout") != std::string::npos,
             out->last_error);
  caf::anon_send(target, atom::tick_v); // the late answer
  std::this_thread::sleep_for(300ms);
  BOOST_TEST(out->results == 1000);
  BOOST_TEST(out->errors == 1);
  // A target that is gone: an error at once, not at the deadline.
  *hold = false;
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
  std::this_thread::sleep_for(100ms);
  asked = std::chrono::steady_clock::now();
  ask(sys, target, 5s, on_result, on_error, atom::stats_v);
  BOOST_TEST(out->wait([&] { return out->errors == 2; }, 3s));
  BOOST_TEST((std::chrono::steady_clock::now() - asked < 2s));
}
