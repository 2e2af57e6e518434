// Reading a remote: fetch into a bare mirror, then read its tree or log
// (edge-sim's config sync, tests and tools).
#include "io/git.hpp"
#include "io/git_common.hpp"

#include <map>
#include <string>
#include <vector>

namespace o2hub {

using namespace git_detail;

namespace {

struct walk_ctx {
  git_repository* repo;
  std::string prefix;
  std::map<std::string, std::string>* files;
};

int collect_tree_entry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* ctx = static_cast<walk_ctx*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
    return 0;
  std::string path = std::string{root} + git_tree_entry_name(entry);
  if (!ctx->prefix.empty() && path.rfind(ctx->prefix, 0) != 0)
    return 0;
  blob_h blob;
  if (git_blob_lookup(blob.out(), ctx->repo, git_tree_entry_id(entry)) != 0)
    return 0;
  (*ctx->files)[path] =
      std::string{static_cast<const char*>(git_blob_rawcontent(blob.get())),
                  static_cast<size_t>(git_blob_rawsize(blob.get()))};
  return 0;
}

} // namespace

namespace {

/// Opens the mirror at `dir`, fetches `url` into it and resolves the remote
/// `branch` (`has_branch` false for an empty remote); `lock` holds the
/// mirror for the caller.
std::string open_fetched(const std::string& dir, const std::string& url,
                         const std::string& branch, std::shared_ptr<opened>& o,
                         std::unique_lock<std::mutex>& lock, git_oid& oid,
                         bool& has_branch) {
  ensure_init();
  std::string err;
  o = open_cached(dir, url, err);
  if (!o)
    return err;
  lock = std::unique_lock<std::mutex>{o->mtx};
  const char* token = std::getenv("O2HUB_GITOPS_TOKEN");
  if (err = fetch_origin(o->remote.get(), token ? token : ""); !err.empty())
    return err;
  has_branch = resolve(o->repo.get(), "refs/remotes/origin/" + branch, oid);
  return {};
}

} // namespace

std::string git_read_tree(const std::string& mirror_dir, const std::string& url,
                          const std::string& branch, const std::string& prefix,
                          std::map<std::string, std::string>& files, std::string* head) {
  ensure_init();
  files.clear();
  std::shared_ptr<opened> o;
  std::unique_lock<std::mutex> lock;
  git_oid oid;
  bool has_branch = false;
  if (auto err = open_fetched(mirror_dir, url, branch, o, lock, oid, has_branch);
      !err.empty() || !has_branch)
    return err; // an error, or an empty remote
  auto& repo = o->repo;
  if (head)
    *head = git_oid_tostr_s(&oid);
  commit_h c;
  tree_h tree;
  if (git_commit_lookup(c.out(), repo.get(), &oid) != 0
      || git_commit_tree(tree.out(), c.get()) != 0)
    return last_error("cannot read the branch");
  walk_ctx ctx{repo.get(), prefix, &files};
  git_tree_walk(tree.get(), GIT_TREEWALK_PRE, collect_tree_entry, &ctx);
  return {};
}

std::string git_log(const std::string& mirror_dir, const std::string& url,
                    const std::string& branch, std::vector<std::string>& messages) {
  ensure_init();
  messages.clear();
  std::shared_ptr<opened> o;
  std::unique_lock<std::mutex> lock;
  git_oid oid;
  bool has_branch = false;
  if (auto err = open_fetched(mirror_dir, url, branch, o, lock, oid, has_branch);
      !err.empty() || !has_branch)
    return err;
  auto& repo = o->repo;
  walk_h walk;
  if (git_revwalk_new(walk.out(), repo.get()) != 0)
    return last_error("revwalk");
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  git_revwalk_push(walk.get(), &oid);
  git_oid next;
  while (git_revwalk_next(&next, walk.get()) == 0) {
    commit_h c;
    if (git_commit_lookup(c.out(), repo.get(), &next) == 0)
      messages.emplace_back(git_commit_message(c.get()));
  }
  return {};
}

} // namespace o2hub
