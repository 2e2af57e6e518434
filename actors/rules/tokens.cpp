#include "actors/rules/tokens.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

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

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

tokens tokenize(std::string_view s) {
  tokens out;
  out.reserve(24);
  size_t i = 0;
  bool gap = false;           // punctuation since the last token
  size_t last_end = SIZE_MAX; // where the last token ended
  auto push = [&](token tk, size_t begin, size_t end) {
    tk.gap = gap;
    tk.glued = begin == last_end;
    gap = false;
    last_end = end;
    out.push_back(std::move(tk));
  };
  auto symbol = [&](char c, size_t begin, size_t end) {
    push({kind::symbol, std::string(1, c)}, begin, end);
  };
  /// The next character after spaces from j: a digit or a letter.
  auto digit_or_letter_after = [&](size_t j) {
    while (j < s.size() && s[j] == ' ')
      ++j;
    return j < s.size() && (is_digit(s[j]) || is_alpha(s[j]));
  };
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
        push({kind::cjk, std::string{s.substr(i, j - i)}}, i, j);
        i = j;
        continue;
      }
      if (cp == 0xFF1C || cp == 0x2264) // full-width '<', '≤'
        symbol('<', i, i + n);
      else if (cp == 0xFF05) // full-width '%'
        symbol('%', i, i + n);
      else if (cp == 0xFF06) // full-width '&'
        symbol('&', i, i + n);
      else if (cp == 0xFF0F) // full-width '/'
        symbol('/', i, i + n);
      else if (cp == 0x2013 || cp == 0x2014 || cp == 0xFF5E || cp == 0xFF0D) {
        // en/em dash, full-width '~' and '-': a range between numbers
        if (!out.empty() && out.back().k == kind::number && digit_or_letter_after(i + n))
          symbol('-', i, i + n);
      } else if (cp == 0x00B5 || cp == 0x03BC) { // micro sign, mu
        bool s_follows = i + n < s.size() && (s[i + n] == 's' || s[i + n] == 'S');
        push({kind::word, s_follows ? "us" : "u"}, i, i + n + (s_follows ? 1 : 0));
        i += s_follows ? 1 : 0;
      } else if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF1F))
        gap = true; // CJK punctuation: 、，。；：！？（）
      i += n;
      continue;
    }
    if (is_alpha(c)) {
      size_t j = i;
      std::string word;
      while (j < s.size() && is_alpha(s[j])) {
        word += lower(s[j]);
        ++j;
      }
      push({kind::word, std::move(word)}, i, j);
      i = j;
      continue;
    }
    if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1]))) {
      std::string digits;
      size_t j = i;
      while (j < s.size() && is_digit(s[j]))
        digits += s[j++];
      // A clock time ("22:15", "9:30"): no quantity.
      if (j + 2 < s.size() && s[j] == ':' && is_digit(s[j + 1]) && is_digit(s[j + 2])
          && digits.size() <= 2) {
        digits += s.substr(j, 3);
        j += 3;
        push({kind::other, std::move(digits)}, i, j);
        i = j;
        continue;
      }
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
      // An id: digits right after "word-" or "#" ("INC-4411", "#4411"),
      // except a site's own name ("edge-1").
      bool id = false;
      if (i > 0 && (s[i - 1] == '#' || s[i - 1] == '-')) {
        id = s[i - 1] == '#';
        if (s[i - 1] == '-' && i > 1 && is_alpha(s[i - 2]))
          id = !out.empty() && out.back().k == kind::word
               && !same(out.back().text, "edge") && !same(out.back().text, "edges")
               && !same(out.back().text, "site") && !same(out.back().text, "sites");
      }
      push({id ? kind::other : kind::number, std::move(digits), value, integral}, i, j);
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
      symbol(c, i, i + 1);
      break;
    case '-':
    case '~':
      // "2-4", "edge1-edge3": a range after a number; else a separator
      // ("edge-1", "e-sports", "~5 ms").
      if (!out.empty() && out.back().k == kind::number
          && s.find_first_not_of(' ', last_end) == i && digit_or_letter_after(i + 1))
        symbol('-', i, i + 1);
      break;
    case ',':
    case ';':
    case ':':
    case '(':
    case ')':
    case '!':
    case '?':
      gap = true;
      break;
    case '.':
      gap = gap || i + 1 >= s.size() || s[i + 1] == ' ';
      break;
    default:
      break; // spaces, '_', quotes: separators
    }
    ++i;
  }
  split_cjk_numerals(out);
  merge_number_words(out);
  mark_distractors(out);
  return out;
}

// -- helpers over tokens -------------------------------------------------------

bool cjk_run_has(std::string_view run, std::initializer_list<std::string_view> parts) {
  for (auto p : parts)
    if (run.find(p) != std::string_view::npos)
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
        || !same(t[i].text, word))
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
    if (same(tk.text, words[n]))
      return static_cast<int>(n);
  return -1;
}

} // namespace o2hub::rules
