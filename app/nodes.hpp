// o2hub nodes (issue 11): CAF's middleman for a process that talks to other
// nodes, TLS through caf_openssl, publishing the hub, connecting to it.
#pragma once

#include "config/config.hpp"
#include "protocol/actors.hpp"

#include <caf/fwd.hpp>

#include <set>
#include <string>

namespace o2hub {

/// Loads CAF's middleman into `acfg` and, with nodes.tls, caf_openssl with
/// this node's certificate, key and CA (peers must present a certificate
/// the CA signed).
void enable_nodes(caf::actor_system_config& acfg, const config& cfg);

/// Publishes the hub's node actor on nodes.bind:nodes.port (TLS when
/// configured). Returns why not; empty: published.
std::string publish_hub(caf::actor_system& sys, const config& cfg,
                        const hub_node_actor& hub);

/// The actor that connects to other nodes: (connect_atom, host, port), as
/// CAF's middleman (or caf_openssl's manager) after a TCP probe with a time
/// limit (io/node_connector.hpp). Tell it to exit at shutdown.
caf::actor node_connector(caf::actor_system& sys, const config& cfg);

/// The interface a hub publishes, as this system names it.
std::set<std::string> hub_interface(caf::actor_system& sys);

/// Reads "HOST:PORT" ("[::1]:4242" for IPv6). False when it is not one.
bool parse_host_port(const std::string& text, std::string& host, uint16_t& port);

} // namespace o2hub
