#define BOOST_TEST_MODULE json
#include "common/json.hpp"
#include "common/time.hpp"
#include "protocol/intent.hpp"
#include "protocol/intent_json.hpp"
#include "protocol/messages.hpp"
#include "protocol/wire.hpp"

#include <boost/test/unit_test.hpp>
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <limits>

using namespace o2hub;

namespace {

/// Parses `text` with simdjson and returns the string member `key`.
std::string member(std::string_view text, const char* key) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded{text.data(), text.size()};
  auto doc = parser.iterate(padded);
  std::string_view out;
  auto err = doc[key].get_string().get(out);
  BOOST_REQUIRE_MESSAGE(!err, "no string member '" << key << "' in " << text);
  return std::string{out};
}

std::string esc(std::string_view s) {
  std::string out;
  json::append_quoted(out, s);
  return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(escapes_quotes_backslashes_and_controls) {
  BOOST_TEST(esc("a\"b\\c") == R"("a\"b\\c")");
  BOOST_TEST(esc("\n\r\t\b\f") == R"("\n\r\t\b\f")");
  BOOST_TEST(esc(std::string{"\x01\x1f\x7f", 3}) == R"("\u0001\u001f\u007f")");
  BOOST_TEST(esc(std::string{"a\0b", 3}) == R"("a\u0000b")");
  BOOST_TEST(esc("</script>") == R"("</script>")");
}

BOOST_AUTO_TEST_CASE(keeps_valid_utf8_and_replaces_invalid) {
  BOOST_TEST(esc("部署 edge1 延遲") == "\"部署 edge1 延遲\"");
  BOOST_TEST(esc("emoji 🚀") == "\"emoji 🚀\"");
  // Lone continuation byte, truncated sequence, overlong, surrogate.
  BOOST_TEST(esc("a\x80z") == "\"a\xEF\xBF\xBDz\"");
  BOOST_TEST(esc("\xE9\x83") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  BOOST_TEST(esc("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  BOOST_TEST(esc("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  // U+2028/2029 are escaped for JavaScript.
  BOOST_TEST(esc("a\xE2\x80\xA8"
                 "b\xE2\x80\xA9")
             == R"("a\u2028b\u2029")");
}

BOOST_AUTO_TEST_CASE(every_byte_that_needs_escaping_is_found_at_every_position) {
  // Each byte that needs escaping at each place of strings up to 24 bytes
  // (runs of clean bytes go in whole, before and after it), and the bytes
  // next to the special ranges, which must go through as they are.
  const std::pair<std::string, std::string> special[] = {
      {"\"", R"(\")"},
      {"\\", R"(\\)"},
      {"\n", R"(\n)"},
      {"\x01", R"(\u0001)"},
      {"\x1f", R"(\u001f)"},
      {"\x7f", R"(\u007f)"},
      {std::string{"\0", 1}, R"(\u0000)"},
      {"\xC3\xA9", "\xC3\xA9"},
      {"\xFF", "\xEF\xBF\xBD"},
      {" ", " "},
      {"!", "!"},
      {"#", "#"},
      {"[", "["},
      {"]", "]"},
      {"~", "~"},
      {"\x1e", R"(\u001e)"}};
  for (size_t len = 1; len <= 24; ++len)
    for (size_t pos = 0; pos < len; ++pos)
      for (const auto& [in, out] : special) {
        std::string text(pos, 'a');
        text += in;
        text += std::string(len - pos - 1, 'b');
        std::string want =
            "\"" + std::string(pos, 'a') + out + std::string(len - pos - 1, 'b') + "\"";
        BOOST_TEST(esc(text) == want, "length " << len << ", at " << pos);
      }
}

BOOST_AUTO_TEST_CASE(validates_utf8) {
  BOOST_TEST(json::valid_utf8("plain ascii"));
  BOOST_TEST(json::valid_utf8("所有站點"));
  BOOST_TEST(json::valid_utf8("\xF0\x9F\x9A\x80"));
  BOOST_TEST(!json::valid_utf8("\xF4\x90\x80\x80")); // > U+10FFFF
  BOOST_TEST(!json::valid_utf8("\xFF"));
  BOOST_TEST(!json::valid_utf8("\xE0\x80\x80")); // overlong
}

BOOST_AUTO_TEST_CASE(writer_places_commas_and_nests) {
  json::writer w;
  w.begin_object()
      .kv("a", 1)
      .kv("b", "two")
      .key("c")
      .begin_array()
      .value(true)
      .value(nullptr)
      .value(-3)
      .begin_object()
      .end_object()
      .end_array()
      .kv("d", 2.5)
      .kv("e", uint64_t{18446744073709551615ull})
      .end_object();
  BOOST_TEST(
      w.str()
      == R"({"a":1,"b":"two","c":[true,null,-3,{}],"d":2.5,"e":18446744073709551615})");
}

BOOST_AUTO_TEST_CASE(writer_commas_after_nested_containers) {
  json::writer w;
  w.begin_array()
      .begin_array()
      .value(1)
      .value(2)
      .end_array()
      .begin_array()
      .value(3)
      .end_array()
      .begin_object()
      .key("a")
      .begin_array()
      .end_array()
      .kv("b", "c")
      .end_object()
      .begin_array()
      .end_array()
      .value("x")
      .end_array();
  BOOST_TEST(w.str() == R"([[1,2],[3],{"a":[],"b":"c"},[],"x"])");
  w.take();
  // After take() the writer starts afresh.
  w.begin_object().kv("k", 1).end_object();
  BOOST_TEST(w.str() == R"({"k":1})");
}

BOOST_AUTO_TEST_CASE(long_documents_mix_clean_and_escaped_strings) {
  // The writer keeps its text in the front of a buffer that grows; strings
  // that need escapes take another path. Thousands of both, with numbers
  // between, must read as if each piece were appended in turn.
  json::writer w;
  std::string expected = "[";
  w.begin_array();
  for (int n = 0; n < 3000; ++n) {
    std::string clean = "v" + std::string(static_cast<size_t>(n % 37), 'x');
    std::string dirty = "q\"" + std::to_string(n) + "\n\xE9\xA6\x96";
    if (n > 0)
      expected += ',';
    json::append_quoted(expected, n % 3 == 0 ? dirty : clean);
    expected += "," + std::to_string(n);
    w.value(n % 3 == 0 ? dirty : clean).value(n);
    if (n == 1500)
      BOOST_TEST(w.str() == expected); // the text so far, before the end
  }
  w.end_array();
  expected += ']';
  BOOST_TEST(w.str() == expected);
  BOOST_TEST(w.take() == expected);
  BOOST_TEST(w.str().empty());
}

BOOST_AUTO_TEST_CASE(non_finite_numbers_become_null) {
  json::writer w;
  w.begin_array()
      .value(std::numeric_limits<double>::infinity())
      .value(std::nan(""))
      .end_array();
  BOOST_TEST(w.str() == "[null,null]");
}

BOOST_AUTO_TEST_CASE(numbers_with_units_read_as_the_shortest_fixed_text) {
  // Whole numbers take a faster path: the text must be what the shortest
  // fixed-notation form gives for every value.
  auto reference = [](double v) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
    return std::string(buf, res.ptr);
  };
  for (double v : {0.0, -0.0, 1.0, 10.0, 200.0, 1000.0, -3.0, 0.5, 99.9, 99.999, 1e-3,
                   123456789012345.0, 999999999999999.0, 1e15, -1e15, 1e16, 2.5e20,
                   9007199254740993.0, 4503599627370495.5})
    BOOST_TEST(o2hub::wire::format_number(v) == reference(v), v);
}

BOOST_AUTO_TEST_CASE(round_trips_through_simdjson) {
  std::string nasty;
  for (int c = 0; c < 0x80; ++c)
    nasty += static_cast<char>(c);
  nasty += "部署 🚀 \xE2\x80\xA8";
  json::writer w;
  w.begin_object().kv("text", nasty).kv("key \"quoted\"", "v").end_object();
  auto text = w.take();
  BOOST_TEST(member(text, "text") == nasty);
  // Escaped keys: compare unescaped (simdjson's lookup matches raw keys).
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded{text};
  auto doc = parser.iterate(padded);
  std::vector<std::string> keys;
  for (auto field : doc.get_object()) {
    std::string_view k;
    BOOST_REQUIRE(!field.unescaped_key().get(k));
    keys.emplace_back(k);
  }
  BOOST_TEST_REQUIRE(keys.size() == 2u);
  BOOST_TEST(keys[1] == "key \"quoted\"");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_round_trips_as_replacement) {
  json::writer w;
  w.begin_object().kv("t", std::string{"ok\xFFok"}).end_object();
  BOOST_TEST(member(w.str(), "t") == "ok\xEF\xBF\xBDok");
}

BOOST_AUTO_TEST_CASE(health_json_splices_service_fields) {
  health_report r;
  r.service = "monitor";
  r.version = "1.2.3";
  r.status = "healthy";
  r.uptime_s = 1.5;
  r.details = {health_field::of("websocket_clients", int64_t{3}),
               health_field::of("note", std::string{"x"}),
               health_field::of("session_active", true)};
  auto text = wire::health_json(r, [](json::writer& w) { w.kv("llm", "disabled"); });
  BOOST_TEST(member(text, "llm") == "disabled");
  BOOST_TEST(text.find(R"("session_active":true)") != std::string::npos);
  BOOST_TEST(member(text, "service") == "monitor");
  BOOST_TEST(member(text, "note") == "x");
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded{text};
  auto doc = parser.iterate(padded);
  int64_t clients = 0;
  BOOST_TEST(!doc["websocket_clients"].get_int64().get(clients));
  BOOST_TEST(clients == 3);
}

BOOST_AUTO_TEST_CASE(ws_envelope_reports_problems) {
  BOOST_TEST(*wire::read_ws_envelope(R"({"type":"ping"})").type == "ping");
  BOOST_TEST(*wire::read_ws_envelope("ping").type == "ping");
  BOOST_TEST(wire::read_ws_envelope("{not json").error_code == "invalid_json");
  BOOST_TEST(wire::read_ws_envelope("[1,2]").error_code == "invalid_json");
  BOOST_TEST(wire::read_ws_envelope(R"({"x":1})").error_code == "missing_type");
  BOOST_TEST(wire::read_ws_envelope(R"({"type":5})").error_code == "invalid_type");
  BOOST_TEST(wire::read_ws_envelope("{\"type\":\"\xFF\"}").error_code == "invalid_utf8");
}

BOOST_AUTO_TEST_CASE(timestamps_are_rfc3339_utc) {
  using namespace std::chrono;
  auto t = system_clock::time_point{milliseconds{1727432400123}};
  BOOST_TEST(rfc3339(t) == "2024-09-27T10:20:00.123Z");
  // The date part is kept per second: the same second, the next one, an
  // earlier one, milliseconds with zeros, before 1970.
  BOOST_TEST(rfc3339(t + milliseconds{876}) == "2024-09-27T10:20:00.999Z");
  BOOST_TEST(rfc3339(t + milliseconds{877}) == "2024-09-27T10:20:01.000Z");
  BOOST_TEST(rfc3339(t + milliseconds{86400 * 1000 - 118}) == "2024-09-28T10:20:00.005Z");
  BOOST_TEST(rfc3339(t - seconds{1}) == "2024-09-27T10:19:59.123Z");
  BOOST_TEST(rfc3339(system_clock::time_point{milliseconds{-1}})
             == "1969-12-31T23:59:59.999Z");
  BOOST_TEST(rfc3339(system_clock::time_point{milliseconds{50}})
             == "1970-01-01T00:00:00.050Z");
  auto now = rfc3339_now();
  BOOST_TEST(now.size() == 24u);
  BOOST_TEST(now.back() == 'Z');
}

// The request parsers are kept per thread (issue 16): a large body, junk,
// a deep one and small ones in turn are each read on their own, whatever
// came before.
BOOST_AUTO_TEST_CASE(request_parsers_kept_per_thread_read_each_body_alone) {
  const std::vector<std::string> sites{"edge1", "edge2"};
  auto small = [&](const std::string& text) {
    auto r = wire::parse_intent_request(R"({"text":")" + text + R"("})", sites);
    BOOST_TEST_REQUIRE(r.ok(), r.error.code);
    BOOST_TEST(r.request.text == text);
  };
  small("Deploy eMBB on edge1");
  // 300 KB of valid JSON grows both parsers.
  std::string big = R"({"text":"Deploy URLLC on edge2","context":{"notes":")"
                    + std::string(300 * 1024, 'x') + R"("}})";
  auto large = wire::parse_intent_request(big, sites);
  BOOST_TEST(large.error.code != "invalid_json");
  small("Deploy mMTC on edge2");
  auto junk = wire::parse_intent_request(R"({"text":"a"} {"text":"b"})", sites);
  BOOST_TEST(junk.error.code == "invalid_json");
  std::string deep = R"({"text":"x","context":)";
  for (int i = 0; i < 100; ++i)
    deep += "[";
  for (int i = 0; i < 100; ++i)
    deep += "]";
  deep += "}";
  BOOST_TEST(wire::parse_intent_request(deep, sites).error.code == "too_deep");
  auto bad_utf8 = wire::parse_intent_request("{\"text\":\"\xff\"}", sites);
  BOOST_TEST(bad_utf8.error.code == "invalid_utf8");
  small("Deploy URLLC with 1ms latency on edge1 and edge2");
}
