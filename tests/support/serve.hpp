// `o2hub serve` on three free ports for integration tests.
#pragma once

#include "support/paths.hpp"
#include "support/process.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace o2hub::test {

/// A data directory of its own for every o2hub a test starts (also a
/// prefix for a test's other files). The process id alone is not unique:
/// pids wrap (pid_max 32768 on CI machines) and an earlier test's
/// leftovers under the same name once lent a monitor a finished pipeline
/// (stop 26, CI) — hence the random part.
inline std::string fresh_data_dir() {
  static int counter = 0;
  static const std::string salt = [] {
    std::random_device rd;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
    return std::string{buf};
  }();
  return "/tmp/o2hub-it-" + std::to_string(::getpid()) + "-" + salt + "-"
         + std::to_string(counter++);
}

struct serve_fixture {
  /// Starts o2hub serve; `data_dir` empty: a fresh one, removed afterwards.
  explicit serve_fixture(std::map<std::string, std::string> env = {},
                         std::vector<std::string> extra_args = {},
                         std::string data_dir = {})
      : ports(free_ports(3)), intent(ports[0]), monitor(ports[1]), bridge(ports[2]),
        owns_data(data_dir.empty()),
        data(data_dir.empty() ? fresh_data_dir() : std::move(data_dir)),
        tmux_socket("o2hub-it-" + std::to_string(::getpid()) + "-"
                    + std::to_string(ports[2])),
        proc(args(extra_args), env) {
    for (int attempt = 0;; ++attempt) {
      uint16_t silent = 0;
      for (auto port : {intent, monitor, bridge})
        if (!wait_healthy(port, std::chrono::seconds(20))) {
          silent = port;
          break;
        }
      if (silent == 0)
        return;
      auto evidence = proc.tail();
      if (attempt == 0 && proc.output().empty())
        evidence += "\n" + proc.stacks();
      // Seen twice in CI (stop 22, stop 23; once the edge simulator): a
      // process that printed nothing and ran one thread, busy, for 20 s
      // before its first log line. Not understood yet: said, and one
      // restart; anything else fails at once.
      BOOST_REQUIRE_MESSAGE(attempt == 0 && proc.output().empty() && proc.running(),
                            "no /health on " << silent << ":\n"
                                             << evidence);
      BOOST_TEST_MESSAGE(
          "o2hub printed nothing and did not answer in 20 s; restarted: " << evidence);
      proc.signal(SIGKILL);
      proc.wait(std::chrono::seconds(5));
      proc.~process();
      new (&proc) process(args(extra_args), env);
    }
  }

  /// Without a config of the test's own, the four default sites move to
  /// ports nobody listens on: a simulated edge running on this machine
  /// (ports 30201-30404) must not answer the test's probes.
  std::vector<std::string> isolation(const std::vector<std::string>& extra) const {
    for (auto& a : extra)
      if (a == "-c" || a == "--config" || a == "--edge-sites")
        return {};
    auto path = data + "-sites.yaml";
    auto p = free_ports(12);
    std::ofstream out{path};
    out << "edge_sites:\n";
    for (int i = 0; i < 4; ++i)
      out << "  edge" << i + 1 << ":\n    ip: 127.0.0.1\n    ports: {o2ims: " << p[i * 3]
          << ", prometheus: " << p[i * 3 + 1] << ", k8s_api: " << p[i * 3 + 2] << "}\n";
    return {"--edge-sites", path};
  }

  std::vector<std::string> args(const std::vector<std::string>& extra) const {
    std::vector<std::string> out{test::binary(),   "serve",
                                 "--intent-port",  std::to_string(intent),
                                 "--monitor-port", std::to_string(monitor),
                                 "--bridge-port",  std::to_string(bridge),
                                 "--data-dir",     data};
    // A private tmux server per test, unless the test names one.
    if (std::find(extra.begin(), extra.end(), "--tmux-socket") == extra.end())
      out.insert(out.end(), {"--tmux-socket", tmux_socket});
    out.insert(out.end(), extra.begin(), extra.end());
    auto iso = isolation(extra);
    out.insert(out.end(), iso.begin(), iso.end());
    return out;
  }

  ~serve_fixture() {
    if (proc.running()) {
      proc.signal(SIGKILL);
      proc.wait(std::chrono::seconds(5));
    }
    // The bridge's private tmux server outlives o2hub by design; not ours.
    kill_tmux_server(tmux_socket);
    std::error_code ec;
    std::filesystem::remove(data + "-sites.yaml", ec);
    if (owns_data) {
      std::filesystem::remove_all(data, ec);
    }
  }

  std::vector<uint16_t> ports;
  uint16_t intent;
  uint16_t monitor;
  uint16_t bridge;
  bool owns_data;
  std::string data;
  std::string tmux_socket;
  process proc;
};

} // namespace o2hub::test
