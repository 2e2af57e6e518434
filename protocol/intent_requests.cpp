// Reading what clients send to the intent service: POST bodies, batches,
// WebSocket messages; every field checked and bounded.
#include "common/json.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/site_name.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>

namespace o2hub::wire {

namespace {

using namespace simdjson;

request_error fail(unsigned status, std::string code, std::string message) {
  return {status, std::move(code), std::move(message)};
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool blank(std::string_view s) {
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c)))
      return false;
  return true;
}

std::string join_sites(const std::vector<std::string>& sites) {
  std::string out;
  for (const auto& s : sites)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

/// Adds one requested site (any spelling) or fails naming the configured ones.
bool add_site(std::string_view raw, const std::vector<std::string>& sites,
              parsed_request& out) {
  auto name = normalize_site_name(raw);
  if (std::find(sites.begin(), sites.end(), name) == sites.end()) {
    out.error = fail(400, "unknown_site",
                     "unknown site '" + std::string{raw}
                         + "'; configured sites: " + join_sites(sites));
    return false;
  }
  if (std::find(out.request.target_sites.begin(), out.request.target_sites.end(), name)
      == out.request.target_sites.end())
    out.request.target_sites.push_back(name);
  return true;
}

/// Reads the fields of one request object.
parsed_request read_request(ondemand::object obj, const std::vector<std::string>& sites) {
  parsed_request out;
  bool have_text = false;
  bool from_text = false; // "text" wins over the alias "natural_language"
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) {
      out.error = fail(400, "invalid_json", "the body is not valid JSON");
      return out;
    }
    auto value = field.value();
    if (key == "text" || key == "natural_language") {
      if (from_text && key == "natural_language")
        continue;
      std::string_view text;
      auto err = value.get_string().get(text);
      if (err == INCORRECT_TYPE) {
        out.error = fail(422, "invalid_text", "\"text\" must be a string");
        return out;
      }
      if (err) {
        out.error = fail(400, err == UTF8_ERROR ? "invalid_utf8" : "invalid_json",
                         err == UTF8_ERROR ? "\"text\" is not valid UTF-8"
                                           : "the body is not valid JSON");
        return out;
      }
      if (!json::valid_utf8(text)) {
        out.error = fail(400, "invalid_utf8", "\"text\" is not valid UTF-8");
        return out;
      }
      out.request.text = std::string{text};
      have_text = true;
      from_text = from_text || key == "text";
    } else if (key == "context") {
      ondemand::object ctx;
      if (value.get_object().get(ctx)) {
        out.error = fail(422, "invalid_context", "\"context\" must be an object");
        return out;
      }
      std::string_view raw;
      if (ctx.raw_json().get(raw)) {
        out.error = fail(400, "invalid_json", "the body is not valid JSON");
        return out;
      }
      out.request.context_json = std::string{raw};
    } else if (key == "target_sites") {
      ondemand::array arr;
      if (value.get_array().get(arr)) {
        out.error = fail(422, "invalid_target_sites",
                         "\"target_sites\" must be a list of site names");
        return out;
      }
      for (auto item : arr) {
        std::string_view name;
        if (item.get_string().get(name)) {
          out.error = fail(422, "invalid_target_sites",
                           "\"target_sites\" must be a list of site names");
          return out;
        }
        if (!add_site(name, sites, out))
          return out;
      }
    } else if (key == "target_site") {
      std::string_view name;
      if (value.get_string().get(name)) {
        out.error =
            fail(422, "invalid_target_sites", "\"target_site\" must be a site name");
        return out;
      }
      if (!add_site(name, sites, out))
        return out;
    } else if (key == "dry_run") {
      bool b = false;
      if (value.get_bool().get(b)) {
        out.error = fail(422, "invalid_dry_run", "\"dry_run\" must be true or false");
        return out;
      }
      out.request.dry_run = b;
    }
    // Other fields (type, id, ...) are the caller's business.
  }
  if (!have_text) {
    out.error = fail(422, "missing_text",
                     "the request needs \"text\": the intent in plain language");
    return out;
  }
  if (blank(out.request.text)) {
    out.error = fail(422, "empty_text", "\"text\" must not be empty");
    return out;
  }
  if (code_points(out.request.text) > 4096) {
    out.error = fail(422, "text_too_long", "\"text\" has more than 4096 characters");
    return out;
  }
  return out;
}

