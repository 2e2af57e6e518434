#define BOOST_TEST_MODULE actors
#include "actors/intent.hpp"
#include "actors/status.hpp"
#include "protocol/intent.hpp"
#include "protocol/io_messages.hpp"
#include "protocol/messages.hpp"
#include "protocol/pipeline_run.hpp"
#include "support/actor_fixture.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/uniform_type_info_map.hpp>

#include <set>

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
  BOOST_TEST(report->details.empty());
}

BOOST_AUTO_TEST_CASE(reports_service_fields) {
  auto st = spawn(status, std::string{"intent"});
  self->send(st, atom::put_v, health_field::of("websocket_clients", int64_t{2}));
  self->send(st, atom::put_v, health_field::of("status", std::string{"degraded"}));
  self->send(st, atom::put_v, health_field::of("session_active", true));
  self->send(st, atom::put_v, health_field::of("websocket_clients", int64_t{3}));
  run();
  auto report = request<health_report>(st, atom::health_v);
  BOOST_TEST_REQUIRE(static_cast<bool>(report));
  BOOST_TEST(report->status == "degraded");
  // In key order; the last value of a key wins; "status" is not a field.
  BOOST_TEST_REQUIRE(report->details.size() == 2u);
  BOOST_TEST((report->details[0] == health_field::of("session_active", true)));
  BOOST_TEST((report->details[1] == health_field::of("websocket_clients", int64_t{3})));
}

BOOST_AUTO_TEST_SUITE_END()

// -- the intent actor ----------------------------------------------------------

