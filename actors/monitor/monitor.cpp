#include "actors/monitor/monitor.hpp"

#include "actors/monitor/updates.hpp"
#include "actors/monitor/views.hpp"
#include "common/json.hpp"
#include "common/time.hpp"
#include "protocol/error.hpp"
#include "protocol/monitor_json.hpp"
#include "protocol/ws_sink.hpp"

#include <caf/stateful_actor.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

namespace o2hub {

using namespace monitor_views;

namespace {

using monitor_self = monitor_actor::stateful_pointer<monitor_state>;

void broadcast(monitor_self self, std::string text) {
  monitor_views::broadcast(self->state, std::move(text));
}

} // namespace

monitor_actor::behavior_type monitor(monitor_actor::stateful_pointer<monitor_state> self,
                                     monitor_options opts) {
  auto& st0 = self->state;
  // Restore what the store held: history, counters, last edge status.
  for (auto& p : opts.restored.pipelines) {
    st0.order.push_back(p.intent_id);
    st0.pipelines[p.intent_id] = std::move(p);
  }
  st0.total = opts.restored.total;
  st0.successful = opts.restored.successful;
  st0.failed = opts.restored.failed;
  st0.durations = std::move(opts.restored.durations);
  for (const auto& s : opts.sites)
    st0.edges[s].name = s;
  for (auto& e : opts.restored.edges)
    if (auto i = st0.edges.find(e.name); i != st0.edges.end())
      i->second = std::move(e);
  opts.restored = {};
  st0.opts = std::move(opts);
  // Clients get these in initial_state: not news.
  st0.last_metrics = wire::metrics_json(figures(st0));
  if (st0.opts.metrics_interval.count() > 0)
    self->delayed_send(self, st0.opts.metrics_interval, atom::tick_v);
  return {
      [self](atom::start, std::string& id, std::string& text) -> caf::result<pipeline> {
        return monitor_updates::start(self, id, text);
      },
      [self](atom::start, std::string& id, std::string& text,
             atom::update) -> caf::result<pipeline> {
        return monitor_updates::start(self, id, text, true);
      },
      [self](atom::update, std::string& id, std::string& stage_name,
             std::string& metadata) -> caf::result<pipeline> {
        return monitor_updates::update(self, id, stage_name, metadata);
      },
      [self](atom::update, std::string& id, atom::erase) -> caf::result<pipeline> {
        return monitor_updates::cancel(self, id);
      },
      [self](atom::edge, std::string& raw_name, std::string& status,
             std::string& metadata) -> caf::result<edge_status> {
        return monitor_updates::edge(self, raw_name, status, metadata);
      },
      [self](atom::edge, std::string& name, probe_report& report) {
        monitor_updates::probed(self, name, report);
      },
      [self](atom::edge, const std::vector<site_load>& loads) {
        monitor_updates::loads(self, loads);
      },
      [self](atom::get, atom::metrics) -> monitor_snapshot {
        auto& st = self->state;
        return {figures(st), edge_list(st), service_list(st)};
      },
      [self](atom::get, atom::pipelines, uint64_t limit, uint64_t offset) {
        auto& st = self->state;
        pipeline_page page;
        page.total = st.order.size();
        page.limit = limit;
        page.offset = offset;
        uint64_t skipped = 0;
        for (auto i = st.order.rbegin();
             i != st.order.rend() && page.pipelines.size() < limit; ++i)
          if (skipped++ >= offset)
            page.pipelines.push_back(st.pipelines.at(*i));
        return page;
      },
      [self](atom::get, atom::pipeline, std::string& id) -> caf::result<pipeline> {
        auto i = self->state.pipelines.find(id);
        if (i == self->state.pipelines.end())
          return caf::error{ec::unknown_entity, "no pipeline " + id};
        return i->second;
      },
      [self](atom::get, atom::edges) { return edge_list(self->state); },
      [self](atom::get, atom::prometheus) {
        auto& st = self->state;
        monitor_counters c;
        c.started = st.total;
        c.completed = st.successful;
        c.failed = st.failed;
        for (const auto& [id, p] : st.pipelines)
          c.active += p.status == "running";
        c.durations = st.durations;
        c.edges = edge_list(st);
        for (const auto& client : st.clients)
          c.clients += !client.expired();
        return c;
      },
      [self](atom::service, std::string& name, probe_report& report) {
        auto& st = self->state;
        auto& svc = st.services[name];
        svc.status = report.status;
        svc.last_check = rfc3339(st.opts.now());
        if (report.latency_ms >= 0)
          svc.latency_ms = report.latency_ms;
        json::writer w;
        w.begin_object()
            .kv("service", name)
            .kv("status", report.status)
            .key("checks")
            .raw(wire::probe_checks_json(report))
            .end_object();
        broadcast(self, wire::event_json("service_update", w.take()));
      },
      [self](atom::tick) {
        auto& st = self->state;
        self->delayed_send(self, st.opts.metrics_interval, atom::tick_v);
        monitor_updates::mark_stale(self);
        auto now = wire::metrics_json(figures(st));
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
