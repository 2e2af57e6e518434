#include "actors/bridge.hpp"
#include "protocol/bridge_json.hpp"
#include "protocol/ws_sink.hpp"

#include <caf/event_based_actor.hpp>

#include <chrono>

namespace o2hub {

namespace {

std::string presence_json(const bridge_state& st) {
  size_t operators = 0;
  for (auto& [id, v] : st.viewers)
    operators += v.sink->role() == role::operator_ ? 1 : 0;
  return wire::bridge_presence_json(st.viewers.size(), operators);
}

} // namespace

void bridge_presence(bridge_actor::stateful_pointer<bridge_state> self) {
  auto& st = self->state;
  if (!st.presence_dirty)
    return;
  st.presence_dirty = false;
  auto text = std::make_shared<const std::string>(presence_json(st));
  // Only to viewers that keep up: one that lags gets a resync, not more.
  for (auto& [id, v] : st.viewers)
    if (v.ready && !v.lagging)
      v.sink->push(text);
}

void bridge_report(bridge_actor::stateful_pointer<bridge_state> self, bool presence,
                   uint64_t newcomer) {
  auto& st = self->state;
  if (presence) {
    // Coalesced: at most one `presence` to everyone per tick (viewers that
    // churn must not cost a broadcast each); a newcomer hears it at once.
    if (auto v = st.viewers.find(newcomer); v != st.viewers.end())
      v->second.sink->push(std::make_shared<const std::string>(presence_json(st)));
    st.presence_dirty = true;
    if (!st.lag_timer) {
      st.lag_timer = true;
      self->delayed_send(self, std::chrono::milliseconds(100), atom::tick_v);
    }
  }
  if (!st.opts.status)
    return;
  auto put = [&](health_field f) {
    self->send(st.opts.status, atom::put_v, std::move(f));
  };
  put(health_field::of("status",
                       std::string{st.up && !st.pane.empty() ? "healthy" : "degraded"}));
  put(health_field::of("session_active", st.up));
  put(health_field::of("tmux_session", st.opts.session));
  put(health_field::of("connected_clients", static_cast<int64_t>(st.viewers.size())));
  put(health_field::of("session_restarts", static_cast<int64_t>(st.restarts)));
  put(health_field::of("viewer_resyncs", static_cast<int64_t>(st.resyncs)));
}

} // namespace o2hub
