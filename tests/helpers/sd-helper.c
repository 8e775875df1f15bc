/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A static helper put into test containers (busybox has no sd_notify(3) and cannot accept() on an
 * inherited socket):
 *   sd-helper notify MESSAGE   send MESSAGE (e.g. "READY=1\nSTATUS=up") to $NOTIFY_SOCKET
 *   sd-helper serve TEXT       sd_listen_fds(3): accept on fd 3 forever, answer each connection
 *                              with "TEXT LISTEN_FDS=N\n" and close it
 * Built by the systemd suite with `cc -static`. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int notify(const char *msg) {
        const char *e = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd;

        if (!e || strlen(e) >= sizeof sa.sun_path) {
                fprintf(stderr, "sd-helper: no usable $NOTIFY_SOCKET\n");
                return 1;
        }
        strcpy(sa.sun_path, e);
        if (e[0] == '@')
                sa.sun_path[0] = '\0';
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || sendto(fd, msg, strlen(msg), 0, (struct sockaddr *) &sa,
                             (socklen_t) (offsetof(struct sockaddr_un, sun_path) + strlen(e))) < 0) {
                fprintf(stderr, "sd-helper: failed to notify '%s': %s\n", e, strerror(errno));
                return 1;
        }
        return 0;
}

static int serve(const char *text) {
        const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
        char reply[512];

        if (!fds || !pid || atoi(pid) != getpid() || atoi(fds) < 1) {
                fprintf(stderr, "sd-helper: no listening fds (LISTEN_FDS=%s LISTEN_PID=%s, pid %d)\n",
                        fds ? fds : "", pid ? pid : "", (int) getpid());
                return 1;
        }
        snprintf(reply, sizeof reply, "%s LISTEN_FDS=%s\n", text, fds);
        for (;;) {
                int c = accept4(3, NULL, NULL, SOCK_CLOEXEC);

                if (c < 0) {
                        if (errno == EINTR)
                                continue;
                        fprintf(stderr, "sd-helper: accept: %s\n", strerror(errno));
                        return 1;
                }
                (void) !write(c, reply, strlen(reply));
                close(c);
        }
}

int main(int argc, char **argv) {
        if (argc == 3 && strcmp(argv[1], "notify") == 0)
                return notify(argv[2]);
        if (argc == 3 && strcmp(argv[1], "serve") == 0)
                return serve(argv[2]);
        fprintf(stderr, "usage: sd-helper notify MESSAGE | serve TEXT\n");
        return 2;
}
