/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The compiled seccomp filter cache: the key changes with every input that makes the program, a
 * hit gives the very program a compile gives, and a missing, damaged, foreign (other key under the
 * same name), untrusted or oversized entry is a miss; an untrusted dir is refused; pruning keeps
 * the most recently used entries. No root needed. */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "path-util.h"
#include "seccomp-filter.h"
#include "sha256.h"
#include "spec.h"
#include "tests.h"

static char tmpdir[] = "/tmp/test-seccomp.XXXXXX";

#define CONFIG_HEAD                                                                                   \
        "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"/bin/true\"],"     \
        "\"cwd\":\"/\"},\"linux\":{\"seccomp\":"

static Spec *parse(const char *seccomp) {
        _cleanup_free_ char *json = NULL;
        Spec *s = NULL;

        if (asprintf(&json, CONFIG_HEAD "%s}}", seccomp) < 0)
                return NULL;
        if (spec_parse("config.json", json, strlen(json), &s) < 0)
                return NULL;
        return s;
}

static const char *profile =
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
        "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"
        "\"syscalls\":[{\"names\":[\"read\",\"write\",\"exit_group\",\"no_such_syscall\"],\"action\":\"SCMP_ACT_ALLOW\"},"
        "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
        "\"args\":[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]}]}";

static char *key_of(const char *seccomp, bool strict) {
        _cleanup_(spec_freep) Spec *s = parse(seccomp);
        char *k = NULL;
        size_t n;

        if (!s || seccomp_cache_key(s->linux.seccomp, strict, &k, &n) < 0)
                return NULL;
        return k;
}

static void test_key(void) {
        _cleanup_free_ char *a = key_of(profile, false), *a2 = key_of(profile, false), *st = key_of(profile, true);
        _cleanup_free_ char *other_errno = NULL, *other_arg = NULL, *other_arch = NULL, *other_names = NULL;
        char *p;

        ASSERT_TRUE(a && a2 && st);
        if (!a || !a2 || !st)
                return;
        printf("# key:\n# %s\n", a);
        ASSERT_STREQ(a, a2);
        ASSERT_TRUE(!streq(a, st));
        ASSERT_TRUE(strstr(a, "libseccomp ") && strstr(a, "berth "));
        /* each input changes the key */
        other_errno = strdup(profile);
        p = strstr(other_errno, "38");
        p[1] = '9';
        other_arg = strdup(profile);
        p = strstr(other_arg, "\"value\":8");
        p[8] = '9';
        other_arch = strdup(profile);
        p = strstr(other_arch, ",\"SCMP_ARCH_X86\"");
        memmove(p, p + strlen(",\"SCMP_ARCH_X86\""), strlen(p + strlen(",\"SCMP_ARCH_X86\"")) + 1);
        other_names = strdup(profile);
        p = strstr(other_names, "\"read\",\"write\"");
        memcpy(p, "\"write\",\"read\"", strlen("\"write\",\"read\""));
        for (const char *const *v = (const char *const[]) { other_errno, other_arg, other_arch, other_names, NULL };
             *v; v++) {
                _cleanup_free_ char *k = key_of(*v, false);

                printf("# variant: %s\n", *v);
                ASSERT_TRUE(k && !streq(k, a));
        }
        /* names are length-prefixed: ["a b"] and ["a","b"] cannot meet */
        {
                _cleanup_free_ char *x = key_of("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
                                                "[{\"names\":[\"a b\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", false),
                                    *y = key_of("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
                                                "[{\"names\":[\"a\",\"b\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", false);

                ASSERT_TRUE(x && y && !streq(x, y));
        }
}

static char *entry_path(const char *dir, const char *key) {
        uint8_t d[SHA256_DIGEST_SIZE];
        char hex[SHA256_HEX_SIZE];

        sha256(key, strlen(key), d);
        return path_join(dir, sha256_hex(d, hex));
}

static int lookup(int fd, const char *key, SeccompFilter **ret, char **ret_warning) {
        SeccompFilter *f = calloc(1, sizeof *f);
        int r;

        f->listener_fd = -EBADF;
        r = seccomp_cache_lookup(fd, key, strlen(key), f, ret_warning);
        *ret = f;
        return r;
}

