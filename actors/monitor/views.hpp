// The monitor's views of its state (actors/monitor/views.cpp), shared by the
// files of the monitor actor. Pure functions over monitor_state.
#pragma once

#include "actors/monitor/monitor.hpp"

#include <string>
#include <vector>

namespace o2hub::json {
class writer;
} // namespace o2hub::json

namespace o2hub::monitor_views {

/// Seconds from one RFC 3339 time to another.
double seconds_between(const std::string& a, const std::string& b);

/// The p-th percentile (0..100) of `xs`; 0 when empty.
double percentile(std::vector<double> xs, double p);

void write_edge(json::writer& w, const std::string& name, const edge_state& e);
void write_edges(json::writer& w, const monitor_state& st);
void write_metrics(json::writer& w, const monitor_state& st);
void write_services(json::writer& w, const monitor_state& st);

/// The most recently started running pipeline, or nullptr.
const pipeline* latest_running(const monitor_state& st);

/// Pushes one payload, shared, to every client; forgets the gone ones.
void broadcast(monitor_state& st, std::string text);

/// A new client's first message.
std::string initial_state(const monitor_state& st);

/// Drops the oldest finished pipelines beyond max_pipelines.
void trim(monitor_state& st);

} // namespace o2hub::monitor_views
