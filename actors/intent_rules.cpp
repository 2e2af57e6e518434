#include "actors/intent_rules.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <random>

namespace o2hub {

namespace {

// -- tokens --------------------------------------------------------------------

enum class kind : uint8_t { word, number, symbol, cjk };

struct token {
  kind k;
  /// Lower-case ASCII word, the digits, one symbol character, or a run of
  /// CJK characters (UTF-8).
  std::string text;
  double value = 0;
  /// Number without a decimal point.
  bool integral = false;
};

using tokens = std::vector<token>;

/// Decodes one UTF-8 code point at s[i]; returns its length (1 on errors).
size_t decode(std::string_view s, size_t i, uint32_t& cp) {
  auto c = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  if ((c & 0xE0) == 0xC0 && cont(1)) {
    cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3F);
    return 2;
  }
  if ((c & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3F);
    return 3;
  }
  if ((c & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
    cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6)
         | (s[i + 3] & 0x3F);
    return 4;
  }
  cp = 0xFFFD;
  return 1;
}

bool is_cjk(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
         || (cp >= 0xF900 && cp <= 0xFAFF);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

tokens tokenize(std::string_view s) {
  tokens out;
  size_t i = 0;
  auto symbol = [&](char c) { out.push_back({kind::symbol, std::string(1, c)}); };
  while (i < s.size()) {
    char c = s[i];
    auto uc = static_cast<unsigned char>(c);
    if (uc >= 0x80) {
      uint32_t cp = 0;
      auto n = decode(s, i, cp);
      if (is_cjk(cp)) {
        size_t j = i;
        while (j < s.size()) {
          uint32_t cp2 = 0;
          auto m = decode(s, j, cp2);
          if (!is_cjk(cp2))
            break;
          j += m;
        }
        out.push_back({kind::cjk, std::string{s.substr(i, j - i)}});
        i = j;
        continue;
      }
      if (cp == 0xFF1C || cp == 0x2264) // full-width '<', '≤'
        symbol('<');
      else if (cp == 0xFF05) // full-width '%'
        symbol('%');
      else if (cp == 0xFF06) // full-width '&'
        symbol('&');
      else if (cp == 0x00B5 || cp == 0x03BC) // micro sign, mu
        out.push_back({kind::word, "u"});
      i += n;
      continue;
    }
    if (std::isalpha(uc)) {
      size_t j = i;
      std::string word;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(s[j])));
        ++j;
      }
      out.push_back({kind::word, std::move(word)});
      i = j;
      continue;
    }
    if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1]))) {
      std::string digits;
      size_t j = i;
      while (j < s.size() && is_digit(s[j]))
        digits += s[j++];
      // Thousands separators: "50,000" (exactly three digits per group).
      while (j + 3 < s.size() && s[j] == ',' && is_digit(s[j + 1]) && is_digit(s[j + 2])
             && is_digit(s[j + 3]) && (j + 4 >= s.size() || !is_digit(s[j + 4]))) {
        digits.append(s.data() + j + 1, 3);
        j += 4;
      }
      bool integral = true;
      if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
        integral = false;
        digits += '.';
        ++j;
        while (j < s.size() && is_digit(s[j]))
          digits += s[j++];
      }
      double value = 0;
      std::from_chars(digits.data(), digits.data() + digits.size(), value);
      out.push_back({kind::number, std::move(digits), value, integral});
      i = j;
      continue;
    }
    switch (c) {
    case '<':
    case '>':
    case '%':
    case '&':
    case '/':
    case '=':
      symbol(c);
      break;
    default:
      break; // spaces, '-', '_', ',', '.', quotes: separators
    }
    ++i;
  }
  return out;
}

// -- helpers over tokens -------------------------------------------------------

bool is_word(const tokens& t, size_t i, std::string_view w) {
  return i < t.size() && t[i].k == kind::word && t[i].text == w;
}

