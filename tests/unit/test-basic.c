/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* src/basic: path-util, parse-util, strv, fd-util (atomic write, bounded read), fs-util (lookups
 * that must stay inside a root, in a mkdtemp() tree), dlopen-util (optional libraries). */

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlopen-libsystemd.h"
#include "fd-util.h"
#include "fs-util.h"
#include "mountinfo.h"
#include "parse-util.h"
#include "path-util.h"
#include "sha256.h"
#include "strv.h"
#include "unit-name.h"
#include "tests.h"

/* ---- path-util ---- */

static void check_join(const char *a, const char *b, const char *expected) {
        _cleanup_free_ char *j = path_join(a, b);

        printf("# path_join(\"%s\", \"%s\")\n", a, b);
        ASSERT_STREQ(j, expected);
}

static void check_normalize(const char *in, int ret, const char *expected) {
        _cleanup_free_ char *p = strdup(in);

        printf("# path_normalize_strict(\"%s\")\n", in);
        ASSERT_EQ(path_normalize_strict(p), ret);
        if (ret >= 0)
                ASSERT_STREQ(p, expected);
}

static void check_filename(const char *in, int ret, const char *expected) {
        _cleanup_free_ char *f = NULL;

        printf("# path_extract_filename(\"%s\")\n", strempty(in));
        ASSERT_EQ(path_extract_filename(in, &f), ret);
        if (ret >= 0)
                ASSERT_STREQ(f, expected);
}

static void check_directory(const char *in, int ret, const char *expected) {
        _cleanup_free_ char *d = NULL;

        printf("# path_extract_directory(\"%s\")\n", strempty(in));
        ASSERT_EQ(path_extract_directory(in, &d), ret);
        if (ret >= 0)
                ASSERT_STREQ(d, expected);
}

static void check_absolute(const char *in, const char *expected) {
        _cleanup_free_ char *a = NULL;

        printf("# path_make_absolute_cwd(\"%s\")\n", in);
        ASSERT_OK(path_make_absolute_cwd(in, &a));
        ASSERT_STREQ(a, expected);
}

static void test_path(const char *tmp) {
        char *saved = getcwd(NULL, 0);

        check_join("/a", "b", "/a/b");
        check_join("/a/", "/b", "/a/b");
        check_join("/a///", "///b/c", "/a/b/c");
        check_join("a", "b", "a/b");
        check_join("/", "x", "/x");
        check_join("/", "/", "/");
        check_join("/a", "", "/a/");

        check_normalize("/a//b/./c/", 0, "/a/b/c");
        check_normalize("///", 0, "/");
        check_normalize("/", 0, "/");
        check_normalize("/./.", 0, "/");
        check_normalize("a/./b", 0, "a/b");
        check_normalize("./a", 0, "a");
        check_normalize(".", 0, ".");
        check_normalize("./", 0, ".");
        check_normalize("/a/..b/c..", 0, "/a/..b/c..");
        check_normalize("/a/.../b", 0, "/a/.../b");
        check_normalize("/a/../b", -EINVAL, NULL);
        check_normalize("..", -EINVAL, NULL);
        check_normalize("/..", -EINVAL, NULL);
        check_normalize("a/..", -EINVAL, NULL);
        check_normalize("a/../", -EINVAL, NULL);
        check_normalize("", -EINVAL, NULL);
        ASSERT_EQ(path_normalize_strict(NULL), -EINVAL);

        check_filename("/a/b", 0, "b");
        check_filename("/a/b/", 0, "b");
        check_filename("/a/b//", 0, "b");
        check_filename("b", 0, "b");
        check_filename("a/b", 0, "b");
        check_filename("/x", 0, "x");
        check_filename("/", -EINVAL, NULL);
        check_filename("///", -EINVAL, NULL);
        check_filename("", -EINVAL, NULL);
        check_filename(NULL, -EINVAL, NULL);

        check_directory("/a/b", 0, "/a");
        check_directory("/a/b/", 0, "/a");
        check_directory("/a//b", 0, "/a");
        check_directory("/x", 0, "/");
        check_directory("//x", 0, "/");
        check_directory("/x/", 0, "/");
        check_directory("a/b", 0, "a");
        check_directory("a", 0, ".");
        check_directory("a/", 0, ".");
        check_directory("/", 0, "/");
        check_directory("", -EINVAL, NULL);
        check_directory(NULL, -EINVAL, NULL);

        check_absolute("/a/./b/../c", "/a/c");
        check_absolute("//a//b/", "/a/b");
        check_absolute("/..", "/");
        check_absolute("/a/../..", "/");
        check_absolute("/a/b/../../../c", "/c");
        check_absolute("/", "/");
        ASSERT_TRUE(chdir(tmp) == 0);
        {
                _cleanup_free_ char *cwd = getcwd(NULL, 0), *e = NULL;

                ASSERT_TRUE(cwd);
                if (cwd) {
                        check_absolute(".", cwd);
                        e = path_join(cwd, "x/z");
                        check_absolute("./x/y/../z/", e);
                        _cleanup_free_ char *parent = NULL;
                        ASSERT_OK(path_extract_directory(cwd, &parent));
                        check_absolute("x/./y/../../..", parent);
                }
        }
        ASSERT_TRUE(chdir("/") == 0);
        check_absolute(".", "/");
        check_absolute("..", "/");
        check_absolute("a", "/a");
        if (saved)
                ASSERT_TRUE(chdir(saved) == 0);
        free(saved);
}

