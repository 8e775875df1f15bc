/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/random.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup.h"
#include "fd-util.h"
#include "log.h"
#include "process-util.h"
#include "state-store.h"
#include "strv.h"

static inline void json_object_putp(json_object **j) {
        if (*j)
                (void) json_object_put(*j);
}
static inline void json_tokener_freep(json_tokener **t) {
        if (*t)
                json_tokener_free(*t);
}

/* *reason = the formatted text (NULL if out of memory: the caller says "n/a" then). */
_printf_(2, 3) static void reason_set(char **reason, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(reason, fmt, ap) < 0)
                *reason = NULL;
        va_end(ap);
}

/* A state.json is a few hundred bytes plus annotations. */
#define STATE_FILE_MAX (1024U * 1024U)

static const char *const status_table[_CONTAINER_STATUS_MAX] = {
        [CONTAINER_CREATING] = "creating", [CONTAINER_CREATED] = "created", [CONTAINER_RUNNING] = "running",
        [CONTAINER_PAUSED] = "paused",     [CONTAINER_STOPPED] = "stopped", [CONTAINER_UNKNOWN] = "unknown",
};

const char *container_status_to_string(ContainerStatus s) {
        return s >= 0 && s < _CONTAINER_STATUS_MAX ? status_table[s] : NULL;
}

ContainerState *container_state_free(ContainerState *s) {
        if (!s)
                return NULL;
        free(s->oci_version);
        free(s->id);
        free(s->bundle);
        free(s->rootfs);
        free(s->created);
        free(s->pid_file);
        free(s->cgroup_path);
        free(s->cgroup_unit);
        free(s->owner_name);
        free(s->corrupt);
        strv_free(s->annotations);
        free(s);
        return NULL;
}

bool container_id_valid(const char *id) {
        size_t l;

        if (!id)
                return false;
        l = strlen(id);
        if (l == 0 || l > CONTAINER_ID_MAX || streq(id, ".") || streq(id, ".."))
                return false;
        for (const char *p = id; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      strchr("_.-+", *p)))
                        return false;
        return true;
}

