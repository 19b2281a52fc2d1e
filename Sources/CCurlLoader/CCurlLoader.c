// See include/CCurlLoader.h. Compiled against <curl/cinch_curl.h> for its constants and types; every
// libcurl function is reached through a pointer that dlsym resolved, so nothing links libcurl.
#include "CCurlLoader.h"
#include "Functions.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

cinch_curl_functions cinch_curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const char *load_failure = NULL;
static char load_failure_text[512];

static void fail(const char *format, const char *detail) {
  snprintf(load_failure_text, sizeof load_failure_text, format, detail ? detail : "unknown");
  // dlerror's text may span lines; the reason is one line.
  for (char *c = load_failure_text; *c; c++) {
    if (*c == '\n' || *c == '\r') *c = ' ';
  }
  load_failure = load_failure_text;
}

#ifdef __APPLE__
static const char *const library_names[] = {"/usr/lib/libcurl.4.dylib", "libcurl.4.dylib"};
#else
// libcurl.so.4 is Debian's and Ubuntu's libcurl4 (OpenSSL) and every other distribution's
// libcurl; libcurl-gnutls.so.4 has the same ABI and is often present where the former is not.
static const char *const library_names[] = {"libcurl.so.4", "libcurl-gnutls.so.4"};
#endif

static void load(void) {
  void *library = dlopen(library_names[0], RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    char first[384];
    const char *error = dlerror();
    snprintf(first, sizeof first, "%s", error ? error : "unknown");
    library = dlopen(library_names[1], RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      fail("the AWS backend needs libcurl, install libcurl4: %s", first);
      return;
    }
  }
  struct {
    const char *name;
    void **slot;
  } symbols[] = {
      {"curl_global_init", (void **)&cinch_curl.global_init},
      {"curl_easy_init", (void **)&cinch_curl.easy_init},
      {"curl_easy_cleanup", (void **)&cinch_curl.easy_cleanup},
      {"curl_easy_reset", (void **)&cinch_curl.easy_reset},
      {"curl_easy_setopt", (void **)&cinch_curl.easy_setopt},
      {"curl_easy_perform", (void **)&cinch_curl.easy_perform},
      {"curl_easy_getinfo", (void **)&cinch_curl.easy_getinfo},
      {"curl_easy_strerror", (void **)&cinch_curl.easy_strerror},
      {"curl_slist_append", (void **)&cinch_curl.slist_append},
      {"curl_slist_free_all", (void **)&cinch_curl.slist_free_all},
  };
  for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
    // Looked up in libcurl (and what it loaded), never in this executable.
    void *address = dlsym(library, symbols[i].name);
    if (!address) {
      fail("the AWS backend needs libcurl, install libcurl4: no '%s' in the loaded libcurl",
           symbols[i].name);
      memset(&cinch_curl, 0, sizeof cinch_curl);
      return;
    }
    *symbols[i].slot = address;
  }
  // curl_global_init is not thread-safe in older libcurl: this once is the only caller.
  CURLcode code = cinch_curl.global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    fail("libcurl did not initialise: %s", cinch_curl.easy_strerror(code));
    memset(&cinch_curl, 0, sizeof cinch_curl);
  }
  // The library stays loaded for the life of the process.
}

/// Set on the thread running load(): libcurl may call its own exported functions while it
/// initialises, and those resolve to this executable's entry points, which must not wait for
/// the load they are part of.
static __thread int loading;

static void load_once_body(void) {
  loading = 1;
  load();
  loading = 0;
}

const char *cinch_curl_load(void) {
  if (!loading) pthread_once(&load_once, load_once_body);
  return load_failure;
}

void *cinch_curl_easy_new(void) {
  if (cinch_curl_load() != NULL) return NULL;
  return cinch_curl.easy_init();
}

void cinch_curl_easy_free(void *easy) {
  if (easy && cinch_curl.easy_cleanup) cinch_curl.easy_cleanup(easy);
}

const char *cinch_curl_strerror(int code) {
  if (cinch_curl_load() != NULL) return "";
  return cinch_curl.easy_strerror((CURLcode)code);
}

static size_t write_header(char *data, size_t size, size_t count, void *userdata) {
  const cinch_curl_request *request = userdata;
  return request->on_header(data, size * count, request->context);
}

static size_t write_body(char *data, size_t size, size_t count, void *userdata) {
  const cinch_curl_request *request = userdata;
  return request->on_body(data, size * count, request->context);
}

