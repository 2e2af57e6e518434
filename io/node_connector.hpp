// Connecting to another o2hub node without ever hanging (issue 16's notes).
// CAF 0.17's middleman (and caf_openssl's manager) connects with a blocking
// connect(2) in its own detached actor and no time limit: to a hub whose
// SYNs go unanswered (host down, a firewall that drops) it blocks until the
// kernel gives up (~2 minutes with net.ipv4.tcp_syn_retries 6), every other
// connect waits behind it, and the actor system's shutdown waits for it: an
// agent told to stop hung that long. So a connect that CAF has not finished
// within a time limit is answered with an error (CAF's connect goes on in
// the background), and a plain TCP probe with the same limit says why: no
// answer, refused, or a port that accepts but never completes the node
// handshake. The stop's wait for CAF is bounded by common/exit_deadline.hpp;
// a stop cancels a probe.
#pragma once

#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace o2hub {

/// Opens a TCP connection to host:port within `timeout` (name lookup
/// included) and closes it again. Empty when it opened; else why not.
std::string tcp_probe(const std::string& host, uint16_t port,
                      std::chrono::milliseconds timeout);

/// Ends every probe in progress and refuses new ones (said as "this o2hub
/// is stopping"): at shutdown, so that no stop waits for a probe. Any
/// thread, once.
void cancel_node_probes();

/// How long a node connect may wait for the other side's TCP answer.
inline constexpr std::chrono::milliseconds node_connect_timeout{4000};

/// An actor answering (connect_atom, host, port) like CAF's middleman
/// actor `upstream` (it asks there), within `timeout`; past it, after a
/// `tcp_probe` of at most 2 s, with sec::cannot_connect_to_node and the
/// reason, which further requests for the same place get at once for up to
/// a second. Runs on its own thread (the probe blocks it); tell it to exit
/// at shutdown (after `cancel_node_probes`).
caf::actor spawn_node_connector(caf::actor_system& sys, caf::actor upstream,
                                std::chrono::milliseconds timeout = node_connect_timeout);

} // namespace o2hub
