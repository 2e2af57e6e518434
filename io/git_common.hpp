// libgit2 helpers shared by the git writer (io/git.cpp) and readers
// (io/git_read.cpp): library set-up, owning handles, credentials, and the
// repositories opened once per directory for the life of the process.
#pragma once

#include <git2.h>
#include <memory>
#include <mutex>
#include <string>

namespace o2hub::git_detail {

/// Initialises libgit2 once.
void ensure_init();

/// `what`: libgit2's last error message.
std::string last_error(const std::string& what);

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

/// libgit2's credential callback: O2HUB_GITOPS_TOKEN (user
/// O2HUB_GITOPS_USER or "o2hub") for HTTP(S), the SSH agent for SSH.
int credentials(git_credential** out, const char*, const char* user_from_url,
                unsigned int allowed, void* payload);

/// Opens the bare repository at `dir`, creating it when there is none.
std::string open_or_init_bare(repo_h& repo, const std::string& dir,
                              const std::string& url);

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
                                    std::string& err);

/// Fetches every branch of the remote into refs/remotes/origin/.
std::string fetch_origin(git_remote* remote, const std::string& token);

/// The commit a ref names; false when there is none.
bool resolve(git_repository* repo, const std::string& ref, git_oid& oid);

} // namespace o2hub::git_detail
