// A records table (io/record_store.hpp) as a detached actor
// (protocol/actors.hpp: records_actor), so SQLite's blocking writes never run
// on the cooperative scheduler. Logic actors hold only the handle.
#pragma once

#include "protocol/actors.hpp"

#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include <string>

namespace o2hub {

/// Opens `table` in the database file `path` and spawns the actor; an error
/// when the database cannot be opened.
caf::expected<records_actor> spawn_records_actor(caf::actor_system& sys,
                                                 const std::string& path,
                                                 const std::string& table);

} // namespace o2hub
