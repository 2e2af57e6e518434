// Downlink and uplink bandwidths, as operators pair them: "200/40 Mbps
// down/up", "600 down / 150 up (Mbps)", "downstream 300, upstream 60",
// "uplink 5 Mbps, downlink 25 Mbps", "300M down 60M up", "50 Mbps both ways",
// "symmetric 500 Mbps", "下行 100 Mbps，上行 20 Mbps".
#include "actors/rules/tokens.hpp"

#include <algorithm>

namespace o2hub::rules {

double bandwidth_unit(const tokens& t, size_t i, size_t& len) {
  len = 1;
  if (i < t.size() && t[i].k == kind::cjk) // "300兆", "萬兆", "100兆比特"
    return t[i].text.rfind("兆", 0) == 0 ? 1 : 0;
  if (i >= t.size() || t[i].k != kind::word)
    return 0;
  const auto& w = t[i].text;
  auto per_second = [&](size_t j) {
    // "/s", "ps", "per second"
    if ((is_symbol(t, j, '/') || is_word(t, j, "per"))
        && is_any_word(t, j + 1, {"s", "sec", "second"})) {
      len += 2;
      return true;
    }
    return false;
  };
  // A unit may carry "/s" or "per second" ("Mbit/s"): counted into len.
  static const word_table<double> units{
      {"tbps", 1e6},   {"gbps", 1000},     {"gig", 1000},       {"gigs", 1000},
      {"gbit", 1000},  {"gigabit", 1000},  {"gigabits", 1000},  {"gbits", 1000},
      {"mbps", 1},     {"meg", 1},         {"megs", 1},         {"mbit", 1},
      {"megabit", 1},  {"megabits", 1},    {"mbits", 1},        {"kbps", 0.001},
      {"kbit", 0.001}, {"kilobit", 0.001}, {"kilobits", 0.001}, {"kbits", 0.001}};
  if (w.size() < 2 || w.size() > 8)
    return 0;
  if (const double* u = units.find(w)) {
    per_second(i + 1);
    return *u;
  }
  if (same(w, "gb") && per_second(i + 1))
    return 1000;
  if (same(w, "mb") && per_second(i + 1))
    return 1;
  if (same(w, "kb") && per_second(i + 1))
    return 0.001;
  return 0;
}

int direction_of(const tokens& t, size_t i) {
  if (i >= t.size())
    return 0;
  if (t[i].k == kind::cjk) {
    // "上下行" (both) reads as the downlink; symmetry is read apart.
    if (cjk_has(t, i, {"下載", "下载", "下行"}))
      return 1;
    if (cjk_has(t, i, {"上傳", "上传", "上行"}))
      return 2;
    return 0;
  }
  if (is_any_word(t, i, {"download", "downlink", "dl", "downstream", "downloads"}))
    return 1;
  if (is_any_word(t, i, {"upload", "uplink", "ul", "upstream", "uploads"}))
    return 2;
  // "up to 500 Mbps" is a bound, "set up" a verb.
  if (is_word(t, i, "down"))
    return 1;
  if (is_word(t, i, "up") && !is_word(t, i + 1, "to")
      && !(i > 0
           && is_any_word(t, i - 1, {"set", "spin", "bring", "speed", "scale", "back"})))
    return 2;
  return 0;
}

namespace {

struct rate_mention {
  size_t number;            // token index of the number
  size_t end;               // after the unit (or the number)
  double value;             // the number
  double unit;              // Mbps per unit; 0 until known
  size_t before = SIZE_MAX; // a direction word before the number
  size_t after = SIZE_MAX;  // a direction word after the unit
  int dir = 0;
};

/// The direction word just before the number at i ("downlink 25", "dl: 400",
/// "up 20"), skipping "of", "at", "is", "=", "/" and "and".
size_t direction_before(const tokens& t, size_t i, size_t floor) {
  for (size_t back = 1; back <= 3 && i >= back && i - back >= floor; ++back) {
    size_t j = i - back;
    if (direction_of(t, j) != 0)
      return j;
    if (!(is_any_word(t, j, {"of", "at", "is", "and", "with", "about", "around"})
          || is_symbol(t, j, '=') || is_symbol(t, j, '/') || is_symbol(t, j, '<')))
      return SIZE_MAX;
    if (t[j + 1].gap && back > 1)
      return SIZE_MAX;
  }
  return SIZE_MAX;
}

size_t direction_after(const tokens& t, size_t end) {
  if (end < t.size() && t[end].gap)
    return SIZE_MAX;
  // After a number, a CJK run says a direction only when it starts with
  // one ("100 Mbps 下行"); "edge2 的下行带宽" speaks of what follows.
  if (end < t.size() && t[end].k == kind::cjk) {
    for (auto d : {"下行", "下載", "下载", "上行", "上傳", "上传"})
      if (t[end].text.rfind(d, 0) == 0)
        return end;
    return SIZE_MAX;
  }
  if (direction_of(t, end) != 0)
    return end;
  if (is_any_word(t, end, {"for", "of", "on"})
      && !t[end + 1 < t.size() ? end + 1 : end].gap && direction_of(t, end + 1) != 0)
    return end + 1;
  return SIZE_MAX;
}

bool other_unit(const tokens& t, size_t i) {
  return is_any_word(t, i,
                     {"ms", "millisecond", "milliseconds", "us", "microseconds",
                      "percent", "devices", "sensors", "nines", "k", "thousand",
                      "million"})
         || is_symbol(t, i, '%')
         || (i < t.size() && t[i].k == kind::cjk
             && (t[i].text.rfind("毫秒", 0) == 0 || t[i].text.rfind("个", 0) == 0
                 || t[i].text.rfind("個", 0) == 0));
}

} // namespace

void read_bandwidth(const tokens& t, rule_reading& r) {
  std::vector<rate_mention> found;
  size_t last_end = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].k != kind::number)
      continue;
    // "200/40 Mbps (down/up)": the first is the downlink unless the
    // directions say otherwise.
    size_t len = 0;
    if (is_symbol(t, i + 1, '/') && i + 2 < t.size() && t[i + 2].k == kind::number) {
      if (auto f = bandwidth_unit(t, i + 3, len); f > 0) {
        size_t end = i + 3 + len;
        int d1 = direction_of(t, end);
        int d2 = is_symbol(t, end + 1, '/') ? direction_of(t, end + 2) : 0;
        bool swapped = d1 == 2 && d2 == 1;
        found.push_back({i, end, t[i].value, f, SIZE_MAX, SIZE_MAX, swapped ? 2 : 1});
        found.push_back(
            {i + 2, end, t[i + 2].value, f, SIZE_MAX, SIZE_MAX, swapped ? 1 : 2});
        i = last_end = d2 != 0 ? end + 3 : d1 != 0 ? end + 1 : end;
        --i;
        continue;
      }
    }
    rate_mention m{i, i + 1, t[i].value, 0};
    m.unit = bandwidth_unit(t, i + 1, len);
    if (m.unit > 0)
      m.end = i + 1 + len;
    m.before = direction_before(t, i, last_end);
    // "300M down", "dl 1G": M and G are units only beside a direction.
    if (m.unit == 0 && is_any_word(t, i + 1, {"m", "g"}) && t[i + 1].glued
        && (direction_of(t, i + 2) != 0 || m.before != SIZE_MAX)) {
      m.unit = same(t[i + 1].text, "g") ? 1000 : 1;
      m.end = i + 2;
    }
    m.after = direction_after(t, m.end);
    if (m.unit == 0) {
      // No unit: a bandwidth only beside a direction ("600 down",
      // "downstream 300"), and never another quantity ("up 5 ms").
      if ((m.before == SIZE_MAX && m.after == SIZE_MAX) || other_unit(t, i + 1))
        continue;
    }
    found.push_back(m);
    last_end = m.end;
    i = last_end - 1;
  }
  // A unit said once for several numbers ("dl 400 ul 40 mbps", "600 down /
  // 150 up (Mbps)"): the next unit said after; else Mbps.
  for (size_t k = 0; k < found.size(); ++k) {
    if (found[k].unit > 0)
      continue;
    double unit = 0;
    for (size_t j = k + 1; j < found.size() && unit == 0; ++j)
      unit = found[j].unit;
    size_t len = 0;
    for (size_t j = found[k].end; unit == 0 && j < t.size() && j < found[k].end + 8; ++j)
      unit = bandwidth_unit(t, j, len);
    found[k].unit = unit > 0 ? unit : 1;
  }
  // Each direction word belongs to one number: the one right after it,
  // else the one before it.
  std::vector<size_t> claimed;
  auto free = [&](size_t pos) {
    return pos != SIZE_MAX
           && std::find(claimed.begin(), claimed.end(), pos) == claimed.end();
  };
  std::vector<double> unmarked;
  for (auto& m : found) {
    if (m.dir == 0 && free(m.before)) {
      m.dir = direction_of(t, m.before);
      claimed.push_back(m.before);
    } else if (m.dir == 0 && free(m.after)) {
      m.dir = direction_of(t, m.after);
      claimed.push_back(m.after);
    }
    double mbps = m.value * m.unit;
    if (m.dir == 1 && r.downlink_mbps < 0)
      r.downlink_mbps = mbps;
    else if (m.dir == 2 && r.uplink_mbps < 0)
      r.uplink_mbps = mbps;
    else if (m.dir == 0)
      unmarked.push_back(mbps);
  }
  // Unmarked bandwidths: the first is the downlink, the next the uplink.
  for (double mbps : unmarked) {
    if (r.downlink_mbps < 0)
      r.downlink_mbps = mbps;
    else if (r.uplink_mbps < 0 && mbps < r.downlink_mbps)
      r.uplink_mbps = mbps;
  }
  // "symmetric", "both ways", "each way", "in both directions", 對稱.
  bool symmetric = false;
  for (size_t i = 0; i < t.size() && !symmetric; ++i)
    symmetric = is_any_word(t, i, {"symmetric", "symmetrical", "symmetrically"})
                || (is_any_word(t, i, {"both", "each"})
                    && is_any_word(t, i + 1, {"ways", "way", "directions"}))
                || cjk_has(t, i, {"對稱", "对称"});
  if (symmetric && r.downlink_mbps >= 0 && r.uplink_mbps < 0)
    r.uplink_mbps = r.downlink_mbps;
  if (symmetric && r.uplink_mbps >= 0 && r.downlink_mbps < 0)
    r.downlink_mbps = r.uplink_mbps;
}

} // namespace o2hub::rules
