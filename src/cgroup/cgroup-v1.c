/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroupfs on v1 (legacy or hybrid hosts, like this one): the same path in every controller
 * hierarchy mounted under /sys/fs/cgroup. This is what enforces limits on such hosts. */
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>

#include "cgroup.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "strv.h"

/* The controller hierarchies: every cgroup v1 mount under the root except named ones (systemd's
 * name=systemd, which is not ours to write) and the cgroup2 mount of a hybrid host. Comounts
 * (cpu,cpuacct) appear once, their aliases are symlinks. */
static int v1_hierarchies(char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        DIR *d;

        d = opendir(cgroup_root());
        if (!d)
                return log_error_errno(errno, "Failed to open '%s': %m", cgroup_root());
        for (struct dirent *de; (de = readdir(d));) {
                _cleanup_free_ char *p = NULL;
                struct statfs fs;

                if (de->d_type != DT_DIR || de->d_name[0] == '.' || streq(de->d_name, "systemd") ||
                    streq(de->d_name, "unified"))
                        continue;
                p = path_join(cgroup_root(), de->d_name);
                if (!p || statfs(p, &fs) < 0 || fs.f_type != CGROUP_SUPER_MAGIC)
                        continue;
                if (strv_extend(&l, de->d_name) < 0) {
                        closedir(d);
                        return log_oom();
                }
        }
        closedir(d);
        *ret = TAKE_PTR(l);
        return 0;
}

/* "cpu,cpuacct" has cpu. */
static bool hier_has(const char *h, const char *controller) {
        size_t l = strlen(controller);

        for (const char *p = h; p; p = strchr(p, ','), p = p ? p + 1 : NULL)
                if (strncmp(p, controller, l) == 0 && IN_SET(p[l], 0, ','))
                        return true;
        return false;
}

static bool has_controller(char **hier, const char *controller) {
        STRV_FOREACH(h, hier)
                if (hier_has(*h, controller))
                        return true;
        return false;
}

static char *hier_dir(const char *hierarchy, const char *path) {
        return cgroup_join(cgroup_root(), hierarchy, path);
}

/* The hierarchy that lists every process of the container: the freezer's, else the first. */
static int v1_main_dir(Cgroup *cg, char **ret) {
        _cleanup_strv_free_ char **hier = NULL;
        int r;

        r = v1_hierarchies(&hier);
        if (r < 0)
                return r;
        if (!hier)
                return log_error_errno(SYNTHETIC_ERRNO(ENOMEDIUM), "No cgroup v1 controller is mounted under '%s'",
                                       cgroup_root());
        *ret = hier_dir(has_controller(hier, "freezer") ? "freezer" : hier[0], cg->path);
        return *ret ? 0 : log_oom();
}

static int v1_write_all(Cgroup *cg, const CgroupWrites *w) {
        for (size_t i = 0; i < w->n; i++) {
                const CgroupWrite *x = &w->w[i];
                _cleanup_free_ char *dir = hier_dir(x->controller, cg->path);
                int r;

                if (!dir)
                        return log_oom();
                r = cgroup_write_file(dir, x->file, x->value);
                /* A lower memory limit with swap: memsw must be at least the limit, so which goes
                 * first depends on the values already there. Try the other order once. */
                if (r == -EINVAL && streq(x->file, "memory.limit_in_bytes") && i + 1 < w->n &&
                    streq(w->w[i + 1].file, "memory.memsw.limit_in_bytes")) {
                        r = cgroup_write_file(dir, w->w[i + 1].file, w->w[i + 1].value);
                        if (r >= 0)
                                r = cgroup_write_file(dir, x->file, x->value);
                }
                if (r == -ENOENT)
                        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "linux.resources.%s: this host cannot "
                                               "enforce it: '%s/%s' does not exist", x->resource, dir, x->file);
                if (r == -EBUSY && streq(x->file, "memory.limit_in_bytes"))
                        return log_error_errno(r, "linux.resources.%s: failed to set %s to %s in '%s': the container "
                                               "already uses more: %m", x->resource, x->file, x->value, dir);
                if (r < 0)
                        return log_error_errno(r, "linux.resources.%s: failed to write '%s' to '%s/%s': %m",
                                               x->resource, x->value, dir, x->file);
        }
        return 0;
}

