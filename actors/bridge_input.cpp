// The bridge's input path: what operators type becomes literal tmux commands
// (bytes as hex, keys from an allow-list), each tagged so that tmux's answer
// comes back; nothing typed is dropped without a word to the one who typed it.
#include "actors/bridge.hpp"
#include "common/log.hpp"
#include "protocol/wire.hpp"
#include "protocol/ws_sink.hpp"

#include <caf/event_based_actor.hpp>

namespace o2hub {

namespace {

using input_self = bridge_actor::stateful_pointer<bridge_state>;

void tell_viewer(input_self self, uint64_t sink_id, const char* code,
                 std::string message) {
  auto i = self->state.viewers.find(sink_id);
  if (i != self->state.viewers.end())
    i->second.sink->send(wire::ws_error_json(code, message));
}

bool send_input(input_self self, uint64_t sink_id, const std::string& command) {
  auto& st = self->state;
  auto tag = st.next_tag++;
  if (!bridge_send_tmux(self, command, tag))
    return false;
  st.inputs.emplace(tag, sink_id);
  return true;
}

} // namespace

void bridge_input(input_self self, uint64_t sink_id, const std::string& kind,
                  const std::string& data) {
  auto& st = self->state;
  if (!st.up || st.pane.empty()) {
    tell_viewer(self, sink_id, "session_unavailable",
                "the tmux session is not running right now; it is being restarted");
    return;
  }
  bool ok = true;
  if (kind == "command") {
    ok = send_input(self, sink_id, tmux::send_bytes_command(st.pane, data + "\r"));
  } else if (kind == "input") {
    ok = send_input(self, sink_id, tmux::send_bytes_command(st.pane, data));
  } else if (kind == "key") {
    auto key = tmux::allowed_key(data);
    if (!key) {
      tell_viewer(self, sink_id, "key_not_allowed",
                  "key '" + data + "' is not on the allowed list");
      return;
    }
    ok = send_input(self, sink_id, "send-keys -t " + st.pane + " " + *key);
  } else if (kind == "clear") {
    // Reset, then Ctrl-L: the console redraws its prompt and line.
    ok = send_input(self, sink_id, "send-keys -R -t " + st.pane + " C-l")
         && send_input(self, sink_id, "clear-history -t " + st.pane);
    st.matcher->reset();
    // Everybody's screen is redrawn from tmux's (now empty) one.
    std::vector<uint64_t> ids;
    for (auto& [id, v] : st.viewers)
      ids.push_back(id);
    bridge_request_snapshot(self, std::move(ids));
  }
  if (!ok)
    tell_viewer(self, sink_id, "session_unavailable",
                "the tmux session did not take the input");
}

bool bridge_input_answer(input_self self, uint64_t tag, bool ok, std::string& body) {
  auto& st = self->state;
  auto in = st.inputs.find(tag);
  if (in == st.inputs.end())
    return false;
  auto viewer = in->second;
  st.inputs.erase(in);
  if (ok)
    return true;
  while (!body.empty() && (body.back() == '\n' || body.back() == ' '))
    body.pop_back();
  body = body.substr(0, 200);
  // tmux's own words (never the input: it may hold a secret).
  log::warn("tmux did not take a viewer's input", {{"answer", body}});
  tell_viewer(self, viewer, "session_unavailable",
              "the tmux session did not take the input (" + body + "); type it again");
  return true;
}

} // namespace o2hub
