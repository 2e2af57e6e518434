// The LLM's side of the intent service: the prompt, reading the answers of
// the CLI (`claude -p ... --output-format json`) and of OpenAI-compatible
// chat completions, and validating the intent JSON the model wrote.
#pragma once

#include <caf/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub {

/// The prompt for one sentence; `sites` are the configured site names.
std::string build_llm_prompt(std::string_view text,
                             const std::vector<std::string>& sites);

/// The model's text from the CLI's JSON output ({"type":"result",
/// "is_error":false,"result":"..."}).
caf::expected<std::string> read_cli_output(std::string_view stdout_text);

/// The model's text from a chat completion (choices[0].message.content).
caf::expected<std::string> read_chat_completion(std::string_view body);

/// The first JSON object in the model's text: plain, or inside a ``` fence.
caf::expected<std::string> extract_json_object(std::string_view text);

/// What the model said, validated; -1 where it said nothing (null).
struct llm_answer {
  std::string intent_type;
  std::vector<std::string> target_sites;
  double bandwidth_mbps = -1;
  double uplink_mbps = -1;
  double latency_ms = -1;
  double reliability_pct = -1;
  int64_t device_count = -1;
  int priority = -1;
};

/// Parses and validates the model's JSON object: known type, configured
/// sites, numbers in range. Any violation is an error naming it.
caf::expected<llm_answer> parse_llm_answer(std::string_view json_object,
                                           const std::vector<std::string>& sites);

} // namespace o2hub