static int v1_check_controllers(char **hier, const CgroupWrites *w) {
        for (size_t i = 0; i < w->n; i++)
                if (!has_controller(hier, w->w[i].controller))
                        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "linux.resources.%s: this host cannot "
                                               "enforce it: the cgroup v1 controller '%s' is not mounted under '%s'",
                                               w->w[i].resource, w->w[i].controller, cgroup_root());
        return 0;
}

/* The files res asks for and the hierarchies to write them in, each controller checked there. */
static int v1_plan(const CgroupResources *res, CgroupWrites *w, char ***hier) {
        int r;

        r = cgroup_resources_to_v1(res, w);
        if (r < 0)
                return r;
        r = v1_hierarchies(hier);
        if (r < 0)
                return r;
        return v1_check_controllers(*hier, w);
}

static int v1_create(Cgroup *cg, const CgroupResources *res) {
        _cleanup_(cgroup_writes_done) CgroupWrites w = {};
        _cleanup_strv_free_ char **hier = NULL;
        int r;

        r = v1_plan(res, &w, &hier);
        if (r < 0)
                return r;
        cg->join_fds = calloc(strv_length(hier) + 1, sizeof(int));
        if (!cg->join_fds)
                return log_oom();
        STRV_FOREACH(h, hier) {
                _cleanup_free_ char *root = path_join(cgroup_root(), *h), *procs = NULL;
                int fd;

                if (!root)
                        return log_oom();
                r = cgroup_mkdir_p(root, cg->path, hier_has(*h, "cpuset"), &cg->created);
                if (r < 0)
                        /* Unprivileged and asking for no limits: the caller goes on without a cgroup. */
                        return log_full_errno(IN_SET(r, -EACCES, -EPERM, -EROFS) && geteuid() != 0 &&
                                              cgroup_resources_limit_nothing(res) ? LOG_DEBUG : LOG_ERR,
                                              r, "Failed to create cgroup '%s%s': %m", root, cg->path);
                procs = cgroup_join(root, cg->path, "cgroup.procs");
                if (!procs)
                        return log_oom();
                fd = open(procs, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
                if (fd < 0)
                        return log_error_errno(errno, "Failed to open '%s': %m", procs);
                cg->join_fds[cg->n_join_fds++] = fd;
        }
        return v1_write_all(cg, &w);
}

static int v1_enter(Cgroup *cg, pid_t pid, const CgroupResources *res) {
        /* The init joined by itself (cgroup_join_self()) before it did anything else. */
        return 0;
}

static int v1_apply(Cgroup *cg, const CgroupResources *res) {
        _cleanup_(cgroup_writes_done) CgroupWrites w = {};
        _cleanup_strv_free_ char **hier = NULL;
        int r;

        r = v1_plan(res, &w, &hier);
        if (r >= 0)
                r = cgroup_writes_snapshot(cgroup_root(), /* v1= */ true, cg->path, &w);
        if (r < 0)
                return r;
        r = v1_write_all(cg, &w);
        if (r < 0)
                cgroup_writes_restore(cgroup_root(), /* v1= */ true, cg->path, &w);
        return r;
}

static int v1_freezer_dir(Cgroup *cg, char **ret) {
        *ret = hier_dir("freezer", cg->path);
        if (!*ret)
                return log_oom();
        if (access(*ret, F_OK) < 0) {
                *ret = mfree(*ret);
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "Container '%s' has no freezer cgroup (is the v1 "
                                       "freezer controller mounted?)", cg->id);
        }
        return 0;
}

