#include "app/bridge_command.hpp"

#include "common/log.hpp"
#include "io/tls.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace o2hub {

std::string console_token_file(const config& cfg) {
  return cfg.data_dir + "/console-token";
}

bool write_console_token(const config& cfg, const std::string& token) {
  std::error_code ec;
  std::filesystem::create_directories(cfg.data_dir, ec);
  auto path = console_token_file(cfg);
  auto tmp = path + ".new";
  ::unlink(tmp.c_str());
  // Readable by this user only, from the first byte; never a symlink.
  int fd =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return false;
  auto line = token + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

tmux_options bridge_tmux_options(const config& cfg) {
  tmux_options t;
  t.socket = cfg.tmux_socket;
  t.session = cfg.tmux_session;
  t.cols = cfg.bridge_cols;
  t.rows = cfg.bridge_rows;
  t.command = cfg.bridge_command;
  if (t.command.empty() && cfg.llm.backend == "cli" && !cfg.llm.cli_argv.empty()) {
    // Only a CLI that exists: a pane whose program cannot start would end
    // the session at once, again and again.
    auto cli = cfg.llm.cli_argv.front();
    bool found =
        cli.find('/') != std::string::npos ? ::access(cli.c_str(), X_OK) == 0 : false;
    if (cli.find('/') == std::string::npos) {
      const char* path = std::getenv("PATH");
      std::string dirs = path ? path : "/usr/bin:/bin";
      size_t pos = 0;
      while (!found && pos <= dirs.size()) {
        auto end = dirs.find(':', pos);
        auto dir =
            dirs.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        found = !dir.empty() && ::access((dir + "/" + cli).c_str(), X_OK) == 0;
        if (end == std::string::npos)
          break;
        pos = end + 1;
      }
    }
    if (found)
      t.command = {cli};
    else
      log::warn("the LLM CLI is not installed; the terminal runs o2hub console",
                {{"program", cli}});
  }
  if (t.command.empty()) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    auto local =
        cfg.bind == "0.0.0.0" || cfg.bind == "::" ? std::string{"127.0.0.1"} : cfg.bind;
    std::string scheme = service_scheme(cfg);
    t.command = {ec ? std::string{"o2hub"} : self.string(),
                 "console",
                 "--token-file",
                 console_token_file(cfg),
                 "--history",
                 cfg.data_dir + "/console-history",
                 "--intent-url",
                 scheme + "://" + local + ":" + std::to_string(cfg.intent_port),
                 "--monitor-url",
                 scheme + "://" + local + ":" + std::to_string(cfg.monitor_port)};
    if (!cfg.console_confirm)
      t.command.push_back("--no-confirm");
    if (auto ca = service_ca_file(cfg); !ca.empty()) {
      t.command.push_back("--ca-file");
      t.command.push_back(ca);
    }
  }
  return t;
}

} // namespace o2hub
