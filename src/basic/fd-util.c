/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "fd-util.h"

int safe_close(int fd) {
        if (fd >= 0) {
                int saved = errno;
                (void) close(fd);
                errno = saved;
        }
        return -EBADF;
}

int loop_write(int fd, const void *buf, size_t len) {
        const char *p = buf;

        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t) n;
        }
        return 0;
}

/* Returns the number of bytes read (short only at EOF). */
int loop_read(int fd, void *buf, size_t len) {
        char *p = buf;
        size_t done = 0;

        while (done < len) {
                ssize_t n = read(fd, p + done, len - done);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                done += (size_t) n;
        }
        return (int) done;
}

int opendir_at(int dir_fd, const char *path, DIR **ret) {
        _cleanup_close_ int fd = -EBADF;
        DIR *d;

        fd = openat(dir_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d)
                return -errno;
        TAKE_FD(fd);
        *ret = d;
        return 0;
}

int read_full_file_at(int dir_fd, const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;

        /* O_NONBLOCK: don't hang on a FIFO before fstat() can refuse it. */
        fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        return read_full_fd(fd, max, ret, ret_size);
}

/* Read to EOF, at most max bytes. hint: the expected size (st_size), only a hint: 0 for /proc
 * files and pipes, and a file may change under us. Grows as needed, up to max + 1 bytes, one more
 * than allowed, to notice input that is too large. regular: fd is a regular file, where read()
 * returns less than asked for only at end of file: a short read that brought exactly st_size bytes
 * is the end, without one more read() to see 0 (what a concurrent writer adds later is not ours to
 * see either way). */
static int read_all(int fd, size_t hint, bool regular, size_t max, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, alloc;

        alloc = (hint < max ? hint : max) + 2;
        buf = malloc(alloc);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                size_t want;
                ssize_t n;

                if (size + 1 >= alloc) {
                        size_t na = alloc < (max + 2) / 2 ? alloc * 2 : max + 2;
                        char *nb;

                        if (alloc >= max + 2)
                                return -EFBIG;
                        nb = realloc(buf, na);
                        if (!nb)
                                return -ENOMEM;
                        buf = nb;
                        alloc = na;
                }
                want = alloc - 1 - size;
                n = read(fd, buf + size, want);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                size += (size_t) n;
                if (size > max)
                        return -EFBIG;
                if (regular && hint > 0 && size == hint && (size_t) n < want)
                        break;
        }
        buf[size] = 0;
        if (ret_size)
                *ret_size = size;
        *ret = TAKE_PTR(buf);
        return 0;
}

int read_full_fd(int fd, size_t max, char **ret, size_t *ret_size) {
        struct stat st;

        assert(fd >= 0);
        assert(ret);

        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if ((uint64_t) st.st_size > max)
                return -EFBIG;
        return read_all(fd, (size_t) st.st_size, /* regular= */ true, max, ret, ret_size);
}

int read_full_stream(int fd, size_t max, char **ret, size_t *ret_size) {
        struct stat st;

        assert(fd >= 0);
        assert(ret);

        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISREG(st.st_mode))
                return read_full_fd(fd, max, ret, ret_size);
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode) && !S_ISCHR(st.st_mode))
                return -EBADFD;
        return read_all(fd, 0, /* regular= */ false, max, ret, ret_size);
}

int write_file_atomic_at(int dir_fd, const char *path, const void *data, size_t len, mode_t mode) {
        _cleanup_close_ int fd = -EBADF;
        char tmp[PATH_MAX];
        int r;

        struct timespec ts;

        /* pid plus a clock reading: a temp file a crashed writer left behind cannot block us. */
        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        r = snprintf(tmp, sizeof tmp, "%s.tmp.%d.%lx", path, (int) getpid(), (unsigned long) ts.tv_nsec);
        if (r < 0 || (size_t) r >= sizeof tmp)
                return -ENAMETOOLONG;

        fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0)
                return -errno;
        r = loop_write(fd, data, len);
        if (r >= 0 && fchmod(fd, mode) < 0)
                r = -errno;
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r >= 0 && renameat(dir_fd, tmp, dir_fd, path) < 0)
                r = -errno;
        if (r < 0)
                (void) unlinkat(dir_fd, tmp, 0);
        return r;
}

int write_string_file_at(int dir_fd, const char *path, const char *s) {
        _cleanup_close_ int fd = -EBADF;

        fd = openat(dir_fd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        return loop_write(fd, s, strlen(s));
}
