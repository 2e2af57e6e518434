#include "actors/tmf/tmf_intents.hpp"

#include "actors/intent_changes.hpp"
#include "actors/tmf/read.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>

namespace o2hub {

using namespace tmf_steps;

namespace {

using str_promise = caf::typed_response_promise<std::string>;

caf::error refused(const tmf::refusal& r) {
  return caf::error{r.status == 422 ? ec::not_an_intent : ec::invalid_argument,
                    r.message};
}

/// The requirements a modify compares.
bool same_requirements(const intent& a, const intent& b) {
  return a.intent_type == b.intent_type && a.target_sites == b.target_sites
         && a.bandwidth_mbps == b.bandwidth_mbps && a.uplink_mbps == b.uplink_mbps
         && a.latency_ms == b.latency_ms && a.reliability_pct == b.reliability_pct
         && a.device_count == b.device_count;
}

/// Stores a record, then tells the subscribers (one or two events) and
/// answers with its Intent.
void commit(tmf_ptr self, str_promise rp, tmf::intent_record rec, const char* event,
            const char* second = nullptr) {
  auto body = tmf::intent_json(rec);
  self->request(self->state.opts.intents_table, caf::infinite, atom::put_v, rec.id,
                tmf::to_json(rec))
      .then(
          [self, rp, body, event, second](atom::ok) mutable {
            emit(self, event, "intent", body);
            if (second)
              emit(self, second, "intent", body);
            rp.deliver(body);
          },
          [rp](const caf::error& err) mutable { rp.deliver(err); });
}

/// The intent a body states: by NLU of its sentence (a dry run of the
/// intent service), else its stated requirements.
void understand(tmf_ptr self, const tmf::intent_body& b,
                std::function<void(caf::expected<intent>)> then) {
  if (b.form != "sentence") {
    std::vector<std::string> defaulted;
    auto x = tmf::stated_intent(b, defaulted);
    return then(std::move(x));
  }
  intent_request req;
  req.text = b.sentence;
  req.dry_run = true;
  self->request(self->state.opts.intent, std::chrono::seconds(150), atom::process_v, req)
      .then(
          [then](intent_response& res) {
            if (res.value.action != "deploy")
              return then(caf::make_error(
                  ec::invalid_argument, "the sentence asks to " + res.value.action
                                            + " an intent: PATCH or DELETE that intent"));
            then(std::move(res.value));
          },
          [then](const caf::error& err) { then(err); });
}

caf::result<std::string> create(tmf_ptr self, const std::string& body) {
  auto b = std::make_shared<tmf::intent_body>();
  if (auto no = tmf::read_intent(body, *b))
    return refused(no);
  auto rp = self->make_response_promise<std::string>();
  ++self->state.creating;
  auto fail = [self, rp](const caf::error& err) mutable {
    --self->state.creating;
    rp.deliver(err);
  };
  understand(self, *b, [self, rp, b, fail](caf::expected<intent> x) mutable {
    if (!x)
      return fail(x.error());
    if (x->description.empty())
      x->description = b->description.empty() ? b->sentence : b->description;
    self->request(self->state.opts.intent, std::chrono::seconds(30), atom::process_v,
                  std::move(*x))
        .then(
            [self, rp, b, fail](intent_response& res) mutable {
              const auto& p = res.metadata.pipeline;
              if (p.status != "started")
                return fail(caf::make_error(
                    ec::unavailable, "the deployment did not start: "
                                         + (p.error.empty() ? "no pipelines" : p.error)));
              auto& st = self->state;
              --st.creating;
              tmf::intent_record rec;
              rec.id = res.value.intent_id;
              rec.name = b->name;
              rec.doc = b->doc;
              rec.form = b->form;
              rec.creation_date = now(self);
              rec.last_update = rec.creation_date;
              rec.status_change_date = rec.creation_date;
              rec.value = res.value;
              if (!st.intents.count(rec.id))
                st.order.push_back(rec.id);
              st.intents[rec.id] = rec;
              commit(self, rp, std::move(rec), "IntentCreateEvent");
            },
            fail);
  });
  return rp;
}

caf::result<std::string> patch(tmf_ptr self, const std::string& id,
                               const std::string& body) {
  auto& st = self->state;
  auto i = st.intents.find(id);
  if (i == st.intents.end())
    return caf::error{ec::unknown_entity, "no intent " + id};
  auto merged = std::make_shared<std::string>();
  if (auto no = tmf::merge_patch(i->second.doc, body, *merged))
    return refused(no);
  auto b = std::make_shared<tmf::intent_body>();
  if (auto no = tmf::read_intent(*merged, *b))
    return refused(no);
  tmf::intent_body before;
  bool restated = tmf::read_intent(i->second.doc, before)
                  || tmf::statement_of(before) != tmf::statement_of(*b);
  auto rp = self->make_response_promise<std::string>();
  if (!restated) { // name, priority, context...: no new deployment
    auto rec = i->second;
    rec.doc = b->doc;
    rec.name = b->name;
    rec.last_update = now(self);
    st.intents[id] = rec;
    commit(self, rp, std::move(rec), "IntentAttributeValueChangeEvent");
    return rp;
  }
  understand(self, *b, [self, rp, id, b](caf::expected<intent> x) mutable {
    auto& st = self->state;
    auto i = st.intents.find(id);
    if (!x || i == st.intents.end())
      return void(
          rp.deliver(x ? caf::error{ec::unknown_entity, "no intent " + id} : x.error()));
    auto rec = i->second;
    rec.doc = b->doc;
    rec.name = b->name;
    rec.last_update = now(self);
    if (same_requirements(*x, rec.value)) {
      st.intents[id] = rec;
      return commit(self, rp, std::move(rec), "IntentAttributeValueChangeEvent");
    }
    intent changed = rec.value;
    changed.intent_type = x->intent_type;
    changed.target_sites = x->target_sites;
    changed.bandwidth_mbps = x->bandwidth_mbps;
    changed.uplink_mbps = x->uplink_mbps;
    changed.latency_ms = x->latency_ms;
    changed.reliability_pct = x->reliability_pct;
    changed.availability_pct = x->availability_pct;
    changed.device_count = x->device_count;
    changed.sst = x->sst;
    changed.five_qi = x->five_qi;
    if (!b->description.empty())
      changed.description = b->description;
    if (auto err = check_stated(changed, st.opts.checks))
      return void(rp.deliver(err));
    rec.form = b->form;
    self->request(st.opts.pipelines, std::chrono::seconds(15), atom::modify_v, changed,
                  std::string{"TMF921 PATCH"})
        .then(
            [self, rp, rec](const pipeline_ref&) mutable {
              ++rec.version;
              rec.lifecycle = "inProgress";
              rec.status_change_date = rec.last_update;
              self->state.intents[rec.id] = rec;
              commit(self, rp, std::move(rec), "IntentAttributeValueChangeEvent",
                     "IntentStatusChangeEvent");
            },
            [rp](const caf::error& err) mutable { rp.deliver(err); });
  });
  return rp;
}

caf::result<std::string> remove(tmf_ptr self, const std::string& id) {
  auto& st = self->state;
  if (!st.intents.count(id))
    return caf::error{ec::unknown_entity, "no intent " + id};
  auto rp = self->make_response_promise<std::string>();
  self->request(st.opts.pipelines, std::chrono::seconds(15), atom::remove_v, id,
                std::string{"deleted through TMF921"})
      .then(
          [self, rp, id](const pipeline_ref&) mutable {
            auto& st = self->state;
            auto i = st.intents.find(id);
            if (i == st.intents.end())
              return void(rp.deliver(caf::error{ec::unknown_entity, "no intent " + id}));
            i->second.lifecycle = "removing";
            i->second.last_update = now(self);
            i->second.status_change_date = i->second.last_update;
            commit(self, rp, i->second, "IntentStatusChangeEvent");
          },
          [rp](const caf::error& err) mutable { rp.deliver(err); });
  return rp;
}

std::tuple<std::string, uint64_t, uint64_t>
list(tmf_ptr self, const std::string& lifecycle, const std::string& name,
     const std::string& fields, uint64_t offset, uint64_t limit) {
  auto& st = self->state;
  json::writer w;
  w.begin_array();
  uint64_t total = 0;
  uint64_t shown = 0;
  for (auto i = st.order.rbegin(); i != st.order.rend(); ++i) {
    const auto& rec = st.intents.at(*i);
    if ((!lifecycle.empty() && rec.lifecycle != lifecycle)
        || (!name.empty() && rec.name != name))
      continue;
    if (total++ < offset || shown >= limit)
      continue;
    ++shown;
    w.raw(tmf::intent_json(rec, fields));
  }
  w.end_array();
  return {w.take(), total, shown};
}

caf::result<std::string> subscribe(tmf_ptr self, const std::string& body) {
  tmf::hub_body h;
  if (auto no = tmf::read_hub(body, h))
    return refused(no);
  auto& st = self->state;
  if (st.subs.size() >= 100)
    return caf::error{ec::conflict, "at most 100 subscriptions"};
  auto id = "hub-"
            + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 st.opts.now().time_since_epoch())
                                 .count())
            + "-" + std::to_string(++st.next_hub);
  json::writer w;
  w.begin_object().kv("callback", h.callback).kv("query", h.query).end_object();
  auto rp = self->make_response_promise<std::string>();
  self->request(st.opts.hub_table, caf::infinite, atom::put_v, id, w.take())
      .then(
          [self, rp, id, h](atom::ok) mutable {
            auto& sub = self->state.subs[id];
            sub.id = id;
            sub.callback = h.callback;
            sub.query = h.query;
            sub.types = h.event_types;
            log::info("TMF921 subscription added", {{"hub", id}});
            rp.deliver(tmf::hub_json(id, h.callback, h.query));
          },
          [rp](const caf::error& err) mutable { rp.deliver(err); });
  return rp;
}

} // namespace

