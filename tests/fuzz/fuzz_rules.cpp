// libFuzzer target: the rule engine on arbitrary text (any bytes, UTF-8 or
// not): reading a sentence and building the intent must not crash, and the
// intent must stay within its documented ranges.
#include "actors/intent_rules.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192)
    return 0; // the API refuses longer texts
  std::string_view text{reinterpret_cast<const char*>(data), size};
  static const std::vector<std::string> sites{"edge1", "edge2", "edge3", "edge4"};
  auto reading = o2hub::read_intent_text(text, sites);
  o2hub::intent_request req;
  req.text = std::string{text};
  std::vector<std::string> defaulted;
  auto x = o2hub::make_intent(reading, req, sites, "intent-fuzz", defaulted);
  for (const auto& s : x.target_sites)
    if (s.rfind("edge", 0) != 0)
      std::abort(); // only configured sites are ever targeted
  if (x.priority < 1 || x.priority > 10)
    std::abort();
  return 0;
}
