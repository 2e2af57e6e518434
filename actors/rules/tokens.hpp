// The rule engine's tokens and the helpers that read them (internal to
// actors/intent_rules.cpp and actors/rules/*.cpp).
#pragma once

#include "actors/intent_rules.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace o2hub::rules {

/// `other`: a number that is no requirement (a clock time, a date, a
/// duration, an id, "5G", "rack 12", "release 4.1"); readers skip it.
enum class kind : uint8_t { word, number, symbol, cjk, other };

struct token {
  kind k;
  /// Lower-case ASCII word, the digits, one symbol character, or a run of
  /// CJK characters (UTF-8).
  std::string text;
  double value = 0;
  /// Number without a decimal point.
  bool integral = false;
  /// Punctuation (, ; : . ( ) 、，。) came right before this token.
  bool gap = false;
  /// No space came right before this token ("5G", "300M", "4h").
  bool glued = false;
};

using tokens = std::vector<token>;

/// Splits a sentence into lower-case words, numbers ("2.5", "1,000"),
/// symbols and runs of CJK characters, then reads numbers written in words
/// and Chinese numerals, and marks the numbers that are no requirement
/// (actors/rules/numbers.cpp). Typos and abbreviations are read by
/// normalize_words().
tokens tokenize(std::string_view s);

// actors/rules/numbers.cpp
/// Numbers written in words become number tokens ("three hundred", "two
/// and a half million", "one point five", "a quarter of a").
void merge_number_words(tokens& t);
/// Chinese numerals inside CJK runs become number tokens when they count
/// something ("五萬個", "三毫秒", "萬兆", "第三个").
void split_cjk_numerals(tokens& t);
/// Numbers that are no requirement become `kind::other`.
void mark_distractors(tokens& t);

// actors/rules/words.cpp
/// Expands abbreviations ("bw", "lat", "devs", "w") and corrects one-letter
/// typos of the engine's keywords ("latnecy", "mpbs"), reporting each
/// correction in `corrections`.
void normalize_words(tokens& t, std::vector<text_correction>& corrections);

/// a == b, the sizes compared first (most words differ in length).
/// Words and keywords are short: a loop, not a call to memcmp (the rules
/// compare every word with many keywords; most differ in the first byte).
inline bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i])
      return false;
  return true;
}

/// A fixed table of keywords. The rules look up every word of a sentence in
/// a few such tables, and almost every lookup is a miss of a short word:
/// std::unordered_map hashes with murmur and compares with memcmp; this one
/// hashes the few bytes with FNV-1a, keeps at most a quarter of its slots
/// full and compares the length first, so a miss costs a few dozen
/// instructions (issue 16). The first of two equal keys wins.
template <class V>
class word_table {
public:
  word_table(std::initializer_list<std::pair<std::string_view, V>> entries) {
    reserve(entries.size());
    for (const auto& [key, value] : entries)
      insert(key, value);
  }

  /// The value of `w`, or nullptr.
  const V* find(std::string_view w) const {
    for (size_t i = hash(w) & mask_; slots_[i].used; i = (i + 1) & mask_)
      if (same(slots_[i].key, w))
        return &slots_[i].value;
    return nullptr;
  }

  bool contains(std::string_view w) const { return find(w) != nullptr; }

protected:
  word_table() = default;

  void reserve(size_t n) {
    size_t size = 8;
    while (size < n * 4)
      size *= 2;
    slots_.assign(size, slot{});
    mask_ = size - 1;
  }

  void insert(std::string_view key, V value) {
    size_t i = hash(key) & mask_;
    while (slots_[i].used && !same(slots_[i].key, key))
      i = (i + 1) & mask_;
    if (!slots_[i].used)
      slots_[i] = {key, value, true};
  }

private:
  struct slot {
    std::string_view key;
    V value{};
    bool used = false;
  };

  static size_t hash(std::string_view w) {
    uint32_t h = 2166136261u;
    for (char c : w)
      h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h ^ (h >> 15);
  }

