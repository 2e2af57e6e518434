#include "io/connection_gate.hpp"

#include <algorithm>
#include <sys/resource.h>

namespace o2hub {

connection_gate::connection_gate(size_t max_total, size_t max_per_peer,
                                 bool loopback_exempt)
    : max_total_(max_total), max_per_peer_(max_per_peer),
      loopback_exempt_(loopback_exempt) {}

std::shared_ptr<void> connection_gate::admit(const std::string& peer, bool loopback,
                                             std::string& why) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (open_ >= max_total_) {
      why = "the server has " + std::to_string(open_) + " connections open (limit "
            + std::to_string(max_total_) + ", http.max_connections)";
      return nullptr;
    }
    auto& mine = per_peer_[peer];
    if (max_per_peer_ > 0 && mine >= max_per_peer_ && !(loopback && loopback_exempt_)) {
      why = "this address has " + std::to_string(mine) + " connections open (limit "
            + std::to_string(max_per_peer_) + ", http.max_connections_per_ip)";
      return nullptr;
    }
    ++mine;
    ++open_;
  }
  // The ticket: a no-op pointer whose deleter frees the slot.
  auto self = shared_from_this();
  return std::shared_ptr<void>(static_cast<void*>(this),
                               [self, peer](void*) { self->release(peer); });
}

void connection_gate::release(const std::string& peer) {
  std::lock_guard<std::mutex> guard{mtx_};
  --open_;
  auto i = per_peer_.find(peer);
  if (i != per_peer_.end() && --i->second == 0)
    per_peer_.erase(i);
}

size_t connection_gate::open() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return open_;
}

uint64_t raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
    return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    auto want = lim;
    want.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &want) == 0)
      lim = want;
  }
  return lim.rlim_cur == RLIM_INFINITY ? uint64_t{1} << 20
                                       : static_cast<uint64_t>(lim.rlim_cur);
}

size_t default_max_connections(uint64_t fd_limit) {
  auto reserve = std::clamp<uint64_t>(fd_limit / 4, 32, 1024);
  auto left = fd_limit > reserve ? fd_limit - reserve : 0;
  return static_cast<size_t>(std::clamp<uint64_t>(left, 16, 50000));
}

} // namespace o2hub
