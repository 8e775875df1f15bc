/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "fd-util.h"
#include "fs-util.h"
#include "path-util.h"

int open_in_root(int root_fd, const char *path, int flags, uint64_t extra_resolve, int *ret_fd) {
        struct open_how how = {
                .flags = (uint64_t) (flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra_resolve,
        };
        int fd = -EBADF;

        assert(path);
        assert(ret_fd);

        if (flags & O_CREAT)
                how.mode = 0644;
        while (*path == '/')
                path++;
        /* A scoped lookup that crosses ".." fails with EAGAIN when any rename or mount anywhere on
         * the system raced with it (the kernel cannot tell whether ".." left the root then). That
         * is not our error: try again, a bounded number of times. */
        for (unsigned i = 0; i < OPENAT2_EAGAIN_TRIES; i++) {
                fd = (int) syscall(SYS_openat2, root_fd, *path ? path : ".", &how, sizeof how);
                if (fd >= 0 || errno != EAGAIN)
                        break;
        }
        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

int read_full_file_in_root(int root_fd, const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        /* O_NONBLOCK: a FIFO opens at once and read_full_fd() refuses it; O_NOCTTY: a tty the
         * image links there does not become our controlling terminal. */
        r = open_in_root(root_fd, path, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0, &fd);
        if (r < 0)
                return r;
        return read_full_fd(fd, max, ret, ret_size);
}

static int mkdir_p_in_root_depth(int root_fd, const char *path, bool last_is_file, unsigned depth, int *ret_fd);

/* A component that exists as a symlink to something missing: make the target, inside the root,
 * the way runc (filepath-securejoin) does. prefix is the directory the link is in. */
static int follow_dangling(int root_fd, int parent, const char *prefix, const char *name, bool is_file,
                           unsigned depth) {
        _cleanup_free_ char *full = NULL;
        _cleanup_close_ int fd = -EBADF;
        char buf[PATH_MAX];
        ssize_t n;

        if (depth >= 40)
                return -ELOOP;
        n = readlinkat(parent, name, buf, sizeof buf - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        full = buf[0] == '/' ? strdup(buf) : path_join(*prefix ? prefix : "/", buf);
        if (!full)
                return -ENOMEM;
        return mkdir_p_in_root_depth(root_fd, full, is_file, depth + 1, &fd);
}

int mkdir_p_in_root(int root_fd, const char *path, bool last_is_file, int *ret_fd) {
        return mkdir_p_in_root_depth(root_fd, path, last_is_file, 0, ret_fd);
}

static int mkdir_p_in_root_depth(int root_fd, const char *path, bool last_is_file, unsigned depth, int *ret_fd) {
        _cleanup_free_ char *p = strdup(path);
        _cleanup_close_ int parent = -EBADF;
        size_t len;
        int r;

        if (!p)
                return -ENOMEM;
        r = open_in_root(root_fd, p, O_PATH, 0, ret_fd);
        if (r != -ENOENT)
                return r;

        parent = root_fd == AT_FDCWD ? open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)
                                     : fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
        if (parent < 0)
                return -errno;
        len = strlen(p);
        /* One component at a time; every prefix is resolved again from the root, so a symlink
         * anywhere is resolved inside the container root and never leaves it. */
        for (size_t i = 0; i < len;) {
                _cleanup_close_ int cur = -EBADF;
                size_t start, end;
                bool last;
                char saved;

                while (i < len && p[i] == '/')
                        i++;
                if (i >= len)
                        break;
                start = i;
                while (i < len && p[i] != '/')
                        i++;
                end = i;
                last = p[end + strspn(p + end, "/")] == 0;
                saved = p[end];
                p[end] = 0;
                r = open_in_root(root_fd, p, O_PATH, 0, &cur);
                if (r == -ENOENT) {
                        const char *name = p + start;

                        if (last && last_is_file) {
                                int fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
                                                0644);
                                if (fd < 0 && errno != EEXIST)
                                        return -errno;
                                safe_close(fd);
                        } else if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
                                return -errno;
                        r = open_in_root(root_fd, p, O_PATH, 0, &cur);
                        if (r == -ENOENT) {
                                /* Still missing: the name is a symlink to something that is not
                                 * there yet. Create its target (inside the root) and retry. */
                                _cleanup_free_ char *prefix = strndup(p, start);

                                if (!prefix)
                                        return -ENOMEM;
                                r = follow_dangling(root_fd, parent, prefix, name, last && last_is_file, depth);
                                if (r >= 0)
                                        r = open_in_root(root_fd, p, O_PATH, 0, &cur);
                        }
                }
                p[end] = saved;
                if (r < 0)
                        return r;
                safe_close(parent);
                parent = TAKE_FD(cur);
        }
        *ret_fd = TAKE_FD(parent);
        return 0;
}

const char *fd_path(int fd, char buf[static 32]) {
        snprintf(buf, 32, "/proc/self/fd/%d", fd);
        return buf;
}

int open_parent(const char *path, int *ret_dir_fd, char **ret_name) {
        _cleanup_free_ char *dir = NULL, *name = NULL;
        int fd, r;

        r = path_extract_directory(path, &dir);
        if (r < 0)
                return r;
        r = path_extract_filename(path, &name);
        if (r < 0)
                return r;
        fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        *ret_dir_fd = fd;
        *ret_name = TAKE_PTR(name);
        return 0;
}
