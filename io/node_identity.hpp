// Who an o2hub node is under TLS (issue 11): an edge agent proves that its
// certificate names its site by signing the hub's nonce with the
// certificate's key; the hub checks the certificate against the CA, the
// name against the site, and the signature. (CAF's TLS checks only that the
// peer's certificate is signed by the CA; which site it names is ours.)
#pragma once

#include <string>

namespace o2hub {

/// A file's text; empty when it cannot be read.
std::string read_text_file(const std::string& path);

/// Signs "o2hub-join:<nonce>" (SHA-256) with the PEM private key in
/// `key_file`; hex. Empty on failure.
std::string sign_nonce(const std::string& key_file, const std::string& nonce);

/// Checks an agent's proof: `certificate` (PEM) is signed by the CA in
/// `ca_file`, names `site` (its CN, or a DNS subjectAltName, in any spelling
/// normalize_site_name accepts), and `signature` is its key's signature of
/// the nonce. Returns why not; empty: accepted.
std::string verify_agent_proof(const std::string& ca_file, const std::string& certificate,
                               const std::string& site, const std::string& nonce,
                               const std::string& signature);

} // namespace o2hub
