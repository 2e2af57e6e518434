// The git actor (an I/O actor: libgit2 blocks, so it runs detached): every change to the
// GitOps remote(s) goes through it, in order, recorded in a durable outbox first. An op
// is committed once (a retry finds its commit) and pushed until the remote has it, so a
// change accepted while the remote is down lands when it is back, exactly once.
#pragma once

#include "io/git.hpp"
#include "io/record_store.hpp"
#include "protocol/actors.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace o2hub {

struct gitops_options {
  /// Where the bare work repositories live (one per remote repository).
  std::string work_dir;
  /// Repository name -> remote URL.
  std::function<std::string(const std::string& repo)> url_of;
  std::string branch = "main";
  /// O2HUB_GITOPS_TOKEN.
  std::string token;
  /// The outbox; null: memory only.
  std::shared_ptr<record_store> outbox;
  std::chrono::milliseconds retry_min{250};
  std::chrono::milliseconds retry_max{30000};
};

struct gitops_state {
  static inline const char* name = "gitops";

  gitops_options opts;
  /// Op ids waiting, in order.
  std::deque<std::string> queue;
  /// Op id -> its record {"repo","change","state","sha"}.
  std::map<std::string, std::string> ops;
  std::map<std::string, std::vector<caf::typed_response_promise<std::string>>> waiting;
  std::map<std::string, std::unique_ptr<git_publisher>> publishers;
  std::chrono::milliseconds backoff{0};
  bool retry_scheduled = false;
};

gitops_actor::behavior_type gitops(gitops_actor::stateful_pointer<gitops_state> self,
                                   gitops_options opts);

} // namespace o2hub
