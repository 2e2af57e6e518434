#include "protocol/site_name.hpp"

#include "common/text.hpp"

#include <cctype>

namespace o2hub {

std::string normalize_site_name(std::string_view name) {
  std::string letters;
  std::string digits;
  std::string rest;
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '-' || c == '_' || c == ' ' || c == '.')
      continue;
    if (std::isdigit(c) && rest.empty())
      digits += ch;
    else if (std::isalpha(c) && digits.empty() && rest.empty())
      letters += static_cast<char>(std::tolower(c));
    else
      rest += static_cast<char>(std::tolower(c));
  }
  if (letters.empty() || digits.empty() || !rest.empty()) {
    // Not of the form <word><number>: lower-case, separators kept.
    return to_lower(name);
  }
  auto first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  return letters + digits;
}

std::string seed_site_name(std::string_view canonical) {
  auto digits = canonical.find_first_of("0123456789");
  if (digits == std::string_view::npos || digits == 0
      || canonical.find_first_not_of("0123456789", digits) != std::string_view::npos
      || canonical.size() - digits != 1)
    return std::string{canonical};
  return std::string{canonical.substr(0, digits)} + "0"
         + std::string{canonical.substr(digits)};
}

} // namespace o2hub
