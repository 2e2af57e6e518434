#include "app/nodes.hpp"

#include "common/log.hpp"
#include "io/node_connector.hpp"
#include "io/openssl_errors.hpp"
#include "protocol/error.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/publish.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>

#include <cstdlib>

namespace o2hub {

void enable_nodes(caf::actor_system_config& acfg, const config& cfg) {
  acfg.load<caf::io::middleman>();
  if (cfg.nodes.tls.enabled()) {
    if (!openssl_error_queue_guard())
      log::warn("the OpenSSL error-queue guard is not active; a bad TLS peer may "
                "disconnect good ones");
    acfg.load<caf::openssl::manager>();
    acfg.openssl_certificate = cfg.nodes.tls.cert;
    acfg.openssl_key = cfg.nodes.tls.key;
    acfg.openssl_cafile = cfg.nodes.tls.ca;
  }
}

std::string publish_hub(caf::actor_system& sys, const config& cfg,
                        const hub_node_actor& hub) {
  auto res =
      cfg.nodes.tls.enabled()
          ? caf::openssl::publish(hub, cfg.nodes.port, cfg.nodes.bind.c_str(), true)
          : caf::io::publish(hub, cfg.nodes.port, cfg.nodes.bind.c_str(), true);
  if (!res)
    return sys.render(res.error());
  log::info("hub published for other nodes",
            {{"address", cfg.nodes.bind + ":" + std::to_string(*res)},
             {"tls", cfg.nodes.tls.enabled() ? "yes" : "no (loopback only)"}});
  return {};
}

caf::actor node_connector(caf::actor_system& sys, const config& cfg) {
  auto upstream = cfg.nodes.tls.enabled()
                      ? caf::actor_cast<caf::actor>(sys.openssl_manager().actor_handle())
                      : caf::actor_cast<caf::actor>(sys.middleman().actor_handle());
  return spawn_node_connector(sys, std::move(upstream));
}

std::set<std::string> hub_interface(caf::actor_system& sys) {
  return sys.message_types<hub_node_actor>();
}

bool parse_host_port(const std::string& text, std::string& host, uint16_t& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return false;
  host = text.substr(0, colon);
  if (host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  char* end = nullptr;
  auto p = std::strtol(text.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || p < 1 || p > 65535 || host.empty())
    return false;
  port = static_cast<uint16_t>(p);
  return true;
}

} // namespace o2hub
