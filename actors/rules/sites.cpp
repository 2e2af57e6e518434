// The sites a sentence names: "edge1", "edge 01", "Edge-1", "site 2",
// "edges 1, 3 and 4", "edges 2-4", "from edge1 to edge3", "the third edge",
// "the last two sites", "all sites except edge3", "every site but the second
// one", "第三个边缘站点", "除 edge2 外的所有站点"; a typo of "edge" before a
// number ("edg02") is read as that site and reported.
#include "actors/rules/tokens.hpp"

#include <algorithm>
#include <array>

namespace o2hub::rules {

namespace {

struct mention {
  int n;            // edgeN
  size_t begin;     // first token
  size_t end;       // after the last token
  bool range_to;    // the end of a range "a-b": fill in between
  std::string name; // a configured site by position ("the last one"); n is -1

  mention(int n_, size_t begin_, size_t end_, bool range_to_ = false,
          std::string name_ = {})
      : n(n_), begin(begin_), end(end_), range_to(range_to_), name(std::move(name_)) {}
};

constexpr std::array<std::string_view, 8> ordinals{
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"};

int ordinal_of(const tokens& t, size_t i) {
  for (size_t n = 0; n < ordinals.size(); ++n)
    if (is_word(t, i, ordinals[n]))
      return static_cast<int>(n) + 1;
  // "2nd", "3rd"
  if (i + 1 < t.size() && t[i].k == kind::number && t[i + 1].glued
      && is_any_word(t, i + 1, {"st", "nd", "rd", "th"}))
    return small_int(t[i]);
  return -1;
}

bool site_noun(const tokens& t, size_t i) {
  return is_any_word(t, i,
                     {"edge", "edges", "site", "sites", "cluster", "clusters", "node",
                      "nodes", "location", "locations"});
}

bool cjk_site_noun_start(const tokens& t, size_t i) {
  if (i >= t.size() || t[i].k != kind::cjk)
    return false;
  std::string_view s = t[i].text;
  for (auto m : {"個", "个"})
    if (s.rfind(m, 0) == 0)
      s.remove_prefix(3);
  for (auto n : {"邊緣", "边缘", "站", "節點", "节点"})
    if (s.rfind(n, 0) == 0)
      return true;
  return false;
}

/// 除 edge2 外, 除了 edge1 以外, 排除 edge3 (but not 刪除, 移除: remove).
bool cjk_excludes(const tokens& t, size_t i) {
  if (i >= t.size() || t[i].k != kind::cjk)
    return false;
  std::string_view s = t[i].text;
  auto ends = [&](std::string_view e) {
    return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
  };
  if (s.find("除了") != std::string_view::npos || ends("排除"))
    return true;
  // 除 edge2 外, 除第三個站點外; not the verbs 刪除, 移除 (remove)
  auto at = s.rfind("除");
  if (at == std::string_view::npos || (at + 3 != s.size() && !ends("第")))
    return false;
  auto before = s.substr(0, at);
  for (auto verb : {"刪", "删", "移", "拆", "清", "解", "消", "去"})
    if (before.size() >= 3 && before.compare(before.size() - 3, 3, verb) == 0)
      return false;
  return true;
}

struct site_reader {
  const tokens& t;
  const std::vector<std::string>& configured;
  rule_reading& r;
  std::vector<mention> mentions;

  /// True when a quantity follows (so "edge 5 ms" is no site).
  bool unit_follows(size_t i) const {
    size_t len = 0;
    if (i < t.size() && t[i].gap) // "edge3, DL 750 Mbps": the comma separates
      return false;
    return is_any_word(t, i,
                       {"ms", "k", "percent", "devices", "sensors", "milliseconds",
                        "thousand", "million", "m", "g"})
           || is_symbol(t, i, '%') || bandwidth_unit(t, i, len) > 0
           || (i < t.size() && t[i].k == kind::word
               && direction_of(t, i) != 0
               // "edge4 up w/ mmtc": a bare up/down is a direction only
               // beside numbers ("600 down", "600 down 150 up")
               && !(is_any_word(t, i, {"up", "down"}) && i + 1 < t.size()
                    && t[i + 1].k == kind::word));
  }

  /// A site number at i: a whole number of at most four digits, or a number
  /// word ("edges one and two"); -1 otherwise.
  int site_number(size_t i, bool allow_gap = false) const {
    if (i >= t.size() || (t[i].gap && !allow_gap) || unit_follows(i + 1))
      return -1;
    if (t[i].k == kind::number && t[i].integral && t[i].text.size() <= 4)
      return small_int(t[i]);
    return number_word(t[i]) >= 1 ? number_word(t[i]) : -1;
  }

  void read_named() {
    for (size_t i = 0; i < t.size(); ++i) {
      // A typo of "edge" right before a number ("edg02", "egde1", "edeg3").
      if (t[i].k == kind::word && i + 1 < t.size() && t[i + 1].k == kind::number
          && t[i].text.size() >= 3 && t[i].text.size() <= 6 && !same(t[i].text, "edge")
          && !same(t[i].text, "edges")
          && (one_edit_apart(t[i].text, "edge") || one_edit_apart(t[i].text, "edges"))
          && t[i + 1].integral && t[i + 1].text.size() <= 4 && !unit_follows(i + 2)) {
        if (auto n = small_int(t[i + 1]); n >= 0) {
          mentions.push_back({n, i, i + 2});
          r.corrections.push_back(
              {t[i].text + t[i + 1].text, "edge" + std::to_string(n)});
        }
        continue;
      }
      // edge1, edge01, Edge-1, edge 1, site 1, edge site 1, edges 1, 3 and 4,
      // edges 2-4, edges 1 to 3, edges one and two
      if (is_any_word(t, i, {"edge", "edges", "site", "sites"})) {
        size_t j = i + 1;
        if (is_any_word(t, j, {"site", "sites"}))
          ++j;
        int n = site_number(j);
        if (n < 0)
          continue;
        mentions.push_back({n, i, j + 1});
        bool plural = t[j - 1].text.back() == 's';
        // "edge 2 to 4", "site 1-3"
        if (!plural
            && (is_symbol(t, j + 1, '-')
                || is_any_word(t, j + 1, {"to", "through", "till"}))
            && t[j + 2 < t.size() ? j + 2 : j].k == kind::number
            && site_number(j + 2) >= 0) {
          mentions.push_back({site_number(j + 2), j + 2, j + 3, true});
          continue;
        }
        for (size_t k = j + 1; plural && k < t.size(); ++k) {
          if (is_any_word(t, k, {"and", "or"}) || is_symbol(t, k, '&'))
            continue;
          bool range = is_symbol(t, k, '-')
                       || is_any_word(t, k, {"to", "through", "till", "until"});
          if (range && site_number(k + 1) >= 0) {
            mentions.push_back({site_number(k + 1), k + 1, k + 2, true});
            ++k;
            continue;
          }
          if (int m = site_number(k, true); m >= 0) {
            mentions.push_back({m, k, k + 1});
            continue;
          }
          if (t[k].k == kind::number && t[k].integral && !unit_follows(k + 1))
            continue; // "edges 1, 99999999999 and 2": no site, the list goes on

          break;
        }
        continue;
      }
      // first/second/... edge (site); 2nd site
      if (int n = ordinal_of(t, i); n > 0) {
        size_t after = i + (t[i].k == kind::number ? 2 : 1);
        // "except the first", "but the second": an ordinal after an
        // exclusion names a site too.
        bool after_exclusion = false;
        for (size_t back = 1; back <= 2 && i >= back; ++back)
          after_exclusion = after_exclusion
                            || is_any_word(t, i - back,
                                           {"except", "excluding", "but", "than", "from",
                                            "not", "without"});
        if (site_noun(t, after) || (site_noun(t, after + 1) && !t[after + 1].gap)
            || is_word(t, after, "one") || after_exclusion) {
          // "the first two sites" is a count, not an ordinal.
          if (after < t.size()
              && (t[after].k == kind::number
                  || (number_word(t[after]) >= 1 && !is_word(t, after, "one"))))
            continue;
          mentions.push_back({n, i, after + 1});
        }
      }
    }
  }

  /// 第三个边缘站点, 第一个和第二个边缘站点
  void read_chinese_ordinals() {
    std::vector<mention> pending;
    for (size_t i = 1; i + 1 < t.size(); ++i) {
      if (t[i].k != kind::number || t[i - 1].k != kind::cjk || t[i - 1].text.size() < 3
          || t[i - 1].text.compare(t[i - 1].text.size() - 3, 3, "第") != 0)
        continue;
      pending.push_back({small_int(t[i]), i, i + 1});
      if (cjk_site_noun_start(t, i + 1)) {
        mentions.insert(mentions.end(), pending.begin(), pending.end());
        pending.clear();
      } else if (!cjk_has(t, i + 1, {"和第", "與第", "与第", "及第", "、第"})) {
        pending.clear();
      }
    }
  }

  /// the first/last (two) (edge) sites
  void read_ends() {
    for (size_t i = 0; i + 1 < t.size(); ++i) {
      if (!is_any_word(t, i, {"first", "last"}))
        continue;
      size_t j = i + 1;
      int n = 1;
      if (t[j].k == kind::number && t[j].integral)
        n = small_int(t[j]), ++j;
      else if (number_word(t[j]) >= 1)
        n = number_word(t[j]), ++j;
      if (is_word(t, j, "edge") && is_any_word(t, j + 1, {"site", "sites"}))
        ++j;
      // "the last one" (after "except", say) is the last site.
      bool one = n == 1 && is_word(t, i + 1, "one") && same(t[i].text, "last");
      if (!one
          && (!site_noun(t, j) || (n > 1 && t[j].text.back() != 's')
              || (n == 1 && j == i + 1 && same(t[i].text, "first"))))
        continue;
      n = std::min<int>(n, static_cast<int>(configured.size()));
      for (int k = 0; k < n; ++k)
        mentions.push_back(
            {-1, i, j + 1, false,
             same(t[i].text, "first")
                 ? configured[static_cast<size_t>(k)]
                 : configured[configured.size() - static_cast<size_t>(n - k)]});
    }
  }

  void read_all() {
    for (size_t i = 0; i < t.size(); ++i) {
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
                   "每個站", "每个站", "其他站", "其它站", "其餘站", "其余站", "其他邊緣",
                   "其他边缘"}))
        r.all_sites = true;
    }
  }

