/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>

#include "cgroup.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "strv.h"

static const char *const manager_table[_CGROUP_MANAGER_MAX] = {
        [CGROUP_MANAGER_CGROUPFS] = "cgroupfs",
        [CGROUP_MANAGER_SYSTEMD] = "systemd",
        [CGROUP_MANAGER_DISABLED] = "disabled",
};

const char *cgroup_manager_type_to_string(CgroupManagerType t) {
        return t >= 0 && t < _CGROUP_MANAGER_MAX ? manager_table[t] : NULL;
}

CgroupManagerType cgroup_manager_type_from_string(const char *s) {
        for (int i = 0; s && i < _CGROUP_MANAGER_MAX; i++)
                if (streq(s, manager_table[i]))
                        return i;
        return _CGROUP_MANAGER_INVALID;
}

const char *cgroup_root(void) {
        const char *e = secure_getenv("BERTH_CGROUP_ROOT");

        return e && e[0] == '/' ? e : "/sys/fs/cgroup";
}

int cgroup_detect_mode(CgroupMode *ret) {
        struct statfs fs;

        if (statfs(cgroup_root(), &fs) < 0)
                return log_error_errno(errno, "Failed to look at '%s': %m", cgroup_root());
        if (fs.f_type == CGROUP2_SUPER_MAGIC)
                *ret = CGROUP_MODE_UNIFIED;
        else if (fs.f_type == TMPFS_MAGIC)
                *ret = CGROUP_MODE_LEGACY;
        else
                return log_error_errno(SYNTHETIC_ERRNO(ENOMEDIUM), "'%s' is neither cgroup2 nor a tmpfs of cgroup v1 "
                                       "hierarchies", cgroup_root());
        return 0;
}

int cgroup_pid_get_path(pid_t pid, const char *controller, char **ret) {
        _cleanup_free_ char *buf = NULL;
        char path[64];
        int r;

        snprintf(path, sizeof path, "/proc/%d/cgroup", (int) pid);
        r = read_full_file_at(AT_FDCWD, path, 1 << 16, &buf, NULL);
        if (r < 0)
                return r;
        for (char *p = buf, *line; (line = strsep(&p, "\n"));) {
                char *ctl = strchr(line, ':'), *cg;

                if (!ctl || !(cg = strchr(ctl + 1, ':')))
                        continue;
                *cg++ = 0;
                ctl++;
                /* "4:memory:/x", "1:cpu,cpuacct:/x", "0::/x" */
                if (*controller ? ({
                            bool found = false;
                            for (char *c = ctl, *w; (w = strsep(&c, ","));)
                                    if (streq(w, controller))
                                            found = true;
                            found;
                    })
                                : *ctl == 0) {
                        char *s = strdup(cg);

                        if (!s)
                                return -ENOMEM;
                        *ret = s;
                        return 0;
                }
        }
        return -ENOENT;
}

char *cgroup_join(const char *a, const char *b, const char *c) {
        _cleanup_free_ char *ab = path_join(a, b);

        if (!ab || !c)
                return TAKE_PTR(ab);
        return path_join(ab, c);
}

static int join(const char *dir, const char *file, char **ret) {
        *ret = path_join(dir, file);
        return *ret ? 0 : -ENOMEM;
}

