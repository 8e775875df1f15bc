/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "copy.h"
#include "fd-util.h"
#include "macro.h"

#define XATTR_BUF_MAX 65536U /* the kernel's XATTR_LIST_MAX and XATTR_SIZE_MAX */

/* Extended attributes "where possible": a target filesystem that does not take one (tmpfs and
 * trusted.*, security.* without the right) is not an error. */
static int copy_xattrs(int src, int dst) {
        _cleanup_free_ char *names = NULL, *value = NULL;
        ssize_t n;

        n = flistxattr(src, NULL, 0);
        if (n < 0)
                return errno == EOPNOTSUPP ? 0 : -errno;
        if (n == 0)
                return 0;
        names = malloc(XATTR_BUF_MAX);
        value = malloc(XATTR_BUF_MAX);
        if (!names || !value)
                return -ENOMEM;
        n = flistxattr(src, names, XATTR_BUF_MAX);
        if (n < 0)
                return -errno;
        for (char *k = names; k < names + n; k += strlen(k) + 1) {
                ssize_t l = fgetxattr(src, k, value, XATTR_BUF_MAX);

                if (l < 0)
                        continue; /* gone meanwhile, or not ours to read */
                if (fsetxattr(dst, k, value, (size_t) l, 0) < 0 &&
                    (errno == ENOSPC || errno == ENOMEM || errno == EDQUOT))
                        return -errno;
        }
        return 0;
}

/* Owner before mode (chown clears the set-id bits), times last. */
static int copy_fd_attrs(int dst, const struct stat *st) {
        struct timespec ts[2] = { st->st_atim, st->st_mtim };

        if (fchown(dst, st->st_uid, st->st_gid) < 0)
                return -errno;
        if (fchmod(dst, st->st_mode & 07777) < 0)
                return -errno;
        (void) futimens(dst, ts);
        return 0;
}

static int copy_data(int src, int dst) {
        char buf[65536];

        for (;;) {
                ssize_t n = copy_file_range(src, NULL, dst, NULL, SSIZE_MAX, 0);

                if (n == 0)
                        return 0;
                if (n < 0) {
                        if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
                                return -errno;
                        break;
                }
        }
        /* Another filesystem: plain reads and writes from where copy_file_range() stopped. */
        for (;;) {
                ssize_t n = read(src, buf, sizeof buf);
                int r;

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        return 0;
                r = loop_write(dst, buf, (size_t) n);
                if (r < 0)
                        return r;
        }
}

static int copy_regular(int src_dir, int dst_dir, const char *name, const struct stat *st) {
        _cleanup_close_ int src = -EBADF, dst = -EBADF;
        struct stat now;
        int r;

        /* O_NONBLOCK: if the entry was swapped for a FIFO since we looked, do not hang on it. */
        src = openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (src < 0)
                return -errno;
        if (fstat(src, &now) < 0)
                return -errno;
        if (!S_ISREG(now.st_mode) || now.st_ino != st->st_ino || now.st_dev != st->st_dev)
                return -ESTALE;
        dst = openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (dst < 0)
                return -errno;
        r = copy_data(src, dst);
        if (r < 0)
                return r;
        r = copy_fd_attrs(dst, &now);
        if (r < 0)
                return r;
        return copy_xattrs(src, dst);
}

static int copy_symlink(int src_dir, int dst_dir, const char *name, const struct stat *st) {
        struct timespec ts[2] = { st->st_atim, st->st_mtim };
        char target[PATH_MAX];
        ssize_t n;

        /* The link is copied as it is, never resolved. */
        n = readlinkat(src_dir, name, target, sizeof target);
        if (n < 0)
                return -errno;
        if ((size_t) n >= sizeof target)
                return -ENAMETOOLONG;
        target[n] = 0;
        if (symlinkat(target, dst_dir, name) < 0)
                return -errno;
        if (fchownat(dst_dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        (void) utimensat(dst_dir, name, ts, AT_SYMLINK_NOFOLLOW);
        return 0;
}

static int copy_node(int dst_dir, const char *name, const struct stat *st) {
        struct timespec ts[2] = { st->st_atim, st->st_mtim };

        if (mknodat(dst_dir, name, (st->st_mode & S_IFMT) | 0600, st->st_rdev) < 0)
                return -errno;
        /* dst_dir is a new tree nobody else can reach yet: the name is still our node. */
        if (fchownat(dst_dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        if (fchmodat(dst_dir, name, st->st_mode & 07777, 0) < 0)
                return -errno;
        (void) utimensat(dst_dir, name, ts, AT_SYMLINK_NOFOLLOW);
        return 0;
}

int copy_dir_attrs(int src_fd, int dst_fd) {
        struct stat st;
        int r;

        if (fstat(src_fd, &st) < 0)
                return -errno;
        r = copy_xattrs(src_fd, dst_fd);
        if (r < 0)
                return r;
        return copy_fd_attrs(dst_fd, &st);
}

static int copy_tree_depth(int src_fd, int dst_fd, unsigned depth);

static int copy_dir(int src_dir, int dst_dir, const char *name, unsigned depth) {
        _cleanup_close_ int src = -EBADF, dst = -EBADF;
        int r;

        if (depth >= COPY_DEPTH_MAX)
                return -ELOOP;
        src = openat(src_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (src < 0)
                return -errno;
        if (mkdirat(dst_dir, name, 0700) < 0)
                return -errno;
        dst = openat(dst_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dst < 0)
                return -errno;
        r = copy_tree_depth(src, dst, depth + 1);
        if (r < 0)
                return r;
        /* Mode and times last: a read-only directory is filled first, its mtime is the original's. */
        return copy_dir_attrs(src, dst);
}

static int copy_tree_depth(int src_fd, int dst_fd, unsigned depth) {
        _cleanup_(closedirp) DIR *d = NULL;
        int r;

        r = opendir_at(src_fd, ".", &d);
        if (r < 0)
                return r;
        for (;;) {
                struct dirent *de;
                struct stat st;

                errno = 0;
                de = readdir(d);
                if (!de)
                        return -errno;
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return -errno;
                switch (st.st_mode & S_IFMT) {
                case S_IFDIR:
                        r = copy_dir(dirfd(d), dst_fd, de->d_name, depth);
                        break;
                case S_IFREG:
                        r = copy_regular(dirfd(d), dst_fd, de->d_name, &st);
                        break;
                case S_IFLNK:
                        r = copy_symlink(dirfd(d), dst_fd, de->d_name, &st);
                        break;
                default:
                        r = copy_node(dst_fd, de->d_name, &st);
                }
                if (r < 0)
                        return r;
        }
}

int copy_tree_at(int src_fd, int dst_fd) {
        return copy_tree_depth(src_fd, dst_fd, 0);
}