static int v1_freeze(Cgroup *cg, bool freeze) {
        _cleanup_free_ char *dir = NULL;
        int r;

        r = v1_freezer_dir(cg, &dir);
        if (r < 0)
                return r;
        for (int i = 0; i < 1000; i++) {
                _cleanup_free_ char *state = NULL;

                /* Rewritten each round: a task forked meanwhile keeps the cgroup FREEZING. */
                r = cgroup_write_file(dir, "freezer.state", freeze ? "FROZEN" : "THAWED");
                if (r < 0)
                        return log_error_errno(r, "Failed to %s container '%s': %m", freeze ? "freeze" : "thaw", cg->id);
                r = cgroup_read_file(dir, "freezer.state", &state);
                if (r < 0)
                        return log_error_errno(r, "Failed to read the freezer state of '%s': %m", cg->id);
                if (startswith(state, freeze ? "FROZEN" : "THAWED"))
                        return 0;
                (void) nanosleep(&(struct timespec) { .tv_nsec = 1000 * 1000 }, NULL);
        }
        return log_error_errno(SYNTHETIC_ERRNO(ETIMEDOUT), "Timed out %s container '%s'",
                               freeze ? "freezing" : "thawing", cg->id);
}

static int v1_is_frozen(Cgroup *cg) {
        _cleanup_free_ char *dir = hier_dir("freezer", cg->path), *state = NULL;

        if (!dir)
                return -ENOMEM;
        if (cgroup_read_file(dir, "freezer.state", &state) < 0)
                return 0;
        return startswith(state, "FROZEN") ? 1 : 0;
}

static int v1_stats(Cgroup *cg, CgroupStats *ret) {
        _cleanup_free_ char *mem = hier_dir("memory", cg->path), *cpu = hier_dir("cpu", cg->path),
                            *acct = hier_dir("cpuacct", cg->path), *pids = hier_dir("pids", cg->path),
                            *text = NULL;
        CgroupStats s = {};
        long tick = sysconf(_SC_CLK_TCK);

        if (!mem || !cpu || !acct || !pids)
                return log_oom();
        if (cgroup_read_u64(mem, "memory.usage_in_bytes", &s.memory_usage) >= 0) {
                s.has_memory = true;
                (void) cgroup_read_u64(mem, "memory.max_usage_in_bytes", &s.memory_max_usage);
                (void) cgroup_read_u64(mem, "memory.limit_in_bytes", &s.memory_limit);
                (void) cgroup_read_u64(mem, "memory.failcnt", &s.memory_failcnt);
                if (cgroup_read_file(mem, "memory.stat", &s.memory_stat) >= 0)
                        s.memory_cache = cgroup_stat_value(s.memory_stat, "total_cache");
                if (cgroup_read_u64(mem, "memory.memsw.usage_in_bytes", &s.memory_swap_usage) >= 0) {
                        s.has_swap = true;
                        (void) cgroup_read_u64(mem, "memory.memsw.limit_in_bytes", &s.memory_swap_limit);
                        (void) cgroup_read_u64(mem, "memory.memsw.max_usage_in_bytes",
                                               &s.memory_swap_max_usage);
                        (void) cgroup_read_u64(mem, "memory.memsw.failcnt", &s.memory_swap_failcnt);
                }
                if (cgroup_read_file(mem, "memory.oom_control", &text) >= 0)
                        s.memory_oom_kills = cgroup_stat_value(text, "oom_kill");
                text = mfree(text);
        }
        if (cgroup_read_u64(acct, "cpuacct.usage", &s.cpu_usage_ns) >= 0) {
                s.has_cpu = true;
                if (cgroup_read_file(acct, "cpuacct.stat", &text) >= 0 && tick > 0) {
                        s.cpu_user_ns = cgroup_stat_value(text, "user") * (1000000000ULL / (uint64_t) tick);
                        s.cpu_system_ns = cgroup_stat_value(text, "system") * (1000000000ULL / (uint64_t) tick);
                }
                text = mfree(text);
                (void) cgroup_read_file(acct, "cpuacct.usage_percpu", &s.cpu_percpu);
                (void) cgroup_read_file(acct, "cpuacct.usage_percpu_user", &s.cpu_percpu_user);
                (void) cgroup_read_file(acct, "cpuacct.usage_percpu_sys", &s.cpu_percpu_sys);
        }
        if (cgroup_read_file(cpu, "cpu.stat", &text) >= 0) {
                s.cpu_periods = cgroup_stat_value(text, "nr_periods");
                s.cpu_throttled_periods = cgroup_stat_value(text, "nr_throttled");
                s.cpu_throttled_ns = cgroup_stat_value(text, "throttled_time");
        }
        if (cgroup_read_u64(pids, "pids.current", &s.pids_current) >= 0) {
                s.has_pids = true;
                (void) cgroup_read_u64(pids, "pids.max", &s.pids_limit);
        }
        *ret = s;
        return 0;
}

