// The console's intent lifecycle commands: `intents` lists the intents with
// their lifecycle status (GET /api/v1/intents), `remove <id>` removes one
// (DELETE /api/v1/intents/{id}); and the help text.
#include "app/console_parts.hpp"

#include <iomanip>

namespace o2hub::console_parts {

namespace {

/// The answer's JSON, or false after saying why there is none.
bool answer(console_io& io, const fetch_result& r, simdjson::dom::parser& p,
            simdjson::dom::element& root) {
  if (r.status == 0) {
    io.out << io.s("31", "✗ ") << "intent service unreachable: " << r.error << "\n";
    return false;
  }
  if (p.parse(r.body).get(root) != simdjson::SUCCESS) {
    io.out << io.s("31", "✗ ") << "intent service answered HTTP " << r.status
           << " with something that is not JSON\n";
    return false;
  }
  if (r.status >= 300) {
    io.out << io.s("31", "✗ ") << "HTTP " << r.status << ": "
           << str(root, "detail", "no detail") << "\n";
    return false;
  }
  return true;
}

const char* colour_of(const std::string& lifecycle) {
  if (lifecycle == "active")
    return "32";
  if (lifecycle == "failed" || lifecycle == "degraded")
    return "31";
  if (lifecycle == "removed")
    return "2";
  return "33";
}

} // namespace

void show_intents(console_io& io) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (!answer(io, io.call("GET", io.intent_url + "/api/v1/intents", {}), p, root))
    return;
  io.out << io.s("1", "Intents") << "\n";
  simdjson::dom::array list;
  size_t n = 0;
  if (root["intents"].get_array().get(list) == simdjson::SUCCESS)
    for (auto x : list) {
      ++n;
      auto life = str(x, "lifecycleStatus");
      std::string sites;
      simdjson::dom::array a;
      if (x["targetSites"].get_array().get(a) == simdjson::SUCCESS)
        for (auto site : a) {
          std::string_view v;
          if (site.get_string().get(v) == simdjson::SUCCESS)
            sites += (sites.empty() ? "" : ",") + std::string{v};
        }
      io.out << "  " << std::left << std::setw(32) << str(x, "intentId") << " "
             << io.s(colour_of(life), life)
             << std::string(life.size() < 10 ? 10 - life.size() : 1, ' ') << std::setw(6)
             << str(x, "intentType") << " " << sites;
      auto reason = str(x["lastRun"].value_unsafe(), "reason");
      if (!reason.empty() && life != "active")
        io.out << "  " << io.s("2", reason);
      io.out << "\n";
    }
  if (n == 0)
    io.out << "  (none yet)\n";
}

void remove_intent(console_io& io, const std::string& id) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (!answer(io, io.call("DELETE", io.intent_url + "/api/v1/intents/" + id, {}), p,
              root))
    return;
  io.out << io.s("32", "✓ removing ") << io.s("1", id) << "\n  pipeline    "
         << str(root["pipeline"].value_unsafe(), "monitor") << "\n";
}

void show_help(std::ostream& out, const style& s) {
  out << s("1", "Commands") << "\n"
      << "  <sentence>   an intent, e.g. \"Deploy eMBB service on edge01\"\n"
      << "  status       recent pipelines and edge sites\n"
      << "  slo          the last SLO gate results\n"
      << "  intents      the intents and their lifecycle status\n"
      << "  remove <id>  remove a deployed intent (or say it: \"remove the URLLC "
         "service from edge2\")\n"
      << "  clear        clear the screen\n"
      << "  help         this list\n"
      << "  exit         leave (the session restarts the console)\n";
}

bool is_remove_by_id(const std::string& line, std::string& id) {
  if (line.rfind("remove intent-", 0) != 0 || line.find(' ', 7) != std::string::npos)
    return false;
  id = line.substr(7);
  return true;
}

} // namespace o2hub::console_parts