int state_mkdir_p(const char *path, mode_t mode) {
        _cleanup_free_ char *p = strdup(path);

        if (!p)
                return -ENOMEM;
        for (char *s = p + 1; *s; s++)
                if (*s == '/') {
                        *s = 0;
                        if (mkdir(p, mode) < 0 && errno != EEXIST)
                                return -errno;
                        *s = '/';
                }
        if (mkdir(p, mode) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/* Trusted: owned by our euid and not writable by group or others, so nobody else can have put
 * it there or changed it since we wrote it. Returns -EPERM with *ret_why set otherwise. */
int state_check_trusted(const struct stat *st, mode_t type, char why[static 128]) {
        if ((st->st_mode & S_IFMT) != type) {
                snprintf(why, 128, "it is not a %s", type == S_IFDIR ? "directory" : "regular file");
                return -EPERM;
        }
        if (st->st_uid != geteuid()) {
                snprintf(why, 128, "it is owned by uid %u, not by uid %u", (unsigned) st->st_uid,
                         (unsigned) geteuid());
                return -EPERM;
        }
        if (st->st_mode & (S_IWGRP | S_IWOTH)) {
                snprintf(why, 128, "it is writable by group or others (mode %04o)", (unsigned) (st->st_mode & 07777));
                return -EPERM;
        }
        return 0;
}

static int check_fd_trusted(int fd, mode_t type, const char *what, const char *path) {
        struct stat st;
        char why[128];

        if (fstat(fd, &st) < 0)
                return log_error_errno(errno, "Failed to check %s '%s': %m", what, path);
        if (state_check_trusted(&st, type, why) < 0)
                return log_error_errno(SYNTHETIC_ERRNO(EPERM), "Refusing to use %s '%s': %s", what, path, why);
        return 0;
}

int state_root_open(const char *root, bool create, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        assert(root);
        if (create) {
                r = state_mkdir_p(root, 0700);
                if (r < 0)
                        return log_error_errno(r, "Failed to create state directory '%s': %m", root);
        }
        fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT && !create)
                return -ENOENT;
        if (fd < 0)
                return log_error_errno(errno, "Failed to open state directory '%s': %m", root);
        r = check_fd_trusted(fd, S_IFDIR, "state directory", root);
        if (r < 0)
                return r;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* "~" is not allowed in ids: list never shows these, and no id can collide with one. The id is cut
 * so that the name stays within NAME_MAX. */
#define STATE_NEW_PREFIX "~new."
#define STATE_NEW_ID_MAX 200U

int state_dir_create(int root_fd, const char *id, int *ret_dir_fd) {
        _cleanup_close_ int fd = -EBADF;
        char tmp[sizeof(STATE_NEW_PREFIX) + STATE_NEW_ID_MAX + 32];
        uint64_t rnd;
        int r;

        assert(id);
        if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != sizeof rnd)
                rnd = (uint64_t) getpid() << 32 ^ (uint64_t) time(NULL);
        snprintf(tmp, sizeof tmp, STATE_NEW_PREFIX "%.*s.%016" PRIx64, (int) STATE_NEW_ID_MAX, id, rnd);
        if (mkdirat(root_fd, tmp, 0700) < 0)
                return log_error_errno(errno, "Failed to create state directory for '%s': %m", id);
        fd = openat(root_fd, tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 || flock(fd, LOCK_EX) < 0) {
                r = -errno;
                (void) unlinkat(root_fd, tmp, AT_REMOVEDIR);
                return log_error_errno(r, "Failed to open state directory for '%s': %m", id);
        }
        /* The atomic step: the dir appears under its name already locked, and of two racing
         * creates exactly one rename succeeds. */
        if (renameat2(root_fd, tmp, root_fd, id, RENAME_NOREPLACE) < 0) {
                r = -errno;
                (void) unlinkat(root_fd, tmp, AT_REMOVEDIR);
                if (r == -EEXIST)
                        return log_error_errno(SYNTHETIC_ERRNO(EEXIST), "Container '%s' already exists", id);
                return log_error_errno(r, "Failed to create state directory for '%s': %m", id);
        }
        *ret_dir_fd = TAKE_FD(fd);
        return 0;
}

static bool same_inode(const struct stat *a, const struct stat *b) {
        return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Does <root>/<id> still name the dir dir_fd? */
static int state_dir_linked(int root_fd, int dir_fd, const char *id) {
        struct stat a, b;

        if (fstat(dir_fd, &a) < 0)
                return -errno;
        if (fstatat(root_fd, id, &b, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : -errno;
        return same_inode(&a, &b);
}

int state_dir_open(int root_fd, const char *id, bool lock, int *ret_dir_fd) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        char why[128];
        int r;

        assert(id);
        fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
                if (IN_SET(errno, ENOENT, ELOOP, ENOTDIR))
                        return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "Container '%s' does not exist", id);
                return log_error_errno(errno, "Failed to open state of container '%s': %m", id);
        }
        if (fstat(fd, &st) < 0)
                return log_error_errno(errno, "Failed to check the state of container '%s': %m", id);
        if (state_check_trusted(&st, S_IFDIR, why) < 0)
                return log_error_errno(SYNTHETIC_ERRNO(EPERM), "Refusing to use the state directory of container "
                                       "'%s': %s", id, why);
        if (lock) {
                if (flock(fd, LOCK_EX) < 0)
                        return log_error_errno(errno, "Failed to lock state of container '%s': %m", id);
                /* While we waited, a delete may have removed it (and a create made a new one). */
                r = state_dir_linked(root_fd, fd, id);
                if (r < 0)
                        return log_error_errno(r, "Failed to check the state of container '%s': %m", id);
                if (r == 0)
                        return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "Container '%s' does not exist", id);
        }
        *ret_dir_fd = TAKE_FD(fd);
        return 0;
}

static int remove_dir_contents(int dir_fd) {
        _cleanup_(closedirp) DIR *d = NULL;
        int r;

        r = opendir_at(dir_fd, ".", &d);
        if (r < 0)
                return r;
        for (struct dirent *de; (de = readdir(d));) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT)
                        RET_GATHER(r, -errno);
        }
        return r;
}

int state_dir_remove(int root_fd, int dir_fd, const char *id) {
        int r, k;

        assert(id);
        r = remove_dir_contents(dir_fd);
        /* Only the dir we hold locked: nobody can put another dir under this name while it
         * exists (create renames without replacing), and removing it needs our lock. */
        k = state_dir_linked(root_fd, dir_fd, id);
        if (k < 0)
                RET_GATHER(r, k);
        else if (k > 0 && unlinkat(root_fd, id, AT_REMOVEDIR) < 0 && errno != ENOENT)
                RET_GATHER(r, -errno);
        return r;
}

