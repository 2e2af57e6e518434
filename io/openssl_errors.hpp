// caf_openssl 0.17.6 calls SSL_get_error() after SSL_read/SSL_write/
// SSL_accept/SSL_connect without clearing OpenSSL's per-thread error queue
// first, which OpenSSL requires ("the current thread's error queue must be
// empty before the TLS/SSL I/O operation is attempted"). All node
// connections share the middleman's thread, so one peer's failed handshake
// (a plaintext client, a certificate from another CA) left an error that
// made the next WANT_READ of a healthy connection look fatal: agents were
// disconnected every few seconds while a bad peer retried. Same defect as
// h2o#1448 and stud#130.
//
// io/openssl_errors.cpp defines those four functions in the executable: each
// clears the queue, then calls libssl's own (RTLD_NEXT). Beast's TLS (Asio
// clears the queue itself) is unaffected.
#pragma once

namespace o2hub {

/// Referenced from the node set-up so that the linker keeps the wrappers.
/// Returns true once the wrappers are resolved to libssl's functions.
bool openssl_error_queue_guard();

} // namespace o2hub
