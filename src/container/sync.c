/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
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

int sync_recv(int fd, SyncType *ret_type, int *ret_error, char *text, size_t text_size) {
        char buf[sizeof(SyncMsg) + SYNC_TEXT_MAX];
        SyncMsg *m = (SyncMsg *) buf;
        ssize_t n;
        size_t l;

        for (;;) {
                n = recv(fd, buf, sizeof buf, MSG_CMSG_CLOEXEC);
                if (n >= 0)
                        break;
                if (errno != EINTR)
                        return -errno;
        }
        if (n == 0)
                return -EPIPE;
        if ((size_t) n < sizeof(SyncMsg) || m->len != (size_t) n - sizeof(SyncMsg))
                return -EBADMSG;
        l = m->len < text_size ? m->len : text_size - 1;
        memcpy(text, m->text, l);
        text[l] = 0;
        *ret_type = (SyncType) m->type;
        *ret_error = m->error;
        return 0;
}

static void sync_forward(int level, int error, const char *message, void *userdata) {
        int fd = (int) (intptr_t) userdata;
        SyncType t = level <= LOG_ERR ? SYNC_ERROR : level <= LOG_WARNING ? SYNC_WARNING : SYNC_DEBUG;

        (void) sync_send(fd, t, error, message);
}

void sync_log_to(int fd) {
        log_set_forward(sync_forward, (void *) (intptr_t) fd);
}
