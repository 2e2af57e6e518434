#include "actors/status.hpp"

#include "common/json.hpp"

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
        json::writer w;
        w.begin_object();
        for (auto& [key, value] : st.fields) {
          if (key == "status" && value.size() > 2 && value.front() == '"')
            report.status = value.substr(1, value.size() - 2);
          else
            w.key(key).raw(value);
        }
        w.end_object();
        report.details_json = w.take();
        return report;
      },
      [self](atom::put, std::string& key, std::string& json_value) {
        self->state.fields[std::move(key)] = std::move(json_value);
      },
  };
}

} // namespace o2hub
