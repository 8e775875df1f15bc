/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth-generator: OCI bundle directories -> instances of container@.service (systemd.generator(7)).
 *
 * For each NAME/ in the bundle search path (first match of a NAME wins) that holds a valid bundle, it
 * writes normal-dir/container@NAME.service.d/50-bundle.conf (the bundle path, SourcePath=,
 * RequiresMountsFor=, Description= and the [Unit]/[Service] lines of the bundle's unit.conf) and the
 * .wants/ and .requires/ links that unit.conf's [Install] section asks for. A bad bundle is logged to
 * /dev/kmsg as "berth-generator[PID]: NAME: <file>: <JSON path>: <reason>" and skipped; the rest are
 * generated. It runs at every boot and daemon-reload, so it reads only the bundle dirs, writes only
 * into normal-dir, and never talks to D-Bus, the journal or systemctl.
 *
 * "berth-generator --check NAME" is what container@.service runs before berth: it says where it
 * looked when there is no bundle NAME, and that a daemon-reload is missing when the unit was
 * generated before the bundle appeared or moved. */

#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "config.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "path-util.h"
#include "spec.h"
#include "strv.h"
#include "unit-name.h"

#define DROPIN_NAME "50-bundle.conf"
#define UNIT_CONF_MAX (64U * 1024U)
#define UNIT_CONF_LINES_MAX 1024U
#define BUNDLES_MAX 100000U
/* "container@" + NAME + ".service" must stay a valid unit name (at most 255 bytes). */
#define NAME_MAX_LEN (UNIT_NAME_MAX - 1 - strlen("container@.service"))

static const char *const default_search_path[] = {
    "/etc/berth/bundles",
    "/run/berth/bundles",
    "/var/lib/berth/bundles",
};

static bool arg_dry_run;
static const char *arg_check;
static const char *arg_dest;
static char **arg_search_path;

typedef struct UnitConf {
        char *unit;    /* [Unit] lines, each ending in '\n' */
        char *service; /* [Service] lines */
        char *socket;  /* [Socket] lines: container@NAME.socket; NULL without a [Socket] section */
        bool notify;   /* [Service] Type=notify */
        char **wanted_by, **required_by;
} UnitConf;

static void unit_conf_done(UnitConf *c) {
        c->unit = mfree(c->unit);
        c->service = mfree(c->service);
        c->socket = mfree(c->socket);
        c->wanted_by = strv_free(c->wanted_by);
        c->required_by = strv_free(c->required_by);
}

typedef struct Bundle {
        const char *name;
        char *path;        /* search dir + "/" + NAME, as found (may be a symlink) */
        char *real;        /* its canonical path, for RequiresMountsFor= */
        char *rootfs_real; /* the canonical rootfs path */
        char *description;
        UnitConf conf;
} Bundle;

/* A directory of the search path, opened and resolved once for all its bundles. */
typedef struct SearchDir {
        int fd;     /* O_PATH; -EBADF when it could not be resolved (no /proc): bundles take the slow way */
        char *real; /* its canonical path */
} SearchDir;

/* The output dir, and the .wants/ and .requires/ dirs this process made in it (mkdirat() once per
 * dir, not once per bundle). */
typedef struct Output {
        int fd; /* normal-dir; -EBADF with --dry-run */
        char **dirs;
} Output;

static void bundle_done(Bundle *b) {
        b->path = mfree(b->path);
        b->real = mfree(b->real);
        b->rootfs_real = mfree(b->rootfs_real);
        b->description = mfree(b->description);
        unit_conf_done(&b->conf);
}

/* ---- names and unit-file syntax --------------------------------------------------------------- */

static bool bundle_name_valid(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n > NAME_MAX_LEN || streq(s, ".") || streq(s, ".."))
                return false;
        return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

/* A path we put into a unit file: no whitespace, quotes, backslashes or control characters (they
 * would need quoting that differs from setting to setting); '%' is escaped where it is written. */
static bool path_unit_safe(const char *p) {
        for (; *p; p++)
                if ((unsigned char) *p < 0x20 || *p == 0x7f || strchr(" \"'\\", *p))
                        return false;
        return true;
}

/* s with '%' doubled (systemd specifiers), control characters as spaces, no trailing backslash. */
static char *unit_escape_value(const char *s) {
        char *ret, *t;

        ret = malloc(strlen(s) * 2 + 1);
        if (!ret)
                return NULL;
        t = ret;
        for (; *s; s++) {
                if (*s == '%')
                        *t++ = '%';
                *t++ = (unsigned char) *s < 0x20 || *s == 0x7f ? ' ' : *s;
        }
        while (t > ret && t[-1] == '\\')
                t--;
        *t = '\0';
        return ret;
}

/* ---- unit.conf -------------------------------------------------------------------------------- */

typedef enum Section { SECTION_NONE, SECTION_UNIT, SECTION_SERVICE, SECTION_SOCKET, SECTION_INSTALL, _SECTION_MAX } Section;

static bool key_valid(const char *k, size_t n) {
        return n > 0 && strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == n;
}

static int install_add(const char *file, unsigned line, const char *value, char ***list) {
        _cleanup_free_ char *copy = strdup(value);
        char *save = NULL;
        int r;

        if (!copy)
                return log_oom();
        if (!*value) { /* an empty assignment resets the list, as in systemd */
                *list = strv_free(*list);
                return 0;
        }
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
                const char *dot = strrchr(w, '.');

                if (!unit_instance_is_valid(w) || strlen(w) >= UNIT_NAME_MAX || !dot || dot == w ||
                    !dot[1] || strchr(w, '\\'))
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                               "%s:%u: [Install]: '%s' is not a unit name", file, line, w);
                r = strv_extend(list, w);
                if (r < 0)
                        return log_oom();
        }
        return 0;
}

