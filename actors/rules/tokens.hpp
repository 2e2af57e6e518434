// The rule engine's tokens and the helpers that read them (internal to
// actors/intent_rules.cpp and actors/rules/*.cpp).
#pragma once

#include "actors/intent_rules.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub::rules {

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

/// Splits a sentence into lower-case words, numbers ("2.5", "1,000"),
/// symbols and runs of CJK characters.
tokens tokenize(std::string_view s);

bool is_word(const tokens& t, size_t i, std::string_view w);
bool is_any_word(const tokens& t, size_t i, std::initializer_list<std::string_view> ws);
bool is_symbol(const tokens& t, size_t i, char c);
/// True when the CJK run at token i contains any of `parts`.
bool cjk_has(const tokens& t, size_t i, std::initializer_list<std::string_view> parts);
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

/// Reads bandwidths (down/up), latency, reliability, availability, device
/// counts and priority into `r`.
void read_quantities(const tokens& t, rule_reading& r);

} // namespace o2hub::rules
