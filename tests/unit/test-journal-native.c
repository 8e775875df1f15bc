/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* journald's native protocol as the relay writes it (src/journal/journal-native.c), read back from
 * a datagram socket standing in for /run/systemd/journal/socket. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "fd-util.h"
#include "journal-native.h"
#include "tests.h"

#define IOV(s) ((struct iovec){.iov_base = (void *) (s), .iov_len = sizeof(s) - 1})

typedef struct Sink {
        char dir[64], path[128];
        int fd;
} Sink;

static int sink_open(Sink *s) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};

        strcpy(s->dir, "/tmp/test-journal-native.XXXXXX");
        if (!mkdtemp(s->dir))
                return -errno;
        snprintf(s->path, sizeof s->path, "%s/socket", s->dir);
        strcpy(sa.sun_path, s->path);
        s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s->fd < 0 || bind(s->fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                return -errno;
        return 0;
}

static void sink_close(Sink *s) {
        s->fd = safe_close(s->fd);
        (void) unlink(s->path);
        (void) rmdir(s->dir);
}

/* One datagram: its payload, and the fd it carried (-EBADF if none). */
static ssize_t sink_recv(Sink *s, char *buf, size_t size, int *ret_fd) {
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct iovec iov = {.iov_base = buf, .iov_len = size};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                            .msg_controllen = sizeof control};
        struct cmsghdr *c;
        ssize_t n;

        *ret_fd = -EBADF;
        n = recvmsg(s->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        c = n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL;
        if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
                memcpy(ret_fd, CMSG_DATA(c), sizeof(int));
        return n;
}

static void test_plain_and_binary(void) {
        static const char want[] = "MESSAGE=hello\nPRIORITY=6\nBLOB\n\x05\0\0\0\0\0\0\0a\nb\0c\nE=\n";
        struct iovec f[] = {IOV("MESSAGE=hello"), IOV("PRIORITY=6"), IOV("BLOB=a\nb\0c"), IOV("E=")};
        _cleanup_close_ int fd = journal_native_open(), passed = -EBADF;
        Sink s;
        char buf[256];

        ASSERT_OK(fd);
        ASSERT_OK(sink_open(&s));
        ASSERT_EQ(journal_native_send(fd, s.path, f, ELEMENTSOF(f)), 0);
        ASSERT_EQ(sink_recv(&s, buf, sizeof buf, &passed), (ssize_t) sizeof want - 1);
        ASSERT_TRUE(memcmp(buf, want, sizeof want - 1) == 0);
        ASSERT_EQ(passed, -EBADF);
        sink_close(&s);
}

static void test_invalid(void) {
        _cleanup_close_ int fd = journal_native_open();
        struct iovec f[JOURNAL_NATIVE_FIELDS_MAX + 1];

        ASSERT_EQ(journal_native_send(fd, "/nonexistent", &IOV("NOEQUALS"), 1), -EINVAL);
        ASSERT_EQ(journal_native_send(fd, "/nonexistent", &IOV("=x"), 1), -EINVAL);
        ASSERT_EQ(journal_native_send(fd, "/nonexistent", &IOV("lower=x"), 1), -EINVAL);
        ASSERT_EQ(journal_native_send(fd, "/nonexistent", &IOV("_TRUSTED=x"), 1), -EINVAL);
        ASSERT_EQ(journal_native_send(fd, "/nonexistent", &IOV("A\nB=x"), 1), -EINVAL);
        for (size_t i = 0; i < ELEMENTSOF(f); i++)
                f[i] = IOV("A=x");
        ASSERT_EQ(journal_native_send(fd, "/nonexistent", f, ELEMENTSOF(f)), -EINVAL);
        /* No journald there: nothing sent, no error (as sd_journal_sendv()). */
        ASSERT_EQ(journal_native_send(fd, "/nonexistent/socket", f, 1), 0);
}

/* Larger than the socket's send buffer allows (EMSGSIZE): the entry goes in a sealed memfd. */
static void test_memfd(void) {
        _cleanup_close_ int fd = journal_native_open(), passed = -EBADF;
        static char msg[sizeof "MESSAGE=" - 1 + 65536], got[sizeof msg + 16];
        struct iovec f[] = {{.iov_base = msg, .iov_len = sizeof msg}, IOV("PRIORITY=3")};
        int small = 4096, seals;
        Sink s;
        char buf[16];

        memcpy(msg, "MESSAGE=", 8);
        for (size_t i = 8; i < sizeof msg; i++)
                msg[i] = (char) ('a' + i % 26);
        ASSERT_OK(sink_open(&s));
        ASSERT_OK(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small));
        ASSERT_EQ(journal_native_send(fd, s.path, f, ELEMENTSOF(f)), 0);
        ASSERT_EQ(sink_recv(&s, buf, sizeof buf, &passed), 0);
        ASSERT_OK(passed);
        seals = fcntl(passed, F_GET_SEALS);
        ASSERT_EQ(seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE),
                  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
        ASSERT_EQ(pread(passed, got, sizeof got, 0), (ssize_t) sizeof msg + 1 + 11);
        ASSERT_TRUE(memcmp(got, msg, sizeof msg) == 0);
        ASSERT_TRUE(memcmp(got + sizeof msg, "\nPRIORITY=3\n", 12) == 0);
        sink_close(&s);
}

int main(void) {
        test_plain_and_binary();
        test_invalid();
        test_memfd();
        return tests_done();
}