  /// Mentions after "except", "excluding", "apart from", "other than",
  /// "but" (after all/every), 除(了) are excluded, with the mentions
  /// chained to them by "and", "or", "&" or a comma.
  std::vector<bool> excluded() const {
    std::vector<bool> out(mentions.size(), false);
    // One lookup per word instead of ten comparisons (issue 16).
    static const word_set marker_words{"except",   "excluding", "exclude", "besides",
                                       "but",      "minus",     "without", "skip",
                                       "skipping", "omitting"};
    for (size_t i = 0; i < t.size(); ++i) {
      bool marker =
          (t[i].k == kind::word && marker_words.contains(t[i].text))
          || (is_word(t, i, "not") && i > 0 && is_any_word(t, i - 1, {"but", "and"}))
          || (is_word(t, i, "apart") && is_word(t, i + 1, "from"))
          || (is_word(t, i, "other") && is_word(t, i + 1, "than")) || cjk_excludes(t, i);
      // "all but edge1", "every site besides edge3"; not "edge1 but not ...".
      if (is_any_word(t, i, {"but", "besides"})) {
        bool after_all = false;
        for (size_t back = 1; back <= 4 && i >= back; ++back)
          after_all = after_all
                      || is_any_word(t, i - back, {"all", "every", "everywhere", "each"});
        marker = marker && after_all;
      }
      if (!marker)
        continue;
      size_t from = i + 1 + (is_any_word(t, i, {"apart", "other"}) ? 1 : 0);
      for (size_t m = 0; m < mentions.size(); ++m) {
        if (mentions[m].begin < from)
          continue;
        // The first within a few words ("except for the second one").
        bool near = mentions[m].begin <= from + 2;
        if (!near)
          break;
        out[m] = true;
        // Chained: only "and", "or", "&", "-", "to" between.
        for (size_t n = m + 1; n < mentions.size(); ++n) {
          bool chained = true;
          for (size_t k = mentions[n - 1].end; k < mentions[n].begin; ++k)
            chained = chained
                      && (is_any_word(t, k, {"and", "or", "nor", "to", "through"})
                          || is_symbol(t, k, '&') || is_symbol(t, k, '-'));
          if (!chained)
            break;
          out[n] = true;
        }
        break;
      }
    }
    return out;
  }

