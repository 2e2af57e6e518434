// The edges' answers the pipeline reads: O2 IMS provisioning requests and
// Prometheus instant queries (wire codecs; what an edge agent will answer
// as these values).
#pragma once

#include <cstdint>
#include <string>

namespace o2hub {

/// A site's provisioning as its O2 IMS answer tells it.
struct o2ims_phase {
  /// fulfilled, progressing, pending, failed ... (lower case), or
  /// unreachable / error when the answer says nothing.
  std::string phase;
  std::string message;
};

/// Reads `GET .../provisioningRequests/{id}`: HTTP status (0: no answer),
/// body, the client's error. 404 is "pending" (not synced yet). With a
/// `revision` (a changed intent), a request whose
/// templateParameters.revision differs is still "progressing".
o2ims_phase read_o2ims_answer(int32_t status, const std::string& body,
                              const std::string& error, const std::string& revision = {});

/// The o2ims query's argument: "<provisioning request id>" or, for a
/// changed intent, "<id>@<revision>".
inline std::string o2ims_query_arg(const std::string& id, const std::string& revision) {
  return revision.empty() ? id : id + "@" + revision;
}

/// Reads a Prometheus `/api/v1/query` answer: the first sample's value as
/// text, or "error: <why>" (unreachable, HTTP error, unreadable, no data).
std::string read_prometheus_answer(int32_t status, const std::string& body,
                                   const std::string& error);

} // namespace o2hub
