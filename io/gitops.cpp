#include "io/gitops.hpp"

#include "common/json.hpp"
#include "common/log.hpp"
#include "protocol/error.hpp"

#include <caf/event_based_actor.hpp>
#include <simdjson.h>

namespace o2hub {

namespace {

using self_ptr = gitops_actor::stateful_pointer<gitops_state>;

struct op_record {
  std::string repo;
  std::string change;            // JSON
  std::string state = "pending"; // pending | committed | pushed
  std::string sha;
  std::string error;
};

std::string to_json(const op_record& r) {
  json::writer w;
  w.begin_object()
      .kv("repo", r.repo)
      .key("change")
      .raw(r.change)
      .kv("state", r.state)
      .kv("sha", r.sha)
      .kv("error", r.error)
      .end_object();
  return w.take();
}

bool from_json(const std::string& text, op_record& r) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (p.parse(text).get(root))
    return false;
  std::string_view v;
  if (root["repo"].get_string().get(v))
    return false;
  r.repo = std::string{v};
  simdjson::dom::element change;
  if (root["change"].get(change))
    return false;
  r.change = simdjson::minify(change);
  if (root["state"].get_string().get(v) == simdjson::SUCCESS)
    r.state = std::string{v};
  if (root["sha"].get_string().get(v) == simdjson::SUCCESS)
    r.sha = std::string{v};
  return true;
}

bool parse_change(const std::string& text, git_change& c) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (p.parse(text).get(root))
    return false;
  std::string_view v;
  if (root["message"].get_string().get(v))
    return false;
  c.message = std::string{v};
  simdjson::dom::object write;
  if (root["write"].get_object().get(write) == simdjson::SUCCESS)
    for (auto [k, val] : write)
      if (val.get_string().get(v) == simdjson::SUCCESS)
        c.write[std::string{k}] = std::string{v};
  simdjson::dom::array remove;
  if (root["remove"].get_array().get(remove) == simdjson::SUCCESS)
    for (auto e : remove)
      if (e.get_string().get(v) == simdjson::SUCCESS)
        c.remove.emplace_back(v);
  return true;
}

std::string change_json(const git_change& c) {
  json::writer w;
  w.begin_object().kv("message", c.message).key("write").begin_object();
  for (auto& [path, content] : c.write)
    w.kv(path, content);
  w.end_object().key("remove").begin_array();
  for (auto& r : c.remove)
    w.value(r);
  w.end_array().end_object();
  return w.take();
}

void save(self_ptr self, const std::string& id, const op_record& r) {
  auto text = to_json(r);
  self->state.ops[id] = text;
  if (self->state.opts.outbox && !self->state.opts.outbox->put(id, text))
    log::error("git outbox write failed", {{"op", id}});
}

git_publisher& publisher(self_ptr self, const std::string& repo) {
  auto& st = self->state;
  auto& p = st.publishers[repo];
  if (!p)
    p = std::make_unique<git_publisher>(st.opts.work_dir + "/" + repo + ".git",
                                        st.opts.url_of(repo), st.opts.branch,
                                        st.opts.token);
  return *p;
}

/// Works through the queue until it is empty or a remote fails.
void drain(self_ptr self) {
  auto& st = self->state;
  while (!st.queue.empty()) {
    auto id = st.queue.front();
    op_record rec;
    if (!from_json(st.ops[id], rec)) {
      log::error("unreadable git outbox entry dropped", {{"op", id}});
      st.queue.pop_front();
      continue;
    }
    git_change change;
    if (!parse_change(rec.change, change)) {
      for (auto& p : st.waiting[id])
        p.deliver(caf::error{ec::invalid_argument, "unreadable change for op " + id});
      st.waiting.erase(id);
      st.queue.pop_front();
      continue;
    }
    auto& pub = publisher(self, rec.repo);
    std::string err;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (rec.state == "pending") {
        std::string sha;
        err = pub.commit(change, sha);
        if (!err.empty())
          break;
        rec.state = "committed";
        rec.sha = sha;
        save(self, id, rec);
      }
      err = pub.push();
      if (err.empty())
        break;
      if (err.rfind("rejected", 0) == 0) {
        // Someone else pushed: make the commit again on top of theirs.
        rec.state = "pending";
        save(self, id, rec);
        continue;
      }
      break;
    }
    if (!err.empty()) {
      rec.error = err;
      save(self, id, rec);
      st.backoff = st.backoff.count() == 0 ? st.opts.retry_min
                                           : std::min(st.backoff * 2, st.opts.retry_max);
      log::warn("git push failed; retrying",
                {{"op", id},
                 {"repo", rec.repo},
                 {"error", err},
                 {"retry_ms", std::to_string(st.backoff.count())}});
      if (!st.retry_scheduled) {
        st.retry_scheduled = true;
        self->delayed_send(self, st.backoff, atom::tick_v);
      }
      return;
    }
    st.backoff = std::chrono::milliseconds{0};
    rec.state = "pushed";
    rec.error.clear();
    save(self, id, rec);
    log::info("git change pushed", {{"op", id}, {"repo", rec.repo}, {"commit", rec.sha}});
    for (auto& p : st.waiting[id])
      p.deliver(rec.sha);
    st.waiting.erase(id);
    st.queue.pop_front();
  }
}

} // namespace

gitops_actor::behavior_type gitops(gitops_actor::stateful_pointer<gitops_state> self,
                                   gitops_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  if (st.opts.outbox) {
    // Resume what was accepted and not yet on the remote.
    for (auto& [id, text] : st.opts.outbox->all()) {
      st.ops[id] = text;
      op_record rec;
      if (from_json(text, rec) && rec.state != "pushed")
        st.queue.push_back(id);
    }
    if (!st.queue.empty()) {
      log::info("git outbox: resuming", {{"ops", std::to_string(st.queue.size())}});
      self->send(self, atom::tick_v);
      st.retry_scheduled = true;
    }
  }
  return {
      [self](atom::push, const std::string& id, const std::string& repo,
             const git_change& change) -> caf::result<std::string> {
        auto& st = self->state;
        if (auto i = st.ops.find(id); i != st.ops.end()) {
          op_record rec;
          if (from_json(i->second, rec) && rec.state == "pushed")
            return rec.sha; // done before (a resumed pipeline asks again)
        } else {
          op_record rec;
          rec.repo = repo;
          rec.change = change_json(change); // the outbox keeps JSON
          save(self, id, rec);
          st.queue.push_back(id);
        }
        auto promise = self->make_response_promise<std::string>();
        st.waiting[id].push_back(promise);
        if (!st.retry_scheduled)
          drain(self);
        return promise;
      },
      [self](atom::tick) {
        self->state.retry_scheduled = false;
        drain(self);
      },
  };
}

} // namespace o2hub
