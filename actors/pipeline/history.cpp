// The pipeline manager's memory of finished runs: the newest at hand, older
// ones read back from the runs table when asked for (a hub that runs for
// months must not hold every run's reports).
#include "actors/pipeline/manager.hpp"
#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>

#include <algorithm>
#include <chrono>

namespace o2hub {

void manager_remember(pipeline_manager_actor::stateful_pointer<manager_state> self,
                      const pipeline_run& run) {
  auto& st = self->state;
  auto id = pipeline_id(run);
  if (st.history.insert_or_assign(id, run).second)
    st.history_order.push_back(std::move(id));
  while (st.history_order.size() > std::max<size_t>(st.env.history_limit, 1)) {
    st.history.erase(st.history_order.front());
    st.history_order.pop_front();
  }
}

caf::result<pipeline_run>
manager_history(pipeline_manager_actor::stateful_pointer<manager_state> self,
                const std::string& id) {
  auto& st = self->state;
  if (auto h = st.history.find(id); h != st.history.end())
    return h->second;
  if (!st.env.runs)
    return caf::error{ec::unknown_entity, "no pipeline run " + id};
  // An older run: the runs table has it.
  auto rp = self->make_response_promise<pipeline_run>();
  self->request(st.env.runs, std::chrono::seconds(10), atom::get_v, id)
      .then(
          [rp, id](const std::string& json) mutable {
            pipeline_run run;
            if (from_json(json, run) && run.step == "done")
              rp.deliver(std::move(run));
            else
              rp.deliver(caf::error{ec::unknown_entity, "no pipeline run " + id});
          },
          [rp, id](const caf::error& err) mutable {
            if (err.category() == caf::atom("o2hub")
                && static_cast<ec>(err.code()) == ec::unknown_entity)
              rp.deliver(caf::error{ec::unknown_entity, "no pipeline run " + id});
            else
              rp.deliver(err); // the table could not be read: said so
          });
  return rp;
}

} // namespace o2hub
