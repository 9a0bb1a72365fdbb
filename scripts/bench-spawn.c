/* bench-spawn: the process launcher of scripts/bench.py.
 *
 * Why not spawn from Python: Linux counts the memory of the process that forked (or vforked)
 * a child into the child's ru_maxrss, since exec keeps the high-water mark of the address space
 * it replaces. Spawned from bench.py, /bin/true "peaks" at 20+ MiB. Spawned from this small
 * server the floor is about 1 MiB, and the wall time is taken right around posix_spawn/wait4.
 *
 * usage: bench-spawn STDOUT_FILE STDERR_FILE
 * Reads requests from stdin, one a line, fields separated by tabs:
 *     MODE \t TIMEOUT_S \t CWD \t EXE \t ARG0 \t ARG1 ...
 * MODE "t" truncates the output files, "a" appends to them. For each request it prints
 *     exit_code wall_ns user_us sys_us maxrss_kib
 * (exit_code is -SIGNAL for a child killed by a signal), or "error <message>".
 * Build: cc -O2 -o bench-spawn scripts/bench-spawn.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static volatile pid_t child = 0;

static void on_alarm(int sig) {
    (void)sig;
    if (child > 0) kill(child, SIGKILL);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: bench-spawn STDOUT_FILE STDERR_FILE\n");
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);

    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    char **fields = NULL;
    size_t fcap = 0;
    while ((len = getline(&line, &cap, stdin)) > 0) {
        if (line[len - 1] == '\n') line[--len] = 0;
        size_t n = 0;
        for (char *p = line;;) {
            if (n + 2 > fcap) {
                fcap = fcap ? 2 * fcap : 64;
                fields = realloc(fields, fcap * sizeof *fields);
                if (!fields) return 3;
            }
            fields[n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = 0;
            p = tab + 1;
        }
        fields[n] = NULL;
        if (n < 5) {
            printf("error short request\n");
            fflush(stdout);
            continue;
        }
        int flags = O_WRONLY | O_CREAT | (fields[0][0] == 'a' ? O_APPEND : O_TRUNC);
        unsigned timeout = (unsigned)atoi(fields[1]);
        if (chdir(fields[2]) != 0) {
            printf("error chdir %s: %s\n", fields[2], strerror(errno));
            fflush(stdout);
            continue;
        }
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, argv[1], flags, 0644);
        posix_spawn_file_actions_addopen(&fa, 2, argv[2], flags, 0644);

        struct timespec t0, t1;
        pid_t pid;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = posix_spawn(&pid, fields[3], &fa, NULL, fields + 4, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) {
            printf("error spawn %s: %s\n", fields[3], strerror(rc));
            fflush(stdout);
            continue;
        }
        child = pid;
        if (timeout) alarm(timeout);
        int status;
        struct rusage ru;
        while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        alarm(0);
        child = 0;
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? -WTERMSIG(status) : -1000;
        long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
        printf("%d %lld %lld %lld %ld\n", code, ns,
               (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
               (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec, ru.ru_maxrss);
        fflush(stdout);
    }
    return 0;
}
