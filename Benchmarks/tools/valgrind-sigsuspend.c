/*
 * valgrind-sigsuspend.so: lets valgrind 3.19 (Debian 12's) run cinch, for `make bench-profile`.
 *
 * When an async Swift main hands the main thread to libdispatch, libdispatch parks it in
 * sigsuspend() with a signal mask that lives in read-only memory. valgrind 3.19's wrapper for
 * the system call edits the mask in place, faults, and dies with "the 'impossible' happened".
 * Preloaded (LD_PRELOAD) under valgrind, this passes a writable copy of the mask instead; it
 * changes nothing else, and nothing at all outside profiling.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>

int sigsuspend(const sigset_t *mask) {
    static int (*real)(const sigset_t *);
    if (!real) real = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    sigset_t copy = *mask;
    return real(&copy);
}
