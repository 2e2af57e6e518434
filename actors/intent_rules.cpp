#include "actors/intent_rules.hpp"

#include "actors/rules/tokens.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <random>

namespace o2hub {

using namespace rules;

namespace {

// -- sites -------------------------------------------------------------------

struct site_reader {
  const tokens& t;
  const std::vector<std::string>& configured;
  rule_reading& r;

  void add(int n) {
    if (n < 0)
      return;
    auto name = "edge" + std::to_string(n);
    bool known =
        std::find(configured.begin(), configured.end(), name) != configured.end();
    auto& list = known ? r.sites : r.unknown_sites;
    if (std::find(list.begin(), list.end(), name) == list.end())
      list.push_back(name);
  }

  static bool site_noun(const tokens& t, size_t i) {
    return is_any_word(
        t, i, {"edge", "edges", "site", "sites", "cluster", "clusters", "node", "nodes"});
  }

  void read() {
    static constexpr std::array<std::string_view, 8> ordinals{
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"};
    for (size_t i = 0; i < t.size(); ++i) {
      // A typo of "edge" right before a number ("edg02", "egde1", "edeg3"):
      // read as that site, and say so.
      if (t[i].k == kind::word && t[i].text != "edge" && t[i].text != "edges"
          && t[i].text.size() >= 3 && t[i].text.size() <= 6
          && (one_edit_apart(t[i].text, "edge") || one_edit_apart(t[i].text, "edges"))
          && i + 1 < t.size() && t[i + 1].k == kind::number && t[i + 1].integral
          && t[i + 1].text.size() <= 4 && !unit_follows(i + 2)) {
        auto n = small_int(t[i + 1]);
        if (n >= 0) {
          add(n);
          r.corrections.push_back(
              {t[i].text + t[i + 1].text, "edge" + std::to_string(n)});
        }
      }
      // edge1, edge01, Edge-1, edge 1, site 1, edge site 1, edges 1 and 2
      if (is_any_word(t, i, {"edge", "edges", "site", "sites"})) {
        size_t j = i + 1;
        if (is_any_word(t, j, {"site", "sites"}))
          ++j;
        if (j < t.size() && t[j].k == kind::number && t[j].integral
            && t[j].text.size() <= 4 && !unit_follows(j + 1)) {
          add(small_int(t[j]));
          bool plural = t[j - 1].text.back() == 's';
          // "edges 1, 2 and 4"
          for (size_t k = j + 1; plural && k < t.size(); ++k) {
            if (is_any_word(t, k, {"and", "or"}) || is_symbol(t, k, '&'))
              continue;
            if (t[k].k == kind::number && t[k].integral && !unit_follows(k + 1)) {
              add(small_int(t[k]));
              continue;
            }
            break;
          }
        }
      }
      // first/second/... edge (site)
      for (size_t n = 0; n < ordinals.size(); ++n)
        if (is_word(t, i, ordinals[n]) && (site_noun(t, i + 1) || site_noun(t, i + 2)))
          add(static_cast<int>(n) + 1);
      // all / every / each (four) (edge) sites
      if (is_any_word(t, i, {"all", "every", "each"})) {
        for (size_t k = i + 1; k < t.size() && k <= i + 4; ++k) {
          if (is_any_word(t, k,
                          {"site", "sites", "edges", "edge", "clusters", "locations"})) {
            r.all_sites = true;
            break;
          }
          if (!(number_word(t[k]) >= 0 || t[k].k == kind::number
                || is_any_word(
                    t, k,
                    {"the", "of", "our", "configured", "available", "my", "connected"})))
            break;
        }
      }
      if (is_word(t, i, "everywhere"))
        r.all_sites = true;
      if (cjk_has(t, i,
                  {"所有站", "全部站", "所有邊緣", "所有边缘", "所有節點", "所有节点",
                   "每個站", "每个站"}))
        r.all_sites = true;
    }
    // "both" without two named sites: the first two.
    bool both = false;
    for (size_t i = 0; i < t.size(); ++i)
      both = both || is_word(t, i, "both") || cjk_has(t, i, {"兩個站", "两个站"});
    if (both && r.sites.size() + r.unknown_sites.size() < 2) {
      for (size_t n = 0; n < 2 && n < configured.size(); ++n)
        if (std::find(r.sites.begin(), r.sites.end(), configured[n]) == r.sites.end())
          r.sites.push_back(configured[n]);
    }
  }

  /// True when a unit word follows (so "edge 5 ms" is no site).
  bool unit_follows(size_t i) const {
    return is_any_word(t, i,
                       {"ms", "mbps", "gbps", "kbps", "k", "percent", "devices",
                        "sensors", "milliseconds"})
           || is_symbol(t, i, '%');
  }
};

// -- type ----------------------------------------------------------------------

struct type_votes {
  int embb = 0;
  int urllc = 0;
  int mmtc = 0;
  size_t first_embb = SIZE_MAX;
  size_t first_urllc = SIZE_MAX;
  size_t first_mmtc = SIZE_MAX;

