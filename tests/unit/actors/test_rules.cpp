#define BOOST_TEST_MODULE rules
#include "actors/intent_rules.hpp"
#include "actors/rules/tokens.hpp"
#include "config/config.hpp"
#include "support/paths.hpp"

#include <boost/test/unit_test.hpp>
#include <simdjson.h>

#include <fstream>
#include <set>

using namespace o2hub;

namespace {

const std::vector<std::string> sites{"edge1", "edge2", "edge3", "edge4"};

struct outcome {
  intent value;
  rule_reading reading;
  std::vector<std::string> defaulted;
};

outcome understand(const std::string& text, std::vector<std::string> target_sites = {}) {
  outcome out;
  intent_request req;
  req.text = text;
  for (auto& s : target_sites)
    req.target_sites.push_back(normalize_site_name(s));
  out.reading = read_intent_text(text, sites);
  out.value =
      make_intent(out.reading, req, sites,
                  next_intent_id(std::chrono::system_clock::now()), out.defaulted);
  return out;
}

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ",") + x;
  return out;
}

} // namespace

// Every sentence of tests/fixtures/intents.jsonl (copied from shared/) with every field
// it lists.
BOOST_AUTO_TEST_CASE(fixture_sentences) {
  std::ifstream in{test::source_dir() + "/tests/fixtures/intents.jsonl"};
  BOOST_TEST_REQUIRE(in.good(), "cannot read the fixture file");
  simdjson::ondemand::parser parser;
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    simdjson::padded_string padded{line};
    auto doc = parser.iterate(padded);
    auto obj = doc.get_object().value();
    std::string text;
    std::vector<std::string> requested;
    std::string expect_json;
    for (auto field : obj) {
      std::string_view key = field.unescaped_key().value();
      if (key == "text") {
        text = std::string{field.value().get_string().value()};
      } else if (key == "target_sites") {
        for (auto s : field.value().get_array())
          requested.emplace_back(s.get_string().value());
      } else if (key == "expect") {
        simdjson::ondemand::object o = field.value().get_object().value();
        expect_json = std::string{o.raw_json().value()};
      }
    }
    auto got = understand(text, requested);
    BOOST_TEST_CONTEXT(text) {
      simdjson::padded_string pe{expect_json};
      simdjson::ondemand::parser p2;
      auto expect = p2.iterate(pe);
      for (auto field : expect.get_object()) {
        std::string_view key = field.unescaped_key().value();
        auto v = field.value();
        if (key == "intentType") {
          BOOST_TEST(got.value.intent_type == std::string{v.get_string().value()});
        } else if (key == "targetSites") {
          std::vector<std::string> want;
          for (auto s : v.get_array())
            want.emplace_back(s.get_string().value());
          BOOST_TEST(join(got.value.target_sites) == join(want));
        } else if (key == "latencyMs") {
          BOOST_TEST(got.value.latency_ms == v.get_double().value());
        } else if (key == "bandwidthMbps") {
          BOOST_TEST(got.value.bandwidth_mbps == v.get_double().value());
        } else if (key == "uplinkMbps") {
          BOOST_TEST(got.value.uplink_mbps == v.get_double().value());
        } else if (key == "reliabilityPct") {
          BOOST_TEST(got.value.reliability_pct == v.get_double().value());
        } else if (key == "deviceCount") {
          BOOST_TEST(got.value.device_count == v.get_int64().value());
        } else {
          BOOST_ERROR("unknown expectation " << key);
        }
      }
    }
    ++checked;
  }
  BOOST_TEST(checked >= 45);
}

