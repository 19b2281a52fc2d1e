// libcurl's functions as CCurlLoader resolved them (dlsym). Private to the target.
#ifndef CCURLLOADER_FUNCTIONS_H
#define CCURLLOADER_FUNCTIONS_H

#define CURL_DISABLE_DEPRECATION 1
// Calls go through the pointers below, which gcc's type-checking macros for curl_easy_setopt
// do not know.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

typedef struct {
  CURLcode (*global_init)(long);
  CURL *(*easy_init)(void);
  void (*easy_cleanup)(CURL *);
  void (*easy_reset)(CURL *);
  CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
  CURLcode (*easy_perform)(CURL *);
  CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
  const char *(*easy_strerror)(CURLcode);
  struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
  void (*slist_free_all)(struct curl_slist *);
} cinch_curl_functions;

/// Filled by cinch_curl_load; all NULL until it succeeded.
extern cinch_curl_functions cinch_curl;

#endif
