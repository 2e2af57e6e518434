// A scripted HTTP client actor: it implements the whole http_client_actor
// interface, records every request, and answers only when the test says so
// (through the same `fetched` message the real client's thread sends).
#pragma once

#include "protocol/actors.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace o2hub::test {

/// One request the scripted client got; `done` answers it.
struct pending_fetch {
  fetch_request req;
  std::function<void(fetch_result)> done;
};

using fetch_log = std::shared_ptr<std::vector<pending_fetch>>;

struct scripted_http_state {
  static inline const char* name = "scripted-http";
  uint64_t next_key = 1;
  std::map<uint64_t, caf::typed_response_promise<fetch_result>> pending;
};

inline http_client_actor::behavior_type
scripted_http(http_client_actor::stateful_pointer<scripted_http_state> self,
              fetch_log log) {
  return {
      [self, log](atom::fetch, fetch_request& req) -> caf::result<fetch_result> {
        auto key = self->state.next_key++;
        auto promise = self->make_response_promise<fetch_result>();
        self->state.pending.emplace(key, promise);
        auto me = caf::actor_cast<http_client_actor>(self);
        log->push_back({std::move(req), [me, key](fetch_result r) {
                          caf::anon_send(me, atom::fetched_v, key, std::move(r));
                        }});
        return promise;
      },
      [self](atom::fetched, uint64_t key, fetch_result& r) {
        // A second answer to the same request (a test playing a late
        // duplicate) goes nowhere, as a late response does in CAF.
        auto i = self->state.pending.find(key);
        if (i == self->state.pending.end())
          return;
        i->second.deliver(std::move(r));
        self->state.pending.erase(i);
      },
  };
}

} // namespace o2hub::test
