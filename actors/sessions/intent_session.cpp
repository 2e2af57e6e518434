#include "actors/sessions/intent_session.hpp"

#include "common/json.hpp"
#include "common/time.hpp"
#include "protocol/error.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/wire.hpp"
#include "protocol/ws_common.hpp"
#include "protocol/ws_sink.hpp"

namespace o2hub {

namespace {

using session_self = ws_session_actor::stateful_pointer<intent_session_state>;

std::string error_json(session_self self, const std::string& code,
                       const std::string& message, const std::string& id) {
  json::writer w;
  w.begin_object().kv("type", "error");
  if (!id.empty())
    w.kv("id", id);
  w.kv("code", code)
      .kv("message", message)
      .kv("timestamp", rfc3339(self->state.opts.now()))
      .end_object();
  return w.take();
}

} // namespace

ws_session_actor::behavior_type
intent_session(ws_session_actor::stateful_pointer<intent_session_state> self,
               ws_sink_ptr sink, intent_session_options opts) {
  self->state.sink = std::move(sink);
  self->state.opts = std::move(opts);
  return {
      [self](atom::frame, const std::string& data, bool binary) {
        auto& st = self->state;
        auto sink = st.sink.lock();
        if (!sink)
          return; // closed
        auto type = common_ws_message(*sink, data, binary, false);
        if (!type)
          return; // answered: ping, binary frame, unreadable message
        if (*type == "subscribe") {
          // Every intent created from now on, by anyone (viewers too).
          self->send(st.opts.intent, atom::subscribe_v, sink);
          json::writer w;
          w.begin_object()
              .kv("type", "subscribed")
              .key("events")
              .begin_array()
              .value("intent_generated")
              .end_array()
              .kv("timestamp", rfc3339(st.opts.now()))
              .end_object();
          sink->send(w.take());
          return;
        }
        auto msg = wire::parse_ws_intent(data, st.opts.sites);
        if (*type != "intent") {
          sink->send(error_json(self, "unknown_type",
                                "unknown message type '" + *type
                                    + "' (send \"intent\", \"subscribe\" or \"ping\")",
                                msg.id));
          return;
        }
        if (msg.id.empty())
          msg.id = "ws-" + std::to_string(st.next_id++);
        if (sink->role() != role::operator_) {
          sink->send(error_json(self, "forbidden",
                                "sending intents needs the operator token", msg.id));
          return;
        }
        if (!msg.parsed.ok()) {
          sink->send(
              error_json(self, msg.parsed.error.code, msg.parsed.error.message, msg.id));
          return;
        }
        json::writer w;
        w.begin_object()
            .kv("type", "progress")
            .kv("id", msg.id)
            .kv("stage", st.opts.stage)
            .kv("timestamp", rfc3339(st.opts.now()))
            .end_object();
        sink->send(w.take());
        auto id = msg.id;
        std::weak_ptr<ws_sink> weak = sink;
        self->request(st.opts.intent, st.opts.timeout, atom::process_v,
                      std::move(msg.parsed.request))
            .then(
                [weak, id](const intent_response& res) {
                  auto sink = weak.lock();
                  if (!sink)
                    return;
                  json::writer out;
                  out.begin_object().kv("type", "intent_generated").kv("id", id);
                  out.raw(wire::intent_envelope_members(res));
                  out.end_object();
                  sink->send(out.take());
                },
                [self, weak, id](const caf::error& err) {
                  if (auto sink = weak.lock())
                    sink->send(error_json(self, http_answer_of(err).code,
                                          error_detail(err), id));
                });
      },
  };
}

} // namespace o2hub
