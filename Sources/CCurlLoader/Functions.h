// libcurl's functions as CCurlLoader resolved them (dlsym), shared by the loader and by the
// entry points in EntryPoints.c. Private to the target.
#ifndef CCURLLOADER_FUNCTIONS_H
#define CCURLLOADER_FUNCTIONS_H

#define CURL_DISABLE_DEPRECATION 1
// The type-checking macros would rename the definitions of curl_easy_setopt and
// curl_easy_getinfo in EntryPoints.c.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

typedef struct {
  // Needed by the transport: loading fails without them.
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
  // Needed only by FoundationNetworking (EntryPoints.c): NULL when this libcurl lacks one.
  CURLcode (*easy_pause)(CURL *, int);
  void (*free)(void *);
  CURLM *(*multi_init)(void);
  CURLMcode (*multi_add_handle)(CURLM *, CURL *);
  CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
  CURLMcode (*multi_cleanup)(CURLM *);
  CURLMsg *(*multi_info_read)(CURLM *, int *);
  CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
  CURLMcode (*multi_assign)(CURLM *, curl_socket_t, void *);
  CURLMcode (*multi_socket_action)(CURLM *, curl_socket_t, int, int *);
  CURLU *(*url)(void);
  CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
  CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
  char *(*version)(void);
  curl_version_info_data *(*version_info)(CURLversion);
} cinch_curl_functions;

/// Filled by cinch_curl_load; all NULL until it succeeded.
extern cinch_curl_functions cinch_curl;

#endif
