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
#endif
