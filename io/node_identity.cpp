#include "io/node_identity.hpp"

#include "protocol/site_name.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sstream>
#include <vector>

namespace o2hub {

namespace {

template <class T, void (*Free)(T*)>
struct deleter {
  void operator()(T* p) const { Free(p); }
};

using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using store_ptr = std::unique_ptr<X509_STORE, deleter<X509_STORE, X509_STORE_free>>;
using store_ctx_ptr =
    std::unique_ptr<X509_STORE_CTX, deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

std::string to_hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 0xf];
  }
  return out;
}

bool from_hex(const std::string& s, std::vector<unsigned char>& out) {
  if (s.size() % 2 != 0 || s.size() > 4096)
    return false;
  auto val = [](char c) {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    return -1;
  };
  out.clear();
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = val(s[i]);
    int lo = val(s[i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

std::string message_of(const std::string& nonce) {
  return "o2hub-join:" + nonce;
}

/// The names a certificate gives: its CN and its DNS subjectAltNames.
std::vector<std::string> names_of(X509* cert) {
  std::vector<std::string> out;
  auto add = [&out](std::string name) {
    if (std::find(out.begin(), out.end(), name) == out.end())
      out.push_back(std::move(name));
  };
  char cn[256];
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn,
                                sizeof(cn))
      > 0)
    add(cn);
  auto sans = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      auto name = sk_GENERAL_NAME_value(sans, i);
      if (name->type != GEN_DNS)
        continue;
      auto s = name->d.dNSName;
      add(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                      static_cast<size_t>(ASN1_STRING_length(s))));
    }
    GENERAL_NAMES_free(sans);
  }
  return out;
}

} // namespace

std::string read_text_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string sign_nonce(const std::string& key_file, const std::string& nonce) {
  auto pem = read_text_file(key_file);
  if (pem.empty())
    return {};
  bio_ptr bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  pkey_ptr key{PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)};
  if (!key)
    return {};
  md_ctx_ptr ctx{EVP_MD_CTX_new()};
  auto msg = message_of(nonce);
  size_t len = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1
      || EVP_DigestSign(ctx.get(), nullptr, &len,
                        reinterpret_cast<const unsigned char*>(msg.data()), msg.size())
             != 1)
    return {};
  std::vector<unsigned char> sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len,
                     reinterpret_cast<const unsigned char*>(msg.data()), msg.size())
      != 1)
    return {};
  return to_hex(sig.data(), len);
}

std::string verify_agent_proof(const std::string& ca_file, const std::string& certificate,
                               const std::string& site, const std::string& nonce,
                               const std::string& signature) {
  bio_ptr bio{BIO_new_mem_buf(certificate.data(), static_cast<int>(certificate.size()))};
  x509_ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
  if (!cert)
    return "the agent's certificate is not a PEM certificate";
  store_ptr store{X509_STORE_new()};
  if (!store || X509_STORE_load_locations(store.get(), ca_file.c_str(), nullptr) != 1)
    return "cannot load the CA file '" + ca_file + "'";
  store_ctx_ptr ctx{X509_STORE_CTX_new()};
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1)
    return "cannot check the agent's certificate";
  if (X509_verify_cert(ctx.get()) != 1)
    return std::string{"the agent's certificate is not signed by this hub's CA ("}
           + X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())) + ")";
  auto names = names_of(cert.get());
  bool named = false;
  for (auto& n : names)
    named = named || normalize_site_name(n) == normalize_site_name(site);
  if (!named) {
    std::string listed;
    for (auto& n : names)
      listed += (listed.empty() ? "" : ", ") + n;
    return "the agent's certificate names " + (listed.empty() ? "nothing" : listed)
           + ", not " + site;
  }
  std::vector<unsigned char> sig;
  if (!from_hex(signature, sig) || sig.empty())
    return "the agent's signature is not readable";
  pkey_ptr key{X509_get_pubkey(cert.get())};
  md_ctx_ptr md{EVP_MD_CTX_new()};
  auto msg = message_of(nonce);
  if (!key
      || EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1
      || EVP_DigestVerify(md.get(), sig.data(), sig.size(),
                          reinterpret_cast<const unsigned char*>(msg.data()), msg.size())
             != 1)
    return "the agent's signature does not match its certificate";
  return {};
}

} // namespace o2hub