void state_dir_remove_stale(int root_fd, const char *id) {
        size_t l = strlen(id) < STATE_NEW_ID_MAX ? strlen(id) : STATE_NEW_ID_MAX;
        _cleanup_(closedirp) DIR *d = NULL;

        if (opendir_at(root_fd, ".", &d) < 0)
                return;
        for (struct dirent *de; (de = readdir(d));) {
                const char *n = de->d_name, *rest;
                _cleanup_close_ int dfd = -EBADF;

                if (!startswith(n, STATE_NEW_PREFIX))
                        continue;
                rest = n + strlen(STATE_NEW_PREFIX);
                if (strncmp(rest, id, l) != 0 || rest[l] != '.' || strlen(rest + l + 1) != 16)
                        continue;
                dfd = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                /* Locked: a create is busy with it right now. */
                if (dfd < 0 || flock(dfd, LOCK_EX | LOCK_NB) < 0)
                        continue;
                (void) remove_dir_contents(dfd);
                (void) unlinkat(dirfd(d), n, AT_REMOVEDIR);
        }
}

int state_record_init(int dir_fd, pid_t pid, uint64_t start_time) {
        char buf[64];

        snprintf(buf, sizeof buf, "%d %" PRIu64, (int) pid, start_time);
        return RET_NERRNO(symlinkat(buf, dir_fd, STATE_INIT_RECORD));
}

