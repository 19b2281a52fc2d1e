/*
 * measure: runs one command and reports its wall time, CPU time and peak resident set size,
 * for Benchmarks/run.py.
 *
 *   measure STDOUT-FILE STDERR-FILE COMMAND [ARG]…
 *
 * prints `EXIT-STATUS WALL-SECONDS USER-SECONDS SYSTEM-SECONDS MAXRSS-KB` on its own stdout.
 *
 * Why a C program: a process's peak RSS (ru_maxrss) carries over exec from the process that
 * forked it, so a command spawned straight from Python reports at least the interpreter's
 * ~25 MB. This small program forks the command itself and reads the figures from wait4 for that
 * child alone, as GNU time does; stdin is /dev/null and the clock runs from fork to exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int main(int argc, char **argv) {
    if (argc < 4) {
        fputs("usage: measure STDOUT-FILE STDERR-FILE COMMAND [ARG]...\n", stderr);
        return 2;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        return 2;
    }
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0) _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execvp(argv[3], argv + 3);
        dprintf(2, "measure: cannot run '%s': %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            perror("measure: wait4");
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    double wall = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%d %.6f %.6f %.6f %ld\n", code, wall, seconds(usage.ru_utime), seconds(usage.ru_stime), usage.ru_maxrss);
    return 0;
}
