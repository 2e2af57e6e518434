#include "actors/edge_agent.hpp"

#include "actors/edge_access.hpp"
#include "common/log.hpp"
#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/node_id.hpp>
#include <caf/send.hpp>

#include <algorithm>

namespace o2hub {

namespace {

using agent_self = edge_agent_actor::stateful_pointer<edge_agent_state>;

constexpr int max_backoff_s = 30;
constexpr uint64_t problem_reminder_every = 10;

/// Starts a new timer generation and schedules its tick.
void schedule(agent_self self, std::chrono::seconds after) {
  auto& st = self->state;
  self->delayed_send(self, after, atom::tick_v, ++st.timer);
}

/// Logs a problem of the link once, and while the same problem goes on, again
/// every tenth attempt (every five minutes once the backoff is at 30 s), with
/// how many attempts it has failed: a link that fails the same way for hours
/// must not fall silent after its first line.
void problem(agent_self self, const std::string& what, const std::string& why) {
  auto& st = self->state;
  auto text = what + ": " + why;
  if (text == st.last_problem) {
    if (++st.problem_repeats % problem_reminder_every != 0)
      return;
  } else {
    st.last_problem = text;
    st.problem_repeats = 0;
  }
  auto hub = st.opts.hub_host + ":" + std::to_string(st.opts.hub_port);
  auto retry_in = std::to_string(st.backoff_s);
  if (st.problem_repeats == 0) {
    log::warn(what, {{"site", st.opts.site.name},
                     {"hub", hub},
                     {"reason", why},
                     {"retry_in_s", retry_in}});
    return;
  }
  auto attempts = std::to_string(st.problem_repeats + 1);
  log::warn(what + " (still)", {{"site", st.opts.site.name},
                                {"hub", hub},
                                {"reason", why},
                                {"failed_attempts", attempts},
                                {"retry_in_s", retry_in}});
}

/// The link failed: try again after the backoff, which doubles up to 30 s.
void retry(agent_self self, const std::string& what, const std::string& why) {
  auto& st = self->state;
  st.phase = "idle";
  st.session = 0;
  problem(self, what, why);
  schedule(self, std::chrono::seconds(st.backoff_s));
  st.backoff_s = std::min(st.backoff_s * 2, max_backoff_s);
}

void send_change(agent_self self, agent_change c) {
  auto& st = self->state;
  self->request(st.hub, st.opts.request_timeout, atom::edge_v, st.session, c)
      .then(
          [](uint64_t) {
            // Applied; the change stays as the key's latest for a hub that
            // restarts and forgets it.
          },
          [self](const caf::error& err) {
            // Kept for the replay; a refused session means: join again.
            if (err.category() == caf::atom("o2hub")
                && static_cast<ec>(err.code()) == ec::unauthorized
                && self->state.phase == "joined")
              retry(self, "hub forgot this agent", error_detail(err));
          });
}

void joined(agent_self self, const agent_welcome& w) {
  auto& st = self->state;
  st.phase = "joined";
  st.session = w.session;
  st.heartbeat_s = std::max<uint32_t>(1, w.heartbeat_s);
  st.backoff_s = 1;
  st.last_problem.clear();
  st.problem_repeats = 0;
  ++st.joins;
  log::info("joined the hub", {{"site", w.site},
                               {"session", std::to_string(w.session)},
                               {"hub_applied", std::to_string(w.applied_seq)}});
  // Replay what the hub has not applied yet, oldest first.
  std::vector<std::pair<std::string, agent_change>> replay;
  for (auto& [key, c] : st.latest)
    if (c.seq > w.applied_seq)
      replay.emplace_back(key, c);
  std::sort(replay.begin(), replay.end(),
            [](auto& x, auto& y) { return x.second.seq < y.second.seq; });
  for (auto& [key, c] : replay)
    send_change(self, c);
  schedule(self, std::chrono::seconds(st.heartbeat_s));
}

void say_hello(agent_self self) {
  auto& st = self->state;
  agent_hello h;
  h.site = st.opts.site.name;
  h.version = st.opts.version;
  h.capabilities = {"probe", "o2ims", "promql"};
  h.instance = st.opts.instance;
  h.certificate = st.opts.certificate;
  self->request(st.hub, st.opts.request_timeout, atom::hello_v, std::move(h))
      .then(
          [self](const std::string& nonce) {
            auto& st = self->state;
            std::string signature;
            if (st.opts.sign) {
              signature = st.opts.sign(nonce);
              if (signature.empty())
                return retry(self, "cannot sign the hub's nonce",
                             "check the key file of nodes.tls");
            }
            self->request(st.hub, st.opts.request_timeout, atom::join_v, st.opts.instance,
                          signature)
                .then([self](const agent_welcome& w) { joined(self, w); },
                      [self](const caf::error& err) {
                        retry(self, "hub refused this agent", error_detail(err));
                      });
          },
          [self](const caf::error& err) {
            retry(self, "hub refused this agent", error_detail(err));
          });
}

void connect(agent_self self) {
  auto& st = self->state;
  st.phase = "connecting";
  if (st.hub)
    return say_hello(self); // the connection is still there
  self->request(st.opts.connector, st.opts.request_timeout, caf::connect_atom::value,
                st.opts.hub_host, st.opts.hub_port)
      .then(
          [self](const caf::node_id&, caf::strong_actor_ptr& ptr,
                 const std::set<std::string>& ifs) {
            auto& st = self->state;
            if (!ptr)
              return retry(self, "cannot reach the hub", "no actor published there");
            if (!st.opts.hub_interface.empty() && ifs != st.opts.hub_interface)
              return retry(self, "cannot use the hub",
                           "it publishes another interface (another o2hub version?)");
            st.hub = caf::actor_cast<hub_node_actor>(std::move(ptr));
            self->monitor(st.hub);
            say_hello(self);
          },
          [self](const caf::error& err) {
            retry(self, "cannot reach the hub", describe_connect_error(err));
          });
}

void tick(agent_self self, uint64_t timer) {
  auto& st = self->state;
  if (timer != st.timer)
    return; // an older phase's timer
  if (st.phase == "idle")
    return connect(self);
  if (st.phase != "joined")
    return;
  schedule(self, std::chrono::seconds(st.heartbeat_s));
  auto session = st.session;
  self->request(st.hub, std::chrono::seconds(2 * st.heartbeat_s), atom::heartbeat_v,
                session)
      .then([](atom::ok) {},
            [self, session](const caf::error& err) {
              if (self->state.phase == "joined" && self->state.session == session)
                retry(self, "lost the hub", render(err));
            });
}

} // namespace

edge_agent_actor::behavior_type
edge_agent(edge_agent_actor::stateful_pointer<edge_agent_state> self,
           edge_agent_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  auto popts = st.opts.prober;
  popts.sink = self;
  popts.http = st.opts.http;
  st.prober = self->spawn<caf::linked>(edge_prober, std::move(popts));
  self->send(st.prober, atom::tick_v);
  self->send(self, atom::tick_v, st.timer);
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (dm.source != st.hub.address())
      return;
    self->demonitor(st.hub.address());
    st.hub = nullptr;
    // Any timer of the joined phase is void now.
    ++st.timer;
    retry(self, "lost the hub", describe_down(dm.reason));
  });
  return {
      [self](atom::query, const edge_query& q) -> caf::result<edge_answer> {
        auto& st = self->state;
        auto rp = self->make_response_promise<edge_answer>();
        ask_directly(self, st.opts.http, st.opts.site, q, st.opts.request_timeout_ms,
                     [rp](edge_answer a) mutable { rp.deliver(std::move(a)); });
        return rp;
      },
      [self](atom::edge, const std::string& site, probe_report& r) {
        auto& st = self->state;
        agent_change c{++st.seq, std::move(r)};
        if (st.latest.size() >= st.opts.buffer_limit && !st.latest.count(site)) {
          auto oldest =
              std::min_element(st.latest.begin(), st.latest.end(), [](auto& x, auto& y) {
                return x.second.seq < y.second.seq;
              });
          st.latest.erase(oldest);
        }
        st.latest[site] = c;
        log::info("site status", {{"site", site},
                                  {"status", c.report.status},
                                  {"seq", std::to_string(c.seq)}});
        if (st.phase == "joined")
          send_change(self, std::move(c));
      },
      [](atom::service, const std::string&, const probe_report&) {
        // An agent probes only its site.
      },
      [self](atom::tick, uint64_t timer) { tick(self, timer); },
  };
}

} // namespace o2hub
