// An in-memory records actor: the whole records_actor interface over a
// vector, keeping every write in order so a test sees each recorded step.
#pragma once

#include "protocol/actors.hpp"
#include "protocol/error.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace o2hub::test {

struct record_script {
  /// The table: key -> value, in insertion order.
  std::vector<std::pair<std::string, std::string>> table;
  /// Every put, in order (key, value).
  std::vector<std::pair<std::string, std::string>> writes;
};

inline records_actor::behavior_type memory_records(records_actor::pointer,
                                                   std::shared_ptr<record_script> s) {
  auto find = [s](const std::string& key) {
    return std::find_if(s->table.begin(), s->table.end(),
                        [&](const auto& kv) { return kv.first == key; });
  };
  return {
      [s, find](atom::put, std::string& key, std::string& value) {
        s->writes.emplace_back(key, value);
        if (auto i = find(key); i != s->table.end())
          i->second = std::move(value);
        else
          s->table.emplace_back(std::move(key), std::move(value));
        return atom::ok_v;
      },
      [s, find](atom::erase, const std::string& key) {
        if (auto i = find(key); i != s->table.end())
          s->table.erase(i);
        return atom::ok_v;
      },
      [s, find](atom::get, const std::string& key) -> caf::result<std::string> {
        if (auto i = find(key); i != s->table.end())
          return i->second;
        return caf::make_error(ec::unknown_entity, "no record " + key);
      },
      [s](atom::all) {
        record_list out;
        for (const auto& [k, v] : s->table) {
          out.keys.push_back(k);
          out.values.push_back(v);
        }
        return out;
      },
  };
}

} // namespace o2hub::test
