// The pipeline actor, deterministically: first with the real monitor (memory
// only) and git actor (a temporary local remote), edge HTTP answered by the
// test; then with every I/O actor mocked (git, runs table, edge HTTP). Virtual
// time drives the timeouts and the timestamps.
#define BOOST_TEST_MODULE pipeline_actor
#include "actors/edge_access.hpp"
#include "actors/monitor/monitor.hpp"
#include "actors/pipeline/manager.hpp"
#include "io/git.hpp"
#include "io/gitops.hpp"
#include "support/actor_fixture.hpp"
#include "support/json_query.hpp"
#include "support/mocks/git.hpp"
#include "support/mocks/http.hpp"
#include "support/mocks/records.hpp"
#include "support/monitor_json.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace o2hub;
using o2hub::test::json_at;
namespace fs = std::filesystem;

namespace {

using o2hub::test::pending_fetch;

/// The intent every test deploys: eMBB, 100 Mbps, 10 ms, on `sites`.
intent embb_intent(const std::string& id, std::vector<std::string> sites) {
  intent x;
  x.intent_id = id;
  x.intent_type = "eMBB";
  x.target_sites = std::move(sites);
  x.bandwidth_mbps = 100;
  x.latency_ms = 10;
  return x;
}

/// Answers every pending edge request with `f(url)`.
void answer_all(std::vector<pending_fetch>& fetches,
                const std::function<fetch_result(const std::string&)>& f) {
  auto now = std::move(fetches);
  fetches.clear();
  for (auto& p : now)
    p.done(f(p.req.url));
}

struct fixture : o2hub::test::actor_fixture {
  std::string dir =
      fs::temp_directory_path() / ("o2hub-pa-" + std::to_string(::getpid()));
  std::shared_ptr<std::vector<pending_fetch>> fetches =
      std::make_shared<std::vector<pending_fetch>>();
  monitor_actor mon;
  gitops_actor git;
  pipeline_manager_actor mgr;

  fixture() {
    fs::remove_all(dir);
    auto cfg = std::make_shared<config>(default_config());
    cfg->data_dir = dir;
    cfg->pipeline.deploy_timeout_s = 10;
    cfg->pipeline.poll_interval_ms = 1000;
    git_ensure_bare(gitops_url(*cfg, "o2hub-gitops"));
    monitor_options mopts;
    mopts.sites = {"edge1", "edge2", "edge3", "edge4"};
    mopts.metrics_interval = std::chrono::milliseconds{0};
    mon = spawn(monitor, std::move(mopts));
    gitops_options gopts;
    gopts.work_dir = dir + "/work";
    gopts.url_of = [cfg](const std::string& repo) { return gitops_url(*cfg, repo); };
    git = spawn(gitops, std::move(gopts));
    pipeline_env env;
    env.cfg = cfg;
    env.monitor = mon;
    env.git = git;
    env.edges =
        spawn(direct_edges,
              direct_edges_options{cfg, spawn(o2hub::test::scripted_http, fetches)});
    env.monitor_url = "http://monitor";
    mgr = spawn(pipeline_manager, std::move(env));
  }

  ~fixture() { fs::remove_all(dir); }

  /// Answers every pending edge request with `answer(url)`.
  void answer(const std::function<fetch_result(const std::string&)>& f) {
    answer_all(*fetches, f);
    run();
  }

  std::string pipeline_json(const std::string& id) {
    auto out = test::to_json(request<pipeline>(mon, atom::get_v, atom::pipeline_v, id));
    return out ? *out : render(out.error());
  }

  pipeline_ref start(const std::string& id, std::vector<std::string> sites) {
    auto ref = request<pipeline_ref>(
        mgr, atom::start_v, embb_intent(id, std::move(sites)), std::string{"text"});
    BOOST_TEST_REQUIRE(static_cast<bool>(ref), o2hub::test::error_of(ref));
    return *ref;
  }
};

fetch_result ok(std::string body) {
  fetch_result r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

fetch_result phase(const std::string& p) {
  return ok(R"({"status":{"provisioningPhase":")" + p + R"(","message":"m"}})");
}

fetch_result prom(double v) {
  return ok(
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,")"
      + std::to_string(v) + R"("]}]}})");
}

} // namespace

