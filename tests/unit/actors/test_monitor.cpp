// The monitor actor's pipeline state machine, deterministically.
#define BOOST_TEST_MODULE monitor
#include "actors/monitor/monitor.hpp"
#include "protocol/ws_sink.hpp"
#include "support/actor_fixture.hpp"
#include "support/json_query.hpp"
#include "support/monitor_json.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub;
namespace test = o2hub::test;

namespace {

/// Records what the hub pushes; can act as a client that is full.
struct recording_sink : ws_sink {
  std::vector<std::string> got;
  bool full = false;
  bool closed = false;
  bool push(std::shared_ptr<const std::string> text) override {
    if (full || closed)
      return false;
    got.push_back(*text);
    return true;
  }
  void close(uint16_t, std::string) override { closed = true; }
  uint64_t id() const override { return 1; }
  o2hub::role role() const override { return o2hub::role::viewer; }
  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (auto& m : got)
      out.push_back(test::json_at(m, {"type"}));
    return out;
  }
};

monitor_options opts() {
  monitor_options o;
  o.sites = {"edge1", "edge2", "edge3", "edge4"};
  return o;
}

struct fixture : test::actor_fixture {
  monitor_actor m = spawn(monitor, opts());

  caf::expected<pipeline> start(const std::string& id) {
    return request<pipeline>(m, atom::start_v, id, std::string{"text of " + id});
  }
  /// As POST /api/v1/pipeline/start does: an outside client's pipeline.
  caf::expected<pipeline> start_external(const std::string& id) {
    return request<pipeline>(m, atom::start_v, id, std::string{"text of " + id},
                             atom::update_v);
  }
  caf::expected<pipeline> update(const std::string& id, const std::string& s,
                                 std::string meta = "{}") {
    return request<pipeline>(m, atom::update_v, id, s, meta);
  }
  std::string metrics() {
    return *test::to_json(request<monitor_snapshot>(m, atom::get_v, atom::metrics_v));
  }
};

