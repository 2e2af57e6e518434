// Limits on open connections, shared by every server of a process (they
// share its file descriptors): a total cap and a cap per peer address. Each
// admitted connection holds a ticket; the slot frees when the ticket goes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace o2hub {

class connection_gate : public std::enable_shared_from_this<connection_gate> {
public:
  /// `max_per_peer` 0: no cap per peer. `loopback_exempt`: peers on this
  /// machine (127.0.0.0/8, ::1) count only against the total.
  connection_gate(size_t max_total, size_t max_per_peer, bool loopback_exempt);

  /// A ticket for a connection from `peer` (an address's text), or nullptr
  /// when a cap is reached; `why` then says which.
  std::shared_ptr<void> admit(const std::string& peer, bool loopback, std::string& why);

  size_t open() const;
  size_t max_total() const { return max_total_; }
  size_t max_per_peer() const { return max_per_peer_; }

private:
  void release(const std::string& peer);

  size_t max_total_;
  size_t max_per_peer_;
  bool loopback_exempt_;
  mutable std::mutex mtx_;
  size_t open_ = 0;
  std::map<std::string, size_t> per_peer_;
};

/// Raises the soft limit of open files to the hard limit; returns the soft
/// limit in effect afterwards.
uint64_t raise_fd_limit();

/// The default connection cap for `fd_limit` open files: what is left after
/// a reserve for the store, git, tmux, curl and the LLM (a quarter of the
/// limit, at least 32 and at most 1024), at most 50,000, at least 16.
size_t default_max_connections(uint64_t fd_limit);

} // namespace o2hub