BOOST_FIXTURE_TEST_CASE(polls_until_fulfilled_then_passes_the_gate, fixture) {
  auto started = start("intent-a", {"edge1"});
  BOOST_TEST(started.id == "intent-a");
  BOOST_TEST(started.status == "started");
  BOOST_TEST(started.monitor == "http://monitor/#/pipelines/intent-a");
  BOOST_TEST_REQUIRE(fetches->size() == 1u);
  BOOST_TEST(fetches->front().req.url.find("/provisioningRequests/")
             != std::string::npos);
  answer([](const std::string&) { return phase("PROGRESSING"); });
  BOOST_TEST(fetches->empty()); // the next round waits for the timer
  advance(std::chrono::seconds(1));
  answer([](const std::string&) { return phase("FULFILLED"); });
  // SLO: three queries for the one site.
  BOOST_TEST_REQUIRE(fetches->size() == 3u);
  answer([](const std::string& url) {
    if (url.find("latency") != std::string::npos)
      return prom(5);
    if (url.find("success") != std::string::npos)
      return prom(0.9999);
    return prom(150);
  });
  auto p = pipeline_json("intent-a");
  BOOST_TEST(json_at(p, {"status"}) == "completed", p);
}

BOOST_FIXTURE_TEST_CASE(an_unreachable_prometheus_is_a_failure_not_a_pass, fixture) {
  start("intent-b", {"edge1"});
  answer([](const std::string&) { return phase("fulfilled"); });
  answer([](const std::string&) {
    fetch_result r;
    r.error = "connection refused";
    return r;
  });
  auto p = pipeline_json("intent-b");
  BOOST_TEST(json_at(p, {"status"}) == "failed", p);
  BOOST_TEST(json_at(p, {"rolled_back"}) == "true");
  BOOST_TEST(p.find("unreachable") != std::string::npos, p);
}

BOOST_FIXTURE_TEST_CASE(a_deployment_that_never_finishes_times_out, fixture) {
  start("intent-c", {"edge1", "edge2"});
  for (int i = 0; i < 11; ++i) {
    answer([](const std::string& url) {
      return url.find(":30201/") != std::string::npos ? phase("FULFILLED")
                                                      : phase("PENDING");
    });
    advance(std::chrono::seconds(1));
  }
  answer([](const std::string&) { return phase("PENDING"); });
  auto p = pipeline_json("intent-c");
  BOOST_TEST(json_at(p, {"status"}) == "failed", p);
  BOOST_TEST(p.find("deployment timed out after 10 s; not fulfilled: edge2 (pending: m)")
                 != std::string::npos,
             p);
}

// -- every I/O actor mocked: git, runs, edge HTTP --------------------------------

namespace {

struct mocked_fixture : o2hub::test::actor_fixture {
  std::shared_ptr<std::vector<pending_fetch>> fetches =
      std::make_shared<std::vector<pending_fetch>>();
  std::shared_ptr<o2hub::test::git_script> git =
      std::make_shared<o2hub::test::git_script>();
  std::shared_ptr<o2hub::test::record_script> runs =
      std::make_shared<o2hub::test::record_script>();
  monitor_actor mon;
  pipeline_env env;
  pipeline_manager_actor mgr;

  mocked_fixture() {
    auto cfg = std::make_shared<config>(default_config());
    cfg->pipeline.deploy_timeout_s = 10;
    cfg->pipeline.poll_interval_ms = 1000;
    monitor_options mopts;
    mopts.sites = {"edge1", "edge2", "edge3", "edge4"};
    mopts.metrics_interval = std::chrono::milliseconds{0};
    mopts.now = virtual_wall_clock();
    mon = spawn(monitor, std::move(mopts));
    env.cfg = cfg;
    env.monitor = mon;
    env.git = spawn(o2hub::test::scripted_git, git);
    env.edges =
        spawn(direct_edges,
              direct_edges_options{cfg, spawn(o2hub::test::scripted_http, fetches)});
    env.runs = spawn(o2hub::test::memory_records, runs);
    env.monitor_url = "http://monitor";
    env.now = virtual_wall_clock();
  }

  void start_manager() {
    mgr = spawn(pipeline_manager, env);
    run();
  }

  void start(const std::string& id, std::vector<std::string> sites) {
    auto ref = request<pipeline_ref>(
        mgr, atom::start_v, embb_intent(id, std::move(sites)), std::string{"text"});
    BOOST_TEST_REQUIRE(static_cast<bool>(ref), o2hub::test::error_of(ref));
  }

