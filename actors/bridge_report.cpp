#include "actors/bridge.hpp"
#include "protocol/bridge_json.hpp"
#include "protocol/ws_sink.hpp"

#include <caf/event_based_actor.hpp>

namespace o2hub {

void bridge_report(bridge_actor::stateful_pointer<bridge_state> self, bool presence,
                   uint64_t newcomer) {
  auto& st = self->state;
  if (presence) {
    size_t operators = 0;
    for (auto& [id, v] : st.viewers)
      operators += v.sink->role() == role::operator_ ? 1 : 0;
    auto text = std::make_shared<const std::string>(
        wire::bridge_presence_json(st.viewers.size(), operators));
    // Only to viewers that keep up (and a newcomer, before its screen): one
    // that lags gets the stream's resync, not more queued text.
    for (auto& [id, v] : st.viewers)
      if ((v.ready && !v.lagging) || id == newcomer)
        v.sink->push(text);
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
