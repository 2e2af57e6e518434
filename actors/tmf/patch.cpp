// JSON merge patches of TMF921 intents and Hub bodies (actors/tmf/read.hpp).
#include "actors/tmf/read_parts.hpp"
#include "common/json.hpp"
#include "protocol/intent_json.hpp"

#include <simdjson.h>

namespace o2hub::tmf {

namespace {

using namespace detail;
using simdjson::dom::element;
using simdjson::dom::object;

void merge(const element* target, element patch, json::writer& w) {
  object po;
  if (patch.get_object().get(po)) {
    w.raw(simdjson::minify(patch));
    return;
  }
  object to;
  bool target_object = target && !target->get_object().get(to);
  w.begin_object();
  if (target_object)
    for (auto [k, v] : to) {
      element pv;
      if (po[k].get(pv)) {
        w.key(k).raw(simdjson::minify(v));
      } else if (!pv.is_null()) {
        w.key(k);
        merge(&v, pv, w);
      }
    }
  for (auto [k, pv] : po) {
    if ((target_object && !to[k].error()) || pv.is_null())
      continue;
    w.key(k);
    merge(nullptr, pv, w);
  }
  w.end_object();
}

} // namespace

refusal merge_patch(const std::string& target, std::string_view patch, std::string& out) {
  if (auto e = wire::invalid_document(patch))
    return {e->status, "invalidBody", e->message};
  simdjson::dom::parser pp;
  simdjson::dom::parser tp;
  element p;
  element t;
  object po;
  if (pp.parse(patch.data(), patch.size()).get(p) || p.get_object().get(po))
    return bad("a merge patch is a JSON object");
  for (auto [k, v] : po)
    if (has(owned(), k))
      return {400, "readOnly", std::string{k} + " is set by o2hub"};
  if (tp.parse(target).get(t))
    return {500, "internalError", "the stored intent is not JSON"};
  json::writer w;
  merge(&t, p, w);
  out = w.take();
  return {};
}

refusal read_hub(std::string_view body, hub_body& out) {
  simdjson::dom::parser p;
  object o;
  if (auto no = parse_object(p, body, o, "a Hub"))
    return no;
  std::string_view cb;
  if (o["callback"].get_string().get(cb) || cb.size() > 2048
      || !(cb.rfind("http://", 0) == 0 || cb.rfind("https://", 0) == 0) || cb.size() < 10)
    return bad("callback is required: an http or https URL of at most 2048 characters");
  if (cb.find_first_of(" \r\n\t") != std::string_view::npos)
    return bad("callback must not contain spaces or line breaks");
  out.callback = std::string{cb};
  std::string_view q;
  if (auto e = o["query"]; !e.error() && (e.get_string().get(q) || q.size() > 1024))
    return bad("query is a string of at most 1024 characters");
  out.query = std::string{q};
  out.event_types.clear();
  if (q.empty())
    return {};
  constexpr std::string_view prefix = "eventType=";
  if (q.rfind(prefix, 0) != 0)
    return bad("query must be eventType=<type>[,<type>...]");
  q.remove_prefix(prefix.size());
  while (!q.empty()) {
    auto comma = q.find(',');
    auto t = q.substr(0, comma);
    if (!has(event_types(), t))
      return bad("unknown event type '" + std::string{t.substr(0, 64)} + "'");
    out.event_types.emplace_back(t);
    q = comma == std::string_view::npos ? std::string_view{} : q.substr(comma + 1);
  }
  return {};
}

} // namespace o2hub::tmf
