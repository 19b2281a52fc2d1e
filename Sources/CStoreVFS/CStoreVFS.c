// See include/CStoreVFS.h.
#define _GNU_SOURCE
#include "CStoreVFS.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__linux__) && defined(MADV_POPULATE_WRITE)

int cinch_store_vfs_populate(volatile void *region, long long length) {
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t start = (uintptr_t)region & ~(page - 1);
  uintptr_t end = ((uintptr_t)region + (uintptr_t)length + page - 1) & ~(page - 1);
  int result;
  do {
    result = madvise((void *)start, end - start, MADV_POPULATE_WRITE);
  } while (result != 0 && errno == EINTR);
  return result == 0 ? 0 : errno;
}

static sqlite3_vfs *base;
static sqlite3_vfs vfs;
// SQLite's methods for a main database file, and the same with xShmMap replaced; a file with
// other methods (none on Linux's "unix") keeps its own.
static const sqlite3_io_methods *baseMethods;
static sqlite3_io_methods methods;
static pthread_mutex_t methodsLock = PTHREAD_MUTEX_INITIALIZER;

static int mapShared(sqlite3_file *file, int region, int size, int extend, void volatile **map) {
  int rc = baseMethods->xShmMap(file, region, size, extend, map);
  if (rc != SQLITE_OK || *map == NULL) return rc;
  int error = cinch_store_vfs_populate(*map, size);
  if (error == 0 || error == EINVAL || error == ENOSYS) return SQLITE_OK;
  // The region stays mapped in SQLite's shared-memory node; without a pointer to it, the
  // caller asks again (and the pages are populated again) before it touches the region.
  *map = NULL;
  if (error == EFAULT) {
    errno = ENOSPC;
    return SQLITE_FULL;
  }
  errno = error;
  return error == ENOMEM ? SQLITE_IOERR_NOMEM : SQLITE_IOERR_SHMSIZE;
}

static int openFile(sqlite3_vfs *unused, sqlite3_filename name, sqlite3_file *file, int flags,
                    int *outFlags) {
  (void)unused;
  int rc = base->xOpen(base, name, file, flags, outFlags);
  if (rc != SQLITE_OK || !(flags & SQLITE_OPEN_MAIN_DB) || file->pMethods == NULL) return rc;
  pthread_mutex_lock(&methodsLock);
  if (baseMethods == NULL && file->pMethods->iVersion >= 2 && file->pMethods->xShmMap != NULL) {
    baseMethods = file->pMethods;
    methods = *baseMethods;
    methods.xShmMap = mapShared;
  }
  if (file->pMethods == baseMethods) file->pMethods = &methods;
  pthread_mutex_unlock(&methodsLock);
  return rc;
}

static int registration = SQLITE_ERROR;
static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void registerOnce(void) {
  base = sqlite3_vfs_find("unix");
  if (base == NULL) return;
  vfs = *base;
  vfs.pNext = NULL;
  vfs.zName = "cinch-unix";
  vfs.xOpen = openFile;
  registration = sqlite3_vfs_register(&vfs, 1);
}

int cinch_store_vfs_register(void) {
  pthread_once(&registered, registerOnce);
  return registration;
}

#else

int cinch_store_vfs_populate(volatile void *region, long long length) {
  (void)region;
  (void)length;
  return EINVAL;
}

int cinch_store_vfs_register(void) { return SQLITE_OK; }

#endif
