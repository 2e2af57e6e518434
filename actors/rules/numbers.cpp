// Numbers as operators write them: in words ("three hundred", "two and a
// half million", "one point five", "a quarter of a millisecond") and as
// Chinese numerals ("五萬", "两千五百", "萬兆").
#include "actors/rules/tokens.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace o2hub::rules {

namespace {

/// 0..19 and the tens as words; -1 otherwise.
int small_number_word(std::string_view w) {
  static const word_table<int> words{
      {"zero", 0},     {"one", 1},        {"two", 2},       {"three", 3},
      {"four", 4},     {"five", 5},       {"six", 6},       {"seven", 7},
      {"eight", 8},    {"nine", 9},       {"ten", 10},      {"eleven", 11},
      {"twelve", 12},  {"thirteen", 13},  {"fourteen", 14}, {"fifteen", 15},
      {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
      {"twenty", 20},  {"thirty", 30},    {"forty", 40},    {"fifty", 50},
      {"sixty", 60},   {"seventy", 70},   {"eighty", 80},   {"ninety", 90}};
  const int* n = words.find(w);
  return n ? *n : -1;
}

double scale_word(std::string_view w) {
  if (same(w, "hundred"))
    return 1e2;
  if (same(w, "thousand"))
    return 1e3;
  if (same(w, "million"))
    return 1e6;
  if (same(w, "billion"))
    return 1e9;
  return 0;
}

/// Words that make a lone "four" a quantity ("four milliseconds").
bool unit_word(const token& tk) {
  static const word_set units{"ms",       "millisecond", "milliseconds", "mbps",
                              "gbps",     "megabit",     "megabits",     "gigabit",
                              "gigabits", "gig",         "meg",          "percent"};
  return tk.k == kind::word && units.contains(tk.text);
}

struct fraction {
  double value = 0;
  size_t len = 0;
};

/// "half a", "half an", "a half", "a quarter of a", "quarter of an" at i.
fraction fraction_at(const tokens& t, size_t i) {
  size_t j = i;
  if (is_any_word(t, j, {"a", "an"}) && is_any_word(t, j + 1, {"half", "quarter"}))
    ++j;
  if (!is_any_word(t, j, {"half", "quarter"}))
    return {};
  double v = same(t[j].text, "half") ? 0.5 : 0.25;
  ++j;
  if (is_word(t, j, "of"))
    ++j;
  if (is_any_word(t, j, {"a", "an"}))
    ++j;
  else if (j == i + 1 && same(t[i].text, "half"))
    return {}; // a lone "half"
  // Only before a unit: "half the sites" is no number.
  if (!is_any_word(t, j,
                   {"ms", "millisecond", "milliseconds", "msec", "second", "gigabit",
                    "gbps", "gig", "million"}))
    return {};
  return {v, j - i};
}
/// Numbers written in words become number tokens: "three hundred",
/// "forty thousand", "twenty five", "two and a half million", "a million",
/// "fifteen", and a lone "four" before a unit ("four milliseconds"); a
/// digit number before a scale word ("40 thousand", "2.5 million") is
/// multiplied. Lone "one".."nine" elsewhere stay words (number_word()).
} // namespace

void merge_number_words(tokens& t) {
  // Most sentences have no number words: leave them as they are.
  bool any = false;
  for (const auto& tk : t)
    any = any
          || (tk.k == kind::word
              && (small_number_word(tk.text) >= 0 || scale_word(tk.text) > 0
                  || same(tk.text, "half") || same(tk.text, "quarter")));
  if (!any)
    return;
  tokens out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size();) {
    // "40 thousand", "2.5 million"
    if (t[i].k == kind::number && i + 1 < t.size() && t[i + 1].k == kind::word
        && scale_word(t[i + 1].text) >= 1e3) {
      auto v = t[i].value * scale_word(t[i + 1].text);
      char digits[32];
      std::snprintf(digits, sizeof(digits), "%.0f", std::isfinite(v) ? v : 0.0);
      out.push_back({kind::number, std::isfinite(v) && v < 1e15 ? digits : "0",
                     std::isfinite(v) ? v : 0.0, std::floor(v) == v, t[i].gap,
                     t[i].glued});
      i += 2;
      continue;
    }
    // "half a millisecond", "a quarter of a millisecond", "a half ms"
    if (auto f = fraction_at(t, i); f.value > 0) {
      out.push_back({kind::number, f.value == 0.5 ? "0.5" : "0.25", f.value, false,
                     t[i].gap, t[i].glued});
      i += f.len;
      continue;
    }
    if (t[i].k != kind::word) {
      out.push_back(std::move(t[i++]));
      continue;
    }
    double total = 0;
    double current = 0;
    size_t words = 0;
    bool teen_or_ten = false;
    bool scaled = false;
    // What came last: 'n' nothing, 'u' 1-9, 't' 10-19, 'd' 20-90, 'h' hundred,
    // 's' thousand and up. "one and two" is two numbers, not three.
    char last = 'n';
    size_t j = i;
    if ((same(t[j].text, "a") || same(t[j].text, "an")) && j + 1 < t.size()
        && t[j + 1].k == kind::word && scale_word(t[j + 1].text) > 0) {
      current = 1; // "a hundred", "a million"
      last = 'u';
      ++j;
    }
    while (j < t.size() && t[j].k == kind::word) {
      const auto& w = t[j].text;
      int n = small_number_word(w);
      double sc = scale_word(w);
      if (n >= 0) {
        char kind_of = n < 10 ? 'u' : n < 20 ? 't' : 'd';
        bool ok =
            last == 'n' || last == 'h' || last == 's' || (last == 'd' && kind_of == 'u');
        if (!ok)
          break;
        current += n;
        teen_or_ten = teen_or_ten || n >= 10;
        last = kind_of;
      } else if (sc > 0 && last != 'n' && last != 'h' && last != 's') {
        if (sc == 1e2) {
          current *= sc;
          last = 'h';
        } else {
          total += current * sc;
          current = 0;
          last = 's';
        }
        scaled = true;
      } else if (same(w, "and") && (last == 'u' || last == 'd' || last == 't')
                 && j + 2 < t.size() && same(t[j + 1].text, "a")
                 && same(t[j + 2].text, "half") && j + 3 < t.size()
                 && t[j + 3].k == kind::word && scale_word(t[j + 3].text) >= 1e3) {
        current += 0.5; // "two and a half million"
        j += 3;
        continue;
      } else if (same(w, "and") && (last == 'h' || last == 's') && j + 1 < t.size()
                 && small_number_word(t[j + 1].text) >= 0) {
        ++j; // "one hundred and fifty"
        continue;
      } else {
        break;
      }
      ++words;
      ++j;
    }
    if (current == 1 && words == 0 && last == 'u')
      words = 0; // a lone "a": not a number
    bool merge =
        words > 1 || scaled || teen_or_ten
        || (words == 1 && j < t.size() && (unit_word(t[j]) || same(t[j].text, "point")));
    if (words == 0 || !merge) {
      out.push_back(std::move(t[i++]));
      continue;
    }
    auto v = total + current;
    // "one point five", "two point five": decimals said digit by digit.
    if (is_word(t, j, "point") && j + 1 < t.size() && number_word(t[j + 1]) >= 0) {
      double place = 0.1;
      for (++j; j < t.size() && number_word(t[j]) >= 0 && place > 1e-6; ++j, place /= 10)
        v += number_word(t[j]) * place;
      v = std::round(v * 1e6) / 1e6;
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v);
    out.push_back({kind::number, buf, v, std::floor(v) == v, t[i].gap, t[i].glued});
    i = j;
  }
  t = std::move(out);
}