static bool key_is(const char *l, size_t klen, const char *key) {
        return klen == strlen(key) && strncmp(l, key, klen) == 0;
}

/* berth run -d forks: container@.service is Type=forking, or Type=notify (READY=1 from the container
 * through berth's notify socket). */
static int service_type(const char *file, unsigned line, const char *value, UnitConf *c) {
        value += strspn(value, " \t");
        if (streq(value, "notify") || streq(value, "forking") || streq(value, "")) {
                c->notify = streq(value, "notify");
                return 0;
        }
        return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                               "%s:%u: [Service]: Type=%s is not supported (berth run -d forks: Type=forking, "
                               "the default, or Type=notify)",
                               file, line, value);
}

/* The lines copied from one section. Each line is at most as long as it was in unit.conf (trimmed,
 * plus its '\n'), so a buffer of the file's size holds all sections: no growing, no stdio. */
typedef struct SectionText {
        char *buf;
        size_t len;
} SectionText;

static void section_texts_free(SectionText (*t)[_SECTION_MAX]) {
        for (int i = 0; i < _SECTION_MAX; i++)
                free((*t)[i].buf);
}

static void section_append(SectionText *t, const char *l) {
        size_t n = strlen(l);

        memcpy(t->buf + t->len, l, n);
        t->len += n;
        t->buf[t->len++] = '\n';
        t->buf[t->len] = '\0';
}

static int unit_conf_line(const char *file, unsigned line, Section section, char *l, SectionText *out,
                          UnitConf *c) {
        char *eq = strchr(l, '=');
        size_t klen;

        if (!eq)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s:%u: expected KEY=VALUE", file, line);
        klen = (size_t) (eq - l);
        while (klen > 0 && strchr(" \t", l[klen - 1]))
                klen--;
        if (!key_valid(l, klen))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s:%u: invalid key '%.*s'", file, line,
                                       (int) klen, l);
        switch (section) {
        case SECTION_SERVICE:
                if (key_is(l, klen, "Type")) {
                        int r = service_type(file, line, eq + 1, c);

                        if (r < 0)
                                return r;
                }
                section_append(&out[section], l);
                return 0;
        case SECTION_UNIT:
        case SECTION_SOCKET:
                section_append(&out[section], l);
                return 0;
        case SECTION_INSTALL:
                eq++;
                eq += strspn(eq, " \t");
                if (key_is(l, klen, "WantedBy"))
                        return install_add(file, line, eq, &c->wanted_by);
                if (key_is(l, klen, "RequiredBy"))
                        return install_add(file, line, eq, &c->required_by);
                return log_error_errno(
                    SYNTHETIC_ERRNO(EINVAL),
                    "%s:%u: [Install]: unsupported key '%.*s' (WantedBy= and RequiredBy= are)", file, line,
                    (int) klen, l);
        case SECTION_NONE:
        case _SECTION_MAX:
        default:
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s:%u: assignment outside of a section",
                                       file, line);
        }
}

