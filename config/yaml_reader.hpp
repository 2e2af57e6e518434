// Typed access to YAML nodes with errors that name the file, line and key.
// Internal to config/.
#pragma once

#include "protocol/error.hpp"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace o2hub::detail {

class yaml_reader {
public:
  yaml_reader(std::string origin, std::vector<std::string>& warnings)
      : origin_(std::move(origin)), warnings_(warnings) {}

  /// "file:line" of a node (1-based line).
  std::string where(const YAML::Node& node) const;

  /// Records the first error; later calls are ignored.
  void fail(const YAML::Node& node, const std::string& path, const std::string& what);

  void warn(const YAML::Node& node, const std::string& path, const std::string& what);

  /// Warns about every key of `map` not in `known`.
  void check_keys(const YAML::Node& map, const std::string& path,
                  std::initializer_list<const char*> known);

  /// True when `node` is a map; otherwise records an error.
  bool expect_map(const YAML::Node& node, const std::string& path);

  void read(const YAML::Node& map, const char* key, const std::string& path,
            std::string& out);
  void read(const YAML::Node& map, const char* key, const std::string& path, bool& out);
  void read(const YAML::Node& map, const char* key, const std::string& path, int& out,
            long min, long max);
  void read(const YAML::Node& map, const char* key, const std::string& path, size_t& out,
            long min, long max);
  void read_port(const YAML::Node& map, const char* key, const std::string& path,
                 uint16_t& out);
  /// A finite number within [min, max].
  void read(const YAML::Node& map, const char* key, const std::string& path, double& out,
            double min, double max);
  void read(const YAML::Node& map, const char* key, const std::string& path,
            std::vector<std::string>& out);
  /// Seconds as 15, "15", "15s", "2m" or "1h".
  void read_seconds(const YAML::Node& map, const char* key, const std::string& path,
                    int& out);

  const caf::error& error() const { return error_; }
  const std::string& origin() const { return origin_; }

private:
  bool scalar(const YAML::Node& node, const std::string& path);
  bool integer(const YAML::Node& node, const std::string& path, long min, long max,
               long& out);

  std::string origin_;
  std::vector<std::string>& warnings_;
  caf::error error_;
};

/// "a.b" or "b" when the prefix is empty.
std::string join_path(const std::string& prefix, const std::string& key);

} // namespace o2hub::detail
