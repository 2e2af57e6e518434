#include "actors/monitor.hpp"

#include "config/config.hpp"
#include "io/sink.hpp"
#include "protocol/error.hpp"
#include "protocol/json.hpp"
#include "protocol/monitor_json.hpp"
#include "protocol/time.hpp"

#include <caf/stateful_actor.hpp>

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

namespace o2hub {

namespace {

using self_ptr = monitor_actor::stateful_pointer<monitor_state>;

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
  auto idx = static_cast<size_t>(std::ceil(p * static_cast<double>(xs.size()))) ;
  return xs[std::min(xs.size() - 1, idx == 0 ? 0 : idx - 1)];
}

void write_edge(json::writer& w, const std::string& name, const edge_state& e) {
  w.begin_object().kv("status", e.status);
  if (e.last_sync.empty())
    w.kv("last_sync", nullptr);
  else
    w.kv("last_sync", e.last_sync);
  w.kv("deployments", e.deployments);
  if (e.latency_ms < 0)
    w.kv("latency_ms", nullptr);
  else
    w.kv("latency_ms", e.latency_ms);
  w.key("checks").raw(e.checks_json).kv("edge", name).end_object();
}

void write_edges(json::writer& w, const monitor_state& st) {
  w.begin_object();
  for (const auto& [name, e] : st.edges) {
    w.key(name);
    write_edge(w, name, e);
  }
  w.end_object();
}

void write_metrics(json::writer& w, const monitor_state& st) {
  size_t active = 0;
  for (const auto& [id, p] : st.pipelines)
    active += p.status == "running";
  double avg = 0;
  for (double d : st.durations)
    avg += d;
  if (!st.durations.empty())
    avg /= static_cast<double>(st.durations.size());
  auto finished = st.successful + st.failed;
  w.begin_object()
    .kv("total_intents", st.total)
    .kv("successful_intents", st.successful)
    .kv("failed_intents", st.failed)
    .kv("avg_processing_time", avg)
    .kv("current_stage", st.current_stage);
  if (st.last_update.empty())
    w.kv("last_update", nullptr);
  else
    w.kv("last_update", st.last_update);
  w.kv("active_pipelines", active)
    .kv("success_rate", finished ? static_cast<double>(st.successful)
                                     / static_cast<double>(finished)
                                 : 0.0)
    .kv("p50_processing_time", percentile(st.durations, 0.5))
    .kv("p95_processing_time", percentile(st.durations, 0.95))
    .end_object();
}

void write_services(json::writer& w, const monitor_state& st) {
  w.begin_object();
  for (const auto& [name, url] : st.opts.services) {
    w.key(name).begin_object().kv("url", url);
    auto i = st.services.find(name);
    if (i == st.services.end()) {
      w.kv("status", "unknown");
    } else {
      w.kv("status", i->second.status).kv("last_check", i->second.last_sync);
      if (i->second.latency_ms >= 0)
        w.kv("latency_ms", i->second.latency_ms);
    }
    w.end_object();
  }
  w.end_object();
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

void broadcast(self_ptr self, std::string text) {
  auto payload = std::make_shared<const std::string>(std::move(text));
  auto& clients = self->state.clients;
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
  write_metrics(w, st);
  w.key("edge_status");
  write_edges(w, st);
  w.key("current_pipeline");
  if (auto p = latest_running(st))
    wire::write_pipeline(w, *p);
  else if (!st.order.empty())
    wire::write_pipeline(w, st.pipelines.at(st.order.back()));
  else
    w.value(nullptr);
  w.key("services");
  write_services(w, st);
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

} // namespace

monitor_actor::behavior_type
monitor(monitor_actor::stateful_pointer<monitor_state> self,
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
      auto& st = self->state;
      if (id.empty())
        return caf::error{ec::invalid_argument, "intent_id must not be empty"};
      if (auto i = st.pipelines.find(id);
          i != st.pipelines.end() && i->second.status == "running")
        return caf::error{ec::conflict, "pipeline " + id + " is already running"};
      pipeline p;
      p.intent_id = id;
      p.intent_text = text;
      p.start_time = rfc3339_now();
      p.stages.push_back({"input_received", p.start_time, "{}"});
      if (st.opts.store)
        if (auto err = st.opts.store->save(p, st.total + 1, st.successful,
                                           st.failed, -1))
          return err;
      st.order.erase(std::remove(st.order.begin(), st.order.end(), id),
                     st.order.end());
      st.order.push_back(id);
      st.pipelines[id] = p;
      ++st.total;
      st.last_update = p.start_time;
      st.current_stage = p.current_stage;
      trim(st);
      broadcast(self, wire::event_json("pipeline_started", wire::pipeline_json(p)));
      return p;
    },
    [self](atom::update, std::string& id, std::string& stage_name,
           std::string& metadata) -> caf::result<pipeline> {
      auto& st = self->state;
      auto to = parse_stage(stage_name);
      if (!to)
        return caf::error{ec::invalid_argument, "unknown stage '" + stage_name + "'"};
      pipeline* p = nullptr;
      if (id.empty()) {
        p = const_cast<pipeline*>(latest_running(st));
        if (!p)
          return caf::error{ec::unknown_entity, "no running pipeline to update"};
      } else {
        auto i = st.pipelines.find(id);
        if (i == st.pipelines.end())
          return caf::error{ec::unknown_entity, "no pipeline " + id};
        p = &i->second;
      }
      if (auto why = transition_error(*p, *to); !why.empty())
        return caf::error{ec::conflict, why};
      // Every stage_update carries the whole pipeline: keep it bounded.
      if (p->stages.size() >= 256)
        return caf::error{ec::conflict, "pipeline " + p->intent_id
                                          + " has 256 stage updates already"};
      auto now = rfc3339_now();
      // Change a copy, store it, then apply: a 2xx means it is on disk.
      auto next = *p;
      auto successful = st.successful;
      auto failed = st.failed;
      double duration = -1;
      next.stages.push_back({stage_name, now, metadata.empty() ? "{}" : metadata});
      next.current_stage = stage_name;
      if (next.status == "running"
          && (*to == stage::completed || *to == stage::failed)) {
        next.status = *to == stage::completed ? "completed" : "failed";
        next.end_time = now;
        next.duration_s = duration = seconds_between(next.start_time, now);
        ++(*to == stage::completed ? successful : failed);
      }
      if (*to == stage::rollback)
        next.rolled_back = true;
      if (st.opts.store)
        if (auto err = st.opts.store->save(next, st.total, successful, failed, duration))
          return err;
      *p = std::move(next);
      st.successful = successful;
      st.failed = failed;
      if (duration >= 0)
        st.durations.push_back(duration);
      st.last_update = now;
      st.current_stage = stage_name;
      json::writer w;
      w.begin_object().key("pipeline");
      wire::write_pipeline(w, *p);
      w.key("stage")
        .begin_object()
        .kv("stage", stage_name)
        .kv("timestamp", now)
        .key("metadata")
        .raw(p->stages.back().metadata_json)
        .end_object()
        .end_object();
      broadcast(self, wire::event_json("stage_update", w.take()));
      return *p;
    },
    [self](atom::edge, std::string& raw_name, std::string& status,
           std::string& metadata) -> caf::result<std::string> {
      auto& st = self->state;
      auto name = normalize_site_name(raw_name);
      auto i = st.edges.find(name);
      if (i == st.edges.end())
        return caf::error{ec::unknown_entity, "unknown edge '" + raw_name + "'"};
      auto& e = i->second;
      e.status = status;
      e.last_sync = rfc3339_now();
      if (!metadata.empty()) {
        e.checks_json = metadata;
        // The original clients put deployments (and latency) in the metadata.
        simdjson::dom::parser parser;
        simdjson::dom::element doc;
        if (!parser.parse(metadata).get(doc)) {
          int64_t deployments = 0;
          double latency = 0;
          if (!doc["deployments"].get(deployments))
            e.deployments = deployments;
          if (!doc["latency_ms"].get(latency))
            e.latency_ms = latency;
        }
      }
      json::writer w;
      write_edge(w, name, e);
      auto edge_json = w.take();
      if (st.opts.store)
        if (auto err = st.opts.store->save_edge(name, edge_json))
          return err;
      json::writer ev;
      ev.begin_object().kv("edge", name).key("status").raw(edge_json).end_object();
      broadcast(self, wire::event_json("edge_update", ev.take()));
      st.last_update = e.last_sync;
      return edge_json;
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
      w.begin_object().kv("total", st.order.size()).kv("limit", limit).kv("offset", offset);
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
      out += "o2hub_pipelines_total{result=\"started\"} " + std::to_string(st.total) + "\n";
      out += "o2hub_pipelines_total{result=\"completed\"} " + std::to_string(st.successful) + "\n";
      out += "o2hub_pipelines_total{result=\"failed\"} " + std::to_string(st.failed) + "\n";
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
        out += "o2hub_pipeline_duration_seconds_bucket{le=\"" + std::to_string(static_cast<int>(b))
               + "\"} " + std::to_string(n) + "\n";
      }
      out += "o2hub_pipeline_duration_seconds_bucket{le=\"+Inf\"} "
             + std::to_string(st.durations.size()) + "\n";
      out += "o2hub_pipeline_duration_seconds_sum " + std::to_string(sum) + "\n";
      out += "o2hub_pipeline_duration_seconds_count " + std::to_string(st.durations.size())
             + "\n";
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
    [self](atom::service, std::string& name, std::string& status,
           std::string& checks) {
      auto& st = self->state;
      auto& svc = st.services[name];
      svc.status = status;
      svc.last_sync = rfc3339_now();
      svc.checks_json = checks;
      simdjson::dom::parser parser;
      simdjson::dom::element doc;
      double latency = 0;
      if (!parser.parse(checks).get(doc) && !doc["latency_ms"].get(latency))
        svc.latency_ms = latency;
      json::writer w;
      w.begin_object().kv("service", name).kv("status", status).key("checks").raw(checks).end_object();
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
