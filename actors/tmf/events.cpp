// The TMF921 actor's side that follows the pipelines and tells the hub's
// subscribers (actors/tmf/tmf_intents.hpp).
#include "actors/tmf/read.hpp"
#include "actors/tmf/tmf_intents.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <simdjson.h>

#include <algorithm>

namespace o2hub::tmf_steps {

namespace {

bool has(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

void drop(tmf_ptr self, const std::string& id, const std::string& why) {
  auto& st = self->state;
  auto i = st.subs.find(id);
  if (i == st.subs.end())
    return;
  log::error(
      "TMF921 subscriber dropped",
      {{"hub", id}, {"why", why}, {"queued", std::to_string(i->second.queue.size())}});
  st.subs.erase(i);
  self->request(st.opts.hub_table, caf::infinite, atom::erase_v, id)
      .then([](atom::ok) {}, [](const caf::error&) {});
}

void delivered(tmf_ptr self, const std::string& id, uint64_t number,
               const fetch_result& r) {
  auto& st = self->state;
  auto i = st.subs.find(id);
  if (i == st.subs.end())
    return;
  auto& sub = i->second;
  sub.in_flight = false;
  if (r.status >= 200 && r.status < 300) {
    if (!sub.queue.empty() && sub.queue.front().first == number)
      sub.queue.pop_front();
    sub.failures = 0;
    return pump(self, id);
  }
  ++sub.failures;
  log::warn("TMF921 event not delivered", {{"hub", id},
                                           {"event", std::to_string(number)},
                                           {"status", std::to_string(r.status)},
                                           {"error", r.error},
                                           {"failures", std::to_string(sub.failures)}});
  if (sub.failures >= st.opts.max_failures)
    return drop(self, id, std::to_string(sub.failures) + " failed deliveries in a row");
  auto backoff = std::chrono::milliseconds(250) * (1 << std::min(sub.failures, 5));
  self->delayed_send(self, backoff, atom::notify_v, id);
}

/// The record of an intent the pipelines know but this actor did not (it
/// came through another API).
tmf::intent_record adopt(tmf_ptr self, const intent_resource& s) {
  tmf::intent_record rec;
  const auto& x = effective_intent(s.run);
  rec.id = x.intent_id;
  rec.name = x.intent_id;
  rec.form = "api";
  json::writer w;
  w.begin_object()
      .kv("@type", "Intent")
      .kv("name", rec.name)
      .kv("description", x.description)
      .key("expression")
      .begin_object()
      .kv("@type", "JsonLdExpression")
      .kv("iri", "urn:o2hub:intent:" + x.intent_id)
      .key("expressionValue")
      .begin_object()
      .key("@context")
      .begin_object()
      .kv("o2hub", "urn:o2hub:intent#")
      .end_object()
      .kv("@id", "urn:o2hub:intent:" + x.intent_id)
      .kv("o2hub:sentence", x.description)
      .end_object()
      .end_object()
      .end_object();
  rec.doc = w.take();
  rec.creation_date = s.run.started_at.empty() ? now(self) : s.run.started_at;
  rec.last_update = rec.creation_date;
  rec.status_change_date = now(self);
  rec.lifecycle = s.lifecycle;
  rec.value = x;
  return rec;
}

void report(tmf_ptr self, const pipeline_run& run) {
  auto& st = self->state;
  auto i = st.intents.find(run.value.intent_id);
  if (i == st.intents.end() || run.step != "done")
    return;
  auto& rec = i->second;
  auto rid = tmf::report_id(run);
  if (has(rec.reported, rid))
    return;
  auto body = tmf::report_json(run, rid);
  rec.reported.push_back(rid);
  // Saved before a crash that came before the intent record's save: the
  // report is already listed (loaded from its table), once.
  if (st.reports.count(rid) == 0)
    st.reports_of[rec.id].push_back(rid);
  st.reports[rid] = body;
  self->request(st.opts.reports_table, caf::infinite, atom::put_v, rid, body)
      .then([](atom::ok) {},
            [rid](const caf::error& err) {
              log::error("TMF921 report not saved",
                         {{"report", rid}, {"error", render(err)}});
            });
  save(self, rec);
  emit(self, "IntentReportCreateEvent", "intentReport", body);
}

bool running(const std::string& lifecycle) {
  return lifecycle == "acknowledged" || lifecycle == "inProgress"
         || lifecycle == "removing";
}

} // namespace

std::string now(tmf_ptr self) {
  return rfc3339(self->state.opts.now());
}

void save(tmf_ptr self, const tmf::intent_record& r) {
  auto id = r.id;
  self->request(self->state.opts.intents_table, caf::infinite, atom::put_v, id,
                tmf::to_json(r))
      .then([](atom::ok) {},
            [id](const caf::error& err) {
              log::error("TMF921 intent not saved",
                         {{"intent_id", id}, {"error", render(err)}});
            });
}

void emit(tmf_ptr self, const std::string& type, const std::string& key,
          const std::string& resource) {
  auto& st = self->state;
  auto number = ++st.next_event;
  auto body = tmf::event_json(type, number, now(self), key, resource);
  std::vector<std::string> full;
  for (auto& [id, sub] : st.subs) {
    if (!sub.types.empty() && !has(sub.types, type))
      continue;
    if (sub.queue.size() >= st.opts.queue_limit) {
      full.push_back(id);
      continue;
    }
    sub.queue.emplace_back(number, body);
    pump(self, id);
  }
  for (auto& id : full)
    drop(self, id,
         "its queue of " + std::to_string(st.opts.queue_limit) + " events is full");
}

void pump(tmf_ptr self, const std::string& id) {
  auto& st = self->state;
  auto i = st.subs.find(id);
  if (i == st.subs.end() || i->second.in_flight || i->second.queue.empty())
    return;
  auto& sub = i->second;
  sub.in_flight = true;
  fetch_request req;
  req.url = sub.callback;
  req.method = "POST";
  req.body = sub.queue.front().second;
  req.timeout_ms = st.opts.delivery_timeout_ms;
  req.max_body = 4096;
  auto number = sub.queue.front().first;
  self->request(st.opts.http, caf::infinite, atom::fetch_v, std::move(req))
      .then([self, id, number](const fetch_result& r) { delivered(self, id, number, r); },
            [self, id, number](const caf::error& err) {
              fetch_result r;
              r.error = render(err);
              delivered(self, id, number, r);
            });
}

void reconcile(tmf_ptr self, const std::vector<intent_resource>& all) {
  auto& st = self->state;
  // Oldest first: events in the order the intents came.
  for (auto s = all.rbegin(); s != all.rend(); ++s) {
    const auto& id = s->run.value.intent_id;
    auto i = st.intents.find(id);
    if (i == st.intents.end()) {
      if (st.creating > 0)
        continue; // maybe one of ours, not answered yet: next look
      auto rec = adopt(self, *s);
      st.order.push_back(id);
      i = st.intents.emplace(id, std::move(rec)).first;
      save(self, i->second);
      emit(self, "IntentCreateEvent", "intent", tmf::intent_json(i->second));
    }
    auto& rec = i->second;
    const auto& deployed = effective_intent(s->run);
    if (rec.lifecycle != s->lifecycle || !(rec.value == deployed)) {
      bool status = rec.lifecycle != s->lifecycle;
      rec.lifecycle = s->lifecycle;
      rec.value = deployed;
      rec.last_update = now(self);
      if (status)
        rec.status_change_date = rec.last_update;
      save(self, rec);
      emit(self, status ? "IntentStatusChangeEvent" : "IntentAttributeValueChangeEvent",
           "intent", tmf::intent_json(rec));
    }
    // Every finished run gets its report.
    for (const auto& pid : s->runs) {
      if (pid == pipeline_id(s->run)) {
        if (!running(s->lifecycle))
          report(self, s->run);
        continue;
      }
      if (has(rec.reported, pid) || has(rec.reported, pid + "-rollback")
          || st.fetching.count(pid) > 0)
        continue;
      st.fetching.insert(pid);
      self->request(st.opts.pipelines, std::chrono::seconds(10), atom::get_v,
                    atom::pipeline_v, pid)
          .then(
              [self, pid](const pipeline_run& run) {
                self->state.fetching.erase(pid);
                report(self, run);
              },
              [self, pid](const caf::error&) { self->state.fetching.erase(pid); });
    }
    if (rec.lifecycle == "removed" && !rec.delete_sent) {
      rec.delete_sent = true;
      save(self, rec);
      emit(self, "IntentDeleteEvent", "intent", tmf::intent_json(rec));
    }
  }
}

void load(tmf_ptr self) {
  auto& st = self->state;
  auto loaded = [self] {
    if (++self->state.loaded == 3)
      self->send(self, atom::tick_v);
  };
  auto failed = [loaded](const char* what) {
    return [loaded, what](const caf::error& err) {
      log::error("TMF921 table not read", {{"table", what}, {"error", render(err)}});
      loaded();
    };
  };
  self->request(st.opts.intents_table, caf::infinite, atom::all_v)
      .then(
          [self, loaded](const record_list& l) {
            auto& st = self->state;
            for (size_t i = 0; i < l.keys.size(); ++i) {
              tmf::intent_record r;
              if (!tmf::from_json(l.values[i], r)) {
                log::error("unreadable TMF921 intent record kept aside",
                           {{"intent_id", l.keys[i]}});
                continue;
              }
              st.order.push_back(r.id);
              st.intents[r.id] = std::move(r);
            }
            loaded();
          },
          failed("tmf_intents"));
  self->request(st.opts.reports_table, caf::infinite, atom::all_v)
      .then(
          [self, loaded](const record_list& l) {
            auto& st = self->state;
            for (size_t i = 0; i < l.keys.size(); ++i) {
              simdjson::dom::parser p;
              std::string_view intent_id;
              if (p.parse(l.values[i])["intent"]["id"].get_string().get(intent_id)) {
                log::error("unreadable TMF921 report kept aside",
                           {{"report", l.keys[i]}});
                continue;
              }
              st.reports[l.keys[i]] = l.values[i];
              st.reports_of[std::string{intent_id}].push_back(l.keys[i]);
            }
            loaded();
          },
          failed("tmf_reports"));
  self->request(st.opts.hub_table, caf::infinite, atom::all_v)
      .then(
          [self, loaded](const record_list& l) {
            auto& st = self->state;
            for (size_t i = 0; i < l.keys.size(); ++i) {
              tmf::hub_body h;
              simdjson::dom::parser p;
              std::string_view cb;
              std::string_view q;
              auto doc = p.parse(l.values[i]);
              if (doc["callback"].get_string().get(cb)
                  || doc["query"].get_string().get(q)) {
                log::error("unreadable TMF921 subscription kept aside",
                           {{"hub", l.keys[i]}});
                continue;
              }
              json::writer w;
              w.begin_object().kv("callback", cb).kv("query", q).end_object();
              if (tmf::read_hub(w.str(), h)) {
                log::error("TMF921 subscription no longer valid", {{"hub", l.keys[i]}});
                continue;
              }
              auto& sub = st.subs[l.keys[i]];
              sub.id = l.keys[i];
              sub.callback = h.callback;
              sub.query = h.query;
              sub.types = h.event_types;
            }
            loaded();
          },
          failed("tmf_hub"));
}

} // namespace o2hub::tmf_steps