tmf_actor::behavior_type tmf_intents(tmf_ptr self, tmf_options opts) {
  self->state.opts = std::move(opts);
  // Event numbers stay increasing across restarts.
  self->state.next_event =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                self->state.opts.now().time_since_epoch())
                                .count());
  load(self);
  auto ready = [self]() -> caf::error {
    if (self->state.loaded < 3)
      return caf::error{ec::unavailable, "the TMF921 store is still being read"};
    return {};
  };
  return {
      [self, ready](atom::start, const std::string& body) -> caf::result<std::string> {
        if (auto err = ready())
          return err;
        return create(self, body);
      },
      [self](atom::get, atom::intents, const std::string& lifecycle,
             const std::string& name, const std::string& fields, uint64_t offset,
             uint64_t limit) -> caf::result<std::string, uint64_t, uint64_t> {
        auto [body, total, shown] = list(self, lifecycle, name, fields, offset, limit);
        return caf::result<std::string, uint64_t, uint64_t>{body, total, shown};
      },
      [self](atom::get, atom::intents, const std::string& id,
             const std::string& fields) -> caf::result<std::string> {
        auto i = self->state.intents.find(id);
        if (i == self->state.intents.end())
          return caf::error{ec::unknown_entity, "no intent " + id};
        return tmf::intent_json(i->second, fields);
      },
      [self, ready](atom::modify, const std::string& id,
                    const std::string& body) -> caf::result<std::string> {
        if (auto err = ready())
          return err;
        return patch(self, id, body);
      },
      [self, ready](atom::remove, const std::string& id) -> caf::result<std::string> {
        if (auto err = ready())
          return err;
        return remove(self, id);
      },
      [self](atom::get, atom::report, const std::string& id) -> caf::result<std::string> {
        auto& st = self->state;
        if (!st.intents.count(id))
          return caf::error{ec::unknown_entity, "no intent " + id};
        json::writer w;
        w.begin_array();
        for (const auto& rid : st.reports_of[id])
          w.raw(st.reports.at(rid));
        w.end_array();
        return w.take();
      },
      [self](atom::get, atom::report, const std::string& id,
             const std::string& rid) -> caf::result<std::string> {
        auto& st = self->state;
        auto& mine = st.reports_of[id];
        if (std::find(mine.begin(), mine.end(), rid) == mine.end())
          return caf::error{ec::unknown_entity, "no report " + rid + " of intent " + id};
        return st.reports.at(rid);
      },
      [self, ready](atom::subscribe,
                    const std::string& body) -> caf::result<std::string> {
        if (auto err = ready())
          return err;
        return subscribe(self, body);
      },
      [self](atom::erase, const std::string& id) -> caf::result<atom::ok> {
        auto& st = self->state;
        if (!st.subs.erase(id))
          return caf::error{ec::unknown_entity, "no subscription " + id};
        log::info("TMF921 subscription removed", {{"hub", id}});
        auto rp = self->make_response_promise<atom::ok>();
        self->request(st.opts.hub_table, caf::infinite, atom::erase_v, id)
            .then([rp](atom::ok) mutable { rp.deliver(atom::ok_v); },
                  [rp](const caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [self](atom::tick) {
        auto& st = self->state;
        self->delayed_send(self, st.opts.poll, atom::tick_v);
        if (st.polling)
          return;
        st.polling = true;
        self->request(st.opts.pipelines, std::chrono::seconds(10), atom::get_v,
                      atom::intents_v)
            .then(
                [self](const std::vector<intent_resource>& all) {
                  self->state.polling = false;
                  reconcile(self, all);
                },
                [self](const caf::error&) { self->state.polling = false; });
      },
      [self](atom::notify, const std::string& id) { pump(self, id); },
  };
}

} // namespace o2hub
