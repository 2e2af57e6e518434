#include "actors/intent_removal.hpp"

#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>

#include <algorithm>

namespace o2hub {

namespace {

std::string join(const std::vector<std::string>& xs, const char* sep) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : sep) + x;
  return out;
}

} // namespace

void deliver_removal(intent_actor::stateful_pointer<intent_state> self,
                     caf::typed_response_promise<intent_response> promise,
                     intent_response res, const intent_request& req) {
  auto mgr = self->state.opts.pipelines;
  self->request(mgr, std::chrono::seconds(10), atom::get_v, atom::intents_v)
      .then(
          [self, mgr, promise, res,
           text = req.text](const std::vector<intent_resource>& all) mutable {
            const auto& d = res.metadata.defaulted;
            auto defaulted = [&](const char* f) {
              return std::find(d.begin(), d.end(), f) != d.end();
            };
            const auto& named = res.value.target_sites;
            auto on_named = [&](const std::string& site) {
              return std::find(named.begin(), named.end(), site) != named.end();
            };
            const intent_resource* match = nullptr;
            std::string active;
            for (const auto& r : all) {
              if (r.lifecycle != "active")
                continue;
              const auto& x = r.run.value;
              active += (active.empty() ? "" : "; ") + x.intent_id + " (" + x.intent_type
                        + " on " + join(x.target_sites, ", ") + ")";
              if (match
                  || (!defaulted("intentType") && x.intent_type != res.value.intent_type))
                continue;
              if (defaulted("targetSites")
                  || std::any_of(x.target_sites.begin(), x.target_sites.end(), on_named))
                match = &r;
            }
            if (!match) {
              promise.deliver(caf::make_error(
                  ec::no_matching_intent,
                  "no active intent matches '" + text + "'; active intents: "
                      + (active.empty() ? std::string{"none"} : active)));
              return;
            }
            const auto& x = match->run.value;
            res.metadata.affects = {x.intent_id};
            if (!defaulted("targetSites")
                && !std::all_of(x.target_sites.begin(), x.target_sites.end(), on_named)) {
              res.metadata.pipeline.status = "not_started";
              res.metadata.pipeline.error =
                  "removing " + x.intent_id + " from some of its sites ("
                  + join(x.target_sites, ", ")
                  + ") is a modify; changing deployed intents is not available yet";
              promise.deliver(std::move(res));
              return;
            }
            self->request(mgr, std::chrono::seconds(15), atom::remove_v, x.intent_id,
                          "asked: " + text)
                .then(
                    [promise, res](pipeline_ref& ref) mutable {
                      res.metadata.pipeline = std::move(ref);
                      promise.deliver(std::move(res));
                    },
                    [promise, res](const caf::error& err) mutable {
                      res.metadata.pipeline.status = "not_started";
                      res.metadata.pipeline.error = render(err);
                      promise.deliver(std::move(res));
                    });
          },
          [promise](const caf::error& err) mutable { promise.deliver(err); });
}

} // namespace o2hub
