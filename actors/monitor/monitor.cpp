#include "actors/monitor/monitor.hpp"

#include "actors/monitor/updates.hpp"
#include "actors/monitor/views.hpp"
#include "common/json.hpp"
#include "common/time.hpp"
#include "config/config.hpp"
#include "protocol/error.hpp"
#include "protocol/monitor_json.hpp"
#include "protocol/ws_sink.hpp"

#include <caf/stateful_actor.hpp>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

namespace o2hub {

using namespace monitor_views;

namespace {

using self_ptr = monitor_actor::stateful_pointer<monitor_state>;

void broadcast(self_ptr self, std::string text) {
  monitor_views::broadcast(self->state, std::move(text));
}

} // namespace

monitor_actor::behavior_type monitor(monitor_actor::stateful_pointer<monitor_state> self,
                                     monitor_options opts) {
  auto& st0 = self->state;
  for (const auto& s : opts.sites)
    st0.edges[s];
  // Restore what the store held: history, counters, last edge status.
  for (auto& p : opts.restored.pipelines) {
    st0.order.push_back(p.intent_id);
    st0.pipelines[p.intent_id] = std::move(p);
  }
  st0.total = opts.restored.total;
  st0.successful = opts.restored.successful;
  st0.failed = opts.restored.failed;
  st0.durations = std::move(opts.restored.durations);
  for (auto& [name, json] : opts.restored.edges) {
    auto i = st0.edges.find(name);
    if (i == st0.edges.end())
      continue;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(json).get(doc))
      continue;
    auto& e = i->second;
    std::string_view v;
    if (!doc["status"].get(v))
      e.status = std::string{v};
    if (!doc["last_sync"].get(v))
      e.last_sync = std::string{v};
    int64_t n = 0;
    if (!doc["deployments"].get(n))
      e.deployments = n;
    double l = 0;
    if (!doc["latency_ms"].get(l))
      e.latency_ms = l;
    simdjson::dom::element checks;
    if (!doc["checks"].get(checks))
      e.checks_json = simdjson::minify(checks);
  }
  opts.restored = {};
  st0.opts = std::move(opts);
  {
    json::writer w; // clients get these in initial_state: not news
    write_metrics(w, st0);
    st0.last_metrics = w.take();
  }
  if (st0.opts.metrics_interval.count() > 0)
    self->delayed_send(self, st0.opts.metrics_interval, atom::tick_v);
  return {
      [self](atom::start, std::string& id, std::string& text) -> caf::result<pipeline> {
        return monitor_updates::start(self, id, text);
      },
      [self](atom::update, std::string& id, std::string& stage_name,
             std::string& metadata) -> caf::result<pipeline> {
        return monitor_updates::update(self, id, stage_name, metadata);
      },
      [self](atom::edge, std::string& raw_name, std::string& status,
             std::string& metadata) -> caf::result<std::string> {
        return monitor_updates::edge(self, raw_name, status, metadata);
      },
      [self](atom::get, atom::metrics) -> caf::result<std::string> {
        auto& st = self->state;
        json::writer w;
        w.begin_object().key("metrics");
        write_metrics(w, st);
        w.key("edge_status");
        write_edges(w, st);
        w.key("services");
        write_services(w, st);
        w.end_object();
        return w.take();
      },
      [self](atom::get, atom::pipelines, uint64_t limit,
             uint64_t offset) -> caf::result<std::string> {
        auto& st = self->state;
        json::writer w;
        w.begin_object()
            .kv("total", st.order.size())
            .kv("limit", limit)
            .kv("offset", offset);
        w.key("pipelines").begin_array();
        uint64_t skipped = 0;
        uint64_t written = 0;
        for (auto i = st.order.rbegin(); i != st.order.rend() && written < limit; ++i) {
          if (skipped++ < offset)
            continue;
          wire::write_pipeline(w, st.pipelines.at(*i));
          ++written;
        }
        w.end_array().end_object();
        return w.take();
      },
      [self](atom::get, atom::pipeline, std::string& id) -> caf::result<std::string> {
        auto i = self->state.pipelines.find(id);
        if (i == self->state.pipelines.end())
          return caf::error{ec::unknown_entity, "no pipeline " + id};
        return wire::pipeline_json(i->second);
      },
      [self](atom::get, atom::edges) -> caf::result<std::string> {
        json::writer w;
        write_edges(w, self->state);
        return w.take();
      },
      [self](atom::get, atom::prometheus) -> caf::result<std::string> {
        auto& st = self->state;
        std::string out;
        out += "# HELP o2hub_pipelines_total Pipelines by result.\n"
               "# TYPE o2hub_pipelines_total counter\n";
        out += "o2hub_pipelines_total{result=\"started\"} " + std::to_string(st.total)
               + "\n";
        out += "o2hub_pipelines_total{result=\"completed\"} "
               + std::to_string(st.successful) + "\n";
        out += "o2hub_pipelines_total{result=\"failed\"} " + std::to_string(st.failed)
               + "\n";
        size_t active = 0;
        for (const auto& [id, p] : st.pipelines)
          active += p.status == "running";
        out += "# HELP o2hub_pipelines_active Pipelines running now.\n"
               "# TYPE o2hub_pipelines_active gauge\no2hub_pipelines_active "
               + std::to_string(active) + "\n";
        static constexpr double bounds[] = {1, 5, 10, 30, 60, 120, 300, 600, 1800};
        out += "# HELP o2hub_pipeline_duration_seconds Time from start to result.\n"
               "# TYPE o2hub_pipeline_duration_seconds histogram\n";
        double sum = 0;
        for (double d : st.durations)
          sum += d;
        for (double b : bounds) {
          auto n = std::count_if(st.durations.begin(), st.durations.end(),
                                 [b](double d) { return d <= b; });
          out += "o2hub_pipeline_duration_seconds_bucket{le=\""
                 + std::to_string(static_cast<int>(b)) + "\"} " + std::to_string(n)
                 + "\n";
        }
        out += "o2hub_pipeline_duration_seconds_bucket{le=\"+Inf\"} "
               + std::to_string(st.durations.size()) + "\n";
        out += "o2hub_pipeline_duration_seconds_sum " + std::to_string(sum) + "\n";
        out += "o2hub_pipeline_duration_seconds_count "
               + std::to_string(st.durations.size()) + "\n";
        out += "# HELP o2hub_edge_up 1 when the edge site is healthy or degraded.\n"
               "# TYPE o2hub_edge_up gauge\n";
        for (const auto& [name, e] : st.edges)
          out += "o2hub_edge_up{edge=\"" + name + "\",status=\"" + e.status + "\"} "
                 + (e.status == "healthy" || e.status == "degraded" ? "1" : "0") + "\n";
        out += "# HELP o2hub_edge_probe_latency_ms Mean latency of the last probe.\n"
               "# TYPE o2hub_edge_probe_latency_ms gauge\n";
        for (const auto& [name, e] : st.edges)
          if (e.latency_ms >= 0)
            out += "o2hub_edge_probe_latency_ms{edge=\"" + name + "\"} "
                   + std::to_string(e.latency_ms) + "\n";
        size_t clients = 0;
        for (const auto& c : st.clients)
          clients += !c.expired();
        out += "# HELP o2hub_monitor_websocket_clients Dashboard clients.\n"
               "# TYPE o2hub_monitor_websocket_clients gauge\n"
               "o2hub_monitor_websocket_clients "
               + std::to_string(clients) + "\n";
        return out;
      },
      [self](atom::service, std::string& name, std::string& status, std::string& checks) {
        auto& st = self->state;
        auto& svc = st.services[name];
        svc.status = status;
        svc.last_sync = rfc3339(st.opts.now());
        svc.checks_json = checks;
        simdjson::dom::parser parser;
        simdjson::dom::element doc;
        double latency = 0;
        if (!parser.parse(checks).get(doc) && !doc["latency_ms"].get(latency))
          svc.latency_ms = latency;
        json::writer w;
        w.begin_object()
            .kv("service", name)
            .kv("status", status)
            .key("checks")
            .raw(checks)
            .end_object();
        broadcast(self, wire::event_json("service_update", w.take()));
      },
      [self](atom::tick) {
        auto& st = self->state;
        self->delayed_send(self, st.opts.metrics_interval, atom::tick_v);
        json::writer w;
        write_metrics(w, st);
        auto now = w.take();
        if (now == st.last_metrics)
          return;
        st.last_metrics = now;
        json::writer ev;
        ev.begin_object().key("metrics").raw(now).end_object();
        broadcast(self, wire::event_json("metrics", ev.take()));
      },
      [self](atom::subscribe, ws_sink_ptr& sink) {
        // initial_state first, then every event: both come from this actor, so
        // the order holds.
        if (sink->send(initial_state(self->state)))
          self->state.clients.push_back(sink);
      },
  };
}

} // namespace o2hub
