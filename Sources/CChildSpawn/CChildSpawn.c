// See include/CChildSpawn.h.
//
// Between fork and exec only async-signal-safe calls are made, on the stack: the fork copied
// one thread of a multithreaded process, and a lock another thread held (malloc's, the Swift
// runtime's) stays held in the copy for ever.
#define _GNU_SOURCE
#include "CChildSpawn.h"

#include <errno.h>

#ifdef __linux__
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// The supervisor's death signal: blocked, and only waited for. Any SIGHUP sent to the
// supervisor (its parent's death, or `kill -HUP` of the group, which would end a command left
// at SIGHUP's default anyway) ends the group.
#define PARENT_GONE SIGHUP

static void report(int fd, int error) {
  while (write(fd, &error, sizeof error) < 0 && errno == EINTR) {
  }
}

static _Noreturn void fail(int fd, int error) {
  report(fd, error);
  _exit(127);
}

// Closes descriptors first…last (close_range, Linux 5.9; else one by one below `limit`).
static void close_span(int first, int last, long limit) {
  if (first > last) return;
#ifdef SYS_close_range
  if (syscall(SYS_close_range, (unsigned)first, (unsigned)last, 0U) == 0) return;
#endif
  for (long fd = first; fd <= last && fd < limit; fd++) close((int)fd);
}

// Ends as the command ended: its exit status, or killed by the same signal (its default action
// is set, and no core is written: this process is a copy of cinch's memory).
static _Noreturn void end_like(int status) {
  if (WIFSIGNALED(status)) {
    int signal = WTERMSIG(status);
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    kill(getpid(), signal);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    sigprocmask(SIG_UNBLOCK, &only, NULL);
    _exit(128 + signal);
  }
  _exit(WEXITSTATUS(status));
}

// The forked child. Entered with every signal blocked (the parent blocked them around fork),
// so none of cinch's handlers runs here; they stay blocked, and the supervisor only waits for
// SIGCHLD and PARENT_GONE.
static _Noreturn void supervise(const char *path, char *const argv[], char *const envp[],
                                const int streams[3], int report_fd, long file_limit,
                                pid_t cinch) {
  if (setpgid(0, 0) != 0) fail(report_fd, errno);
  // Every disposition back to the default (an ignored SIGPIPE or SIGXFSZ would stay ignored
  // across execve). SIGKILL, SIGSTOP and glibc's two internal signals refuse: harmless.
  struct sigaction default_action = {0};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  for (int signal = 1; signal < NSIG; signal++) sigaction(signal, &default_action, NULL);
  if (prctl(PR_SET_PDEATHSIG, PARENT_GONE, 0, 0, 0) != 0) fail(report_fd, errno);
  // The parent died before the line above: the signal will never come.
  if (getppid() != cinch) _exit(127);

  for (int target = 0; target < 3; target++) {
    if (dup2(streams[target], target) < 0) fail(report_fd, errno);
  }
  close_span(3, report_fd - 1, file_limit);
  close_span(report_fd + 1, ~0U >> 1, file_limit);

  pid_t self = getpid();
  volatile int exec_error = 0;
  pid_t command = vfork();
  if (command == 0) {
    // The command, sharing this memory until execve: only exec_error is written.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != self) {
      exec_error = errno ? errno : ESRCH;
      _exit(127);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(path, argv, envp);
    exec_error = errno;
    _exit(127);
  }
  if (command < 0) fail(report_fd, errno);
  if (exec_error != 0) {
    int status;
    while (waitpid(command, &status, 0) < 0 && errno == EINTR) {
    }
    fail(report_fd, exec_error);
  }
  // The command runs: the caller's read of the report pipe ends with nothing read.
  close(report_fd);

  sigset_t awaited;
  sigemptyset(&awaited);
  sigaddset(&awaited, SIGCHLD);
  sigaddset(&awaited, PARENT_GONE);
  for (;;) {
    int signal = sigwaitinfo(&awaited, NULL);
    if (signal == PARENT_GONE || getppid() != cinch) {
      // The group: the command, what it started, and this process.
      kill(0, SIGKILL);
      _exit(128 + SIGKILL);
    }
    int status;
    if (waitpid(command, &status, WNOHANG) == command) end_like(status);
  }
}

int cinch_child_spawn(const char *path, char *const argv[], char *const envp[],
                      int standard_input, int standard_output, int standard_error, pid_t *pid) {
  const int streams[3] = {standard_input, standard_output, standard_error};
  for (int index = 0; index < 3; index++) {
    if (streams[index] < 3) return EINVAL;
  }
  // Read here: the loop that closes descriptors without close_range needs a bound.
  struct rlimit files;
  long file_limit = 65536;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
    file_limit = (long)files.rlim_cur;
  // Closed on exec: the command's execve closes its copy, the supervisor closes its own once
  // the command runs, so the read below ends there, or with execve's errno.
  int report_pipe[2];
  if (pipe2(report_pipe, O_CLOEXEC) != 0) return errno;
  // The supervisor's copy must survive the dup2s onto 0, 1 and 2 (a process started with one
  // of them closed would have got it here).
  if (report_pipe[1] < 3) {
    int moved = fcntl(report_pipe[1], F_DUPFD_CLOEXEC, 3);
    int error = errno;
    close(report_pipe[1]);
    if (moved < 0) {
      close(report_pipe[0]);
      return error;
    }
    report_pipe[1] = moved;
  }

  sigset_t every, previous;
  sigfillset(&every);
  pthread_sigmask(SIG_SETMASK, &every, &previous);
  pid_t cinch = getpid();
  pid_t child = fork();
  if (child == 0)
    supervise(path, argv, envp, streams, report_pipe[1], file_limit, cinch);
  int fork_error = errno;
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  close(report_pipe[1]);
  if (child < 0) {
    close(report_pipe[0]);
    return fork_error;
  }

  int error = 0;
  ssize_t count;
  while ((count = read(report_pipe[0], &error, sizeof error)) < 0 && errno == EINTR) {
  }
  close(report_pipe[0]);
  if (count == (ssize_t)sizeof error && error != 0) {
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return error;
  }
  *pid = child;
  return 0;
}

#else

int cinch_child_spawn(const char *path, char *const argv[], char *const envp[],
                      int standard_input, int standard_output, int standard_error, pid_t *pid) {
  (void)path, (void)argv, (void)envp, (void)standard_input, (void)standard_output;
  (void)standard_error, (void)pid;
  return ENOSYS;
}

#endif
