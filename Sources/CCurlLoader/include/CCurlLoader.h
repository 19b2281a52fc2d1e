// libcurl, loaded when the first HTTP request is made rather than when the process starts.
//
// The AWS backend is the only user of HTTP in cinch, and most runs never touch it: linking
// libcurl (and its ~30 libraries: gnutls, krb5, ldap, ssh2, ...) made every process pay for
// loading them. This loader dlopens libcurl once, resolves the few functions it needs, and
// offers Swift a non-variadic API (Swift cannot call curl_easy_setopt, which is variadic).
// Nothing here is linked against libcurl; <curl/curl.h> is used for constants and types only.
#ifndef CCURLLOADER_H
#define CCURLLOADER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Loads libcurl and runs curl_global_init, once per process (thread-safe). Returns NULL when
/// libcurl is ready, else a one-line reason that stays valid for the life of the process.
const char *_Nullable cinch_curl_load(void);

/// A new easy handle, or NULL when libcurl is not loaded or has no memory.
void *_Nullable cinch_curl_easy_new(void);

/// Frees an easy handle and closes its connections. NULL is ignored.
void cinch_curl_easy_free(void *_Nullable easy);

/// Receives response bytes: one header line (with its CRLF) per call, or a piece of the body.
/// Returns `length` to go on, anything else to abort the transfer.
typedef size_t (*cinch_curl_data_callback)(const char *_Nonnull data, size_t length,
                                           void *_Nullable context);

/// Asked about once a second and whenever data moves: nonzero aborts the transfer.
typedef int (*cinch_curl_abort_callback)(void *_Nullable context);

/// One exchange. Every pointer must stay valid until cinch_curl_perform returns.
typedef struct {
  const char *_Nonnull method;
  const char *_Nonnull url;
  /// "Name: value" lines ("Name;" for an empty value), sent as given.
  const char *_Nonnull const *_Nullable headers;
  size_t header_count;
  /// Sent when has_body is nonzero (an empty body then sends "Content-Length: 0").
  const uint8_t *_Nullable body;
  size_t body_length;
  int has_body;
  /// The User-Agent unless the headers carry one.
  const char *_Nullable user_agent;
  /// Milliseconds without progress (no byte moving) before the transfer fails.
  long timeout_ms;
  /// Milliseconds to connect (TLS handshake included) before the transfer fails.
  long connect_timeout_ms;
  /// Nonzero: the server's certificate and name are not verified (`--no-verify-ssl`).
  int insecure;
  /// The certificate authorities to verify with instead of the system's (`--ca-bundle`), or NULL.
  const char *_Nullable ca_bundle;
  void *_Nullable context;
  cinch_curl_data_callback _Nonnull on_header;
  cinch_curl_data_callback _Nonnull on_body;
  cinch_curl_abort_callback _Nullable should_abort;
} cinch_curl_request;

/// What became of an exchange.
typedef enum {
  CINCH_CURL_OK = 0,
  CINCH_CURL_TIMED_OUT,
  CINCH_CURL_CONNECTION_REFUSED,
  CINCH_CURL_HOST_NOT_FOUND,
  CINCH_CURL_TLS_FAILED,
  CINCH_CURL_CONNECTION_LOST,
  CINCH_CURL_ABORTED,
  CINCH_CURL_OTHER,
  /// Connected, then no byte moved for `timeout_ms` (CINCH_CURL_TIMED_OUT: the connect's).
  CINCH_CURL_READ_TIMED_OUT,
} cinch_curl_outcome;

typedef struct {
  cinch_curl_outcome outcome;
  /// libcurl's CURLcode.
  int code;
  /// The final response's status (0 when none arrived).
  long status;
} cinch_curl_result;

/// Resets `easy` (its connections stay open for reuse), sets every option of `request`, and
/// performs the exchange, blocking the calling thread. Never logs: verbose output stays off.
cinch_curl_result cinch_curl_perform(void *_Nonnull easy,
                                     const cinch_curl_request *_Nonnull request);

/// libcurl's one-line text for a CURLcode ("" when libcurl is not loaded).
const char *_Nonnull cinch_curl_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
