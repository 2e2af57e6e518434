// The monitor's reply values as the JSON its REST routes send, so that tests
// assert on what a client sees.
#pragma once

#include "common/json.hpp"
#include "protocol/monitor_json.hpp"

#include <caf/expected.hpp>

#include <string>
#include <vector>

namespace o2hub::test {

inline std::string to_json(const std::vector<edge_status>& es) {
  json::writer w;
  wire::write_edges(w, es);
  return w.take();
}
inline std::string to_json(const edge_status& e) {
  return wire::edge_json(e);
}
inline std::string to_json(const pipeline& p) {
  return wire::pipeline_json(p);
}
inline std::string to_json(const pipeline_page& p) {
  return wire::pipeline_page_json(p);
}
inline std::string to_json(const monitor_snapshot& s) {
  return wire::snapshot_json(s);
}

/// The JSON of a reply, or its error.
template <class T>
caf::expected<std::string> to_json(const caf::expected<T>& x) {
  if (!x)
    return x.error();
  return to_json(*x);
}

} // namespace o2hub::test
