// The CAF configuration every o2hub process starts from: the message types
// and the scheduler's idle behaviour.
#pragma once

#include <caf/fwd.hpp>

namespace o2hub {

/// Registers o2hub's message types and sets the scheduler's idle polling.
///
/// CAF's default work-stealing workers poll their queues for ~25 ms after
/// every job (100 tight polls, then 500 polls 50 us apart) before they sleep
/// on a condition variable, and wake every 10 ms while asleep. o2hub's work
/// comes in short bursts (one HTTP request, one probe answer, one event), so
/// each burst paid for ~25 ms of spinning on every worker it touched. Here a
/// worker polls twice, then sleeps until a job arrives in its queue (the
/// condition variable is notified on enqueue) and tries to steal only every
/// 50 ms. Measured on 2 cores (README, issue 10 note): probing 201 endpoints
/// 2.6% -> 0.7% of a core; intent POST 18k -> 21.5k req/s, 78 -> 63 us of
/// CPU per request; fan-out to 5,000 clients unchanged. Issue 16 dropped the
/// 0.5 ms sleeping polls in between (keystroke median 1.3 -> 0.6 ms).
void configure_actor_system(caf::actor_system_config& cfg);

} // namespace o2hub
