/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A minimal seccomp agent for the tests (runtime-spec config-linux.md, listenerPath):
 *   seccomp-agent SOCKET STATE-DIR
 * listens on the unix socket SOCKET; each connection brings one container process state (JSON) with
 * the listener fd in SCM_RIGHTS. The JSON is written to STATE-DIR/state.N. Every notification is
 * answered with success (return value 0, the syscall is not run), and "syscall=NR pid=PID" appended to
 * STATE-DIR/log. Exits on SIGTERM, or after 60 s. */

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 16

static int receive(int conn, const char *dir, unsigned n) {
        char data[65536], path[4096];
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } control;
        struct iovec iov = { .iov_base = data, .iov_len = sizeof data - 1 };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                             .msg_controllen = sizeof control };
        struct cmsghdr *c;
        ssize_t k;
        FILE *f;
        int fd;

        k = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
        if (k <= 0)
                return -1;
        data[k] = 0;
        c = CMSG_FIRSTHDR(&mh);
        if (!c || c->cmsg_type != SCM_RIGHTS)
                return -1;
        memcpy(&fd, CMSG_DATA(c), sizeof fd);
        snprintf(path, sizeof path, "%s/state.%u", dir, n);
        f = fopen(path, "we");
        if (f) {
                fputs(data, f);
                fclose(f);
        }
        return fd;
}

static void answer(int fd, const char *dir) {
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        char path[4096];
        FILE *f;

        memset(&req, 0, sizeof req);
        if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
                return;
        snprintf(path, sizeof path, "%s/log", dir);
        f = fopen(path, "ae");
        if (f) {
                fprintf(f, "syscall=%d pid=%u\n", req.data.nr, req.pid);
                fclose(f);
        }
        resp = (struct seccomp_notif_resp) { .id = req.id, .val = 0, .error = 0 };
        (void) ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int main(int argc, char **argv) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        struct pollfd p[1 + MAX_FDS];
        unsigned nfds = 1, received = 0;
        time_t end = time(NULL) + 60;
        int ls;

        if (argc != 3 || strlen(argv[1]) >= sizeof sa.sun_path) {
                fprintf(stderr, "usage: seccomp-agent SOCKET STATE-DIR\n");
                return 2;
        }
        strcpy(sa.sun_path, argv[1]);
        ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (ls < 0 || bind(ls, (struct sockaddr *) &sa, sizeof sa) < 0 || listen(ls, 16) < 0) {
                perror("seccomp-agent: listen");
                return 1;
        }
        p[0] = (struct pollfd) { .fd = ls, .events = POLLIN };
        while (time(NULL) < end) {
                if (poll(p, nfds, 1000) <= 0)
                        continue;
                if ((p[0].revents & POLLIN) && nfds < 1 + MAX_FDS) {
                        int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC), fd;

                        if (conn >= 0) {
                                fd = receive(conn, argv[2], received++);
                                close(conn);
                                if (fd >= 0)
                                        p[nfds++] = (struct pollfd) { .fd = fd, .events = POLLIN };
                        }
                }
                for (unsigned i = 1; i < nfds; i++) {
                        if (p[i].revents & POLLIN)
                                answer(p[i].fd, argv[2]);
                        else if (p[i].revents & (POLLHUP | POLLERR | POLLNVAL)) {
                                /* Every process of that filter is gone. */
                                close(p[i].fd);
                                p[i--] = p[--nfds];
                        }
                }
        }
        return 0;
}
