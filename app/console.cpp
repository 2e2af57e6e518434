#include "app/console.hpp"

#include "app/console_parts.hpp"
#include "app/line_input.hpp"
#include "common/json.hpp"
#include "io/http_call.hpp"
#include "protocol/intent_json.hpp"

#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

namespace o2hub {

namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_sigint(int) {
  interrupted = true;
  line_input::interrupt();
}

using console_parts::str;
using console_parts::style;

std::string body_of(const std::string& text, bool dry_run = false) {
  json::writer w;
  w.begin_object().kv("text", text);
  if (dry_run)
    w.kv("dry_run", true);
  w.end_object();
  return w.take();
}

class console {
public:
  console(const console_options& opts, line_input& in, std::ostream& out)
      : opts_(opts), in_(in), out_(out), s_{opts.color} {}

  /// Tab: built-ins, then sites, service types, active intent ids.
  std::vector<std::string> completions(const std::string& before,
                                       const std::string& word) {
    auto x = io(1500);
    return console_parts::completions(x, opts_.monitor_url, before, word);
  }

  void banner() {
    out_ << s_("1;36", "o2hub console") << " — type an intent in plain language, "
         << "or " << s_("1", "help") << ".\n"
         << "  e.g. Deploy URLLC with 1ms latency on edge01\n";
  }

  /// Returns false to leave.
  bool handle(std::string line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
      line.pop_back();
    auto first = line.find_first_not_of(' ');
    if (first == std::string::npos)
      return true;
    line.erase(0, first);
    if (line == "exit" || line == "quit")
      return false;
    if (line == "help" || line == "?")
      console_parts::show_help(out_, s_);
    else if (line == "clear")
      out_ << "\x1b[H\x1b[2J";
    else if (line == "status")
      status();
    else if (line == "slo")
      slo();
    else if (std::string id;
             line == "intents" || console_parts::is_remove_by_id(line, id))
      lifecycle(line, id);
    else
      submit(line);
    return true;
  }

private:
  console_parts::console_io io(long timeout_ms = 10000) {
    return {
        [this, timeout_ms](const std::string& m, const std::string& u, std::string b) {
          return call(m, u, std::move(b), timeout_ms);
        },
        out_, s_, opts_.intent_url};
  }

  void lifecycle(const std::string& line, const std::string& id) {
    auto x = io();
    if (line == "intents")
      console_parts::show_intents(x);
    else
      console_parts::remove_intent(x, id);
  }

  std::string current_token() const {
    if (opts_.token_file.empty())
      return opts_.token;
    std::ifstream in{opts_.token_file};
    if (!in)
      return opts_.token;
    std::string t;
    std::getline(in, t);
    return t;
  }

  fetch_result call(const std::string& method, const std::string& url,
                    std::string body = {}, long timeout_ms = 10000) {
    http_call_request req;
    req.method = method;
    req.url = url;
    req.body = std::move(body);
    req.bearer = current_token();
    req.ca_file = opts_.ca_file;
    req.timeout_ms = timeout_ms;
    return http_call(req);
  }

  bool parse(const fetch_result& r, simdjson::dom::element& root, const char* what) {
    if (r.status == 0) {
      out_ << s_("31", "✗ ") << what << " unreachable: " << r.error << "\n";
      return false;
    }
    if (parser_.parse(r.body).get(root) != simdjson::SUCCESS) {
      out_ << s_("31", "✗ ") << what << " answered HTTP " << r.status
           << " with something that is not JSON\n";
      return false;
    }
    if (r.status >= 300) {
      auto code = str(root, "code", "");
      if (code == "not_an_intent") {
        out_ << s_("33", "? ") << "That is not something o2hub can deploy; nothing was "
             << "deployed.\n  " << str(root, "detail", "") << "\n";
        return false;
      }
      out_ << s_("31", "✗ ") << what << " error (HTTP " << r.status
           << "): " << str(root, "detail", "no detail") << "\n";
      simdjson::dom::array reasons;
      if (root["reasons"].get_array().get(reasons) == simdjson::SUCCESS)
        for (auto reason : reasons) {
          std::string_view v;
          if (reason.get_string().get(v) == simdjson::SUCCESS)
            out_ << "  - " << v << "\n";
        }
      if (code == "infeasible")
        out_ << "  Nothing was deployed.\n";
      return false;
    }
    return true;
  }

