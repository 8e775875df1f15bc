/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Run inside test containers (linked statically, the busybox rootfs has no libc):
 *   sysprobe [-t] NR [ARG...]
 * makes syscall NR with the numeric ARGs (strtoull base 0) and prints "ret=R errno=NAME" (errno=0 on
 * success). -t catches SIGSYS (seccomp's SCMP_ACT_TRAP) and prints "trapped syscall=N" instead. */

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
        char buf[64];
        int n;

        (void) sig;
        (void) ctx;
        n = snprintf(buf, sizeof buf, "trapped syscall=%d\n", si->si_syscall);
        (void) !write(STDOUT_FILENO, buf, (size_t) n);
        _exit(0);
}

int main(int argc, char **argv) {
        unsigned long long a[6] = { 0 };
        int i = 1, nr;
        long r;

        if (i < argc && strcmp(argv[i], "-t") == 0) {
                struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };

                sigaction(SIGSYS, &sa, NULL);
                i++;
        }
        if (i >= argc) {
                fprintf(stderr, "usage: sysprobe [-t] NR [ARG...]\n");
                return 2;
        }
        nr = (int) strtol(argv[i++], NULL, 0);
        for (int k = 0; k < 6 && i < argc; k++, i++)
                a[k] = strtoull(argv[i], NULL, 0);
        errno = 0;
        r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        printf("ret=%ld errno=%s\n", r, r < 0 ? strerrorname_np(errno) : "0");
        return 0;
}
