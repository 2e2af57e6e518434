// A stand-in for the `claude` CLI in tests: prints what the real one prints
// (`--output-format json`), or misbehaves, as the prompt's MODE_ marker says.
//   MODE_GOOD     a valid intent as the result text
//   MODE_FENCED   the same inside a ```json fence with prose around it
//   MODE_GARBAGE  a result text with no JSON
//   MODE_BADSITE  an intent naming a site that is not configured
//   MODE_EVENT    a start-up event instead of a result (the original's bug)
//   MODE_EXIT     exits 3 with a message on stderr
//   MODE_HANG     starts a child that sleeps, writes both pids to
//                 $FAKE_LLM_PIDFILE, and hangs
// Every call appends one line to $FAKE_LLM_CALLS (when set).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

void print_result(const std::string& result_json_text) {
  // Escape the result text as a JSON string.
  std::string esc;
  for (char c : result_json_text) {
    if (c == '"' || c == '\\')
      esc += '\\';
    if (c == '\n') {
      esc += "\\n";
      continue;
    }
    esc += c;
  }
  std::printf("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,"
              "\"duration_ms\":12,\"result\":\"%s\",\"session_id\":\"x\"}\n",
              esc.c_str());
}

} // namespace

int main(int argc, char** argv) {
  std::string prompt;
  for (int i = 1; i < argc; ++i)
    if (std::string{argv[i]} == "-p" && i + 1 < argc)
      prompt = argv[i + 1];
  if (auto calls = std::getenv("FAKE_LLM_CALLS")) {
    std::ofstream out{calls, std::ios::app};
    out << "call\n";
  }
  auto has = [&](const char* marker) { return prompt.find(marker) != std::string::npos; };
  const std::string good =
      R"({"intentType":"URLLC","targetSites":["edge2"],"bandwidthMbps":75,"latencyMs":3,"reliabilityPct":99.99,"deviceCount":null,"priority":9})";
  if (has("MODE_GOOD")) {
    print_result(good);
  } else if (has("MODE_FENCED")) {
    print_result("Here is the intent:\n```json\n" + good + "\n```\nDone.");
  } else if (has("MODE_GARBAGE")) {
    print_result("I am not sure what you mean.");
  } else if (has("MODE_BADSITE")) {
    print_result(R"({"intentType":"eMBB","targetSites":["edge42"]})");
  } else if (has("MODE_EVENT")) {
    std::printf("{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"x\"}\n");
  } else if (has("MODE_EXIT")) {
    std::fprintf(stderr, "fatal: not logged in\n");
    return 3;
  } else if (has("MODE_HANG")) {
    pid_t child = fork();
    if (child == 0) {
      for (;;)
        pause();
    }
    if (auto file = std::getenv("FAKE_LLM_PIDFILE")) {
      std::ofstream out{file};
      out << getpid() << " " << child << "\n";
    }
    for (;;)
      pause();
  } else {
    print_result(R"({"intentType":"eMBB","targetSites":[]})");
  }
  return 0;
}
