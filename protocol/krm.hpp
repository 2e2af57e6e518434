// KRM rendering: an intent becomes, for each target site, a kpt package
// `<intentId>/` of Kubernetes resources — a ProvisioningRequest
// (o2ims.provisioning.oran.org/v1alpha1) carrying the slice, a ConfigMap
// holding the intent JSON, a Kustomization listing both, and a Kptfile.
// Pure and deterministic: the same intent, options and time give the same
// bytes (golden-file tests).
#pragma once

#include "protocol/intent.hpp"

#include <string>
#include <vector>

namespace o2hub {

struct krm_options {
  /// spec.templateName; "{type}" becomes the lower-case slice type.
  std::string template_name = "o2hub-slice-{type}";
  std::string template_version = "v1";
  /// Namespace of the ConfigMap.
  std::string config_namespace = "o2hub";
  /// The run that rendered a changed intent (a modify's pipeline id), as
  /// templateParameters.revision; empty (a first deployment): none.
  std::string revision;
};

struct krm_file {
  /// Relative to the site's folder: "<intentId>/<file>".
  std::string path;
  std::string content;
};

/// The package of one site. `rendered_at` (RFC 3339) goes into an
/// annotation; pass a fixed value in tests.
std::vector<krm_file> render_krm(const intent& x, const std::string& site,
                                 const krm_options& opts, const std::string& rendered_at);

/// The ProvisioningRequest's name (and O2 IMS provisioningRequestId): a
/// UUID derived from the intent id and the site, the same on every render.
std::string provisioning_request_id(const std::string& intent_id,
                                    const std::string& site);

} // namespace o2hub
