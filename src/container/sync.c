/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "log.h"
#include "sync.h"

int sync_send(int fd, SyncType type, int error, const char *text) {
        char buf[sizeof(SyncMsg) + SYNC_TEXT_MAX];
        SyncMsg *m = (SyncMsg *) buf;
        size_t l = text ? strnlen(text, SYNC_TEXT_MAX - 1) : 0;

        m->type = (uint32_t) type;
        m->error = error;
        m->len = (uint32_t) l;
        if (l > 0)
                memcpy(m->text, text, l);
        for (;;) {
                if (send(fd, buf, sizeof(SyncMsg) + l, MSG_NOSIGNAL) >= 0)
                        return 0;
                if (errno != EINTR)
                        return -errno;
        }
}

int sync_send_fd(int fd, SyncType type, int passfd) {
        SyncMsg m = { .type = (uint32_t) type };
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct iovec iov = { .iov_base = &m, .iov_len = sizeof m };
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = &control,
                .msg_controllen = sizeof control,
        };
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &passfd, sizeof(int));
        for (;;) {
                if (sendmsg(fd, &mh, MSG_NOSIGNAL) >= 0)
                        return 0;
                if (errno != EINTR)
                        return -errno;
        }
}

int sync_recv(int fd, SyncType *ret_type, int *ret_error, char *text, size_t text_size, int *ret_fd) {
        char buf[sizeof(SyncMsg) + SYNC_TEXT_MAX];
        SyncMsg *m = (SyncMsg *) buf;
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int) * 4)];
        } control = {};
        struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = &control,
                .msg_controllen = sizeof control,
        };
        int got = -EBADF;
        ssize_t n;
        size_t l;

        if (ret_fd)
                *ret_fd = -EBADF;
        for (;;) {
                n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
                if (n >= 0)
                        break;
                if (errno != EINTR)
                        return -errno;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
                        int f;

                        memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                        if (got < 0 && ret_fd)
                                got = f;
                        else
                                (void) close(f);
                }
        }
        if (n == 0) {
                if (got >= 0)
                        (void) close(got);
                return -EPIPE;
        }
        if ((size_t) n < sizeof(SyncMsg) || m->len != (size_t) n - sizeof(SyncMsg)) {
                if (got >= 0)
                        (void) close(got);
                return -EBADMSG;
        }
        l = m->len < text_size ? m->len : text_size - 1;
        memcpy(text, m->text, l);
        text[l] = 0;
        *ret_type = (SyncType) m->type;
        *ret_error = m->error;
        if (ret_fd)
                *ret_fd = got;
        return 0;
}

int sync_relay_log(SyncType t, int error, const char *text) {
        switch (t) {
        case SYNC_ERROR:
                return log_error_errno(SYNTHETIC_ERRNO(error > 0 ? error : EIO), "%s", text);
        case SYNC_WARNING:
                log_warning("%s", text);
                return 1;
        case SYNC_DEBUG:
                log_debug("%s", text);
                return 1;
        case SYNC_USERMAP_REQUEST:
        case SYNC_USERMAP_DONE:
        case SYNC_PID:
        case SYNC_READY:
        case SYNC_PTY_MASTER:
        case SYNC_START:
        case SYNC_HOOKS_CREATE_RUNTIME:
        case SYNC_HOOKS_DONE:
        case SYNC_HANDOVER:
        case SYNC_EXEC:
        case SYNC_CGROUP_READY:
        default:
                return 0;
        }
}

static void sync_forward(int level, int error, const char *message, void *userdata) {
        int fd = (int) (intptr_t) userdata;
        SyncType t = level <= LOG_ERR ? SYNC_ERROR : level <= LOG_WARNING ? SYNC_WARNING : SYNC_DEBUG;

        (void) sync_send(fd, t, error, message);
}

void sync_log_to(int fd) {
        log_set_forward(sync_forward, (void *) (intptr_t) fd);
}
