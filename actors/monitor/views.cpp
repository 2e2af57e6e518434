// The monitor's views of its state, pure: the JSON of its REST answers and
// events, the derived figures, and the fan-out to its clients' sinks.
#include "actors/monitor/views.hpp"

#include "common/json.hpp"
#include "protocol/monitor_json.hpp"
#include "protocol/ws_sink.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace o2hub::monitor_views {

/// Seconds between two RFC 3339 timestamps written by rfc3339().
double seconds_between(const std::string& a, const std::string& b) {
  auto parse = [](const std::string& t) {
    std::tm tm{};
    int ms = 0;
    if (std::sscanf(t.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms)
        < 6)
      return 0.0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<double>(timegm(&tm)) + ms / 1000.0;
  };
  return parse(b) - parse(a);
}

double percentile(std::vector<double> xs, double p) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  auto idx = static_cast<size_t>(std::ceil(p * static_cast<double>(xs.size())));
  return xs[std::min(xs.size() - 1, idx == 0 ? 0 : idx - 1)];
}

monitor_figures figures(const monitor_state& st) {
  monitor_figures m;
  for (const auto& [id, p] : st.pipelines) {
    m.active += p.status == "running";
    m.stale += p.status == "stale";
  }
  for (double d : st.durations)
    m.avg_processing_time += d;
  if (!st.durations.empty())
    m.avg_processing_time /= static_cast<double>(st.durations.size());
  m.total = st.total;
  m.successful = st.successful;
  m.failed = st.failed;
  m.current_stage = st.current_stage;
  m.last_update = st.last_update;
  auto finished = st.successful + st.failed;
  m.success_rate =
      finished ? static_cast<double>(st.successful) / static_cast<double>(finished) : 0.0;
  m.p50_processing_time = percentile(st.durations, 0.5);
  m.p95_processing_time = percentile(st.durations, 0.95);
  return m;
}

std::vector<edge_status> edge_list(const monitor_state& st) {
  std::vector<edge_status> out;
  out.reserve(st.edges.size());
  for (const auto& [name, e] : st.edges)
    out.push_back(e);
  return out;
}

std::vector<service_status> service_list(const monitor_state& st) {
  std::vector<service_status> out;
  for (const auto& [name, url] : st.opts.services) {
    auto i = st.services.find(name);
    auto s = i == st.services.end() ? service_status{} : i->second;
    s.name = name;
    s.url = url;
    out.push_back(std::move(s));
  }
  return out;
}

/// The most recently started running pipeline, or nullptr.
const pipeline* latest_running(const monitor_state& st) {
  for (auto i = st.order.rbegin(); i != st.order.rend(); ++i) {
    auto p = st.pipelines.find(*i);
    if (p != st.pipelines.end() && p->second.status == "running")
      return &p->second;
  }
  return nullptr;
}

void broadcast(monitor_state& st, std::string text) {
  auto payload = std::make_shared<const std::string>(std::move(text));
  auto& clients = st.clients;
  clients.erase(std::remove_if(clients.begin(), clients.end(),
                               [&](const std::weak_ptr<ws_sink>& weak) {
                                 auto sink = weak.lock();
                                 return !sink || !sink->push(payload);
                               }),
                clients.end());
}

std::string initial_state(const monitor_state& st) {
  json::writer w;
  w.begin_object().kv("type", "initial_state").key("data").begin_object();
  w.key("metrics");
  wire::write_metrics(w, figures(st));
  w.key("edge_status");
  wire::write_edges(w, edge_list(st));
  w.key("current_pipeline");
  if (auto p = latest_running(st))
    wire::write_pipeline(w, *p);
  else if (!st.order.empty())
    wire::write_pipeline(w, st.pipelines.at(st.order.back()));
  else
    w.value(nullptr);
  w.key("services");
  wire::write_services(w, service_list(st), edge_list(st));
  w.key("pipelines").begin_array();
  size_t n = 0;
  for (auto i = st.order.rbegin(); i != st.order.rend() && n < 50; ++i, ++n)
    wire::write_pipeline(w, st.pipelines.at(*i));
  w.end_array().end_object().end_object();
  return w.take();
}

void trim(monitor_state& st) {
  while (st.order.size() > st.opts.max_pipelines) {
    auto victim = std::find_if(st.order.begin(), st.order.end(), [&](auto& id) {
      return st.pipelines.at(id).status != "running";
    });
    if (victim == st.order.end())
      break;
    st.pipelines.erase(*victim);
    st.order.erase(victim);
  }
}

} // namespace o2hub::monitor_views
