// The config sync: what the GitOps remote says each site should run.
#include "app/edge_sim/model.hpp"
#include "common/json.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "io/git.hpp"
#include "protocol/krm.hpp"

#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <map>

namespace o2hub::edge_sim {

void sync_once(sim& S, const std::string& mirror_root) {
  const auto& cfg = *S.cfg;
  std::map<std::string, std::vector<std::string>> repos; // repo -> sites
  {
    std::lock_guard<std::mutex> guard{S.mtx};
    for (auto& [name, s] : S.sites)
      repos[gitops_repo(cfg, name)].push_back(name);
  }
  for (auto& [repo, sites] : repos) {
    std::map<std::string, std::string> files;
    auto err = git_read_tree(mirror_root + "/" + repo + ".git", gitops_url(cfg, repo),
                             cfg.gitops.branch, "", files);
    std::lock_guard<std::mutex> guard{S.mtx};
    for (auto& site : sites) {
      auto& s = S.sites[site];
      s.sync_error = err;
      if (!err.empty())
        continue; // the remote is unreachable: keep what we know
      s.last_sync = rfc3339_now();
      auto prefix = cfg.gitops.layout == "per-site" ? std::string{} : site + "/";
      std::set<std::string> seen;
      for (auto& [path, content] : files) {
        if (path.rfind(prefix, 0) != 0 || path.size() < 5
            || path.compare(path.size() - 5, 5, ".yaml") != 0)
          continue;
        if (content.find("kind: ProvisioningRequest") == std::string::npos)
          continue;
        try {
          auto doc = YAML::Load(content);
          if (doc["kind"].as<std::string>("") != "ProvisioningRequest")
            continue;
          auto id = doc["metadata"]["name"].as<std::string>("");
          if (id.empty())
            continue;
          seen.insert(id);
          auto known = s.requests.find(id);
          if (known != s.requests.end() && known->second.content == content)
            continue;
          // New, or changed (a modified intent): provisioned (again) from now.
          sim_request r;
          r.id = id;
          r.content = content;
          auto spec = doc["spec"];
          auto params = spec["templateParameters"];
          r.intent_id = params["intentId"].as<std::string>("");
          r.description = spec["description"].as<std::string>("");
          r.template_name = spec["templateName"].as<std::string>("");
          r.template_version = spec["templateVersion"].as<std::string>("");
          r.latency_ms = params["latencyMs"].as<double>(10);
          r.bandwidth_mbps = params["bandwidthMbps"].as<double>(100);
          r.availability_pct = params["availabilityPct"].as<double>(99.9);
          json::writer w;
          w.begin_object();
          for (auto kv : params) {
            auto key = kv.first.as<std::string>();
            auto text = kv.second.as<std::string>("");
            char* end = nullptr;
            auto num = std::strtod(text.c_str(), &end);
            if (!text.empty() && end && *end == '\0' && key != "sd")
              w.kv(key, num);
            else
              w.kv(key, text);
          }
          w.end_object();
          r.params_json = w.take();
          r.first_seen = clock_type::now();
          r.first_seen_wall = rfc3339_now();
          log::info(known == s.requests.end() ? "edge-sim: provisioning request seen"
                                              : "edge-sim: provisioning request changed",
                    {{"site", site}, {"id", id}, {"intent_id", r.intent_id}});
          s.requests[id] = std::move(r);
        } catch (const YAML::Exception& e) {
          log::warn("edge-sim: unreadable file", {{"path", path}, {"error", e.what()}});
        }
      }
      for (auto i = s.requests.begin(); i != s.requests.end();) {
        if (!seen.count(i->first)) {
          log::info("edge-sim: provisioning request removed (reverted)",
                    {{"site", site}, {"id", i->first}});
          i = s.requests.erase(i);
        } else {
          ++i;
        }
      }
    }
  }
}

} // namespace o2hub::edge_sim
