// The intent actor's answer cache: normalised keys, LRU order, expiry.
#include "actors/intent.hpp"

#include <caf/stateful_actor.hpp>

#include <chrono>

namespace o2hub {

std::string intent_cache_key(const intent_request& req) {
  std::string key;
  key.reserve(req.text.size() + req.context_json.size() + 16 * req.target_sites.size()
              + 2);
  bool space = false;
  for (char c : req.text) {
    // What std::isspace and std::tolower do in the "C" locale (o2hub never
    // sets another), without a call per byte.
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      space = !key.empty();
      continue;
    }
    if (space)
      key += ' ';
    space = false;
    key += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  key += '\n';
  for (const auto& s : req.target_sites) {
    key += s;
    key += ',';
  }
  key += '\n';
  key += req.context_json;
  return key;
}

const intent_state::cached*
cache_lookup(intent_actor::stateful_pointer<intent_state> self, const std::string& key) {
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

void cache_store(intent_actor::stateful_pointer<intent_state> self, std::string key,
                 const intent& value, const intent_metadata& meta) {
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

} // namespace o2hub