// Sentences written differently from the fixtures: general understanding.
BOOST_AUTO_TEST_CASE(other_phrasings) {
  auto a =
      understand("Provision a URLLC slice at EDGE01 with latency no more than 0.5 ms");
  BOOST_TEST(a.value.intent_type == "URLLC");
  BOOST_TEST(join(a.value.target_sites) == "edge1");
  BOOST_TEST(a.value.latency_ms == 0.5);

  auto b = understand("Roll out broadband for edge3 & edge4 at 1.5 Gbps");
  BOOST_TEST(b.value.intent_type == "eMBB");
  BOOST_TEST(join(b.value.target_sites) == "edge3,edge4");
  BOOST_TEST(b.value.bandwidth_mbps == 1500);

  auto c = understand("Need 500 Mb/s downlink and 50 Mbps UL on the second edge site");
  BOOST_TEST(c.value.bandwidth_mbps == 500);
  BOOST_TEST(c.value.uplink_mbps == 50);
  BOOST_TEST(join(c.value.target_sites) == "edge2");

  auto d = understand("Connect 1 million trackers across all four sites");
  BOOST_TEST(d.value.intent_type == "mMTC");
  BOOST_TEST(d.value.device_count == 1000000);
  BOOST_TEST(join(d.value.target_sites) == "edge1,edge2,edge3,edge4");
  BOOST_TEST(d.reading.all_sites);

  auto e = understand("smart meters: 5k of them on every site");
  BOOST_TEST(e.value.intent_type == "mMTC");

  auto f = understand("mMTC for 5k meters on edge-2 and Edge 3");
  BOOST_TEST(f.value.device_count == 5000);
  BOOST_TEST(join(f.value.target_sites) == "edge2,edge3");

  auto g = understand("URLLC with five nines reliability for grid protection on edge 4");
  BOOST_TEST(g.value.reliability_pct == 99.999);
  BOOST_TEST(join(g.value.target_sites) == "edge4");

  auto h =
      understand("reliability of 99.9999 percent for remote surgery on site 2, max 2 ms");
  BOOST_TEST(h.value.intent_type == "URLLC");
  BOOST_TEST(h.value.reliability_pct == 99.9999);
  BOOST_TEST(h.value.latency_ms == 2);
  BOOST_TEST(join(h.value.target_sites) == "edge2");

  auto i = understand("edge1, edge2 and edge4 need video at 300 mbps");
  BOOST_TEST(join(i.value.target_sites) == "edge1,edge2,edge4");
  BOOST_TEST(i.value.bandwidth_mbps == 300);
  BOOST_TEST(i.value.intent_type == "eMBB");

  auto j = understand("Deploy gaming on both edge1 and edge3");
  BOOST_TEST(join(j.value.target_sites) == "edge1,edge3");

  auto k = understand("部署 URLLC 到 edge 3，延遲 1 毫秒");
  BOOST_TEST(k.value.intent_type == "URLLC");
  BOOST_TEST(join(k.value.target_sites) == "edge3");
  BOOST_TEST(k.value.latency_ms == 1);

  auto l = understand("在所有站點部署感測器網路，支援 5 萬個裝置");
  BOOST_TEST(l.value.intent_type == "mMTC");
  BOOST_TEST(l.value.device_count == 50000);
  BOOST_TEST(l.reading.all_sites);

  auto m = understand("Robotics cell needs 500 kbps uplink and 10 milliseconds");
  BOOST_TEST(m.value.intent_type == "URLLC");
  BOOST_TEST(m.value.uplink_mbps == 0.5);
  BOOST_TEST(m.value.latency_ms == 10);

  auto n = understand("V2X service on the third edge");
  BOOST_TEST(n.value.intent_type == "URLLC");
  BOOST_TEST(join(n.value.target_sites) == "edge3");

  auto o = understand("Deploy service with 3ms latency");
  BOOST_TEST(o.value.intent_type == "URLLC"); // numeric cue

  auto p = understand("Deploy service for 20000 devices");
  BOOST_TEST(p.value.intent_type == "mMTC"); // numeric cue
  BOOST_TEST(p.value.device_count == 20000);
}

BOOST_AUTO_TEST_CASE(whole_words_only) {
  // "small", "install", "firewall" contain "all"; none means all sites.
  auto a = understand("Install a small firewall on edge2");
  BOOST_TEST(!a.reading.all_sites);
  BOOST_TEST(join(a.value.target_sites) == "edge2");
  // "edge computing" names no site; "embbed" is no type name.
  auto b = understand("Edge computing for an embedded video wall");
  BOOST_TEST(b.reading.sites.empty());
  BOOST_TEST(b.value.intent_type == "eMBB");
  // A number after "edge" that is a quantity is no site.
  auto c = understand("edge 5 ms latency slice");
  BOOST_TEST(c.reading.sites.empty());
  BOOST_TEST(c.value.latency_ms == 5);
}

BOOST_AUTO_TEST_CASE(defaults_and_precedence) {
  auto a = understand("Deploy URLLC");
  BOOST_TEST(a.value.bandwidth_mbps == 50);
  BOOST_TEST(a.value.latency_ms == 1);
  BOOST_TEST(a.value.reliability_pct == 99.999);
  BOOST_TEST(a.value.sst == 2);
  BOOST_TEST(join(a.defaulted) == "targetSites,bandwidth,latency,reliability");
  auto b = understand("Deploy eMBB");
  BOOST_TEST(b.value.bandwidth_mbps == 200);
  BOOST_TEST(b.value.latency_ms == 30);
  BOOST_TEST(b.value.reliability_pct == absent);
  BOOST_TEST(b.value.sst == 1);
  auto c = understand("Deploy mMTC");
  BOOST_TEST(c.value.bandwidth_mbps == 10);
  BOOST_TEST(c.value.sst == 3);
  auto d = understand("Deploy something");
  BOOST_TEST(d.value.intent_type == "eMBB");
  BOOST_TEST(d.defaulted.front() == "intentType");
  // Request sites beat text sites.
  auto e = understand("Deploy eMBB on edge1", {"edge04"});
  BOOST_TEST(join(e.value.target_sites) == "edge4");
  // "both" alone means the first two.
  auto f = understand("video on both edges");
  BOOST_TEST(join(f.value.target_sites) == "edge1,edge2");
  // Unknown sites are reported, not dropped silently.
  auto g = understand("Deploy eMBB on edge9");
  BOOST_TEST(join(g.reading.unknown_sites) == "edge9");
  // Priority words.
  BOOST_TEST(understand("urgent URLLC on edge1").value.priority == 10);
  BOOST_TEST(understand("eMBB with priority 3").value.priority == 3);
  BOOST_TEST(understand("low priority eMBB").value.priority == 3);
}