static void test_cache(const char *dir) {
        _cleanup_(spec_freep) Spec *s = parse(profile);
        _cleanup_(seccomp_filter_freep) SeccompFilter *compiled = NULL, *cached = NULL, *again = NULL, *x = NULL;
        _cleanup_free_ char *key = NULL, *warning = NULL, *entry = NULL, *buf = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t key_len, size;

        ASSERT_TRUE(s);
        if (!s)
                return;
        ASSERT_OK(seccomp_cache_open(dir, &fd));
        ASSERT_OK(seccomp_cache_key(s->linux.seccomp, false, &key, &key_len));
        entry = entry_path(dir, key);

        /* miss: nothing there */
        ASSERT_EQ(lookup(fd, key, &x, &warning), 0);
        x = seccomp_filter_free(x);
        /* a compile with the cache stores; the next one is a hit with the same program and warning */
        ASSERT_OK(seccomp_filter_compile("config.json", s->linux.seccomp, false, fd, &compiled));
        ASSERT_TRUE(access(entry, F_OK) == 0);
        ASSERT_EQ(lookup(fd, key, &cached, &warning), 1);
        ASSERT_EQ(cached->n_insns, compiled->n_insns);
        ASSERT_TRUE(memcmp(cached->insns, compiled->insns, compiled->n_insns * sizeof(struct sock_filter)) == 0);
        ASSERT_TRUE(warning && strstr(warning, "'no_such_syscall'"));
        warning = mfree(warning);
        ASSERT_OK(seccomp_filter_compile("config.json", s->linux.seccomp, false, fd, &again));
        ASSERT_TRUE(again->n_insns == compiled->n_insns &&
                    memcmp(again->insns, compiled->insns, compiled->n_insns * sizeof(struct sock_filter)) == 0);

        ASSERT_OK(read_full_file_at(AT_FDCWD, entry, 1 << 20, &buf, &size));
        /* damaged: one bit of the program flipped, then truncated */
        buf[size - 3] ^= 1;
        ASSERT_OK(write_file_atomic_at(AT_FDCWD, entry, buf, size, 0600));
        ASSERT_EQ(lookup(fd, key, &x, &warning), 0);
        x = seccomp_filter_free(x);
        buf[size - 3] ^= 1;
        ASSERT_OK(write_file_atomic_at(AT_FDCWD, entry, buf, size / 2, 0600));
        ASSERT_EQ(lookup(fd, key, &x, &warning), 0);
        x = seccomp_filter_free(x);
        /* intact again: a hit */
        ASSERT_OK(write_file_atomic_at(AT_FDCWD, entry, buf, size, 0600));
        ASSERT_EQ(lookup(fd, key, &x, &warning), 1);
        x = seccomp_filter_free(x);
        warning = mfree(warning);
        /* writable by others, or a symlink to a good entry: not trusted */
        ASSERT_TRUE(chmod(entry, 0622) == 0);
        ASSERT_EQ(lookup(fd, key, &x, &warning), 0);
        x = seccomp_filter_free(x);
        ASSERT_TRUE(chmod(entry, 0600) == 0);
        {
                _cleanup_free_ char *moved = path_join(dir, "elsewhere");

                ASSERT_TRUE(rename(entry, moved) == 0 && symlink(moved, entry) == 0);
                ASSERT_EQ(lookup(fd, key, &x, &warning), 0);
                x = seccomp_filter_free(x);
                ASSERT_TRUE(unlink(entry) == 0 && rename(moved, entry) == 0);
        }
        /* foreign: an intact entry for another key, under this key's name */
        {
                _cleanup_free_ char *other = NULL, *other_entry = NULL;
                _cleanup_(seccomp_filter_freep) SeccompFilter *o = NULL;

                other = strdup(key);
                other[key_len - 2] ^= 1;
                ASSERT_OK(seccomp_cache_store(fd, other, key_len, compiled, NULL));
                other_entry = entry_path(dir, other);
                ASSERT_TRUE(rename(other_entry, entry) == 0);
                ASSERT_EQ(lookup(fd, key, &x, &warning), 0);
                x = seccomp_filter_free(x);
                /* and the next compile replaces it */
                ASSERT_OK(seccomp_filter_compile("config.json", s->linux.seccomp, false, fd, &o));
                ASSERT_EQ(lookup(fd, key, &x, &warning), 1);
                x = seccomp_filter_free(x);
                warning = mfree(warning);
        }
}

