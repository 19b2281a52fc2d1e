#ifndef CINCH_COPENSSL_SHIM_H
#define CINCH_COPENSSL_SHIM_H
// libcrypto only (no libssl): the primitives the store seals with.
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

// SHA-256's low-level functions: deprecated in OpenSSL 3 in favour of EVP, still part of its API
// and its own EVP implementation underneath. Their context is a plain struct, so a hash of a
// short message needs no allocation and no provider dispatch (EVP: a context allocated, fetched
// and freed per hash, ~3 k instructions on top of a block's ~1.5 k). Wrapped so that only these
// calls are exempt from the deprecation warning.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline int cinch_SHA256_Init(SHA256_CTX *context) { return SHA256_Init(context); }
static inline int cinch_SHA256_Update(SHA256_CTX *context, const void *data, size_t count) {
  return SHA256_Update(context, data, count);
}
static inline int cinch_SHA256_Final(unsigned char *digest, SHA256_CTX *context) {
  return SHA256_Final(digest, context);
}
#pragma clang diagnostic pop
#endif