  std::string winner() const {
    int best = std::max({embb, urllc, mmtc});
    if (best == 0)
      return {};
    // Ties: the type named first wins.
    std::array<std::tuple<int, size_t, const char*>, 3> all{
        {{embb, first_embb, "eMBB"},
         {urllc, first_urllc, "URLLC"},
         {mmtc, first_mmtc, "mMTC"}}};
    const char* result = nullptr;
    size_t pos = SIZE_MAX;
    for (auto& [votes, first, name] : all)
      if (votes == best && first <= pos) {
        pos = first;
        result = name;
      }
    return result;
  }
};

std::string read_type(const tokens& t, const rule_reading& r) {
  // 1. The names themselves.
  type_votes names;
  names.embb = count_phrases(t, {"embb"}, names.first_embb);
  names.urllc = count_phrases(t, {"urllc"}, names.first_urllc);
  names.mmtc = count_phrases(t, {"mmtc", "miot"}, names.first_mmtc);
  if (auto w = names.winner(); !w.empty())
    return w;
  // 2. Long forms.
  type_votes longs;
  longs.embb = count_phrases(t, {"enhanced mobile broadband", "enhanced broadband"},
                             longs.first_embb);
  longs.urllc =
      count_phrases(t,
                    {"ultra reliable", "ultra low latency", "ultralow latency",
                     "ultrareliable", "reliable low latency"},
                    longs.first_urllc)
      + count_cjk(t, {"超可靠", "超低延遲", "超低延迟", "高可靠"}, longs.first_urllc);
  longs.mmtc = count_phrases(t,
                             {"massive machine", "machine type", "massive iot", "iot",
                              "internet of things", "nb iot", "lpwan"},
                             longs.first_mmtc)
               + count_cjk(t, {"物聯網", "物联网", "大規模", "大规模"}, longs.first_mmtc);
  if (auto w = longs.winner(); !w.empty())
    return w;
  // 3. Use cases.
  type_votes cues;
  cues.embb =
      count_phrases(t, {"video",    "videos",      "streaming",  "stream",
                        "streams",  "4 k",         "8 k",        "gaming",
                        "game",     "games",       "broadband",  "ar",
                        "vr",       "xr",          "high speed", "high bandwidth",
                        "hd",       "uhd",         "immersive",  "multimedia",
                        "tv",       "iptv",        "livestream", "broadcast",
                        "hologram", "holographic", "metaverse",  "fwa"},
                    cues.first_embb)
      + count_cjk(
          t, {"影片", "視訊", "视频", "串流", "直播", "高頻寬", "高带宽", "寬頻", "宽带"},
          cues.first_embb);
  cues.urllc =
      count_phrases(t,
                    {"autonomous",
                     "robotics",
                     "robot",
                     "robots",
                     "robotic",
                     "surgery",
                     "surgical",
                     "industrial automation",
                     "automation",
                     "v 2 x",
                     "vehicle",
                     "vehicles",
                     "mission critical",
                     "critical",
                     "grid protection",
                     "haptic",
                     "tactile",
                     "real time",
                     "realtime",
                     "low latency",
                     "drone",
                     "drones",
                     "factory",
                     "motion control",
                     "teleoperation",
                     "remote control",
                     "self driving",
                     "safety"},
                    cues.first_urllc)
      + count_cjk(t,
                  {"自駕", "自驾", "手術", "手术", "低延遲", "低延迟", "即時", "实时",
                   "工業自動化", "工业自动化", "機器人", "机器人", "車聯網", "车联网"},
                  cues.first_urllc);
  cues.mmtc =
      count_phrases(t,
                    {"sensor", "sensors", "meter", "meters", "metering", "tracker",
                     "trackers", "smart city", "smart cities", "smart meter", "telemetry",
                     "massive connectivity", "agriculture", "asset tracking", "wearables",
                     "smart home", "smart building", "lpwa"},
                    cues.first_mmtc)
      + count_cjk(t,
                  {"感測器", "感测器", "傳感器", "传感器", "智慧城市", "智慧城市", "電表",
                   "电表", "追蹤器"},
                  cues.first_mmtc);
  if (auto w = cues.winner(); !w.empty())
    return w;
  // 4. Numbers.
  if ((r.latency_ms >= 0 && r.latency_ms <= 5) || r.reliability_pct >= 99.999)
    return "URLLC";
  if (r.device_count > 0)
    return "mMTC";
  return {};
}

} // namespace

// -- public --------------------------------------------------------------------

rule_reading read_intent_text(std::string_view text,
                              const std::vector<std::string>& configured) {
  auto t = tokenize(text);
  rule_reading r;
  site_reader{t, configured, r}.read();
  read_quantities(t, r);
  r.intent_type = read_type(t, r);
  read_action(t, r);
  return r;
}

intent make_intent(const rule_reading& reading, const intent_request& req,
                   const std::vector<std::string>& configured, std::string intent_id,
                   std::vector<std::string>& defaulted) {
  intent x;
  x.intent_id = std::move(intent_id);
  x.description = req.text;
  x.intent_type = reading.intent_type;
  if (x.intent_type.empty()) {
    x.intent_type = "eMBB";
    defaulted.emplace_back("intentType");
  }
  // Sites: the request's, else the text's, else all configured.
  if (!req.target_sites.empty()) {
    x.target_sites = req.target_sites;
  } else if (!reading.sites.empty() && !reading.all_sites) {
    x.target_sites = reading.sites;
  } else {
    x.target_sites = configured;
    if (!reading.all_sites)
      defaulted.emplace_back("targetSites");
  }
  struct defaults_row {
    const char* type;
    double bandwidth;
    double latency;
    double reliability;
    int sst;
    int five_qi;
    int priority;
  };
  static constexpr std::array<defaults_row, 3> table{{
      {"eMBB", 200, 30, absent, 1, 9, 5},
      {"URLLC", 50, 1, 99.999, 2, 82, 8},
      {"mMTC", 10, 100, absent, 3, 8, 4},
  }};
  const auto& d = *std::find_if(table.begin(), table.end(),
                                [&](auto& row) { return x.intent_type == row.type; });
  x.bandwidth_mbps = reading.downlink_mbps;
  if (x.bandwidth_mbps < 0) {
    x.bandwidth_mbps = d.bandwidth;
    defaulted.emplace_back("bandwidth");
  }
  x.uplink_mbps = reading.uplink_mbps;
  x.latency_ms = reading.latency_ms;
  if (x.latency_ms < 0) {
    x.latency_ms = d.latency;
    defaulted.emplace_back("latency");
  }
  x.reliability_pct = reading.reliability_pct;
  if (x.reliability_pct < 0 && d.reliability > 0) {
    x.reliability_pct = d.reliability;
    defaulted.emplace_back("reliability");
  }
  x.device_count = reading.device_count;
  x.availability_pct = reading.availability_pct > 0 ? reading.availability_pct
                       : x.reliability_pct > 0      ? x.reliability_pct
                                                    : 99.9;
  x.sst = d.sst;
  x.sd = reading.sd;
  x.five_qi = d.five_qi;
  x.priority = reading.priority > 0
                   ? reading.priority
                   : std::clamp(d.priority + reading.priority_bump, 1, 10);
  x.action = reading.action;
  return x;
}

std::string next_intent_id(std::chrono::system_clock::time_point now) {
  static std::atomic<uint32_t> counter{[] {
    std::random_device rd;
    return static_cast<uint32_t>(rd());
  }()};
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch())
                .count();
  char buf[48];
  std::snprintf(buf, sizeof(buf), "intent-%lld-%08x", static_cast<long long>(ms),
                counter.fetch_add(1));
  return buf;
}

} // namespace o2hub
