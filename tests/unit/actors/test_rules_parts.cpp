// The rule engine's parts, each through its own function (issue 12: split
// by concern, each with its own tests): tokens and numbers, words (typos,
// abbreviations, distractors), sites, bandwidth, quantities, type.
#define BOOST_TEST_MODULE rules_parts
#include "actors/intent_rules.hpp"
#include "actors/rules/tokens.hpp"

#include <boost/test/unit_test.hpp>

using namespace o2hub;
using namespace o2hub::rules;

namespace {

const std::vector<std::string> four{"edge1", "edge2", "edge3", "edge4"};

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ",") + x;
  return out;
}

/// The tokens as "kind:text" items: w word, n number, s symbol, c CJK, o other.
std::string shape(const tokens& t) {
  std::string out;
  for (auto& tk : t) {
    static constexpr char kinds[] = {'w', 'n', 's', 'c', 'o'};
    out += (out.empty() ? "" : " ") + std::string(1, kinds[static_cast<int>(tk.k)]) + ":"
           + tk.text;
  }
  return out;
}

tokens normalized(std::string_view text, std::vector<text_correction>* fixes = nullptr) {
  auto t = tokenize(text);
  std::vector<text_correction> c;
  normalize_words(t, fixes ? *fixes : c);
  return t;
}

rule_reading sites_of(std::string_view text) {
  rule_reading r;
  read_sites(normalized(text), four, r);
  return r;
}

rule_reading bandwidth_of(std::string_view text) {
  rule_reading r;
  read_bandwidth(normalized(text), r);
  return r;
}

