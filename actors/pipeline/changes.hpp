// The GitOps changes of a pipeline, pure: which repositories an intent's
// sites live in, the commit that deploys its KRM packages there, and the
// commit that reverts it.
#pragma once

#include "config/config.hpp"
#include "protocol/io_messages.hpp"
#include "protocol/pipeline_run.hpp"

#include <string>
#include <vector>

namespace o2hub {

/// The repositories holding the run's target sites, sorted, each once.
std::vector<std::string> repos_of(const config& cfg, const pipeline_run& run);

/// The commit that writes the run's packages into `repo`; adds the number
/// of files to `files`.
git_change deploy_change(const config& cfg, const pipeline_run& run,
                         const std::string& repo, size_t& files);

/// The commit that removes them again, naming the reverted commit and the
/// run's reason.
git_change revert_change(const config& cfg, const pipeline_run& run,
                         const std::string& repo);

/// "bandwidth 200 Mbps -> 500 Mbps, latency 30 ms -> 20 ms": what a modify
/// changes, in words.
std::string describe_change(const intent& before, const intent& after);

/// A modify's commit: the intent's packages rendered anew (revision: the
/// run's pipeline id) and the packages of sites it leaves removed:
/// "modify intent <id>: <what changed>".
git_change modify_change(const config& cfg, const pipeline_run& run,
                         const std::string& repo, size_t& files);

/// The commit that restores the previous version after a modify's gate
/// failed: "Revert "modify intent <id>: ..."".
git_change restore_change(const config& cfg, const pipeline_run& run,
                          const std::string& repo);

/// The commit that removes the intent's packages from `repo` (a remove
/// run): "remove intent <id> from <sites>".
git_change remove_change(const config& cfg, const pipeline_run& run,
                         const std::string& repo);

} // namespace o2hub