int cgroup_write_file(const char *dir, const char *file, const char *value) {
        _cleanup_free_ char *p = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t l = strlen(value);
        ssize_t n;

        if (join(dir, file, &p) < 0)
                return -ENOMEM;
        fd = open(p, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        if (fd < 0)
                return -errno;
        n = write(fd, value, l);
        if (n < 0)
                return -errno;
        return (size_t) n == l ? 0 : -EIO;
}

int cgroup_read_file(const char *dir, const char *file, char **ret) {
        _cleanup_free_ char *p = NULL;
        _cleanup_close_ int fd = -EBADF;
        char *buf;
        int n;

        if (join(dir, file, &p) < 0)
                return -ENOMEM;
        fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        if (fd < 0)
                return -errno;
        buf = malloc(65536);
        if (!buf)
                return -ENOMEM;
        n = loop_read(fd, buf, 65535);
        if (n < 0) {
                free(buf);
                return n;
        }
        buf[n] = 0;
        *ret = buf;
        return 0;
}

int cgroup_read_u64(const char *dir, const char *file, uint64_t *ret) {
        _cleanup_free_ char *s = NULL;
        int r;

        r = cgroup_read_file(dir, file, &s);
        if (r < 0)
                return r;
        s[strcspn(s, "\n")] = 0;
        if (streq(s, "max")) {
                *ret = UINT64_MAX;
                return 0;
        }
        return safe_atou64(s, ret);
}

int cgroup_read_pids(const char *dir, pid_t **ret, size_t *ret_n) {
        _cleanup_free_ char *s = NULL;
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        int r;

        r = cgroup_read_file(dir, "cgroup.procs", &s);
        if (r < 0)
                return r;
        pids = malloc((strlen(s) / 2 + 1) * sizeof(pid_t));
        if (!pids)
                return -ENOMEM;
        for (char *p = s, *w; (w = strsep(&p, "\n"));) {
                int pid;

                if (safe_atoi(w, &pid) >= 0 && pid > 0)
                        pids[n++] = pid;
        }
        *ret = TAKE_PTR(pids);
        *ret_n = n;
        return 0;
}

int cgroup_rmdir(const char *dir) {
        for (int i = 0; i < 200; i++) {
                if (rmdir(dir) >= 0 || errno == ENOENT)
                        return 0;
                if (errno != EBUSY)
                        return -errno;
                /* Tasks that were killed leave the cgroup a moment after they are reaped. */
                (void) nanosleep(&(struct timespec) { .tv_nsec = 5 * 1000 * 1000 }, NULL);
        }
        return -EBUSY;
}

/* cpuset v1: a new cgroup starts with no cpus and mems, and nothing can join it; copy the parent's. */
static int cpuset_copy_parent(const char *parent, const char *dir) {
        static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *cur = NULL, *par = NULL;
                int r;

                r = cgroup_read_file(dir, files[i], &cur);
                if (r < 0)
                        return r;
                if (cur[strspn(cur, " \n")])
                        continue;
                r = cgroup_read_file(parent, files[i], &par);
                if (r >= 0)
                        r = cgroup_write_file(dir, files[i], par);
                if (r < 0)
                        return r;
        }
        return 0;
}

int cgroup_mkdir_p(const char *root, const char *path, bool cpuset, char ***created) {
        _cleanup_free_ char *p = path_join(root, path);
        size_t rl = strlen(root);
        int r;

        if (!p)
                return -ENOMEM;
        for (char *s = p + rl + 1;; s++) {
                bool last = !*s;

                if (*s != '/' && !last)
                        continue;
                *s = 0;
                if (mkdir(p, 0755) >= 0) {
                        if (strv_extend(created, p) < 0)
                                return -ENOMEM;
                        if (cpuset) {
                                _cleanup_free_ char *parent = strdup(p);

                                if (!parent)
                                        return -ENOMEM;
                                *strrchr(parent, '/') = 0;
                                r = cpuset_copy_parent(parent, p);
                                if (r < 0)
                                        return r;
                        }
                } else if (errno != EEXIST)
                        return -errno;
                if (last)
                        return 0;
                *s = '/';
        }
}

int cgroup_remove_created(Cgroup *cg) {
        int r = 0;

        for (size_t i = strv_length(cg->created); i > 0; i--)
                RET_GATHER(r, cgroup_rmdir(cg->created[i - 1]));
        cg->created = strv_free(cg->created);
        return r;
}

static char *writes_dir(const char *root, bool v1, const char *path, const CgroupWrite *x) {
        return v1 ? cgroup_join(root, x->controller, path) : path_join(root, path);
}

int cgroup_apply_writes(const char *root, bool v1, const char *path, const CgroupWrites *w) {
        for (size_t i = 0; i < w->n; i++) {
                const CgroupWrite *x = &w->w[i];
                _cleanup_free_ char *dir = NULL;
                int r;

                dir = writes_dir(root, v1, path, x);
                if (!dir)
                        return log_oom();
                r = cgroup_write_file(dir, x->file, x->value);
                if (r == -ENOENT)
                        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP),
                                               "linux.resources.%s: this host cannot enforce it: %s%s has no %s "
                                               "(controller '%s' %s)", x->resource, dir, "", x->file,
                                               *x->controller ? x->controller : "?",
                                               v1 ? "not mounted" : "not enabled for this cgroup");
                if (r < 0)
                        return log_error_errno(r, "linux.resources.%s: failed to write '%s' to %s/%s: %m",
                                               x->resource, x->value, dir, x->file);
        }
        return 0;
}

int cgroup_writes_snapshot(const char *root, bool v1, const char *path, CgroupWrites *w) {
        for (size_t i = 0; i < w->n; i++) {
                CgroupWrite *x = &w->w[i];
                _cleanup_free_ char *dir = writes_dir(root, v1, path, x), *v = NULL;
                size_t l;

                if (!dir)
                        return log_oom();
                if (cgroup_read_file(dir, x->file, &v) < 0)
                        continue; /* missing or write-only: the write will tell */
                l = strlen(v);
                if (l > 0 && v[l - 1] == '\n')
                        v[--l] = 0;
                /* "8:0 1000" lines, "oom_kill_disable 0\n...": not a value to write back */
                if (l == 0 || strchr(v, '\n'))
                        continue;
                x->old = TAKE_PTR(v);
        }
        return 0;
}

