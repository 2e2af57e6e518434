// Edge probers, deterministically (a fake HTTP client, virtual time), and
// for real against local HTTP servers that are up, down, hanging and
// flapping.
#define BOOST_TEST_MODULE prober
#include "actors/edge_prober.hpp"
#include "actors/monitor/monitor.hpp"
#include "config/config.hpp"
#include "io/http_client.hpp"
#include "io/http_client_actor.hpp"
#include "protocol/site_name.hpp"
#include "support/actor_fixture.hpp"
#include "support/json_query.hpp"
#include "support/mocks/http.hpp"
#include "support/monitor_json.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub;
using namespace std::chrono_literals;
namespace test = o2hub::test;

namespace {

using test::pending_fetch;

struct fixture : test::actor_fixture {
  test::fetch_log log = std::make_shared<std::vector<pending_fetch>>();
  std::vector<pending_fetch>& fetches = *log;
  monitor_actor m;
  prober_actor p;

  fixture() {
    monitor_options mo;
    mo.sites = {"edge1"};
    m = spawn(monitor, mo);
    prober_options po;
    po.site = "edge1";
    edge_site site;
    site.name = "edge1";
    site.o2ims_port = 1;
    site.prometheus_port = 2;
    site.k8s_api_port = 3;
    probing_config pc;
    pc.timeout_ms = 2000;
    po.checks = checks_for(site, pc);
    po.interval = 5s;
    po.failures_before_unreachable = 3;
    po.sink = m;
    po.http = spawn(test::scripted_http, log);
    p = spawn(edge_prober, po);
  }

  /// Starts a round (the timer) and answers its three checks.
  void round(int32_t o2ims, int32_t prom, int32_t k8s) {
    fetches.clear();
    self->send(p, atom::tick_v);
    run();
    BOOST_REQUIRE_EQUAL(fetches.size(), 3u);
    int32_t codes[] = {o2ims, prom, k8s};
    for (size_t i = 0; i < 3; ++i) {
      fetch_result r;
      r.status = codes[i];
      r.latency_ms = 10;
      if (codes[i] == 0)
        r.error = "Couldn't connect to server";
      fetches[i].done(r);
    }
    run();
  }

