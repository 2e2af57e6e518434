#include "io/bridge_routes.hpp"

#include "io/static_files.hpp"
#include "io/ws_sessions.hpp"
#include "protocol/bridge_json.hpp"
#include "protocol/wire.hpp"
#include "protocol/ws_common.hpp"

#include <caf/send.hpp>

namespace o2hub {

void add_bridge_routes(http::router& r, const service_context& ctx,
                       ws_session_factory sessions) {
  using http::verb;
  r.add(verb::get, "/", static_file(ctx.webui + "/terminal.html"));
  // Watching needs at least the viewer token when tokens are configured;
  // typing needs the operator's (checked per message above).
  r.add_ws("/ws", make_session_endpoint(*ctx.sys, std::move(sessions)),
           http::access::viewer);
}

} // namespace o2hub
