#include "actors/intent.hpp"

#include "actors/intent_rules.hpp"
#include "protocol/error.hpp"
#include "protocol/time.hpp"

#include <caf/stateful_actor.hpp>

#include <cctype>
#include <chrono>

namespace o2hub {

std::string intent_cache_key(const intent_request& req) {
  std::string key;
  key.reserve(req.text.size() + 64);
  bool space = false;
  for (char c : req.text) {
    auto uc = static_cast<unsigned char>(c);
    if (std::isspace(uc)) {
      space = !key.empty();
      continue;
    }
    if (space)
      key += ' ';
    space = false;
    key += static_cast<char>(std::tolower(uc));
  }
  key += '\n';
  for (const auto& s : req.target_sites)
    key += s + ",";
  key += '\n';
  key += req.context_json;
  return key;
}

namespace {

using self_ptr = intent_actor::stateful_pointer<intent_state>;

/// A cached answer for `key`, refreshed in the LRU order; nullptr if none.
const intent_state::cached* lookup(self_ptr self, const std::string& key) {
  auto& st = self->state;
  auto i = st.index.find(key);
  if (i == st.index.end())
    return nullptr;
  if (i->second->expires <= self->clock().now()) {
    st.lru.erase(i->second);
    st.index.erase(i);
    return nullptr;
  }
  st.lru.splice(st.lru.begin(), st.lru, i->second);
  return &st.lru.front();
}

void store(self_ptr self, std::string key, const intent& value,
           const intent_metadata& meta) {
  auto& st = self->state;
  if (st.opts.cache_size == 0)
    return;
  if (auto i = st.index.find(key); i != st.index.end()) {
    st.lru.erase(i->second);
    st.index.erase(i);
  }
  auto expires = self->clock().now() + std::chrono::seconds(st.opts.cache_ttl_s);
  st.lru.push_front({key, value, meta, expires});
  st.index.emplace(std::move(key), st.lru.begin());
  while (st.lru.size() > st.opts.cache_size) {
    st.index.erase(st.lru.back().key);
    st.lru.pop_back();
  }
}

} // namespace

intent_actor::behavior_type
intent_service(intent_actor::stateful_pointer<intent_state> self,
               intent_options opts) {
  self->state.opts = std::move(opts);
  return {
    [self](atom::process, intent_request& req) -> caf::result<intent_response> {
      auto start = std::chrono::steady_clock::now();
      auto& st = self->state;
      ++st.stats.requests;
      intent_response res;
      auto key = intent_cache_key(req);
      if (auto hit = lookup(self, key)) {
        ++st.stats.cache_hits;
        res.value = hit->value;
        res.value.description = req.text;
        res.metadata = hit->metadata;
        res.metadata.cached = true;
      } else {
        auto reading = read_intent_text(req.text, st.opts.sites);
        if (req.target_sites.empty() && !reading.unknown_sites.empty()) {
          std::string names;
          for (const auto& s : reading.unknown_sites)
            names += (names.empty() ? "" : ", ") + s;
          std::string known;
          for (const auto& s : st.opts.sites)
            known += (known.empty() ? "" : ", ") + s;
          return caf::error{ec::unknown_entity, "unknown site " + names
                                                  + " in the text; configured "
                                                    "sites: "
                                                  + known};
        }
        res.value = make_intent(reading, req, st.opts.sites, {},
                                res.metadata.defaulted);
        res.metadata.engine = "rules";
        ++st.stats.answered_by_rules;
        store(self, std::move(key), res.value, res.metadata);
      }
      // Every answer is a new intent, even when its understanding was cached.
      res.value.intent_id = next_intent_id();
      res.metadata.processed_at = rfc3339_now();
      std::chrono::duration<double, std::milli> took
        = std::chrono::steady_clock::now() - start;
      res.metadata.duration_ms = took.count();
      return res;
    },
    [self](atom::stats) -> caf::result<intent_stats> {
      auto stats = self->state.stats;
      stats.cache_size = self->state.lru.size();
      return stats;
    },
  };
}

} // namespace o2hub
