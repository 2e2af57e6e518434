// The LLM backends of the intent service: the `claude` CLI (or any program
// with the same JSON output) and OpenAI-compatible HTTP endpoints. Each call
// runs in a detached actor, so blocking I/O never stalls the scheduler.
#pragma once

#include "protocol/actors.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace o2hub {

/// The CLI backend: `argv` with "{prompt}" replaced (never a shell), killed
/// with its whole process group after `timeout`.
llm_spawner make_cli_llm(std::vector<std::string> argv, std::chrono::seconds timeout);

/// The HTTP backend: POST {endpoint}/v1/chat/completions with `model`; the
/// key (from O2HUB_LLM_API_KEY) goes in the Authorization header only.
llm_spawner make_http_llm(std::string endpoint, std::string model, std::string api_key,
                          std::chrono::seconds timeout);

/// Aborts running calls (at shutdown).
void cancel_llm_calls();

/// Call once before any thread starts.
void init_http_client();

} // namespace o2hub
