// The operator sentences of tests/fixtures/operator-intents.jsonl (issue 12:
// chat-style English, typos, numbers in words, distractor numbers, site
// ranges and exclusions, up/down pairs, Chinese, use cues, refusals) through
// the pure rule engine, judged by tests/support/intent_expect.hpp. The same
// lines go through POST /api/v1/intent in tests/integration/test_intent_service.cpp.
#define BOOST_TEST_MODULE rules_operators
#include "actors/intent_rules.hpp"
#include "support/intent_expect.hpp"
#include "support/paths.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub;

namespace {

const std::vector<std::string> sites{"edge1", "edge2", "edge3", "edge4"};

/// What the intent service decides with the rules alone (actors/intent.cpp):
/// unknown site, not an intent, infeasible, or the intent.
test::understood understand(const std::string& text) {
  test::understood out;
  auto reading = read_intent_text(text, sites);
  if (!reading.unknown_sites.empty()) {
    out.refused = "unknown_site";
    return out;
  }
  if (says_nothing(reading)) {
    out.refused = "not_an_intent";
    return out;
  }
  intent_request req;
  req.text = text;
  std::vector<std::string> defaulted;
  out.value = make_intent(reading, req, sites, "intent-test", defaulted);
  out.corrections = reading.corrections;
  if (!infeasible_reasons(out.value, intent_limits{}).empty())
    out.refused = "infeasible";
  return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(every_operator_sentence_is_understood_fully_right) {
  auto lines =
      test::read_fixture(test::source_dir() + "/tests/fixtures/operator-intents.jsonl");
  BOOST_TEST_REQUIRE(lines.size() >= 150u);
  size_t right = 0;
  size_t chinese = 0;
  for (const auto& line : lines) {
    auto diffs = test::differences(line.expect_json, understand(line.text));
    std::string all;
    for (auto& d : diffs)
      all += "; " + d;
    BOOST_TEST(diffs.empty(), line.text << all);
    right += diffs.empty() ? 1 : 0;
    chinese += std::any_of(line.text.begin(), line.text.end(),
                           [](char c) { return static_cast<unsigned char>(c) >= 0xE0; });
  }
  BOOST_TEST_MESSAGE(right << " of " << lines.size() << " sentences fully right ("
                           << chinese << " with Chinese)");
  BOOST_TEST(chinese >= 30u);
}
