/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "fd-util.h"
#include "socket-util.h"

/* Enough room for one fd, and for a few extra fds a misbehaving peer might send (we close those). */
#define RECV_FDS_MAX 16

int send_fd(int sock, int fd, const char *name) {
        union {
                struct cmsghdr cmsghdr;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        char nul = 0;
        struct iovec iov;
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = &control,
                .msg_controllen = sizeof(control),
        };
        struct cmsghdr *cmsg;
        ssize_t n;

        assert(sock >= 0);
        assert(fd >= 0);

        if (name && name[0] != 0)
                iov = (struct iovec) { .iov_base = (char *) name, .iov_len = strlen(name) };
        else
                iov = (struct iovec) { .iov_base = &nul, .iov_len = 1 };

        cmsg = CMSG_FIRSTHDR(&mh);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));

        do
                n = sendmsg(sock, &mh, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        /* The fd travels with the first byte; a short write of the name is still a delivered fd. */
        return 0;
}

int recv_fd(int sock, int *ret_fd, char *name, size_t name_size) {
        union {
                struct cmsghdr cmsghdr;
                char buf[CMSG_SPACE(sizeof(int) * RECV_FDS_MAX)];
        } control = {};
        char data[4096];
        struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = &control,
                .msg_controllen = sizeof(control),
        };
        int fd = -EBADF;
        ssize_t n;

        assert(sock >= 0);
        assert(ret_fd);

        do
                n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;

        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                size_t nfds;
                int *fds;

                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                fds = (int *) (void *) CMSG_DATA(c);
                for (size_t i = 0; i < nfds; i++) {
                        int f;

                        memcpy(&f, fds + i, sizeof(int));
                        if (fd < 0)
                                fd = f;
                        else
                                safe_close(f);
                }
        }

        /* With MSG_CTRUNC some fds did not fit and the kernel closed them: the first one is still good. */
        if (fd < 0)
                return n == 0 ? -ECONNRESET : -EBADMSG;

        if (name && name_size > 0) {
                size_t l = (size_t) n < name_size - 1 ? (size_t) n : name_size - 1;

                memcpy(name, data, l);
                name[l] = 0;
        }
        *ret_fd = fd;
        return 0;
}

int sockaddr_un_at(int dir_fd, const char *name, struct sockaddr_un *ret) {
        int n;

        *ret = (struct sockaddr_un) { .sun_family = AF_UNIX };
        n = snprintf(ret->sun_path, sizeof ret->sun_path, "/proc/self/fd/%d/%s", dir_fd, name);
        if (n < 0 || (size_t) n >= sizeof ret->sun_path)
                return -ENAMETOOLONG;
        return 0;
}