rule_reading quantities_of(std::string_view text) {
  rule_reading r;
  read_quantities(normalized(text), r);
  return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(tokens_and_numbers)

BOOST_AUTO_TEST_CASE(numbers_words_and_fractions) {
  BOOST_TEST(shape(tokenize("one point five gigabits")) == "n:1.5 w:gigabits");
  BOOST_TEST(shape(tokenize("a quarter of a millisecond")) == "n:0.25 w:millisecond");
  BOOST_TEST(shape(tokenize("half a ms")) == "n:0.5 w:ms");
  BOOST_TEST(shape(tokenize("half the sites")) == "w:half w:the w:sites");
  BOOST_TEST(shape(tokenize("2,000,000 devices")) == "n:2000000 w:devices");
  BOOST_TEST(shape(tokenize("800µs")) == "n:800 w:us");
}

BOOST_AUTO_TEST_CASE(chinese_numerals_count_only_before_a_measure_or_unit) {
  BOOST_TEST(shape(tokenize("五萬個感測器")) == "n:50000 c:個感測器");
  BOOST_TEST(shape(tokenize("时延三毫秒")) == "c:时延 n:3 c:毫秒");
  BOOST_TEST(shape(tokenize("萬兆")) == "n:10000 c:兆");
  BOOST_TEST(shape(tokenize("两千五百个")) == "n:2500 c:个");
  BOOST_TEST(shape(tokenize("第三个边缘站点")) == "c:第 n:3 c:个边缘站点");
  // 一 inside words is no number; a multiplier after digits stays one.
  BOOST_TEST(shape(tokenize("统一部署")) == "c:统一部署");
  BOOST_TEST(shape(tokenize("2.5 万个")) == "n:2.5 c:万个");
}

BOOST_AUTO_TEST_CASE(ranges_gaps_and_glue) {
  BOOST_TEST(shape(tokenize("edges 2-4")) == "w:edges n:2 s:- n:4");
  BOOST_TEST(shape(tokenize("edge-1 to edge-3")) == "w:edge n:1 w:to w:edge n:3");
  auto t = tokenize("all sites, 600 down");
  BOOST_TEST_REQUIRE(t.size() == 4u);
  BOOST_TEST(t[2].gap);
  BOOST_TEST(!t[1].gap);
  t = tokenize("300M down");
  BOOST_TEST(t[1].glued);
  t = tokenize("300 M down");
  BOOST_TEST(!t[1].glued);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(words)

BOOST_AUTO_TEST_CASE(distractor_numbers_are_no_quantities) {
  BOOST_TEST(shape(tokenize("at 22:15")) == "w:at o:22:15");
  BOOST_TEST(shape(tokenize("for 36 hours")) == "w:for o:36 w:hours");
  BOOST_TEST(shape(tokenize("INC-4411")) == "w:inc o:4411");
  BOOST_TEST(shape(tokenize("5G video")) == "o:5 w:g w:video");
  BOOST_TEST(shape(tokenize("1G down")) == "n:1 w:g w:down");
  BOOST_TEST(shape(tokenize("rack 12 release 4.1")) == "w:rack o:12 w:release o:4.1");
  BOOST_TEST(shape(tokenize("on 2026-12-15")) == "w:on o:2026 s:- o:12 s:- o:15");
  BOOST_TEST(shape(tokenize("edge-1")) == "w:edge n:1");
}

BOOST_AUTO_TEST_CASE(typos_are_corrected_and_reported_abbreviations_expanded) {
  std::vector<text_correction> fixes;
  auto t = normalized("latnecy 2 ms relaibility 400 mpbs bw lat devs", &fixes);
  BOOST_TEST(shape(t)
             == "w:latency n:2 w:ms w:reliability n:400 w:mbps w:bandwidth w:latency "
                "w:devices");
  BOOST_TEST_REQUIRE(fixes.size() == 3u);
  BOOST_TEST(fixes[0].from == "latnecy");
  BOOST_TEST(fixes[2].to == "mbps");
  // Units are corrected only after a number; inflections are no typos; real
  // units are never "corrected" into each other.
  fixes.clear();
  normalized("maps of the sensor uploads 5 gbps 2 kbps 1 tbps", &fixes);
  BOOST_TEST(fixes.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sites)

BOOST_AUTO_TEST_CASE(ranges_lists_ordinals_and_ends) {
  BOOST_TEST(join(sites_of("edges 2-4").sites) == "edge2,edge3,edge4");
  BOOST_TEST(join(sites_of("from edge1 to edge3").sites) == "edge1,edge2,edge3");
  BOOST_TEST(join(sites_of("edge 2 to 4").sites) == "edge2,edge3,edge4");
  BOOST_TEST(join(sites_of("edges 1, 3 and 4").sites) == "edge1,edge3,edge4");
  BOOST_TEST(join(sites_of("edges one and two").sites) == "edge1,edge2");
  BOOST_TEST(join(sites_of("the 2nd site").sites) == "edge2");
  BOOST_TEST(join(sites_of("the last two edge sites").sites) == "edge3,edge4");
  BOOST_TEST(join(sites_of("the first three sites").sites) == "edge1,edge2,edge3");
  BOOST_TEST(join(sites_of("第一个和第二个边缘站点").sites) == "edge1,edge2");
  BOOST_TEST(join(sites_of("edge1 到 edge3").sites) == "edge1,edge2,edge3");
}

BOOST_AUTO_TEST_CASE(exclusions) {
  auto r = sites_of("all sites except edge3");
  BOOST_TEST(r.all_sites);
  BOOST_TEST(join(r.excluded_sites) == "edge3");
  BOOST_TEST(r.sites.empty());
  BOOST_TEST(join(sites_of("everywhere apart from edge1 and edge2").excluded_sites)
             == "edge1,edge2");
  BOOST_TEST(join(sites_of("every site but the second one").excluded_sites) == "edge2");
  BOOST_TEST(join(sites_of("edge2 and edge3 but not edge4").excluded_sites) == "edge4");
  BOOST_TEST(join(sites_of("除 edge2 外的所有站点").excluded_sites) == "edge2");
  // "but" alone is no exclusion; 刪除 (delete) is no 除 (except).
  BOOST_TEST(sites_of("edge1 but fast").excluded_sites.empty());
  r = sites_of("刪除 edge3 上的切片");
  BOOST_TEST(r.excluded_sites.empty());
  BOOST_TEST(join(r.sites) == "edge3");
}

BOOST_AUTO_TEST_CASE(numbers_that_are_no_sites) {
  BOOST_TEST(sites_of("all sites, 600 down / 150 up").unknown_sites.empty());
  BOOST_TEST(sites_of("edge 5 ms").sites.empty());
  BOOST_TEST(join(sites_of("edge3, DL 750 Mbps").sites) == "edge3");
  BOOST_TEST(join(sites_of("on edg4").sites) == "edge4");
  BOOST_TEST(join(sites_of("edge9").unknown_sites) == "edge9");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bandwidth)

BOOST_AUTO_TEST_CASE(pairs_in_any_order) {
  auto check = [](std::string_view text, double down, double up) {
    auto r = bandwidth_of(text);
    BOOST_TEST(r.downlink_mbps == down, text);
    BOOST_TEST(r.uplink_mbps == up, text);
  };
  check("200/40 Mbps down/up", 200, 40);
  check("40/200 Mbps up/down", 200, 40);
  check("600 down / 150 up (Mbps)", 600, 150);
  check("downstream 300, upstream 60", 300, 60);
  check("uplink 5 Mbps, downlink 25 Mbps", 25, 5);
  check("300M down 60M up", 300, 60);
  check("dl 400 ul 40 mbps", 400, 40);
  check("50 Mbps both ways", 50, 50);
  check("symmetric 500 Mbps", 500, 500);
  check("2 gig", 2000, absent);
  check("250 meg", 250, absent);
  check("下行 100 Mbps，上行 20 Mbps", 100, 20);
  check("上行 50Mbps 下行 400Mbps", 400, 50);
  check("三百兆", 300, absent);
  // "up to" is a bound, not the uplink; "up 5 ms" no bandwidth.
  check("up to 500 Mbps", 500, absent);
  check("speed up 5 ms", absent, absent);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(quantities)

BOOST_AUTO_TEST_CASE(latency_reliability_and_devices) {
  BOOST_TEST(quantities_of("800 microseconds").latency_ms == 0.8);
  BOOST_TEST(quantities_of("时延 500 微秒").latency_ms == 0.5);
  BOOST_TEST(quantities_of("seven nines").reliability_pct == 99.99999);
  BOOST_TEST(quantities_of("5 9s").reliability_pct == 99.999);
  BOOST_TEST(quantities_of("可靠性五个九").reliability_pct == 99.999);
  BOOST_TEST(quantities_of("reliability 99.9995").reliability_pct == 99.9995);
  BOOST_TEST(quantities_of("99.99999999% reliability").reliability_pct == 99.99999999);
  BOOST_TEST(quantities_of("99.99% uptime").availability_pct == 99.99);
  BOOST_TEST(quantities_of("60,000 gas meters").device_count == 60000);
  BOOST_TEST(quantities_of("250k parcel trackers").device_count == 250000);
  BOOST_TEST(quantities_of("3 production lines").device_count == -1);
  BOOST_TEST(quantities_of("edge2 needs").device_count == -1);
  BOOST_TEST(quantities_of("感測器一萬個").device_count == 10000);
  BOOST_TEST(quantities_of("priority 3 for 2 ms").priority == 3);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(type)

BOOST_AUTO_TEST_CASE(names_win_over_cues_and_cues_over_numbers) {
  auto type_of = [](std::string_view text) {
    auto t = normalized(text);
    rule_reading r;
    read_quantities(t, r);
    return read_type(t, r);
  };
  BOOST_TEST(type_of("gantry crane control") == "URLLC");
  BOOST_TEST(type_of("tele-driving") == "URLLC");
  BOOST_TEST(type_of("cattle collars") == "mMTC");
  BOOST_TEST(type_of("e-sports arena") == "eMBB");
  BOOST_TEST(type_of("eMBB for the factory") == "eMBB");
  BOOST_TEST(type_of("mMTC for robot telemetry") == "mMTC");
  BOOST_TEST(type_of("ultra reliable video") == "URLLC");
  BOOST_TEST(type_of("3 ms") == "URLLC");
  BOOST_TEST(type_of("the weather") == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(keyword_tables_find_every_key_and_nothing_else) {
  // Many keys in a small table: probes run past collisions and wrap around
  // the end; a key's prefixes, extensions and neighbours are no keys.
  std::vector<std::string> keys;
  for (int n = 0; n < 300; ++n)
    keys.push_back("k" + std::to_string(n * 7));
  std::vector<std::pair<std::string_view, int>> entries;
  for (size_t n = 0; n < keys.size(); ++n)
    entries.emplace_back(keys[n], static_cast<int>(n));
  entries.emplace_back(keys[5], -1); // a second "k35": the first wins
  // word_table takes an initializer_list: build one from the vector's range.
  struct table : word_table<int> {
    explicit table(const std::vector<std::pair<std::string_view, int>>& xs) {
      reserve(xs.size());
      for (auto& [k, v] : xs)
        insert(k, v);
    }
  } t{entries};
  for (size_t n = 0; n < keys.size(); ++n) {
    const int* v = t.find(keys[n]);
    BOOST_REQUIRE_MESSAGE(v, keys[n]);
    BOOST_TEST(*v == static_cast<int>(n));
  }
  for (std::string miss : {"", "k", "k1", "k36", "k2094", "k2100", "K35", "k35 ", "x35"})
    BOOST_TEST(!t.contains(miss), miss);
  word_set s{"ms", "us", "ms", ""};
  BOOST_TEST(s.contains("ms"));
  BOOST_TEST(s.contains(""));
  BOOST_TEST(!s.contains("m"));
  BOOST_TEST(!s.contains("mss"));
  word_table<double> u{{"gbps", 1000}, {"mbps", 1}};
  BOOST_TEST(*u.find("gbps") == 1000);
  BOOST_TEST(!u.find("kbps"));
}
