#include "io/git.hpp"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <git2.h>
#include <map>
#include <memory>
#include <mutex>

namespace o2hub {

namespace {

struct lib_init {
  lib_init() { git_libgit2_init(); }
};

void ensure_init() {
  static lib_init once;
  (void)once;
}

std::string last_error(const std::string& what) {
  const git_error* e = git_error_last();
  return what + ": " + (e && e->message ? e->message : "unknown error");
}

template <class T, void (*Free)(T*)>
struct handle {
  T* p = nullptr;
  ~handle() {
    if (p)
      Free(p);
  }
  T** out() { return &p; }
  T* get() const { return p; }
};

using repo_h = handle<git_repository, git_repository_free>;
using remote_h = handle<git_remote, git_remote_free>;
using commit_h = handle<git_commit, git_commit_free>;
using tree_h = handle<git_tree, git_tree_free>;
using index_h = handle<git_index, git_index_free>;
using ref_h = handle<git_reference, git_reference_free>;
using sig_h = handle<git_signature, git_signature_free>;
using walk_h = handle<git_revwalk, git_revwalk_free>;
using blob_h = handle<git_blob, git_blob_free>;

struct cred_payload {
  std::string token;
  int attempts = 0;
};

int credentials(git_credential** out, const char*, const char* user_from_url,
                unsigned int allowed, void* payload) {
  auto* p = static_cast<cred_payload*>(payload);
  if (++p->attempts > 3)
    return GIT_EAUTH; // wrong credentials: do not loop
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && !p->token.empty()) {
    const char* user = std::getenv("O2HUB_GITOPS_USER");
    return git_credential_userpass_plaintext_new(out, user ? user : "o2hub",
                                                 p->token.c_str());
  }
  if (allowed & GIT_CREDENTIAL_SSH_KEY)
    return git_credential_ssh_key_from_agent(out, user_from_url ? user_from_url : "git");
  return GIT_PASSTHROUGH;
}

// Remotes are anonymous (URL only, nothing in the repository's config):
// named remotes make libgit2 match config keys with regexes, and Debian's
// libgit2 1.5 + pcre2 leak a little on every such match.
std::string open_or_init_bare(repo_h& repo, const std::string& dir,
                              const std::string& url) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (git_repository_open_bare(repo.out(), dir.c_str()) != 0) {
    if (git_repository_init(repo.out(), dir.c_str(), 1) != 0)
      return last_error("cannot create repository");
  }
  // The URL is kept beside the repository for people looking at it.
  std::ofstream{dir + "/o2hub-remote-url"} << url << "\n";
  return {};
}

/// A repository and its remote, opened once per directory for the life of
/// the process: creating a remote makes libgit2 1.5 read url.*.insteadOf
/// with a regex, and Debian's libgit2 + pcre2 leak on each such match.
struct opened {
  std::mutex mtx;
  repo_h repo;
  remote_h remote;
  std::string url;
};

std::shared_ptr<opened> open_cached(const std::string& dir, const std::string& url,
                                    std::string& err) {
  static std::mutex cache_mtx;
  static std::map<std::string, std::shared_ptr<opened>> cache;
  std::lock_guard<std::mutex> guard{cache_mtx};
  auto& slot = cache[dir];
  std::error_code ec;
  if (slot && slot->url == url && std::filesystem::exists(dir + "/HEAD", ec))
    return slot; // (a directory removed meanwhile is opened anew)
  auto o = std::make_shared<opened>();
  o->url = url;
  if (err = open_or_init_bare(o->repo, dir, url); !err.empty())
    return nullptr;
  if (git_remote_create_anonymous(o->remote.out(), o->repo.get(), url.c_str()) != 0) {
    err = last_error("bad remote URL");
    return nullptr;
  }
  slot = o;
  return o;
}

std::string fetch_origin(git_remote* remote, const std::string& token) {
  cred_payload payload{token};
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.callbacks.credentials = credentials;
  opts.callbacks.payload = &payload;
  opts.prune = GIT_FETCH_PRUNE;
  const char* spec = "+refs/heads/*:refs/remotes/origin/*";
  git_strarray specs{const_cast<char**>(&spec), 1};
  if (git_remote_fetch(remote, &specs, &opts, nullptr) != 0)
    return last_error("fetch failed");
  return {};
}

/// The commit a ref names, or nullptr.
bool resolve(git_repository* repo, const std::string& ref, git_oid& oid) {
  return git_reference_name_to_id(&oid, repo, ref.c_str()) == 0;
}

} // namespace

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
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
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

namespace {

struct walk_ctx {
  git_repository* repo;
  std::string prefix;
  std::map<std::string, std::string>* files;
};

int collect(const char* root, const git_tree_entry* entry, void* payload) {
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
  git_tree_walk(tree.get(), GIT_TREEWALK_PRE, collect, &ctx);
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