/* Parse text (the bundle's unit.conf, named file in messages) into *c. */
static int unit_conf_parse(const char *file, char *text, UnitConf *c) {
        /* One buffer per section that is copied: [Unit], [Service], [Socket]. */
        _cleanup_(section_texts_free) SectionText out[_SECTION_MAX] = {};
        size_t size = strlen(text) + 2;
        Section section = SECTION_NONE;
        unsigned line = 0, start = 0;
        bool has_socket = false;
        char *save = NULL;
        int r;

        for (Section i = SECTION_UNIT; i <= SECTION_SOCKET; i++) {
                out[i].buf = malloc(size);
                if (!out[i].buf)
                        return log_oom();
                out[i].buf[0] = '\0';
        }

        /* Continuation lines (a trailing backslash) are kept as they are: systemd joins them. */
        for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                size_t n;

                line++;
                if (line > UNIT_CONF_LINES_MAX)
                        return log_error_errno(SYNTHETIC_ERRNO(E2BIG), "%s: more than %u lines", file,
                                               UNIT_CONF_LINES_MAX);
                l += strspn(l, " \t");
                n = strlen(l);
                while (n > 0 && strchr(" \t\r", l[n - 1]))
                        l[--n] = '\0';
                if (start > 0) { /* inside a continued assignment */
                        section_append(&out[section], l);
                        if (n == 0 || l[n - 1] != '\\')
                                start = 0;
                        continue;
                }
                if (n == 0 || strchr("#;", l[0]))
                        continue;
                if (l[0] == '[') {
                        if (streq(l, "[Unit]"))
                                section = SECTION_UNIT;
                        else if (streq(l, "[Service]"))
                                section = SECTION_SERVICE;
                        else if (streq(l, "[Socket]"))
                                section = SECTION_SOCKET, has_socket = true;
                        else if (streq(l, "[Install]"))
                                section = SECTION_INSTALL;
                        else
                                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                       "%s:%u: unknown section '%s' ([Unit], [Service], "
                                                       "[Socket] and [Install] are known)",
                                                       file, line, l);
                        continue;
                }
                if (l[n - 1] == '\\') {
                        if (section == SECTION_INSTALL)
                                return log_error_errno(
                                    SYNTHETIC_ERRNO(EINVAL),
                                    "%s:%u: [Install]: continuation lines are not supported", file, line);
                        start = line;
                }
                r = unit_conf_line(file, line, section, l, out, c);
                if (r < 0)
                        return r;
        }
        if (start > 0)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s:%u: the file ends inside a continued line", file, start);
        c->unit = TAKE_PTR(out[SECTION_UNIT].buf);
        c->service = TAKE_PTR(out[SECTION_SERVICE].buf);
        if (has_socket)
                c->socket = TAKE_PTR(out[SECTION_SOCKET].buf);
        return 0;
}

static int unit_conf_load(int bundle_fd, const char *bundle, UnitConf *c) {
        _cleanup_free_ char *file = NULL, *text = NULL;
        size_t size;
        int r;

        file = path_join(bundle, "unit.conf");
        if (!file)
                return log_oom();
        r = read_full_file_at(bundle_fd, "unit.conf", UNIT_CONF_MAX, &text, &size);
        if (r == -ENOENT)
                return 0;
        if (r == -EFBIG)
                return log_error_errno(SYNTHETIC_ERRNO(EFBIG), "%s: larger than %u bytes", file,
                                       UNIT_CONF_MAX);
        if (r < 0)
                return log_error_errno(r, "%s: failed to read: %m", file);
        if (strlen(text) != size)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: contains a NUL byte", file);
        return unit_conf_parse(file, text, c);
}

/* An O_PATH fd of the directory at path (relative to dir_fd) and its canonical path: one open() and
 * one readlink() of its /proc/self/fd entry, where realpath(3) readlink()s every component. */