namespace {

intent_options intent_opts(size_t cache = 16) {
  intent_options o;
  o.sites = {"edge1", "edge2", "edge3", "edge4"};
  o.cache_size = cache;
  o.cache_ttl_s = 60;
  return o;
}

intent_request req_of(std::string text) {
  intent_request r;
  r.text = std::move(text);
  return r;
}

/// What a direct reply got: answers and errors, in order.
struct reply_log {
  std::vector<intent_response> answers;
  std::vector<caf::error> errors;
  intent_reply reply() {
    return intent_reply{[this](caf::expected<intent_response> r) {
      if (r)
        answers.push_back(std::move(*r));
      else
        errors.push_back(std::move(r.error()));
    }};
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(intent_actor_tests, test::actor_fixture)

BOOST_AUTO_TEST_CASE(understands_and_counts) {
  auto a = spawn(intent_service, intent_opts());
  auto res = request<intent_response>(
      a, atom::process_v, req_of("Deploy URLLC with 1ms latency on edge01 and edge02"));
  BOOST_TEST_REQUIRE(static_cast<bool>(res), test::error_of(res));
  BOOST_TEST(res->value.intent_type == "URLLC");
  BOOST_TEST(res->value.target_sites.size() == 2u);
  BOOST_TEST(res->metadata.engine == "rules");
  BOOST_TEST(!res->metadata.cached);
  BOOST_TEST(!res->metadata.fallback);
  BOOST_TEST(res->metadata.processed_at.back() == 'Z');
  auto stats = request<intent_stats>(a, atom::stats_v);
  BOOST_TEST_REQUIRE(static_cast<bool>(stats));
  BOOST_TEST(stats->requests == 1u);
  BOOST_TEST(stats->answered_by_rules == 1u);
  BOOST_TEST(stats->llm == "disabled");
}

BOOST_AUTO_TEST_CASE(answers_a_direct_reply_once_without_an_asker) {
  auto a = spawn(intent_service, intent_opts());
  reply_log log;
  caf::anon_send(a, atom::process_v, req_of("Deploy URLLC with 1ms latency on edge01"),
                 log.reply());
  caf::anon_send(a, atom::process_v, req_of("hello there"), log.reply());
  run();
  BOOST_TEST_REQUIRE(log.answers.size() == 1u);
  BOOST_TEST(log.answers[0].value.intent_type == "URLLC");
  BOOST_TEST(log.answers[0].value.target_sites == std::vector<std::string>{"edge1"});
  // Words that are no intent: a refusal, to the same kind of reply.
  BOOST_TEST_REQUIRE(log.errors.size() == 1u);
  BOOST_TEST(log.errors[0].code() == static_cast<uint8_t>(ec::not_an_intent));
  BOOST_TEST(request<intent_stats>(a, atom::stats_v)->requests == 2u);
}

BOOST_AUTO_TEST_CASE(a_direct_reply_dropped_unanswered_says_so) {
  reply_log log;
  {
    auto r = log.reply();
    auto copy = r; // a message copy: still one answer
    copy.deliver(caf::make_error(caf::sec::request_timeout));
    r.deliver(caf::make_error(caf::sec::request_receiver_down));
  }
  BOOST_TEST_REQUIRE(log.errors.size() == 1u);
  BOOST_TEST(log.errors[0].code() == static_cast<uint8_t>(caf::sec::request_timeout));
  // The actor is gone: the message is dropped, the reply answers anyway.
  auto a = spawn(intent_service, intent_opts());
  caf::anon_send_exit(a, caf::exit_reason::kill);
  run();
  caf::anon_send(a, atom::process_v, req_of("Deploy eMBB on edge1"), log.reply());
  run();
  BOOST_TEST(log.answers.empty());
  BOOST_TEST_REQUIRE(log.errors.size() == 2u);
  BOOST_TEST(log.errors[1].code()
             == static_cast<uint8_t>(caf::sec::request_receiver_down));
}

BOOST_AUTO_TEST_CASE(caches_with_lru_and_ttl) {
  auto a = spawn(intent_service, intent_opts(2));
  auto first =
      request<intent_response>(a, atom::process_v, req_of("Deploy eMBB on edge1"));
  // Same sentence with other spacing and case: a hit, with a new id.
  auto second =
      request<intent_response>(a, atom::process_v, req_of("  deploy \t EMBB\non edge1 "));
  BOOST_TEST_REQUIRE((first && second));
  BOOST_TEST(second->metadata.cached);
  BOOST_TEST(second->value.intent_id != first->value.intent_id);
  BOOST_TEST(second->value.target_sites == first->value.target_sites);
  // Two more keys push the first out (capacity 2).
  request<intent_response>(a, atom::process_v, req_of("Deploy eMBB on edge2"));
  request<intent_response>(a, atom::process_v, req_of("Deploy eMBB on edge3"));
  auto third =
      request<intent_response>(a, atom::process_v, req_of("Deploy eMBB on edge1"));
  BOOST_TEST(!third->metadata.cached);
  // Entries expire after the TTL (virtual time).
  auto hit = request<intent_response>(a, atom::process_v, req_of("Deploy eMBB on edge1"));
  BOOST_TEST(hit->metadata.cached);
  advance(std::chrono::seconds(61));
  auto expired =
      request<intent_response>(a, atom::process_v, req_of("Deploy eMBB on edge1"));
  BOOST_TEST(!expired->metadata.cached);
  auto stats = request<intent_stats>(a, atom::stats_v);
  BOOST_TEST(stats->cache_hits == 2u);
  BOOST_TEST(stats->cache_size <= 2u);
}

BOOST_AUTO_TEST_CASE(request_sites_and_context_are_part_of_the_key) {
  auto a = spawn(intent_service, intent_opts());
  auto plain = req_of("Deploy eMBB");
  request<intent_response>(a, atom::process_v, plain);
  auto with_sites = plain;
  with_sites.target_sites = {"edge3"};
  auto r = request<intent_response>(a, atom::process_v, with_sites);
  BOOST_TEST(!r->metadata.cached);
  BOOST_TEST(r->value.target_sites == std::vector<std::string>{"edge3"});
  auto with_ctx = plain;
  with_ctx.context_json = R"({"env":"lab"})";
  BOOST_TEST(!request<intent_response>(a, atom::process_v, with_ctx)->metadata.cached);
}

BOOST_AUTO_TEST_CASE(cache_off_and_unknown_sites) {
  auto a = spawn(intent_service, intent_opts(0));
  request<intent_response>(a, atom::process_v, req_of("Deploy eMBB"));
  BOOST_TEST(!request<intent_response>(a, atom::process_v, req_of("Deploy eMBB"))
                  ->metadata.cached);
  auto bad = request<intent_response>(a, atom::process_v, req_of("Deploy eMBB on edge9"));
  BOOST_TEST_REQUIRE(!bad);
  BOOST_TEST(bad.error().code() == static_cast<uint8_t>(ec::unknown_site));
  BOOST_TEST(render(bad.error()).find("edge9") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_batch_answers_every_request_in_order) {
  auto a = spawn(intent_service, intent_opts());
  std::vector<intent_request> batch{req_of("Deploy URLLC on edge2"),
                                    req_of("Deploy eMBB on edge9"),
                                    req_of("Deploy mMTC on edge1")};
  auto out = request<std::vector<intent_outcome>>(a, atom::process_v, batch);
  BOOST_TEST_REQUIRE(static_cast<bool>(out), test::error_of(out));
  BOOST_TEST_REQUIRE(out->size() == 3u);
  BOOST_TEST(!(*out)[0].error);
  BOOST_TEST((*out)[0].response.value.intent_type == "URLLC");
  BOOST_TEST((*out)[1].error.code() == static_cast<uint8_t>(ec::unknown_site));
  BOOST_TEST((*out)[2].response.value.intent_type == "mMTC");
  BOOST_TEST((*out)[2].response.value.target_sites == std::vector<std::string>{"edge1"});
  // Each request counts as one.
  BOOST_TEST(request<intent_stats>(a, atom::stats_v)->requests == 3u);
  auto none = request<std::vector<intent_outcome>>(a, atom::process_v,
                                                   std::vector<intent_request>{});
  BOOST_TEST_REQUIRE(static_cast<bool>(none));
  BOOST_TEST(none->empty());
}

BOOST_AUTO_TEST_SUITE_END()

// -- the intent actor with an LLM (fake workers, deterministic) --------------

namespace {

/// Stands in for a backend: records prompts; answers from `answer`, or holds
/// the reply until the test sends the worker (ok_atom, text).
struct fake_llm {
  std::vector<std::string> prompts;
  std::function<std::string(const std::string&)> answer;
  bool hold = false;
  std::vector<caf::actor> workers;
};

intent_options llm_opts(std::shared_ptr<fake_llm> fake, int concurrency = 4) {
  auto o = intent_opts();
  o.llm_concurrency = concurrency;
  o.llm = [fake](caf::local_actor* self, std::string prompt) {
    fake->prompts.push_back(prompt);
    // Dynamically typed so that the test can release a held reply; it
    // implements llm_call_actor's one handler.
    auto worker = self->spawn([fake, prompt](caf::event_based_actor* w) -> caf::behavior {
      auto held = std::make_shared<caf::response_promise>();
      return {
          [=](atom::run) -> caf::result<std::string> {
            if (fake->hold) {
              *held = w->make_response_promise();
              return caf::delegated<std::string>{};
            }
            return fake->answer(prompt);
          },
          [=](caf::ok_atom, const std::string& text) { held->deliver(text); },
      };
    });
    fake->workers.push_back(worker);
    return caf::actor_cast<llm_call_actor>(worker);
  };
  return o;
}

const std::string good_answer =
    R"({"intentType":"URLLC","targetSites":["edge3"],"latencyMs":2,"bandwidthMbps":80})";

/// Receives `n` replies that are already in the scoped actor's mailbox.
std::vector<intent_response> receive_n(caf::scoped_actor& self, size_t n) {
  std::vector<intent_response> out;
  for (size_t i = 0; i < n; ++i)
    self->receive([&](intent_response& r) { out.push_back(std::move(r)); },
                  [&](caf::error& err) { BOOST_FAIL(render(err)); },
                  caf::after(std::chrono::seconds(0)) >> [&] { BOOST_FAIL("no reply"); });
  return out;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(intent_llm_tests, test::actor_fixture)

BOOST_AUTO_TEST_CASE(uses_a_valid_llm_answer_and_caches_it) {
  auto fake = std::make_shared<fake_llm>();
  fake->answer = [](const std::string&) { return "```json\n" + good_answer + "\n```"; };
  auto a = spawn(intent_service, llm_opts(fake));
  auto r = request<intent_response>(a, atom::process_v, req_of("something vague"));
  BOOST_TEST_REQUIRE(static_cast<bool>(r), test::error_of(r));
  BOOST_TEST(r->metadata.engine == "llm");
  BOOST_TEST(!r->metadata.fallback);
  BOOST_TEST(r->value.intent_type == "URLLC");
  BOOST_TEST(r->value.target_sites == std::vector<std::string>{"edge3"});
  BOOST_TEST(r->value.latency_ms == 2);
  BOOST_TEST(fake->prompts.size() == 1u);
  BOOST_TEST(fake->prompts[0].find("something vague") != std::string::npos);
  auto again = request<intent_response>(a, atom::process_v, req_of("something vague"));
  BOOST_TEST(again->metadata.cached);
  BOOST_TEST(fake->prompts.size() == 1u);
  BOOST_TEST(request<intent_stats>(a, atom::stats_v)->llm == "healthy");
}

BOOST_AUTO_TEST_CASE(a_direct_reply_waits_for_the_llm) {
  auto fake = std::make_shared<fake_llm>();
  fake->hold = true;
  auto a = spawn(intent_service, llm_opts(fake));
  reply_log log;
  caf::anon_send(a, atom::process_v, req_of("something vague"), log.reply());
  run();
  BOOST_TEST(fake->prompts.size() == 1u);
  BOOST_TEST(log.answers.empty());
  BOOST_TEST(log.errors.empty());
  caf::anon_send(fake->workers[0], caf::ok_atom_v, good_answer);
  run();
  BOOST_TEST_REQUIRE(log.answers.size() == 1u);
  BOOST_TEST(log.answers[0].metadata.engine == "llm");
  BOOST_TEST(log.errors.empty());
}

BOOST_AUTO_TEST_CASE(falls_back_to_rules_and_does_not_cache_failures) {
  auto fake = std::make_shared<fake_llm>();
  fake->answer = [](const std::string&) { return std::string{"no idea"}; };
  auto a = spawn(intent_service, llm_opts(fake));
  auto r = request<intent_response>(a, atom::process_v,
                                    req_of("Deploy mMTC for 5000 sensors on edge4"));
  BOOST_TEST_REQUIRE(static_cast<bool>(r));
  BOOST_TEST(r->metadata.engine == "rules");
  BOOST_TEST(r->metadata.fallback);
  BOOST_TEST(r->metadata.fallback_reason.find("JSON") != std::string::npos,
             r->metadata.fallback_reason);
  BOOST_TEST(r->value.intent_type == "mMTC");
  BOOST_TEST(r->value.device_count == 5000);
  auto stats = request<intent_stats>(a, atom::stats_v);
  BOOST_TEST(stats->llm == "degraded");
  BOOST_TEST(stats->fallbacks == 1u);
  // Not cached: the next identical request asks the LLM again.
  fake->answer = [](const std::string&) { return good_answer; };
  auto r2 = request<intent_response>(a, atom::process_v,
                                     req_of("Deploy mMTC for 5000 sensors on edge4"));
  BOOST_TEST(!r2->metadata.cached);
  BOOST_TEST(r2->metadata.engine == "llm");
  BOOST_TEST(fake->prompts.size() == 2u);
  BOOST_TEST(request<intent_stats>(a, atom::stats_v)->llm == "healthy");
}

BOOST_AUTO_TEST_CASE(invalid_answers_name_the_reason) {
  auto fake = std::make_shared<fake_llm>();
  fake->answer = [](const std::string&) {
    return std::string{R"({"intentType":"eMBB","targetSites":["edge77"]})"};
  };
  auto a = spawn(intent_service, llm_opts(fake));
  auto r = request<intent_response>(a, atom::process_v, req_of("Deploy eMBB"));
  BOOST_TEST(r->metadata.fallback);
  BOOST_TEST(r->metadata.fallback_reason.find("edge77") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(identical_requests_share_one_call) {
  auto fake = std::make_shared<fake_llm>();
  fake->answer = [](const std::string&) { return good_answer; };
  auto a = spawn(intent_service, llm_opts(fake));
  for (int i = 0; i < 3; ++i)
    self->send(a, atom::process_v, req_of("same words"));
  self->send(a, atom::process_v, req_of("other words"));
  run();
  auto replies = receive_n(self, 4);
  BOOST_TEST(fake->prompts.size() == 2u);
  std::set<std::string> ids;
  for (auto& r : replies) {
    BOOST_TEST(r.metadata.engine == "llm");
    ids.insert(r.value.intent_id);
  }
  BOOST_TEST(ids.size() == 4u);
}

BOOST_AUTO_TEST_CASE(at_most_concurrency_calls_run_at_once) {
  auto fake = std::make_shared<fake_llm>();
  fake->hold = true;
  auto a = spawn(intent_service, llm_opts(fake, 2));
  for (auto text : {"one", "two", "three", "four"})
    self->send(a, atom::process_v, req_of(text));
  run();
  BOOST_TEST(fake->prompts.size() == 2u);
  auto release = [&](size_t i) {
    caf::anon_send(fake->workers[i], caf::ok_atom_v, good_answer);
  };
  release(0);
  run();
  BOOST_TEST(fake->prompts.size() == 3u);
  release(1);
  run();
  BOOST_TEST(fake->prompts.size() == 4u);
  release(2);
  release(3);
  run();
  auto replies = receive_n(self, 4);
  BOOST_TEST(replies.size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_batch_keeps_at_most_its_window_open) {
  auto fake = std::make_shared<fake_llm>();
  fake->hold = true;
  auto a = spawn(intent_service, llm_opts(fake, 20));
  std::vector<intent_request> batch;
  for (int i = 0; i < 10; ++i)
    batch.push_back(req_of("Deploy eMBB number " + std::to_string(i)));
  self->send(a, atom::process_v, batch);
  run();
  BOOST_TEST(fake->prompts.size() == intent_batch_window);
  caf::anon_send(fake->workers[0], caf::ok_atom_v, good_answer);
  run();
  BOOST_TEST(fake->prompts.size() == intent_batch_window + 1);
  for (size_t i = 1; i < 10; ++i) {
    caf::anon_send(fake->workers[i], caf::ok_atom_v, good_answer);
    run();
  }
  std::vector<intent_outcome> got;
  self->receive([&](std::vector<intent_outcome>& xs) { got = std::move(xs); });
  BOOST_TEST_REQUIRE(got.size() == 10u);
  for (const auto& o : got)
    BOOST_TEST(o.response.metadata.engine == "llm");
}

BOOST_AUTO_TEST_SUITE_END()
