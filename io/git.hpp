// GitOps over libgit2, without a working tree: commits are built from the
// branch's tree in memory and pushed; readers fetch into a mirror and read
// blobs. Blocking: the git actor and edge-sim call these from threads of
// their own. Errors are returned as text ("" = success).
#pragma once

#include "protocol/io_messages.hpp" // git_change

#include <map>
#include <string>
#include <vector>

namespace o2hub {

/// Creates a bare repository at `path` unless one is there.
std::string git_ensure_bare(const std::string& path);

class git_publisher {
public:
  /// Keeps a bare work repository at `work_dir` whose origin is `url`.
  /// `token`: HTTP(S) password (user O2HUB_GITOPS_USER or "o2hub"); SSH
  /// uses the agent.
  git_publisher(std::string work_dir, std::string url, std::string branch,
                std::string token);

  /// Commits `change` on top of the remote branch (fetched first) unless the
  /// branch already holds exactly that change as its last commit with the
  /// same message; sets `sha`. Nothing to change: `sha` is the head.
  std::string commit(const git_change& change, std::string& sha);

  /// Pushes the local branch to origin. A rejected push (someone else
  /// pushed) returns an error starting with "rejected".
  std::string push();

  /// The message of commit `sha` ("" when unknown).
  std::string message_of(const std::string& sha);

private:
  std::string work_dir_;
  std::string url_;
  std::string branch_;
  std::string token_;
};

/// Fetches `url`'s `branch` into a bare mirror at `mirror_dir` and returns
/// the files below `prefix` ("" = all) with their contents. An empty remote
/// (no branch yet) gives no files and no error.
std::string git_read_tree(const std::string& mirror_dir, const std::string& url,
                          const std::string& branch, const std::string& prefix,
                          std::map<std::string, std::string>& files,
                          std::string* head = nullptr);

/// Commit messages of `branch` at `url` (newest first), read like the above;
/// for tests and tools.
std::string git_log(const std::string& mirror_dir, const std::string& url,
                    const std::string& branch, std::vector<std::string>& messages);

} // namespace o2hub
