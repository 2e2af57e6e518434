// What the console's files share: the colour style, reading JSON fields,
// and the intent lifecycle commands (app/console_parts.cpp).
#pragma once

#include "protocol/io_messages.hpp"

#include <simdjson.h>

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace o2hub::console_parts {

struct style {
  bool on;
  std::string operator()(const char* code, std::string_view text) const {
    if (!on)
      return std::string{text};
    return std::string{"\x1b["} + code + "m" + std::string{text} + "\x1b[0m";
  }
};

inline std::string str(simdjson::dom::element e, const char* key,
                       const char* fallback = "") {
  std::string_view v;
  if (e[key].get_string().get(v) == simdjson::SUCCESS)
    return std::string{v};
  return fallback;
}

/// How the lifecycle commands reach the services and the screen.
struct console_io {
  /// method, URL, body -> the answer.
  std::function<fetch_result(const std::string&, const std::string&, std::string)> call;
  std::ostream& out;
  style s;
  std::string intent_url;
};

/// The intent service's answer, readably: type, sites, requirements (the
/// defaulted ones marked), engine and confidence, corrections and defaults.
/// `preview`: a dry run shown before asking; else the created intent.
void show_intent(std::ostream& out, const style& s, simdjson::dom::element root,
                 bool preview);

/// `intents`: the intents with their lifecycle status, newest first.
void show_intents(console_io& io);

/// `remove <intent id>`: removes one deployed intent.
void remove_intent(console_io& io, const std::string& id);

/// `help`: the built-ins.
void show_help(std::ostream& out, const style& s);

/// `slo`: the SLO gate's measured values against their targets, per site,
/// of the newest pipelines that reached the gate (GET /api/v1/pipelines).
void show_slo(std::ostream& out, const style& s, simdjson::dom::element root);

/// Tab completion: the first word completes to a built-in or "Deploy";
/// after "remove " to an active intent's id (GET /api/v1/intents); else to
/// a site name (GET /api/v1/edges on the monitor, both spellings), a
/// service type or a unit. Only candidates starting with `word`.
std::vector<std::string> completions(console_io& io, const std::string& monitor_url,
                                     const std::string& before, const std::string& word);

/// True for "remove intent-…" (an id, not a sentence).
bool is_remove_by_id(const std::string& line, std::string& id);

} // namespace o2hub::console_parts
