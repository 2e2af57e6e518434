// The service type: named ("eMBB", "URLLC", "mMTC"), in long form ("ultra
// reliable", "massive IoT"), suggested by the use ("gantry crane control",
// "cattle collars", "e-sports arena"), or by the numbers (a few ms: URLLC;
// a device count: mMTC). Explicit names win over long forms, which win over
// use cues.
#include "actors/rules/tokens.hpp"

#include <algorithm>
#include <array>

namespace o2hub::rules {

namespace {

enum slice : uint8_t { embb, urllc, mmtc };

struct type_votes {
  std::array<int, 3> votes{};
  std::array<size_t, 3> first{SIZE_MAX, SIZE_MAX, SIZE_MAX};

  void add(slice s, size_t at) {
    ++votes[s];
    first[s] = std::min(first[s], at);
  }

  std::string winner() const {
    static constexpr std::array<const char*, 3> names{"eMBB", "URLLC", "mMTC"};
    int best = *std::max_element(votes.begin(), votes.end());
    if (best == 0)
      return {};
    // Ties: the type named first wins.
    size_t pick = 3;
    for (size_t k = 0; k < 3; ++k)
      if (votes[k] == best && (pick == 3 || first[k] < first[pick]))
        pick = k;
    return names[pick];
  }
};

struct phrase {
  std::string_view words;
  slice type;
};

void count_phrases(const tokens& t, std::initializer_list<phrase> phrases,
                   type_votes& v) {
  for (size_t i = 0; i < t.size(); ++i)
    for (const auto& p : phrases)
      if (phrase_at(t, i, p.words)) {
        v.add(p.type, i);
        break;
      }
}

void count_cjk(const tokens& t, std::initializer_list<std::string_view> parts, slice s,
               type_votes& v) {
  for (size_t i = 0; i < t.size(); ++i)
    if (cjk_has(t, i, parts))
      v.add(s, i);
}

/// One-word use cues.
const word_table<slice>& cue_words() {
  static const word_table<slice> words{
      // eMBB: video, media, crowds, fixed wireless
      {"video", embb},
      {"videos", embb},
      {"streaming", embb},
      {"stream", embb},
      {"streams", embb},
      {"gaming", embb},
      {"game", embb},
      {"games", embb},
      {"broadband", embb},
      {"ar", embb},
      {"vr", embb},
      {"xr", embb},
      {"hd", embb},
      {"uhd", embb},
      {"immersive", embb},
      {"multimedia", embb},
      {"tv", embb},
      {"iptv", embb},
      {"livestream", embb},
      {"livestreaming", embb},
      {"broadcast", embb},
      {"broadcasting", embb},
      {"hologram", embb},
      {"holographic", embb},
      {"metaverse", embb},
      {"fwa", embb},
      {"esports", embb},
      {"arena", embb},
      {"stadium", embb},
      {"wifi", embb},
      {"backhaul", embb},
      {"lounge", embb},
      {"hotspot", embb},
      {"concert", embb},
      {"festival", embb},
      {"cctv", embb},
      {"surveillance", embb},
      {"telepresence", embb},
      {"conferencing", embb},
      {"camera", embb},
      {"cameras", embb},
      {"webcast", embb},
      {"vod", embb},
      {"cinema", embb},
      {"spectators", embb},
      // URLLC: control loops, safety, vehicles, surgery
      {"autonomous", urllc},
      {"robotics", urllc},
      {"robot", urllc},
      {"robots", urllc},
      {"robotic", urllc},
      {"surgery", urllc},
      {"surgical", urllc},
      {"telesurgery", urllc},
      {"automation", urllc},
      {"vehicle", urllc},
      {"vehicles", urllc},
      {"critical", urllc},
      {"haptic", urllc},
      {"haptics", urllc},
      {"tactile", urllc},
      {"realtime", urllc},
      {"drone", urllc},
      {"drones", urllc},
      {"factory", urllc},
      {"teleoperation", urllc},
      {"teleoperated", urllc},
      {"teledriving", urllc},
      {"safety", urllc},
      {"gantry", urllc},
      {"crane", urllc},
      {"cranes", urllc},
      {"agv", urllc},
      {"agvs", urllc},
      {"amr", urllc},
      {"amrs", urllc},
      {"plc", urllc},
      {"plcs", urllc},
      {"interlock", urllc},
      {"interlocks", urllc},
      {"braking", urllc},
      {"collision", urllc},
      {"platooning", urllc},
      {"cobot", urllc},
      {"cobots", urllc},
      {"exoskeleton", urllc},
      {"substation", urllc},
      {"substations", urllc},
      {"v2x", urllc},
      {"teleprotection", urllc},
      {"protection", urllc},
      {"scada", urllc},
      {"servo", urllc},
      {"servos", urllc},
      // mMTC: many small things
      {"sensor", mmtc},
      {"sensors", mmtc},
      {"meter", mmtc},
      {"meters", mmtc},
      {"metering", mmtc},
      {"tracker", mmtc},
      {"trackers", mmtc},
      {"telemetry", mmtc},
      {"agriculture", mmtc},
      {"wearables", mmtc},
      {"lpwa", mmtc},
      {"lpwan", mmtc},
      {"collar", mmtc},
      {"collars", mmtc},
      {"gauge", mmtc},
      {"gauges", mmtc},
      {"livestock", mmtc},
      {"cattle", mmtc},
      {"parking", mmtc},
      {"bins", mmtc},
      {"pallets", mmtc},
      {"tags", mmtc},
      {"beacons", mmtc},
      {"streetlights", mmtc},
      {"thermostats", mmtc},
      {"probes", mmtc},
      {"irrigation", mmtc},
      {"locks", mmtc},
      {"monitoring", mmtc},
      {"monitors", mmtc},
      {"endpoints", mmtc},
      {"iot", mmtc},
  };
  return words;
}

/// A use cue by the start of a word ("signalling", "excavators",
/// "lighting"): -1 when none. Checked only for words the table lacks.
int stem_cue(std::string_view w) {
  struct stem {
    std::string_view start;
    slice type;
  };
  static constexpr std::array<stem, 30> stems{
      {{"robot", urllc},     {"autonom", urllc},  {"surg", urllc},
       {"teleop", urllc},    {"signal", urllc},   {"excavat", urllc},
       {"forklift", urllc},  {"crane", urllc},    {"vehic", urllc},
       {"drone", urllc},     {"haptic", urllc},   {"interlock", urllc},
       {"platoon", urllc},   {"sensor", mmtc},    {"sensing", mmtc},
       {"meter", mmtc},      {"monitor", mmtc},   {"lighting", mmtc},
       {"streetl", mmtc},    {"wearable", mmtc},  {"tracker", mmtc},
       {"thermostat", mmtc}, {"stream", embb},    {"video", embb},
       {"broadcast", embb},  {"gamer", embb},     {"gaming", embb},
       {"hotspot", embb},    {"spectator", embb}, {"livestream", embb}}};
  if (w.size() < 4)
    return -1;
  for (const auto& s : stems)
    if (w.size() >= s.start.size() && w.compare(0, s.start.size(), s.start) == 0)
      return s.type;
  return -1;
}

} // namespace

std::string read_type(const tokens& t, const rule_reading& r) {
  // 1. The names themselves.
  type_votes names;
  for (size_t i = 0; i < t.size(); ++i) {
    if (is_word(t, i, "embb"))
      names.add(embb, i);
    else if (is_word(t, i, "urllc"))
      names.add(urllc, i);
    else if (is_any_word(t, i, {"mmtc", "miot"}))
      names.add(mmtc, i);
  }
  if (auto w = names.winner(); !w.empty())
    return w;
  // 2. Long forms.
  type_votes longs;
  count_phrases(t,
                {{"enhanced mobile broadband", embb},
                 {"enhanced broadband", embb},
                 {"ultra reliable", urllc},
                 {"ultra low latency", urllc},
                 {"ultralow latency", urllc},
                 {"ultrareliable", urllc},
                 {"reliable low latency", urllc},
                 {"massive machine", mmtc},
                 {"machine type", mmtc},
                 {"massive iot", mmtc},
                 {"iot", mmtc},
                 {"internet of things", mmtc},
                 {"nb iot", mmtc},
                 {"lpwan", mmtc}},
                longs);
  count_cjk(t, {"超可靠", "超低延遲", "超低延迟", "高可靠"}, urllc, longs);
  count_cjk(t, {"物聯網", "物联网", "大規模", "大规模"}, mmtc, longs);
  if (auto w = longs.winner(); !w.empty())
    return w;
  // 3. Use cues: one hash lookup per word, then a few phrases.
  type_votes cues;
  const auto& words = cue_words();
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].k != kind::word)
      continue;
    if (const slice* c = words.find(t[i].text)) {
      cues.add(*c, i);
      continue;
    }
    if (auto c = stem_cue(t[i].text); c >= 0)
      cues.add(static_cast<slice>(c), i);
    // "remote-controlled", "remotely operated", "remote piloting"
    if (is_any_word(t, i, {"remote", "remotely", "tele"}) && i + 1 < t.size()
        && t[i + 1].k == kind::word) {
      std::string_view next = t[i + 1].text;
      for (std::string_view stem :
           {"control", "operat", "driv", "pilot", "steer", "surg"})
        if (next.rfind(stem, 0) == 0)
          cues.add(urllc, i);
    }
  }
  count_phrases(t,
                {{"4 k", embb},
                 {"8 k", embb},
                 {"high speed", embb},
                 {"high bandwidth", embb},
                 {"e sports", embb},
                 {"wi fi", embb},
                 {"video wall", embb},
                 {"v 2 x", urllc},
                 {"mission critical", urllc},
                 {"grid protection", urllc},
                 {"protection relays", urllc},
                 {"real time", urllc},
                 {"low latency", urllc},
                 {"motion control", urllc},
                 {"remote control", urllc},
                 {"remote driving", urllc},
                 {"tele driving", urllc},
                 {"self driving", urllc},
                 {"emergency stop", urllc},
                 {"fault isolation", urllc},
                 {"remote operation", urllc},
                 {"remote operations", urllc},
                 {"power grid", urllc},
                 {"smart city", mmtc},
                 {"smart cities", mmtc},
                 {"smart meter", mmtc},
                 {"smart home", mmtc},
                 {"smart building", mmtc},
                 {"smart lock", mmtc},
                 {"asset tracking", mmtc},
                 {"asset tags", mmtc},
                 {"flood level", mmtc},
                 {"massive connectivity", mmtc}},
                cues);
  count_cjk(t, {"影片", "視訊", "视频",   "串流",   "直播", "高頻寬", "高带宽", "寬頻",
                "宽带", "寬帶", "電競",   "电竞",   "監控", "监控",   "球場",   "球场",
                "遊戲", "游戏", "演唱會", "演唱会", "高清", "超高清"},
            embb, cues);
  count_cjk(t,
            {"自駕",     "自驾",     "自動駕駛", "自动驾驶", "手術",       "手术",
             "低延遲",   "低延迟",   "即時",     "实时",     "工業自動化", "工业自动化",
             "機器人",   "机器人",   "車聯網",   "车联网",   "遠程控制",   "远程控制",
             "遠程駕駛", "远程驾驶", "遙控",     "遥控",     "吊車",       "吊车",
             "起重機",   "起重机"},
            urllc, cues);
  count_cjk(t,
            {"感測器", "感测器", "傳感器", "传感器", "智慧城市", "電表", "电表", "水表",
             "追蹤器", "追踪器", "項圈",   "项圈",   "牲畜",     "抄表", "感測", "感测",
             "停車",   "停车",   "路燈",   "路灯",   "水表",     "煙霧", "烟雾"},
            mmtc, cues);
  if (auto w = cues.winner(); !w.empty())
    return w;
  // 4. Numbers.
  if ((r.latency_ms >= 0 && r.latency_ms <= 5) || r.reliability_pct >= 99.999)
    return "URLLC";
  if (r.device_count > 0)
    return "mMTC";
  return {};
}

} // namespace o2hub::rules
