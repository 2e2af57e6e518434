// Site names: every spelling operators and the seed's files use ("edge01",
// "edge-1", "Edge1", "EDGE 01") has one canonical form ("edge1").
#pragma once

#include <string>
#include <string_view>

namespace o2hub {

/// Canonical site name: "edge01", "edge-1", "Edge1", "EDGE 01" -> "edge1";
/// a name not of the form <word><number> is lower-cased as it is.
std::string normalize_site_name(std::string_view name);

/// The seed's spelling of a canonical name, for the original monitor's
/// routes and messages: "edge1" -> "edge01" (two digits at least); other
/// names as they are.
std::string seed_site_name(std::string_view canonical);

} // namespace o2hub
