// The terminal bridge actor: the shared tmux session as its viewers see it.
// It tracks the session's pane, answers late joiners with a snapshot taken
// on the control channel (so it is ordered with the stream), fans output and
// events out to the viewers' bounded sinks, and turns operators' input into
// literal tmux commands. It never touches tmux or a socket itself: commands
// go out to the tmux actor, tmux's answers come in as messages.
#pragma once

#include "protocol/actors.hpp"
#include "protocol/tmux_control.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace o2hub {

struct bridge_options {
  std::string session = "claude-intent";
  size_t max_viewers = 64;
  /// Event category -> regex; empty: tmux::default_event_patterns().
  std::vector<std::pair<std::string, std::string>> event_patterns;
  /// The control connection: commands go out through it.
  tmux_actor tmux;
  /// Receives the bridge's /health fields; may be null (tests).
  status_actor status;
  /// Output messages sent by the tmux link and not yet handled: the link
  /// stops reading from tmux while it is high (then tmux's pause-after
  /// flow control takes over). May be null.
  std::shared_ptr<std::atomic<int>> backlog;
  /// Output lines matched for events per second; the rest are skipped.
  size_t event_lines_per_s = 2000;
  /// A viewer with more than this many bytes still unsent stops getting the
  /// stream; once below `resume_bytes` it is resynced from a fresh screen.
  size_t lag_bytes = 1024 * 1024;
  size_t resume_bytes = 64 * 1024;
};

struct bridge_viewer {
  std::shared_ptr<ws_sink> sink;
  /// Has its snapshot: gets the live stream.
  bool ready = false;
  /// Fell behind: skipped until its queue drains, then resynced.
  bool lagging = false;
  /// Gets the terminal's raw bytes (xterm); else plain text lines.
  bool raw = false;
};

struct bridge_snapshot {
  std::vector<uint64_t> viewers;
  std::string captured;
};

struct bridge_state {
  static inline const char* name = "bridge";

  bridge_options opts;
  bool up = false;
  bool ever_up = false;
  uint64_t restarts = 0;
  /// The pane shown ("%0"); empty until tmux told us.
  std::string pane;
  std::map<uint64_t, bridge_viewer> viewers;
  uint64_t next_tag = 1;
  uint64_t pane_tag = 0;
  /// capture-pane tag -> the cursor query's tag that completes it.
  std::map<uint64_t, uint64_t> captures;
  /// cursor query tag -> the snapshot it completes.
  std::map<uint64_t, bridge_snapshot> snapshots;
  /// `refresh-client -A <pane>:continue` tag -> pane: a paused pane stays
  /// paused until tmux took the command, so a refused one is sent again.
  std::map<uint64_t, std::string> continues;
  /// Typed input's command tag -> the viewer who typed it: a command tmux
  /// did not take (or that a lost connection left unanswered) is told to
  /// that viewer, never dropped without a word.
  std::map<uint64_t, uint64_t> inputs;
  std::unique_ptr<tmux::event_matcher> matcher;
  /// The unfinished line of the plain-text stream.
  std::string text_carry;
  /// Event-matching budget: lines left in the current second.
  caf::actor_clock::time_point budget_start;
  size_t budget_left = 0;
  bool lag_timer = false;
  /// Viewers came or went since the last `presence` message.
  bool presence_dirty = false;
  /// Viewers resynced after lagging (for /health and tests).
  uint64_t resyncs = 0;
  /// An unfinished UTF-8 sequence at the end of the last output.
  std::string utf8_carry;
};

bridge_actor::behavior_type bridge(bridge_actor::stateful_pointer<bridge_state> self,
                                   bridge_options opts);

/// Sends a command to tmux; false while the control connection is down.
bool bridge_send_tmux(bridge_actor::stateful_pointer<bridge_state> self,
                      const std::string& command, uint64_t tag);

/// Asks tmux for the current screen for `ids`, on the control channel: the
/// answer comes after all output that the screen already contains.
void bridge_request_snapshot(bridge_actor::stateful_pointer<bridge_state> self,
                             std::vector<uint64_t> ids);

/// An operator's input (`command`, `input`, `key`, `clear`) as literal tmux
/// commands, each tagged so that tmux's answer comes back
/// (actors/bridge_input.cpp).
void bridge_input(bridge_actor::stateful_pointer<bridge_state> self, uint64_t sink_id,
                  const std::string& kind, const std::string& data);

/// tmux's answer to an input command: false when `tag` is not one. A refusal
/// (or a connection lost before the answer) is told to the viewer who typed
/// it.
bool bridge_input_answer(bridge_actor::stateful_pointer<bridge_state> self, uint64_t tag,
                         bool ok, std::string& body);

/// Tells the status actor the bridge's health fields; with `presence` (a
/// viewer came or went) every viewer who keeps up and the `newcomer`: who
/// watches, as counts by role in a `presence` message (never addresses or
/// tokens).
void bridge_report(bridge_actor::stateful_pointer<bridge_state> self,
                   bool presence = false, uint64_t newcomer = 0);

/// Sends the pending `presence` message (on the bridge's tick).
void bridge_presence(bridge_actor::stateful_pointer<bridge_state> self);

} // namespace o2hub
