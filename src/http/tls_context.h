#pragma once
// The server's TLS settings (HttpConfig::tls_cert_file, tls_key_file) as an
// OpenSSL 3 context: TLS 1.2 and 1.3 only, forward-secret AEAD ciphers for
// 1.2, the certificate chain and a key that must match it.

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "core/status.h"

namespace pingan::server_detail {

// Errors name the file and what is wrong with it (unreadable, not PEM, the
// key not matching the certificate), so that `pingan serve` stops with it.
Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const std::string& cert_file,
                                                                     const std::string& key_file);

}  // namespace pingan::server_detail
