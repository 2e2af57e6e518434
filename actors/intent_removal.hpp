// The intent service's side of removing a deployed intent (issue 13): which
// active intent a "remove ..." sentence means, and starting its removal.
#pragma once

#include "actors/intent.hpp"

#include <caf/typed_response_promise.hpp>

namespace o2hub {

/// A remove request: the newest active intent of the named type on the
/// named sites (either may be left out of the sentence) is removed, its id
/// in metadata.affects; none → 404 no_matching_intent listing the active
/// intents; one on more sites than named → not started (that is a modify).
void deliver_removal(intent_actor::stateful_pointer<intent_state> self,
                     caf::typed_response_promise<intent_response> promise,
                     intent_response res, const intent_request& req);

} // namespace o2hub
