#include "protocol/krm.hpp"

#include "common/text.hpp"
#include "protocol/intent_json.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdio>

namespace o2hub {

namespace {

/// 64-bit FNV-1a with a seed: two of them make the 128 bits of the UUID.
uint64_t fnv1a(const std::string& s, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string num(double v) {
  return wire::format_number(v);
}

std::string emit_done(YAML::Emitter& out) {
  std::string text = out.c_str();
  text += '\n';
  return text;
}

void labels(YAML::Emitter& out, const intent& x, const std::string& site) {
  out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "app.kubernetes.io/managed-by" << YAML::Value << "o2hub";
  out << YAML::Key << "o2hub.io/intent-id" << YAML::Value << x.intent_id;
  out << YAML::Key << "o2hub.io/site" << YAML::Value << site;
  out << YAML::EndMap;
}

} // namespace

std::string provisioning_request_id(const std::string& intent_id,
                                    const std::string& site) {
  auto key = intent_id + "/" + site;
  auto hi = fnv1a(key, 0x6f32687562ULL);
  auto lo = fnv1a(key, 0x6b726d31ULL);
  // Version 5 and the RFC 4122 variant, as a name-based UUID would have.
  hi = (hi & ~0xF000ULL) | 0x5000ULL;
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

std::vector<krm_file> render_krm(const intent& x, const std::string& site,
                                 const krm_options& opts,
                                 const std::string& rendered_at) {
  std::vector<krm_file> files;
  auto dir = x.intent_id + "/";
  auto pr_name = provisioning_request_id(x.intent_id, site);
  auto tmpl = opts.template_name;
  if (auto pos = tmpl.find("{type}"); pos != std::string::npos)
    tmpl.replace(pos, 6, to_lower(x.intent_type));
  {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "apiVersion" << YAML::Value
        << "o2ims.provisioning.oran.org/v1alpha1";
    out << YAML::Key << "kind" << YAML::Value << "ProvisioningRequest";
    out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << pr_name;
    labels(out, x, site);
    out << YAML::Key << "annotations" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "o2hub.io/rendered-at" << YAML::Value << rendered_at;
    out << YAML::EndMap << YAML::EndMap;
    out << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << x.intent_id + "-" + site;
    out << YAML::Key << "description" << YAML::Value
        << (x.intent_type + " slice for intent " + x.intent_id + " on " + site);
    out << YAML::Key << "templateName" << YAML::Value << tmpl;
    out << YAML::Key << "templateVersion" << YAML::Value << opts.template_version;
    out << YAML::Key << "templateParameters" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "intentId" << YAML::Value << x.intent_id;
    if (!opts.revision.empty())
      out << YAML::Key << "revision" << YAML::Value << opts.revision;
    out << YAML::Key << "site" << YAML::Value << site;
    out << YAML::Key << "sliceType" << YAML::Value << x.intent_type;
    out << YAML::Key << "sst" << YAML::Value << x.sst;
    if (!x.sd.empty())
      out << YAML::Key << "sd" << YAML::Value << YAML::DoubleQuoted << x.sd;
    out << YAML::Key << "fiveQI" << YAML::Value << x.five_qi;
    out << YAML::Key << "bandwidthMbps" << YAML::Value << num(x.bandwidth_mbps);
    if (x.uplink_mbps >= 0)
      out << YAML::Key << "uplinkMbps" << YAML::Value << num(x.uplink_mbps);
    out << YAML::Key << "latencyMs" << YAML::Value << num(x.latency_ms);
    if (x.reliability_pct >= 0)
      out << YAML::Key << "reliabilityPct" << YAML::Value << num(x.reliability_pct);
    if (x.device_count >= 0)
      out << YAML::Key << "deviceCount" << YAML::Value << x.device_count;
    out << YAML::Key << "availabilityPct" << YAML::Value << num(x.availability_pct);
    out << YAML::EndMap << YAML::EndMap << YAML::EndMap;
    files.push_back({dir + "provisioning-request.yaml", emit_done(out)});
  }
  {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "apiVersion" << YAML::Value << "v1";
    out << YAML::Key << "kind" << YAML::Value << "ConfigMap";
    out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << "intent-" + x.intent_id;
    out << YAML::Key << "namespace" << YAML::Value << opts.config_namespace;
    labels(out, x, site);
    out << YAML::EndMap;
    out << YAML::Key << "data" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "intent.json" << YAML::Value << YAML::Literal
        << wire::intent_json(x);
    out << YAML::EndMap << YAML::EndMap;
    files.push_back({dir + "intent-configmap.yaml", emit_done(out)});
  }
  {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "apiVersion" << YAML::Value << "kustomize.config.k8s.io/v1beta1";
    out << YAML::Key << "kind" << YAML::Value << "Kustomization";
    out << YAML::Key << "resources" << YAML::Value << YAML::BeginSeq
        << "provisioning-request.yaml"
        << "intent-configmap.yaml" << YAML::EndSeq;
    out << YAML::EndMap;
    files.push_back({dir + "kustomization.yaml", emit_done(out)});
  }
  {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "apiVersion" << YAML::Value << "kpt.dev/v1";
    out << YAML::Key << "kind" << YAML::Value << "Kptfile";
    out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << x.intent_id;
    out << YAML::Key << "annotations" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "config.kubernetes.io/local-config" << YAML::Value
        << YAML::DoubleQuoted << "true";
    out << YAML::EndMap << YAML::EndMap;
    out << YAML::Key << "info" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "description" << YAML::Value
        << (x.intent_type + " slice on " + site + ": " + x.description);
    out << YAML::EndMap << YAML::EndMap;
    files.push_back({dir + "Kptfile", emit_done(out)});
  }
  return files;
}

} // namespace o2hub