void cgroup_writes_restore(const char *root, bool v1, const char *path, const CgroupWrites *w) {
        bool failed[w->n + 1];

        for (int pass = 0; pass < 2; pass++)
                for (size_t i = w->n; i > 0; i--) {
                        const CgroupWrite *x = &w->w[i - 1];
                        _cleanup_free_ char *dir = NULL;
                        int r;

                        if (!x->old || (pass == 1 && !failed[i - 1]))
                                continue;
                        dir = writes_dir(root, v1, path, x);
                        r = dir ? cgroup_write_file(dir, x->file, x->old) : -ENOMEM;
                        failed[i - 1] = r < 0;
                        if (r < 0 && pass == 1)
                                log_warning_errno(r, "Failed to put back '%s' in %s/%s after the failed "
                                                  "update, ignoring: %m", x->old, dir ?: "?", x->file);
                }
}

/* ---- the Cgroup object ------------------------------------------------------------------------- */

static const CgroupManager *manager_for(CgroupManagerType type, CgroupMode mode) {
        switch (type) {
        case CGROUP_MANAGER_SYSTEMD:
                return &cgroup_manager_systemd;
        case CGROUP_MANAGER_CGROUPFS:
                return mode == CGROUP_MODE_UNIFIED ? &cgroup_manager_v2 : &cgroup_manager_v1;
        case CGROUP_MANAGER_DISABLED:
        case _CGROUP_MANAGER_MAX:
        case _CGROUP_MANAGER_INVALID:
        default:
                return &cgroup_manager_disabled;
        }
}

int cgroup_init(Cgroup *cg, CgroupManagerType type, const char *cgroups_path, const char *id) {
        int r;

        *cg = (Cgroup) { .type = type, .id = id, .manager = &cgroup_manager_disabled };
        if (type == CGROUP_MANAGER_DISABLED)
                return 0;
        r = cgroup_detect_mode(&cg->mode);
        if (r < 0)
                return r;
        if (type == CGROUP_MANAGER_SYSTEMD)
                r = cgroup_path_for_systemd(cgroups_path, id, &cg->slice, &cg->unit);
        else
                r = cgroup_path_for_fs(cgroups_path, id, &cg->path);
        if (r < 0)
                return r;
        cg->manager = manager_for(type, cg->mode);
        return 0;
}

int cgroup_open(Cgroup *cg, CgroupManagerType type, CgroupMode mode, const char *path, const char *unit,
                const char *id) {
        *cg = (Cgroup) { .type = type, .mode = mode, .id = id, .manager = manager_for(type, mode) };
        if (type == CGROUP_MANAGER_DISABLED || !path)
                return 0;
        cg->path = strdup(path);
        if (!cg->path || (unit && !(cg->unit = strdup(unit))))
                return -ENOMEM;
        return 0;
}

void cgroup_close_join_fds(Cgroup *cg) {
        for (size_t i = 0; i < cg->n_join_fds; i++)
                safe_close(cg->join_fds[i]);
        cg->join_fds = mfree(cg->join_fds);
        cg->n_join_fds = 0;
}

void cgroup_done(Cgroup *cg) {
        cgroup_close_join_fds(cg);
        cg->path = mfree(cg->path);
        cg->slice = mfree(cg->slice);
        cg->unit = mfree(cg->unit);
        cg->created = strv_free(cg->created);
}

/* The mount of the hierarchy a /proc/PID/cgroup line names: "cpu,cpuacct" -> ROOT/cpu,cpuacct,
 * "name=systemd" -> ROOT/systemd, "" (cgroup2) -> ROOT (unified host) or ROOT/unified (hybrid). */
static char *hierarchy_dir(CgroupMode mode, const char *controllers) {
        const char *n = startswith(controllers, "name=") ?: controllers;

        if (!*n)
                return mode == CGROUP_MODE_UNIFIED ? strdup(cgroup_root()) : path_join(cgroup_root(), "unified");
        if (strchr(n, '/') || streq(n, ".."))
                return NULL;
        return path_join(cgroup_root(), n);
}