  void answer(const std::function<fetch_result(const std::string&)>& f) {
    answer_all(*fetches, f);
    run();
  }

  /// The steps the runs table saw for `id`, each once, in order.
  std::vector<std::string> steps(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& [key, value] : runs->writes) {
      pipeline_run r;
      if (key != id || !from_json(value, r))
        continue;
      if (out.empty() || out.back() != r.step)
        out.push_back(r.step);
    }
    return out;
  }

  pipeline_run last_record(const std::string& id) {
    pipeline_run r;
    for (const auto& [key, value] : runs->table)
      if (key == id)
        BOOST_TEST(from_json(value, r));
    return r;
  }

  std::string view(const std::string& id) {
    auto out = test::to_json(request<pipeline>(mon, atom::get_v, atom::pipeline_v, id));
    return out ? *out : render(out.error());
  }
};

fetch_result slo_answer(const std::string& url, double latency_ms) {
  if (url.find("latency") != std::string::npos)
    return prom(latency_ms);
  if (url.find("success") != std::string::npos)
    return prom(0.9999);
  return prom(150);
}

} // namespace

BOOST_FIXTURE_TEST_CASE(each_step_is_recorded_before_the_next_one_runs, mocked_fixture) {
  start_manager();
  start("intent-m", {"edge1", "edge2"});
  // KRM rendered and pushed: one push per repository, before any edge question.
  BOOST_TEST_REQUIRE(git->pushes.size() == 1u);
  const auto& push = git->pushes.front();
  BOOST_TEST(push.op == "intent-m:deploy:" + push.repo);
  BOOST_TEST(push.change.message.find("intent-m") != std::string::npos);
  size_t edge1 = 0, edge2 = 0;
  for (const auto& [path, text] : push.change.write) {
    edge1 += path.find("edge1") != std::string::npos;
    edge2 += path.find("edge2") != std::string::npos;
  }
  BOOST_TEST(edge1 > 0u);
  BOOST_TEST(edge2 > 0u);
  BOOST_TEST(last_record("intent-m").commits.at(push.repo) == "sha1");
  BOOST_TEST_REQUIRE(fetches->size() == 2u); // O2 IMS of both sites
  advance(std::chrono::milliseconds(1500));
  answer([](const std::string&) { return phase("FULFILLED"); });
  BOOST_TEST_REQUIRE(fetches->size() == 6u); // three SLO queries per site
  answer([](const std::string& url) { return slo_answer(url, 5); });
  BOOST_TEST(
      (steps("intent-m")
       == std::vector<std::string>{"start", "krm", "git", "deploy", "slo", "done"}));
  BOOST_TEST(last_record("intent-m").result == "completed");
  auto p = view("intent-m");
  BOOST_TEST(json_at(p, {"status"}) == "completed", p);
  // Timestamps come from the injected clock: 1.5 s of virtual time passed.
  BOOST_TEST(json_at(p, {"duration"}) == "1.5", p);
  BOOST_TEST(git->pushes.size() == 1u); // nothing to revert
}

BOOST_FIXTURE_TEST_CASE(a_failed_gate_reverts_exactly_what_was_pushed, mocked_fixture) {
  start_manager();
  start("intent-r", {"edge3"});
  answer([](const std::string&) { return phase("FULFILLED"); });
  answer([](const std::string& url) { return slo_answer(url, 80); }); // > 10 ms
  BOOST_TEST_REQUIRE(git->pushes.size() == 2u);
  const auto& revert = git->pushes.back();
  BOOST_TEST(revert.op == "intent-r:revert:" + revert.repo);
  // The revert removes what the deployment wrote (or writes it back empty).
  BOOST_TEST(!(revert.change == git->pushes.front().change));
  auto p = view("intent-r");
  BOOST_TEST(json_at(p, {"status"}) == "failed", p);
  BOOST_TEST(json_at(p, {"rolled_back"}) == "true", p);
  BOOST_TEST(p.find("latency_p95_ms") != std::string::npos, p);
  BOOST_TEST((steps("intent-r")
              == std::vector<std::string>{"start", "krm", "git", "deploy", "slo",
                                          "rollback", "done"}));
  BOOST_TEST(last_record("intent-r").result == "failed");
}

