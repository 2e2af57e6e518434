// libFuzzer target: the YAML configuration loaders, both formats (o2hub.yaml
// and the seed's edge-sites-config.yaml), then validation. Bad input must
// come back as an error, never a crash or an exception.
#include "config/config.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  auto cfg = o2hub::default_config();
  if (!o2hub::parse_config(text, "fuzz.yaml", cfg))
    o2hub::validate(cfg);
  auto sites = o2hub::default_config();
  if (!o2hub::parse_edge_sites(text, "fuzz-sites.yaml", sites))
    o2hub::validate(sites);
  return 0;
}
