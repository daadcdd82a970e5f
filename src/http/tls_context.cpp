#include "http/tls_context.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

namespace pingan::server_detail {
namespace {

namespace ssl = boost::asio::ssl;

// OpenSSL's own reason for the last failure, e.g. "key values mismatch".
std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "unknown reason";
  const char* reason = ERR_reason_error_string(code);
  return reason ? reason : fmt::format("OpenSSL error {:#x}", code);
}

Status readable(const char* field, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return Error::invalid(field, fmt::format("{} is not a readable file", path));
  return {};
}

}  // namespace

Result<std::unique_ptr<ssl::context>> make_tls_context(const std::string& cert_file, const std::string& key_file) {
  PINGAN_RETURN_IF_ERROR(readable("tls_cert", cert_file));
  PINGAN_RETURN_IF_ERROR(readable("tls_key", key_file));
  struct stat key_stat {};
  if (::stat(key_file.c_str(), &key_stat) == 0 && (key_stat.st_mode & 0077) != 0)
    spdlog::warn("the TLS private key {} can be read by other users (mode {:o}); chmod 600 it", key_file,
                 key_stat.st_mode & 0777);

  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  // TLS 1.2 at least (ASVS 9.1.3; 1.0 and 1.1 are broken and withdrawn);
  // no compression (CRIME), no renegotiation by the client.
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1)
    return Error::internal(fmt::format("TLS 1.2 cannot be required: {}", openssl_reason()));
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                   ssl::context::single_dh_use);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // TLS 1.2: ECDHE key exchange with AEAD ciphers only. TLS 1.3's suites are
  // all of that kind; OpenSSL's defaults stand.
  if (SSL_CTX_set_cipher_list(native, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1)
    return Error::internal(fmt::format("the TLS 1.2 cipher list was refused: {}", openssl_reason()));

  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1)
    return Error::invalid("tls_cert", fmt::format("{} is not a PEM certificate chain: {}", cert_file, openssl_reason()));
  if (SSL_CTX_use_PrivateKey_file(native, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL checks the key against the certificate as it loads it.
    if (ERR_GET_REASON(ERR_peek_last_error()) != X509_R_KEY_VALUES_MISMATCH)
      return Error::invalid("tls_key", fmt::format("{} is not a PEM private key: {}", key_file, openssl_reason()));
  }
  if (SSL_CTX_check_private_key(native) != 1)
    return Error::invalid("tls_key", fmt::format("{} does not belong to the certificate in {}: {}", key_file,
                                                 cert_file, openssl_reason()));
  return ctx;
}

}  // namespace pingan::server_detail
