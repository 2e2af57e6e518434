#include "io/records_actor.hpp"

#include "io/record_store.hpp"
#include "protocol/error.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>

namespace o2hub {

namespace {

struct records_state {
  static inline const char* name = "records";
  std::shared_ptr<record_store> store;
};

records_actor::behavior_type records(records_actor::stateful_pointer<records_state> self,
                                     std::shared_ptr<record_store> store) {
  self->state.store = std::move(store);
  return {
      [self](atom::put, const std::string& key,
             const std::string& value) -> caf::result<atom::ok> {
        if (!self->state.store->put(key, value))
          return caf::make_error(ec::filesystem_error, "record not saved: " + key);
        return atom::ok_v;
      },
      [self](atom::erase, const std::string& key) -> caf::result<atom::ok> {
        if (!self->state.store->erase(key))
          return caf::make_error(ec::filesystem_error, "record not erased: " + key);
        return atom::ok_v;
      },
      [self](atom::get, const std::string& key) -> caf::result<std::string> {
        std::string value;
        if (!self->state.store->get(key, value))
          return caf::make_error(ec::unknown_entity, "no record " + key);
        return value;
      },
      [self](atom::all) {
        record_list out;
        for (auto& [k, v] : self->state.store->all()) {
          out.keys.push_back(std::move(k));
          out.values.push_back(std::move(v));
        }
        return out;
      },
  };
}

} // namespace

caf::expected<records_actor> spawn_records_actor(caf::actor_system& sys,
                                                 const std::string& path,
                                                 const std::string& table) {
  auto store = std::make_shared<record_store>(path, table);
  if (!store->error().empty())
    return caf::make_error(ec::filesystem_error, store->error());
  return sys.spawn<caf::detached>(records, std::move(store));
}

} // namespace o2hub
