#include "io/git.hpp"

#include "io/git_common.hpp"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <git2.h>
#include <map>
#include <memory>
#include <mutex>

namespace o2hub {

using namespace git_detail;

std::string git_ensure_bare(const std::string& path) {
  ensure_init();
  repo_h repo;
  if (git_repository_open_bare(repo.out(), path.c_str()) == 0)
    return {};
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (git_repository_init(repo.out(), path.c_str(), 1) != 0)
    return last_error("cannot create bare repository");
  // HEAD names the branch o2hub pushes, so clones check it out.
  git_repository_set_head(repo.get(), "refs/heads/main");
  return {};
}

git_publisher::git_publisher(std::string work_dir, std::string url, std::string branch,
                             std::string token)
    : work_dir_(std::move(work_dir)), url_(std::move(url)), branch_(std::move(branch)),
      token_(std::move(token)) {
  ensure_init();
}

std::string git_publisher::commit(const git_change& change, std::string& sha) {
  std::string open_err;
  auto o = open_cached(work_dir_, url_, open_err);
  if (!o)
    return open_err;
  std::lock_guard<std::mutex> guard{o->mtx};
  auto& repo = o->repo;
  // Start from what the remote has, when it can be reached; else from what
  // we committed before (the push will sort it out).
  auto fetched = fetch_origin(o->remote.get(), token_);
  auto local_ref = "refs/heads/" + branch_;
  auto remote_ref = "refs/remotes/origin/" + branch_;
  git_oid base{};
  bool has_base = false;
  git_oid remote_oid{};
  git_oid local_oid{};
  bool has_remote = fetched.empty() && resolve(repo.get(), remote_ref, remote_oid);
  bool has_local = resolve(repo.get(), local_ref, local_oid);
  if (has_remote && has_local) {
    // Keep local commits the remote has not seen yet (a push pending).
    int ahead = 0;
    if (git_graph_descendant_of(repo.get(), &local_oid, &remote_oid) == 1
        || git_oid_equal(&local_oid, &remote_oid))
      ahead = 1;
    base = ahead ? local_oid : remote_oid;
    has_base = true;
  } else if (has_remote) {
    base = remote_oid;
    has_base = true;
  } else if (has_local) {
    base = local_oid;
    has_base = true;
  }
  commit_h parent;
  tree_h base_tree;
  index_h index;
  if (git_index_new(index.out()) != 0)
    return last_error("index");
  if (has_base) {
    if (git_commit_lookup(parent.out(), repo.get(), &base) != 0
        || git_commit_tree(base_tree.out(), parent.get()) != 0)
      return last_error("cannot read the branch");
    if (git_index_read_tree(index.get(), base_tree.get()) != 0)
      return last_error("cannot read the tree");
    // Already there (a retry after a crash between commit and bookkeeping)?
    if (change.message == git_commit_message(parent.get())) {
      sha = git_oid_tostr_s(&base);
      return {};
    }
  }
  for (const auto& dir : change.remove) {
    git_index_remove_directory(index.get(), dir.c_str(), 0);
    git_index_remove_bypath(index.get(), dir.c_str());
  }
  for (const auto& [path, content] : change.write) {
    git_oid blob;
    if (git_blob_create_from_buffer(&blob, repo.get(), content.data(), content.size())
        != 0)
      return last_error("cannot write blob");
    git_index_entry entry;
    std::memset(&entry, 0, sizeof entry);
    entry.mode = GIT_FILEMODE_BLOB;
    entry.path = path.c_str();
    entry.id = blob;
    if (git_index_add(index.get(), &entry) != 0)
      return last_error("cannot stage " + path);
  }
  git_oid tree_oid;
  if (git_index_write_tree_to(&tree_oid, index.get(), repo.get()) != 0)
    return last_error("cannot write tree");
  if (has_base && git_oid_equal(&tree_oid, git_tree_id(base_tree.get()))) {
    sha = git_oid_tostr_s(&base); // nothing to change
    if (!has_local || !git_oid_equal(&local_oid, &base)) {
      ref_h ref;
      git_reference_create(ref.out(), repo.get(), local_ref.c_str(), &base, 1, "o2hub");
    }
    return {};
  }
  tree_h tree;
  if (git_tree_lookup(tree.out(), repo.get(), &tree_oid) != 0)
    return last_error("tree");
  sig_h sig;
  if (git_signature_now(sig.out(), "o2hub", "o2hub@localhost") != 0)
    return last_error("signature");
  git_oid commit_oid;
  const git_commit* parents[1] = {parent.get()};
  if (git_commit_create(&commit_oid, repo.get(), nullptr, sig.get(), sig.get(), "UTF-8",
                        change.message.c_str(), tree.get(), has_base ? 1 : 0,
                        has_base ? parents : nullptr)
      != 0)
    return last_error("cannot commit");
  ref_h ref;
  if (git_reference_create(ref.out(), repo.get(), local_ref.c_str(), &commit_oid, 1,
                           "o2hub commit")
      != 0)
    return last_error("cannot move the branch");
  sha = git_oid_tostr_s(&commit_oid);
  return {};
}

std::string git_publisher::push() {
  std::string open_err;
  auto o = open_cached(work_dir_, url_, open_err);
  if (!o)
    return open_err;
  std::lock_guard<std::mutex> guard{o->mtx};
  auto& remote = o->remote;
  cred_payload payload{token_};
  git_push_options opts;
  git_push_options_init(&opts, GIT_PUSH_OPTIONS_VERSION);
  // push_update_reference and credentials share the payload pointer in
  // libgit2; keep credentials working by wrapping both.
  struct status_t {
    std::string rejected;
  };
  struct both {
    cred_payload cred;
    status_t st;
  } data{payload, {}};
  opts.callbacks.payload = &data;
  opts.callbacks.credentials = [](git_credential** out, const char* url, const char* user,
                                  unsigned int allowed, void* p) -> int {
    return credentials(out, url, user, allowed, &static_cast<both*>(p)->cred);
  };
  opts.callbacks.push_update_reference = [](const char* ref, const char* msg,
                                            void* p) -> int {
    if (msg)
      static_cast<both*>(p)->st.rejected = std::string{ref} + ": " + msg;
    return 0;
  };
  auto spec = "refs/heads/" + branch_ + ":refs/heads/" + branch_;
  const char* specs_c[1] = {spec.c_str()};
  git_strarray specs{const_cast<char**>(specs_c), 1};
  if (git_remote_push(remote.get(), &specs, &opts) != 0) {
    auto err = last_error("push failed");
    if (err.find("non-fast-forward") != std::string::npos
        || err.find("not present locally") != std::string::npos)
      return "rejected: " + err;
    return err;
  }
  if (!data.st.rejected.empty())
    return "rejected: " + data.st.rejected;
  return {};
}

std::string git_publisher::message_of(const std::string& sha) {
  repo_h repo;
  if (git_repository_open_bare(repo.out(), work_dir_.c_str()) != 0)
    return {};
  git_oid oid;
  if (git_oid_fromstr(&oid, sha.c_str()) != 0)
    return {};
  commit_h c;
  if (git_commit_lookup(c.out(), repo.get(), &oid) != 0)
    return {};
  return git_commit_message(c.get());
}

} // namespace o2hub