  std::string edge() {
    auto e =
        test::to_json(request<std::vector<edge_status>>(m, atom::get_v, atom::edges_v));
    return test::json_at(*e, {"edge01", "status"});
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(prober_logic, fixture)

BOOST_AUTO_TEST_CASE(probes_the_sites_own_ports_and_paths) {
  self->send(p, atom::tick_v);
  run();
  BOOST_REQUIRE_EQUAL(fetches.size(), 3u);
  BOOST_TEST(fetches[0].req.url
             == "http://127.0.0.1:1/o2ims-infrastructureInventory/api_versions");
  BOOST_TEST(fetches[1].req.url == "http://127.0.0.1:2/-/healthy");
  BOOST_TEST(fetches[2].req.url == "https://127.0.0.1:3/readyz");
  BOOST_TEST(fetches[2].req.timeout_ms == 2000);
  // A round still running is not started again.
  fetches.clear();
  self->send(p, atom::tick_v);
  run();
  BOOST_TEST(fetches.empty());
}

BOOST_AUTO_TEST_CASE(healthy_degraded_and_unreachable_with_hysteresis) {
  BOOST_TEST(edge() == "unknown");
  round(200, 200, 401); // unauthorized still means reachable
  BOOST_TEST(edge() == "healthy");
  round(200, 0, 200);
  BOOST_TEST(edge() == "degraded");
  round(200, 500, 200);
  BOOST_TEST(edge() == "degraded");
  round(0, 0, 0); // one failed round is not yet unreachable
  BOOST_TEST(edge() == "degraded");
  round(0, 0, 0);
  BOOST_TEST(edge() == "degraded");
  round(0, 0, 0);
  BOOST_TEST(edge() == "unreachable");
  round(200, 200, 200);
  BOOST_TEST(edge() == "healthy");
  auto e =
      test::to_json(request<std::vector<edge_status>>(m, atom::get_v, atom::edges_v));
  BOOST_TEST(test::json_at(*e, {"edge01", "checks", "k8s", "state"}) == "ok");
  BOOST_TEST(test::json_at(*e, {"edge01", "latency_ms"}) == "10");
}

BOOST_AUTO_TEST_CASE(the_timer_starts_the_next_round) {
  self->send(p, atom::tick_v);
  run();
  BOOST_REQUIRE_EQUAL(fetches.size(), 3u);
  for (auto& f : fetches)
    f.done(fetch_result{200, 1, false, "", ""});
  run();
  fetches.clear();
  advance(5s);
  BOOST_TEST(fetches.size() == 3u);
}

BOOST_AUTO_TEST_CASE(late_answers_of_an_old_round_are_ignored) {
  self->send(p, atom::tick_v);
  run();
  auto old = fetches;
  for (auto& f : old)
    f.done(fetch_result{200, 1, false, "", ""});
  run();
  BOOST_TEST(edge() == "healthy");
  round(0, 200, 200);
  BOOST_TEST(edge() == "degraded");
  old[1].done(fetch_result{200, 1, false, "", ""}); // round 1, again
  run();
  BOOST_TEST(edge() == "degraded");
}

BOOST_AUTO_TEST_CASE(a_paused_prober_asks_nothing_and_reports_afresh_when_resumed) {
  round(200, 200, 200);
  BOOST_TEST(edge() == "healthy");
  // An agent took over: no requests, and answers still in flight are dropped.
  fetches.clear();
  self->send(p, atom::tick_v);
  run();
  auto in_flight = fetches;
  BOOST_REQUIRE_EQUAL(in_flight.size(), 3u);
  self->send(p, atom::pause_v, true);
  run();
  for (auto& f : in_flight)
    f.done(fetch_result{0, 0, false, "Couldn't connect to server", ""});
  run();
  fetches.clear();
  self->send(p, atom::tick_v);
  run();
  BOOST_TEST(fetches.empty());
  // Meanwhile someone else set the status; resumed, the first verdict is
  // reported although it equals the prober's last one.
  self->send(m, atom::edge_v, std::string{"edge1"},
             probe_report{"unreachable", -1, {}, "agent", "0.1"});
  self->send(p, atom::pause_v, false);
  run();
  BOOST_TEST(edge() == "unreachable");
  round(200, 200, 200);
  BOOST_TEST(edge() == "healthy");
}

BOOST_AUTO_TEST_CASE(a_client_that_never_answers_counts_as_down) {
  // The HTTP client actor answers nothing at all: each request gives up
  // after the check's timeout plus a 5 s grace (7 s), a tick that comes
  // while a round runs is skipped, and the third silent round makes the
  // site unreachable. Virtual time, one second at a time.
  round(200, 200, 200);
  BOOST_TEST(edge() == "healthy");
  int elapsed = 0;
  while (edge() == "healthy" && elapsed < 60) {
    advance(1s);
    ++elapsed;
  }
  // Rounds start at 5, 15 and 25 s and time out at 12, 22 and 32 s.
  BOOST_TEST(elapsed == 32);
  BOOST_TEST(edge() == "unreachable");
  auto e =
      test::to_json(request<std::vector<edge_status>>(m, atom::get_v, atom::edges_v));
  BOOST_TEST(test::json_at(*e, {"edge01", "checks", "o2ims", "state"}) == "down");
}

BOOST_AUTO_TEST_SUITE_END()

// -- against real local servers ------------------------------------------------

#include "io/http.hpp"
#include "io/security.hpp"
#include "io/server.hpp"
#include "protocol/ws_sink.hpp"
#include "support/process.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace {

/// Local endpoints in every mood: /up, /unauthorized, /hang, /slow, /flap.
struct edge_servers {
  boost::asio::io_context ioc;
  std::unique_ptr<o2hub::server> srv;
  std::thread thread;
  std::atomic<int> flips{0};
  std::vector<o2hub::http::responder> hung; // answered at the end
  std::mutex mtx;
  uint16_t port = 0;

  edge_servers() {
    auto policy = std::make_shared<security_policy>("", "", security_config{});
    auto r = std::make_shared<http::router>(policy);
    using http::verb;
    auto answer = [](http::status st) {
      return [st](const http::request& req, const http::request_context&,
                  http::responder respond) { respond(http::make_json(req, st, "{}")); };
    };
    r->add_prefix(verb::get, "/up/", answer(http::status::ok));
    r->add_prefix(verb::get, "/unauthorized/", answer(http::status::unauthorized));
    r->add_prefix(verb::get, "/hang/",
                  [this](const http::request&, const http::request_context&,
                         http::responder respond) {
                    std::lock_guard<std::mutex> guard{mtx};
                    hung.push_back(std::move(respond)); // no answer
                  });
    r->add_prefix(verb::get, "/slow/",
                  [](const http::request& req, const http::request_context&,
                     http::responder respond) {
                    auto proto = std::make_shared<http::request>();
                    proto->version(req.version());
                    std::thread([proto, respond] {
                      std::this_thread::sleep_for(100ms);
                      respond(http::make_json(*proto, http::status::ok, "{}"));
                    }).detach();
                  });
    r->add_prefix(
        verb::get, "/flap/",
        [this](const http::request& req, const http::request_context&,
               http::responder respond) {
          bool up = (flips++ % 2) == 0;
          respond(http::make_json(
              req, up ? http::status::ok : http::status::service_unavailable, "{}"));
        });
    srv = std::make_unique<o2hub::server>(ioc, r, server_options{});
    BOOST_REQUIRE(srv->listen("127.0.0.1", 0).empty());
    port = srv->port();
    thread = std::thread([this] { ioc.run(); });
  }

  ~edge_servers() {
    srv->shutdown();
    ioc.stop();
    thread.join();
  }

  std::string url(const std::string& mood) const {
    return "http://127.0.0.1:" + std::to_string(port) + "/" + mood + "/x";
  }
};

/// Counts the monitor's edge_update events per edge.
struct counting_sink : ws_sink {
  std::mutex mtx;
  std::map<std::string, int> updates;
  bool push(std::shared_ptr<const std::string> text) override {
    if (test::json_at(*text, {"type"}) == "edge_update") {
      std::lock_guard<std::mutex> guard{mtx};
      ++updates[test::json_at(*text, {"data", "edge"})];
    }
    return true;
  }
  void close(uint16_t, std::string) override {}
  uint64_t id() const override { return 7; }
  o2hub::role role() const override { return o2hub::role::viewer; }
};

struct real_fixture : test::actor_fixture {
  edge_servers servers;
  std::shared_ptr<http_client> shared_client = std::make_shared<http_client>();
  http_client& client = *shared_client;
  http_client_actor http;
  monitor_actor m;
  std::vector<std::string> names{"edge1", "edge2", "edge3", "edge4", "edge5", "edge6"};

  real_fixture() {
    monitor_options mo;
    mo.sites = names;
    m = spawn(monitor, mo);
    http = spawn_http_client_actor(sys, shared_client);
    spawned.push_back(caf::actor_cast<caf::actor>(http));
  }

  prober_actor prober(const std::string& site, std::vector<std::string> urls,
                      int failures = 2) {
    prober_options po;
    po.site = site;
    int i = 0;
    for (auto& u : urls) {
      fetch_request r;
      r.url = u;
      r.timeout_ms = 400;
      po.checks.push_back({"check" + std::to_string(i++), r});
    }
    po.interval = 1s;
    po.failures_before_unreachable = failures;
    po.sink = m;
    po.http = http;
    return spawn(edge_prober, po);
  }

  /// Ticks every prober, then runs until all rounds are in (real I/O).
  void round(const std::vector<prober_actor>& probers) {
    for (auto& p : probers)
      self->send(p, atom::tick_v);
    run();
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
      run();
      if (client.in_flight() == 0) {
        run();
        break;
      }
    }
  }

  std::string status(const std::string& site) {
    auto e =
        test::to_json(request<std::vector<edge_status>>(m, atom::get_v, atom::edges_v));
    auto key = seed_site_name(site); // the monitor's wire spells "edge01"
    return test::json_at(*e, {key.c_str(), "status"});
  }
};

} // namespace

BOOST_FIXTURE_TEST_CASE(real_servers_up_down_hanging_slow_flapping, real_fixture) {
  auto events = std::make_shared<counting_sink>();
  self->send(m, atom::subscribe_v, ws_sink_ptr{events});
  run();
  auto closed = "http://127.0.0.1:" + std::to_string(test::free_port()) + "/x";
  std::vector<prober_actor> ps{
      prober("edge1", {servers.url("up"), servers.url("up"), servers.url("up")}),
      prober("edge2",
             {servers.url("unauthorized"), servers.url("up"), servers.url("up")}),
      prober("edge3", {closed, closed, closed}),
      prober("edge4", {servers.url("hang"), servers.url("up"), servers.url("up")}),
      prober("edge5", {servers.url("slow"), servers.url("slow"), servers.url("up")}),
      prober("edge6", {servers.url("flap")}),
  };
  auto start = std::chrono::steady_clock::now();
  round(ps);
  // One slow round never holds up the others beyond the timeout.
  BOOST_TEST((std::chrono::steady_clock::now() - start < 2s));
  BOOST_TEST(status("edge1") == "healthy");
  BOOST_TEST(status("edge2") == "healthy");
  BOOST_TEST(status("edge3") == "unknown");  // one failed round: not yet
  BOOST_TEST(status("edge4") == "degraded"); // the hanging check timed out
  BOOST_TEST(status("edge5") == "healthy");
  BOOST_TEST(status("edge6") == "healthy");
  auto e =
      test::to_json(request<std::vector<edge_status>>(m, atom::get_v, atom::edges_v));
  BOOST_TEST(test::json_at(*e, {"edge04", "checks", "check0", "state"}) == "down");
  round(ps);
  BOOST_TEST(status("edge3") == "unreachable");
  BOOST_TEST(status("edge6") == "degraded"); // 503
  round(ps);
  BOOST_TEST(status("edge6") == "healthy");
  // Only changes reach the monitor's clients: one edge_update each.
  BOOST_TEST(events->updates["edge01"] == 1); // the seed's spelling on the wire
  BOOST_TEST(events->updates["edge03"] == 1);
  BOOST_TEST(events->updates["edge06"] == 3);
  {
    std::lock_guard<std::mutex> guard{servers.mtx};
    for (auto& r : servers.hung) {
      http::request req;
      req.version(11);
      r(http::make_json(req, http::status::ok, "{}"));
    }
  }
  client.stop();
}