/* ---- parse-util ---- */

static void test_parse(void) {
        uint64_t u64 = 7;
        uint32_t u32 = 7;
        int i = 7;

        ASSERT_OK(safe_atou64("0", &u64));
        ASSERT_TRUE(u64 == 0);
        ASSERT_OK(safe_atou64("18446744073709551615", &u64));
        ASSERT_TRUE(u64 == UINT64_MAX);
        ASSERT_EQ(safe_atou64("18446744073709551616", &u64), -ERANGE);
        ASSERT_EQ(safe_atou64("99999999999999999999999", &u64), -ERANGE);
        ASSERT_EQ(safe_atou64("-1", &u64), -EINVAL);
        ASSERT_EQ(safe_atou64("+1", &u64), -EINVAL);
        ASSERT_EQ(safe_atou64(" 1", &u64), -EINVAL);
        ASSERT_EQ(safe_atou64("1 ", &u64), -EINVAL);
        ASSERT_EQ(safe_atou64("12abc", &u64), -EINVAL);
        ASSERT_EQ(safe_atou64("0x10", &u64), -EINVAL);
        ASSERT_EQ(safe_atou64("", &u64), -EINVAL);
        ASSERT_EQ(safe_atou64(NULL, &u64), -EINVAL);
        ASSERT_TRUE(u64 == UINT64_MAX); /* untouched on failure */
        ASSERT_OK(safe_atou64("010", &u64));
        ASSERT_TRUE(u64 == 10); /* decimal, not octal */

        ASSERT_OK(safe_atou32("4294967295", &u32));
        ASSERT_TRUE(u32 == UINT32_MAX);
        ASSERT_EQ(safe_atou32("4294967296", &u32), -ERANGE);
        ASSERT_EQ(safe_atou32("18446744073709551616", &u32), -ERANGE);
        ASSERT_EQ(safe_atou32("-5", &u32), -EINVAL);
        ASSERT_EQ(safe_atou32("5x", &u32), -EINVAL);
        ASSERT_TRUE(u32 == UINT32_MAX);

        ASSERT_OK(safe_atoi("2147483647", &i));
        ASSERT_EQ(i, INT_MAX);
        ASSERT_OK(safe_atoi("-2147483648", &i));
        ASSERT_EQ(i, INT_MIN);
        ASSERT_OK(safe_atoi("-17", &i));
        ASSERT_EQ(i, -17);
        ASSERT_EQ(safe_atoi("2147483648", &i), -ERANGE);
        ASSERT_EQ(safe_atoi("-2147483649", &i), -ERANGE);
        ASSERT_EQ(safe_atoi("99999999999999999999", &i), -ERANGE);
        ASSERT_EQ(safe_atoi("", &i), -EINVAL);
        ASSERT_EQ(safe_atoi(" 1", &i), -EINVAL);
        ASSERT_EQ(safe_atoi("1 ", &i), -EINVAL);
        ASSERT_EQ(safe_atoi("-", &i), -EINVAL);
        ASSERT_EQ(safe_atoi("abc", &i), -EINVAL);
        ASSERT_EQ(safe_atoi("1.5", &i), -EINVAL);
        ASSERT_EQ(safe_atoi(NULL, &i), -EINVAL);
        ASSERT_EQ(i, -17);

        ASSERT_EQ(signal_from_string("TERM"), SIGTERM);
        ASSERT_EQ(signal_from_string("SIGTERM"), SIGTERM);
        ASSERT_EQ(signal_from_string("sigkill"), SIGKILL);
        ASSERT_EQ(signal_from_string("kill"), SIGKILL);
        ASSERT_EQ(signal_from_string("SigHup"), SIGHUP);
        ASSERT_EQ(signal_from_string("WINCH"), SIGWINCH);
        ASSERT_EQ(signal_from_string("USR1"), SIGUSR1);
        ASSERT_EQ(signal_from_string("9"), 9);
        ASSERT_EQ(signal_from_string("1"), 1);
        ASSERT_EQ(signal_from_string("64"), 64);
        ASSERT_EQ(signal_from_string("0"), -EINVAL);
        ASSERT_EQ(signal_from_string("65"), -EINVAL);
        ASSERT_EQ(signal_from_string("-9"), -EINVAL);
        ASSERT_EQ(signal_from_string("99999999999"), -EINVAL);
        ASSERT_EQ(signal_from_string("RTMIN"), SIGRTMIN);
        ASSERT_EQ(signal_from_string("RTMIN+1"), SIGRTMIN + 1);
        ASSERT_EQ(signal_from_string("SIGRTMIN+2"), SIGRTMIN + 2);
        ASSERT_EQ(signal_from_string("RTMAX"), SIGRTMAX);
        ASSERT_EQ(signal_from_string("RTMAX-1"), SIGRTMAX - 1);
        ASSERT_EQ(signal_from_string("RTMIN+0"), SIGRTMIN);
        ASSERT_EQ(signal_from_string("RTMIN+-1"), -EINVAL);
        ASSERT_EQ(signal_from_string("RTMIN+"), -EINVAL);
        ASSERT_EQ(signal_from_string("RTMIN+100"), -EINVAL);
        ASSERT_EQ(signal_from_string("RTMAX-100"), -EINVAL);
        ASSERT_EQ(signal_from_string("RTMINX"), -EINVAL);
        ASSERT_EQ(signal_from_string("FOO"), -EINVAL);
        ASSERT_EQ(signal_from_string("SIG"), -EINVAL);
        ASSERT_EQ(signal_from_string("SIGSIGTERM"), -EINVAL);
        ASSERT_EQ(signal_from_string("TERM "), -EINVAL);
        ASSERT_EQ(signal_from_string(""), -EINVAL);
        ASSERT_EQ(signal_from_string(NULL), -EINVAL);
}

