#include "actors/hub_client.hpp"

#include "common/log.hpp"
#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/node_id.hpp>

namespace o2hub {

namespace {

using client_ptr = pipeline_starter_actor::stateful_pointer<hub_client_state>;

/// Runs `then` with the hub, connecting first when there is none yet;
/// `otherwise` gets why the hub cannot be reached.
template <class Then, class Otherwise>
void via_hub(client_ptr self, Then then, Otherwise otherwise) {
  auto& st = self->state;
  if (st.hub)
    return then(st.hub);
  auto where = st.opts.host + ":" + std::to_string(st.opts.port);
  self->request(st.opts.connector, st.opts.timeout, caf::connect_atom::value,
                st.opts.host, st.opts.port)
      .then(
          [self, then, otherwise, where](const caf::node_id&, caf::strong_actor_ptr& ptr,
                                         const std::set<std::string>& ifs) mutable {
            auto& st = self->state;
            if (!ptr
                || (!st.opts.hub_interface.empty() && ifs != st.opts.hub_interface)) {
              otherwise(caf::make_error(ec::unavailable,
                                        "no o2hub hub of this version at " + where));
              return;
            }
            if (!st.hub) {
              st.hub = caf::actor_cast<hub_node_actor>(std::move(ptr));
              self->monitor(st.hub);
              log::info("connected to the hub", {{"hub", where}});
            }
            then(st.hub);
          },
          [otherwise, where](const caf::error& err) mutable {
            otherwise(
                caf::make_error(ec::unavailable, "cannot reach the hub at " + where + ": "
                                                     + describe_connect_error(err)));
          });
}

} // namespace

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
        auto rp = self->make_response_promise<pipeline_ref>();
        via_hub(
            self,
            [rp, i, sentence](hub_node_actor& hub) mutable {
              rp.delegate(hub, atom::start_v, std::move(i), std::move(sentence));
            },
            [rp](caf::error err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
      [self](atom::remove, std::string& id,
             std::string& reason) -> caf::result<pipeline_ref> {
        auto rp = self->make_response_promise<pipeline_ref>();
        via_hub(
            self,
            [rp, id, reason](hub_node_actor& hub) mutable {
              rp.delegate(hub, atom::remove_v, std::move(id), std::move(reason));
            },
            [rp](caf::error err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
      [self](atom::modify, intent& x, std::string& reason) -> caf::result<pipeline_ref> {
        auto rp = self->make_response_promise<pipeline_ref>();
        via_hub(
            self,
            [rp, x, reason](hub_node_actor& hub) mutable {
              rp.delegate(hub, atom::modify_v, std::move(x), std::move(reason));
            },
            [rp](caf::error err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
      [self](atom::get, atom::intents) -> caf::result<std::vector<intent_resource>> {
        auto rp = self->make_response_promise<std::vector<intent_resource>>();
        via_hub(
            self,
            [rp](hub_node_actor& hub) mutable {
              rp.delegate(hub, atom::get_v, atom::intents_v);
            },
            [rp](caf::error err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
      [self](atom::get, atom::pipeline, std::string& id) -> caf::result<pipeline_run> {
        auto rp = self->make_response_promise<pipeline_run>();
        via_hub(
            self,
            [rp, id](hub_node_actor& hub) mutable {
              rp.delegate(hub, atom::get_v, atom::pipeline_v, std::move(id));
            },
            [rp](caf::error err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
  };
}

} // namespace o2hub
