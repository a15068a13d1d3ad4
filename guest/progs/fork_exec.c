/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fork + exec + exit: the process-creation loop of a shell script.  Each
 * iteration forks (copying the address space copy-on-write), the child
 * execs this same binary (a whole new address space, page faults on
 * startup) and exits, and the parent waits.  Measures address-space
 * creation and teardown, i.e. TLB flushes and mapping churn.
 *
 * The child is this program itself ("fork_exec child N"), so the test
 * needs nothing else in the guest.
 *
 * Usage: fork_exec [-s SCALE | SCALE]
 * Check: every child ran (with the argument it was given) and exited with
 * the status derived from that argument.
 */
#include "common.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ITERATIONS_PER_SCALE 40

/* The status a child given index i must exit with. */
static int child_status(unsigned long i)
{
    return (int)(i * 7 + 3) % 251;
}

/* Our own executable, to exec it again. */
static void self_path(char *buf, size_t size, const char *argv0)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);

    if (n > 0) {
        buf[n] = '\0';
    } else if (strchr(argv0, '/')) {
        snprintf(buf, size, "%s", argv0);   /* no /proc in the guest */
    } else {
        die("cannot find own executable: mount /proc or run with a path");
    }
}

/* Fork, exec ourselves as a child, wait; returns 1 if all went right. */
static int spawn_one(const char *self, unsigned long i)
{
    char arg[32];
    int status;
    pid_t pid;

    snprintf(arg, sizeof(arg), "%lu", i);
    pid = fork();
    if (pid < 0) {
        die("fork: %s", strerror(errno));
    }
    if (pid == 0) {
        execl(self, self, "child", arg, (char *)NULL);
        _exit(255);                         /* exec failed */
    }
    if (waitpid(pid, &status, 0) != pid) {
        die("waitpid: %s", strerror(errno));
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == child_status(i);
}

int main(int argc, char **argv)
{
    char self[PATH_MAX];
    unsigned long scale, iterations;
    double t0, t1;
    int ok = 1;

    if (argc == 3 && strcmp(argv[1], "child") == 0) {
        return child_status(strtoul(argv[2], NULL, 10));
    }
    scale = parse_scale_only(argc, argv);
    iterations = ITERATIONS_PER_SCALE * scale;
    self_path(self, sizeof(self), argv[0]);

    t0 = now_seconds();
    for (unsigned long i = 0; i < iterations; i++) {
        ok &= spawn_one(self, i);
    }
    t1 = now_seconds();

    print_result("fork-exec", ok, t1 - t0, iterations, NULL);
    return exit_status(ok);
}
