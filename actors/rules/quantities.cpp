// Latency, reliability, availability, device counts, priority and the slice
// differentiator (bandwidths: actors/rules/bandwidth.cpp).
#include "actors/rules/tokens.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace o2hub::rules {

namespace {

/// Milliseconds per unit for a latency unit at token i; 0 if none.
double latency_unit(const tokens& t, size_t i) {
  if (is_any_word(t, i, {"ms", "millisecond", "milliseconds"}))
    return 1;
  if (is_any_word(t, i, {"us", "usec", "usecs", "microsecond", "microseconds"}))
    return 0.001;
  if (i < t.size() && t[i].k == kind::cjk) {
    if (t[i].text.rfind("毫秒", 0) == 0)
      return 1;
    if (t[i].text.rfind("微秒", 0) == 0)
      return 0.001;
  }
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

bool cjk_device_noun(const tokens& t, size_t i) {
  return cjk_has(t, i, {"裝置",   "装置", "設備", "设备",   "感測器", "感测器", "傳感器",
                        "传感器", "終端", "终端", "連線",   "连接",   "用戶",   "用户",
                        "電表",   "电表", "水表", "追蹤器", "追踪器", "標籤",   "标签"});
}

/// A device noun at the start of the CJK run at i, after measure words and
/// a few modifiers ("個感測器", "万个传感器", "個智慧電表").
bool cjk_device_noun_near_start(const tokens& t, size_t i) {
  if (!cjk_device_noun(t, i))
    return false;
  std::string_view s = t[i].text;
  for (std::string_view n :
       {"裝置",   "装置", "設備", "设备",   "感測器", "感测器", "傳感器",
        "传感器", "終端", "终端", "連線",   "连接",   "用戶",   "用户",
        "電表",   "电表", "水表", "追蹤器", "追踪器", "標籤",   "标签"})
    if (auto at = s.find(n); at != std::string_view::npos && at <= 15)
      return true;
  return false;
}

/// Plural nouns that count something other than devices.
bool not_devices(std::string_view w) {
  static const word_set words{
      "lines",    "hours",   "minutes", "seconds",  "days",      "weeks",      "months",
      "years",    "times",   "racks",   "nodes",    "servers",   "sites",      "edges",
      "clusters", "slices",  "ports",   "slots",    "shifts",    "floors",     "rooms",
      "nines",    "percent", "ms",      "us",       "mbps",      "gbps",       "kbps",
      "tbps",     "gigs",    "megs",    "services", "instances", "replicas",   "pods",
      "cells",    "lanes",   "gates",   "sectors",  "zones",     "regions",    "steps",
      "phases",   "bits",    "bytes",   "levels",   "ways",      "directions", "is",
      "has",      "was",     "its",     "this",     "thus",      "us",         "yes",
      "plus",     "less",    "bps",     "ops",      "tops",      "as",         "mins",
      "secs",     "hrs",     "yrs",     "needs",    "gets",      "requires",   "wants",
      "uses",     "runs",    "does",    "goes",     "tops",      "less"};
  return words.contains(w);
}

bool device_noun(const tokens& t, size_t i) {
  if (i >= t.size())
    return false;
  if (t[i].k == kind::cjk)
    return cjk_device_noun_near_start(t, i);
  if (t[i].k != kind::word)
    return false;
  const auto& w = t[i].text;
  if (is_any_word(t, i,
                  {"device", "sensor", "meter", "tracker", "endpoint", "ue", "ues", "iot",
                   "unit", "node", "terminal", "tag"}))
    return true;
  // Any plural noun: "gas meters", "parcel trackers", "smart locks".
  return w.size() >= 4 && w.back() == 's' && w[w.size() - 2] != 's' && !not_devices(w);
}

/// Words that end the search for a device noun after a number.
bool ends_count(const tokens& t, size_t i) {
  return is_any_word(t, i,
                     {"on", "at", "for", "in", "with", "to", "across", "and", "or", "per",
                      "from", "by", "within", "of", "over", "under", "every", "each"});
}

/// "99.999" with n nines in all ("five nines" = 99.999), exactly.
double nines(int n) {
  std::string s = n == 2 ? "99" : "99." + std::string(static_cast<size_t>(n - 2), '9');
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool reliability_word(const tokens& t, size_t i) {
  return is_any_word(t, i, {"reliability", "reliable", "reliably"})
         || cjk_has(t, i, {"可靠"});
}

} // namespace

void read_quantities(const tokens& t, rule_reading& r) {
  for (size_t i = 0; i < t.size(); ++i) {
    // "five nines", "5 nines", "5 9s", 五个九
    if ((is_word(t, i, "nines") && i > 0)
        || (i > 0 && t[i].k == kind::number && same(t[i].text, "9")
            && is_word(t, i + 1, "s"))) {
      int n = t[i - 1].k == kind::number ? small_int(t[i - 1]) : number_word(t[i - 1]);
      if (n >= 2 && n <= 9 && r.reliability_pct < 0)
        r.reliability_pct = nines(n);
      continue;
    }
    // 五个九, 7 个 9
    if (t[i].k == kind::number && i + 1 < t.size()
        && (t[i + 1].text.rfind("个九", 0) == 0 || t[i + 1].text.rfind("個九", 0) == 0
            || ((same(t[i + 1].text, "个") || same(t[i + 1].text, "個"))
                && i + 2 < t.size() && same(t[i + 2].text, "9")))) {
      int n = small_int(t[i]);
      if (n >= 2 && n <= 9 && r.reliability_pct < 0)
        r.reliability_pct = nines(n);
      continue;
    }
    // "priority 7", "priority of 7", "priority: 7"
    if (is_word(t, i, "priority")) {
      size_t j = i + 1;
      if (is_word(t, j, "of") || is_symbol(t, j, '='))
        ++j;
      if (j < t.size() && t[j].k == kind::number && t[j].integral)
        r.priority = static_cast<int>(std::clamp(t[j].value, 1.0, 10.0));
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
    if (t[i].k != kind::number || (i > 0 && is_word(t, i - 1, "priority")))
      continue;
    double value = t[i].value;
    if (auto f = latency_unit(t, i + 1); f > 0) {
      if (r.latency_ms < 0)
        r.latency_ms = value * f;
      ++i;
      continue;
    }
    bool percent = is_symbol(t, i + 1, '%') || is_any_word(t, i + 1, {"percent", "pct"});
    // "reliability 99.9995", "99.999 reliable", 可靠性 99.999
    bool near_reliability = (i > 0 && reliability_word(t, i - 1))
                            || (i > 1 && reliability_word(t, i - 2) && !t[i].gap)
                            || reliability_word(t, i + 1);
    if (percent || (near_reliability && value >= 90 && value <= 100)) {
      bool availability = false;
      for (size_t back = 1; back <= 3 && i >= back; ++back)
        availability =
            availability
            || is_any_word(t, i - back, {"availability", "uptime", "available"});
      availability = availability || is_any_word(t, i + 2, {"availability", "uptime"});
      if (value >= 90 && value <= 100) {
        if (availability)
          r.availability_pct = value;
        else if (r.reliability_pct < 0)
          r.reliability_pct = value;
      }
      i += percent ? 1 : 0;
      continue;
    }
    // Device counts: number [multiplier] [up to two words] noun, or
    // (Chinese) a device noun before "number 個". A site's number is none
    // ("edge2 needs").
    if (i > 0 && !t[i].gap && is_any_word(t, i - 1, {"edge", "edges", "site", "sites"}))
      continue;
    double mult = device_multiplier(t, i + 1);
    size_t k = i + 1 + (mult > 0 && t[i + 1].k == kind::word ? 1 : 0);
    if (mult == 0)
      mult = 1;
    size_t len = 0;
    for (size_t step = 0; step < 3 && k < t.size(); ++step, ++k) {
      if (t[k].gap || ends_count(t, k) || bandwidth_unit(t, k, len) > 0
          || latency_unit(t, k) > 0 || direction_of(t, k) != 0)
        break;
      if (device_noun(t, k)) {
        if (r.device_count < 0)
          r.device_count = std::llround(std::min(value * mult, 1e15));
        break;
      }
      if (t[k].k != kind::word && t[k].k != kind::cjk)
        break;
    }
    // 感測器一萬個: the noun came first.
    if (r.device_count < 0 && i + 1 < t.size() && t[i + 1].k == kind::cjk
        && (t[i + 1].text.rfind("個", 0) == 0 || t[i + 1].text.rfind("个", 0) == 0)
        && i > 0 && cjk_device_noun(t, i - 1))
      r.device_count = std::llround(std::min(value, 1e15));
  }
}

} // namespace o2hub::rules
