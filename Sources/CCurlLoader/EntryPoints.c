// libcurl's own entry points, defined in cinch and forwarding to the libcurl that CCurlLoader
// loads on first use.
//
// cinch serve's HTTP server was FlyingFox, whose ProxyHTTPHandler is built on URLSession, so the
// executable linked FoundationNetworking whatever cinch itself used (since the server is cinch's
// own, no module imports it; these stay for any that would), and FoundationNetworking
// calls these 23 functions. Were they left to libcurl, the executable would need libcurl.so.4
// and the dynamic loader would map it and ~30 libraries it needs (gnutls, krb5, ldap, ssh2, ...)
// into every process at start-up, ~8 ms of each run. Defined here, they leave no reference to
// libcurl, and the release build (the Makefile's RELEASE_FLAGS) drops the `-lcurl` that
// FoundationNetworking's module asks for. Nothing in cinch sends requests through URLSession;
// should anything do so, these load libcurl then and behave as libcurl does. A build that keeps
// `-lcurl` loads libcurl at start-up and works the same.
//
// In a debug build FoundationNetworking is a shared library that needs libcurl itself; these
// then forward to that same libcurl.
//
// The variadic setopt/getinfo functions take exactly one argument after the option, a long, a
// pointer or a curl_off_t (libcurl's documented contract): each is passed in one integer
// register or stack slot of the same size on the 64-bit targets cinch builds for, and is
// forwarded as it came.
#include "CCurlLoader.h"
// curl_url_get takes a const handle from libcurl 8 on and a mutable one before: its definition
// below is checked against neither.
#define curl_url_get cinch_curl_url_get_as_declared
#include "Functions.h"
#undef curl_url_get

#include <stdarg.h>
#include <stddef.h>

_Static_assert(sizeof(long) == sizeof(void *) && sizeof(curl_off_t) == sizeof(void *),
               "setopt arguments are forwarded as one pointer-sized value");

/// The one argument after `last` in a variadic call, as one pointer-sized value.
#define ONLY_ARGUMENT(last, into)                                                              \
  do {                                                                                         \
    va_list arguments;                                                                         \
    va_start(arguments, last);                                                                 \
    into = va_arg(arguments, void *);                                                          \
    va_end(arguments);                                                                         \
  } while (0)

/// The function, once libcurl is loaded; NULL when it cannot be.
#define LOADED(name) (cinch_curl_load() == NULL ? cinch_curl.name : NULL)

CURLcode curl_global_init(long flags) {
  // cinch_curl_load has run libcurl's curl_global_init already.
  (void)flags;
  return LOADED(global_init) ? CURLE_OK : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void) { return LOADED(easy_init) ? cinch_curl.easy_init() : NULL; }

void curl_easy_cleanup(CURL *handle) {
  if (LOADED(easy_cleanup)) cinch_curl.easy_cleanup(handle);
}

CURLcode curl_easy_setopt(CURL *handle, CURLoption option, ...) {
  if (!LOADED(easy_setopt)) return CURLE_FAILED_INIT;
  void *argument;
  ONLY_ARGUMENT(option, argument);
  return cinch_curl.easy_setopt(handle, option, argument);
}

CURLcode curl_easy_getinfo(CURL *handle, CURLINFO info, ...) {
  if (!LOADED(easy_getinfo)) return CURLE_FAILED_INIT;
  void *argument;
  ONLY_ARGUMENT(info, argument);
  return cinch_curl.easy_getinfo(handle, info, argument);
}

const char *curl_easy_strerror(CURLcode code) {
  return LOADED(easy_strerror) ? cinch_curl.easy_strerror(code) : "libcurl is not available";
}

CURLcode curl_easy_pause(CURL *handle, int bitmask) {
  return LOADED(easy_pause) ? cinch_curl.easy_pause(handle, bitmask) : CURLE_FAILED_INIT;
}

void curl_free(void *pointer) {
  if (LOADED(free)) cinch_curl.free(pointer);
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *line) {
  return LOADED(slist_append) ? cinch_curl.slist_append(list, line) : NULL;
}

void curl_slist_free_all(struct curl_slist *list) {
  if (LOADED(slist_free_all)) cinch_curl.slist_free_all(list);
}

CURLM *curl_multi_init(void) { return LOADED(multi_init) ? cinch_curl.multi_init() : NULL; }

CURLMcode curl_multi_add_handle(CURLM *multi, CURL *handle) {
  return LOADED(multi_add_handle) ? cinch_curl.multi_add_handle(multi, handle)
                                  : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_remove_handle(CURLM *multi, CURL *handle) {
  return LOADED(multi_remove_handle) ? cinch_curl.multi_remove_handle(multi, handle)
                                     : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_cleanup(CURLM *multi) {
  return LOADED(multi_cleanup) ? cinch_curl.multi_cleanup(multi) : CURLM_INTERNAL_ERROR;
}

CURLMsg *curl_multi_info_read(CURLM *multi, int *queued) {
  if (LOADED(multi_info_read)) return cinch_curl.multi_info_read(multi, queued);
  if (queued) *queued = 0;
  return NULL;
}

CURLMcode curl_multi_setopt(CURLM *multi, CURLMoption option, ...) {
  if (!LOADED(multi_setopt)) return CURLM_INTERNAL_ERROR;
  void *argument;
  ONLY_ARGUMENT(option, argument);
  return cinch_curl.multi_setopt(multi, option, argument);
}

CURLMcode curl_multi_assign(CURLM *multi, curl_socket_t socket, void *pointer) {
  return LOADED(multi_assign) ? cinch_curl.multi_assign(multi, socket, pointer)
                              : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_socket_action(CURLM *multi, curl_socket_t socket, int events,
                                   int *running) {
  return LOADED(multi_socket_action)
             ? cinch_curl.multi_socket_action(multi, socket, events, running)
             : CURLM_INTERNAL_ERROR;
}

CURLU *curl_url(void) { return LOADED(url) ? cinch_curl.url() : NULL; }

CURLUcode curl_url_get(const CURLU *url, CURLUPart part, char **value, unsigned int flags);
CURLUcode curl_url_get(const CURLU *url, CURLUPart part, char **value, unsigned int flags) {
  return LOADED(url_get) ? cinch_curl.url_get(url, part, value, flags) : CURLUE_OUT_OF_MEMORY;
}

CURLUcode curl_url_set(CURLU *url, CURLUPart part, const char *value, unsigned int flags) {
  return LOADED(url_set) ? cinch_curl.url_set(url, part, value, flags) : CURLUE_OUT_OF_MEMORY;
}

char *curl_version(void) {
  static char unavailable[] = "libcurl/unavailable";
  return LOADED(version) ? cinch_curl.version() : unavailable;
}

curl_version_info_data *curl_version_info(CURLversion stamp) {
  // Zeroes (version 0.0.0, no features) when libcurl cannot be loaded.
  static curl_version_info_data unavailable = {.age = CURLVERSION_NOW,
                                               .version = "unavailable"};
  return LOADED(version_info) ? cinch_curl.version_info(stamp) : &unavailable;
}