BOOST_FIXTURE_TEST_CASE(a_refused_push_fails_without_touching_the_edges, mocked_fixture) {
  git->down = true;
  start_manager();
  start("intent-d", {"edge1"});
  BOOST_TEST(git->pushes.empty());
  BOOST_TEST(fetches->empty());
  auto p = view("intent-d");
  BOOST_TEST(json_at(p, {"status"}) == "failed", p);
  BOOST_TEST(p.find("git push failed") != std::string::npos, p);
  BOOST_TEST(last_record("intent-d").result == "failed");
}

BOOST_FIXTURE_TEST_CASE(a_restarted_manager_resumes_at_the_recorded_step,
                        mocked_fixture) {
  // What a previous process left: deployed and pushed, the gate not yet run.
  pipeline_run left;
  left.value.intent_id = "intent-s";
  left.value.intent_type = "eMBB";
  left.value.target_sites = {"edge2"};
  left.value.bandwidth_mbps = 100;
  left.value.latency_ms = 10;
  left.text = "text";
  left.step = "slo";
  left.commits = {{"o2hub-gitops", "abc123"}};
  runs->table.emplace_back("intent-s", to_json(left));
  pipeline_run done = left;
  done.value.intent_id = "intent-old";
  done.step = "done";
  done.result = "completed";
  runs->table.emplace_back("intent-old", to_json(done));
  BOOST_TEST_REQUIRE(static_cast<bool>(request<pipeline>(
      mon, atom::start_v, std::string{"intent-s"}, std::string{"text"})));
  start_manager();
  // Straight to the gate: no push, no O2 IMS question, three queries.
  BOOST_TEST(git->pushes.empty());
  BOOST_TEST_REQUIRE(fetches->size() == 3u);
  for (const auto& f : *fetches)
    BOOST_TEST(f.req.url.find("/api/v1/query") != std::string::npos, f.req.url);
  answer([](const std::string& url) { return slo_answer(url, 5); });
  BOOST_TEST(last_record("intent-s").result == "completed");
  BOOST_TEST(last_record("intent-s").commits.at("o2hub-gitops") == "abc123");
  BOOST_TEST(json_at(view("intent-s"), {"status"}) == "completed");
  // The finished one is remembered, not run again; an alert can roll it back.
  auto rolled = request<std::vector<std::string>>(
      mgr, atom::rollback_v,
      std::vector<rollback_target>{{"intent-old", "", "alert HighLatency"}});
  BOOST_TEST_REQUIRE(static_cast<bool>(rolled));
  BOOST_TEST((*rolled == std::vector<std::string>{"intent-old"}));
  BOOST_TEST_REQUIRE(git->pushes.size() == 1u);
  BOOST_TEST(git->pushes.front().op == "intent-old:revert:o2hub-gitops");
}

// A hub that runs for months must not keep every finished run's reports in
// memory: the newest stay at hand, older ones are read from the runs table.
BOOST_FIXTURE_TEST_CASE(older_finished_runs_are_read_from_the_runs_table,
                        mocked_fixture) {
  env.history_limit = 2;
  pipeline_run done;
  done.value.intent_type = "eMBB";
  done.value.target_sites = {"edge2"};
  done.value.bandwidth_mbps = 100;
  done.text = "text";
  done.step = "done";
  done.result = "completed";
  for (std::string id : {"intent-a", "intent-b", "intent-c"}) {
    done.value.intent_id = id;
    runs->table.emplace_back(id, to_json(done));
  }
  start_manager();
  auto get = [&](const std::string& id) {
    return request<pipeline_run>(mgr, atom::get_v, atom::pipeline_v, id);
  };
  for (std::string id : {"intent-a", "intent-b", "intent-c"}) {
    auto r = get(id);
    BOOST_TEST_REQUIRE(static_cast<bool>(r), id << ": " << o2hub::test::error_of(r));
    BOOST_TEST(r->value.intent_id == id);
    BOOST_TEST(r->result == "completed");
  }
  // The oldest was read from the table, the newest are in memory.
  runs->table.clear();
  BOOST_TEST(!get("intent-a"));
  BOOST_TEST(static_cast<bool>(get("intent-b")));
  BOOST_TEST(static_cast<bool>(get("intent-c")));
  auto none = get("intent-x");
  BOOST_TEST_REQUIRE(!none);
  BOOST_TEST(o2hub::test::error_of(none).find("no pipeline run intent-x")
             != std::string::npos);
}