  /// Shows how the sentence is understood (a dry run) and asks before
  /// anything changes; true when the operator says yes.
  bool confirmed(const std::string& text) {
    auto r =
        call("POST", opts_.intent_url + "/api/v1/intent", body_of(text, true), 60000);
    simdjson::dom::element root;
    if (!parse(r, root, "intent service") || root["intent"].error())
      return false;
    console_parts::show_intent(out_, s_, root, true);
    auto action = str(root["intent"].value(), "action", "deploy");
    auto question =
        s_("1", action == "remove"   ? "Remove the newest active intent that matches?"
                : action == "modify" ? "Change the newest active intent that matches?"
                                     : "Deploy it?")
        + " [y/N] ";
    std::string answer;
    if (in_.read(question, answer, false) != line_input::outcome::line) {
      interrupted = false; // Ctrl-C at the question (or EOF): no
      answer.clear();
      out_ << "\n";
    }
    for (auto& c : answer)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' '))
      answer.pop_back();
    if (answer == "y" || answer == "yes")
      return true;
    out_ << "Nothing changed.\n";
    return false;
  }

  void submit(const std::string& text) {
    if (opts_.confirm && !confirmed(text))
      return;
    out_ << s_("33", "… processing intent") << "\n" << std::flush;
    auto r = call("POST", opts_.intent_url + "/api/v1/intent", body_of(text), 60000);
    simdjson::dom::element root;
    if (!parse(r, root, "intent service"))
      return;
    auto in = root["intent"];
    if (in.error()) {
      out_ << s_("31", "✗ error: ") << "the answer has no intent\n";
      return;
    }
    auto x = in.value();
    console_parts::show_intent(out_, s_, root, false);
    auto meta = root["metadata"];
    if (!meta.error()) {
      auto action = str(x, "action", "deploy");
      auto pipe = meta.value()["pipeline"];
      if (!pipe.error() && str(pipe.value(), "status", "") == "not_started") {
        out_ << s_("33", "  not started ") << "(" << action
             << "): " << str(pipe.value(), "error", "") << "\n";
        return;
      }
      if (!pipe.error()) {
        auto id = str(pipe.value(), "id");
        if (id.empty())
          id = str(x, "intentId");
        out_ << "  pipeline    " << str(pipe.value(), "monitor", "") << "\n";
        follow(id);
        return;
      }
    }
    out_ << s_("2", "  (no pipeline started: dry run or pipeline disabled)") << "\n";
  }

  /// Prints each new stage of the pipeline until it ends (or Ctrl-C).
  void follow(const std::string& id) {
    interrupted = false;
    size_t seen = 0;
    // The terminal's title says which pipeline is followed and its stage:
    // the terminal page's stage strip follows it (invisible elsewhere).
    auto title = [&](const std::string& stage) {
      if (opts_.color)
        out_ << "\x1b]2;o2hub pipeline " << id << " " << stage << "\x07";
    };
    title("started");
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(opts_.follow_timeout_s);
    while (std::chrono::steady_clock::now() < deadline) {
      if (interrupted) {
        out_ << s_("33", "  stopped following (the pipeline goes on)") << "\n";
        return;
      }
      auto r = call("GET", opts_.monitor_url + "/api/v1/pipelines/" + url_encode(id), {},
                    5000);
      simdjson::dom::element root;
      if (r.status == 200 && parser_.parse(r.body).get(root) == simdjson::SUCCESS) {
        simdjson::dom::array stages;
        if (root["stages"].get_array().get(stages) == simdjson::SUCCESS) {
          size_t i = 0;
          for (auto st : stages) {
            if (i++ < seen)
              continue;
            auto name = str(st, "stage");
            title(name);
            auto color = name == "failed" || name == "rollback" ? "31"
                         : name == "completed"                  ? "32"
                                                                : "36";
            out_ << "  " << s_(color, "▸ " + name);
            auto meta = st["metadata"];
            std::string_view detail;
            if (!meta.error()
                && (meta.value()["message"].get_string().get(detail) == simdjson::SUCCESS
                    || meta.value()["reason"].get_string().get(detail)
                           == simdjson::SUCCESS))
              out_ << "  " << detail;
            out_ << "\n" << std::flush;
          }
          seen = i;
        }
        auto status = str(root, "status");
        if (status == "completed" || status == "failed") {
          out_ << (status == "completed" ? s_("32", "✓ deployment completed")
                                         : s_("31", "✗ deployment failed"))
               << "\n";
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    out_ << s_("33", "  still running; see `status`") << "\n";
  }

  void status() {
    auto r = call("GET", opts_.monitor_url + "/api/v1/pipelines?limit=5");
    simdjson::dom::element root;
    if (parse(r, root, "monitor")) {
      out_ << s_("1", "Pipelines") << "\n";
      simdjson::dom::array list;
      size_t n = 0;
      if (root["pipelines"].get_array().get(list) == simdjson::SUCCESS)
        for (auto p : list) {
          ++n;
          out_ << "  " << std::left << std::setw(28) << str(p, "intent_id") << " "
               << std::setw(10) << str(p, "status") << " " << str(p, "current_stage")
               << "\n";
        }
      if (n == 0)
        out_ << "  (none yet)\n";
    }
    r = call("GET", opts_.monitor_url + "/api/v1/edges");
    if (parse(r, root, "monitor")) {
      out_ << s_("1", "Edge sites") << "\n";
      simdjson::dom::object edges;
      if (root.get_object().get(edges) == simdjson::SUCCESS)
        for (auto [name, e] : edges) {
          auto st = str(e, "status");
          auto color = st == "healthy" ? "32" : st == "unknown" ? "2" : "31";
          out_ << "  " << std::left << std::setw(10) << name << " " << s_(color, st)
               << "\n";
        }
    }
  }

  void slo() {
    auto r = call("GET", opts_.monitor_url + "/api/v1/pipelines?limit=20");
    simdjson::dom::element root;
    if (!parse(r, root, "monitor"))
      return;
    console_parts::show_slo(out_, s_, root);
  }

  const console_options& opts_;
  line_input& in_;
  std::ostream& out_;
  style s_;
  simdjson::dom::parser parser_;
};

} // namespace

int run_console(const console_options& opts, std::istream& in, std::ostream& out) {
  // Ctrl-C cancels the line being typed (or stops following a pipeline) and
  // gives a fresh prompt; it does not end the console (and with it the
  // shared session). No SA_RESTART: a read at the prompt returns.
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  console* current = nullptr;
  line_input input{in, out, opts.history_file,
                   [&current](const std::string& before, const std::string& word) {
                     return current ? current->completions(before, word)
                                    : std::vector<std::string>{};
                   },
                   &interrupted};
  console c{opts, input, out};
  current = &c;
  c.banner();
  const std::string prompt = opts.color ? "\x1b[1;34mo2hub>\x1b[0m " : "o2hub> ";
  for (;;) {
    std::string line;
    auto got = input.read(prompt, line);
    if (got == line_input::outcome::interrupted) {
      interrupted = false;
      out << "^C\n" << std::flush;
      continue;
    }
    if (got == line_input::outcome::eof)
      break;
    if (!c.handle(std::move(line)))
      break;
    out << std::flush;
  }
  out << "\n";
  return 0;
}

} // namespace o2hub