/* ---- strv ---- */

static void test_strv(void) {
        _cleanup_strv_free_ char **l = NULL, **c = NULL, **e = NULL;
        char *env[] = { (char *) "A=1", (char *) "AB=2", (char *) "EMPTY=", (char *) "NOEQ", NULL };

        ASSERT_EQ(strv_length(NULL), 0);
        ASSERT_OK(strv_extend(&l, "one"));
        ASSERT_OK(strv_extend(&l, ""));
        ASSERT_OK(strv_consume(&l, strdup("three")));
        ASSERT_EQ(strv_length(l), 3);
        ASSERT_STREQ(l[0], "one");
        ASSERT_STREQ(l[1], "");
        ASSERT_STREQ(l[2], "three");
        ASSERT_TRUE(!l[3]);
        ASSERT_EQ(strv_consume(&l, NULL), -ENOMEM); /* a failed strdup() */
        ASSERT_EQ(strv_length(l), 3);
        ASSERT_TRUE(strv_contains(l, "three"));
        ASSERT_TRUE(strv_contains(l, ""));
        ASSERT_TRUE(!strv_contains(l, "thre"));
        ASSERT_TRUE(!strv_contains(NULL, "one"));

        c = strv_copy(l);
        ASSERT_EQ(strv_length(c), 3);
        ASSERT_TRUE(c && c[0] != l[0]);
        ASSERT_STREQ(c ? c[2] : NULL, "three");
        e = strv_copy(NULL);
        ASSERT_TRUE(e && !e[0]);

        ASSERT_STREQ(strv_env_get(env, "A"), "1");
        ASSERT_STREQ(strv_env_get(env, "AB"), "2");
        ASSERT_STREQ(strv_env_get(env, "EMPTY"), "");
        ASSERT_TRUE(!strv_env_get(env, "NOEQ"));
        ASSERT_TRUE(!strv_env_get(env, "B"));
        ASSERT_TRUE(!strv_env_get(NULL, "A"));

        /* strv_env_set(): every earlier KEY= goes, the new one is last; others stay in order. */
        {
                _cleanup_strv_free_ char **v = NULL;

                ASSERT_OK(strv_env_set(&v, "NOTIFY_SOCKET", "/a"));
                ASSERT_OK(strv_extend(&v, "PATH=/bin"));
                ASSERT_OK(strv_extend(&v, "NOTIFY_SOCKET=/b"));
                ASSERT_OK(strv_extend(&v, "NOTIFY_SOCKETX=keep"));
                ASSERT_OK(strv_env_set(&v, "NOTIFY_SOCKET", "/run/notify/notify.sock"));
                ASSERT_EQ(strv_length(v), 3);
                ASSERT_STREQ(v[0], "PATH=/bin");
                ASSERT_STREQ(v[1], "NOTIFY_SOCKETX=keep");
                ASSERT_STREQ(v[2], "NOTIFY_SOCKET=/run/notify/notify.sock");
        }

        ASSERT_TRUE(!strv_free(NULL));
}

/* ---- fd-util ---- */

