// A small durable table of JSON records by key, in SQLite (WAL, one
// connection, thread-safe): the pipelines' progress and the git outbox.
// Blocking: use from detached actors or threads.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace o2hub {

class record_store {
public:
  /// Opens (creating) table `table` in the database file `path`; on failure
  /// `error()` says why and every call fails.
  record_store(const std::string& path, const std::string& table);
  ~record_store();
  record_store(const record_store&) = delete;
  record_store& operator=(const record_store&) = delete;

  const std::string& error() const { return error_; }

  /// Inserts or replaces; false when it did not reach the database.
  bool put(const std::string& key, const std::string& value);
  /// The value, or false when there is none.
  bool get(const std::string& key, std::string& value);
  bool erase(const std::string& key);
  /// Every record, oldest insertion first.
  std::vector<std::pair<std::string, std::string>> all();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::string error_;
};

} // namespace o2hub
