// The intent actor: understands sentences with the rule engine (and, when
// configured, an LLM), caches answers, counts what it did.
#pragma once

#include "protocol/actors.hpp"

#include <caf/actor_clock.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <list>
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
};

struct intent_state {
  static inline const char* name = "intent";

  struct cached {
    std::string key;
    intent value;
    intent_metadata metadata;
    caf::actor_clock::time_point expires;
  };

  intent_options opts;
  /// LRU order: front is the most recently used.
  std::list<cached> lru;
  std::unordered_map<std::string, std::list<cached>::iterator> index;
  intent_stats stats;
};

/// The cache key: normalised text, sites and context.
std::string intent_cache_key(const intent_request& req);

intent_actor::behavior_type
intent_service(intent_actor::stateful_pointer<intent_state> self,
               intent_options opts);

} // namespace o2hub