  void add(const std::string& name, bool exclude) {
    bool known =
        std::find(configured.begin(), configured.end(), name) != configured.end();
    auto& list = !known ? r.unknown_sites : exclude ? r.excluded_sites : r.sites;
    if (std::find(list.begin(), list.end(), name) == list.end())
      list.push_back(name);
  }

  void read() {
    read_named();
    read_chinese_ordinals();
    read_ends();
    std::stable_sort(
        mentions.begin(), mentions.end(),
        [](const mention& a, const mention& b) { return a.begin < b.begin; });
    read_all();
    // Ranges between two mentions: "edge1 to edge3", "edge1-edge3",
    // "edge1 thru edge2", "edge1 到 edge3", and "edges 2-4" (marked).
    for (size_t m = 1; m < mentions.size(); ++m) {
      auto& a = mentions[m - 1];
      auto& b = mentions[m];
      if (b.begin == a.end + 1
          && (is_symbol(t, a.end, '-')
              || is_any_word(t, a.end, {"to", "through", "till", "until"})
              || (t[a.end].k == kind::cjk
                  && (same(t[a.end].text, "到") || same(t[a.end].text, "至")))))
        b.range_to = true;
    }
    auto out = excluded();
    for (size_t m = 0; m < mentions.size(); ++m) {
      auto& x = mentions[m];
      if (x.range_to && m > 0 && x.n > mentions[m - 1].n && x.n - mentions[m - 1].n <= 64)
        for (int k = mentions[m - 1].n + 1; k < x.n; ++k)
          add("edge" + std::to_string(k), out[m]);
      if (!x.name.empty())
        add(x.name, out[m]);
      else if (x.n >= 0)
        add("edge" + std::to_string(x.n), out[m]);
    }
    // "both edges", "both sites", 兩個站: the first two, without two named.
    bool both = false;
    for (size_t i = 0; i < t.size(); ++i)
      both = both
             || (is_word(t, i, "both")
                 && (site_noun(t, i + 1)
                     || (is_word(t, i + 1, "the") && site_noun(t, i + 2))))
             || cjk_has(t, i, {"兩個站", "两个站"})
             // 兩個站點 ("two sites"): 兩 is read as the number 2
             || (t[i].k == kind::number && same(t[i].text, "2") && i + 1 < t.size()
                 && !(i > 0 && t[i - 1].k == kind::cjk && t[i - 1].text.size() >= 3
                      && t[i - 1].text.compare(t[i - 1].text.size() - 3, 3, "第") == 0)
                 && (t[i + 1].text.rfind("個站", 0) == 0
                     || t[i + 1].text.rfind("个站", 0) == 0
                     || t[i + 1].text.rfind("個邊緣站", 0) == 0
                     || t[i + 1].text.rfind("个边缘站", 0) == 0));
    if (both && r.sites.size() + r.unknown_sites.size() < 2) {
      for (size_t n = 0; n < 2 && n < configured.size(); ++n)
        if (std::find(r.sites.begin(), r.sites.end(), configured[n]) == r.sites.end())
          r.sites.push_back(configured[n]);
    }
  }
};

} // namespace

void read_sites(const tokens& t, const std::vector<std::string>& configured,
                rule_reading& r) {
  site_reader{t, configured, r, {}}.read();
}

} // namespace o2hub::rules
