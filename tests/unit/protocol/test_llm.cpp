#define BOOST_TEST_MODULE llm
#include "protocol/llm_json.hpp"
#include "support/actor_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub;
namespace test = o2hub::test;

namespace {
const std::vector<std::string> sites{"edge1", "edge2", "edge3", "edge4"};
}

BOOST_AUTO_TEST_CASE(prompt_names_sites_and_the_sentence) {
  auto p = build_llm_prompt("Deploy URLLC on edge2", sites);
  BOOST_TEST(p.find("edge1, edge2, edge3, edge4") != std::string::npos);
  BOOST_TEST(p.find("Deploy URLLC on edge2") != std::string::npos);
  BOOST_TEST(p.find("intentType") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reads_the_cli_result) {
  auto ok = read_cli_output(R"({"type":"result","is_error":false,"result":"{\"a\":1}"})");
  BOOST_TEST_REQUIRE(static_cast<bool>(ok), test::error_of(ok));
  BOOST_TEST(*ok == R"({"a":1})");
  // The original service returned the CLI's start-up event as the intent.
  BOOST_TEST(!read_cli_output(R"({"type":"system","subtype":"init"})"));
  BOOST_TEST(!read_cli_output(R"({"type":"result","is_error":true,"result":"x"})"));
  BOOST_TEST(!read_cli_output("not json"));
  BOOST_TEST(!read_cli_output(R"({"type":"result","result":42})"));
}

BOOST_AUTO_TEST_CASE(reads_chat_completions) {
  auto ok = read_chat_completion(
      R"({"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"{\"intentType\":\"eMBB\"}"}}]})");
  BOOST_TEST_REQUIRE(static_cast<bool>(ok));
  BOOST_TEST(*ok == R"({"intentType":"eMBB"})");
  BOOST_TEST(!read_chat_completion(R"({"choices":[]})"));
  BOOST_TEST(!read_chat_completion("<html>"));
}

BOOST_AUTO_TEST_CASE(extracts_plain_and_fenced_json) {
  BOOST_TEST(*extract_json_object(R"(sure: {"a":{"b":"}"}} trailing)")
             == R"({"a":{"b":"}"}})");
  BOOST_TEST(*extract_json_object("text\n```json\n{\"x\":1}\n```\nmore {\"y\":2}")
             == R"({"x":1})");
  BOOST_TEST(!extract_json_object("no json here"));
  BOOST_TEST(!extract_json_object(R"({"open": "never closed")"));
}

BOOST_AUTO_TEST_CASE(validates_the_answer) {
  auto ok = parse_llm_answer(
      R"({"intentType":"mMTC","targetSites":["Edge-03"],"bandwidthMbps":10,"uplinkMbps":null,
        "latencyMs":100,"reliabilityPct":null,"deviceCount":50000,"priority":4})",
      sites);
  BOOST_TEST_REQUIRE(static_cast<bool>(ok), test::error_of(ok));
  BOOST_TEST(ok->intent_type == "mMTC");
  BOOST_TEST(ok->target_sites == std::vector<std::string>{"edge3"});
  BOOST_TEST(ok->device_count == 50000);
  BOOST_TEST(ok->uplink_mbps == -1);
  for (auto bad : {R"({"intentType":"5G"})", R"({"targetSites":[]})",
                   R"({"intentType":"eMBB","targetSites":["edge9"]})",
                   R"({"intentType":"eMBB","targetSites":"edge1"})",
                   R"({"intentType":"eMBB","latencyMs":"fast"})",
                   R"({"intentType":"eMBB","latencyMs":-1})",
                   R"({"intentType":"eMBB","reliabilityPct":120})",
                   R"({"intentType":"eMBB","deviceCount":1.5})",
                   R"({"intentType":"eMBB","priority":11})", R"([1])", "{"})
    BOOST_TEST(!parse_llm_answer(bad, sites), bad);
}
