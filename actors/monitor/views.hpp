// The monitor's views of its state (actors/monitor/views.cpp), shared by the
// files of the monitor actor. Pure functions over monitor_state.
#pragma once

#include "actors/monitor/monitor.hpp"

#include <string>
#include <vector>

namespace o2hub::monitor_views {

/// Seconds from one RFC 3339 time to another.
double seconds_between(const std::string& a, const std::string& b);

/// The p-th percentile (0..100) of `xs`; 0 when empty.
double percentile(std::vector<double> xs, double p);

/// The figures of the metrics.
monitor_figures figures(const monitor_state& st);

/// Every edge, by name.
std::vector<edge_status> edge_list(const monitor_state& st);

/// Every configured service with its last report, by name.
std::vector<service_status> service_list(const monitor_state& st);

/// The most recently started running pipeline, or nullptr.
const pipeline* latest_running(const monitor_state& st);

/// Pushes one payload, shared, to every client; forgets the gone ones.
void broadcast(monitor_state& st, std::string text);

/// A new client's first message.
std::string initial_state(const monitor_state& st);

/// Drops the oldest finished pipelines beyond max_pipelines.
void trim(monitor_state& st);

} // namespace o2hub::monitor_views