// -- a crash between the final stage and the record ------------------------------

namespace {

/// The real monitor behind a proxy that holds back its answer to a final
/// stage (completed, failed) until the test sends the proxy a `tick`.
struct held_stages {
  bool hold = true;
  std::vector<std::function<void()>> release;
};

struct proxy_state {
  static inline const char* name = "monitor-proxy";
};

monitor_actor::behavior_type
monitor_proxy(monitor_actor::stateful_pointer<proxy_state> self, monitor_actor real,
              std::shared_ptr<held_stages> held) {
  return {
      [=](atom::start, std::string& id, std::string& text) {
        return self->delegate(real, atom::start_v, std::move(id), std::move(text));
      },
      [=](atom::update, std::string& id, atom::erase) {
        return self->delegate(real, atom::update_v, std::move(id), atom::erase_v);
      },
      [=](atom::start, std::string& id, std::string& text, atom::update) {
        return self->delegate(real, atom::start_v, std::move(id), std::move(text),
                              atom::update_v);
      },
      [=](atom::update, std::string& id, std::string& stage,
          std::string& meta) -> caf::result<pipeline> {
        if (!held->hold || (stage != "completed" && stage != "failed"))
          return self->delegate(real, atom::update_v, std::move(id), std::move(stage),
                                std::move(meta));
        auto promise = self->make_response_promise<pipeline>();
        held->release.push_back([=]() mutable {
          self->request(real, caf::infinite, atom::update_v, id, stage, meta)
              .then([promise](pipeline& p) mutable { promise.deliver(std::move(p)); },
                    [promise](caf::error& e) mutable { promise.deliver(std::move(e)); });
        });
        return promise;
      },
      [=](atom::edge, std::string& a, std::string& b, std::string& c) {
        return self->delegate(real, atom::edge_v, std::move(a), std::move(b),
                              std::move(c));
      },
      [=](atom::edge, std::string& a, probe_report& r) {
        self->send(real, atom::edge_v, std::move(a), std::move(r));
      },
      [=](atom::edge, std::vector<site_load>& loads) {
        self->send(real, atom::edge_v, std::move(loads));
      },
      [=](atom::get, atom::metrics) {
        return self->delegate(real, atom::get_v, atom::metrics_v);
      },
      [=](atom::get, atom::pipelines, uint64_t l, uint64_t o) {
        return self->delegate(real, atom::get_v, atom::pipelines_v, l, o);
      },
      [=](atom::get, atom::pipeline, std::string& id) {
        return self->delegate(real, atom::get_v, atom::pipeline_v, std::move(id));
      },
      [=](atom::get, atom::edges) {
        return self->delegate(real, atom::get_v, atom::edges_v);
      },
      [=](atom::get, atom::prometheus) {
        return self->delegate(real, atom::get_v, atom::prometheus_v);
      },
      [=](atom::service, std::string& a, probe_report& r) {
        self->send(real, atom::service_v, std::move(a), std::move(r));
      },
      [=](atom::tick) {
        auto pending = std::move(held->release);
        held->release.clear();
        for (auto& f : pending)
          f();
      },
      [=](atom::subscribe, ws_sink_ptr& sink) {
        self->send(real, atom::subscribe_v, std::move(sink));
      },
  };
}

} // namespace

BOOST_FIXTURE_TEST_CASE(done_is_recorded_only_after_the_monitor_has_the_final_stage,
                        mocked_fixture) {
  auto held = std::make_shared<held_stages>();
  env.monitor = spawn(monitor_proxy, mon, held);
  start_manager();
  start("intent-k", {"edge1"});
  answer([](const std::string&) { return phase("FULFILLED"); });
  answer([](const std::string& url) { return slo_answer(url, 5); });
  // The gate passed, the monitor has not stored `completed` yet: a kill -9
  // now must find the run at its last step, so a restart repeats it.
  BOOST_TEST_REQUIRE(held->release.size() == 1u);
  BOOST_TEST(last_record("intent-k").step == "slo");
  BOOST_TEST(json_at(view("intent-k"), {"status"}) == "running");
  auto proxy = env.monitor;
  self->send(proxy, atom::tick_v);
  run();
  BOOST_TEST(last_record("intent-k").step == "done");
  BOOST_TEST(last_record("intent-k").result == "completed");
  BOOST_TEST(json_at(view("intent-k"), {"status"}) == "completed");
}