/// A batch item that is not an object, as the answer echoes it: scalars as
/// valid JSON, arrays not at all (`null`: their raw token is only "[").
std::string echo_of_scalar(ondemand::value& v) {
  ondemand::json_type type;
  if (v.type().get(type) != SUCCESS)
    return {};
  switch (type) {
  case ondemand::json_type::string: {
    std::string_view s;
    if (v.get_string().get(s) != SUCCESS)
      return {};
    json::writer w;
    w.value(s);
    return w.take();
  }
  case ondemand::json_type::number: {
    std::string token{v.raw_json_token()};
    double d = 0;
    if (v.get_double().get(d) != SUCCESS)
      return {};
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
      token.pop_back();
    return token;
  }
  case ondemand::json_type::boolean: {
    bool b = false;
    if (v.get_bool().get(b) != SUCCESS)
      return {};
    return b ? "true" : "false";
  }
  default:
    return {};
  }
}

request_error document_error(error_code err) {
  if (err == UTF8_ERROR)
    return fail(400, "invalid_utf8", "the body is not valid UTF-8");
  return fail(400, "invalid_json", "the body is not valid JSON");
}

/// Checks the whole document, then starts reading it (`parser` and `padded`
/// must outlive `doc`).
std::optional<request_error> open_document(std::string_view text,
                                           ondemand::parser& parser,
                                           padded_string& padded,
                                           ondemand::document& doc) {
  if (auto bad = invalid_document(text))
    return bad;
  if (auto err = parser.iterate(padded).get(doc))
    return document_error(err);
  return std::nullopt;
}

/// A per-thread parser grown past this by a large body shrinks when done.
constexpr size_t kept_parser_capacity = 64 * 1024;

error_code shrink(dom::parser& p) {
  return p.allocate(4096, max_json_depth);
}
error_code shrink(ondemand::parser& p) {
  return p.allocate(4096);
}

template <class Parser>
struct shrink_on_return {
  Parser& p;
  ~shrink_on_return() {
    if (p.capacity() > kept_parser_capacity) {
      auto ignored = shrink(p);
      (void)ignored; // failed: the next request allocates again
    }
  }
};

} // namespace

/// The whole text must be one valid JSON document, at most max_json_depth
/// deep: ondemand parsing checks only what it reads, so junk in an ignored
/// field or a second document after the first would pass unseen.
std::optional<request_error> invalid_document(std::string_view text) {
  // One parser per thread, kept between requests (a parser's buffers were
  // allocated and freed on every request); one grown by a large body
  // shrinks again when done.
  thread_local simdjson::dom::parser p;
  if (p.capacity() < text.size() + 1 || p.max_depth() != max_json_depth) {
    if (p.allocate(std::max(text.size() + 1, size_t{4096}), max_json_depth) != SUCCESS)
      return fail(413, "body_too_large", "the body is too large to parse");
  }
  shrink_on_return<simdjson::dom::parser> on_return{p};
  simdjson::dom::element root;
  auto err = p.parse(text.data(), text.size()).get(root);
  if (err == DEPTH_ERROR)
    return fail(400, "too_deep",
                "JSON nested deeper than " + std::to_string(max_json_depth) + " levels");
  if (err)
    return document_error(err);
  return std::nullopt;
}

parsed_request parse_intent_request(std::string_view body,
                                    const std::vector<std::string>& sites) {
  parsed_request out;
  // Kept per thread like invalid_document's (the request owns copies of
  // what it reads: nothing points into the parser once this returns).
  thread_local ondemand::parser parser;
  shrink_on_return<ondemand::parser> on_return{parser};
  padded_string padded{body};
  ondemand::document doc;
  if (auto bad = open_document(body, parser, padded, doc)) {
    out.error = *bad;
    return out;
  }
  ondemand::object obj;
  auto err = doc.get_object().get(obj);
  if (err == INCORRECT_TYPE) {
    out.error = fail(422, "invalid_body", "the body must be a JSON object");
    return out;
  }
  if (err) {
    out.error = document_error(err);
    return out;
  }
  return read_request(obj, sites);
}