uint8_t code(const caf::error& e) {
  return e.code();
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(pipeline_state_machine, fixture)

BOOST_AUTO_TEST_CASE(every_forward_stage_in_order_then_completed) {
  BOOST_TEST_REQUIRE(static_cast<bool>(start("a")));
  for (const auto& s : stage_names()) {
    if (s == "idle" || s == "input_received" || s == "failed" || s == "rollback")
      continue;
    auto p = update("a", s);
    BOOST_TEST_REQUIRE(static_cast<bool>(p), s << ": " << test::error_of(p));
    BOOST_TEST(p->current_stage == s);
  }
  auto p = *test::to_json(
      request<pipeline>(m, atom::get_v, atom::pipeline_v, std::string{"a"}));
  BOOST_TEST(test::json_at(p, {"status"}) == "completed");
  BOOST_TEST(test::json_at(p, {"stages", size_t{10}, "stage"}) == "completed");
  auto mt = metrics();
  BOOST_TEST(test::json_at(mt, {"metrics", "successful_intents"}) == "1");
  BOOST_TEST(test::json_at(mt, {"metrics", "active_pipelines"}) == "0");
}

BOOST_AUTO_TEST_CASE(skipping_ahead_is_fine_going_back_is_not) {
  start("a");
  BOOST_TEST(static_cast<bool>(update("a", "gitops_pushed")));
  BOOST_TEST(static_cast<bool>(update("a", "gitops_pushed", R"({"again":true})")));
  auto back = update("a", "krm_generating");
  BOOST_TEST_REQUIRE(!back);
  BOOST_TEST(code(back.error()) == static_cast<uint8_t>(ec::conflict));
  BOOST_TEST(!update("a", "idle"));
  auto bogus = update("a", "deploying");
  BOOST_TEST_REQUIRE(!bogus);
  BOOST_TEST(code(bogus.error()) == static_cast<uint8_t>(ec::invalid_stage));
}

BOOST_AUTO_TEST_CASE(terminal_stages_count_once) {
  start("a");
  BOOST_TEST(static_cast<bool>(update("a", "failed")));
  BOOST_TEST(!update("a", "failed"));
  BOOST_TEST(!update("a", "completed"));
  BOOST_TEST(!update("a", "krm_generated"));
  start("b");
  BOOST_TEST(static_cast<bool>(update("b", "completed")));
  BOOST_TEST(!update("b", "completed"));
  BOOST_TEST(!update("b", "failed"));
  auto mt = metrics();
  BOOST_TEST(test::json_at(mt, {"metrics", "total_intents"}) == "2");
  BOOST_TEST(test::json_at(mt, {"metrics", "successful_intents"}) == "1");
  BOOST_TEST(test::json_at(mt, {"metrics", "failed_intents"}) == "1");
  BOOST_TEST(test::json_at(mt, {"metrics", "success_rate"}) == "0.5");
}

BOOST_AUTO_TEST_CASE(rollback_after_slo_breach_failure_or_completion) {
  start("slo");
  update("slo", "slo_validating");
  BOOST_TEST(
      static_cast<bool>(update("slo", "rollback", R"({"reason":"p95 20ms > 10ms"})")));
  BOOST_TEST(!update("slo", "completed")); // rolling back: only failed
  BOOST_TEST(static_cast<bool>(update("slo", "failed")));
  BOOST_TEST(!update("slo", "rollback")); // once
  start("f");
  update("f", "failed");
  auto r = update("f", "rollback");
  BOOST_TEST_REQUIRE(static_cast<bool>(r));
  BOOST_TEST(r->rolled_back);
  BOOST_TEST(r->status == "failed");
  start("c");
  update("c", "completed");
  BOOST_TEST(static_cast<bool>(update("c", "rollback"))); // an alert later
  auto mt = metrics();
  BOOST_TEST(test::json_at(mt, {"metrics", "failed_intents"}) == "2");
  BOOST_TEST(test::json_at(mt, {"metrics", "successful_intents"}) == "1");
}

BOOST_AUTO_TEST_CASE(unknown_running_and_concurrent_pipelines) {
  auto none = update("", "krm_generated");
  BOOST_TEST_REQUIRE(!none);
  BOOST_TEST(code(none.error()) == static_cast<uint8_t>(ec::unknown_entity));
  BOOST_TEST(code(update("ghost", "krm_generated").error())
             == static_cast<uint8_t>(ec::unknown_entity));
  start("mine"); // o2hub's own: never an implicit target
  start_external("a");
  start_external("b");
  auto dup = start("a");
  BOOST_TEST_REQUIRE(!dup);
  BOOST_TEST(code(dup.error()) == static_cast<uint8_t>(ec::conflict));
  // No id: the most recently started running pipeline of an outside client.
  BOOST_TEST(update("", "krm_generated")->intent_id == "b");
  update("a", "edge_deploying");
  update("b", "completed");
  BOOST_TEST(update("", "edge_deployed")->intent_id == "a");
  update("a", "completed");
  BOOST_TEST(!update("", "completed")); // only "mine" runs
  auto list = *test::to_json(request<pipeline_page>(m, atom::get_v, atom::pipelines_v,
                                                    uint64_t{10}, uint64_t{0}));
  BOOST_TEST(test::json_at(list, {"pipelines", size_t{0}, "intent_id"}) == "b");
  BOOST_TEST(test::json_at(list, {"pipelines", size_t{1}, "intent_id"}) == "a");
  auto page = *test::to_json(request<pipeline_page>(m, atom::get_v, atom::pipelines_v,
                                                    uint64_t{1}, uint64_t{1}));
  BOOST_TEST(test::json_at(page, {"pipelines", size_t{0}, "intent_id"}) == "a");
  // A finished id may start again.
  BOOST_TEST(static_cast<bool>(start("b")));
}

BOOST_AUTO_TEST_CASE(the_hub_sends_initial_state_then_events_and_drops_full_clients) {
  auto a = std::make_shared<recording_sink>();
  auto slow = std::make_shared<recording_sink>();
  self->send(m, atom::subscribe_v, ws_sink_ptr{a});
  self->send(m, atom::subscribe_v, ws_sink_ptr{slow});
  run();
  slow->full = true;
  start("x");
  update("x", "krm_generating");
  request<edge_status>(m, atom::edge_v, std::string{"Edge-02"}, std::string{"degraded"},
                       std::string{R"({"deployments":4})"});
  BOOST_TEST((a->types()
              == std::vector<std::string>{"initial_state", "pipeline_started",
                                          "stage_update", "edge_update"}));
  BOOST_TEST(test::json_at(a->got[2], {"data", "stage", "stage"}) == "krm_generating");
  BOOST_TEST(test::json_at(a->got[3], {"data", "edge"}) == "edge02");
  BOOST_TEST(test::json_at(a->got[3], {"data", "status", "deployments"}) == "4");
  BOOST_TEST(slow->got.size() == 1u); // only initial_state
  auto unknown = request<edge_status>(m, atom::edge_v, std::string{"edge9"},
                                      std::string{"healthy"}, std::string{"{}"});
  BOOST_TEST(!unknown);
}

// Issue 14: an operator's edge/update keeps the probe's checks (its
// metadata beside them) and its status lasts until a probe says something
// new.
BOOST_AUTO_TEST_CASE(a_manual_edge_status_lasts_until_the_probes_change) {
  auto probe = [&](const std::string& status) {
    probe_report r;
    r.status = status;
    r.latency_ms = 6.5;
    r.checks = {
        check_outcome{"o2ims", status == "healthy" ? "ok" : "down", 200, 6.5, {}}};
    self->send(m, atom::edge_v, std::string{"edge2"}, r);
    run();
  };
  auto edge2 = [&](std::vector<const char*> p) {
    auto all =
        test::to_json(request<std::vector<edge_status>>(m, atom::get_v, atom::edges_v));
    if (p.size() == 1)
      return test::json_at(*all, {"edge02", p[0]});
    if (p.size() == 2)
      return test::json_at(*all, {"edge02", p[0], p[1]});
    return test::json_at(*all, {"edge02", p[0], p[1], p[2]});
  };
  probe("healthy");
  BOOST_TEST(edge2({"status"}) == "healthy");
  request<edge_status>(m, atom::edge_v, std::string{"edge02"}, std::string{"degraded"},
                       std::string{R"({"deployments":3,"note":"maintenance"})"});
  BOOST_TEST(edge2({"status"}) == "degraded");
  BOOST_TEST(edge2({"checks", "o2ims", "state"}) == "ok"); // not wiped
  BOOST_TEST(edge2({"checks", "manual", "note"}) == "maintenance");
  probe("healthy"); // nothing new: the operator's word stands
  BOOST_TEST(edge2({"status"}) == "degraded");
  BOOST_TEST(edge2({"via"}) == "manual");
  BOOST_TEST(edge2({"checks", "manual", "note"}) == "maintenance");
  probe("unreachable"); // news: the probe's word
  BOOST_TEST(edge2({"status"}) == "unreachable");
  BOOST_TEST(edge2({"via"}) == "probe");
  BOOST_TEST(edge2({"checks", "manual"}) == "<missing>");
}

BOOST_AUTO_TEST_CASE(edge_cards_carry_the_pipelines_intents_and_slo_gates) {
  auto client = std::make_shared<recording_sink>();
  self->send(m, atom::subscribe_v, ws_sink_ptr{client});
  run();
  auto probe = [&](const std::string& status) {
    probe_report r;
    r.status = status;
    r.latency_ms = 4;
    self->send(m, atom::edge_v, std::string{"edge1"}, r);
    run();
  };
  auto loads = [&](std::vector<std::string> intents, std::string slo, bool failed) {
    site_load l{"edge1", std::move(intents), std::move(slo), failed};
    // A site the monitor does not know is ignored.
    site_load other{"edge9", {"x"}, "", false};
    self->send(m, atom::edge_v, std::vector<site_load>{l, other});
    run();
  };
  auto edge1 = [&](std::initializer_list<test::json_step> p) {
    auto all =
        test::to_json(request<std::vector<edge_status>>(m, atom::get_v, atom::edges_v));
    return test::json_at(test::json_at(*all, {"edge01"}), p);
  };
  probe("healthy");
  BOOST_TEST(edge1({"intents"}) == "[]");
  BOOST_TEST(edge1({"slo"}) == "null");
  loads({"intent-1", "intent-2"}, R"({"passed":true,"intent_id":"intent-2"})", false);
  BOOST_TEST(edge1({"status"}) == "healthy");
  BOOST_TEST(edge1({"deployments"}) == "2");
  BOOST_TEST(edge1({"intents"}) == R"(["intent-1","intent-2"])");
  BOOST_TEST(edge1({"slo", "intent_id"}) == "intent-2");
  // The last gate failed: a healthy site is shown degraded, and stays so
  // while the probes keep saying healthy.
  loads({"intent-1"}, R"({"passed":false,"intent_id":"intent-3"})", true);
  BOOST_TEST(edge1({"status"}) == "degraded");
  BOOST_TEST(edge1({"deployments"}) == "1");
  probe("unreachable");
  BOOST_TEST(edge1({"status"}) == "unreachable"); // worse than degraded
  probe("healthy");
  BOOST_TEST(edge1({"status"}) == "degraded");
  loads({"intent-1", "intent-4"}, R"({"passed":true,"intent_id":"intent-4"})", false);
  BOOST_TEST(edge1({"status"}) == "healthy");
  // Every change went out as an edge_update; the same loads again send none.
  auto updates = [&] {
    size_t n = 0;
    for (auto& t : client->types())
      n += t == "edge_update" ? 1 : 0;
    return n;
  };
  auto before = updates();
  loads({"intent-1", "intent-4"}, R"({"passed":true,"intent_id":"intent-4"})", false);
  BOOST_TEST(updates() == before);
  BOOST_TEST(test::json_at(client->got.back(), {"data", "status", "deployments"}) == "2");
}

BOOST_AUTO_TEST_CASE(metrics_are_broadcast_only_when_changed) {
  auto a = std::make_shared<recording_sink>();
  self->send(m, atom::subscribe_v, ws_sink_ptr{a});
  run();
  advance(std::chrono::seconds(5)); // nothing changed: nothing sent
  BOOST_TEST((a->types() == std::vector<std::string>{"initial_state"}));
  start("p");
  advance(std::chrono::seconds(5));
  BOOST_TEST_REQUIRE(a->got.size() == 3u);
  BOOST_TEST(test::json_at(a->got[2], {"type"}) == "metrics");
  BOOST_TEST(test::json_at(a->got[2], {"data", "metrics", "total_intents"}) == "1");
  advance(std::chrono::seconds(5));
  BOOST_TEST(a->got.size() == 3u);
  auto prom = wire::prometheus_text(
      *request<monitor_counters>(m, atom::get_v, atom::prometheus_v));
  BOOST_TEST(prom.find("o2hub_pipelines_total{result=\"started\"} 1")
             != std::string::npos);
  BOOST_TEST(prom.find("o2hub_edge_up{edge=\"edge1\",status=\"unknown\"} 0")
             != std::string::npos);
  BOOST_TEST(prom.find("o2hub_monitor_websocket_clients 1") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

// -- virtual time and the store, through the whole interfaces ------------------

namespace {

/// A store that answers every write, or fails them while `fail` is set;
/// counts what reached it.
struct store_log {
  size_t pipelines = 0;
  size_t edges = 0;
  bool fail = false;
};

struct mock_store_state {
  static inline const char* name = "mock-store";
};

monitor_store_actor::behavior_type
mock_store(monitor_store_actor::stateful_pointer<mock_store_state>,
           std::shared_ptr<store_log> log) {
  return {
      [log](atom::put, const pipeline&, uint64_t, uint64_t, uint64_t,
            double) -> caf::result<atom::ok> {
        if (log->fail)
          return caf::make_error(ec::filesystem_error, "disk full");
        ++log->pipelines;
        return atom::ok_v;
      },
      [log](atom::put, const edge_status&) -> caf::result<atom::ok> {
        if (log->fail)
          return caf::make_error(ec::filesystem_error, "disk full");
        ++log->edges;
        return atom::ok_v;
      },
  };
}

struct clocked_fixture : test::actor_fixture {
  std::shared_ptr<store_log> log = std::make_shared<store_log>();
  monitor_actor m;

  clocked_fixture() {
    auto o = opts();
    o.now = virtual_wall_clock();
    o.store = spawn(mock_store, log);
    m = spawn(monitor, o);
  }
};

} // namespace

BOOST_FIXTURE_TEST_CASE(timestamps_and_durations_follow_virtual_time, clocked_fixture) {
  auto p = request<pipeline>(m, atom::start_v, std::string{"t"}, std::string{"x"});
  BOOST_TEST_REQUIRE(static_cast<bool>(p), test::error_of(p));
  BOOST_TEST(p->start_time == "2026-01-01T00:00:00.000Z");
  advance(std::chrono::milliseconds(2500));
  auto done = request<pipeline>(m, atom::update_v, std::string{"t"},
                                std::string{"completed"}, std::string{"{}"});
  BOOST_TEST_REQUIRE(static_cast<bool>(done), test::error_of(done));
  BOOST_TEST(done->end_time == "2026-01-01T00:00:02.500Z");
  BOOST_TEST(done->duration_s == 2.5);
  BOOST_TEST(log->pipelines == 2u);
}

BOOST_FIXTURE_TEST_CASE(a_write_the_store_refuses_is_not_applied, clocked_fixture) {
  BOOST_TEST_REQUIRE(static_cast<bool>(
      request<pipeline>(m, atom::start_v, std::string{"s"}, std::string{"x"})));
  log->fail = true;
  auto refused = request<pipeline>(m, atom::update_v, std::string{"s"},
                                   std::string{"krm_generated"}, std::string{"{}"});
  BOOST_TEST_REQUIRE(!refused);
  BOOST_TEST(refused.error().code() == static_cast<uint8_t>(ec::filesystem_error));
  auto edge = request<edge_status>(m, atom::edge_v, std::string{"edge1"},
                                   std::string{"healthy"}, std::string{});
  BOOST_TEST(!edge);
  log->fail = false;
  // Neither change happened: the pipeline still moves from input_received,
  // the edge is still unknown.
  auto view = test::to_json(
      request<pipeline>(m, atom::get_v, atom::pipeline_v, std::string{"s"}));
  BOOST_TEST_REQUIRE(static_cast<bool>(view));
  BOOST_TEST(test::json_at(*view, {"current_stage"}) == "input_received");
  auto edges =
      test::to_json(request<std::vector<edge_status>>(m, atom::get_v, atom::edges_v));
  BOOST_TEST(test::json_at(*edges, {"edge01", "status"}) == "unknown");
  BOOST_TEST(log->pipelines == 1u);
}
