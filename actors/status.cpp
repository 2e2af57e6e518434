#include "actors/status.hpp"

#include <caf/actor_clock.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>

namespace o2hub {

status_actor::behavior_type status(status_actor::stateful_pointer<status_state> self,
                                   std::string service) {
  self->state.service = std::move(service);
  self->state.started = self->clock().now();
  return {
      [self](atom::health) -> caf::result<health_report> {
        auto& st = self->state;
        health_report report;
        report.service = st.service;
        report.version = O2HUB_VERSION;
        report.status = "healthy";
        std::chrono::duration<double> up = self->clock().now() - st.started;
        report.uptime_s = up.count();
        for (auto& [key, field] : st.fields) {
          if (key == "status" && field.kind == health_field::text_kind)
            report.status = field.text;
          else
            report.details.push_back(field);
        }
        return report;
      },
      [self](atom::put, health_field& field) {
        auto key = field.key;
        self->state.fields[std::move(key)] = std::move(field);
      },
  };
}

} // namespace o2hub
