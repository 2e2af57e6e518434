#include "io/git_common.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace o2hub::git_detail {

void ensure_init() {
  struct lib_init {
    lib_init() { git_libgit2_init(); }
  };
  static lib_init once;
  (void)once;
}

std::string last_error(const std::string& what) {
  const git_error* e = git_error_last();
  return what + ": " + (e && e->message ? e->message : "unknown error");
}

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
  git_fetch_options opts;
  git_fetch_options_init(&opts, GIT_FETCH_OPTIONS_VERSION);
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

} // namespace o2hub::git_detail
