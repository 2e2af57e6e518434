// HTTPS and WSS clients for the TLS integration tests: they verify the
// server's certificate against a given CA and the host name, as a browser
// would.
#pragma once

#include "support/client.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace o2hub::test {

/// One HTTPS request to 127.0.0.1:`port`, the certificate checked against
/// `ca_file` for `host`. Throws std::runtime_error when the TLS handshake
/// fails (the reason, e.g. "certificate verify failed", is in the message).
http_result https_request(uint16_t port, const std::string& method,
                          const std::string& target, const std::string& body,
                          const std::string& ca_file,
                          const std::map<std::string, std::string>& headers = {},
                          const std::string& host = "localhost");

/// Opens a WSS connection, reads `first` messages, sends each of `send`
/// and reads one message after each; returns every message read. Throws on
/// failure.
std::vector<std::string> wss_exchange(uint16_t port, const std::string& target,
                                      const std::string& ca_file, size_t first,
                                      const std::vector<std::string>& send = {});

} // namespace o2hub::test
