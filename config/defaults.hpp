// Tunable defaults of o2hub, in one place.
#pragma once

#include <cstddef>
#include <cstdint>

namespace o2hub::defaults {

constexpr const char* bind_address = "127.0.0.1";
constexpr uint16_t intent_port = 8002;
constexpr uint16_t monitor_port = 8003;
constexpr uint16_t bridge_port = 8004;
constexpr const char* data_dir = "data";

/// HTTP: request bodies above this get 413.
constexpr size_t body_limit = 1024 * 1024;
/// HTTP: a request must arrive completely within this many seconds.
constexpr int read_timeout_s = 30;
/// WebSocket: messages above this close the socket with 1009.
constexpr size_t ws_frame_limit = 1024 * 1024;
/// WebSocket: outbound messages queued per client before it counts as slow.
constexpr size_t ws_queue_limit = 1024;
/// WebSocket: outbound bytes queued per client before it counts as slow.
constexpr size_t ws_queue_bytes = 8 * 1024 * 1024;
/// Threads running the HTTP/WebSocket server, each with its own io_context
/// and its share of the connections; 0: one per core.
constexpr int http_threads = 0;
/// Open connections of the whole process; 0: derived from the open-files
/// limit (io/connection_gate.hpp).
constexpr size_t max_connections = 0;
/// Open connections from one address; 0: a quarter of max_connections.
constexpr size_t max_connections_per_ip = 0;

constexpr const char* tmux_session = "claude-intent";
constexpr const char* tmux_socket = "o2hub";
constexpr size_t bridge_max_viewers = 64;
constexpr int bridge_cols = 120;
constexpr int bridge_rows = 36;

constexpr int llm_timeout_s = 30;
constexpr size_t llm_cache_size = 1024;
constexpr int llm_cache_ttl_s = 3600;
constexpr int llm_concurrency = 4;

constexpr int scrape_interval_s = 15;
constexpr int probe_timeout_ms = 2000;
constexpr int failures_before_unreachable = 3;

/// Ports of the simulated edge site N (1-based) on loopback: base + N.
constexpr uint16_t sim_o2ims_base = 30200;
constexpr uint16_t sim_prometheus_base = 30300;
constexpr uint16_t sim_k8s_base = 30400;
constexpr int sim_sites = 4;
/// `o2hub edge-sim`'s fault-control endpoint (just below the first site).
constexpr uint16_t sim_control_port = sim_o2ims_base;

/// The seed's ports, used when an edge site lists none.
constexpr uint16_t o2ims_port = 31280;
constexpr uint16_t prometheus_port = 30090;
constexpr uint16_t k8s_api_port = 6443;

} // namespace o2hub::defaults
