/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "fd-util.h"
#include "log.h"
#include "process-util.h"
#include "state-store.h"
#include "strv.h"

static inline void json_object_putp(json_object **j) {
        if (*j)
                (void) json_object_put(*j);
}

static const char *const status_table[_CONTAINER_STATUS_MAX] = {
        [CONTAINER_CREATING] = "creating", [CONTAINER_CREATED] = "created", [CONTAINER_RUNNING] = "running",
        [CONTAINER_PAUSED] = "paused",     [CONTAINER_STOPPED] = "stopped",
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

static int mkdir_parents(const char *path, mode_t mode) {
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

int state_root_open(const char *root, int *ret_fd) {
        int fd, r;

        r = mkdir_parents(root, 0700);
        if (r < 0)
                return log_error_errno(r, "Failed to create state directory '%s': %m", root);
        fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Failed to open state directory '%s': %m", root);
        *ret_fd = fd;
        return 0;
}

int state_dir_create(int root_fd, const char *id, int *ret_dir_fd) {
        _cleanup_close_ int fd = -EBADF;

        /* mkdir is the atomic step: of two racing creates exactly one gets here. */
        if (mkdirat(root_fd, id, 0700) < 0) {
                if (errno == EEXIST)
                        return log_error_errno(SYNTHETIC_ERRNO(EEXIST), "container '%s' already exists", id);
                return log_error_errno(errno, "Failed to create state directory for '%s': %m", id);
        }
        fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 || flock(fd, LOCK_EX) < 0) {
                int r = -errno;
                (void) unlinkat(root_fd, id, AT_REMOVEDIR);
                return log_error_errno(r, "Failed to open state directory for '%s': %m", id);
        }
        *ret_dir_fd = TAKE_FD(fd);
        return 0;
}

int state_dir_open(int root_fd, const char *id, bool lock, int *ret_dir_fd) {
        _cleanup_close_ int fd = -EBADF;

        fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
                if (errno == ENOENT)
                        return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "container '%s' does not exist", id);
                return log_error_errno(errno, "Failed to open state of container '%s': %m", id);
        }
        if (lock && flock(fd, LOCK_EX) < 0)
                return log_error_errno(errno, "Failed to lock state of container '%s': %m", id);
        *ret_dir_fd = TAKE_FD(fd);
        return 0;
}

int state_dir_remove(int root_fd, const char *id) {
        _cleanup_close_ int fd = -EBADF;
        DIR *d;
        int r = 0;

        fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        d = fdopendir(fd);
        if (!d)
                return -errno;
        TAKE_FD(fd);
        for (struct dirent *de; (de = readdir(d));) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT)
                        RET_GATHER(r, -errno);
        }
        closedir(d);
        if (unlinkat(root_fd, id, AT_REMOVEDIR) < 0 && errno != ENOENT)
                RET_GATHER(r, -errno);
        return r;
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
        json_object_object_add(o, "owner", json_object_new_string(""));
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
                json_object_object_add(o, "berthStarted", json_object_new_boolean(s->started));
                if (s->pid_file)
                        json_object_object_add(o, "berthPidFile", json_object_new_string(s->pid_file));
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

static char *json_dup_string(json_object *o, const char *key) {
        json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return NULL;
        return strdup(json_object_get_string(v));
}

int state_parse(const char *text, size_t len, ContainerState **ret) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_(json_object_putp) json_object *o = NULL;
        _cleanup_free_ char *buf = NULL;
        json_object *v;

        assert(text || len == 0);
        assert(ret);

        buf = strndup(strempty(text), len);
        if (!buf)
                return -ENOMEM;
        o = json_tokener_parse(buf);
        if (!o || !json_object_is_type(o, json_type_object))
                return -EBADMSG;
        s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        s->oci_version = json_dup_string(o, "ociVersion");
        s->id = json_dup_string(o, "id");
        s->bundle = json_dup_string(o, "bundle");
        s->rootfs = json_dup_string(o, "rootfs");
        s->created = json_dup_string(o, "created");
        s->pid_file = json_dup_string(o, "berthPidFile");
        if (!s->id)
                return -EBADMSG;
        if (json_object_object_get_ex(o, "pid", &v))
                s->pid = json_object_get_int(v);
        if (json_object_object_get_ex(o, "berthPidStartTime", &v))
                s->pid_start_time = json_object_get_uint64(v);
        if (json_object_object_get_ex(o, "berthOwnerUid", &v))
                s->owner = (uint32_t) json_object_get_uint64(v);
        if (json_object_object_get_ex(o, "berthStarted", &v))
                s->started = json_object_get_boolean(v);
        if (json_object_object_get_ex(o, "annotations", &v) && json_object_is_type(v, json_type_object)) {
                json_object_object_foreach(v, key, val) {
                        if (strv_extend(&s->annotations, key) < 0 ||
                            strv_extend(&s->annotations, strempty(json_object_get_string(val))) < 0)
                                return -ENOMEM;
                }
        }
        *ret = TAKE_PTR(s);
        return 0;
}

int state_read(int dir_fd, ContainerState **ret) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        int r;

        r = read_full_file_at(dir_fd, STATE_JSON, 1024 * 1024, &buf, &size);
        if (r < 0)
                return r;
        return state_parse(buf, size, ret);
}

ContainerStatus state_status(int dir_fd, const ContainerState *s) {
        if (!pid_is_alive(s->pid, s->pid_start_time))
                return CONTAINER_STOPPED;
        /* The release socket exists until start has released the init. */
        if (faccessat(dir_fd, STATE_RELEASE_SOCKET, F_OK, AT_SYMLINK_NOFOLLOW) >= 0)
                return CONTAINER_CREATED;
        return CONTAINER_RUNNING;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

int state_list_ids(int root_fd, char ***ret) {
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_close_ int fd = -EBADF;
        DIR *d;

        fd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d)
                return -errno;
        TAKE_FD(fd);
        for (struct dirent *de; (de = readdir(d));) {
                if (!container_id_valid(de->d_name))
                        continue;
                if (de->d_type == DT_UNKNOWN) {
                        struct stat st;

                        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
                                continue;
                } else if (de->d_type != DT_DIR)
                        continue;
                if (strv_extend(&ids, de->d_name) < 0) {
                        closedir(d);
                        return -ENOMEM;
                }
        }
        closedir(d);
        if (ids)
                qsort(ids, strv_length(ids), sizeof(char *), cmp_str);
        *ret = TAKE_PTR(ids);
        return 0;
}