static void test_fd(const char *tmp) {
        _cleanup_close_ int dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_free_ char *big = malloc(10000), *buf = NULL;
        size_t size = 0;
        struct stat st;

        ASSERT_TRUE(dfd >= 0 && big);
        if (dfd < 0 || !big)
                return;
        for (size_t k = 0; k < 10000; k++)
                big[k] = (char) ('a' + k % 26);

        ASSERT_OK(write_file_atomic_at(dfd, "f", "hello\0world", 11, 0640));
        ASSERT_TRUE(fstatat(dfd, "f", &st, 0) == 0);
        ASSERT_EQ(st.st_mode & 07777, 0640);
        ASSERT_OK(read_full_file_at(dfd, "f", 100, &buf, &size));
        ASSERT_EQ(size, 11);
        ASSERT_TRUE(buf && memcmp(buf, "hello\0world", 12) == 0); /* NUL-terminated */
        buf = mfree(buf);

        /* the limit is inclusive */
        ASSERT_OK(read_full_file_at(dfd, "f", 11, &buf, NULL));
        buf = mfree(buf);
        ASSERT_EQ(read_full_file_at(dfd, "f", 10, &buf, NULL), -EFBIG);
        ASSERT_TRUE(!buf);

        /* replace, larger than one read buffer */
        ASSERT_OK(write_file_atomic_at(dfd, "f", big, 10000, 0600));
        ASSERT_TRUE(fstatat(dfd, "f", &st, 0) == 0);
        ASSERT_EQ(st.st_mode & 07777, 0600);
        ASSERT_OK(read_full_file_at(dfd, "f", 10000, &buf, &size));
        ASSERT_EQ(size, 10000);
        ASSERT_TRUE(buf && memcmp(buf, big, 10000) == 0 && buf[10000] == 0);
        buf = mfree(buf);
        ASSERT_EQ(read_full_file_at(dfd, "f", 9999, &buf, NULL), -EFBIG);
        ASSERT_EQ(read_full_file_at(dfd, "f", 4095, &buf, NULL), -EFBIG);
        ASSERT_EQ(read_full_file_at(dfd, "f", 0, &buf, NULL), -EFBIG);
        ASSERT_OK(read_full_file_at(dfd, "f", SIZE_MAX / 2, &buf, NULL));
        buf = mfree(buf);

        /* a 4095-byte file: exactly the first buffer minus the NUL */
        ASSERT_OK(write_file_atomic_at(dfd, "g", big, 4095, 0600));
        ASSERT_OK(read_full_file_at(dfd, "g", 4095, &buf, &size));
        ASSERT_EQ(size, 4095);
        buf = mfree(buf);
        ASSERT_EQ(read_full_file_at(dfd, "g", 4094, &buf, NULL), -EFBIG);

        /* empty */
        ASSERT_OK(write_file_atomic_at(dfd, "empty", "", 0, 0600));
        ASSERT_OK(read_full_file_at(dfd, "empty", 0, &buf, &size));
        ASSERT_EQ(size, 0);
        ASSERT_STREQ(buf, "");
        buf = mfree(buf);

        ASSERT_EQ(read_full_file_at(dfd, "missing", 10, &buf, NULL), -ENOENT);
        ASSERT_EQ(write_file_atomic_at(dfd, "nodir/x", "a", 1, 0600), -ENOENT);

        /* the write does not follow a symlink at the destination: it replaces the link */
        ASSERT_TRUE(symlinkat("g", dfd, "link") == 0);
        ASSERT_OK(write_file_atomic_at(dfd, "link", "L", 1, 0600));
        ASSERT_TRUE(fstatat(dfd, "link", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode));
        ASSERT_TRUE(fstatat(dfd, "g", &st, 0) == 0 && st.st_size == 4095);

        /* no temporary files left behind */
        {
                char cmd[PATH_MAX + 64];
                snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s' | grep '\\.tmp')\"", tmp);
                ASSERT_EQ(system(cmd), 0);
        }

        ASSERT_EQ(safe_close(-1), -EBADF);
        {
                int fds[2];
                ASSERT_TRUE(pipe(fds) == 0);
                ASSERT_OK(loop_write(fds[1], "abc", 3));
                safe_close(fds[1]);
                char b[8] = {};
                ASSERT_EQ(loop_read(fds[0], b, sizeof b), 3); /* short only at EOF */
                ASSERT_STREQ(b, "abc");
                safe_close(fds[0]);
        }
}

/* ---- fs-util ---- */

