/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The compiled-filter cache: libseccomp takes milliseconds to turn a profile of hundreds of names
 * into BPF (podman's default profile: most of what seccomp adds to a create), and engines hand
 * the same profile to every container. So the program is kept, named by the SHA-256 of a canonical
 * text of everything it is made of (the key, below), in a directory trusted exactly like the state
 * store: owned by our euid, not writable by group or others, entries written atomically (temp
 * file, fsync, rename), read with O_NOFOLLOW, non-blocking, regular files only and size-capped.
 *
 * An entry is never loaded on its name alone: it carries the full key, compared byte for byte
 * (a hash collision, or a key format we did not think of, cannot load another profile's program),
 * and a SHA-256 of its contents (a damaged file is caught before the kernel sees it). Anything
 * that does not match is a miss: the filter is compiled and the entry replaced.
 *
 * Not cached, because they are cheap and depend on more than the profile: the filter flags (probed
 * on this kernel at every create) and the NOTIFY agent's address. */

#include <dirent.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "fd-util.h"
#include "log.h"
#include "path-util.h"
#include "seccomp-filter.h"
#include "sha256.h"
#include "state-store.h"
#include "strv.h"

/* Bump when berth starts to compile the same key into a different program (the key has berth's
 * version too, but that does not change between commits). */
#define SECCOMP_CACHE_KEY_FORMAT 1
#define SECCOMP_CACHE_MAGIC "BERTHSK1"
#define SECCOMP_CACHE_KEY_MAX (1024U * 1024U)
#define SECCOMP_CACHE_WARNING_MAX 4096U
#define SECCOMP_CACHE_ENTRY_MAX                                                                               \
        (sizeof(SeccompCacheHeader) + SECCOMP_CACHE_KEY_MAX + BPF_MAXINSNS * sizeof(struct sock_filter) +     \
         SECCOMP_CACHE_WARNING_MAX)
/* Temp files a killed writer left behind go after this long. */
#define SECCOMP_CACHE_STALE_TMP_SEC 3600

typedef struct SeccompCacheHeader {
        char magic[8];
        uint32_t key_len;
        uint32_t n_insns;
        uint32_t warning_len;
        uint32_t reserved;
        uint8_t digest[SHA256_DIGEST_SIZE]; /* of everything after the header */
} SeccompCacheHeader;

int seccomp_cache_path(char **ret) {
        const char *e;
        char *p;

        assert(ret);
        e = secure_getenv("BERTH_SECCOMP_CACHE_DIR");
        if (e) {
                if (e[0] == 0 || streq(e, "off") || !path_is_absolute(e)) {
                        *ret = NULL;
                        return 0;
                }
                p = strdup(e);
        } else if (geteuid() == 0)
                p = strdup(SECCOMP_CACHE_DIR);
        else if ((e = getenv("XDG_CACHE_HOME")) && path_is_absolute(e))
                p = path_join(e, "berth/seccomp");
        else if ((e = getenv("HOME")) && path_is_absolute(e))
                p = path_join(e, ".cache/berth/seccomp");
        else {
                /* Rootless without a home: no cache, the filter is compiled every time. */
                *ret = NULL;
                return 0;
        }
        if (!p)
                return -ENOMEM;
        *ret = p;
        return 0;
}

int seccomp_cache_open(const char *path, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        char why[128];
        int r;

        assert(path);
        assert(ret_fd);
        /* A cache we cannot make (read-only /var, a rootless user without a writable home) is only
         * a slower create: debug level. One that is there but not ours is worth a warning. */
        r = state_mkdir_p(path, 0700);
        if (r < 0)
                return log_debug_errno(r, "Failed to create the seccomp filter cache '%s', ignoring: %m", path);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_debug_errno(errno, "Failed to open the seccomp filter cache '%s', ignoring: %m", path);
        if (fstat(fd, &st) < 0)
                return log_warning_errno(errno, "Failed to check the seccomp filter cache '%s', ignoring: %m", path);
        /* Whoever can write here can choose the program our containers run under. */
        if (state_check_trusted(&st, S_IFDIR, why) < 0)
                return log_warning_errno(SYNTHETIC_ERRNO(EPERM),
                                         "Refusing to use the seccomp filter cache '%s': %s, ignoring", path, why);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* A string in the key: length-prefixed, so that no name can look like the next field. */
static void key_string(FILE *o, const char *s) {
        fprintf(o, " %zu:%s", strlen(s), s);
}

int seccomp_cache_key(const SpecSeccomp *s, bool strict, char **ret, size_t *ret_len) {
        const struct scmp_version *v = seccomp_version();
        _cleanup_free_ char *t = NULL;
        size_t size = 0;
        FILE *o;

        assert(s);
        assert(ret);
        assert(ret_len);
        o = open_memstream(&t, &size);
        if (!o)
                return -ENOMEM;
        /* What makes the program: berth's compiler, libseccomp's (its version, and the API level it
         * found on this kernel: it refuses actions the kernel lacks), the native arch (always in the
         * filter) and the profile itself, in order, as berth parsed it. */
        fprintf(o, "berth-seccomp-cache %d\nberth %s\nlibseccomp %u.%u.%u api %u\nnative %08x\nstrict %d\n",
                SECCOMP_CACHE_KEY_FORMAT, BERTH_VERSION, v->major, v->minor, v->micro, seccomp_api_get(),
                seccomp_arch_native(), strict);
        fprintf(o, "default %s %d %u\narchitectures %zu", spec_seccomp_action_to_string(s->default_action),
                s->has_default_errno_ret, s->has_default_errno_ret ? s->default_errno_ret : 0, s->n_architectures);
        for (size_t i = 0; i < s->n_architectures; i++)
                fprintf(o, " %s", spec_seccomp_arch_to_string(s->architectures[i]));
        fprintf(o, "\nsyscalls %zu\n", s->n_syscalls);
        for (size_t i = 0; i < s->n_syscalls; i++) {
                const SpecSeccompSyscall *sc = &s->syscalls[i];

                fprintf(o, "%s %d %u names %zu", spec_seccomp_action_to_string(sc->action), sc->has_errno_ret,
                        sc->has_errno_ret ? sc->errno_ret : 0, strv_length(sc->names));
                STRV_FOREACH(n, sc->names)
                        key_string(o, *n);
                fprintf(o, " args %zu", sc->n_args);
                for (size_t j = 0; j < sc->n_args; j++)
                        fprintf(o, " %u %s %" PRIu64 " %" PRIu64, sc->args[j].index,
                                spec_seccomp_op_to_string(sc->args[j].op), sc->args[j].value, sc->args[j].value_two);
                fputc('\n', o);
        }
        if (fclose(o) != 0 || !t)
                return -ENOMEM;
        if (size > SECCOMP_CACHE_KEY_MAX)
                return -E2BIG;
        *ret = TAKE_PTR(t);
        *ret_len = size;
        return 0;
}

static void entry_name(const char *key, size_t key_len, char ret[static SHA256_HEX_SIZE]) {
        uint8_t d[SHA256_DIGEST_SIZE];

        sha256(key, key_len, d);
        sha256_hex(d, ret);
}

int seccomp_cache_lookup(int dir_fd, const char *key, size_t key_len, SeccompFilter *f, char **ret_warning) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL, *warning = NULL;
        char name[SHA256_HEX_SIZE], why[128];
        uint8_t d[SHA256_DIGEST_SIZE];
        SeccompCacheHeader h;
        struct stat st;
        const char *body;
        size_t size, li;
        int r;

        assert(dir_fd >= 0);
        assert(key);
        assert(f);
        assert(ret_warning);
        entry_name(key, key_len, name);
        fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
        if (fd < 0) {
                if (errno != ENOENT)
                        log_debug_errno(errno, "Failed to open seccomp cache entry '%s', ignoring: %m", name);
                return 0;
        }
        if (fstat(fd, &st) < 0)
                return log_debug_errno(errno, "Failed to check seccomp cache entry '%s', ignoring: %m", name), 0;
        if (state_check_trusted(&st, S_IFREG, why) < 0) {
                log_debug("Seccomp cache entry '%s' is not trusted (%s), ignoring", name, why);
                return 0;
        }
        r = read_full_fd(fd, SECCOMP_CACHE_ENTRY_MAX, &buf, &size);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_debug_errno(r, "Failed to read seccomp cache entry '%s', ignoring: %m", name), 0;
        if (size < sizeof h)
                goto bad;
        memcpy(&h, buf, sizeof h);
        body = buf + sizeof h;
        li = (size_t) h.n_insns * sizeof(struct sock_filter);
        if (memcmp(h.magic, SECCOMP_CACHE_MAGIC, sizeof h.magic) != 0 || h.n_insns == 0 ||
            h.n_insns > BPF_MAXINSNS || h.key_len > SECCOMP_CACHE_KEY_MAX || h.warning_len > SECCOMP_CACHE_WARNING_MAX ||
            size != sizeof h + h.key_len + li + h.warning_len)
                goto bad;
        sha256(body, size - sizeof h, d);
        if (memcmp(d, h.digest, sizeof d) != 0)
                goto bad;
        /* The name is only a hash: the entry must be for exactly this key. */
        if (h.key_len != key_len || memcmp(body, key, key_len) != 0) {
                log_debug("Seccomp cache entry '%s' is for another profile, ignoring", name);
                return 0;
        }
        if (h.warning_len > 0) {
                warning = strndup(body + h.key_len + li, h.warning_len);
                if (!warning)
                        return log_oom();
        }
        f->insns = malloc(li);
        if (!f->insns)
                return log_oom();
        memcpy(f->insns, body + h.key_len, li);
        f->n_insns = h.n_insns;
        /* Recently used: pruning drops the least recently used entries. */
        (void) futimens(fd, NULL);
        *ret_warning = TAKE_PTR(warning);
        return 1;
bad:
        log_debug("Seccomp cache entry '%s' is damaged, ignoring", name);
        return 0;
}

typedef struct CacheEntry {
        char name[SHA256_HEX_SIZE];
        struct timespec mtime;
} CacheEntry;

static int entry_compare(const void *a, const void *b) {
        const CacheEntry *x = a, *y = b;

        if (x->mtime.tv_sec != y->mtime.tv_sec)
                return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
        if (x->mtime.tv_nsec != y->mtime.tv_nsec)
                return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
        return strcmp(x->name, y->name);
}

static bool is_entry_name(const char *n) {
        if (strlen(n) != SHA256_HEX_SIZE - 1)
                return false;
        for (; *n; n++)
                if (!strchr("0123456789abcdef", *n))
                        return false;
        return true;
}

int seccomp_cache_prune(int dir_fd, size_t max_entries) {
        _cleanup_(closedirp) DIR *d = NULL;
        _cleanup_free_ CacheEntry *e = NULL;
        size_t n = 0, allocated = 0;
        struct dirent *de;
        int r;

        r = opendir_at(dir_fd, ".", &d);
        if (r < 0)
                return r;
        while ((de = readdir(d))) {
                struct stat st;

                if (fstatat(dir_fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (!is_entry_name(de->d_name)) {
                        /* A temp file of a writer that died before its rename. */
                        if (strstr(de->d_name, ".tmp.") && S_ISREG(st.st_mode) &&
                            st.st_mtime + SECCOMP_CACHE_STALE_TMP_SEC < time(NULL))
                                (void) unlinkat(dir_fd, de->d_name, 0);
                        continue;
                }
                if (n == allocated) {
                        CacheEntry *m = reallocarray(e, allocated * 2 + 16, sizeof *e);

                        if (!m)
                                return -ENOMEM;
                        e = m;
                        allocated = allocated * 2 + 16;
                }
                strcpy(e[n].name, de->d_name);
                e[n].mtime = st.st_mtim;
                n++;
        }
        if (n <= max_entries)
                return 0;
        qsort(e, n, sizeof *e, entry_compare);
        for (size_t i = 0; i < n - max_entries; i++)
                if (unlinkat(dir_fd, e[i].name, 0) < 0 && errno != ENOENT)
                        return -errno;
        return (int) (n - max_entries);
}

int seccomp_cache_store(int dir_fd, const char *key, size_t key_len, const SeccompFilter *f, const char *warning) {
        size_t li = f->n_insns * sizeof(struct sock_filter), lw = warning ? strlen(warning) : 0, size;
        SeccompCacheHeader h = {
                .magic = SECCOMP_CACHE_MAGIC,
                .key_len = (uint32_t) key_len,
                .n_insns = (uint32_t) f->n_insns,
                .warning_len = (uint32_t) lw,
        };
        _cleanup_free_ uint8_t *buf = NULL;
        char name[SHA256_HEX_SIZE];
        int r;

        assert(dir_fd >= 0);
        assert(key);
        assert(f);
        if (key_len > SECCOMP_CACHE_KEY_MAX || lw > SECCOMP_CACHE_WARNING_MAX || f->n_insns == 0 ||
            f->n_insns > BPF_MAXINSNS)
                return log_debug_errno(SYNTHETIC_ERRNO(E2BIG), "Not caching the seccomp filter: too large");
        size = sizeof h + key_len + li + lw;
        buf = malloc(size);
        if (!buf)
                return log_oom();
        memcpy(buf + sizeof h, key, key_len);
        memcpy(buf + sizeof h + key_len, f->insns, li);
        if (lw > 0)
                memcpy(buf + sizeof h + key_len + li, warning, lw);
        sha256(buf + sizeof h, size - sizeof h, h.digest);
        memcpy(buf, &h, sizeof h);
        entry_name(key, key_len, name);
        /* Replaces a damaged or foreign entry of the same name; readers see the old file or the
         * new one, never a part. */
        r = write_file_atomic_at(dir_fd, name, buf, size, 0600);
        if (r < 0)
                return log_warning_errno(r, "Failed to write seccomp cache entry '%s', ignoring: %m", name);
        log_debug("Seccomp filter stored in the cache as '%s'", name);
        r = seccomp_cache_prune(dir_fd, SECCOMP_CACHE_MAX_ENTRIES);
        if (r < 0)
                log_debug_errno(r, "Failed to prune the seccomp filter cache, ignoring: %m");
        return 0;
}
