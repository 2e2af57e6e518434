// Alertmanager's webhook payload (POST /webhook/alert, /critical,
// /rollback): which firing alerts ask for a rollback.
#pragma once

#include "protocol/pipeline_run.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub {

/// Reads an Alertmanager webhook body. `always` false (/webhook/alert):
/// alerts with severity warning or info are left alone. Sets `error` when
/// the body is not a webhook payload; `ignored` counts skipped alerts.
std::vector<rollback_target> read_alerts(std::string_view body, bool always,
                                         std::string& error, size_t& ignored);

} // namespace o2hub
