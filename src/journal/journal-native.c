/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fd-util.h"
#include "journal-native.h"

#define JOURNAL_NATIVE_SNDBUF (8 * 1024 * 1024)

int journal_native_open(void) {
        int fd, sz = JOURNAL_NATIVE_SNDBUF;

        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        /* SO_SNDBUFFORCE where we may (root under a unit), else what the sysctl cap allows. */
        if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof sz) < 0)
                (void) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
        return fd;
}

/* journald's field names: A-Z, 0-9 and '_', not starting with a digit (a leading '_' is for
 * journald's trusted fields, and it drops those from clients). */
static bool field_name_valid(const char *p, size_t n) {
        if (n == 0 || n > 64 || (p[0] >= '0' && p[0] <= '9') || p[0] == '_')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
                        return false;
        return true;
}

static int send_memfd(int fd, const struct sockaddr_un *sa, socklen_t salen, const struct iovec *w,
                      size_t n) {
        _cleanup_close_ int mfd = -EBADF;
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct msghdr mh = {
                .msg_name = (void *) sa,
                .msg_namelen = salen,
                .msg_control = &control,
                .msg_controllen = sizeof control,
        };
        struct cmsghdr *c;
        ssize_t k;

        /* journald takes such an fd only if it is sealed (it maps it and must know it won't change
         * under it); the datagram itself is empty. */
        mfd = memfd_create("journal-entry", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (mfd < 0)
                return -errno;
        for (size_t i = 0, done = 0; i < n; done = 0, i++)
                while (done < w[i].iov_len) {
                        k = write(mfd, (const char *) w[i].iov_base + done, w[i].iov_len - done);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0)
                                return -errno;
                        done += (size_t) k;
                }
        if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
                return -errno;
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &mfd, sizeof(int));
        while (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
                if (errno != EINTR)
                        return errno == ENOENT ? 0 : -errno;
        return 0;
}

int journal_native_send(int fd, const char *path, const struct iovec *fields, size_t n) {
        /* Per field at most: name, "\n", length, value, "\n". */
        struct iovec w[JOURNAL_NATIVE_FIELDS_MAX * 4];
        uint64_t len[JOURNAL_NATIVE_FIELDS_MAX];
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        socklen_t salen;
        struct msghdr mh;
        size_t j = 0;

        if (n == 0 || n > JOURNAL_NATIVE_FIELDS_MAX || strlen(path) >= sizeof sa.sun_path)
                return -EINVAL;
        memcpy(sa.sun_path, path, strlen(path));
        salen = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + strlen(path));
        for (size_t i = 0; i < n; i++) {
                const char *p = fields[i].iov_base, *eq = p ? memchr(p, '=', fields[i].iov_len) : NULL;
                size_t name;

                if (!eq || !field_name_valid(p, (size_t) (eq - p)))
                        return -EINVAL;
                name = (size_t) (eq - p);
                if (memchr(eq + 1, '\n', fields[i].iov_len - name - 1)) {
                        /* A newline would end the value early: the length-prefixed form. */
                        len[i] = htole64((uint64_t) (fields[i].iov_len - name - 1));
                        w[j++] = (struct iovec){.iov_base = (void *) p, .iov_len = name};
                        w[j++] = (struct iovec){.iov_base = (void *) "\n", .iov_len = 1};
                        w[j++] = (struct iovec){.iov_base = &len[i], .iov_len = sizeof len[i]};
                        w[j++] = (struct iovec){.iov_base = (void *) (eq + 1),
                                                .iov_len = fields[i].iov_len - name - 1};
                } else
                        w[j++] = fields[i];
                w[j++] = (struct iovec){.iov_base = (void *) "\n", .iov_len = 1};
        }
        mh = (struct msghdr){.msg_name = &sa, .msg_namelen = salen, .msg_iov = w, .msg_iovlen = j};
        while (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0) {
                if (errno == EINTR)
                        continue;
                if (errno == ENOENT) /* no journald: nothing to do, as libsystemd */
                        return 0;
                if (errno == EMSGSIZE || errno == ENOBUFS || errno == EAGAIN)
                        return send_memfd(fd, &sa, salen, w, j);
                return -errno;
        }
        return 0;
}