namespace {

/// The value of a Chinese numeral character: 0..9 digits, or a unit
/// (10, 100, 1000, 1e4, 1e8) with `unit` set; -1 when it is none.
int cjk_numeral(uint32_t cp, bool& unit) {
  unit = false;
  switch (cp) {
  case 0x96F6: // 零
  case 0x3007: // 〇
    return 0;
  case 0x4E00: // 一
    return 1;
  case 0x4E8C: // 二
  case 0x5169: // 兩
  case 0x4E24: // 两
    return 2;
  case 0x4E09: // 三
    return 3;
  case 0x56DB: // 四
    return 4;
  case 0x4E94: // 五
    return 5;
  case 0x516D: // 六
    return 6;
  case 0x4E03: // 七
    return 7;
  case 0x516B: // 八
    return 8;
  case 0x4E5D: // 九
    return 9;
  default:
    break;
  }
  unit = true;
  switch (cp) {
  case 0x5341: // 十
    return 10;
  case 0x767E: // 百
    return 100;
  case 0x5343: // 千
    return 1000;
  case 0x842C: // 萬
  case 0x4E07: // 万
    return 10000;
  case 0x5104: // 億
  case 0x4EBF: // 亿
    return 100000000;
  default:
    break;
  }
  unit = false;
  return -1;
}

/// Decodes the 3-byte UTF-8 character at s[i] (every CJK character here).
uint32_t cjk_at(std::string_view s, size_t i) {
  if (i + 2 >= s.size() || (static_cast<unsigned char>(s[i]) & 0xF0) != 0xE0)
    return 0;
  return ((s[i] & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
}

/// Characters that follow a count: measure words and units (個 个 台 臺 只
/// 隻 支 顆 颗 套 名 位 戶 户 毫 微 秒 兆 倍).
bool counts_something(uint32_t cp) {
  static constexpr uint32_t after[] = {0x500B, 0x4E2A, 0x53F0, 0x81FA, 0x53EA, 0x96BB,
                                       0x652F, 0x9846, 0x9897, 0x5957, 0x540D, 0x4F4D,
                                       0x6236, 0x6237, 0x6BEB, 0x5FAE, 0x79D2, 0x5146};
  for (auto c : after)
    if (c == cp)
      return true;
  return false;
}

/// The value of a run of Chinese numerals ("两千五百" 2500, "十五" 15,
/// "五萬" 50000, "萬" 10000).
double cjk_value(const std::vector<std::pair<int, bool>>& run) {
  double total = 0;
  double section = 0;
  double digit = -1;
  for (auto [v, unit] : run) {
    if (!unit) {
      digit = v;
      continue;
    }
    if (v < 10000) {
      section += (digit < 0 ? 1 : digit) * v;
    } else {
      section += digit < 0 ? 0 : digit;
      total = (total + (section == 0 ? 1 : section)) * v;
      section = 0;
    }
    digit = -1;
  }
  return total + section + (digit < 0 ? 0 : digit);
}

} // namespace

void split_cjk_numerals(tokens& t) {
  bool any = false;
  for (const auto& tk : t)
    any = any || tk.k == kind::cjk;
  if (!any)
    return;
  tokens out;
  out.reserve(t.size() + 4);
  for (size_t k = 0; k < t.size(); ++k) {
    if (t[k].k != kind::cjk) {
      out.push_back(std::move(t[k]));
      continue;
    }
    std::string_view s = t[k].text;
    size_t piece = 0; // start of the CJK text not yet emitted
    bool first_piece = true;
    auto emit_cjk = [&](size_t end) {
      if (end > piece) {
        out.push_back({kind::cjk, std::string{s.substr(piece, end - piece)}, 0, false,
                       first_piece && t[k].gap, first_piece ? t[k].glued : true});
        first_piece = false;
      }
    };
    for (size_t i = 0; i < s.size();) {
      bool unit = false;
      if (cjk_numeral(cjk_at(s, i), unit) < 0) {
        i += 3;
        continue;
      }
      std::vector<std::pair<int, bool>> run;
      size_t j = i;
      for (int v; j < s.size() && (v = cjk_numeral(cjk_at(s, j), unit)) >= 0; j += 3)
        run.emplace_back(v, unit);
      bool after_count = j < s.size() && counts_something(cjk_at(s, j));
      bool ordinal = i >= 3 && cjk_at(s, i - 3) == 0x7B2C; // 第
      bool at_end_before_word =
          j >= s.size() && k + 1 < t.size() && t[k + 1].k == kind::word;
      bool has_unit = false;
      for (auto& r : run)
        has_unit = has_unit || r.second;
      // A lone multiplier after digits ("5 萬個") stays a multiplier.
      bool multiplier_of_digits =
          i == 0 && k > 0 && t[k - 1].k == kind::number && has_unit && run.size() == 1;
      bool is_count =
          (after_count || ordinal || at_end_before_word || (run.size() >= 2 && has_unit))
          && !multiplier_of_digits;
      if (!is_count) {
        i = j;
        continue;
      }
      emit_cjk(i);
      double v = cjk_value(run);
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.0f", v);
      out.push_back({kind::number, buf, v, true, first_piece && t[k].gap,
                     first_piece ? t[k].glued : true});
      first_piece = false;
      piece = j;
      i = j;
    }
    if (piece == 0) {
      out.push_back(std::move(t[k]));
      continue;
    }
    emit_cjk(s.size());
  }
  t = std::move(out);
}

} // namespace o2hub::rules