BOOST_AUTO_TEST_CASE(intent_ids_are_unique) {
  // Unique even within one millisecond (the same time for all of them).
  auto now = std::chrono::system_clock::now();
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i)
    ids.insert(next_intent_id(now));
  BOOST_TEST(ids.size() == 10000u);
  // "intent-<milliseconds since the epoch>-<eight hex digits>"
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  auto id = next_intent_id(now);
  auto prefix = "intent-" + std::to_string(ms.count()) + "-";
  BOOST_TEST(id.rfind(prefix, 0) == 0u, id);
  BOOST_TEST(id.size() == prefix.size() + 8, id);
  BOOST_TEST(id.find_first_not_of("0123456789abcdef", prefix.size()) == std::string::npos,
             id);
  // Consecutive ids differ in the counter (the last digits).
  auto next = next_intent_id(now);
  BOOST_TEST(std::stoul(next.substr(prefix.size()), nullptr, 16)
                 == (std::stoul(id.substr(prefix.size()), nullptr, 16) + 1)
                        % 0x100000000ul,
             id << " then " << next);
}

BOOST_AUTO_TEST_CASE(huge_numbers_are_not_cast_blindly) {
  // Found by the fuzzer (tests/fuzz/fuzz_rules.cpp): "7777777777777777 nines"
  // cast 7.8e15 to int (UB). Huge or odd numbers are simply not read.
  auto nines = understand("Deploy URLLC with 7777777777777777 nines on edge1");
  BOOST_TEST(nines.reading.reliability_pct < 0);
  auto prio = understand("Deploy eMBB priority 99999999999999999999 on edge2");
  BOOST_TEST(prio.value.priority == 10);
  auto sites = understand("Deploy eMBB on edges 1, 99999999999 and 2");
  BOOST_TEST(join(sites.value.target_sites) == "edge1,edge2");
  auto devices = understand("mMTC for 1e300 million sensors on edge3");
  BOOST_TEST(devices.value.intent_type == "mMTC");
}

BOOST_AUTO_TEST_CASE(numbers_written_in_words) {
  const std::vector<std::string> four{"edge1", "edge2", "edge3", "edge4"};
  auto r =
      o2hub::read_intent_text("Deploy eMBB with three hundred megabits on edge1", four);
  BOOST_TEST(r.downlink_mbps == 300.0);
  r = o2hub::read_intent_text("fifteen megabits eMBB on edge4", four);
  BOOST_TEST(r.downlink_mbps == 15.0);
  r = o2hub::read_intent_text("URLLC with four milliseconds latency on edge2", four);
  BOOST_TEST(r.latency_ms == 4.0);
  r = o2hub::read_intent_text("mMTC for forty thousand trackers on edge3", four);
  BOOST_TEST(r.device_count == 40000);
  r = o2hub::read_intent_text("mMTC for two and a half million meters on edge1", four);
  BOOST_TEST(r.device_count == 2500000);
  r = o2hub::read_intent_text("eMBB with one gigabit on edge1", four);
  BOOST_TEST(r.downlink_mbps == 1000.0);
  r = o2hub::read_intent_text("mMTC for a million sensors and 40 thousand meters", four);
  BOOST_TEST(r.device_count > 0);
  r = o2hub::read_intent_text("one hundred and fifty sensors on edge2", four);
  BOOST_TEST(r.device_count == 150);
  // "one and two" stay two numbers; lone small number words stay words.
  auto t = o2hub::rules::tokenize("edges one and two");
  BOOST_TEST(t.size() == 4u);
  t = o2hub::rules::tokenize("twenty five devices");
  BOOST_TEST_REQUIRE(t.size() == 2u);
  BOOST_TEST(t[0].value == 25.0);
  t = o2hub::rules::tokenize("a b c");
  BOOST_TEST(t.size() == 3u);
}
