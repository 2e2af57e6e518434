// Words as operators type them: abbreviations ("bw", "lat", "devs", "w"),
// one-letter typos of the engine's keywords ("latnecy", "mpbs"), corrected
// against the engine's own vocabulary and reported; and the numbers that are
// no requirement (times, durations, ids, "5G", "rack 12", "release 4.1").
#include "actors/rules/tokens.hpp"

#include <algorithm>
#include <array>

namespace o2hub::rules {

void normalize_words(tokens& t, std::vector<text_correction>& corrections) {
  static const word_table<std::string_view> abbreviations{
      {"bw", "bandwidth"},
      {"lat", "latency"},
      {"rel", "reliability"},
      {"devs", "devices"},
      {"dev", "device"},
      {"w", "with"},
      {"pls", "please"},
      {"plz", "please"},
      {"thru", "through"},
      {"approx", "about"},
      {"tput", "throughput"},
      {"thx", "thanks"},
      {"msec", "ms"},
      {"msecs", "ms"},
      {"reliab", "reliability"},
      {"avail", "availability"},
      {"sym", "symmetric"},
  };
  // The keywords a typo is corrected to (one edit: insert, delete, replace,
  // swap). Words of four letters or fewer only after a number (units).
  static constexpr std::array<std::string_view, 31> vocabulary{
      "latency",     "reliability",  "bandwidth",    "throughput",   "downlink",
      "uplink",      "download",     "upload",       "devices",      "sensors",
      "millisecond", "milliseconds", "microseconds", "availability", "deploy",
      "megabits",    "gigabits",     "downstream",   "upstream",     "symmetric",
      "excluding",   "everywhere",   "urllc",        "embb",         "mmtc",
      "mbps",        "gbps",         "kbps",         "reliable",     "tbps",
      "except"};
  // For each word length, the keywords one edit can reach (a length at
  // most one apart), in the vocabulary's order: a word is compared with
  // those only (the order decides which correction wins).
  constexpr size_t longest = 16;
  static const auto reachable = [] {
    std::array<std::vector<std::string_view>, longest + 1> out;
    for (size_t n = 0; n <= longest; ++n)
      for (auto v : vocabulary)
        if (v.size() + 1 >= n && v.size() <= n + 1)
          out[n].push_back(v);
    return out;
  }();
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].k != kind::word)
      continue;
    auto& w = t[i].text;
    if (const std::string_view* a = abbreviations.find(w)) {
      w = std::string{*a};
      continue;
    }
    if (w.size() < 3 || w.size() > longest)
      continue;
    const auto& near = reachable[w.size()];
    if (std::any_of(near.begin(), near.end(),
                    [&](std::string_view v) { return same(w, v); }))
      continue;
    bool after_number = i > 0 && t[i - 1].k == kind::number;
    for (auto v : near) {
      bool unit = v.size() == 4 && v.substr(1) == "bps";
      if ((unit && !after_number) || (!unit && w.size() < 4)
          || (w.size() + 1 < v.size() || w.size() > v.size() + 1))
        continue;
      // One edit keeps the first letter, or the second, or swaps them.
      if (w[0] != v[0] && w[1] != v[1] && w[1] != v[0] && w[0] != v[1])
        continue;
      // Inflections are no typos ("sensor", "uploads").
      if (begins_with(w, v) || begins_with(v, w))
        continue;
      if (one_edit_apart(w, v)) {
        corrections.push_back({w, std::string{v}});
        w = std::string{v};
        break;
      }
    }
  }
}

void mark_distractors(tokens& t) {
  // Words after a number that make it a time, a duration or a count of
  // something else.
  static const word_set after{"am",     "pm",      "h",      "hr",     "hrs",     "hour",
                              "hours",  "min",     "mins",   "minute", "minutes", "sec",
                              "secs",   "day",     "days",   "week",   "weeks",   "month",
                              "months", "year",    "years",  "yr",     "yrs",     "x",
                              "times",  "seconds", "second", "oclock"};
  // Words before a number that make it a name, not a quantity.
  static const word_set before{
      "rack",    "racks",    "node",   "nodes", "slot",    "slots",  "port",    "ports",
      "release", "version",  "ver",    "v",     "build",   "ticket", "inc",     "line",
      "room",    "floor",    "bay",    "cell",  "lane",    "gate",   "channel", "vlan",
      "id",      "no",       "number", "ref",   "case",    "pod",    "server",  "host",
      "zone",    "sector",   "row",    "dock",  "pier",    "berth",  "phase",   "step",
      "sprint",  "platform", "change", "order", "request", "chg",    "cr",      "sr",
      "pr",      "issue",    "job",    "run",   "batch",   "window", "shift",   "tower"};
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].k != kind::number)
      continue;
    bool other = false;
    if (i + 1 < t.size() && t[i + 1].k == kind::word) {
      const auto& w = t[i + 1].text;
      other = after.contains(w);
      // "5G", "4G": the technology, unless a direction says bandwidth ("1G down").
      if (same(w, "g") && t[i + 1].glued && direction_of(t, i + 2) == 0
          && direction_of(t, i - 1) == 0)
        other = true;
    }
    // "4K", "8K" video: a resolution, unless things are counted ("8k sensors").
    if ((same(t[i].text, "4") || same(t[i].text, "8")) && is_word(t, i + 1, "k")
        && t[i + 1].glued
        && !is_any_word(t, i + 2,
                        {"sensors", "devices", "meters", "trackers", "endpoints", "tags",
                         "nodes", "things", "connections", "terminals", "ues"}))
      other = true;
    if (i > 0 && t[i - 1].k == kind::word && before.contains(t[i - 1].text) && !t[i].gap)
      other = true;
    // Dates: 2026-12-15, 2026/12/15
    if (t[i].integral && t[i].text.size() == 4 && t[i].value >= 1900 && t[i].value <= 2199
        && (is_symbol(t, i + 1, '-') || is_symbol(t, i + 1, '/')) && i + 2 < t.size()
        && t[i + 2].k == kind::number) {
      t[i].k = kind::other;
      for (size_t j = i + 1; j < t.size() && j <= i + 4; ++j)
        if (t[j].k == kind::number)
          t[j].k = kind::other;
        else if (!(is_symbol(t, j, '-') || is_symbol(t, j, '/')))
          break;
      continue;
    }
    if (other)
      t[i].k = kind::other;
  }
}

} // namespace o2hub::rules