static void test_prune(const char *dir) {
        _cleanup_(spec_freep) Spec *s = parse(profile);
        _cleanup_(seccomp_filter_freep) SeccompFilter *f = NULL;
        _cleanup_close_ int fd = -EBADF;
        char key[32];
        unsigned n = 0;
        DIR *d;

        ASSERT_OK(seccomp_cache_open(dir, &fd));
        ASSERT_OK(seccomp_filter_compile("config.json", s->linux.seccomp, false, -EBADF, &f));
        for (unsigned i = 0; i < SECCOMP_CACHE_MAX_ENTRIES + 5; i++) {
                _cleanup_free_ char *p = NULL;
                struct timespec ts[2] = { { .tv_sec = 1000000 + i }, { .tv_sec = 1000000 + i } };

                snprintf(key, sizeof key, "key %u", i);
                (void) seccomp_cache_store(fd, key, strlen(key), f, NULL);
                p = entry_path(dir, key);
                (void) utimensat(AT_FDCWD, p, ts, 0);
        }
        /* the store's own pruning kept the limit; a hit makes "key 0"... gone already: check "key 5" */
        d = opendir(dir);
        for (struct dirent *de; d && (de = readdir(d));)
                n += de->d_name[0] != '.';
        if (d)
                closedir(d);
        ASSERT_EQ(n, SECCOMP_CACHE_MAX_ENTRIES);
        /* the oldest (by use) go first: make "key 10" recently used, prune to 2 */
        {
                _cleanup_(seccomp_filter_freep) SeccompFilter *x = NULL;
                _cleanup_free_ char *w = NULL, *p10 = NULL, *plast = NULL, *p11 = NULL;

                ASSERT_EQ(lookup(fd, "key 10", &x, &w), 1);
                ASSERT_EQ(seccomp_cache_prune(fd, 2), (int) SECCOMP_CACHE_MAX_ENTRIES - 2);
                p10 = entry_path(dir, "key 10");
                p11 = entry_path(dir, "key 11");
                snprintf(key, sizeof key, "key %u", SECCOMP_CACHE_MAX_ENTRIES + 4);
                plast = entry_path(dir, key);
                ASSERT_TRUE(access(p10, F_OK) == 0);
                ASSERT_TRUE(access(plast, F_OK) == 0);
                ASSERT_TRUE(access(p11, F_OK) < 0);
        }
}

static void test_untrusted_dir(const char *dir) {
        _cleanup_close_ int fd = -EBADF;

        ASSERT_TRUE(mkdir(dir, 0700) == 0);
        ASSERT_TRUE(chmod(dir, 0777) == 0);
        ASSERT_EQ(seccomp_cache_open(dir, &fd), -EPERM);
        ASSERT_EQ(fd, -EBADF);
}

static void test_path(void) {
        _cleanup_free_ char *p = NULL;

        ASSERT_OK(setenv("BERTH_SECCOMP_CACHE_DIR", "off", 1));
        ASSERT_OK(seccomp_cache_path(&p));
        ASSERT_TRUE(!p);
        ASSERT_OK(setenv("BERTH_SECCOMP_CACHE_DIR", "/x/y", 1));
        ASSERT_OK(seccomp_cache_path(&p));
        ASSERT_STREQ(p, "/x/y");
        p = mfree(p);
        ASSERT_OK(unsetenv("BERTH_SECCOMP_CACHE_DIR"));
        if (geteuid() == 0) {
                ASSERT_OK(seccomp_cache_path(&p));
                ASSERT_STREQ(p, SECCOMP_CACHE_DIR);
        }
}

int main(void) {
        char cmd[PATH_MAX + 32];

        if (!mkdtemp(tmpdir)) {
                perror("mkdtemp");
                return 1;
        }
        log_set_max_level(LOG_ERR);
        test_key();
        {
                _cleanup_free_ char *d = path_join(tmpdir, "cache/seccomp");
                test_cache(d);
        }
        {
                _cleanup_free_ char *d = path_join(tmpdir, "prune");
                test_prune(d);
        }
        {
                _cleanup_free_ char *d = path_join(tmpdir, "untrusted");
                test_untrusted_dir(d);
        }
        test_path();
        snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", tmpdir);
        if (system(cmd) != 0)
                printf("# '%s' failed\n", cmd);
        return tests_done();
}
