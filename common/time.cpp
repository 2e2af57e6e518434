#include "common/time.hpp"

#include <cstdio>
#include <ctime>
#include <string>

namespace o2hub {

std::string rfc3339(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms / 1000);
  auto millis = static_cast<int>(ms % 1000);
  if (millis < 0) {
    millis += 1000;
    --secs;
  }
  // The date and time of day change once a second: formatted once per
  // second and thread (gmtime_r takes glibc's time zone lock, snprintf is
  // slow; every event and answer carries a timestamp).
  thread_local std::time_t cached_secs = 0;
  thread_local std::string cached;
  if (cached.empty() || secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96]; // room for any int the format could see (-Wformat-truncation)
    std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached = buf;
    cached_secs = secs;
  }
  std::string out;
  out.reserve(cached.size() + 5);
  out += cached;
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += 'Z';
  return out;
}

std::string rfc3339_now() {
  return rfc3339(std::chrono::system_clock::now());
}

} // namespace o2hub
