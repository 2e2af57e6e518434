#include "actors/agent_hub.hpp"

#include "actors/edge_access.hpp"
#include "actors/edge_prober.hpp"
#include "common/log.hpp"
#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <random>

namespace o2hub {

namespace {

using hub_self = agent_hub_actor::stateful_pointer<agent_hub_state>;
using site_entry = agent_hub_state::site_entry;

// Limits on what an agent may send (a peer is authenticated, not trusted).
constexpr size_t max_short_field = 128;
constexpr size_t max_certificate = 16 * 1024;
constexpr size_t max_capabilities = 16;

std::string random_nonce() {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 4; ++i) {
    auto v = gen();
    for (int j = 0; j < 16; ++j, v >>= 4)
      out += hex[v & 0xf];
  }
  return out;
}

caf::error refused(std::string why) {
  return caf::make_error(ec::unauthorized, std::move(why));
}

std::string describe(const std::string& site, const agent_hub_state::agent_link& a) {
  return "agent of " + site + " (o2hub " + a.version + ", instance " + a.instance + ")";
}

void publish(hub_self self, const std::string& site, probe_report report,
             const std::string& version) {
  report.via = "agent";
  report.agent_version = version;
  caf::anon_send(self->state.opts.monitor, atom::edge_v, site, std::move(report));
}

/// The site's agent is gone: the site is unreachable now (the report says
/// why); a `preferred` site is probed from here again.
void lose(hub_self self, const std::string& site, const std::string& why) {
  auto& st = self->state;
  auto& e = st.sites[site];
  if (!e.agent || e.agent->session == 0)
    return;
  auto& a = *e.agent;
  e.lost = describe(site, a) + " lost: " + why;
  log::warn("edge agent lost",
            {{"site", site}, {"instance", a.instance}, {"reason", why}});
  st.sessions.erase(a.session);
  self->demonitor(a.handle.address());
  auto version = a.version;
  e.agent.reset();
  probe_report r;
  r.status = "unreachable";
  r.checks.push_back({"agent", "down", 0, 0, e.lost});
  publish(self, site, std::move(r), version);
  if (e.prober)
    self->send(e.prober, atom::pause_v, false);
}

site_entry* joined_site(hub_self self, uint64_t session, std::string* name = nullptr) {
  auto& st = self->state;
  auto i = st.sessions.find(session);
  if (i == st.sessions.end())
    return nullptr;
  auto& e = st.sites[i->second];
  if (!e.agent || e.agent->session != session)
    return nullptr;
  if (name)
    *name = i->second;
  return &e;
}

caf::result<std::string> hello(hub_self self, agent_hello& h) {
  auto& st = self->state;
  if (h.protocol != node_protocol_version)
    return refused("node protocol " + std::to_string(h.protocol) + " is not this hub's ("
                   + std::to_string(node_protocol_version) + "); upgrade o2hub");
  if (h.site.size() > max_short_field || h.version.size() > max_short_field
      || h.instance.empty() || h.instance.size() > max_short_field
      || h.certificate.size() > max_certificate
      || h.capabilities.size() > max_capabilities)
    return caf::make_error(ec::invalid_argument, "hello out of limits");
  auto site = find_site(*st.opts.cfg, h.site);
  if (!site)
    return caf::make_error(ec::unknown_entity, "unknown site '" + h.site + "'");
  auto& e = st.sites[site->name];
  if (e.mode == "off")
    return refused("agents are off for " + site->name);
  if (st.opts.verify && h.certificate.empty())
    return refused("a certificate is required");
  // The joined agent (if any) keeps serving until this one has joined.
  agent_hub_state::agent_link pending;
  pending.instance = h.instance;
  pending.version = h.version;
  pending.certificate = std::move(h.certificate);
  pending.nonce = st.opts.nonce ? st.opts.nonce() : random_nonce();
  auto nonce = pending.nonce;
  e.pending = std::move(pending);
  return nonce;
}

caf::result<agent_welcome> join(hub_self self, const std::string& instance,
                                const std::string& signature) {
  auto& st = self->state;
  std::string name;
  site_entry* e = nullptr;
  for (auto& [n, s] : st.sites)
    if (s.pending && s.pending->instance == instance) {
      name = n;
      e = &s;
      break;
    }
  if (!e)
    return refused("say hello first");
  // The nonce is good for one join, accepted or not.
  auto next = std::move(*e->pending);
  e->pending.reset();
  if (st.opts.verify) {
    auto why = st.opts.verify(next.certificate, name, next.nonce, signature);
    if (!why.empty()) {
      log::warn("edge agent refused", {{"site", name}, {"reason", why}});
      return refused(why);
    }
  }
  auto handle = caf::actor_cast<edge_agent_actor>(self->current_sender());
  if (!handle)
    return refused("no agent actor to talk to");
  if (e->agent && e->agent->session != 0) {
    // A reconnect of the same agent, or another one replacing it.
    if (e->agent->instance != next.instance)
      log::info("edge agent replacing another", {{"site", name},
                                                 {"old_instance", e->agent->instance},
                                                 {"instance", next.instance}});
    st.sessions.erase(e->agent->session);
    if (e->agent->handle != handle)
      self->demonitor(e->agent->handle.address());
  }
  e->agent = std::move(next);
  auto& a = *e->agent;
  a.nonce.clear();
  a.session = st.next_session++;
  a.handle = handle;
  a.last_beat = self->clock().now();
  self->monitor(handle);
  st.sessions[a.session] = name;
  e->lost.clear();
  if (e->prober)
    self->send(e->prober, atom::pause_v, true);
  log::info("edge agent registered", {{"site", name},
                                      {"version", a.version},
                                      {"instance", a.instance},
                                      {"session", std::to_string(a.session)}});
  // What the agent said last still holds until it says otherwise.
  if (e->agent_report)
    publish(self, name, *e->agent_report, a.version);
  agent_welcome w;
  w.session = a.session;
  w.heartbeat_s = st.opts.heartbeat_s;
  w.applied_seq = st.applied[a.instance];
  w.site = name;
  return w;
}

caf::result<uint64_t> change(hub_self self, uint64_t session, agent_change& c) {
  auto& st = self->state;
  std::string name;
  auto e = joined_site(self, session, &name);
  if (!e)
    return refused("unknown session; register again");
  auto& a = *e->agent;
  a.last_beat = self->clock().now();
  auto& applied = st.applied[a.instance];
  if (c.seq <= applied) {
    ++st.changes_duplicate;
    log::debug("agent change already applied",
               {{"site", name}, {"seq", std::to_string(c.seq)}});
    return applied;
  }
  if (c.report.checks.size() > max_capabilities
      || c.report.status.size() > max_short_field)
    return caf::make_error(ec::invalid_argument, "report out of limits");
  applied = c.seq;
  ++st.changes_applied;
  log::info(
      "agent change applied",
      {{"site", name}, {"seq", std::to_string(c.seq)}, {"status", c.report.status}});
  e->agent_report = c.report;
  publish(self, name, std::move(c.report), a.version);
  return applied;
}

caf::result<edge_answer> query(hub_self self, const std::string& raw_site,
                               const edge_query& q) {
  auto& st = self->state;
  auto site = find_site(*st.opts.cfg, raw_site);
  if (!site)
    return unanswered(q, "unknown site '" + raw_site + "'");
  auto& e = st.sites[site->name];
  auto timeout = std::chrono::milliseconds(st.opts.cfg->pipeline.request_timeout_ms)
                 + std::chrono::seconds(2);
  if (e.agent && e.agent->session != 0) {
    auto rp = self->make_response_promise<edge_answer>();
    auto who = describe(site->name, *e.agent);
    self->request(e.agent->handle, timeout, atom::query_v, q)
        .then([rp](edge_answer& a) mutable { rp.deliver(std::move(a)); },
              [rp, q, who](const caf::error& err) mutable {
                rp.deliver(unanswered(q, who + " did not answer: " + render(err)));
              });
    return rp;
  }
  if (e.mode == "required")
    return unanswered(q, e.lost.empty() ? "no agent connected for " + site->name
                                              + " (agent: required)"
                                        : e.lost);
  auto lost = e.lost;
  auto rp = self->make_response_promise<edge_answer>();
  ask_directly(self, st.opts.http, *site, q, st.opts.cfg->pipeline.request_timeout_ms,
               [rp, lost](edge_answer a) mutable {
                 // A failure after a lost agent names the agent.
                 if (!lost.empty() && a.status != 200) {
                   if (a.value.rfind("error: ", 0) == 0)
                     a.value = "error: " + lost + "; directly: " + a.value.substr(7);
                   else
                     a.message = lost + "; directly: " + a.message;
                 }
                 rp.deliver(std::move(a));
               });
  return rp;
}

void tick(hub_self self) {
  auto& st = self->state;
  auto interval = std::chrono::seconds(st.opts.heartbeat_s);
  // Looked at four times per heartbeat: a silent agent is found at most a
  // quarter of a heartbeat after its third missed one (once per heartbeat,
  // up to a whole heartbeat later: on a loaded machine the cut edge of the
  // netns test then showed unreachable only after 6 s).
  self->delayed_send(self, std::chrono::duration_cast<caf::timespan>(interval) / 4,
                     atom::tick_v);
  if (!st.started) {
    st.started = true;
    for (auto& [name, e] : st.sites)
      if (e.prober)
        self->send(e.prober, atom::tick_v);
  }
  auto now = self->clock().now();
  std::vector<std::string> silent;
  for (auto& [name, e] : st.sites)
    if (e.agent && e.agent->session != 0 && now - e.agent->last_beat > 3 * interval)
      silent.push_back(name);
  for (auto& name : silent)
    lose(self, name,
         "no heartbeat for " + std::to_string(3 * st.opts.heartbeat_s) + " s");
}

} // namespace

