// libFuzzer target: TMF921 request bodies (Intent_FVO, merge patches, Hub).
// A body is either refused with a status or read into something whole: a
// stated intent names its type and sites, a merged document is JSON an
// Intent can be written from, a hub callback is an http(s) URL.
#include "actors/tmf/read.hpp"
#include "protocol/tmf_json.hpp"

#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

const std::string stored =
    R"({"@type":"Intent","name":"n","description":"Deploy eMBB on edge1",)"
    R"("expression":{"@type":"JsonLdExpression","iri":"urn:x","expressionValue":"x"}})";

void must_be_json(const std::string& text) {
  simdjson::dom::parser p;
  if (p.parse(text).error())
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2hub;
  std::string_view body{reinterpret_cast<const char*>(data), size};
  tmf::intent_body b;
  if (auto no = tmf::read_intent(body, b); !no) {
    if (b.form != "sentence") {
      if (b.stated.intent_type.empty() || b.stated.sites.empty())
        std::abort();
      std::vector<std::string> defaulted;
      auto x = tmf::stated_intent(b, defaulted);
      if (x.target_sites.empty())
        std::abort();
    } else if (b.sentence.empty()) {
      std::abort();
    }
    tmf::intent_record rec;
    rec.id = "intent-1";
    rec.doc = b.doc;
    must_be_json(tmf::intent_json(rec));
    must_be_json(tmf::intent_json(rec, "name,characteristic"));
  } else if (no.status < 400 || no.status > 422) {
    std::abort();
  }
  std::string merged;
  if (!tmf::merge_patch(stored, body, merged))
    must_be_json(merged);
  tmf::hub_body h;
  if (!tmf::read_hub(body, h) && h.callback.rfind("http://", 0) != 0
      && h.callback.rfind("https://", 0) != 0)
    std::abort();
  return 0;
}
