#include "actors/pipeline/changes.hpp"

#include "protocol/intent_json.hpp"
#include "protocol/krm.hpp"

#include <algorithm>
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
  for (auto& s : run.previous.target_sites) // a modify may leave sites
    out.insert(gitops_repo(cfg, s));
  return {out.begin(), out.end()};
}

namespace {

bool has(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

/// Writes `x`'s packages for its sites in `repo` into `change`.
size_t write_packages(const config& cfg, const intent& x, const std::string& repo,
                      const std::string& revision, const std::string& rendered_at,
                      git_change& change) {
  krm_options ko;
  ko.template_name = cfg.pipeline.template_name;
  ko.template_version = cfg.pipeline.template_version;
  ko.revision = revision;
  size_t files = 0;
  for (auto& site : x.target_sites) {
    if (gitops_repo(cfg, site) != repo)
      continue;
    // The package is replaced as a whole: no file of the old one stays.
    change.remove.push_back(gitops_package_dir(cfg, site, x.intent_id));
    auto base = gitops_package_dir(cfg, site, x.intent_id);
    base = base.substr(0, base.size() - x.intent_id.size()); // "" or "<site>/"
    for (auto& f : render_krm(x, site, ko, rendered_at)) {
      change.write[base + f.path] = f.content;
      ++files;
    }
  }
  return files;
}

std::string num(double v) {
  auto s = wire::format_number(v);
  return s;
}

} // namespace

std::string describe_change(const intent& before, const intent& after) {
  std::vector<std::string> parts;
  auto field = [&](const char* what, double a, double b, const char* unit) {
    if (a == b)
      return;
    parts.push_back(std::string{what} + " "
                    + (a < 0 ? std::string{"none"} : num(a) + unit) + " -> "
                    + (b < 0 ? std::string{"none"} : num(b) + unit));
  };
  field("bandwidth", before.bandwidth_mbps, after.bandwidth_mbps, " Mbps");
  field("uplink", before.uplink_mbps, after.uplink_mbps, " Mbps");
  field("latency", before.latency_ms, after.latency_ms, " ms");
  field("reliability", before.reliability_pct, after.reliability_pct, "%");
  field("devices", static_cast<double>(before.device_count),
        static_cast<double>(after.device_count), "");
  if (before.target_sites != after.target_sites) {
    std::string a, b;
    for (auto& s : before.target_sites)
      a += (a.empty() ? "" : ", ") + s;
    for (auto& s : after.target_sites)
      b += (b.empty() ? "" : ", ") + s;
    parts.push_back("sites " + a + " -> " + b);
  }
  if (before.intent_type != after.intent_type)
    parts.push_back("type " + before.intent_type + " -> " + after.intent_type);
  std::string out;
  for (auto& p : parts)
    out += (out.empty() ? "" : ", ") + p;
  return out.empty() ? "no requirement changed" : out;
}

git_change modify_change(const config& cfg, const pipeline_run& run,
                         const std::string& repo, size_t& files) {
  git_change change;
  change.message = "modify intent " + run.value.intent_id + ": "
                   + describe_change(run.previous, run.value);
  files +=
      write_packages(cfg, run.value, repo, revision_of(run), run.rendered_at, change);
  for (auto& site : run.previous.target_sites) // sites the intent leaves
    if (gitops_repo(cfg, site) == repo && !has(run.value.target_sites, site))
      change.remove.push_back(gitops_package_dir(cfg, site, run.value.intent_id));
  return change;
}

git_change restore_change(const config& cfg, const pipeline_run& run,
                          const std::string& repo) {
  auto i = run.commits.find(repo);
  auto sha = i != run.commits.end() ? i->second : std::string{};
  git_change change;
  change.message = "Revert \"modify intent " + run.value.intent_id + ": "
                   + describe_change(run.previous, run.value)
                   + "\"\n\nThis reverts commit " + sha + ".\nReason: " + run.reason;
  write_packages(cfg, run.previous, repo, run.previous_revision, run.previous_rendered_at,
                 change);
  for (auto& site : run.value.target_sites) // sites the modify added
    if (gitops_repo(cfg, site) == repo && !has(run.previous.target_sites, site))
      change.remove.push_back(gitops_package_dir(cfg, site, run.value.intent_id));
  return change;
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
