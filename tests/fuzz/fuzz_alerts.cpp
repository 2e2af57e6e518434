// libFuzzer target: Alertmanager webhook payloads. A rollback is only ever
// asked for an alert that names an intent or a site.
#include "protocol/alerts.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body{reinterpret_cast<const char*>(data), size};
  for (bool always : {false, true}) {
    std::string error;
    size_t ignored = 0;
    auto targets = o2hub::read_alerts(body, always, error, ignored);
    for (const auto& t : targets)
      if (t.intent_id.empty() && t.site.empty())
        std::abort();
    if (!error.empty() && !targets.empty())
      std::abort();
  }
  return 0;
}