bool is_any_word(const tokens& t, size_t i, std::initializer_list<std::string_view> ws) {
  if (i >= t.size() || t[i].k != kind::word)
    return false;
  return std::find(ws.begin(), ws.end(), t[i].text) != ws.end();
}

bool is_symbol(const tokens& t, size_t i, char c) {
  return i < t.size() && t[i].k == kind::symbol && t[i].text[0] == c;
}

bool cjk_has(const tokens& t, size_t i, std::initializer_list<std::string_view> parts) {
  if (i >= t.size() || t[i].k != kind::cjk)
    return false;
  for (auto p : parts)
    if (t[i].text.find(p) != std::string::npos)
      return true;
  return false;
}

/// True when the words of `phrase` (space-separated) start at token i.
bool phrase_at(const tokens& t, size_t i, std::string_view phrase) {
  size_t pos = 0;
  while (pos < phrase.size()) {
    auto space = phrase.find(' ', pos);
    auto word = phrase.substr(
        pos, space == std::string_view::npos ? std::string_view::npos : space - pos);
    // Digits in a phrase match number tokens: "4 k" is "4K", "v 2 x" "V2X".
    if (i >= t.size() || t[i].k == kind::symbol || t[i].k == kind::cjk
        || t[i].text != word)
      return false;
    ++i;
    if (space == std::string_view::npos)
      break;
    pos = space + 1;
  }
  return true;
}

/// Number of places where any phrase occurs; first position in `first`.
int count_phrases(const tokens& t, std::initializer_list<std::string_view> phrases,
                  size_t& first) {
  int n = 0;
  for (size_t i = 0; i < t.size(); ++i)
    for (auto p : phrases)
      if (phrase_at(t, i, p)) {
        ++n;
        first = std::min(first, i);
        break;
      }
  return n;
}

int count_cjk(const tokens& t, std::initializer_list<std::string_view> parts,
              size_t& first) {
  int n = 0;
  for (size_t i = 0; i < t.size(); ++i)
    if (cjk_has(t, i, parts)) {
      ++n;
      first = std::min(first, i);
    }
  return n;
}