agent_hub_actor::behavior_type
agent_hub(agent_hub_actor::stateful_pointer<agent_hub_state> self,
          agent_hub_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  for (const auto& s : st.opts.cfg->sites)
    st.sites[s.name].mode = s.agent.empty() ? "preferred" : s.agent;
  for (auto& popts : st.opts.probers) {
    auto i = st.sites.find(popts.site);
    if (i == st.sites.end() || i->second.mode == "required")
      continue;
    popts.sink = self;
    popts.http = st.opts.http;
    i->second.prober = self->spawn<caf::linked>(edge_prober, popts);
  }
  st.opts.probers.clear();
  self->set_down_handler([self](caf::down_msg& dm) {
    for (auto& [name, e] : self->state.sites)
      if (e.agent && e.agent->session != 0 && e.agent->handle.address() == dm.source) {
        lose(self, name, describe_down(dm.reason));
        return;
      }
  });
  return {
      [self](atom::hello, agent_hello& h) { return hello(self, h); },
      [self](atom::join, const std::string& instance, const std::string& signature) {
        return join(self, instance, signature);
      },
      [self](atom::heartbeat, uint64_t session) -> caf::result<atom::ok> {
        auto e = joined_site(self, session);
        if (!e)
          return refused("unknown session; register again");
        e->agent->last_beat = self->clock().now();
        return atom::ok_v;
      },
      [self](atom::edge, uint64_t session, agent_change& c) {
        return change(self, session, c);
      },
      [self](atom::start, intent& i, std::string& sentence) -> caf::result<pipeline_ref> {
        auto& p = self->state.opts.pipelines;
        if (!p || !*p)
          return caf::make_error(ec::unavailable, "this hub runs no pipelines");
        return self->delegate(*p, atom::start_v, std::move(i), std::move(sentence));
      },
      [self](atom::remove, std::string& id,
             std::string& reason) -> caf::result<pipeline_ref> {
        auto& p = self->state.opts.pipelines;
        if (!p || !*p)
          return caf::make_error(ec::unavailable, "this hub runs no pipelines");
        return self->delegate(*p, atom::remove_v, std::move(id), std::move(reason));
      },
      [self](atom::modify, intent& x, std::string& reason) -> caf::result<pipeline_ref> {
        auto& p = self->state.opts.pipelines;
        if (!p || !*p)
          return caf::make_error(ec::unavailable, "this hub runs no pipelines");
        return self->delegate(*p, atom::modify_v, std::move(x), std::move(reason));
      },
      [self](atom::get, atom::intents) -> caf::result<std::vector<intent_resource>> {
        auto& p = self->state.opts.pipelines;
        if (!p || !*p)
          return caf::make_error(ec::unavailable, "this hub runs no pipelines");
        return self->delegate(*p, atom::get_v, atom::intents_v);
      },
      [self](atom::get, atom::pipeline, std::string& id) -> caf::result<pipeline_run> {
        auto& p = self->state.opts.pipelines;
        if (!p || !*p)
          return caf::make_error(ec::unavailable, "this hub runs no pipelines");
        return self->delegate(*p, atom::get_v, atom::pipeline_v, std::move(id));
      },
      [self](atom::query, const std::string& site, const edge_query& q) {
        return query(self, site, q);
      },
      [self](atom::edge, const std::string& site, probe_report& r) {
        auto i = self->state.sites.find(site);
        if (i != self->state.sites.end() && i->second.agent
            && i->second.agent->session != 0)
          return; // an agent serves this site; a late direct report
        r.via = "probe";
        caf::anon_send(self->state.opts.monitor, atom::edge_v, site, std::move(r));
      },
      [self](atom::service, const std::string& name, probe_report& r) {
        caf::anon_send(self->state.opts.monitor, atom::service_v, name, std::move(r));
      },
      [self](atom::tick) { tick(self); },
  };
}

} // namespace o2hub