static int dir_open_resolve(int dir_fd, const char *path, int *ret_fd, char **ret) {
        _cleanup_close_ int fd = -EBADF;
        char proc[32], buf[PATH_MAX];
        ssize_t n;

        fd = openat(dir_fd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = readlink(fd_path(fd, proc), buf, sizeof buf - 1);
        if (n < 0 || buf[0] != '/')
                return n < 0 ? -errno : -EXDEV; /* no /proc, or outside our mount namespace's root */
        buf[n] = '\0';
        *ret = strdup(buf);
        if (!*ret)
                return -ENOMEM;
        if (ret_fd)
                *ret_fd = TAKE_FD(fd);
        return 0;
}

/* The canonical path of the rootfs. The common case, a plain subdirectory "rootfs" of the bundle,
 * costs one fstatat(). */
static int rootfs_resolve(int bundle_fd, const char *bundle_real, const char *root, char **ret) {
        struct stat st;

        if (!strchr(root, '/') && !streq(root, ".") && !streq(root, "..")) {
                if (fstatat(bundle_fd, root, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return -errno;
                if (S_ISDIR(st.st_mode)) {
                        *ret = path_join(bundle_real, root);
                        return *ret ? 0 : -ENOMEM;
                }
        }
        return dir_open_resolve(bundle_fd, root, NULL, ret);
}

/* ---- validation ------------------------------------------------------------------------------- */

static const char *spec_annotation(const Spec *s, const char *key) {
        for (char **a = s->annotations; a && a[0] && a[1]; a += 2)
                if (streq(a[0], key))
                        return a[1];
        return NULL;
}

static int spec_check(const char *config, const Spec *spec) {
        if (!spec->process)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: process: expected an object", config);
        if (spec->process->terminal)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s: process.terminal: must be false: a service has no terminal",
                                       config);
        return 0;
}

static int config_load(int bundle_fd, const char *config, Spec **ret) {
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        r = read_full_file_at(bundle_fd, "config.json", SPEC_FILE_MAX, &text, &size);
        if (r == -ENOENT)
                return log_error_errno(r, "%s: %m (an OCI bundle has a config.json)", config);
        if (r == -EFBIG)
                return log_error_errno(r, "%s: larger than %u bytes", config, SPEC_FILE_MAX);
        if (r == -EBADFD)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: not a regular file", config);
        if (r < 0)
                return log_error_errno(r, "%s: failed to read: %m", config);
        return spec_parse(config, text, size, ret);
}

/* An O_PATH fd of the bundle dir and its canonical path. A plain directory (readdir()'s d_type) in a
 * search dir costs one openat(): its canonical path is the search dir's plus NAME. Anything else (a
 * symlink, or no d_type) is resolved through /proc/self/fd, or realpath(3) without /proc. */
static int bundle_open(Bundle *b, const SearchDir *parent, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (parent && parent->fd >= 0) {
                /* O_NOFOLLOW|O_DIRECTORY: ENOTDIR if NAME became a symlink since readdir(). */
                fd = openat(parent->fd, b->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0) {
                        b->real = path_join(parent->real, b->name);
                        if (!b->real)
                                return -ENOMEM;
                        *ret_fd = TAKE_FD(fd);
                        return 0;
                }
        }
        r = dir_open_resolve(AT_FDCWD, b->path, &fd, &b->real);
        if (r == -EXDEV) { /* no /proc */
                b->real = realpath(b->path, NULL);
                r = b->real ? RET_NERRNO(fd = open(b->path, O_PATH | O_DIRECTORY | O_CLOEXEC)) : -errno;
        }
        if (r < 0)
                return r;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* Everything berth run would check before a side effect, so a bundle that would fail to start is
 * reported at boot. Messages name the file and the JSON path. parent: the search dir b->name was
 * read from when readdir() said it is a directory, else NULL. */
static int bundle_load(Bundle *b, const SearchDir *parent) {
        _cleanup_(spec_freep) Spec *spec = NULL;
        _cleanup_free_ char *config = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *d;
        int r;

        if (!path_unit_safe(b->path))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s: the path contains whitespace, a quote, a backslash or a control "
                                       "character",
                                       b->path);
        r = bundle_open(b, parent, &fd);
        if (r == -ENOTDIR)
                return log_error_errno(r, "%s: not a directory", b->path);
        if (r < 0)
                return log_error_errno(r, "%s: %m", b->path);
        if (!path_unit_safe(b->real))
                return log_error_errno(
                    SYNTHETIC_ERRNO(EINVAL),
                    "%s: resolves to '%s', which contains whitespace, a quote, a backslash or "
                    "a control character",
                    b->path, b->real);

        config = path_join(b->path, "config.json");
        if (!config)
                return log_oom();
        r = config_load(fd, config, &spec);
        if (r < 0)
                return r;
        r = spec_check(config, spec);
        if (r < 0)
                return r;
        r = rootfs_resolve(fd, b->real, spec->root_path, &b->rootfs_real);
        if (r == -ENOTDIR)
                return log_error_errno(r, "%s: root.path: '%s' is not a directory", config, spec->root_path);
        if (r < 0)
                return log_error_errno(r, "%s: root.path: '%s': %m", config, spec->root_path);
        if (!path_unit_safe(b->rootfs_real))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s: root.path: '%s' contains whitespace, a quote, a backslash or a "
                                       "control character",
                                       config, b->rootfs_real);

        d = spec_annotation(spec, "org.opencontainers.image.title")
                ?: spec_annotation(spec, "org.opencontainers.image.description");
        if (d) {
                b->description = unit_escape_value(d);
                if (!b->description)
                        return log_oom();
        } else if (asprintf(&b->description, "Container %s", b->name) < 0)
                return log_oom();

        return unit_conf_load(fd, b->path, &b->conf);
}

/* ---- output ----------------------------------------------------------------------------------- */

#define OUTPUT_DIRS_REMEMBERED 64U

/* remember: a dir other bundles write into too (.wants/, .requires/). */
static int mkdir_in_dest(Output *o, const char *dir, bool remember) {
        if (remember && strv_contains(o->dirs, dir))
                return 0;
        if (mkdirat(o->fd, dir, 0755) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to create '%s/%s': %m", arg_dest, dir);
        if (remember && strv_length(o->dirs) < OUTPUT_DIRS_REMEMBERED)
                (void) strv_extend(&o->dirs, dir); /* on OOM, it is made again next time */
        return 0;
}

/* dir/name in the output: created (O_EXCL, never through a symlink) and written with one write(),
 * as systemd's own generators do (fopen "wxe"). No temporary file and rename, no fsync: systemd
 * runs the generators into fresh, empty output dirs on /run and reads them only after every
 * generator has exited, so no reader ever sees a half-written file; a failed write is removed. */
static int output_file(Output *o, const char *dir, const char *name, const char *text) {
        char path[PATH_MAX];
        _cleanup_close_ int fd = -EBADF;
        int r;

        (void) snprintf(path, sizeof path, "%s%s%s", dir ?: "", dir ? "/" : "", name);
        if (arg_dry_run) {
                printf("==> %s <==\n%s\n", path, text);
                return 0;
        }
        r = dir ? mkdir_in_dest(o, dir, /* remember= */ false) : 0;
        if (r < 0)
                return r;
        fd = openat(o->fd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return log_error_errno(errno, "Failed to create '%s/%s': %m", arg_dest, path);
        r = loop_write(fd, text, strlen(text));
        if (r < 0) {
                (void) unlinkat(o->fd, path, 0);
                return log_error_errno(r, "Failed to write '%s/%s': %m", arg_dest, path);
        }
        return 0;
}

/* target_unit.kind/unit -> link (the template, or a unit we generated). */
static int output_link(Output *o, const char *target_unit, const char *kind, const char *unit, const char *link) {
        char dir[UNIT_NAME_MAX + 16], path[2 * UNIT_NAME_MAX + 16];
        int r;

        (void) snprintf(dir, sizeof dir, "%s.%s", target_unit, kind);
        (void) snprintf(path, sizeof path, "%s/%s", dir, unit);
        if (arg_dry_run) {
                printf("==> %s -> %s <==\n\n", path, link);
                return 0;
        }
        r = mkdir_in_dest(o, dir, /* remember= */ true);
        if (r < 0)
                return r;
        if (symlinkat(link, o->fd, path) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to create '%s/%s': %m", arg_dest, path);
        return 0;
}

#define TEMPLATE BERTH_UNIT_DIR "/container@.service"

/* unit.conf's [Socket] section: container@NAME.socket (which activates container@NAME.service), made
 * to listen from boot (sockets.target.wants/): berth passes its fds on to the container. */
static int socket_write(Output *o, const Bundle *b, const char *path) {
        _cleanup_free_ char *unit = NULL, *text = NULL, *link = NULL;
        int r;

        r = unit_name_build("container", b->name, "socket", &unit);
        if (r < 0)
                return log_error_errno(r, "Failed to build the unit name: %m");
        if (asprintf(&text,
                     "# Automatically generated by berth-generator\n\n"
                     "[Unit]\n"
                     "Description=Socket of %s\n"
                     "Documentation=man:container@.service(5)\n"
                     "SourcePath=%s/unit.conf\n"
                     "\n"
                     "[Socket]\n"
                     "%s",
                     b->description, path, b->conf.socket) < 0 ||
            asprintf(&link, "../%s", unit) < 0)
                return log_oom();
        r = output_file(o, NULL, unit, text);
        RET_GATHER(r, output_link(o, "sockets.target", "wants", unit, link));
        return r;
}

static int bundle_write(Output *o, const Bundle *b) {
        _cleanup_free_ char *unit = NULL, *dropin = NULL, *dir = NULL, *p = NULL, *real = NULL,
                            *rootfs = NULL;
        const char *under;
        bool own_mount;
        int r;

        r = unit_name_build("container", b->name, "service", &unit);
        if (r < 0)
                return log_error_errno(r, "Failed to build the unit name: %m");
        p = unit_escape_value(b->path);
        real = unit_escape_value(b->real);
        rootfs = unit_escape_value(b->rootfs_real);
        if (!p || !real || !rootfs)
                return log_oom();
        /* The rootfs may live elsewhere, on another file system than the bundle. */
        under = startswith(b->rootfs_real, b->real);
        own_mount = !under || !IN_SET(under[0], '/', '\0');
        if (asprintf(&dropin,
                     "# Automatically generated by berth-generator\n\n"
                     "[Unit]\n"
                     "Description=%s\n"
                     "SourcePath=%s/config.json\n"
                     "RequiresMountsFor=%s%s%s\n"
                     "%s\n"
                     "[Service]\n"
                     "Environment=BERTH_BUNDLE=%s\n"
                     "Restart=on-failure\n"
                     "%s"
                     "%s",
                     b->description, p, real, own_mount ? " " : "", own_mount ? rootfs : "",
                     strempty(b->conf.unit), p,
                     /* The forwarder sends READY=1 with MAINPID=, it is not the main process. */
                     b->conf.notify ? "NotifyAccess=all\n" : "", strempty(b->conf.service)) < 0)
                return log_oom();
        if (asprintf(&dir, "%s.d", unit) < 0)
                return log_oom();
        r = output_file(o, dir, DROPIN_NAME, dropin);
        STRV_FOREACH(t, b->conf.wanted_by)
                RET_GATHER(r, output_link(o, *t, "wants", unit, TEMPLATE));
        STRV_FOREACH(t, b->conf.required_by)
                RET_GATHER(r, output_link(o, *t, "requires", unit, TEMPLATE));
        if (b->conf.socket)
                RET_GATHER(r, socket_write(o, b, p));
        return r;
}

/* ---- the search path -------------------------------------------------------------------------- */

typedef struct Entry {
        char *name;
        unsigned dir; /* index in the search path: the lowest wins */
        bool is_dir;  /* readdir() said: a directory (not a symlink to one) */
} Entry;

static int entry_cmp(const void *a, const void *b) {
        const Entry *x = a, *y = b;
        int c = strcmp(x->name, y->name);

        return c ?: (x->dir > y->dir) - (x->dir < y->dir);
}

/* Everything one run needs, inherited by the workers. */
typedef struct Run {
        Output out;
        SearchDir *dirs; /* one per arg_search_path entry */
        size_t ndirs;
        Entry *entries; /* every NAME of every search dir, sorted by name, then by search order */
        size_t n;
} Run;

static void run_done(Run *run) {
        run->out.fd = safe_close(run->out.fd);
        run->out.dirs = strv_free(run->out.dirs);
        for (size_t i = 0; i < run->ndirs; i++) {
                safe_close(run->dirs[i].fd);
                free(run->dirs[i].real);
        }
        run->dirs = mfree(run->dirs);
        for (size_t i = 0; i < run->n; i++)
                free(run->entries[i].name);
        run->entries = mfree(run->entries);
}

static int entry_add(Run *run, size_t *cap, const char *name, unsigned dir, bool is_dir) {
        if (run->n == *cap) {
                Entry *m = reallocarray(run->entries, *cap = *cap ? *cap * 2 : 64, sizeof *m);

                if (!m)
                        return -ENOMEM;
                run->entries = m;
        }
        run->entries[run->n] = (Entry){.name = strdup(name), .dir = dir, .is_dir = is_dir};
        if (!run->entries[run->n].name)
                return -ENOMEM;
        run->n++;
        return 0;
}

/* One search dir: opened and resolved once (its bundles are opened relative to it), then read.
 * Entries starting with '.' are ignored (editors' temporary files). */
static int search_dir_scan(Run *run, unsigned i, size_t *cap) {
        SearchDir *sd = &run->dirs[i];
        _cleanup_close_ int fd = -EBADF;
        struct dirent *de;
        DIR *d;
        int r;

        r = dir_open_resolve(AT_FDCWD, arg_search_path[i], &sd->fd, &sd->real);
        if (r < 0 && r != -EXDEV) /* -EXDEV: no /proc, each bundle is resolved on its own */
                return r == -ENOENT ? 0 : log_error_errno(r, "Failed to open '%s': %m", arg_search_path[i]);
        r = 0;
        fd = sd->fd >= 0 ? openat(sd->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                         : open(arg_search_path[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : log_error_errno(errno, "Failed to open '%s': %m", arg_search_path[i]);
        d = fdopendir(fd);
        if (!d)
                return log_error_errno(errno, "Failed to open '%s': %m", arg_search_path[i]);
        TAKE_FD(fd);
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                if (run->n >= BUNDLES_MAX) {
                        r = log_error_errno(SYNTHETIC_ERRNO(E2BIG), "More than %u bundles, ignoring the rest",
                                            BUNDLES_MAX);
                        break;
                }
                r = entry_add(run, cap, de->d_name, i, de->d_type == DT_DIR);
                if (r < 0) {
                        r = log_oom();
                        break;
                }
        }
        closedir(d);
        return r;
}

static int search_path_scan(Run *run) {
        size_t cap = 0;
        int r = 0;

        run->ndirs = strv_length(arg_search_path);
        run->dirs = calloc(run->ndirs, sizeof *run->dirs);
        if (!run->dirs)
                return log_oom();
        for (size_t i = 0; i < run->ndirs; i++)
                run->dirs[i].fd = -EBADF;
        for (unsigned i = 0; i < run->ndirs; i++) {
                int k = search_dir_scan(run, i, &cap);

                if (k == -ENOMEM)
                        return k;
                RET_GATHER(r, k);
        }
        if (run->n > 0)
                qsort(run->entries, run->n, sizeof *run->entries, entry_cmp);
        return r;
}

static void log_prefix_name(const char *name) {
        static char prefix[512]; /* log.c keeps the pointer */
        static pid_t pid;

        if (arg_check)
                return; /* under the unit: the journal names the unit already */
        if (pid == 0)
                pid = getpid();
        (void) snprintf(prefix, sizeof prefix, "berth-generator[%d]: %s%s", (int) pid, strempty(name),
                        name ? ": " : "");
        log_set_prefix(prefix);
}

/* Every nworkers-th entry from the first-th on; returns the first error (bad bundles are skipped,
 * the rest generated). */
static int run_share(Run *run, unsigned first, unsigned nworkers) {
        const Entry *e = run->entries;
        int r = 0;

        for (size_t i = first; i < run->n; i += nworkers) {
                _cleanup_(bundle_done) Bundle b = {.name = e[i].name};

                if (i > 0 && streq(e[i].name, e[i - 1].name)) {
                        log_debug("%s/%s: hidden by '%s/%s'", arg_search_path[e[i].dir], e[i].name,
                                  arg_search_path[e[i - 1].dir], e[i].name);
                        continue;
                }
                if (!bundle_name_valid(e[i].name)) {
                        _cleanup_free_ char *shown = unit_name_escape(e[i].name);

                        log_prefix_name(strna(shown));
                        RET_GATHER(
                            r, log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                               "%s/%s: invalid bundle name: use letters, digits and '_.-' "
                                               "(at most %zu)",
                                               arg_search_path[e[i].dir], strna(shown), NAME_MAX_LEN));
                        continue;
                }
                log_prefix_name(e[i].name);
                b.path = path_join(arg_search_path[e[i].dir], e[i].name);
                if (!b.path)
                        return log_oom();
                if (RET_GATHER(r, bundle_load(&b, e[i].is_dir ? &run->dirs[e[i].dir] : NULL)) < 0)
                        continue;
                RET_GATHER(r, bundle_write(&run->out, &b));
        }
        log_prefix_name(NULL);
        return r;
}

/* The generator blocks boot: with many bundles, every CPU takes a share (each bundle is parsed and
 * written on its own; shared .wants/ dirs are created with EEXIST allowed). Small sets stay in one
 * process, in name order, so their messages come in a stable order. */
#define BUNDLES_PER_WORKER 256U
#define WORKERS_MAX 8U

static int run(const char *dest, const char *dest_early, const char *dest_late) {
        _cleanup_(run_done) Run run = {.out.fd = -EBADF};
        pid_t workers[WORKERS_MAX] = {};
        unsigned nworkers = 1;
        long cpus;
        int r;

        if (!arg_dry_run) {
                run.out.fd = open(dest, O_DIRECTORY | O_PATH | O_CLOEXEC);
                if (run.out.fd < 0)
                        return log_error_errno(errno, "Failed to open '%s': %m", dest);
        }
        r = search_path_scan(&run);
        if (r == -ENOMEM)
                return r;
        cpus = sysconf(_SC_NPROCESSORS_ONLN);
        if (!arg_dry_run && cpus > 1) {
                size_t want = run.n / BUNDLES_PER_WORKER + 1;

                nworkers = (unsigned) (want < (size_t) cpus ? want : (size_t) cpus);
                if (nworkers > WORKERS_MAX)
                        nworkers = WORKERS_MAX;
        }
        for (unsigned w = 1; w < nworkers; w++) {
                workers[w] = fork();
                if (workers[w] == 0)
                        _exit(run_share(&run, w, nworkers) < 0 ? EXIT_FAILURE : EXIT_SUCCESS);
                if (workers[w] < 0) {
                        /* do that share here */
                        log_debug_errno(errno, "Failed to fork a worker, ignoring: %m");
                        RET_GATHER(r, run_share(&run, w, nworkers));
                }
        }
        RET_GATHER(r, run_share(&run, 0, nworkers));
        for (unsigned w = 1; w < nworkers; w++) {
                int status = 0, k;

                if (workers[w] <= 0)
                        continue;
                do
                        k = waitpid(workers[w], &status, 0);
                while (k < 0 && errno == EINTR);
                if (k < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        RET_GATHER(r, -EIO); /* the worker logged why */
        }
        return r;
}

/* container@NAME.service's ExecStartPre: the bundle NAME must be there, valid, and the one the unit
 * was generated for ($BERTH_BUNDLE, from the drop-in). */
static int check(const char *name) {
        _cleanup_(bundle_done) Bundle b = {.name = name};
        _cleanup_free_ char *where = NULL;
        const char *generated = getenv("BERTH_BUNDLE");
        size_t len = 0;
        FILE *f;
        int r;

        if (!bundle_name_valid(name))
                return log_error_errno(
                    SYNTHETIC_ERRNO(EINVAL),
                    "Invalid container name '%s': use letters, digits and '_.-' (at most %zu)", name,
                    NAME_MAX_LEN);
        for (unsigned i = 0; arg_search_path[i]; i++) {
                _cleanup_free_ char *p = path_join(arg_search_path[i], name);

                if (!p)
                        return log_oom();
                if (faccessat(AT_FDCWD, p, F_OK, AT_SYMLINK_NOFOLLOW) >= 0) {
                        b.path = TAKE_PTR(p);
                        break;
                }
        }
        if (!b.path) {
                f = open_memstream(&where, &len);
                if (!f)
                        return log_oom();
                for (unsigned i = 0; arg_search_path[i]; i++)
                        fprintf(f, "%s%s/%s/", i ? ", " : "", arg_search_path[i], name);
                fclose(f);
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT),
                                       "Failed to find the bundle of container '%s': "
                                       "none of %s exists",
                                       name, strna(where));
        }
        /* A bundle the generator skipped: say why, as it did at boot. */
        r = bundle_load(&b, /* parent= */ NULL);
        if (r < 0)
                return r;
        if (!streq_ptr(generated, b.path))
                return log_error_errno(
                    SYNTHETIC_ERRNO(ESTALE),
                    "The bundle of container '%s' is '%s', but the unit was generated %s%s: run "
                    "'systemctl daemon-reload'",
                    name, b.path, generated ? "for " : "before it existed", strempty(generated));
        return 0;
}

static int search_path_init(void) {
        const char *e = getenv("BERTH_BUNDLE_PATH");
        char *save = NULL;
        int r;

        if (!e) {
                for (size_t i = 0; i < ELEMENTSOF(default_search_path); i++)
                        if (strv_extend(&arg_search_path, default_search_path[i]) < 0)
                                return log_oom();
                return 0;
        }
        _cleanup_free_ char *copy = strdup(e);
        if (!copy)
                return log_oom();
        for (char *w = strtok_r(copy, ":", &save); w; w = strtok_r(NULL, ":", &save)) {
                if (!path_is_absolute(w))
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                               "BERTH_BUNDLE_PATH: '%s' is not absolute", w);
                r = strv_extend(&arg_search_path, w);
                if (r < 0)
                        return log_oom();
        }
        if (!arg_search_path)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "BERTH_BUNDLE_PATH is empty");
        return 0;
}

static void help(void) {
        printf("Usage: berth-generator [--dry-run] normal-dir [early-dir late-dir]\n"
               "       berth-generator --dry-run\n"
               "       berth-generator --check NAME\n\n"
               "Generate container@NAME.service drop-ins from OCI bundles in /etc/berth/bundles/,\n"
               "/run/berth/bundles/ and /var/lib/berth/bundles/. See berth-generator(8).\n");
}

static int parse_argv(int argc, char **argv) {
        enum { ARG_DRY_RUN = 0x100, ARG_CHECK };
        static const struct option options[] = {{"help", no_argument, NULL, 'h'},
                                                {"dry-run", no_argument, NULL, ARG_DRY_RUN},
                                                {"check", required_argument, NULL, ARG_CHECK},
                                                {}};
        int c, n;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_DRY_RUN:
                        arg_dry_run = true;
                        break;
                case ARG_CHECK:
                        arg_check = optarg;
                        break;
                case '?':
                        return -EINVAL;
                default:
                        assert(false);
                }
        n = argc - optind;
        if (arg_check && (n != 0 || arg_dry_run))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "--check takes a NAME and nothing else");
        if (!arg_check && !(n == 1 || n == 3 || (n == 0 && arg_dry_run)))
                return log_error_errno(
                    SYNTHETIC_ERRNO(EINVAL),
                    "Expected one or three directories (normal-dir [early-dir late-dir])");
        arg_dest = n > 0 ? argv[optind] : NULL;
        return 1;
}

int main(int argc, char **argv) {
        const char *target = getenv("SYSTEMD_LOG_TARGET");
        int r;

        /* No fastbins: json-c frees a few hundred small objects per bundle, and the next bundle's
         * first allocation of 1 KiB or more (the read buffer, the tokener's stack) made malloc
         * consolidate them all again (malloc_consolidate() was 4% of a run over 1000 bundles). */
        (void) mallopt(M_MXFAST, 0);

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        /* Generators log to the kernel log: nothing else runs yet at early boot. --check runs in
         * the unit, whose stderr is the journal. */
        if (!arg_check && !arg_dry_run && !streq_ptr(target, "console"))
                log_open_kmsg();
        if (getenv("SYSTEMD_LOG_LEVEL") && streq(getenv("SYSTEMD_LOG_LEVEL"), "debug"))
                log_set_max_level(LOG_DEBUG);

        r = search_path_init();
        if (r >= 0)
                r = arg_check ? check(arg_check)
                              : run(arg_dest, argc - optind > 1 ? argv[optind + 1] : NULL,
                                    argc - optind > 2 ? argv[optind + 2] : NULL);
        arg_search_path = strv_free(arg_search_path);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
