#include "io/http_client_actor.hpp"

#include "io/http_client.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <unordered_map>

namespace o2hub {

namespace {

struct http_client_state {
  static inline const char* name = "http-client";

  std::shared_ptr<http_client> client;
  uint64_t next_key = 1;
  /// Transfers in flight: key -> the asker's promise.
  std::unordered_map<uint64_t, caf::typed_response_promise<fetch_result>> pending;
};

http_client_actor::behavior_type
http_client_behavior(http_client_actor::stateful_pointer<http_client_state> self,
                     std::shared_ptr<http_client> client) {
  self->state.client = std::move(client);
  return {
      [self](atom::fetch, fetch_request& req) -> caf::result<fetch_result> {
        auto& st = self->state;
        auto key = st.next_key++;
        auto promise = self->make_response_promise<fetch_result>();
        st.pending.emplace(key, promise);
        // The callback runs on the client's thread: it only sends a message.
        auto me = caf::actor_cast<http_client_actor>(self);
        st.client->fetch(std::move(req), [me, key](fetch_result r) {
          caf::anon_send(me, atom::fetched_v, key, std::move(r));
        });
        return promise;
      },
      [self](atom::fetched, uint64_t key, fetch_result& r) {
        auto i = self->state.pending.find(key);
        if (i == self->state.pending.end())
          return;
        i->second.deliver(std::move(r));
        self->state.pending.erase(i);
      },
  };
}

} // namespace

http_client_actor spawn_http_client_actor(caf::actor_system& sys,
                                          std::shared_ptr<http_client> client) {
  return sys.spawn(http_client_behavior, std::move(client));
}

} // namespace o2hub
