// Value types that cross between o2hub nodes (issue 11): an edge agent's
// registration and status changes, and the pipeline's questions to an edge
// with their answers. Every type has a friend inspect() and a type ID; both
// sides register the same names (protocol/fwd.hpp).
#pragma once

#include "protocol/fwd.hpp"
#include "protocol/monitor_values.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace o2hub {

/// The node protocol's version: a hub refuses agents of another one.
constexpr uint32_t node_protocol_version = 1;

/// An agent introduces itself; the hub answers a nonce to sign.
struct agent_hello {
  /// The site it serves (canonical or any accepted spelling).
  std::string site;
  /// The agent's o2hub version.
  std::string version;
  uint32_t protocol = node_protocol_version;
  /// "probe", "o2ims", "promql".
  std::vector<std::string> capabilities;
  /// Random per agent process: tells a restarted agent from a reconnect.
  std::string instance;
  /// Its certificate (PEM) under TLS, else empty.
  std::string certificate;

  friend bool operator==(const agent_hello& x, const agent_hello& y) {
    return x.site == y.site && x.version == y.version && x.protocol == y.protocol
           && x.capabilities == y.capabilities && x.instance == y.instance
           && x.certificate == y.certificate;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, agent_hello& x) {
    return f(caf::meta::type_name("o2hub.agent_hello"), x.site, x.version, x.protocol,
             x.capabilities, x.instance, x.certificate);
  }
};

/// The hub accepted an agent.
struct agent_welcome {
  /// Names this registration in heartbeats and changes.
  uint64_t session = 0;
  /// How often the agent sends a heartbeat.
  uint32_t heartbeat_s = 2;
  /// The last change the hub applied from this agent instance (0: none); the
  /// agent drops buffered changes up to it and sends the rest.
  uint64_t applied_seq = 0;
  /// The canonical site name.
  std::string site;

  friend bool operator==(const agent_welcome& x, const agent_welcome& y) {
    return x.session == y.session && x.heartbeat_s == y.heartbeat_s
           && x.applied_seq == y.applied_seq && x.site == y.site;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, agent_welcome& x) {
    return f(caf::meta::type_name("o2hub.agent_welcome"), x.session, x.heartbeat_s,
             x.applied_seq, x.site);
  }
};

/// A status change an agent saw at its site, numbered per agent instance:
/// the hub applies each number once.
struct agent_change {
  uint64_t seq = 0;
  probe_report report;

  friend bool operator==(const agent_change& x, const agent_change& y) {
    return x.seq == y.seq && x.report == y.report;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, agent_change& x) {
    return f(caf::meta::type_name("o2hub.agent_change"), x.seq, x.report);
  }
};

/// A question the pipeline asks an edge site.
struct edge_query {
  /// "o2ims": the provisioning request `arg`; "promql": the instant query
  /// `arg` against the site's Prometheus.
  std::string kind;
  std::string arg;

  friend bool operator==(const edge_query& x, const edge_query& y) {
    return x.kind == y.kind && x.arg == y.arg;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, edge_query& x) {
    return f(caf::meta::type_name("o2hub.edge_query"), x.kind, x.arg);
  }
};

/// The site's answer, read (protocol/edge_answers.hpp) where it was asked.
struct edge_answer {
  /// o2ims: the phase (fulfilled, progressing, pending, failed, unreachable,
  /// error ...); promql: the sample's value as text, or "error: <why>".
  std::string value;
  /// o2ims: the request's message, or why there was no answer.
  std::string message;
  /// The site's HTTP status (0: no answer).
  int32_t status = 0;

  friend bool operator==(const edge_answer& x, const edge_answer& y) {
    return x.value == y.value && x.message == y.message && x.status == y.status;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, edge_answer& x) {
    return f(caf::meta::type_name("o2hub.edge_answer"), x.value, x.message, x.status);
  }
};

} // namespace o2hub
