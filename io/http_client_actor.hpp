// The HTTP client as an actor (protocol/actors.hpp: http_client_actor): logic
// actors ask it for edge requests and get typed results; the transfers run on
// the shared libcurl multi thread (io/http_client.hpp), never on the
// scheduler.
#pragma once

#include "protocol/actors.hpp"

#include <caf/fwd.hpp>

#include <memory>

namespace o2hub {

class http_client;

/// Spawns the actor in front of `client` (shared: the caller may stop it at
/// shutdown, after which every request answers with an error result).
http_client_actor spawn_http_client_actor(caf::actor_system& sys,
                                          std::shared_ptr<http_client> client);

} // namespace o2hub