int state_read_init(int dir_fd, pid_t *ret_pid, uint64_t *ret_start_time) {
        char buf[64], extra;
        unsigned long long st;
        struct stat lst;
        ssize_t n;
        int pid;

        if (fstatat(dir_fd, STATE_INIT_RECORD, &lst, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        if (!S_ISLNK(lst.st_mode) || lst.st_uid != geteuid())
                return -EBADMSG;
        n = readlinkat(dir_fd, STATE_INIT_RECORD, buf, sizeof buf - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        if (sscanf(buf, "%d %llu%c", &pid, &st, &extra) != 2 || pid <= 0 || pid > STATE_PID_MAX || st == 0)
                return -EBADMSG;
        *ret_pid = pid;
        *ret_start_time = st;
        return 0;
}

int state_now_rfc3339(char **ret) {
        struct timespec ts;
        struct tm tm;
        char buf[64];

        if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
                return -errno;
        if (!gmtime_r(&ts.tv_sec, &tm))
                return -EINVAL;
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
        if (asprintf(ret, "%s.%09ldZ", buf, ts.tv_nsec) < 0)
                return -ENOMEM;
        return 0;
}

static json_object *state_to_object(const ContainerState *s, const char *status, bool internal) {
        _cleanup_(json_object_putp) json_object *o = json_object_new_object();
        json_object *a;

        if (!o)
                return NULL;
        json_object_object_add(o, "ociVersion", json_object_new_string(strempty(s->oci_version)));
        json_object_object_add(o, "id", json_object_new_string(s->id));
        json_object_object_add(o, "pid", json_object_new_int(s->pid));
        json_object_object_add(o, "status", json_object_new_string(status));
        json_object_object_add(o, "bundle", json_object_new_string(strempty(s->bundle)));
        json_object_object_add(o, "rootfs", json_object_new_string(strempty(s->rootfs)));
        json_object_object_add(o, "created", json_object_new_string(strempty(s->created)));
        json_object_object_add(o, "owner", json_object_new_string(strempty(s->owner_name)));
        if (s->annotations) {
                a = json_object_new_object();
                if (!a)
                        return NULL;
                for (char **k = s->annotations; k[0] && k[1]; k += 2)
                        json_object_object_add(a, k[0], json_object_new_string(k[1]));
                json_object_object_add(o, "annotations", a);
        }
        if (internal) {
                json_object_object_add(o, "berthPidStartTime", json_object_new_uint64(s->pid_start_time));
                json_object_object_add(o, "berthOwnerUid", json_object_new_uint64(s->owner));
                if (s->pid_file)
                        json_object_object_add(o, "berthPidFile", json_object_new_string(s->pid_file));
                json_object_object_add(o, "berthPostHooks", json_object_new_boolean(s->post_hooks));
                json_object_object_add(o, "berthCgroupManager",
                                       json_object_new_string(cgroup_manager_type_to_string(s->cgroup_manager)));
                if (s->cgroup_manager != CGROUP_MANAGER_DISABLED) {
                        json_object_object_add(o, "berthCgroupVersion",
                                               json_object_new_int(s->cgroup_mode == CGROUP_MODE_UNIFIED ? 2 : 1));
                        if (s->cgroup_path)
                                json_object_object_add(o, "berthCgroupPath", json_object_new_string(s->cgroup_path));
                        if (s->cgroup_unit)
                                json_object_object_add(o, "berthCgroupUnit", json_object_new_string(s->cgroup_unit));
                }
        }
        return TAKE_PTR(o);
}

int state_to_json(const ContainerState *s, ContainerStatus status, bool pretty, char **ret) {
        _cleanup_(json_object_putp) json_object *o = NULL;
        const char *t;

        o = state_to_object(s, container_status_to_string(status), false);
        if (!o)
                return -ENOMEM;
        t = json_object_to_json_string_ext(o, JSON_C_TO_STRING_NOSLASHESCAPE |
                                                      (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
                                                              : JSON_C_TO_STRING_PLAIN));
        t = t ? strdup(t) : NULL;
        if (!t)
                return -ENOMEM;
        *ret = (char *) t;
        return 0;
}

int state_write(int dir_fd, const ContainerState *s) {
        _cleanup_(json_object_putp) json_object *o = NULL;
        const char *t;

        o = state_to_object(s, "created", true);
        if (!o)
                return -ENOMEM;
        t = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        if (!t)
                return -ENOMEM;
        return write_file_atomic_at(dir_fd, STATE_JSON, t, strlen(t), 0600);
}

/* Each getter: 0 and the value, -ENOENT if absent (callers decide whether it is required),
 * -EBADMSG with the reason if the type or range is wrong. */
static int get_string(json_object *o, const char *key, bool required, char **ret, char **reason) {
        json_object *v;
        char *c;

        if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
                if (!required)
                        return 0;
                reason_set(reason, "'%s': missing", key);
                return -EBADMSG;
        }
        if (!json_object_is_type(v, json_type_string)) {
                reason_set(reason, "'%s': expected a string", key);
                return -EBADMSG;
        }
        c = strdup(json_object_get_string(v));
        if (!c)
                return -ENOMEM;
        free(*ret);
        *ret = c;
        return 0;
}

static int get_uint(json_object *o, const char *key, uint64_t min, uint64_t max, uint64_t *ret, char **reason) {
        json_object *v;
        uint64_t u;
        int64_t i;

        if (!json_object_object_get_ex(o, key, &v)) {
                reason_set(reason, "'%s': missing", key);
                return -EBADMSG;
        }
        /* json-c turns anything into a number on request; only a real integer in range will do. */
        if (!json_object_is_type(v, json_type_int)) {
                reason_set(reason, "'%s': expected an integer", key);
                return -EBADMSG;
        }
        /* json-c keeps values above INT64_MAX as unsigned; get_int64() saturates for them. */
        i = json_object_get_int64(v);
        u = i == INT64_MAX ? json_object_get_uint64(v) : (uint64_t) i;
        if (i < 0 || u < min || u > max) {
                reason_set(reason, "'%s': expected an integer between %" PRIu64 " and %" PRIu64, key, min, max);
                return -EBADMSG;
        }
        *ret = u;
        return 0;
}

/* The cgroup delete removes and kill --all signals: a known manager, version 1 or 2, an absolute
 * path without ".." (it is joined under /sys/fs/cgroup), a scope name. Absent: no cgroup (a state
 * written before there were cgroup managers). */
static int state_parse_cgroup(json_object *o, ContainerState *s, char **reason) {
        _cleanup_free_ char *manager = NULL;
        uint64_t version;
        int r;

        s->cgroup_manager = CGROUP_MANAGER_DISABLED;
        r = get_string(o, "berthCgroupManager", false, &manager, reason);
        if (r < 0)
                return r;
        if (!manager)
                return 0;
        s->cgroup_manager = cgroup_manager_type_from_string(manager);
        if (s->cgroup_manager < 0) {
                reason_set(reason, "'berthCgroupManager': expected cgroupfs, systemd or disabled");
                return -EBADMSG;
        }
        if (s->cgroup_manager == CGROUP_MANAGER_DISABLED)
                return 0;
        r = get_uint(o, "berthCgroupVersion", 1, 2, &version, reason);
        if (r < 0)
                return r;
        s->cgroup_mode = version == 2 ? CGROUP_MODE_UNIFIED : CGROUP_MODE_LEGACY;
        r = get_string(o, "berthCgroupPath", true, &s->cgroup_path, reason);
        if (r >= 0)
                r = get_string(o, "berthCgroupUnit", s->cgroup_manager == CGROUP_MANAGER_SYSTEMD, &s->cgroup_unit,
                               reason);
        if (r < 0)
                return r;
        if (!cgroup_path_valid(s->cgroup_path)) {
                reason_set(reason, "'berthCgroupPath': expected an absolute cgroup path without '..'");
                return -EBADMSG;
        }
        if (s->cgroup_unit && (strchr(s->cgroup_unit, '/') || strlen(s->cgroup_unit) > 255 ||
                               strlen(s->cgroup_unit) < 7 ||
                               !streq(s->cgroup_unit + strlen(s->cgroup_unit) - 6, ".scope"))) {
                reason_set(reason, "'berthCgroupUnit': expected a scope unit name");
                return -EBADMSG;
        }
        return 0;
}

static int state_parse_object(json_object *o, const char *id, ContainerState *s, char **reason) {
        json_object *v;
        uint64_t u;
        int r;

        if (!json_object_is_type(o, json_type_object)) {
                reason_set(reason, "expected a JSON object");
                return -EBADMSG;
        }
        r = get_string(o, "id", true, &s->id, reason);
        if (r < 0)
                return r;
        /* The id names the dir delete removes: it must be this container's own. */
        if (!streq(s->id, id)) {
                reason_set(reason, "'id': expected '%s' (the directory's name), got '%.64s'", id, s->id);
                return -EBADMSG;
        }
        r = get_uint(o, "pid", 1, STATE_PID_MAX, &u, reason);
        if (r < 0)
                return r;
        s->pid = (pid_t) u;
        /* A pid is only ours with its start time: zero would match nothing, so it is refused. */
        r = get_uint(o, "berthPidStartTime", 1, UINT64_MAX, &s->pid_start_time, reason);
        if (r < 0)
                return r;
        r = get_uint(o, "berthOwnerUid", 0, UINT32_MAX, &u, reason);
        if (r < 0)
                return r;
        s->owner = (uint32_t) u;
        r = get_string(o, "ociVersion", true, &s->oci_version, reason);
        if (r >= 0)
                r = get_string(o, "bundle", true, &s->bundle, reason);
        if (r >= 0)
                r = get_string(o, "rootfs", true, &s->rootfs, reason);
        if (r >= 0)
                r = get_string(o, "created", true, &s->created, reason);
        if (r >= 0)
                r = get_string(o, "berthPidFile", false, &s->pid_file, reason);
        if (r < 0)
                return r;
        if (s->pid_file && s->pid_file[0] != '/') {
                reason_set(reason, "'berthPidFile': expected an absolute path");
                return -EBADMSG;
        }
        if (json_object_object_get_ex(o, "berthPostHooks", &v)) {
                if (!json_object_is_type(v, json_type_boolean)) {
                        reason_set(reason, "'berthPostHooks': expected a boolean");
                        return -EBADMSG;
                }
                s->post_hooks = json_object_get_boolean(v);
        }
        r = state_parse_cgroup(o, s, reason);
        if (r < 0)
                return r;
        if (json_object_object_get_ex(o, "annotations", &v) && !json_object_is_type(v, json_type_null)) {
                if (!json_object_is_type(v, json_type_object)) {
                        reason_set(reason, "'annotations': expected an object");
                        return -EBADMSG;
                }
                json_object_object_foreach(v, key, val) {
                        if (!json_object_is_type(val, json_type_string)) {
                                reason_set(reason, "'annotations.%.64s': expected a string", key);
                                return -EBADMSG;
                        }
                        if (strv_extend(&s->annotations, key) < 0 ||
                            strv_extend(&s->annotations, json_object_get_string(val)) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

int state_parse(const char *text, size_t len, const char *id, ContainerState **ret, char **ret_reason) {
        _cleanup_(json_tokener_freep) json_tokener *tok = NULL;
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_(json_object_putp) json_object *o = NULL;
        _cleanup_free_ char *reason = NULL;
        int r;

        assert(text);
        assert(id);
        if (len > INT_MAX)
                return -EFBIG;
        tok = json_tokener_new();
        if (!tok)
                return -ENOMEM;
        o = json_tokener_parse_ex(tok, text, (int) len);
        if (!o || json_tokener_get_error(tok) != json_tokener_success ||
            json_tokener_get_parse_end(tok) != len) {
                if (ret_reason) {
                        if (len == 0)
                                *ret_reason = strdup("it is empty");
                        else
                                reason_set(ret_reason, "not valid JSON (%s)",
                                                o ? "trailing data" :
                                                json_tokener_get_error(tok) == json_tokener_continue ?
                                                "it ends early" : json_tokener_error_desc(json_tokener_get_error(tok)));
                }
                return -EBADMSG;
        }
        s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        r = state_parse_object(o, id, s, &reason);
        if (r < 0) {
                if (ret_reason)
                        *ret_reason = TAKE_PTR(reason);
                return r;
        }
        *ret = TAKE_PTR(s);
        return 0;
}

int state_read_file(int dir_fd, const char *name, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
        if (fd < 0)
                return errno == ENOENT ? -ENOENT : log_error_errno(errno, "Failed to open '%s': %m", name);
        r = check_fd_trusted(fd, S_IFREG, "state file", name);
        if (r < 0)
                return r;
        r = read_full_fd(fd, max, ret, ret_size);
        if (r < 0)
                return log_error_errno(r, "Failed to read state file '%s': %m", name);
        return 0;
}

int state_record_cgroup(int dir_fd, const ContainerState *s) {
        _cleanup_free_ char *t = NULL;

        if (s->cgroup_manager == CGROUP_MANAGER_DISABLED)
                return 0;
        if (asprintf(&t, "%s %d %s %s", cgroup_manager_type_to_string(s->cgroup_manager),
                     s->cgroup_mode == CGROUP_MODE_UNIFIED ? 2 : 1, s->cgroup_unit ?: "-", strempty(s->cgroup_path)) < 0)
                return -ENOMEM;
        return RET_NERRNO(symlinkat(t, dir_fd, STATE_CGROUP_RECORD));
}

/* Best effort, checked like state.json's fields: what a damaged state still tells about the cgroup. */
static void state_read_cgroup_record(int dir_fd, ContainerState *s) {
        char buf[PATH_MAX], *p, *manager, *version, *unit;
        CgroupManagerType m;
        struct stat st;
        ssize_t n;

        if (fstatat(dir_fd, STATE_CGROUP_RECORD, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode) ||
            st.st_uid != geteuid())
                return;
        n = readlinkat(dir_fd, STATE_CGROUP_RECORD, buf, sizeof buf - 1);
        if (n <= 0)
                return;
        buf[n] = 0;
        p = buf;
        manager = strsep(&p, " ");
        version = strsep(&p, " ");
        unit = strsep(&p, " ");
        if (!p || !version || !unit)
                return;
        m = cgroup_manager_type_from_string(manager);
        if (m <= CGROUP_MANAGER_DISABLED || !(streq(version, "1") || streq(version, "2")))
                return;
        if ((*p || m != CGROUP_MANAGER_SYSTEMD) && !cgroup_path_valid(p))
                return;
        if (m == CGROUP_MANAGER_SYSTEMD && (strchr(unit, '/') || !endswith(unit, ".scope")))
                return;
        s->cgroup_path = *p ? strdup(p) : NULL;
        s->cgroup_unit = streq(unit, "-") ? NULL : strdup(unit);
        s->cgroup_manager = m;
        s->cgroup_mode = streq(version, "2") ? CGROUP_MODE_UNIFIED : CGROUP_MODE_LEGACY;
}

int state_new_unusable(int dir_fd, const char *id, const char *reason, ContainerState **ret) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;

        s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        s->corrupt = strdup(strna(reason));
        s->id = strdup(id);
        if (!s->id || !s->corrupt)
                return -ENOMEM;
        (void) state_read_init(dir_fd, &s->pid, &s->pid_start_time);
        state_read_cgroup_record(dir_fd, s);
        *ret = TAKE_PTR(s);
        return 0;
}

static int state_fallback(int dir_fd, const char *id, char *reason, ContainerState **ret) {
        _cleanup_free_ char *r = reason;

        return state_new_unusable(dir_fd, id, r, ret);
}

int state_read(int dir_fd, const char *id, bool locked, ContainerState **ret) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_free_ char *buf = NULL;
        uint64_t start_time;
        pid_t pid;
        _cleanup_close_ int fd = -EBADF;
        char *reason = NULL, why[128];
        struct stat st;
        size_t len = 0;
        int r;

        fd = openat(dir_fd, STATE_JSON, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
        if (fd < 0 && errno == ENOENT) {
                /* No state.json yet: a create at work holds the lock. If nobody does, the create
                 * died before writing it; what it left is unusable, and delete --force finds its
                 * init (if it got that far) by the init record. */
                if (!locked) {
                        if (flock(dir_fd, LOCK_SH | LOCK_NB) < 0)
                                return errno == EWOULDBLOCK ? -EBUSY : -errno;
                        (void) flock(dir_fd, LOCK_UN);
                }
                return state_new_unusable(dir_fd, id, "state.json is missing: the create of this container did "
                                          "not finish", ret);
        }
        if (fd < 0) {
                reason_set(&reason, "state.json: %s", strerror(errno));
                return state_fallback(dir_fd, id, reason, ret);
        }
        if (fstat(fd, &st) < 0)
                return -errno;
        if (state_check_trusted(&st, S_IFREG, why) < 0) {
                reason_set(&reason, "state.json: %s", why);
                return state_fallback(dir_fd, id, reason, ret);
        }
        r = read_full_fd(fd, STATE_FILE_MAX, &buf, &len);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                reason_set(&reason, "state.json: %s", r == -EFBIG ? "too large" : strerror(-r));
                return state_fallback(dir_fd, id, reason, ret);
        }
        r = state_parse(buf, len, id, &s, &reason);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                _cleanup_free_ char *inner = reason;

                reason = NULL;
                reason_set(&reason, "state.json: %s", strna(inner));
                return state_fallback(dir_fd, id, reason, ret);
        }
        /* The init record is written first and never changes: a state.json naming another
         * process (or one without the record) is not what we wrote. */
        r = state_read_init(dir_fd, &pid, &start_time);
        if (r < 0 || pid != s->pid || start_time != s->pid_start_time) {
                reason_set(&reason, "state.json: 'pid': %s", r < 0 ? "the init record is missing or damaged" :
                                "does not match the init record");
                return state_fallback(dir_fd, id, reason, ret);
        }
        *ret = TAKE_PTR(s);
        return 0;
}

ContainerStatus state_status(int dir_fd, const ContainerState *s) {
        if (s->corrupt)
                return CONTAINER_UNKNOWN;
        if (!pid_is_alive(s->pid, s->pid_start_time))
                return CONTAINER_STOPPED;
        /* The release socket exists until start has released the init. */
        if (faccessat(dir_fd, STATE_RELEASE_SOCKET, F_OK, AT_SYMLINK_NOFOLLOW) >= 0)
                return CONTAINER_CREATED;
        if (s->cgroup_manager != CGROUP_MANAGER_DISABLED && s->cgroup_path) {
                Cgroup cg;
                int frozen = 0;

                if (cgroup_open(&cg, s->cgroup_manager, s->cgroup_mode, s->cgroup_path, s->cgroup_unit, s->id) >= 0)
                        frozen = cg.manager->is_frozen(&cg);
                cgroup_done(&cg);
                if (frozen > 0)
                        return CONTAINER_PAUSED;
        }
        return CONTAINER_RUNNING;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

int state_list_ids(int root_fd, char ***ret) {
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_(closedirp) DIR *d = NULL;
        int r;

        r = opendir_at(root_fd, ".", &d);
        if (r < 0)
                return r;
        for (struct dirent *de; (de = readdir(d));) {
                if (!container_id_valid(de->d_name))
                        continue;
                if (de->d_type == DT_UNKNOWN) {
                        struct stat st;

                        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
                                continue;
                } else if (de->d_type != DT_DIR)
                        continue;
                if (strv_extend(&ids, de->d_name) < 0)
                        return -ENOMEM;
        }
        if (ids)
                qsort(ids, strv_length(ids), sizeof(char *), cmp_str);
        *ret = TAKE_PTR(ids);
        return 0;
}