/// One exchange's progress, for the time-without-progress check.
typedef struct {
  const cinch_curl_request *request;
  CURL *handle;
  curl_off_t moved;
  long long last_ms;
  int connected;
  int stalled;
} progress_state;

static long long monotonic_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

// Called at least once a second. The read timeout counts from the moment the connection is
// made (the connect timeout covers the time before) and restarts whenever a byte moves.
// libcurl's own low-speed check averages over about five seconds, so a request whose body had
// just been sent waited that long whatever the timeout.
static int transfer_info(void *userdata, curl_off_t download_total, curl_off_t downloaded,
                         curl_off_t upload_total, curl_off_t uploaded) {
  (void)download_total, (void)upload_total;
  progress_state *state = userdata;
  const cinch_curl_request *request = state->request;
  if (request->should_abort && request->should_abort(request->context)) return 1;
  long long now = monotonic_ms();
  if (!state->connected) {
    curl_off_t connected_us = 0;
    cinch_curl.easy_getinfo(state->handle, CURLINFO_PRETRANSFER_TIME_T, &connected_us);
    if (connected_us <= 0) return 0;
    state->connected = 1;
    state->moved = downloaded + uploaded;
    state->last_ms = now;
    return 0;
  }
  if (downloaded + uploaded != state->moved) {
    state->moved = downloaded + uploaded;
    state->last_ms = now;
  } else if (now - state->last_ms >= request->timeout_ms) {
    state->stalled = 1;
    return 1;
  }
  return 0;
}

/// Whether the header lines name `name` (case-insensitively), with a value or removed.
static int has_header(const cinch_curl_request *request, const char *name) {
  size_t length = strlen(name);
  for (size_t i = 0; i < request->header_count; i++) {
    const char *line = request->headers[i];
    if (strncasecmp(line, name, length) == 0 && (line[length] == ':' || line[length] == ';')) {
      return 1;
    }
  }
  return 0;
}

/// Appends a line to the list; 0 when there was no memory (the list is unchanged).
static int append(struct curl_slist **list, const char *line) {
  struct curl_slist *grown = cinch_curl.slist_append(*list, line);
  if (!grown) return 0;
  *list = grown;
  return 1;
}

static cinch_curl_outcome classify(CURLcode code) {
  switch (code) {
  case CURLE_OK:
    return CINCH_CURL_OK;
  case CURLE_OPERATION_TIMEDOUT:
    return CINCH_CURL_TIMED_OUT;
  case CURLE_COULDNT_CONNECT:
    return CINCH_CURL_CONNECTION_REFUSED;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
    return CINCH_CURL_HOST_NOT_FOUND;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_ENGINE_NOTFOUND:
  case CURLE_SSL_ENGINE_SETFAILED:
  case CURLE_SSL_ENGINE_INITFAILED:
  case CURLE_SSL_CRL_BADFILE:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_INVALIDCERTSTATUS:
  case CURLE_SSL_SHUTDOWN_FAILED:
  case CURLE_SSL_CLIENTCERT:
  case CURLE_USE_SSL_FAILED:
    return CINCH_CURL_TLS_FAILED;
  case CURLE_GOT_NOTHING:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return CINCH_CURL_CONNECTION_LOST;
  case CURLE_ABORTED_BY_CALLBACK:
    return CINCH_CURL_ABORTED;
  default:
    return CINCH_CURL_OTHER;
  }
}

static cinch_curl_result finish(CURLcode code, long status) {
  cinch_curl_result result = {classify(code), (int)code, status};
  return result;
}

