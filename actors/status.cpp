#include "actors/status.hpp"

#include <caf/actor_clock.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>

namespace o2hub {

namespace {

health_report report_of(const status_state& st) {
  health_report report;
  report.service = st.service;
  report.version = O2HUB_VERSION;
  report.status = "healthy";
  for (auto& [key, field] : st.fields) {
    if (key == "status" && field.kind == health_field::text_kind)
      report.status = field.text;
    else
      report.details.push_back(field);
  }
  return report;
}

} // namespace

status_actor::behavior_type status(status_actor::stateful_pointer<status_state> self,
                                   std::string service) {
  return published_status(self, std::move(service), nullptr);
}

status_actor::behavior_type
published_status(status_actor::stateful_pointer<status_state> self, std::string service,
                 std::shared_ptr<health_board> board) {
  self->state.service = std::move(service);
  self->state.started = self->clock().now();
  self->state.board = std::move(board);
  if (self->state.board)
    self->state.board->publish(report_of(self->state));
  return {
      [self](atom::health) -> caf::result<health_report> {
        auto& st = self->state;
        auto report = report_of(st);
        std::chrono::duration<double> up = self->clock().now() - st.started;
        report.uptime_s = up.count();
        return report;
      },
      [self](atom::put, health_field& field) {
        auto& st = self->state;
        auto i = st.fields.find(field.key);
        if (i != st.fields.end() && i->second == field)
          return; // unchanged: nothing to publish
        auto key = field.key;
        st.fields[std::move(key)] = std::move(field);
        if (st.board)
          st.board->publish(report_of(st));
      },
  };
}

} // namespace o2hub
