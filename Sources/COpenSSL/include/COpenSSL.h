#ifndef CINCH_COPENSSL_H
#define CINCH_COPENSSL_H
// libcrypto only (no libssl): the primitives the store seals with.
//
// libcrypto is not linked: Loader.c loads it (dlopen) the first time a function below is
// called, normally on the thread that opens the store while the arguments are parsed. Linked,
// the dynamic loader mapped and relocated it before `main` in every process (3,377 symbol
// lookups, ~2.5 M instructions, ~1.2 ms on the 2-core machines), also for the commands that
// never touch the store (`--version`, `refs`, `graph`, `parse`). The OpenSSL headers give the
// types and constants; every function is reached through `cinch_<its name>`, which calls through
// the pointer dlsym found. Calling an OpenSSL function by its own name fails to link.
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

// Every libcrypto function cinch calls, once each; the table's slots and the names dlsym looks
// up both come from this list.
#define CINCH_CRYPTO_FUNCTIONS(F)                                                              \
  F(CRYPTO_memcmp)                                                                             \
  F(ERR_clear_error)                                                                           \
  F(ERR_error_string_n)                                                                        \
  F(ERR_get_error)                                                                             \
  F(EVP_CIPHER_CTX_ctrl)                                                                       \
  F(EVP_CIPHER_CTX_free)                                                                       \
  F(EVP_CIPHER_CTX_new)                                                                        \
  F(EVP_CIPHER_fetch)                                                                          \
  F(EVP_DecryptFinal_ex)                                                                       \
  F(EVP_DecryptInit_ex2)                                                                       \
  F(EVP_DecryptUpdate)                                                                         \
  F(EVP_EncryptFinal_ex)                                                                       \
  F(EVP_EncryptInit_ex2)                                                                       \
  F(EVP_EncryptUpdate)                                                                         \
  F(EVP_KDF_CTX_free)                                                                          \
  F(EVP_KDF_CTX_new)                                                                           \
  F(EVP_KDF_derive)                                                                            \
  F(EVP_KDF_fetch)                                                                             \
  F(EVP_KDF_free)                                                                              \
  F(EVP_sha256)                                                                                \
  F(HMAC)                                                                                      \
  F(OPENSSL_cleanse)                                                                           \
  F(OPENSSL_init_crypto)                                                                       \
  F(OSSL_PARAM_construct_end)                                                                  \
  F(OSSL_PARAM_construct_octet_string)                                                         \
  F(OSSL_PARAM_construct_uint)                                                                 \
  F(OSSL_PARAM_construct_uint64)                                                               \
  F(OSSL_PARAM_construct_utf8_string)                                                          \
  F(RAND_bytes)                                                                                \
  F(SHA256_Final)                                                                              \
  F(SHA256_Init)                                                                               \
  F(SHA256_Update)

// SHA-256's low-level functions are deprecated in OpenSSL 3 in favour of EVP, still part of its
// API and its own EVP implementation underneath. Their context is a plain struct, so a hash of a
// short message needs no allocation and no provider dispatch (EVP: a context allocated, fetched
// and freed per hash, ~3 k instructions on top of a block's ~1.5 k). Only their slots and
// forwarders are exempt from the deprecation warning.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"

struct cinch_crypto_functions {
#define CINCH_CRYPTO_SLOT(name) __typeof__(name) *name;
  CINCH_CRYPTO_FUNCTIONS(CINCH_CRYPTO_SLOT)
#undef CINCH_CRYPTO_SLOT
};

/// Filled once by `cinch_crypto_load`; read through `cinch_crypto()`.
extern struct cinch_crypto_functions cinch_crypto_table;
/// Non-zero once the table is filled (read with acquire ordering).
extern int cinch_crypto_loaded;

/// Loads libcrypto and fills the table, once per process; safe from any thread. A libcrypto
/// that cannot be loaded ends the process with a one-line message and status 2, as the dynamic
/// loader used to refuse to start it without one.
void cinch_crypto_load(void);

static inline const struct cinch_crypto_functions *cinch_crypto(void) {
  if (__builtin_expect(!__atomic_load_n(&cinch_crypto_loaded, __ATOMIC_ACQUIRE), 0)) {
    cinch_crypto_load();
  }
  return &cinch_crypto_table;
}