parsed_batch parse_intent_batch(std::string_view body,
                                const std::vector<std::string>& sites, size_t max_items) {
  parsed_batch out;
  ondemand::parser parser;
  padded_string padded{body};
  ondemand::document doc;
  if (auto bad = open_document(body, parser, padded, doc)) {
    out.error = *bad;
    return out;
  }
  ondemand::array arr;
  auto err = doc.get_array().get(arr);
  if (err == INCORRECT_TYPE) {
    out.error =
        fail(422, "invalid_body", "the body must be a JSON array of intent requests");
    return out;
  }
  if (err) {
    out.error = document_error(err);
    return out;
  }
  for (auto item : arr) {
    if (out.items.size() == max_items) {
      out.items.clear();
      out.error =
          fail(413, "batch_too_large",
               "a batch holds at most " + std::to_string(max_items) + " requests");
      return out;
    }
    batch_item entry;
    ondemand::value v;
    if (auto e = item.get(v)) {
      out.items.clear();
      out.error = document_error(e);
      return out;
    }
    std::string_view raw;
    ondemand::object obj;
    auto oe = v.get_object().get(obj);
    if (oe == SUCCESS && obj.raw_json().get(raw) == SUCCESS) {
      entry.raw_json = std::string{raw};
      // Re-parse the item on its own: raw_json() consumed the object.
      ondemand::parser item_parser;
      padded_string item_padded{entry.raw_json};
      auto item_doc = item_parser.iterate(item_padded);
      ondemand::object item_obj;
      if (item_doc.get_object().get(item_obj) == SUCCESS)
        entry.parsed = read_request(item_obj, sites);
      else
        entry.parsed.error = fail(400, "invalid_json", "the item is not valid JSON");
    } else if (oe == INCORRECT_TYPE) {
      entry.raw_json = echo_of_scalar(v);
      entry.parsed.error =
          fail(422, "invalid_item", "each batch item must be a JSON object");
    } else {
      out.items.clear();
      out.error = document_error(oe);
      return out;
    }
    out.items.push_back(std::move(entry));
  }
  if (out.items.empty())
    out.error = fail(422, "empty_batch", "the batch holds no requests");
  return out;
}

ws_intent_message parse_ws_intent(std::string_view text,
                                  const std::vector<std::string>& sites) {
  ws_intent_message out;
  ondemand::parser parser;
  padded_string padded{text};
  ondemand::document doc;
  ondemand::object obj;
  if (auto bad = open_document(text, parser, padded, doc)) {
    out.parsed.error = *bad;
    return out;
  }
  if (doc.get_object().get(obj)) {
    out.parsed.error = fail(400, "invalid_json", "message must be a JSON object");
    return out;
  }
  // First pass: type and id (an unknown id type is ignored).
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key))
      break;
    if (key == "type") {
      std::string_view t;
      if (field.value().get_string().get(t) == SUCCESS)
        out.type = std::string{t};
    } else if (key == "id") {
      auto v = field.value();
      std::string_view s;
      int64_t n = 0;
      if (v.get_string().get(s) == SUCCESS)
        out.id = std::string{s};
      else if (v.get_int64().get(n) == SUCCESS)
        out.id = std::to_string(n);
    }
  }
  if (out.type.empty()) {
    out.parsed.error = fail(400, "missing_type", "message needs a string \"type\"");
    return out;
  }
  if (out.type == "intent") {
    ondemand::parser p2;
    padded_string again{text};
    auto doc2 = p2.iterate(again);
    ondemand::object obj2;
    if (doc2.get_object().get(obj2) == SUCCESS)
      out.parsed = read_request(obj2, sites);
  }
  return out;
}

} // namespace o2hub::wire