cinch_curl_result cinch_curl_perform(void *easy, const cinch_curl_request *request) {
  CURL *handle = easy;
  if (!cinch_curl.easy_perform) return finish(CURLE_FAILED_INIT, 0);
  // Options from the last exchange are dropped; open connections, the DNS cache and TLS
  // sessions are kept, so the next request to the same host reuses its connection.
  cinch_curl.easy_reset(handle);

  struct curl_slist *headers = NULL;
  int listed = 1;
  for (size_t i = 0; i < request->header_count && listed; i++) {
    listed = append(&headers, request->headers[i]);
  }
  // No "Expect: 100-continue" round trip before a large body, and no form Content-Type that
  // libcurl would otherwise add to a body the caller did not type.
  if (listed) listed = append(&headers, "Expect:");
  if (listed && request->has_body && !has_header(request, "Content-Type")) {
    listed = append(&headers, "Content-Type:");
  }
  if (!listed) {
    cinch_curl.slist_free_all(headers);
    return finish(CURLE_OUT_OF_MEMORY, 0);
  }

  CURLcode code = cinch_curl.easy_setopt(handle, CURLOPT_URL, request->url);
  // http and https only, redirects included (none are followed anyway).
  if (code == CURLE_OK) {
    CURLcode restricted = cinch_curl.easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    if (restricted == CURLE_UNKNOWN_OPTION) {  // libcurl before 7.85
      long protocols = CURLPROTO_HTTP | CURLPROTO_HTTPS;
      restricted = cinch_curl.easy_setopt(handle, CURLOPT_PROTOCOLS, protocols);
    }
    code = restricted;
  }
  if (code == CURLE_OK) code = cinch_curl.easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  if (code != CURLE_OK) {
    cinch_curl.slist_free_all(headers);
    return finish(code, 0);
  }

  int is_get = strcmp(request->method, "GET") == 0;
  int is_head = strcmp(request->method, "HEAD") == 0;
  int is_post = strcmp(request->method, "POST") == 0;
  if (request->has_body) {
    static const char empty[1] = "";
    const void *body = request->body ? (const void *)request->body : (const void *)empty;
    cinch_curl.easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_length);
    cinch_curl.easy_setopt(handle, CURLOPT_POSTFIELDS, body);
    if (!is_post) cinch_curl.easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request->method);
  } else if (is_get) {
    cinch_curl.easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else if (is_head) {
    cinch_curl.easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else {
    cinch_curl.easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request->method);
  }

  // No signals (the process is multi-threaded), no redirects, no cookies (the engine is never
  // enabled), never verbose: request bodies carry secret values and nothing may print them.
  cinch_curl.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  cinch_curl.easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  cinch_curl.easy_setopt(handle, CURLOPT_VERBOSE, 0L);
  // Any encoding libcurl can decode, as URLSession asked for; the body arrives decoded.
  cinch_curl.easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
  if (request->user_agent) cinch_curl.easy_setopt(handle, CURLOPT_USERAGENT, request->user_agent);
  // Proxies: libcurl reads http_proxy, HTTPS_PROXY/https_proxy, ALL_PROXY and NO_PROXY from the
  // environment by default, as the aws CLI does. No option here overrides that.

  // Two timeouts, as the aws CLI has them: to connect (libcurl's), then time without a byte
  // moving once connected (transfer_info's, checked about once a second).
  long connect_timeout_ms = request->connect_timeout_ms > 0 ? request->connect_timeout_ms : 1;
  cinch_curl.easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
  progress_state progress = {request, handle, 0, 0, 0, 0};
  // TLS: the system's authorities unless a bundle is named; verification off only when asked.
  if (request->ca_bundle) cinch_curl.easy_setopt(handle, CURLOPT_CAINFO, request->ca_bundle);
  if (request->insecure) {
    cinch_curl.easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L);
    cinch_curl.easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 0L);
  }

  cinch_curl.easy_setopt(handle, CURLOPT_HEADERFUNCTION, write_header);
  cinch_curl.easy_setopt(handle, CURLOPT_HEADERDATA, (void *)request);
  cinch_curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
  cinch_curl.easy_setopt(handle, CURLOPT_WRITEDATA, (void *)request);
  cinch_curl.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, transfer_info);
  cinch_curl.easy_setopt(handle, CURLOPT_XFERINFODATA, (void *)&progress);
  cinch_curl.easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);

  code = cinch_curl.easy_perform(handle);
  long status = 0;
  cinch_curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  // The handle keeps pointers to the list and to `progress`: forget them before they go.
  cinch_curl.easy_setopt(handle, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
  cinch_curl.easy_setopt(handle, CURLOPT_XFERINFODATA, (void *)NULL);
  cinch_curl.easy_setopt(handle, CURLOPT_NOPROGRESS, 1L);
  cinch_curl.slist_free_all(headers);
  if (code == CURLE_ABORTED_BY_CALLBACK && progress.stalled) {
    cinch_curl_result result = {CINCH_CURL_READ_TIMED_OUT, (int)CURLE_OPERATION_TIMEDOUT, status};
    return result;
  }
  return finish(code, status);
}
