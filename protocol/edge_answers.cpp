#include "protocol/edge_answers.hpp"

#include "common/text.hpp"

#include <simdjson.h>

namespace o2hub {

o2ims_phase read_o2ims_answer(int32_t status, const std::string& body,
                              const std::string& error, const std::string& revision) {
  if (status == 0)
    return {"unreachable", error};
  if (status == 404)
    return {"pending", "not yet known to the O-Cloud"};
  if (status != 200)
    return {"error", "HTTP " + std::to_string(status)};
  // The O2 IMS API puts the phase in status.provisioningPhase; the CRD (and
  // APIs that return it) in status.provisioningStatus.provisioningPhase.
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::element status_obj;
  std::string_view phase;
  bool ok = !p.parse(body).get(root) && !root["status"].get(status_obj);
  if (ok
      && status_obj["provisioningPhase"].get_string().get(phase) != simdjson::SUCCESS) {
    simdjson::dom::element nested;
    ok = !status_obj["provisioningStatus"].get(nested)
         && nested["provisioningPhase"].get_string().get(phase) == simdjson::SUCCESS;
    if (ok)
      status_obj = nested;
  }
  if (!ok)
    return {"error", "unreadable provisioning request"};
  o2ims_phase out{to_lower(phase), {}};
  std::string_view msg;
  if (status_obj["message"].get_string().get(msg) == simdjson::SUCCESS)
    out.message = std::string{msg};
  if (!revision.empty()) {
    // A changed intent: the phase counts once the site runs this revision.
    std::string_view seen;
    if (root["provisioningRequestData"]["templateParameters"]["revision"]
            .get_string()
            .get(seen)
        != simdjson::SUCCESS)
      seen = {};
    if (seen != revision)
      return {"progressing", "the site still runs "
                                 + (seen.empty() ? std::string{"the first revision"}
                                                 : "revision " + std::string{seen})};
  }
  return out;
}

std::string read_prometheus_answer(int32_t status, const std::string& body,
                                   const std::string& error) {
  if (status == 0)
    return "error: unreachable (" + error + ")";
  if (status != 200)
    return "error: HTTP " + std::to_string(status);
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::array result;
  if (p.parse(body).get(root) || root["data"]["result"].get_array().get(result))
    return "error: unreadable answer";
  for (auto sample : result) {
    std::string_view v;
    if (sample["value"].at(1).get_string().get(v) == simdjson::SUCCESS)
      return std::string{v};
  }
  return "error: no data";
}

} // namespace o2hub
