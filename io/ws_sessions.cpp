#include "io/ws_sessions.hpp"

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include <atomic>
#include <mutex>
#include <unordered_map>

namespace o2hub {

namespace {

class session_endpoint : public ws_endpoint {
public:
  session_endpoint(caf::actor_system& sys, ws_session_factory factory,
                   std::function<void(long)> on_count, ws_open_hook lazy_open)
      : sys_(sys), factory_(std::move(factory)), on_count_(std::move(on_count)),
        lazy_open_(std::move(lazy_open)) {}

  void on_open(const std::shared_ptr<ws_sink>& sink) override {
    if (lazy_open_) {
      lazy_open_(sink);
    } else {
      auto session = factory_(sys_, sink);
      std::lock_guard<std::mutex> guard{mtx_};
      sessions_[sink->id()] = session;
    }
    if (on_count_)
      on_count_(++open_);
  }

  void on_message(const std::shared_ptr<ws_sink>& sink, std::string_view data,
                  bool binary) override {
    ws_session_actor session;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      auto i = sessions_.find(sink->id());
      if (i != sessions_.end())
        session = i->second;
      else if (lazy_open_) // the first frame of a lazy connection
        session = sessions_[sink->id()] = factory_(sys_, sink);
      else
        return;
    }
    caf::anon_send(session, atom::frame_v, std::string{data}, binary);
  }

  void on_close(const std::shared_ptr<ws_sink>& sink) override {
    ws_session_actor session;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      auto i = sessions_.find(sink->id());
      if (i != sessions_.end()) {
        session = std::move(i->second);
        sessions_.erase(i);
      }
    }
    // After every frame it was sent: exit messages queue like any other.
    if (session)
      caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
    if (on_count_)
      on_count_(--open_);
  }

private:
  caf::actor_system& sys_;
  ws_session_factory factory_;
  std::function<void(long)> on_count_;
  ws_open_hook lazy_open_;
  std::mutex mtx_;
  std::unordered_map<uint64_t, ws_session_actor> sessions_;
  std::atomic<long> open_{0};
};

} // namespace

std::shared_ptr<ws_endpoint> make_session_endpoint(caf::actor_system& sys,
                                                   ws_session_factory factory,
                                                   std::function<void(long)> on_count,
                                                   ws_open_hook lazy_open) {
  return std::make_shared<session_endpoint>(sys, std::move(factory), std::move(on_count),
                                            std::move(lazy_open));
}

std::function<void(long)> client_counter(status_actor status) {
  return [status](long n) {
    caf::anon_send(status, atom::put_v,
                   health_field::of("websocket_clients", static_cast<int64_t>(n)));
  };
}

} // namespace o2hub