static bool exists_at(int dir_fd, const char *p) {
        struct stat st;
        return fstatat(dir_fd, p, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static bool same_inode(int fd, int dir_fd, const char *p) {
        struct stat a, b;

        return fstat(fd, &a) == 0 && fstatat(dir_fd, p, &b, 0) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void test_fs(const char *tmp) {
        _cleanup_free_ char *root = NULL, *outside = NULL, *link_target = NULL;
        _cleanup_close_ int root_fd = -EBADF, tmp_fd = -EBADF;
        int fd = -EBADF, r;
        struct stat st;

        /* <tmp>/root: the "container root"; <tmp>/outside: a host directory next to it */
        root = path_join(tmp, "root");
        outside = path_join(tmp, "outside");
        ASSERT_TRUE(root && outside);
        ASSERT_TRUE(mkdir(root, 0755) == 0 && mkdir(outside, 0755) == 0);
        tmp_fd = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);
        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ASSERT_TRUE(tmp_fd >= 0 && root_fd >= 0);
        if (tmp_fd < 0 || root_fd < 0)
                return;
        ASSERT_TRUE(mkdirat(root_fd, "etc", 0755) == 0);
        ASSERT_TRUE(mknodat(root_fd, "etc/marker", S_IFREG | 0644, 0) == 0);
        ASSERT_TRUE(mknodat(tmp_fd, "outside/secret", S_IFREG | 0644, 0) == 0);
        ASSERT_TRUE(symlinkat("/etc", root_fd, "escape") == 0);
        ASSERT_TRUE(symlinkat("../../../../../../..", root_fd, "up") == 0);
        if (asprintf(&link_target, "%s/outside", tmp) < 0)
                abort();
        ASSERT_TRUE(symlinkat(link_target, root_fd, "abs-outside") == 0); /* absolute host path */
        ASSERT_TRUE(symlinkat("../outside", root_fd, "rel-outside") == 0);
        ASSERT_TRUE(symlinkat("/proc/self/root", root_fd, "magic") == 0);

        /* open_in_root: everything resolves inside root */
        ASSERT_OK(open_in_root(root_fd, "/etc/marker", O_RDONLY, 0, &fd));
        ASSERT_TRUE(same_inode(fd, root_fd, "etc/marker"));
        fd = safe_close(fd);
        ASSERT_OK(open_in_root(root_fd, "escape/marker", O_RDONLY, 0, &fd));
        ASSERT_TRUE(same_inode(fd, root_fd, "etc/marker"));
        fd = safe_close(fd);
        ASSERT_EQ(open_in_root(root_fd, "escape/passwd", O_RDONLY, 0, &fd), -ENOENT);
        ASSERT_EQ(open_in_root(root_fd, "../../etc/passwd", O_RDONLY, 0, &fd), -ENOENT);
        ASSERT_OK(open_in_root(root_fd, "../../etc/marker", O_RDONLY, 0, &fd));
        ASSERT_TRUE(same_inode(fd, root_fd, "etc/marker"));
        fd = safe_close(fd);
        ASSERT_OK(open_in_root(root_fd, "up/etc/marker", O_RDONLY, 0, &fd));
        ASSERT_TRUE(same_inode(fd, root_fd, "etc/marker"));
        fd = safe_close(fd);
        ASSERT_OK(open_in_root(root_fd, "..", O_PATH, 0, &fd));
        ASSERT_TRUE(same_inode(fd, tmp_fd, "root"));
        fd = safe_close(fd);
        ASSERT_OK(open_in_root(root_fd, "/", O_PATH, 0, &fd));
        ASSERT_TRUE(same_inode(fd, tmp_fd, "root"));
        fd = safe_close(fd);
        ASSERT_OK(open_in_root(root_fd, "", O_PATH, 0, &fd));
        ASSERT_TRUE(same_inode(fd, tmp_fd, "root"));
        fd = safe_close(fd);
        ASSERT_EQ(open_in_root(root_fd, "abs-outside/secret", O_RDONLY, 0, &fd), -ENOENT);
        ASSERT_EQ(open_in_root(root_fd, "rel-outside/secret", O_RDONLY, 0, &fd), -ENOENT);
        ASSERT_TRUE(open_in_root(root_fd, "magic/etc/passwd", O_RDONLY, 0, &fd) < 0); /* no magic links */
        ASSERT_EQ(open_in_root(root_fd, "escape", O_PATH, RESOLVE_NO_SYMLINKS, &fd), -ELOOP);
        /* O_CREAT goes inside too */
        ASSERT_OK(open_in_root(root_fd, "escape/created", O_WRONLY | O_CREAT, 0, &fd));
        ASSERT_TRUE(same_inode(fd, root_fd, "etc/created"));
        fd = safe_close(fd);
        ASSERT_EQ(open_in_root(root_fd, "rel-outside/created", O_WRONLY | O_CREAT, 0, &fd), -ENOENT);
        ASSERT_EQ(open_in_root(root_fd, "abs-outside/created", O_WRONLY | O_CREAT, 0, &fd), -ENOENT);
        ASSERT_TRUE(!exists_at(tmp_fd, "outside/created"));

        /* read_full_file_in_root: regular files only, never blocking on a FIFO, inside the root */
        {
                _cleanup_free_ char *buf = NULL;
                _cleanup_free_ char *fifo = path_join(outside, "fifo");
                size_t size = 0;

                ASSERT_TRUE(write_file_atomic_at(root_fd, "etc/passwd", "root:x:0:0::/root:/bin/sh\n", 26, 0644) == 0);
                ASSERT_OK(read_full_file_in_root(root_fd, "/etc/passwd", 100, &buf, &size));
                ASSERT_EQ(size, 26);
                buf = mfree(buf);
                ASSERT_OK(read_full_file_in_root(root_fd, "escape/passwd", 100, &buf, NULL));
                buf = mfree(buf);
                ASSERT_EQ(read_full_file_in_root(root_fd, "/etc/passwd", 25, &buf, NULL), -EFBIG);
                ASSERT_EQ(read_full_file_in_root(root_fd, "/etc", 100, &buf, NULL), -EISDIR);
                ASSERT_TRUE(mkfifoat(root_fd, "etc/fifo", 0644) == 0);
                ASSERT_EQ(read_full_file_in_root(root_fd, "/etc/fifo", 100, &buf, NULL), -EBADFD);
                ASSERT_TRUE(fifo && mkfifo(fifo, 0644) == 0);
                ASSERT_TRUE(symlinkat(fifo, root_fd, "etc/host-fifo") == 0);
                ASSERT_EQ(read_full_file_in_root(root_fd, "/etc/host-fifo", 100, &buf, NULL), -ENOENT);
                ASSERT_EQ(read_full_file_in_root(root_fd, "rel-outside/secret", 100, &buf, NULL), -ENOENT);
                ASSERT_TRUE(!buf);
                ASSERT_TRUE(unlink(fifo) == 0);
        }

        /* mkdir_p_in_root: nested directories, and a final file */
        ASSERT_OK(mkdir_p_in_root(root_fd, "/a/b/c", false, &fd));
        ASSERT_TRUE(fstatat(root_fd, "a/b/c", &st, 0) == 0 && S_ISDIR(st.st_mode));
        {
                mode_t um = umask(0022);
                umask(um);
                ASSERT_EQ(st.st_mode & 0777, 0755 & ~um);
        }
        ASSERT_TRUE(same_inode(fd, root_fd, "a/b/c"));
        fd = safe_close(fd);
        ASSERT_OK(mkdir_p_in_root(root_fd, "a//b/d/e/file.txt", true, &fd));
        ASSERT_TRUE(fstatat(root_fd, "a/b/d/e/file.txt", &st, 0) == 0 && S_ISREG(st.st_mode));
        ASSERT_TRUE(same_inode(fd, root_fd, "a/b/d/e/file.txt"));
        fd = safe_close(fd);
        /* existing: returned as is */
        ASSERT_OK(mkdir_p_in_root(root_fd, "a/b/c/", false, &fd));
        ASSERT_TRUE(same_inode(fd, root_fd, "a/b/c"));
        fd = safe_close(fd);
        ASSERT_OK(mkdir_p_in_root(root_fd, "/", false, &fd));
        ASSERT_TRUE(same_inode(fd, tmp_fd, "root"));
        fd = safe_close(fd);
        /* a file in the way */
        ASSERT_EQ(mkdir_p_in_root(root_fd, "a/b/d/e/file.txt/x", false, &fd), -ENOTDIR);

        /* ".." cannot leave the root */
        ASSERT_OK(mkdir_p_in_root(root_fd, "../../dotdot/x", false, &fd));
        fd = safe_close(fd);
        ASSERT_TRUE(exists_at(root_fd, "dotdot/x"));
        ASSERT_TRUE(!exists_at(tmp_fd, "dotdot"));

        /* symlinks to existing directories resolve inside the root */
        ASSERT_OK(mkdir_p_in_root(root_fd, "escape/new/dir", false, &fd));
        ASSERT_TRUE(same_inode(fd, root_fd, "etc/new/dir"));
        fd = safe_close(fd);
        ASSERT_TRUE(stat("/etc/new", &st) < 0);
        ASSERT_OK(mkdir_p_in_root(root_fd, "up/x1/y1", false, &fd));
        ASSERT_TRUE(same_inode(fd, root_fd, "x1/y1"));
        fd = safe_close(fd);

        /* a symlink to "<host path of outside>": inside the root that is <root>/<tmp>/outside, which
         * does not exist. Whatever happens, nothing may appear in the real outside directory. */
        r = mkdir_p_in_root(root_fd, "abs-outside/made/here", false, &fd);
        printf("# mkdir_p_in_root(abs-outside/made/here) = %d\n", r);
        fd = safe_close(fd);
        ASSERT_TRUE(!exists_at(tmp_fd, "outside/made"));
        r = mkdir_p_in_root(root_fd, "abs-outside/file", true, &fd);
        printf("# mkdir_p_in_root(abs-outside/file) = %d\n", r);
        fd = safe_close(fd);
        ASSERT_TRUE(!exists_at(tmp_fd, "outside/file"));
        r = mkdir_p_in_root(root_fd, "rel-outside/made2", false, &fd);
        printf("# mkdir_p_in_root(rel-outside/made2) = %d\n", r);
        fd = safe_close(fd);
        ASSERT_TRUE(!exists_at(tmp_fd, "outside/made2"));
        ASSERT_TRUE(!exists_at(tmp_fd, "made2"));

        /* a dangling symlink to "/x" (absolute): must not touch the host's /x */
        ASSERT_TRUE(symlinkat("/berth-test-must-not-exist", root_fd, "dangling") == 0);
        r = mkdir_p_in_root(root_fd, "dangling/sub", false, &fd);
        printf("# mkdir_p_in_root(dangling/sub) = %d\n", r);
        fd = safe_close(fd);
        ASSERT_TRUE(stat("/berth-test-must-not-exist", &st) < 0 && errno == ENOENT);
        ASSERT_TRUE(r < 0 || exists_at(root_fd, "berth-test-must-not-exist/sub"));

        /* the walk is not fooled by a symlink with the same name further down */
        ASSERT_TRUE(mkdirat(root_fd, "deep", 0755) == 0);
        ASSERT_TRUE(symlinkat(link_target, root_fd, "deep/l") == 0);
        r = mkdir_p_in_root(root_fd, "deep/l/z", false, &fd);
        fd = safe_close(fd);
        ASSERT_TRUE(!exists_at(tmp_fd, "outside/z"));

        /* the host directory next to the root holds only what we put there */
        {
                char cmd[PATH_MAX + 64];
                snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s/outside')\" = secret", tmp);
                ASSERT_EQ(system(cmd), 0);
        }
}

/* ---- mountinfo ---- */

static void test_mountinfo(void) {
        static const char text[] =
                "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
                "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
                "23 27 0:22 / /sys rw - sysfs sysfs rw\n"
                "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
                "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
                "40 27 0:30 / /var/lib/with\\040space rw master:2 - tmpfs tmpfs rw\n"
                "50 40 254:0 /bundle/rootfs /var/lib/with\\040space/rootfs rw - ext4 /dev/vda rw\n"
                "51 50 0:41 / /var/lib/with\\040space/rootfs/proc rw - proc proc rw\n"
                "52 51 0:42 / /var/lib/with\\040space/rootfs/proc/acpi ro - tmpfs none rw\n"
                "60 40 0:43 / /var/lib/with\\040space/other rw - tmpfs tmpfs rw\n";
        MountInfo *m = NULL;
        _cleanup_free_ size_t *idx = NULL;
        size_t n = 0;
        int k;

        ASSERT_OK(mountinfo_parse(text, &m, &n));
        ASSERT_EQ(n, 10);
        if (n != 10) {
                mountinfo_free(m, n);
                return;
        }
        ASSERT_EQ(m[0].id, 27);
        ASSERT_EQ(m[0].parent_id, 1);
        ASSERT_STREQ(m[0].fstype, "ext4");
        ASSERT_STREQ(m[4].super_options, "rw,cpu");
        ASSERT_STREQ(m[5].mount_point, "/var/lib/with space");
        ASSERT_STREQ(m[6].root, "/bundle/rootfs");
        ASSERT_TRUE(mountinfo_is_proc_or_sys(&m[1]) && mountinfo_is_proc_or_sys(&m[2]) &&
                    !mountinfo_is_proc_or_sys(&m[3]));

        /* keep the rootfs (50): not it, not below it, not what it sits on (40, 27) */
        k = mountinfo_foreign(m, n, 50, &idx);
        ASSERT_EQ(k, 5);
        if (k == 5) {
                int pos[4] = { -1, -1, -1, -1 };

                /* deepest first: /sys/fs/cgroup/cpu before /sys/fs/cgroup before /sys */
                for (int i = 0; i < k; i++) {
                        const char *mp = m[idx[i]].mount_point;

                        pos[streq(mp, "/sys/fs/cgroup/cpu") ? 0 : streq(mp, "/sys/fs/cgroup") ? 1 : streq(mp, "/sys") ? 2 : 3] = i;
                }
                ASSERT_TRUE(pos[0] == 0 && pos[0] < pos[1] && pos[1] < pos[2]);
                for (int i = 0; i < k; i++) {
                        int id = m[idx[i]].id;

                        ASSERT_TRUE(id == 22 || id == 23 || id == 31 || id == 32 || id == 60);
                }
        }
        idx = mfree(idx);
        /* an unknown id: nothing */
        ASSERT_EQ(mountinfo_foreign(m, n, 999, &idx), 0);
        mountinfo_free(m, n);

        m = NULL;
        ASSERT_EQ(mountinfo_parse("27 1 254:0 / / rw\n", &m, &n), -EINVAL); /* no " - " */
        ASSERT_EQ(mountinfo_parse("x 1 254:0 / / rw - ext4 a rw\n", &m, &n), -EINVAL);
        ASSERT_OK(mountinfo_parse("", &m, &n));
        ASSERT_EQ(n, 0);
        mountinfo_free(m, n);
}

static char tmpdir[] = "/tmp/berth-test-basic.XXXXXX";

static void test_unit_name(void) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *n = NULL, *longest = NULL;
        char *x = NULL;

        /* The expected strings are what systemd-escape(1) of systemd 252 prints. */
        ASSERT_STREQ(a = unit_name_escape("foo-bar/baz .x"), "foo\\x2dbar-baz\\x20.x");
        ASSERT_STREQ(b = unit_name_escape(".hidden"), "\\x2ehidden");
        ASSERT_STREQ(c = unit_name_escape("a:b_c.d"), "a:b_c.d");
        ASSERT_STREQ(d = unit_name_escape("\xc3\xbc"), "\\xc3\\xbc");
        ASSERT_TRUE(unit_instance_is_valid("web-1_a.b"));
        ASSERT_TRUE(!unit_instance_is_valid(""));
        ASSERT_TRUE(!unit_instance_is_valid("a b"));
        ASSERT_TRUE(!unit_instance_is_valid("a@b"));
        ASSERT_OK(unit_name_build("container", "web", "service", &n));
        ASSERT_STREQ(n, "container@web.service");
        ASSERT_EQ(unit_name_build("container", "a/b", "service", &x), -EINVAL);
        ASSERT_TRUE(x == NULL);
        longest = malloc(UNIT_NAME_MAX);
        assert(longest);
        /* "container@" + 237 + ".service" is 255 bytes: the longest name systemd takes. */
        memset(longest, 'a', 237);
        longest[237] = '\0';
        ASSERT_OK(unit_name_build("container", longest, "service", &x));
        x = mfree(x);
        strcat(longest, "a");
        ASSERT_EQ(unit_name_build("container", longest, "service", &x), -EINVAL);
}

/* ---- sha256: FIPS 180-2 / NIST vectors ---- */

static void check_sha256(const char *in, size_t repeat, const char *expected) {
        char hex[SHA256_HEX_SIZE];
        uint8_t d[SHA256_DIGEST_SIZE];
        Sha256 s;

        printf("# sha256(\"%.20s\" x %zu)\n", in, repeat);
        sha256_init(&s);
        for (size_t i = 0; i < repeat; i++)
                sha256_update(&s, in, strlen(in));
        sha256_final(&s, d);
        ASSERT_STREQ(sha256_hex(d, hex), expected);
}

static void test_sha256(void) {
        const char *abc56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        char hex[SHA256_HEX_SIZE], big[1000];
        uint8_t a[SHA256_DIGEST_SIZE], b[SHA256_DIGEST_SIZE];
        Sha256 s;

        check_sha256("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        check_sha256("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        check_sha256(abc56, 1, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        check_sha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
                     "lmnopqrsmnopqrstnopqrstu", 1,
                     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
        /* one million 'a', fed in pieces of 10 (crossing every block boundary differently) */
        check_sha256("aaaaaaaaaa", 100000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        /* 55, 56 and 64 bytes: the padding edge cases agree between one shot and pieces */
        memset(big, 'x', sizeof big);
        for (size_t n = 0; n <= 130; n++) {
                sha256(big, n, a);
                sha256_init(&s);
                for (size_t i = 0; i < n; i++)
                        sha256_update(&s, big + i, 1);
                sha256_final(&s, b);
                if (memcmp(a, b, sizeof a) != 0) {
                        printf("# length %zu: one shot %s differs\n", n, sha256_hex(a, hex));
                        break;
                }
        }
        ASSERT_TRUE(memcmp(a, b, sizeof a) == 0);
}

/* ---- dlopen-util ---- */

static void test_dlopen(void) {
        _cleanup_free_ char *msg = NULL, *msg2 = NULL;
        sd_bus_error e = SD_BUS_ERROR_NULL;
        void *handle = NULL, *p = &handle;
        DlSym missing[] = { { .ptr = &p, .name = "berth_no_such_symbol" } };

        printf("# dlopen-util\n");
        /* No such library: an error with dlerror()'s text, nothing loaded. */
        ASSERT_EQ(dlopen_syms(&handle, "libberth-no-such.so.0", missing, 1, &msg), -EOPNOTSUPP);
        ASSERT_TRUE(msg && strstr(msg, "libberth-no-such.so.0"));
        ASSERT_TRUE(!handle);
        /* A library without the symbol: the name in the error, every pointer NULL again. */
        ASSERT_EQ(dlopen_syms(&handle, "libc.so.6", missing, 1, &msg2), -EOPNOTSUPP);
        ASSERT_TRUE(msg2 && strstr(msg2, "berth_no_such_symbol"));
        ASSERT_TRUE(!handle && !p);

        /* The real table: every symbol resolves and calls into the library. */
        ASSERT_TRUE(!sym_sd_bus_error_is_set);
        ASSERT_OK(dlopen_libsystemd(NULL));
        ASSERT_TRUE(sym_sd_bus_error_is_set && sym_sd_bus_wait);
        ASSERT_EQ(sym_sd_bus_error_is_set(&e), 0);
        ASSERT_TRUE(!sym_sd_bus_error_has_names(&e, SD_BUS_ERROR_UNKNOWN_PROPERTY, SD_BUS_ERROR_INVALID_ARGS));
        ASSERT_OK(dlopen_libsystemd(NULL)); /* loaded once; again is a no-op */
}

int main(void) {
        char cmd[PATH_MAX + 32];

        if (!mkdtemp(tmpdir)) {
                perror("mkdtemp");
                return 1;
        }

        test_path(tmpdir);
        test_parse();
        test_strv();
        test_unit_name();
        test_sha256();
        test_dlopen();
        test_mountinfo();
        {
                _cleanup_free_ char *d = path_join(tmpdir, "fd");
                ASSERT_TRUE(d && mkdir(d, 0700) == 0);
                if (d)
                        test_fd(d);
        }
        {
                _cleanup_free_ char *d = path_join(tmpdir, "fs");
                ASSERT_TRUE(d && mkdir(d, 0700) == 0);
                if (d)
                        test_fs(d);
        }

        snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", tmpdir);
        if (system(cmd) != 0)
                printf("# '%s' failed\n", cmd);
        return tests_done();
}
