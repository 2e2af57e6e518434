#include "io/node_connector.hpp"

#include "common/fd.hpp"
#include "protocol/error.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/node_id.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <netdb.h>
#include <poll.h>
#include <set>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace o2hub {

namespace {

using steady = std::chrono::steady_clock;

/// How long a failed probe's answer is given to further requests.
std::chrono::milliseconds remembered(std::chrono::milliseconds timeout) {
  return std::min(timeout, std::chrono::milliseconds{1000});
}

struct addrinfo_deleter {
  void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};

struct fd_closer {
  int fd;
  ~fd_closer() { close_fd(fd); }
};

/// Readable once `cancel_node_probes` ran: every probe waits on it too.
int stop_fd() {
  static const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  return fd;
}

const char* const stopping = "this o2hub is stopping";

/// One address: empty when a connection opened before `deadline`.
std::string probe_address(const addrinfo& ai, steady::time_point deadline) {
  fd_closer s{::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                       ai.ai_protocol)};
  if (s.fd < 0)
    return std::strerror(errno);
  if (::connect(s.fd, ai.ai_addr, ai.ai_addrlen) == 0)
    return {};
  if (errno != EINPROGRESS)
    return std::strerror(errno);
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
    if (left.count() <= 0)
      return "no answer in time";
    pollfd p[2] = {{s.fd, POLLOUT, 0}, {stop_fd(), POLLIN, 0}};
    int n = ::poll(p, stop_fd() >= 0 ? 2 : 1, static_cast<int>(left.count()) + 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return std::strerror(errno);
    if (n == 0)
      continue; // the deadline check above ends it
    if ((p[1].revents & POLLIN) != 0)
      return stopping;
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
      return std::strerror(errno);
    return err == 0 ? std::string{} : std::string{std::strerror(err)};
  }
}

} // namespace

void cancel_node_probes() {
  uint64_t one = 1;
  int fd = stop_fd();
  if (fd >= 0 && ::write(fd, &one, sizeof one) < 0) {
    // Only a full counter refuses a write; it is readable then anyway.
  }
}

std::string tcp_probe(const std::string& host, uint16_t port,
                      std::chrono::milliseconds timeout) {
  pollfd stop{stop_fd(), POLLIN, 0};
  if (stop.fd >= 0 && ::poll(&stop, 1, 0) == 1)
    return stopping;
  auto deadline = steady::now() + timeout;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  auto service = std::to_string(port);
  int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0)
    return std::string{"cannot resolve '"} + host + "': " + gai_strerror(rc);
  std::unique_ptr<addrinfo, addrinfo_deleter> list{found};
  std::string why = "no address";
  for (auto* ai = found; ai != nullptr; ai = ai->ai_next) {
    why = probe_address(*ai, deadline);
    if (why.empty() || steady::now() >= deadline)
      break;
  }
  if (why == "no answer in time")
    why = "no answer within " + std::to_string(timeout.count()) + " ms";
  return why;
}

namespace {

/// A failed probe's answer, kept for a moment: requests that queued up
/// behind a probe (every request while there is no connection asks) get it
/// at once instead of a probe of 4 s each.
struct failure {
  std::chrono::steady_clock::time_point until;
  std::string why;
};

struct connector_state {
  std::map<std::string, failure> failed;
};

caf::behavior node_connector(caf::stateful_actor<connector_state>* self,
                             caf::actor upstream, std::chrono::milliseconds timeout) {
  return {
      [self, upstream, timeout](caf::connect_atom atm, std::string& host, uint16_t port) {
        auto rp = self->make_response_promise();
        auto where = host + ":" + std::to_string(port);
        auto& failed = self->state.failed;
        auto known = failed.find(where);
        if (known != failed.end() && steady::now() < known->second.until) {
          rp.deliver(
              caf::make_error(caf::sec::cannot_connect_to_node, known->second.why));
          return rp;
        }
        if (known != failed.end())
          failed.erase(known);
        // CAF first: a probe connection of its own right before CAF's, from
        // many nodes at once (a hub restart), left a node now and then
        // whose link the hub never answered (stop 29). The probe only
        // explains a connect that did not finish in time.
        self->request(upstream, timeout, atm, host, port)
            .then(
                [rp](caf::node_id& nid, caf::strong_actor_ptr& ptr,
                     std::set<std::string>& ifs) mutable {
                  rp.deliver(std::move(nid), std::move(ptr), std::move(ifs));
                },
                [self, rp, host, port, where, timeout](caf::error& err) mutable {
                  bool slow = err == caf::sec::request_timeout;
                  if (!slow && err != caf::sec::cannot_connect_to_node)
                    return rp.deliver(std::move(err)); // CAF says why (TLS, handshake)
                  // A short probe tells why ("ip_connect failed" does not),
                  // within the asker's time.
                  auto limit = std::min(timeout, std::chrono::milliseconds{2000});
                  auto probe = tcp_probe(host, port, limit);
                  auto why = where + ": ";
                  if (slow)
                    why += "no node connection within " + std::to_string(timeout.count())
                           + " ms; "
                           + (probe.empty() ? no_node_handshake : "a probe: " + probe);
                  else
                    why += probe.empty() ? std::string{"cannot connect"} : probe;
                  self->state.failed[where] =
                      failure{steady::now() + remembered(timeout), why};
                  rp.deliver(caf::make_error(caf::sec::cannot_connect_to_node, why));
                });
        return rp;
      },
  };
}

} // namespace

caf::actor spawn_node_connector(caf::actor_system& sys, caf::actor upstream,
                                std::chrono::milliseconds timeout) {
  return sys.spawn<caf::detached + caf::hidden>(node_connector, std::move(upstream),
                                                timeout);
}

} // namespace o2hub
