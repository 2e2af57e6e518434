// WebSocket connections to session actors: the one ws_endpoint every
// service uses. It spawns a session actor (protocol/actors.hpp:
// ws_session_actor) when a connection opens, hands it every frame, and stops
// it when the connection closes. Called on the connections' strands;
// thread-safe across connections.
#pragma once

#include "io/http.hpp"
#include "protocol/actors.hpp"

#include <caf/fwd.hpp>

#include <functional>
#include <memory>

namespace o2hub {

/// Spawns the session for a new connection.
using ws_session_factory =
    std::function<ws_session_actor(caf::actor_system& sys, const ws_sink_ptr& sink)>;

/// What a lazy endpoint does when a connection opens, instead of spawning.
using ws_open_hook = std::function<void(const ws_sink_ptr& sink)>;

/// The endpoint; `on_count`, when set, gets the number of open connections
/// after each change (for /health). With `lazy_open` set, a connection's
/// session is spawned with its first frame and `lazy_open` runs at open
/// instead: connections that only listen (dashboards) cost no actor
/// (about 1.2 KiB each, measured with 5,000 idle clients).
std::shared_ptr<ws_endpoint>
make_session_endpoint(caf::actor_system& sys, ws_session_factory factory,
                      std::function<void(long)> on_count = {},
                      ws_open_hook lazy_open = {});

/// An `on_count` that reports the number as the service's
/// "websocket_clients" health field.
std::function<void(long)> client_counter(status_actor status);

} // namespace o2hub
