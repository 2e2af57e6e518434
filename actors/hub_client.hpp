// An intent service on its own node (`o2hub intent --hub HOST:PORT`) starts
// pipelines on the hub: this actor connects to the hub's node actor on first
// use (and again after the hub's node went down) and passes `start` on.
#pragma once

#include "protocol/actors.hpp"

#include <caf/actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <set>
#include <string>

namespace o2hub {

struct hub_client_options {
  std::string host;
  uint16_t port = 0;
  /// CAF's middleman actor (or its TLS variant): (connect_atom, host, port).
  caf::actor connector;
  /// The interface the hub must publish; empty: not checked.
  std::set<std::string> hub_interface;
  caf::timespan timeout = std::chrono::seconds(10);
};

struct hub_client_state {
  static inline const char* name = "hub_client";
  hub_client_options opts;
  hub_node_actor hub;
};

pipeline_starter_actor::behavior_type
hub_client(pipeline_starter_actor::stateful_pointer<hub_client_state> self,
           hub_client_options opts);

} // namespace o2hub