/* runc's way (cgroup-v1 notifications): an eventfd the kernel signals on every OOM in the memory
 * cgroup, registered through cgroup.event_control with memory.oom_control. */
static int v1_oom_watch(Cgroup *cg, int *ret_fd) {
        _cleanup_free_ char *mem = hier_dir("memory", cg->path), *oc = NULL, *line = NULL;
        _cleanup_close_ int efd = -EBADF, ofd = -EBADF;
        int r;

        if (!mem)
                return -ENOMEM;
        oc = path_join(mem, "memory.oom_control");
        if (!oc)
                return -ENOMEM;
        ofd = open(oc, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (ofd < 0)
                return errno == ENOENT ? -EOPNOTSUPP : -errno;
        efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (efd < 0)
                return -errno;
        if (asprintf(&line, "%d %d", efd, ofd) < 0)
                return -ENOMEM;
        r = cgroup_write_file(mem, "cgroup.event_control", line);
        if (r < 0)
                return r;
        *ret_fd = TAKE_FD(efd);
        return 0;
}

static int v1_get_pids(Cgroup *cg, pid_t **ret, size_t *ret_n) {
        _cleanup_free_ char *dir = NULL;
        int r;

        r = v1_main_dir(cg, &dir);
        if (r < 0)
                return r;
        r = cgroup_read_pids(dir, ret, ret_n);
        if (r == -ENOENT) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        return r;
}

/* Freeze, signal every task, thaw: nothing can fork past the signal meanwhile. */
static int v1_kill_all(Cgroup *cg, int sig) {
        _cleanup_free_ char *freezer = NULL;

        if (!cg->path)
                return 0;
        freezer = hier_dir("freezer", cg->path);
        if (!freezer)
                return log_oom();
        if (access(freezer, F_OK) < 0)
                return 0; /* never made (a failed create) or already gone */
        return cgroup_kill_frozen(cg, sig);
}

static int v1_destroy(Cgroup *cg) {
        _cleanup_strv_free_ char **hier = NULL;
        int r = 0, k;

        if (!cg->path)
                return 0;
        /* After a failed create: what we made, deepest first. */
        if (cg->created)
                return cgroup_remove_created(cg);
        k = v1_hierarchies(&hier);
        if (k < 0)
                return k;
        STRV_FOREACH(h, hier) {
                _cleanup_free_ char *dir = hier_dir(*h, cg->path);

                if (!dir)
                        return log_oom();
                k = cgroup_rmdir(dir);
                if (k < 0)
                        RET_GATHER(r, log_error_errno(k, "Failed to remove cgroup '%s': %m", dir));
        }
        return r;
}

const CgroupManager cgroup_manager_v1 = {
        .name = "cgroupfs (v1)",
        .create = v1_create,
        .enter = v1_enter,
        .apply = v1_apply,
        .freeze = v1_freeze,
        .is_frozen = v1_is_frozen,
        .stats = v1_stats,
        .oom_watch = v1_oom_watch,
        .get_pids = v1_get_pids,
        .kill_all = v1_kill_all,
        .destroy = v1_destroy,
};
