// Timestamps on the wire: RFC 3339, UTC, millisecond precision, 'Z' suffix.
#pragma once

#include <chrono>
#include <string>

namespace o2hub {

/// Formats a time point as "2025-09-27T10:30:00.123Z".
std::string rfc3339(std::chrono::system_clock::time_point t);

/// The current time as RFC 3339.
std::string rfc3339_now();

} // namespace o2hub
