#include "protocol/messages.hpp"

#include "protocol/error.hpp"
#include "protocol/intent.hpp"
#include "protocol/io_messages.hpp"
#include "protocol/monitor_values.hpp"
#include "protocol/nodes.hpp"
#include "protocol/pipeline.hpp"
#include "protocol/pipeline_run.hpp"
#include "protocol/register.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/message.hpp>

namespace o2hub {

void register_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::o2hub>();
  cfg.add_error_category(caf::atom("o2hub"),
                         [](uint8_t code, caf::atom_value, const caf::message& ctx) {
                           return render(caf::error{code, caf::atom("o2hub"), ctx});
                         });
}

} // namespace o2hub
