// The intent actor: understands sentences with the rule engine and, when
// configured, an LLM (rules answer whenever it fails); caches valid answers;
// shares one LLM call among identical concurrent requests.
#pragma once

#include "actors/intent_rules.hpp"
#include "common/clock.hpp"
#include "protocol/actors.hpp"
#include "protocol/intent_board.hpp"
#include "protocol/ws_sink.hpp"

#include <caf/actor_clock.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <deque>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace o2hub {

struct intent_options {
  /// Canonical names of the configured sites.
  std::vector<std::string> sites;
  /// Cached answers; 0 turns the cache off.
  size_t cache_size = 1024;
  /// Seconds a cached answer stays valid.
  int cache_ttl_s = 3600;
  /// Starts LLM calls; empty: rules only.
  llm_spawner llm;
  /// The backend's own timeout (the actor waits a little longer).
  int llm_timeout_s = 30;
  /// LLM calls at once; more wait in order.
  int llm_concurrency = 4;
  /// The time of day of intent ids and processedAt (tests: virtual time).
  wall_clock now = system_wall_clock();
  /// Starts a pipeline for every intent not asked as a dry run; null: none.
  /// The manager here, or the hub's node actor (`o2hub intent --hub`).
  pipeline_starter_actor pipelines;
  /// What the sites can offer: intents asking more are refused.
  intent_limits limits;
  /// Where the counters are published after every change (GET /health
  /// reads them without a message); null: not published.
  std::shared_ptr<intent_board> board;
};

struct intent_state {
  static inline const char* name = "intent";

  struct cached {
    std::string key;
    intent value;
    intent_metadata metadata;
    caf::actor_clock::time_point expires;
  };

  /// Requests waiting for one LLM call (identical ones share it).
  struct pending {
    std::vector<std::pair<caf::typed_response_promise<intent_response>, intent_request>>
        waiters;
    caf::actor_clock::time_point start;
  };

  intent_options opts;
  /// LRU order: front is the most recently used.
  std::list<cached> lru;
  std::unordered_map<std::string, std::list<cached>::iterator> index;
  std::unordered_map<std::string, pending> in_flight;
  std::deque<std::string> queued;
  int active_calls = 0;
  /// Whether the most recent LLM call gave a valid answer.
  bool last_call_ok = true;
  intent_stats stats;
  /// WebSocket clients that asked for every created intent.
  std::vector<std::weak_ptr<ws_sink>> subscribers;
};

/// The cache key: normalised text, sites and context.
std::string intent_cache_key(const intent_request& req);

/// A cached answer for `key`, refreshed in the LRU order; nullptr if none
/// (or expired, then dropped).
const intent_state::cached*
cache_lookup(intent_actor::stateful_pointer<intent_state> self, const std::string& key);

/// Keeps an answer (nothing when the cache is off); the oldest go first.
void cache_store(intent_actor::stateful_pointer<intent_state> self, std::string key,
                 const intent& value, const intent_metadata& meta);

intent_actor::behavior_type
intent_service(intent_actor::stateful_pointer<intent_state> self, intent_options opts);

} // namespace o2hub
