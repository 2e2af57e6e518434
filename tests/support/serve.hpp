// `o2hub serve` on three free ports for integration tests.
#pragma once

#include "support/process.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <string>
#include <vector>

namespace o2hub::test {

struct serve_fixture {
  explicit serve_fixture(std::map<std::string, std::string> env = {},
                         std::vector<std::string> extra_args = {})
    : ports(free_ports(3)), intent(ports[0]), monitor(ports[1]), bridge(ports[2]),
      proc(args(extra_args), std::move(env)) {
    for (auto port : {intent, monitor, bridge})
      BOOST_REQUIRE_MESSAGE(wait_healthy(port, std::chrono::seconds(20)),
                            "no /health on " << port << ":\n" << proc.output());
  }

  std::vector<std::string> args(const std::vector<std::string>& extra) const {
    std::vector<std::string> out{O2HUB_BINARY,
                                 "serve",
                                 "--intent-port",
                                 std::to_string(intent),
                                 "--monitor-port",
                                 std::to_string(monitor),
                                 "--bridge-port",
                                 std::to_string(bridge),
                                 "--data-dir",
                                 "/tmp/o2hub-it-data"};
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }

  std::vector<uint16_t> ports;
  uint16_t intent;
  uint16_t monitor;
  uint16_t bridge;
  process proc;
};

} // namespace o2hub::test
