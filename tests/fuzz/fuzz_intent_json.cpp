// libFuzzer target: the intent service's JSON request decoders (REST body,
// batch, WebSocket message, envelope, whole-document check). Whatever the
// input, they must not crash, and what they echo back must be valid JSON.
#include "common/json.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/wire.hpp"

#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void must_be_json(const std::string& text) {
  simdjson::dom::parser p;
  simdjson::dom::element e;
  if (p.parse(text).get(e))
    std::abort(); // an answer o2hub would send that is not JSON
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  static const std::vector<std::string> sites{"edge1", "edge2", "edge3", "edge4"};
  o2hub::wire::invalid_document(text);
  auto one = o2hub::wire::parse_intent_request(text, sites);
  if (!one.ok())
    must_be_json(o2hub::wire::http_error_json(one.error.code, one.error.message));
  auto batch = o2hub::wire::parse_intent_batch(text, sites, 100);
  for (const auto& item : batch.items)
    if (!item.raw_json.empty())
      must_be_json(item.raw_json);
  o2hub::wire::parse_ws_intent(text, sites);
  auto env = o2hub::wire::read_ws_envelope(text);
  if (!env.type)
    must_be_json(o2hub::wire::ws_error_json(env.error_code, env.error_message));
  return 0;
}
