#include "actors/rules/tokens.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace o2hub::rules {

namespace {

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

} // namespace

namespace {

/// 0..19 and the tens as words; -1 otherwise.
int small_number_word(std::string_view w) {
  static const std::unordered_map<std::string_view, int> words{
      {"zero", 0},     {"one", 1},        {"two", 2},       {"three", 3},
      {"four", 4},     {"five", 5},       {"six", 6},       {"seven", 7},
      {"eight", 8},    {"nine", 9},       {"ten", 10},      {"eleven", 11},
      {"twelve", 12},  {"thirteen", 13},  {"fourteen", 14}, {"fifteen", 15},
      {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
      {"twenty", 20},  {"thirty", 30},    {"forty", 40},    {"fifty", 50},
      {"sixty", 60},   {"seventy", 70},   {"eighty", 80},   {"ninety", 90}};
  auto i = words.find(w);
  return i == words.end() ? -1 : i->second;
}

double scale_word(std::string_view w) {
  if (w == "hundred")
    return 1e2;
  if (w == "thousand")
    return 1e3;
  if (w == "million")
    return 1e6;
  if (w == "billion")
    return 1e9;
  return 0;
}

/// Words that make a lone "four" a quantity ("four milliseconds").
bool unit_word(const token& tk) {
  static const std::unordered_map<std::string_view, int> units{
      {"ms", 0},       {"millisecond", 0}, {"milliseconds", 0}, {"mbps", 0},
      {"gbps", 0},     {"megabit", 0},     {"megabits", 0},     {"gigabit", 0},
      {"gigabits", 0}, {"gig", 0},         {"meg", 0},          {"percent", 0}};
  return tk.k == kind::word && units.count(tk.text) > 0;
}

/// Numbers written in words become number tokens: "three hundred",
/// "forty thousand", "twenty five", "two and a half million", "a million",
/// "fifteen", and a lone "four" before a unit ("four milliseconds"); a
/// digit number before a scale word ("40 thousand", "2.5 million") is
/// multiplied. Lone "one".."nine" elsewhere stay words (number_word()).
void merge_number_words(tokens& t) {
  // Most sentences have no number words: leave them as they are.
  bool any = false;
  for (const auto& tk : t)
    any = any
          || (tk.k == kind::word
              && (small_number_word(tk.text) >= 0 || scale_word(tk.text) > 0));
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
                     std::isfinite(v) ? v : 0.0, std::floor(v) == v});
      i += 2;
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
    if ((t[j].text == "a" || t[j].text == "an") && j + 1 < t.size()
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
      } else if (w == "and" && (last == 'u' || last == 'd' || last == 't')
                 && j + 2 < t.size() && t[j + 1].text == "a" && t[j + 2].text == "half"
                 && j + 3 < t.size() && t[j + 3].k == kind::word
                 && scale_word(t[j + 3].text) >= 1e3) {
        current += 0.5; // "two and a half million"
        j += 3;
        continue;
      } else if (w == "and" && (last == 'h' || last == 's') && j + 1 < t.size()
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
    bool merge = words > 1 || scaled || teen_or_ten
                 || (words == 1 && j < t.size() && unit_word(t[j]));
    if (words == 0 || !merge) {
      out.push_back(std::move(t[i++]));
      continue;
    }
    auto v = total + current;
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v);
    out.push_back({kind::number, buf, v, std::floor(v) == v});
    i = j;
  }
  t = std::move(out);
}

} // namespace

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
  merge_number_words(out);
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

} // namespace o2hub::rules
