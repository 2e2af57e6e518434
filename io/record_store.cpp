#include "io/record_store.hpp"

#include <mutex>
#include <sqlite3.h>

namespace o2hub {

struct record_store::impl {
  sqlite3* db = nullptr;
  std::string table;
  std::mutex mtx;

  bool exec(const std::string& sql) {
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  }
};

record_store::record_store(const std::string& path, const std::string& table)
    : impl_(std::make_unique<impl>()) {
  impl_->table = table;
  if (sqlite3_open_v2(path.c_str(), &impl_->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr)
      != SQLITE_OK) {
    error_ = "cannot open " + path + ": "
             + (impl_->db ? sqlite3_errmsg(impl_->db) : "out of memory");
    return;
  }
  for (std::string sql :
       {std::string{"PRAGMA journal_mode=WAL"}, std::string{"PRAGMA synchronous=NORMAL"},
        std::string{"PRAGMA busy_timeout=5000"},
        "CREATE TABLE IF NOT EXISTS " + table
            + " (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
              "key TEXT UNIQUE NOT NULL, value TEXT NOT NULL)"})
    if (!impl_->exec(sql)) {
      error_ = path + ": " + sqlite3_errmsg(impl_->db);
      return;
    }
}

record_store::~record_store() {
  if (impl_->db)
    sqlite3_close(impl_->db);
}

bool record_store::put(const std::string& key, const std::string& value) {
  if (!error_.empty())
    return false;
  std::lock_guard<std::mutex> guard{impl_->mtx};
  sqlite3_stmt* st = nullptr;
  // Keeps the first insertion's position (seq) on updates.
  auto sql = "INSERT INTO " + impl_->table
             + " (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET "
               "value = excluded.value";
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    return false;
  sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
  bool ok = sqlite3_step(st) == SQLITE_DONE;
  sqlite3_finalize(st);
  return ok;
}

bool record_store::get(const std::string& key, std::string& value) {
  if (!error_.empty())
    return false;
  std::lock_guard<std::mutex> guard{impl_->mtx};
  sqlite3_stmt* st = nullptr;
  auto sql = "SELECT value FROM " + impl_->table + " WHERE key = ?1";
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    return false;
  sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  bool found = false;
  if (sqlite3_step(st) == SQLITE_ROW) {
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    value.assign(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(st, 0)));
    found = true;
  }
  sqlite3_finalize(st);
  return found;
}

bool record_store::erase(const std::string& key) {
  if (!error_.empty())
    return false;
  std::lock_guard<std::mutex> guard{impl_->mtx};
  sqlite3_stmt* st = nullptr;
  auto sql = "DELETE FROM " + impl_->table + " WHERE key = ?1";
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    return false;
  sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  bool ok = sqlite3_step(st) == SQLITE_DONE;
  sqlite3_finalize(st);
  return ok;
}

std::vector<std::pair<std::string, std::string>> record_store::all() {
  std::vector<std::pair<std::string, std::string>> out;
  if (!error_.empty())
    return out;
  std::lock_guard<std::mutex> guard{impl_->mtx};
  sqlite3_stmt* st = nullptr;
  auto sql = "SELECT key, value FROM " + impl_->table + " ORDER BY seq";
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    return out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto k = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    auto v = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    out.emplace_back(k ? k : "", v ? v : "");
  }
  sqlite3_finalize(st);
  return out;
}

} // namespace o2hub
