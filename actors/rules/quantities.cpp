#include "actors/rules/tokens.hpp"

#include <algorithm>
#include <cmath>

namespace o2hub::rules {

namespace {

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

} // namespace

void read_quantities(const tokens& t, rule_reading& r) {
  std::vector<double> unmarked;
  size_t last_end = 0; // tokens before this belong to an earlier quantity
  for (size_t i = 0; i < t.size(); ++i) {
    // "five nines", "5 nines"
    if (is_word(t, i, "nines") && i > 0) {
      int n = t[i - 1].k == kind::number ? small_int(t[i - 1]) : number_word(t[i - 1]);
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
          r.device_count = std::llround(std::min(value * mult, 1e15));
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

} // namespace o2hub::rules
