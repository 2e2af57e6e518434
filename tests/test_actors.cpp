#define BOOST_TEST_MODULE actors
#include <boost/test/unit_test.hpp>

#include "actors/status.hpp"
#include "protocol/messages.hpp"
#include "support/actor_fixture.hpp"

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/uniform_type_info_map.hpp>

using namespace o2hub;
using namespace std::chrono_literals;

BOOST_FIXTURE_TEST_SUITE(status_actor_tests, test::actor_fixture)

BOOST_AUTO_TEST_CASE(reports_health_with_virtual_uptime) {
  auto st = spawn(status, std::string{"monitor"});
  advance(90s);
  auto report = request<health_report>(st, atom::health_v);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), test::error_of(report));
  BOOST_TEST(report->service == "monitor");
  BOOST_TEST(report->status == "healthy");
  BOOST_TEST(report->uptime_s >= 90.0);
  BOOST_TEST(report->uptime_s < 91.0);
  BOOST_TEST(report->details_json == "{}");
}

BOOST_AUTO_TEST_CASE(counts_requests_and_reports_fields) {
  auto st = spawn(status, std::string{"intent"});
  self->send(st, atom::count_v, http_count{"/health", 200});
  self->send(st, atom::count_v, http_count{"unmatched", 404});
  self->send(st, atom::put_v, std::string{"websocket_clients"}, std::string{"2"});
  self->send(st, atom::put_v, std::string{"status"}, std::string{"\"degraded\""});
  run();
  auto report = request<health_report>(st, atom::health_v);
  BOOST_TEST_REQUIRE(static_cast<bool>(report));
  BOOST_TEST(report->requests_total == 2u);
  BOOST_TEST(report->status == "degraded");
  BOOST_TEST(report->details_json == R"({"websocket_clients":2})");
}

BOOST_AUTO_TEST_SUITE_END()

// -- every message type survives CAF's binary serializer (BASP uses it) -------

namespace {

template <class T>
T round_trip(caf::actor_system& sys, T value) {
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  auto err = sink(value);
  BOOST_REQUIRE_MESSAGE(!err, render(err));
  T result;
  caf::binary_deserializer source{sys, buf};
  err = source(result);
  BOOST_REQUIRE_MESSAGE(!err, render(err));
  return result;
}

} // namespace

BOOST_FIXTURE_TEST_CASE(message_types_round_trip, test::actor_fixture) {
  health_report h;
  h.service = "bridge";
  h.version = "0.1.0";
  h.status = "degraded";
  h.uptime_s = 12.25;
  h.requests_total = 7;
  h.details_json = R"({"tmux_session":"claude-intent"})";
  BOOST_TEST((round_trip(sys, h) == h));
  http_count c{"/api/v1/intent", 422};
  BOOST_TEST((round_trip(sys, c) == c));
  // BASP finds types by their registered names: both must be known.
  BOOST_TEST(static_cast<bool>(sys.types().make_value("o2hub::health_report")));
  BOOST_TEST(static_cast<bool>(sys.types().make_value("o2hub::http_count")));
  BOOST_TEST(caf::id_block::o2hub::end - caf::id_block::o2hub::begin == 2u);
}

BOOST_FIXTURE_TEST_CASE(messages_round_trip_inside_caf_message, test::actor_fixture) {
  http_count c{"/health", 200};
  auto msg = caf::make_message(atom::count_v, c);
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  BOOST_REQUIRE(!sink(msg));
  caf::message copy;
  caf::binary_deserializer source{sys, buf};
  BOOST_REQUIRE(!source(copy));
  BOOST_REQUIRE((copy.match_elements<atom::count, http_count>()));
  BOOST_TEST((copy.get_as<http_count>(1) == c));
}
