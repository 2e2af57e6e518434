// The pipeline tests' world: a data dir, a config with three simulated sites
// on free ports, the edge simulator (`o2hub edge-sim`) with a real local
// bare git remote, and helpers to start intents and follow pipelines.
// Shared by tests/integration/test_pipeline.cpp and test_lifecycle.cpp.
#pragma once

#include "io/git.hpp"
#include "support/client.hpp"
#include "support/json_query.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/serve.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

namespace o2hub::test {

using namespace std::chrono_literals;

/// A data dir, a config with three simulated sites on free ports, and the
/// edge simulator.
struct edges {
  std::string data = fresh_data_dir();
  std::vector<uint16_t> ports = free_ports(10);
  uint16_t control = ports[9];
  std::string cfg = data + ".yaml";
  std::unique_ptr<process> sim;

  explicit edges(const std::string& extra = {}) {
    std::ofstream out{cfg};
    out << extra
        << "edge_sim:\n  provisioning_delay_ms: 300\n  sync_interval_ms: 100\n"
           "pipeline:\n  poll_interval_ms: 100\n  deploy_timeout_s: 120\n"
           "gitops:\n  retry_max_s: 1\n"
           "edge_sites:\n";
    for (int i = 0; i < 3; ++i)
      out << "  edge" << i + 1
          << ":\n    ip: 127.0.0.1\n    ports: {o2ims: " << ports[i * 3]
          << ", prometheus: " << ports[i * 3 + 1] << ", k8s_api: " << ports[i * 3 + 2]
          << "}\n    k8s_scheme: http\n";
    out.close();
    start_sim();
  }

  void start_sim() {
    auto spawn = [&] {
      sim = std::make_unique<process>(std::vector<std::string>{
          o2hub::test::binary(), "edge-sim", "-c", cfg, "--data-dir", data,
          "--control-port", std::to_string(control)});
    };
    spawn();
    // Under ASan with other test jobs on 2 cores a start can take a while.
    // Once (stop 22, CI) a simulator printed nothing and never answered in
    // 60 s: say what it was doing, then give it one more chance.
    if (wait_healthy(control, 30s))
      return;
    BOOST_TEST_MESSAGE("edge-sim not healthy after 30 s, restarted: " << sim->tail()
                                                                      << "\n"
                                                                      << sim->stacks());
    sim->signal(SIGKILL);
    sim->wait(5s);
    spawn();
    BOOST_REQUIRE_MESSAGE(wait_healthy(control, 30s),
                          "edge-sim not healthy: " << sim->tail());
  }

  ~edges() {
    sim->signal(SIGTERM);
    sim->wait(5s);
    // The data dir, the config and the mirrors beside it (data + "-...").
    std::error_code ec;
    auto parent = std::filesystem::path{data}.parent_path();
    auto stem = std::filesystem::path{data}.filename().string();
    std::filesystem::remove_all(data, ec);
    for (const auto& e : std::filesystem::directory_iterator{parent, ec}) {
      auto name = e.path().filename().string();
      if (name.rfind(stem + "-", 0) == 0 || name == stem + ".yaml")
        std::filesystem::remove_all(e.path(), ec);
    }
  }

  void fault(const std::string& body) {
    auto r = http_request(control, "POST", "/sim/faults", body,
                          {{"Content-Type", "application/json"}});
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
  }

  std::string remote(const std::string& repo = "o2hub-gitops") const {
    return std::filesystem::absolute(data).string() + "/gitops/" + repo + ".git";
  }

  /// Commit messages of the remote, newest first.
  std::vector<std::string> log(const std::string& repo = "o2hub-gitops") const {
    std::vector<std::string> messages;
    auto err = o2hub::git_log(data + "-mirror-" + repo, remote(repo), "main", messages);
    BOOST_TEST(err.empty(), err);
    return messages;
  }

  std::map<std::string, std::string>
  tree(const std::string& repo = "o2hub-gitops") const {
    std::map<std::string, std::string> files;
    auto err =
        o2hub::git_read_tree(data + "-mirror-" + repo, remote(repo), "main", "", files);
    BOOST_TEST(err.empty(), err);
    return files;
  }
};

inline std::string post_intent(uint16_t port, const std::string& text) {
  auto r = http_request(port, "POST", "/api/v1/intent", R"({"text":")" + text + "\"}",
                        {{"Content-Type", "application/json"}});
  BOOST_TEST_REQUIRE(r.status == 200u, r.body);
  auto id = json_at(r.body, {"metadata", "pipeline", "id"});
  BOOST_TEST_REQUIRE(id == json_at(r.body, {"intent", "intentId"}), r.body);
  BOOST_TEST(json_at(r.body, {"metadata", "pipeline", "status"}) == "started");
  return id;
}

/// Polls the monitor until the pipeline's status is `status`; returns it.
inline std::string wait_status(uint16_t monitor, const std::string& id,
                               const std::string& status,
                               std::chrono::seconds timeout = 30s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string body;
  while (std::chrono::steady_clock::now() < deadline) {
    body = http_get(monitor, "/api/v1/pipelines/" + id).body;
    if (json_at(body, {"status"}) == status)
      return body;
    std::this_thread::sleep_for(50ms);
  }
  BOOST_FAIL("pipeline " << id << " not " << status << ": " << body);
  return body;
}

/// Polls GET /api/v1/edges until `edge` (seed spelling) satisfies `ok`;
/// returns that edge's JSON (the last one seen when time ran out).
template <class Pred>
std::string wait_edge(uint16_t monitor, const std::string& edge, Pred ok,
                      std::chrono::seconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string e;
  do {
    e = json_at(http_get(monitor, "/api/v1/edges").body, {edge.c_str()});
    if (ok(e))
      return e;
    std::this_thread::sleep_for(50ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return e;
}

/// Polls the monitor until the pipeline is at `stage` (or 20 s passed).
inline void wait_stage(uint16_t monitor, const std::string& id,
                       const std::string& stage) {
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline
         && json_at(http_get(monitor, "/api/v1/pipelines/" + id).body, {"current_stage"})
                != stage)
    std::this_thread::sleep_for(50ms);
}

/// POST /api/v1/intent with a sentence; the answer as it came.
inline http_result post_text(uint16_t intent_port, const std::string& text) {
  return http_request(intent_port, "POST", "/api/v1/intent",
                      R"({"text":")" + text + "\"}",
                      {{"Content-Type", "application/json"}});
}

inline std::vector<std::string> stages_of(const std::string& pipeline_json) {
  std::vector<std::string> out;
  for (size_t i = 0;; ++i) {
    auto s = json_at(pipeline_json, {"stages", i, "stage"});
    if (s == "<missing>")
      return out;
    out.push_back(s);
  }
}

inline size_t count_starting(const std::vector<std::string>& xs,
                             const std::string& prefix) {
  return static_cast<size_t>(
      std::count_if(xs.begin(), xs.end(),
                    [&](const std::string& x) { return x.rfind(prefix, 0) == 0; }));
}

struct hub_and_edges : edges {
  // Two HTTP threads set explicitly (each with its own io_context and half
  // the connections); the other integration tests run the default, one
  // per core.
  hub_and_edges() : edges("http:\n  threads: 2\n") {}
  serve_fixture hub{{}, {"-c", cfg}, data};
};

} // namespace o2hub::test