static inline int cinch_CRYPTO_memcmp(const void *a, const void *b, size_t length) {
  return cinch_crypto()->CRYPTO_memcmp(a, b, length);
}
static inline void cinch_ERR_clear_error(void) { cinch_crypto()->ERR_clear_error(); }
static inline void cinch_ERR_error_string_n(unsigned long code, char *buffer, size_t length) {
  cinch_crypto()->ERR_error_string_n(code, buffer, length);
}
static inline unsigned long cinch_ERR_get_error(void) { return cinch_crypto()->ERR_get_error(); }
static inline int cinch_EVP_CIPHER_CTX_ctrl(EVP_CIPHER_CTX *context, int type, int argument,
                                            void *pointer) {
  return cinch_crypto()->EVP_CIPHER_CTX_ctrl(context, type, argument, pointer);
}
static inline void cinch_EVP_CIPHER_CTX_free(EVP_CIPHER_CTX *context) {
  cinch_crypto()->EVP_CIPHER_CTX_free(context);
}
static inline EVP_CIPHER_CTX *cinch_EVP_CIPHER_CTX_new(void) {
  return cinch_crypto()->EVP_CIPHER_CTX_new();
}
static inline EVP_CIPHER *cinch_EVP_CIPHER_fetch(OSSL_LIB_CTX *library, const char *algorithm,
                                                 const char *properties) {
  return cinch_crypto()->EVP_CIPHER_fetch(library, algorithm, properties);
}
static inline int cinch_EVP_DecryptFinal_ex(EVP_CIPHER_CTX *context, unsigned char *out,
                                            int *written) {
  return cinch_crypto()->EVP_DecryptFinal_ex(context, out, written);
}
static inline int cinch_EVP_DecryptInit_ex2(EVP_CIPHER_CTX *context, const EVP_CIPHER *cipher,
                                            const unsigned char *key, const unsigned char *iv,
                                            const OSSL_PARAM parameters[]) {
  return cinch_crypto()->EVP_DecryptInit_ex2(context, cipher, key, iv, parameters);
}
static inline int cinch_EVP_DecryptUpdate(EVP_CIPHER_CTX *context, unsigned char *out,
                                          int *written, const unsigned char *in, int count) {
  return cinch_crypto()->EVP_DecryptUpdate(context, out, written, in, count);
}
static inline int cinch_EVP_EncryptFinal_ex(EVP_CIPHER_CTX *context, unsigned char *out,
                                            int *written) {
  return cinch_crypto()->EVP_EncryptFinal_ex(context, out, written);
}
static inline int cinch_EVP_EncryptInit_ex2(EVP_CIPHER_CTX *context, const EVP_CIPHER *cipher,
                                            const unsigned char *key, const unsigned char *iv,
                                            const OSSL_PARAM parameters[]) {
  return cinch_crypto()->EVP_EncryptInit_ex2(context, cipher, key, iv, parameters);
}
static inline int cinch_EVP_EncryptUpdate(EVP_CIPHER_CTX *context, unsigned char *out,
                                          int *written, const unsigned char *in, int count) {
  return cinch_crypto()->EVP_EncryptUpdate(context, out, written, in, count);
}
static inline void cinch_EVP_KDF_CTX_free(EVP_KDF_CTX *context) {
  cinch_crypto()->EVP_KDF_CTX_free(context);
}
static inline EVP_KDF_CTX *cinch_EVP_KDF_CTX_new(EVP_KDF *kdf) {
  return cinch_crypto()->EVP_KDF_CTX_new(kdf);
}
static inline int cinch_EVP_KDF_derive(EVP_KDF_CTX *context, unsigned char *key, size_t length,
                                       const OSSL_PARAM parameters[]) {
  return cinch_crypto()->EVP_KDF_derive(context, key, length, parameters);
}
static inline EVP_KDF *cinch_EVP_KDF_fetch(OSSL_LIB_CTX *library, const char *algorithm,
                                           const char *properties) {
  return cinch_crypto()->EVP_KDF_fetch(library, algorithm, properties);
}
static inline void cinch_EVP_KDF_free(EVP_KDF *kdf) { cinch_crypto()->EVP_KDF_free(kdf); }
static inline const EVP_MD *cinch_EVP_sha256(void) { return cinch_crypto()->EVP_sha256(); }
static inline unsigned char *cinch_HMAC(const EVP_MD *digest, const void *key, int keyLength,
                                        const unsigned char *data, size_t dataLength,
                                        unsigned char *mac, unsigned int *macLength) {
  return cinch_crypto()->HMAC(digest, key, keyLength, data, dataLength, mac, macLength);
}
static inline void cinch_OPENSSL_cleanse(void *pointer, size_t length) {
  cinch_crypto()->OPENSSL_cleanse(pointer, length);
}
static inline OSSL_PARAM cinch_OSSL_PARAM_construct_end(void) {
  return cinch_crypto()->OSSL_PARAM_construct_end();
}
static inline OSSL_PARAM cinch_OSSL_PARAM_construct_octet_string(const char *key, void *buffer,
                                                                 size_t size) {
  return cinch_crypto()->OSSL_PARAM_construct_octet_string(key, buffer, size);
}
static inline OSSL_PARAM cinch_OSSL_PARAM_construct_uint(const char *key, unsigned int *buffer) {
  return cinch_crypto()->OSSL_PARAM_construct_uint(key, buffer);
}
static inline OSSL_PARAM cinch_OSSL_PARAM_construct_uint64(const char *key, uint64_t *buffer) {
  return cinch_crypto()->OSSL_PARAM_construct_uint64(key, buffer);
}
static inline OSSL_PARAM cinch_OSSL_PARAM_construct_utf8_string(const char *key, char *buffer,
                                                                size_t size) {
  return cinch_crypto()->OSSL_PARAM_construct_utf8_string(key, buffer, size);
}
static inline int cinch_RAND_bytes(unsigned char *buffer, int count) {
  return cinch_crypto()->RAND_bytes(buffer, count);
}
static inline int cinch_SHA256_Init(SHA256_CTX *context) {
  return cinch_crypto()->SHA256_Init(context);
}
static inline int cinch_SHA256_Update(SHA256_CTX *context, const void *data, size_t count) {
  return cinch_crypto()->SHA256_Update(context, data, count);
}
static inline int cinch_SHA256_Final(unsigned char *digest, SHA256_CTX *context) {
  return cinch_crypto()->SHA256_Final(digest, context);
}

#pragma clang diagnostic pop
#endif
