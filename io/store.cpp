#include "io/store.hpp"

#include "common/log.hpp"
#include "protocol/error.hpp"
#include "protocol/monitor_json.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <sqlite3.h>

namespace o2hub {

namespace {

class sqlite_store : public pipeline_store {
public:
  explicit sqlite_store(sqlite3* db) : db_(db) {}

  ~sqlite_store() override { sqlite3_close(db_); }

  caf::error save(const pipeline& p, uint64_t total, uint64_t successful, uint64_t failed,
                  double new_duration) override {
    if (auto err = exec("BEGIN IMMEDIATE"))
      return err;
    auto json = wire::pipeline_json(p);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_,
                       "INSERT INTO pipelines(intent_id, started, json) VALUES(?1, "
                       "(SELECT IFNULL(MAX(started), 0) + 1 FROM pipelines), ?2) "
                       "ON CONFLICT(intent_id) DO UPDATE SET json = excluded.json, "
                       "started = CASE WHEN ?3 THEN excluded.started ELSE started END",
                       -1, &st, nullptr);
    sqlite3_bind_text(st, 1, p.intent_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, json.c_str(), -1, SQLITE_TRANSIENT);
    // A new run of an id moves it to the end of the start order.
    sqlite3_bind_int(st, 3, p.stages.size() == 1 ? 1 : 0);
    auto rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
      return rollback("cannot save pipeline");
    sqlite3_prepare_v2(db_,
                       "INSERT INTO counters(id, total, successful, failed) "
                       "VALUES(1, ?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
                       "total = ?1, successful = ?2, failed = ?3",
                       -1, &st, nullptr);
    sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(total));
    sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(successful));
    sqlite3_bind_int64(st, 3, static_cast<sqlite3_int64>(failed));
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
      return rollback("cannot save counters");
    if (new_duration >= 0) {
      sqlite3_prepare_v2(db_, "INSERT INTO durations(seconds) VALUES(?1)", -1, &st,
                         nullptr);
      sqlite3_bind_double(st, 1, new_duration);
      rc = sqlite3_step(st);
      sqlite3_finalize(st);
      if (rc != SQLITE_DONE)
        return rollback("cannot save duration");
    }
    return exec("COMMIT");
  }

  caf::error save_edge(const std::string& name, const std::string& json) override {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_,
                       "INSERT INTO edges(name, json) VALUES(?1, ?2) ON CONFLICT(name) "
                       "DO UPDATE SET json = excluded.json",
                       -1, &st, nullptr);
    sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, json.c_str(), -1, SQLITE_TRANSIENT);
    auto rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
      return caf::error{ec::filesystem_error,
                        std::string{"cannot save edge: "} + sqlite3_errmsg(db_)};
    return {};
  }

  caf::error remove(const std::string& intent_id) override {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "DELETE FROM pipelines WHERE intent_id = ?1", -1, &st,
                       nullptr);
    sqlite3_bind_text(st, 1, intent_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return {};
  }

  caf::error exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string what = msg ? msg : "unknown";
      sqlite3_free(msg);
      return caf::error{ec::filesystem_error, std::string{"sqlite: "} + what};
    }
    return {};
  }

private:
  caf::error rollback(const char* what) {
    std::string why = std::string{what} + ": " + sqlite3_errmsg(db_);
    exec("ROLLBACK");
    return caf::error{ec::filesystem_error, why};
  }

  sqlite3* db_;
};

} // namespace

caf::expected<std::unique_ptr<pipeline_store>> open_sqlite_store(const std::string& path,
                                                                 stored_state& loaded) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr)
      != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return caf::error{ec::filesystem_error, "cannot open " + path + ": " + why};
  }
  auto store = std::make_unique<sqlite_store>(db);
  // WAL with synchronous=NORMAL: a committed write survives the process
  // being killed (only a power loss could drop the last commits).
  for (auto sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                   "PRAGMA busy_timeout=2000",
                   "CREATE TABLE IF NOT EXISTS pipelines(intent_id TEXT PRIMARY KEY, "
                   "started INTEGER NOT NULL, json TEXT NOT NULL)",
                   "CREATE TABLE IF NOT EXISTS edges(name TEXT PRIMARY KEY, json TEXT "
                   "NOT NULL)",
                   "CREATE TABLE IF NOT EXISTS counters(id INTEGER PRIMARY KEY, total "
                   "INTEGER, successful INTEGER, failed INTEGER)",
                   "CREATE TABLE IF NOT EXISTS durations(id INTEGER PRIMARY KEY, "
                   "seconds REAL NOT NULL)"})
    if (auto err = store->exec(sql))
      return err;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT json FROM pipelines ORDER BY started", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    if (auto p = wire::read_pipeline(text ? text : ""))
      loaded.pipelines.push_back(std::move(*p));
    else
      log::warn("stored pipeline unreadable, skipped", {{"error", render(p.error())}});
  }
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "SELECT name, json FROM edges", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto name = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    auto e = wire::read_edge(text ? text : "");
    if (!e || !name) {
      log::warn(
          "stored edge status unreadable, skipped",
          {{"edge", name ? name : ""}, {"error", e ? "no name" : render(e.error())}});
      continue;
    }
    e->name = name;
    loaded.edges.push_back(std::move(*e));
  }
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "SELECT total, successful, failed FROM counters WHERE id = 1",
                     -1, &st, nullptr);
  if (sqlite3_step(st) == SQLITE_ROW) {
    loaded.total = static_cast<uint64_t>(sqlite3_column_int64(st, 0));
    loaded.successful = static_cast<uint64_t>(sqlite3_column_int64(st, 1));
    loaded.failed = static_cast<uint64_t>(sqlite3_column_int64(st, 2));
  }
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "SELECT seconds FROM durations ORDER BY id", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    loaded.durations.push_back(sqlite3_column_double(st, 0));
  sqlite3_finalize(st);
  return std::unique_ptr<pipeline_store>{std::move(store)};
}

} // namespace o2hub

namespace o2hub {

namespace {

struct monitor_store_state {
  static inline const char* name = "monitor-store";
  std::unique_ptr<pipeline_store> store;
};

monitor_store_actor::behavior_type
monitor_store(monitor_store_actor::stateful_pointer<monitor_store_state> self,
              std::shared_ptr<std::unique_ptr<pipeline_store>> store) {
  self->state.store = std::move(*store);
  return {
      [self](atom::put, const pipeline& p, uint64_t total, uint64_t successful,
             uint64_t failed, double duration) -> caf::result<atom::ok> {
        if (auto err = self->state.store->save(p, total, successful, failed, duration))
          return err;
        return atom::ok_v;
      },
      [self](atom::put, const edge_status& e) -> caf::result<atom::ok> {
        if (auto err = self->state.store->save_edge(e.name, wire::edge_json(e)))
          return err;
        return atom::ok_v;
      },
  };
}

} // namespace

monitor_store_actor spawn_monitor_store(caf::actor_system& sys,
                                        std::unique_ptr<pipeline_store> store) {
  // CAF copies spawn arguments: hand the unique_ptr over in a shared box.
  auto box = std::make_shared<std::unique_ptr<pipeline_store>>(std::move(store));
  return sys.spawn<caf::detached>(monitor_store, std::move(box));
}

} // namespace o2hub
