// `o2hub console`: the interactive program in the bridge's tmux pane. An
// operator types an intent in plain language; the console sends it to the
// intent service, prints the intent readably and follows its pipeline on
// the monitor; it asks before anything changes (console.confirm). Built-ins:
// status, slo, intents, remove <id>, help, clear, exit.
#pragma once

#include <iosfwd>
#include <string>

namespace o2hub {

struct console_options {
  std::string intent_url = "http://127.0.0.1:8002";
  std::string monitor_url = "http://127.0.0.1:8003";
  /// Operator token (from O2HUB_TOKEN), sent as a bearer token.
  std::string token;
  /// A file holding the operator token, read before every request; when it
  /// exists it wins over `token`. The bridge rewrites it at each start, so a
  /// console left running in the shared session by an earlier o2hub gets
  /// the tokens of the current one.
  std::string token_file;
  /// PEM CA the services' https certificate is checked against.
  std::string ca_file;
  /// Longest time to follow one pipeline, seconds.
  int follow_timeout_s = 300;
  /// Show how a sentence is understood (a dry run) and ask "Deploy it?
  /// [y/N]" (or Remove/Change) before anything changes.
  bool confirm = true;
  bool color = true;
  /// Where the typed lines are kept between runs ("": not kept).
  std::string history_file;
};

/// Runs the read-eval-print loop on `in`/`out` until EOF or `exit`.
int run_console(const console_options& opts, std::istream& in, std::ostream& out);

} // namespace o2hub
