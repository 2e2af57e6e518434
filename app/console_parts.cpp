// The console's parts: how an understood intent is shown (defaulted and
// corrected fields highlighted), the intent lifecycle commands (`intents`:
// GET /api/v1/intents, `remove <id>`: DELETE /api/v1/intents/{id}) and the
// help text.
#include "app/console_parts.hpp"

#include "protocol/intent_json.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <vector>

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

void show_intent(std::ostream& out, const style& s, simdjson::dom::element root,
                 bool preview) {
  auto x = root["intent"].value_unsafe();
  auto meta = root["metadata"];
  // Fields the rules filled in: highlighted where they are shown.
  std::vector<std::string> defaulted;
  simdjson::dom::array list;
  if (!meta.error()
      && meta.value()["defaulted"].get_array().get(list) == simdjson::SUCCESS)
    for (auto d : list) {
      std::string_view v;
      if (d.get_string().get(v) == simdjson::SUCCESS)
        defaulted.emplace_back(v);
    }
  auto mark = [&](const char* field, const std::string& text) {
    return std::find(defaulted.begin(), defaulted.end(), field) != defaulted.end()
               ? s("33", text + " (default)")
               : text;
  };
  if (preview)
    out << s("36", "? understood as ") << s("1", str(x, "action", "deploy")) << "\n";
  else
    out << s("32", "✓ intent created ") << s("1", str(x, "intentId")) << "\n";
  out << "  type        " << mark("intentType", str(x, "intentType")) << "  "
      << str(x, "description") << "\n";
  std::string sites;
  if (x["targetSites"].get_array().get(list) == simdjson::SUCCESS)
    for (auto site : list) {
      std::string_view v;
      if (site.get_string().get(v) == simdjson::SUCCESS)
        sites += (sites.empty() ? "" : " ") + std::string{v};
    }
  out << "  sites       " << mark("targetSites", sites) << "\n";
  auto profile = x["serviceProfile"];
  if (!profile.error()) {
    auto p = profile.value();
    out << "  profile     bandwidth " << mark("bandwidth", str(p, "bandwidth"))
        << ", latency " << mark("latency", str(p, "latency"));
    if (auto rel = str(p, "reliability"); !rel.empty())
      out << ", reliability " << mark("reliability", rel);
    int64_t devices = 0;
    if (p["deviceCount"].get_int64().get(devices) == simdjson::SUCCESS)
      out << ", " << devices << " devices";
    out << "\n";
  }
  if (meta.error())
    return;
  bool fallback = false;
  if (meta.value()["fallback"].get_bool().get(fallback) != simdjson::SUCCESS)
    fallback = false;
  out << "  engine      " << str(meta.value(), "engine")
      << (fallback ? " (fallback)" : "") << ", confidence "
      << str(meta.value(), "confidence", "?") << "\n";
  // What the rules guessed or corrected, where an operator looks first.
  if (meta.value()["corrections"].get_array().get(list) == simdjson::SUCCESS)
    for (auto c : list)
      out << s("33", "  corrected   ") << str(c, "from") << " -> " << str(c, "to")
          << "\n";
  if (!defaulted.empty()) {
    out << s("33", "  defaulted  ");
    for (auto& d : defaulted)
      out << " " << d;
    out << "\n";
  }
}

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

std::vector<std::string> completions(console_io& io, const std::string& monitor_url,
                                     const std::string& before, const std::string& word) {
  std::vector<std::string> all;
  auto first = before.find_first_not_of(" \t") == std::string::npos;
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (first) {
    all = {"status", "slo", "intents", "remove", "help", "clear", "exit", "Deploy"};
  } else if (before.rfind("remove ", 0) == 0) {
    auto r = io.call("GET", io.intent_url + "/api/v1/intents", {});
    simdjson::dom::array list;
    if (r.status == 200 && p.parse(r.body).get(root) == simdjson::SUCCESS
        && root["intents"].get_array().get(list) == simdjson::SUCCESS)
      for (auto x : list)
        if (str(x, "lifecycleStatus") == "active")
          all.push_back(str(x, "intentId"));
  } else {
    all = {"eMBB", "URLLC", "mMTC", "Mbps", "Gbps", "latency", "with", "on", "and"};
    auto r = io.call("GET", monitor_url + "/api/v1/edges", {});
    simdjson::dom::object edges;
    if (r.status == 200 && p.parse(r.body).get(root) == simdjson::SUCCESS
        && root.get_object().get(edges) == simdjson::SUCCESS)
      for (auto [name, e] : edges) {
        all.emplace_back(name);
        auto site = str(e, "site");
        if (!site.empty() && site != name)
          all.push_back(site);
      }
  }
  std::vector<std::string> out;
  for (auto& c : all)
    if (c.compare(0, word.size(), word) == 0)
      out.push_back(std::move(c));
  return out;
}

void show_slo(std::ostream& out, const style& s, simdjson::dom::element root) {
  simdjson::dom::array list;
  size_t shown = 0;
  if (root["pipelines"].get_array().get(list) == simdjson::SUCCESS)
    for (auto p : list) {
      simdjson::dom::array stages;
      if (p["stages"].get_array().get(stages) != simdjson::SUCCESS)
        continue;
      // The gate's verdict is in the stage after slo_validating.
      for (auto st : stages) {
        simdjson::dom::object results;
        if (st["metadata"]["results"].get_object().get(results) != simdjson::SUCCESS)
          continue;
        auto stage = str(st, "stage");
        out << s("1", str(p, "intent_id")) << "  "
            << (stage == "completed" ? s("32", "passed") : s("31", "failed")) << "\n";
        for (auto [site, metrics] : results) {
          simdjson::dom::object m;
          if (metrics.get_object().get(m) != simdjson::SUCCESS)
            continue;
          out << "  " << site << ":";
          for (auto [name, check] : m) {
            bool pass = false;
            double value = 0, target = 0;
            auto has_value = check["value"].get_double().get(value) == simdjson::SUCCESS;
            (void)(check["pass"].get_bool().get(pass) == simdjson::SUCCESS);
            (void)(check["target"].get_double().get(target) == simdjson::SUCCESS);
            std::ostringstream item;
            // As an operator writes them: 6.1, 0.999, never 6.100000.
            item << name << " "
                 << (has_value ? wire::format_number(value) : std::string{"n/a"}) << " ("
                 << str(check, "op") << " " << wire::format_number(target) << ")";
            out << "  " << s(pass ? "32" : "31", item.str());
          }
          out << "\n";
        }
        ++shown;
      }
      if (shown >= 5)
        break;
    }
  if (shown == 0)
    out << "no SLO results yet: they appear once a pipeline passes the SLO gate\n";
}

} // namespace o2hub::console_parts
