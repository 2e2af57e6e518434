#include "actors/hub_client.hpp"

#include "common/log.hpp"
#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/node_id.hpp>

namespace o2hub {

pipeline_starter_actor::behavior_type
hub_client(pipeline_starter_actor::stateful_pointer<hub_client_state> self,
           hub_client_options opts) {
  self->state.opts = std::move(opts);
  self->set_down_handler([self](caf::down_msg& dm) {
    if (dm.source == self->state.hub.address()) {
      log::warn("lost the hub", {{"reason", describe_down(dm.reason)}});
      self->state.hub = nullptr;
    }
  });
  return {
      [self](atom::start, intent& i, std::string& sentence) -> caf::result<pipeline_ref> {
        auto& st = self->state;
        if (st.hub)
          return self->delegate(st.hub, atom::start_v, std::move(i), std::move(sentence));
        auto rp = self->make_response_promise<pipeline_ref>();
        auto where = st.opts.host + ":" + std::to_string(st.opts.port);
        self->request(st.opts.connector, st.opts.timeout, caf::connect_atom::value,
                      st.opts.host, st.opts.port)
            .then(
                [self, rp, i, sentence, where](const caf::node_id&,
                                               caf::strong_actor_ptr& ptr,
                                               const std::set<std::string>& ifs) mutable {
                  auto& st = self->state;
                  if (!ptr
                      || (!st.opts.hub_interface.empty()
                          && ifs != st.opts.hub_interface)) {
                    rp.deliver(caf::make_error(
                        ec::unavailable, "no o2hub hub of this version at " + where));
                    return;
                  }
                  if (!st.hub) {
                    st.hub = caf::actor_cast<hub_node_actor>(std::move(ptr));
                    self->monitor(st.hub);
                    log::info("connected to the hub", {{"hub", where}});
                  }
                  rp.delegate(st.hub, atom::start_v, std::move(i), std::move(sentence));
                },
                [rp, where](const caf::error& err) mutable {
                  rp.deliver(caf::make_error(ec::unavailable,
                                             "cannot reach the hub at " + where + ": "
                                                 + describe_connect_error(err)));
                });
        return rp;
      },
  };
}

} // namespace o2hub