int number_word(const token& tk) {
  static constexpr std::array<std::string_view, 10> words{
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
  if (tk.k != kind::word)
    return -1;
  for (size_t n = 0; n < words.size(); ++n)
    if (tk.text == words[n])
      return static_cast<int>(n);
  return -1;
}

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
      // edge1, edge01, Edge-1, edge 1, site 1, edge site 1, edges 1 and 2
      if (is_any_word(t, i, {"edge", "edges", "site", "sites"})) {
        size_t j = i + 1;
        if (is_any_word(t, j, {"site", "sites"}))
          ++j;
        if (j < t.size() && t[j].k == kind::number && t[j].integral
            && t[j].text.size() <= 4 && !unit_follows(j + 1)) {
          add(static_cast<int>(t[j].value));
          bool plural = t[j - 1].text.back() == 's';
          // "edges 1, 2 and 4"
          for (size_t k = j + 1; plural && k < t.size(); ++k) {
            if (is_any_word(t, k, {"and", "or"}) || is_symbol(t, k, '&'))
              continue;
            if (t[k].k == kind::number && t[k].integral && !unit_follows(k + 1)) {
              add(static_cast<int>(t[k].value));
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

// -- quantities ----------------------------------------------------------------

/// Mbps per unit for a bandwidth unit at token i; 0 if none. `len` gets the
/// number of tokens the unit spans.
double bandwidth_unit(const tokens& t, size_t i, size_t& len) {
  len = 1;
  if (i >= t.size() || t[i].k != kind::word)
    return 0;
  const auto& w = t[i].text;
  auto per_second = [&](size_t j) {
    // "/s", "ps", "per second"
    if (is_symbol(t, j, '/') && is_any_word(t, j + 1, {"s", "sec", "second"})) {
      len += 2;
      return true;
    }
    if (is_word(t, j, "per") && is_any_word(t, j + 1, {"s", "sec", "second"})) {
      len += 2;
      return true;
    }
    return false;
  };
  if (w == "tbps")
    return 1e6;
  if (w == "gbps")
    return 1000;
  if (w == "mbps")
    return 1;
  if (w == "kbps")
    return 0.001;
  if ((w == "gb" || w == "gbit" || w == "gbits" || w == "gigabit" || w == "gigabits")
      && per_second(i + 1))
    return 1000;
  if ((w == "mb" || w == "mbit" || w == "mbits" || w == "megabit" || w == "megabits")
      && per_second(i + 1))
    return 1;
  if ((w == "kb" || w == "kbit" || w == "kbits" || w == "kilobit" || w == "kilobits")
      && per_second(i + 1))
    return 0.001;
  if (w == "gbit" || w == "gigabit" || w == "gigabits")
    return 1000;
  if (w == "mbit" || w == "megabit" || w == "megabits")
    return 1;
  return 0;
}

/// Milliseconds per unit for a latency unit at token i; 0 if none.
double latency_unit(const tokens& t, size_t i) {
  if (is_any_word(t, i, {"ms", "msec", "msecs", "millisecond", "milliseconds"}))
    return 1;
  if (is_any_word(t, i, {"us", "usec", "microsecond", "microseconds"}))
    return 0.001;
  if (cjk_has(t, i, {"毫秒"}) && t[i].text.rfind("毫秒", 0) == 0)
    return 1;
  return 0;
}

/// Device-count multiplier at token i ("k", "thousand", "million", 萬);
/// 0 if none.
double device_multiplier(const tokens& t, size_t i) {
  if (is_any_word(t, i, {"k", "thousand"}))
    return 1e3;
  if (is_any_word(t, i, {"m", "mil", "million", "millions", "mn"}))
    return 1e6;
  if (is_any_word(t, i, {"b", "billion"}))
    return 1e9;
  if (i < t.size() && t[i].k == kind::cjk) {
    if (t[i].text.rfind("萬", 0) == 0 || t[i].text.rfind("万", 0) == 0)
      return 1e4;
    if (t[i].text.rfind("千", 0) == 0)
      return 1e3;
    if (t[i].text.rfind("億", 0) == 0 || t[i].text.rfind("亿", 0) == 0)
      return 1e8;
  }
  return 0;
}

bool device_noun(const tokens& t, size_t i) {
  return is_any_word(t, i,
                     {"devices", "device", "sensors", "sensor", "meters", "meter",
                      "trackers", "tracker", "endpoints", "things", "connections",
                      "terminals", "ues", "ue", "modules", "tags", "cameras"})
         || cjk_has(t, i,
                    {"裝置", "装置", "設備", "设备", "感測器", "感测器", "傳感器",
                     "传感器", "終端", "终端", "連線", "连接", "用戶", "用户"});
}

int direction_of(const tokens& t, size_t i) {
  if (is_any_word(t, i, {"download", "downlink", "down", "dl", "downstream", "downloads"})
      || cjk_has(t, i, {"下載", "下载", "下行"}))
    return 1;
  if (is_any_word(t, i, {"upload", "uplink", "up", "ul", "upstream", "uploads"})
      || cjk_has(t, i, {"上傳", "上传", "上行"}))
    return 2;
  return 0;
}

void read_quantities(const tokens& t, rule_reading& r) {
  std::vector<double> unmarked;
  size_t last_end = 0; // tokens before this belong to an earlier quantity
  for (size_t i = 0; i < t.size(); ++i) {
    // "five nines", "5 nines"
    if (is_word(t, i, "nines") && i > 0) {
      int n = t[i - 1].k == kind::number ? static_cast<int>(t[i - 1].value)
                                         : number_word(t[i - 1]);
      if (n >= 2 && n <= 9)
        r.reliability_pct = 100.0 - std::pow(10.0, 2 - n);
      continue;
    }
    // "priority 7", "priority of 7", "priority: 7"
    if (is_word(t, i, "priority")) {
      size_t j = i + 1;
      if (is_word(t, j, "of") || is_symbol(t, j, '='))
        ++j;
      if (j < t.size() && t[j].k == kind::number && t[j].integral)
        r.priority = std::clamp(static_cast<int>(t[j].value), 1, 10);
      if (i > 0 && is_any_word(t, i - 1, {"high", "higher", "top"}))
        r.priority_bump += 2;
      if (i > 0 && is_any_word(t, i - 1, {"low", "lower"}))
        r.priority_bump -= 2;
      continue;
    }
    if (is_any_word(t, i, {"urgent", "urgently", "emergency"}))
      r.priority_bump += 2;
    // "sd 000001": the slice differentiator, six digits.
    if (is_word(t, i, "sd") && i + 1 < t.size() && t[i + 1].k == kind::number
        && t[i + 1].integral && t[i + 1].text.size() <= 6)
      r.sd = std::string(6 - t[i + 1].text.size(), '0') + t[i + 1].text;
    if (t[i].k != kind::number)
      continue;
    double value = t[i].value;
    size_t len = 0;
    if (auto f = bandwidth_unit(t, i + 1, len); f > 0) {
      double mbps = value * f;
      size_t end = i + 1 + len;
      int dir = direction_of(t, end);
      if (dir == 0) {
        for (size_t back = 1; back <= 2 && i >= back && i - back >= last_end; ++back)
          if ((dir = direction_of(t, i - back)) != 0)
            break;
      }
      if (dir == 0 && !is_any_word(t, end, {"and", "or"}))
        dir = direction_of(t, end + 1);
      if (dir == 1 && r.downlink_mbps < 0)
        r.downlink_mbps = mbps;
      else if (dir == 2 && r.uplink_mbps < 0)
        r.uplink_mbps = mbps;
      else if (dir == 0)
        unmarked.push_back(mbps);
      last_end = end;
      i = end - 1;
      continue;
    }
    if (auto f = latency_unit(t, i + 1); f > 0) {
      if (r.latency_ms < 0)
        r.latency_ms = value * f;
      last_end = i + 2;
      ++i;
      continue;
    }
    if (is_symbol(t, i + 1, '%') || is_any_word(t, i + 1, {"percent", "pct"})) {
      bool availability = false;
      for (size_t back = 1; back <= 3 && i >= back; ++back)
        availability =
            availability
            || is_any_word(t, i - back, {"availability", "uptime", "available"});
      if (value >= 90 && value <= 100) {
        if (availability)
          r.availability_pct = value;
        else if (r.reliability_pct < 0)
          r.reliability_pct = value;
      }
      last_end = i + 2;
      ++i;
      continue;
    }
    // Device counts: number [multiplier] [up to two words] device-noun.
    double mult = device_multiplier(t, i + 1);
    size_t k = i + 1 + (mult > 0 && t[i + 1].k == kind::word ? 1 : 0);
    if (mult == 0)
      mult = 1;
    for (size_t step = 0; step < 3 && k < t.size(); ++step, ++k) {
      if (device_noun(t, k)) {
        if (r.device_count < 0)
          r.device_count = static_cast<int64_t>(std::llround(value * mult));
        last_end = k + 1;
        break;
      }
      if (t[k].k != kind::word && t[k].k != kind::cjk)
        break;
      if (bandwidth_unit(t, k, len) > 0 || latency_unit(t, k) > 0)
        break;
    }
  }
  // Unmarked bandwidths: the first is the downlink, the next the uplink.
  for (double mbps : unmarked) {
    if (r.downlink_mbps < 0)
      r.downlink_mbps = mbps;
    else if (r.uplink_mbps < 0 && mbps < r.downlink_mbps)
      r.uplink_mbps = mbps;
  }
}

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
