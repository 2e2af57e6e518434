#include "config/yaml_reader.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace o2hub::detail {

std::string join_path(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

std::string yaml_reader::where(const YAML::Node& node) const {
  auto mark = node.Mark();
  if (mark.is_null())
    return origin_;
  return origin_ + ":" + std::to_string(mark.line + 1);
}

void yaml_reader::fail(const YAML::Node& node, const std::string& path,
                       const std::string& what) {
  if (!error_)
    error_ = caf::error{ec::invalid_configuration,
                        where(node) + ": key '" + path + "': " + what};
}

void yaml_reader::warn(const YAML::Node& node, const std::string& path,
                       const std::string& what) {
  warnings_.push_back(where(node) + ": key '" + path + "': " + what);
}

void yaml_reader::check_keys(const YAML::Node& map, const std::string& path,
                             std::initializer_list<const char*> known) {
  if (!map.IsMap())
    return;
  for (const auto& kv : map) {
    auto key = kv.first.Scalar();
    bool found = false;
    for (auto k : known)
      found = found || key == k;
    if (!found)
      warn(kv.first, join_path(path, key), "unknown key, ignored");
  }
}

bool yaml_reader::expect_map(const YAML::Node& node, const std::string& path) {
  if (node.IsMap())
    return true;
  if (node.IsNull())
    return false; // an empty section is fine
  fail(node, path, "must be a mapping");
  return false;
}

bool yaml_reader::scalar(const YAML::Node& node, const std::string& path) {
  if (node.IsScalar())
    return true;
  fail(node, path, "must be a single value, not a list or mapping");
  return false;
}

bool yaml_reader::integer(const YAML::Node& node, const std::string& path, long min,
                          long max, long& out) {
  if (!scalar(node, path))
    return false;
  const auto& text = node.Scalar();
  long value = 0;
  auto res = std::from_chars(text.data(), text.data() + text.size(), value);
  if (res.ec != std::errc{} || res.ptr != text.data() + text.size()) {
    fail(node, path, "must be an integer, got '" + text + "'");
    return false;
  }
  if (value < min || value > max) {
    fail(node, path,
         "must be between " + std::to_string(min) + " and " + std::to_string(max)
             + ", got " + text);
    return false;
  }
  out = value;
  return true;
}

void yaml_reader::read(const YAML::Node& map, const char* key, const std::string& path,
                       std::string& out) {
  auto node = map[key];
  if (!node || node.IsNull())
    return;
  if (scalar(node, join_path(path, key)))
    out = node.Scalar();
}

void yaml_reader::read(const YAML::Node& map, const char* key, const std::string& path,
                       bool& out) {
  auto node = map[key];
  if (!node || node.IsNull())
    return;
  auto p = join_path(path, key);
  if (!scalar(node, p))
    return;
  const auto& t = node.Scalar();
  if (t == "true" || t == "yes" || t == "on")
    out = true;
  else if (t == "false" || t == "no" || t == "off")
    out = false;
  else
    fail(node, p, "must be true or false, got '" + t + "'");
}

void yaml_reader::read(const YAML::Node& map, const char* key, const std::string& path,
                       int& out, long min, long max) {
  auto node = map[key];
  long value = 0;
  if (node && !node.IsNull() && integer(node, join_path(path, key), min, max, value))
    out = static_cast<int>(value);
}

void yaml_reader::read(const YAML::Node& map, const char* key, const std::string& path,
                       size_t& out, long min, long max) {
  auto node = map[key];
  long value = 0;
  if (node && !node.IsNull() && integer(node, join_path(path, key), min, max, value))
    out = static_cast<size_t>(value);
}

void yaml_reader::read(const YAML::Node& map, const char* key, const std::string& path,
                       double& out, double min, double max) {
  auto node = map[key];
  if (!node || node.IsNull())
    return;
  auto p = join_path(path, key);
  if (!scalar(node, p))
    return;
  const auto& text = node.Scalar();
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v < min || v > max) {
    fail(node, p,
         "must be a number from " + std::to_string(min) + " to " + std::to_string(max)
             + ", got '" + text + "'");
    return;
  }
  out = v;
}

void yaml_reader::read_port(const YAML::Node& map, const char* key,
                            const std::string& path, uint16_t& out) {
  auto node = map[key];
  long value = 0;
  if (node && !node.IsNull() && integer(node, join_path(path, key), 1, 65535, value))
    out = static_cast<uint16_t>(value);
}

void yaml_reader::read(const YAML::Node& map, const char* key, const std::string& path,
                       std::vector<std::string>& out) {
  auto node = map[key];
  if (!node || node.IsNull())
    return;
  auto p = join_path(path, key);
  if (!node.IsSequence()) {
    fail(node, p, "must be a list");
    return;
  }
  std::vector<std::string> result;
  for (const auto& item : node) {
    if (!scalar(item, p))
      return;
    result.push_back(item.Scalar());
  }
  out = std::move(result);
}

void yaml_reader::read_seconds(const YAML::Node& map, const char* key,
                               const std::string& path, int& out) {
  auto node = map[key];
  if (!node || node.IsNull())
    return;
  auto p = join_path(path, key);
  if (!scalar(node, p))
    return;
  std::string text = node.Scalar();
  long factor = 1;
  if (!text.empty()) {
    switch (text.back()) {
    case 's':
      factor = 1;
      text.pop_back();
      break;
    case 'm':
      factor = 60;
      text.pop_back();
      break;
    case 'h':
      factor = 3600;
      text.pop_back();
      break;
    default:
      break;
    }
  }
  long value = 0;
  auto res = std::from_chars(text.data(), text.data() + text.size(), value);
  if (res.ec != std::errc{} || res.ptr != text.data() + text.size() || value <= 0
      || value * factor > 86400) {
    fail(node, p,
         "must be a duration such as 15, \"15s\" or \"2m\" (1 s to 24 h), got '"
             + node.Scalar() + "'");
    return;
  }
  out = static_cast<int>(value * factor);
}

} // namespace o2hub::detail
