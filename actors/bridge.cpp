#include "actors/bridge.hpp"

#include "common/log.hpp"
#include "protocol/bridge_json.hpp"
#include "protocol/wire.hpp"
#include "protocol/ws_sink.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <cstdio>

namespace o2hub {

namespace {

using bridge_self = bridge_actor::stateful_pointer<bridge_state>;

/// Pushes `raw` to the ready raw viewers, `plain` (unless empty) to the
/// others; drops viewers whose sink refused it. One that falls behind stops
/// getting the stream (never delaying the others) and is resynced later.
void broadcast(bridge_self self, const std::string& raw, const std::string& plain) {
  auto payload = std::make_shared<const std::string>(raw);
  std::shared_ptr<const std::string> plain_payload;
  if (!plain.empty())
    plain_payload = std::make_shared<const std::string>(plain);
  auto& st = self->state;
  auto& viewers = st.viewers;
  bool dropped = false;
  bool lagged = false;
  for (auto i = viewers.begin(); i != viewers.end();) {
    auto& v = i->second;
    if (v.ready && v.sink->queued_bytes() > st.opts.lag_bytes) {
      v.ready = false;
      v.lagging = true;
      lagged = true;
    }
    auto& p = v.raw ? payload : plain_payload;
    if (v.ready && p && !v.sink->push(p)) {
      i = viewers.erase(i);
      dropped = true;
    } else {
      ++i;
    }
  }
  if (dropped)
    bridge_report(self);
  if (lagged && !st.lag_timer) {
    st.lag_timer = true;
    self->delayed_send(self, std::chrono::milliseconds(100), atom::tick_v);
  }
}

/// Tells everybody, ready or not (session lost/restarted).
void tell_all(bridge_self self, const std::string& text) {
  auto payload = std::make_shared<const std::string>(text);
  for (auto& [id, v] : self->state.viewers)
    v.sink->push(payload);
}

} // namespace

bool bridge_send_tmux(bridge_self self, const std::string& command, uint64_t tag) {
  auto& st = self->state;
  if (!st.up || !st.opts.tmux)
    return false;
  self->send(st.opts.tmux, atom::command_v, command, tag);
  return true;
}

namespace {

/// Asks tmux to resume a pane it paused for us; a command tmux did not take
/// (flooded) is sent again shortly, or the pane would stay paused for good.
void resume_pane(bridge_self self, const std::string& pane) {
  auto& st = self->state;
  auto tag = st.next_tag++;
  st.continues.emplace(tag, pane);
  // Quoted: tmux's command parser reads a bare word starting with '%' as a
  // directive and answered "parse error", so a paused pane stayed paused.
  if (!bridge_send_tmux(self, "refresh-client -A '" + pane + ":continue'", tag))
    st.continues.erase(tag);
}

void query_pane(bridge_self self) {
  auto& st = self->state;
  st.pane_tag = st.next_tag++;
  bridge_send_tmux(self, "display-message -p -t " + st.opts.session + " \"#{pane_id}\"",
                   st.pane_tag);
}

} // namespace

void bridge_request_snapshot(bridge_self self, std::vector<uint64_t> ids) {
  auto& st = self->state;
  if (ids.empty() || !st.up || st.pane.empty())
    return;
  auto capture = st.next_tag++;
  auto cursor = st.next_tag++;
  if (!bridge_send_tmux(self, "capture-pane -p -e -J -t " + st.pane, capture)
      || !bridge_send_tmux(
          self, "display-message -p -t " + st.pane + " \"#{cursor_x},#{cursor_y}\"",
          cursor))
    return; // the link is going down; link(true) asks again
  st.captures[capture] = cursor;
  st.snapshots[cursor].viewers = std::move(ids);
}

namespace {

/// Resyncs lagging viewers whose queues drained; checks while any lags.
void check_lagging(bridge_self self) {
  auto& st = self->state;
  std::vector<uint64_t> ids;
  bool still = false;
  for (auto& [id, v] : st.viewers) {
    if (!v.lagging)
      continue;
    if (v.sink->queued_bytes() <= st.opts.resume_bytes) {
      v.lagging = false;
      ids.push_back(id);
      ++st.resyncs;
    } else {
      still = true;
    }
  }
  bridge_request_snapshot(self, std::move(ids));
  if (still) {
    st.lag_timer = true;
    self->delayed_send(self, std::chrono::milliseconds(100), atom::tick_v);
  } else {
    st.lag_timer = false;
  }
}

std::vector<uint64_t> waiting_viewers(bridge_self self) {
  std::vector<uint64_t> ids;
  for (auto& [id, v] : self->state.viewers)
    if (!v.ready)
      ids.push_back(id);
  return ids;
}

} // namespace

bridge_actor::behavior_type bridge(bridge_actor::stateful_pointer<bridge_state> self,
                                   bridge_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.matcher = std::make_unique<tmux::event_matcher>(st.opts.event_patterns.empty()
                                                         ? tmux::default_event_patterns()
                                                         : st.opts.event_patterns);
  st.budget_start = self->clock().now();
  st.budget_left = st.opts.event_lines_per_s;
  bridge_report(self);
  return {
      [self](atom::link, bool up) {
        auto& st = self->state;
        st.up = up;
        st.pane.clear();
        st.captures.clear();
        st.continues.clear();
        st.snapshots.clear();
        st.matcher->reset();
        st.utf8_carry.clear();
        for (auto& [id, v] : st.viewers)
          v.ready = false;
        if (up) {
          if (st.ever_up) {
            ++st.restarts;
            tell_all(self, wire::bridge_event_json("warning", "tmux session restarted"));
          }
          st.ever_up = true;
          // A pane this client falls 2 s behind on is paused by tmux (its
          // output dropped for us); %pause then makes us resync everybody.
          bridge_send_tmux(self, "refresh-client -f pause-after=2", 0);
          query_pane(self);
        } else {
          tell_all(self,
                   wire::bridge_event_json("error", "tmux session lost; restarting"));
        }
        bridge_report(self);
      },
      [self](atom::output, const std::string& pane, const std::string& bytes) {
        auto& st = self->state;
        if (st.opts.backlog)
          --*st.opts.backlog;
        if (pane != st.pane || st.pane.empty())
          return;
        auto text = tmux::take_utf8(st.utf8_carry, bytes);
        if (!text.empty()) {
          auto lines = tmux::take_text_lines(st.text_carry, text);
          broadcast(self, wire::bridge_output_json(text, false),
                    lines.empty() ? lines : wire::bridge_output_json(lines, false));
        }
        auto now = self->clock().now();
        if (now - st.budget_start >= std::chrono::seconds(1)) {
          st.budget_start = now;
          st.budget_left = st.opts.event_lines_per_s;
        }
        auto before = st.matcher->skipped();
        auto found = st.matcher->feed(bytes, st.budget_left);
        auto lines = std::count(bytes.begin(), bytes.end(), '\n');
        auto used = static_cast<size_t>(lines) - (st.matcher->skipped() - before);
        st.budget_left -= std::min(st.budget_left, used);
        for (auto& [event, match] : found) {
          auto ev = wire::bridge_event_json(event, match);
          broadcast(self, ev, ev);
        }
      },
      [self](atom::reply, uint64_t tag, bool ok, std::string& body) {
        auto& st = self->state;
        if (bridge_input_answer(self, tag, ok, body))
          return;
        if (tag == st.pane_tag) {
          st.pane_tag = 0;
          while (!body.empty() && (body.back() == '\n' || body.back() == ' '))
            body.pop_back();
          if (!ok || body.empty() || body[0] != '%') {
            // Without the pane id no output is shown: ask again shortly.
            self->delayed_send(self, std::chrono::milliseconds(500), atom::notify_v,
                               std::string{"window-pane-changed"}, std::string{});
            return;
          }
          bool changed = body != st.pane;
          st.pane = body;
          st.utf8_carry.clear();
          st.matcher->reset();
          if (changed) {
            // A different pane is a different screen for everybody.
            for (auto& [id, v] : st.viewers)
              v.ready = false;
          }
          bridge_request_snapshot(self, waiting_viewers(self));
          bridge_report(self);
          return;
        }
        if (auto c = st.continues.find(tag); c != st.continues.end()) {
          auto pane = std::move(c->second);
          st.continues.erase(c);
          if (!ok)
            log::warn("tmux did not take the continue; trying again",
                      {{"pane", pane}, {"answer", body.substr(0, 200)}});
          if (!ok)
            self->delayed_send(self, std::chrono::milliseconds(200), atom::notify_v,
                               std::string{"o2hub-continue"}, std::move(pane));
          return;
        }
        if (auto i = st.captures.find(tag); i != st.captures.end()) {
          auto cursor = i->second;
          st.captures.erase(i);
          if (auto s = st.snapshots.find(cursor); s != st.snapshots.end())
            s->second.captured = ok ? std::move(body) : std::string{};
          return;
        }
        auto s = st.snapshots.find(tag);
        if (s == st.snapshots.end())
          return;
        auto snap = std::move(s->second);
        st.snapshots.erase(s);
        int x = 0;
        int y = 0;
        if (ok)
          std::sscanf(body.c_str(), "%d,%d", &x, &y);
        auto payload = std::make_shared<const std::string>(
            wire::bridge_output_json(tmux::snapshot_screen(snap.captured, x, y), true));
        auto plain = std::make_shared<const std::string>(
            wire::bridge_output_json(tmux::snapshot_text(snap.captured), true));
        for (auto id : snap.viewers) {
          auto v = st.viewers.find(id);
          if (v == st.viewers.end())
            continue;
          if (v->second.sink->push(v->second.raw ? payload : plain))
            v->second.ready = true;
          else
            st.viewers.erase(v);
        }
      },
      [self](atom::notify, const std::string& name, const std::string& text) {
        auto& st = self->state;
        if (!st.up)
          return;
        if (name == "pause") {
          // We fell behind and tmux dropped output: carry on from a fresh
          // screen for everybody.
          auto pane = text.substr(0, text.find(' '));
          log::info("tmux paused a pane for the bridge (it fell behind); resuming",
                    {{"pane", pane}});
          resume_pane(self, pane);
          if (pane == st.pane) {
            st.utf8_carry.clear();
            st.matcher->reset();
            std::vector<uint64_t> ids;
            for (auto& [id, v] : st.viewers) {
              v.ready = false;
              ids.push_back(id);
            }
            bridge_request_snapshot(self, std::move(ids));
          }
          return;
        }
        if (name == "o2hub-continue") // a continue tmux did not take, again
          return resume_pane(self, text);
        if (name == "window-pane-changed" || name == "session-window-changed"
            || name == "session-changed")
          query_pane(self);
      },
      [self](atom::join, ws_sink_ptr& sink) {
        auto& st = self->state;
        if (st.viewers.size() >= st.opts.max_viewers) {
          sink->close(close_code::try_again_later,
                      "too many viewers (at most " + std::to_string(st.opts.max_viewers)
                          + ")");
          return;
        }
        auto id = sink->id();
        sink->send(wire::bridge_connection_json(st.opts.session, to_string(sink->role()),
                                                st.up));
        st.viewers[id] = bridge_viewer{std::move(sink), false};
        bridge_request_snapshot(self, {id});
        bridge_report(self, true, id);
      },
      [self](atom::leave, uint64_t id) {
        if (self->state.viewers.erase(id) > 0)
          bridge_report(self, true);
      },
      [self](atom::input, uint64_t sink_id, const std::string& kind,
             const std::string& data) { bridge_input(self, sink_id, kind, data); },
      [self](atom::tick) {
        bridge_presence(self);
        check_lagging(self);
      },
      [self](atom::hello, uint64_t id, bool raw) {
        auto v = self->state.viewers.find(id);
        if (v == self->state.viewers.end() || v->second.raw == raw)
          return;
        v->second.raw = raw;
        v->second.ready = false; // its next screen is in the new form
        bridge_request_snapshot(self, {id});
      },
      [self](atom::resize, uint32_t cols, uint32_t rows) {
        auto& st = self->state;
        if (st.up)
          bridge_send_tmux(self,
                           "refresh-client -C " + std::to_string(cols) + "x"
                               + std::to_string(rows),
                           0);
      },
  };
}

} // namespace o2hub
