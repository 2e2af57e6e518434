// Site names: every spelling operators and the seed's files use ("edge01",
// "edge-1", "Edge1", "EDGE 01") has one canonical form ("edge1").
#pragma once

#include <string>
#include <string_view>

namespace o2hub {

/// Canonical site name: "edge01", "edge-1", "Edge1", "EDGE 01" -> "edge1";
/// a name not of the form <word><number> is lower-cased as it is.
std::string normalize_site_name(std::string_view name);

} // namespace o2hub