int cgroup_open_join_fds_of(Cgroup *cg, pid_t pid) {
        _cleanup_free_ char *buf = NULL;
        char path[64];
        size_t n = 0;
        int r;

        snprintf(path, sizeof path, "/proc/%d/cgroup", (int) pid);
        r = read_full_file_at(AT_FDCWD, path, 1 << 16, &buf, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to read '%s': %m", path);
        for (char *p = buf; *p; p++)
                n += *p == '\n';
        cgroup_close_join_fds(cg);
        cg->join_fds = calloc(n + 1, sizeof(int));
        if (!cg->join_fds)
                return log_oom();
        for (char *p = buf, *line; (line = strsep(&p, "\n"));) {
                _cleanup_free_ char *dir = NULL, *procs = NULL;
                char *ctl = strchr(line, ':'), *cgp;
                int fd;

                if (!ctl || !(cgp = strchr(ctl + 1, ':')))
                        continue;
                *cgp++ = 0;
                ctl++;
                if (!cgroup_path_valid(cgp))
                        continue;
                dir = hierarchy_dir(cg->mode, ctl);
                if (!dir)
                        continue;
                procs = cgroup_join(dir, cgp, "cgroup.procs");
                if (!procs)
                        return log_oom();
                fd = open(procs, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
                if (fd < 0) {
                        /* A hierarchy that is not mounted here (or gone with the container). */
                        if (errno == ENOENT)
                                continue;
                        return log_error_errno(errno, "Failed to open '%s': %m", procs);
                }
                cg->join_fds[cg->n_join_fds++] = fd;
        }
        return 0;
}

int cgroup_join_self(Cgroup *cg) {
        for (size_t i = 0; i < cg->n_join_fds; i++)
                /* "0": the writing process itself, in every hierarchy, before it runs anything of the
                 * container's. */
                if (write(cg->join_fds[i], "0", 1) < 0)
                        return log_error_errno(errno, "Failed to join the cgroup '%s' of container '%s': %m",
                                               strna(cg->path), cg->id);
        cgroup_close_join_fds(cg);
        return 0;
}

/* ---- disabled ---------------------------------------------------------------------------------- */

static int disabled_noop(Cgroup *cg, const CgroupResources *r) {
        return 0;
}

static int disabled_enter(Cgroup *cg, pid_t pid, const CgroupResources *r) {
        return 0;
}

static int disabled_freeze(Cgroup *cg, bool freeze) {
        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "Container '%s' has no cgroup (--cgroup-manager "
                               "disabled): it cannot be paused or resumed", cg->id);
}

static int disabled_is_frozen(Cgroup *cg) {
        return 0;
}

static int disabled_stats(Cgroup *cg, CgroupStats *ret) {
        *ret = (CgroupStats) {};
        return 0;
}

static int disabled_oom_watch(Cgroup *cg, int *ret_fd) {
        return -EOPNOTSUPP;
}

static int disabled_get_pids(Cgroup *cg, pid_t **ret, size_t *ret_n) {
        return -EOPNOTSUPP;
}

static int disabled_kill_all(Cgroup *cg, int sig) {
        return -EOPNOTSUPP;
}

static int disabled_destroy(Cgroup *cg) {
        return 0;
}

const CgroupManager cgroup_manager_disabled = {
        .name = "disabled",
        .create = disabled_noop,
        .enter = disabled_enter,
        .apply = disabled_noop,
        .freeze = disabled_freeze,
        .is_frozen = disabled_is_frozen,
        .stats = disabled_stats,
        .oom_watch = disabled_oom_watch,
        .get_pids = disabled_get_pids,
        .kill_all = disabled_kill_all,
        .destroy = disabled_destroy,
};

void cgroup_stats_done(CgroupStats *s) {
        s->memory_stat = mfree(s->memory_stat);
        s->cpu_percpu = mfree(s->cpu_percpu);
        s->cpu_percpu_user = mfree(s->cpu_percpu_user);
        s->cpu_percpu_sys = mfree(s->cpu_percpu_sys);
}

uint64_t cgroup_stat_value(const char *text, const char *key) {
        size_t l = strlen(key);

        for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
                if (strncmp(p, key, l) == 0 && p[l] == ' ') {
                        size_t m = strcspn(p + l + 1, "\n");
                        char buf[32];
                        uint64_t v;

                        if (m >= sizeof buf)
                                return 0;
                        memcpy(buf, p + l + 1, m);
                        buf[m] = 0;
                        return safe_atou64(buf, &v) >= 0 ? v : 0;
                }
        return 0;
}

int cgroup_kill_frozen(Cgroup *cg, int sig) {
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        bool frozen;
        int r;

        /* Empty (the usual case once a container's init is gone): nothing is left that could
         * fork, so there is nothing to freeze either. */
        r = cg->manager->get_pids(cg, &pids, &n);
        if (r >= 0 && n == 0)
                return 0;
        pids = mfree(pids);
        n = 0;
        frozen = cg->manager->freeze(cg, true) >= 0;
        r = cg->manager->get_pids(cg, &pids, &n);
        for (size_t i = 0; r >= 0 && i < n; i++)
                (void) kill(pids[i], sig);
        if (frozen)
                (void) cg->manager->freeze(cg, false);
        return r;
}
