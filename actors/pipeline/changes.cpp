#include "actors/pipeline/changes.hpp"

#include "protocol/krm.hpp"

#include <set>

namespace o2hub {

namespace {

std::string site_list(const pipeline_run& run) {
  std::string sites;
  for (auto& s : run.value.target_sites)
    sites += (sites.empty() ? "" : ", ") + s;
  return sites;
}

} // namespace

std::vector<std::string> repos_of(const config& cfg, const pipeline_run& run) {
  std::set<std::string> out;
  for (auto& s : run.value.target_sites)
    out.insert(gitops_repo(cfg, s));
  return {out.begin(), out.end()};
}

git_change deploy_change(const config& cfg, const pipeline_run& run,
                         const std::string& repo, size_t& files) {
  const auto& id = run.value.intent_id;
  krm_options ko;
  ko.template_name = cfg.pipeline.template_name;
  ko.template_version = cfg.pipeline.template_version;
  git_change change;
  change.message = "deploy intent " + id + " to " + site_list(run);
  for (auto& site : run.value.target_sites) {
    if (gitops_repo(cfg, site) != repo)
      continue;
    auto base = gitops_package_dir(cfg, site, id);
    base = base.substr(0, base.size() - id.size()); // "" or "<site>/"
    for (auto& f : render_krm(run.value, site, ko, run.rendered_at)) {
      change.write[base + f.path] = f.content;
      ++files;
    }
  }
  return change;
}

git_change revert_change(const config& cfg, const pipeline_run& run,
                         const std::string& repo) {
  const auto& id = run.value.intent_id;
  auto i = run.commits.find(repo);
  auto sha = i != run.commits.end() ? i->second : std::string{};
  git_change change;
  change.message = "Revert \"deploy intent " + id + " to " + site_list(run)
                   + "\"\n\nThis reverts commit " + sha + ".\nReason: " + run.reason;
  for (auto& site : run.value.target_sites)
    if (gitops_repo(cfg, site) == repo)
      change.remove.push_back(gitops_package_dir(cfg, site, id));
  return change;
}

git_change remove_change(const config& cfg, const pipeline_run& run,
                         const std::string& repo) {
  const auto& id = run.value.intent_id;
  git_change change;
  change.message = "remove intent " + id + " from " + site_list(run);
  if (!run.reason.empty())
    change.message += "\n\nReason: " + run.reason;
  for (auto& site : run.value.target_sites)
    if (gitops_repo(cfg, site) == repo)
      change.remove.push_back(gitops_package_dir(cfg, site, id));
  return change;
}

} // namespace o2hub
