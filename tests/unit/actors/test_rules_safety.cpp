// The rule engine's safety (issue 12), as pure functions: typos within one
// edit, the action a sentence asks for, text that says nothing, what the
// sites cannot offer, and the confidence of an answer.
#define BOOST_TEST_MODULE rules_safety
#include "actors/intent_rules.hpp"
#include "actors/rules/tokens.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub;

namespace {

const std::vector<std::string> sites{"edge1", "edge2", "edge3", "edge4"};

rule_reading read(const char* text) {
  return read_intent_text(text, sites);
}

} // namespace

BOOST_AUTO_TEST_CASE(one_edit_covers_insert_delete_replace_and_swap) {
  using rules::one_edit_apart;
  BOOST_TEST(one_edit_apart("edge", "edge"));
  BOOST_TEST(one_edit_apart("edg", "edge"));   // deleted
  BOOST_TEST(one_edit_apart("eddge", "edge")); // inserted
  BOOST_TEST(one_edit_apart("edgw", "edge"));  // replaced
  BOOST_TEST(one_edit_apart("egde", "edge"));  // swapped
  BOOST_TEST(one_edit_apart("edeg", "edge"));
  BOOST_TEST(!one_edit_apart("egd", "edge"));
  BOOST_TEST(!one_edit_apart("node", "edge"));
  BOOST_TEST(!one_edit_apart("dgee", "edge"));
}

BOOST_AUTO_TEST_CASE(site_typos_are_read_and_reported) {
  auto r = read("Deploy eMBB on edg02");
  BOOST_TEST(r.sites == std::vector<std::string>{"edge2"});
  BOOST_TEST_REQUIRE(r.corrections.size() == 1u);
  BOOST_TEST(r.corrections[0].from == "edg02");
  BOOST_TEST(r.corrections[0].to == "edge2");
  r = read("urllc on egde1 and edeg3");
  BOOST_TEST((r.sites == std::vector<std::string>{"edge1", "edge3"}));
  // A typo of a site that is not configured stays unknown (refused later).
  r = read("Deploy eMBB on edg9");
  BOOST_TEST(r.sites.empty());
  BOOST_TEST(r.unknown_sites == std::vector<std::string>{"edge9"});
  // Correct spellings are no corrections; a typo followed by a unit is no site.
  BOOST_TEST(read("Deploy eMBB on edge2").corrections.empty());
  BOOST_TEST(read("edg 5 ms latency").sites.empty());
}

BOOST_AUTO_TEST_CASE(the_action_comes_from_the_verbs) {
  BOOST_TEST(read("Deploy URLLC on edge1").action == "deploy");
  BOOST_TEST(read("remove the URLLC service from edge1").action == "remove");
  BOOST_TEST(read("please tear down the slice on edge3").action == "remove");
  BOOST_TEST(read("undeploy everything on edge2").action == "remove");
  BOOST_TEST(read("刪除 edge1 的服務").action == "remove");
  BOOST_TEST(read("停用边缘站点2的切片").action == "remove");
  BOOST_TEST(read("increase bandwidth to 500 Mbps on edge2").action == "modify");
  BOOST_TEST(read("change the latency on edge1 to 5 ms").action == "modify");
  BOOST_TEST(read("提高 edge2 的頻寬").action == "modify");
  BOOST_TEST(read("video streaming on edge1").action == "deploy");
}

BOOST_AUTO_TEST_CASE(text_that_says_nothing_is_recognised) {
  for (auto text : {"what is the weather today?", "hello", "thanks!", "asdf qwerty", ""})
    BOOST_TEST(says_nothing(read(text)), text);
  for (auto text : {"Deploy", "urllc", "video streaming", "edge2", "5 ms latency",
                    "10000 sensors", "all sites", "remove it", "部署"})
    BOOST_TEST(!says_nothing(read(text)), text);
}

BOOST_AUTO_TEST_CASE(what_the_sites_cannot_offer_is_listed) {
  intent x;
  x.target_sites = {"edge1", "edge2"};
  x.bandwidth_mbps = 500;
  x.latency_ms = 1;
  intent_limits limits;
  BOOST_TEST(infeasible_reasons(x, limits).empty());
  x.latency_ms = 0; // not "unset"
  x.bandwidth_mbps = 20'000;
  x.reliability_pct = 99.999999;
  x.device_count = 20'000'000;
  limits.capacity_mbps["edge2"] = 50'000;
  auto why = infeasible_reasons(x, limits);
  BOOST_TEST_REQUIRE(why.size() == 4u);
  BOOST_TEST(why[0] == "latency 0 ms is below what the sites can offer (0.5 ms)");
  BOOST_TEST(why[1] == "bandwidth 20000 Mbps exceeds edge1's capacity (10000 Mbps)");
  BOOST_TEST(why[2] == "reliability 99.999999% is above what can be offered (99.99999%)");
  BOOST_TEST(why[3] == "20000000 devices exceed the limit (10000000)");
}

BOOST_AUTO_TEST_CASE(confidence_is_low_when_type_or_sites_were_guessed) {
  BOOST_TEST(confidence_of({}, {}) == "high");
  BOOST_TEST(confidence_of({"bandwidth"}, {}) == "medium");
  BOOST_TEST(confidence_of({"intentType"}, {}) == "low");
  BOOST_TEST(confidence_of({"targetSites"}, {}) == "low");
  BOOST_TEST(confidence_of({}, {{"edg2", "edge2"}}) == "low");
}
