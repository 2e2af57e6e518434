// A scripted git actor: it implements the whole gitops_actor interface,
// records every push (op id, repository, change) and answers with a commit
// id, or refuses while the test has the remote "down". A push is answered
// at once: the outbox and its retries are the real actor's (unit/io/test_gitops).
#pragma once

#include "protocol/actors.hpp"
#include "protocol/error.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace o2hub::test {

struct git_push {
  std::string op;
  std::string repo;
  git_change change;
};

struct git_script {
  std::vector<git_push> pushes;
  /// Op ids seen: the real actor applies an op id once.
  std::set<std::string> ops;
  /// While set, every push fails (the remote refuses).
  bool down = false;
};

inline gitops_actor::behavior_type scripted_git(gitops_actor::pointer,
                                                std::shared_ptr<git_script> script) {
  return {
      [script](atom::push, std::string& op, std::string& repo,
               git_change& change) -> caf::result<std::string> {
        if (script->down)
          return caf::error{ec::network_error, "remote " + repo + " refused the push"};
        BOOST_TEST(script->ops.insert(op).second, "op " << op << " pushed twice");
        script->pushes.push_back({op, repo, std::move(change)});
        return "sha" + std::to_string(script->pushes.size());
      },
      [](atom::tick) { BOOST_FAIL("the git actor's timer is its own business"); },
  };
}

} // namespace o2hub::test
