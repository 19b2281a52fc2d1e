// See include/COpenSSL.h: libcrypto loaded on first use instead of linked.
#include "COpenSSL.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct cinch_crypto_functions cinch_crypto_table;
int cinch_crypto_loaded;

#define CINCH_STRING(x) #x
#define CINCH_EXPAND_STRING(x) CINCH_STRING(x)

#ifdef __APPLE__
#define CINCH_LIBCRYPTO "libcrypto." CINCH_EXPAND_STRING(OPENSSL_VERSION_MAJOR) ".dylib"
#else
// The soname of the major version whose headers cinch was compiled against (libssl3 on Debian
// and Ubuntu): OpenSSL keeps its ABI within a major version.
#define CINCH_LIBCRYPTO "libcrypto.so." CINCH_EXPAND_STRING(OPENSSL_VERSION_MAJOR)
#endif

/// The process cannot go on without its cipher; says why on one line, as the dynamic loader
/// would have, and ends it. Nothing has been written: the first libcrypto call comes before any
/// value is sealed or opened.
static void fail(const char *reason) {
  char line[640];
  int length = snprintf(line, sizeof line, "cinch: cannot load %s (OpenSSL %d's libcrypto): %s\n",
                        CINCH_LIBCRYPTO, OPENSSL_VERSION_MAJOR, reason ? reason : "unknown");
  if (length < 0) length = 0;
  if ((size_t)length >= sizeof line) length = sizeof line - 1;
  // dlerror's text may span lines; the reason is one line.
  for (int i = 0; i < length - 1; i++) {
    if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
  }
  ssize_t ignored = write(STDERR_FILENO, line, (size_t)length);
  (void)ignored;
  _exit(2);
}

static void load(void) {
  // RTLD_LOCAL: its symbols stay out of the global scope (libcurl, when the AWS backend loads
  // it, finds the same libcrypto by its soname). It is never unloaded.
  void *library = dlopen(CINCH_LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
  if (!library) fail(dlerror());
  struct cinch_crypto_functions table;
#define CINCH_CRYPTO_LOOKUP(name)                                                               \
  table.name = (__typeof__(table.name))dlsym(library, #name);                                   \
  if (!table.name) fail("no " #name " in it");
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
  CINCH_CRYPTO_FUNCTIONS(CINCH_CRYPTO_LOOKUP)
#pragma clang diagnostic pop
#undef CINCH_CRYPTO_LOOKUP
  // libcrypto's own atexit handler frees its tables as the process ends (~1.2 M instructions on
  // every `cinch` run, 4% of a `get-parameter`); the kernel reclaims them anyway, and key
  // material the store holds is wiped by its owners (`SecretBytes`), not by that handler. Only
  // effective as the process's first libcrypto call, which this is.
  if (table.OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL) != 1) {
    fail("OPENSSL_init_crypto failed");
  }
  cinch_crypto_table = table;
  __atomic_store_n(&cinch_crypto_loaded, 1, __ATOMIC_RELEASE);
}

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

void cinch_crypto_load(void) { pthread_once(&load_once, load); }