  std::vector<slot> slots_;
  size_t mask_ = 0;
};

/// A keyword table without values.
class word_set : public word_table<bool> {
public:
  word_set(std::initializer_list<std::string_view> words) {
    reserve(words.size());
    for (auto w : words)
      insert(w, true);
  }
};

/// `a` begins with `b`.
inline bool begins_with(std::string_view a, std::string_view b) {
  return a.size() >= b.size() && same(a.substr(0, b.size()), b);
}

inline bool is_word(const tokens& t, size_t i, std::string_view w) {
  return i < t.size() && t[i].k == kind::word && same(t[i].text, w);
}

inline bool is_any_word(const tokens& t, size_t i,
                        std::initializer_list<std::string_view> ws) {
  if (i >= t.size() || t[i].k != kind::word)
    return false;
  std::string_view w = t[i].text;
  for (auto x : ws)
    if (same(w, x))
      return true;
  return false;
}

inline bool is_symbol(const tokens& t, size_t i, char c) {
  return i < t.size() && t[i].k == kind::symbol && t[i].text[0] == c;
}
/// True when the CJK run `run` contains any of `parts`.
bool cjk_run_has(std::string_view run, std::initializer_list<std::string_view> parts);
/// True when the CJK run at token i contains any of `parts` (inline: most
/// tokens are no CJK run, and the rules ask this of every token).
inline bool cjk_has(const tokens& t, size_t i,
                    std::initializer_list<std::string_view> parts) {
  return i < t.size() && t[i].k == kind::cjk && cjk_run_has(t[i].text, parts);
}
/// True when the words of `phrase` (space-separated) start at token i.
bool phrase_at(const tokens& t, size_t i, std::string_view phrase);
/// Number of places where any phrase occurs; first position in `first`.
int count_phrases(const tokens& t, std::initializer_list<std::string_view> phrases,
                  size_t& first);
/// Number of CJK runs containing any of `parts`; first position in `first`.
int count_cjk(const tokens& t, std::initializer_list<std::string_view> parts,
              size_t& first);
/// A number token's value as an int when it is a whole number of at most
/// six digits; -1 otherwise (never a cast of a huge double: fuzzing found
/// "7777777777777777 nines").
inline int small_int(const token& tk) {
  if (tk.k != kind::number || !(tk.value >= 0 && tk.value <= 999999))
    return -1;
  return static_cast<int>(tk.value);
}

/// 0..9 for "zero".."nine"; -1 otherwise.
int number_word(const token& tk);

/// True when `a` and `b` differ by at most one edit (insert, delete,
/// replace, or swap of two neighbours).
bool one_edit_apart(std::string_view a, std::string_view b);

/// Reads the action ("deploy", "modify", "remove") and whether a verb said
/// it into `r`.
void read_action(const tokens& t, rule_reading& r);

/// Reads latency, reliability, availability, device counts and priority
/// into `r` (actors/rules/quantities.cpp).
void read_quantities(const tokens& t, rule_reading& r);

/// Reads downlink and uplink bandwidths into `r` (actors/rules/bandwidth.cpp).
void read_bandwidth(const tokens& t, rule_reading& r);

/// Mbps per unit for a bandwidth unit at token i ("Mbps", "Gb/s", "gig",
/// "兆"); 0 if none. `len` gets the number of tokens the unit spans.
double bandwidth_unit(const tokens& t, size_t i, size_t& len);

/// 1 downlink, 2 uplink, 0 neither, for a direction word at token i.
int direction_of(const tokens& t, size_t i);

/// Reads the sites: named, ranges, exclusions, ordinals, all, first/last
/// N (actors/rules/sites.cpp).
void read_sites(const tokens& t, const std::vector<std::string>& configured,
                rule_reading& r);

/// The service type the text names or suggests; empty if none
/// (actors/rules/type.cpp).
std::string read_type(const tokens& t, const rule_reading& r);

} // namespace o2hub::rules
