#include "common/log.hpp"

#include "common/json.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace o2hub::log {

namespace {

std::shared_ptr<spdlog::logger>& logger() {
  static std::shared_ptr<spdlog::logger> instance;
  return instance;
}

std::once_flag init_flag;

void ensure() {
  std::call_once(init_flag, [] {
    auto l = spdlog::stderr_logger_mt("o2hub");
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                   spdlog::pattern_time_type::utc);
    l->flush_on(spdlog::level::info);
    l->set_level(spdlog::level::info);
    logger() = std::move(l);
  });
}

spdlog::level::level_enum convert(level lvl) {
  switch (lvl) {
  case level::debug:
    return spdlog::level::debug;
  case level::info:
    return spdlog::level::info;
  case level::warn:
    return spdlog::level::warn;
  case level::error:
    return spdlog::level::err;
  case level::off:
    return spdlog::level::off;
  }
  return spdlog::level::info;
}

} // namespace

bool init(std::string_view level_name) {
  ensure();
  level lvl;
  if (level_name == "debug")
    lvl = level::debug;
  else if (level_name == "info")
    lvl = level::info;
  else if (level_name == "warn" || level_name == "warning")
    lvl = level::warn;
  else if (level_name == "error")
    lvl = level::error;
  else if (level_name == "off")
    lvl = level::off;
  else
    return false;
  logger()->set_level(convert(lvl));
  return true;
}

void write(level lvl, std::string_view msg, std::initializer_list<field> fields) {
  ensure();
  auto spd = convert(lvl);
  if (!logger()->should_log(spd))
    return;
  // The pattern opens the object; we write its remaining members.
  std::string members;
  members += "\"msg\":";
  json::append_quoted(members, msg);
  for (const auto& [key, value] : fields) {
    members += ',';
    json::append_quoted(members, key);
    members += ':';
    json::append_quoted(members, value);
  }
  logger()->log(spd, "{}", members);
}

} // namespace o2hub::log
