// A command started so that it cannot outlive the thread that started it (Linux).
//
// posix_spawn cannot give a child PR_SET_PDEATHSIG, and no Swift may run between fork and exec
// in a multithreaded process, so the child is made here. What is forked is a small supervisor,
// not the command: it leads a new process group, starts the command in that group (vfork,
// then execve) and waits. When the thread that called cinch_child_spawn ends (cinch killed,
// even by SIGKILL), the kernel sends the supervisor SIGHUP (PR_SET_PDEATHSIG) and it kills its
// whole group: the command and whatever the command started in it (a shell script's psql or
// subshell), which a PR_SET_PDEATHSIG of the command alone would leave running. The command
// also gets PR_SET_PDEATHSIG (SIGKILL) from the supervisor, should the supervisor be killed
// alone. Otherwise the supervisor ends as the command ended: with its exit status, or by the
// signal that killed it, so the caller's wait sees the command's outcome.
//
// The death signal is tied to the calling *thread*, not the process: the caller must keep the
// thread that called this alive (blocked waiting) until it has reaped the returned pid.
#ifndef CINCH_CHILD_SPAWN_H
#define CINCH_CHILD_SPAWN_H

#include <sys/types.h>

// Starts `path` with `argv` and exactly `envp` (both NULL-terminated), `standard_input`,
// `standard_output` and `standard_error` (each 3 or above, left open here) as its descriptors
// 0, 1 and 2 and no other descriptor of this process, every signal at its default action and
// unblocked. Returns 0 and, in `*pid`, the supervisor's pid, which is also the process group's
// id; the caller waits for it and kills the group (`kill(-pid, …)`) to end the command early.
// Otherwise returns an errno value: the fork's, or execve's for the command (ETXTBSY when the
// executable is open for writing, ENOENT, EACCES…), the supervisor then already reaped.
// ENOSYS where there is no PR_SET_PDEATHSIG (not Linux): use posix_spawn there.
int cinch_child_spawn(const char *path, char *const argv[], char *const envp[],
                      int standard_input, int standard_output, int standard_error, pid_t *pid);

#endif
