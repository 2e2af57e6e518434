// The intent service's side of changing deployed intents (issue 13): which
// active intent a "remove ..." or "change ..." sentence means, and starting
// its removal or modify run.
#pragma once

#include "actors/intent.hpp"

#include <caf/typed_response_promise.hpp>

namespace o2hub {

/// An error when the intent asks for more than the sites can offer.
caf::error feasibility_error(const intent& x, const intent_limits& limits);

/// Checks an intent stated with explicit requirements (TMF921
/// characteristics), normalising its site names: a known type, known sites
/// (each once), positive requirements within the sites' limits.
caf::error check_stated(intent& x, const intent_options& opts);

/// Tells the WebSocket clients that subscribed about a created intent (the
/// original's {"stage":"intent_generated"} broadcast plus the REST answer's
/// members); the text is made once and shared.
void announce(intent_actor::stateful_pointer<intent_state> self,
              const intent_response& res);

/// A remove or modify request: the newest active intent of the named type
/// on the named sites (either may be left out of the sentence) is the one
/// meant, its id in metadata.affects; none → 404 no_matching_intent listing
/// the active intents. A removal from only some of its sites is a modify of
/// its sites (the named ones leave); a modify takes the requirements the
/// sentence states (bandwidth, uplink, latency, reliability, devices) over
/// the intent's and starts a modify run.
void deliver_change(intent_actor::stateful_pointer<intent_state> self,
                    caf::typed_response_promise<intent_response> promise,
                    intent_response res, const intent_request& req);

} // namespace o2hub
