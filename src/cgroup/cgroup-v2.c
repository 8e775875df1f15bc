/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroupfs on a unified (cgroup2) /sys/fs/cgroup. Controllers are enabled in the parents'
 * cgroup.subtree_control only as far as a resource needs them; one that the host does not offer is a
 * clear error naming the resource. Device rules become an eBPF program attached to the cgroup. */
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <time.h>

#include "cgroup.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "strv.h"

static char *v2_dir(Cgroup *cg) {
        return path_join(cgroup_root(), cg->path);
}

static bool word_in(const char *list, const char *w) {
        size_t l = strlen(w);

        for (const char *p = list; p && *p;) {
                p += strspn(p, " \n");
                if (strncmp(p, w, l) == 0 && IN_SET(p[l], 0, ' ', '\n'))
                        return true;
                p += strcspn(p, " \n");
        }
        return false;
}

/* The controller a write needs: its own, or the prefix of a unified key ("memory.high"). */
static int v2_controller_of(const CgroupWrite *x, char buf[static 32]) {
        const char *c = x->controller;
        size_t l;

        if (*c) {
                snprintf(buf, 32, "%s", c);
                return 0;
        }
        l = strcspn(x->file, ".");
        if (l == 0 || l >= 32)
                return -EINVAL;
        memcpy(buf, x->file, l);
        buf[l] = 0;
        return 0;
}

/* Enable the controllers the writes need, from the root down to the parent of our cgroup. */
static int v2_enable_controllers(Cgroup *cg, const CgroupWrites *w) {
        _cleanup_free_ char *available = NULL;
        char ctl[32];
        int r;

        r = cgroup_read_file(cgroup_root(), "cgroup.controllers", &available);
        if (r < 0)
                return log_error_errno(r, "Failed to read '%s/cgroup.controllers': %m", cgroup_root());
        for (size_t i = 0; i < w->n; i++) {
                if (v2_controller_of(&w->w[i], ctl) < 0)
                        continue;
                /* Files of the core (cgroup.*) and of pseudo-controllers that are always there. */
                if (streq(ctl, "cgroup"))
                        continue;
                if (!word_in(available, ctl))
                        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "linux.resources.%s: this host cannot "
                                               "enforce it: the cgroup v2 controller '%s' is not available in '%s' "
                                               "(cgroup.controllers: '%.*s')", w->w[i].resource, ctl, cgroup_root(),
                                               (int) strcspn(available, "\n"), available);
        }
        for (size_t i = 0; i < w->n; i++) {
                _cleanup_free_ char *path = strdup(cg->path);
                char cmd[40];

                if (!path)
                        return log_oom();
                if (v2_controller_of(&w->w[i], ctl) < 0 || streq(ctl, "cgroup"))
                        continue;
                snprintf(cmd, sizeof cmd, "+%s", ctl);
                /* root, then each ancestor below it */
                r = cgroup_write_file(cgroup_root(), "cgroup.subtree_control", cmd);
                for (char *s = path + 1; r >= 0 && (s = strchr(s, '/')); s++) {
                        _cleanup_free_ char *dir = NULL;

                        *s = 0;
                        dir = path_join(cgroup_root(), path);
                        *s = '/';
                        if (!dir)
                                return log_oom();
                        r = cgroup_write_file(dir, "cgroup.subtree_control", cmd);
                }
                if (r < 0)
                        return log_error_errno(r, "linux.resources.%s: failed to enable the '%s' controller for "
                                               "'%s': %m", w->w[i].resource, ctl, cg->path);
        }
        return 0;
}

/* ---- devices: an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE) --------------------------------------- */

#define INSN(c, d, s, o, i) ((struct bpf_insn) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

typedef struct Prog {
        struct bpf_insn *i;
        size_t n;
} Prog;

static int emit(Prog *p, struct bpf_insn x) {
        struct bpf_insn *n = realloc(p->i, (p->n + 1) * sizeof *n);

        if (!n)
                return -ENOMEM;
        p->i = n;
        p->i[p->n++] = x;
        return 0;
}

/* Rules are checked last to first and the first match decides, so a later rule overrides an
 * earlier one as with the v1 files; nothing matching is denied. Registers: r2 type, r3 access,
 * r4 major, r5 minor (struct bpf_cgroup_dev_ctx). */
int cgroup_devices_program(const CgroupDeviceRule *rules, size_t n, struct bpf_insn **ret, size_t *ret_n) {
        bool decided = false;
        Prog p = {};
        int r = 0;

        r |= emit(&p, INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0));
        r |= emit(&p, INSN(BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0, 0xffff));
        r |= emit(&p, INSN(BPF_LDX | BPF_MEM | BPF_W, 3, 1, 0, 0));
        r |= emit(&p, INSN(BPF_ALU64 | BPF_RSH | BPF_K, 3, 0, 0, 16));
        r |= emit(&p, INSN(BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0));
        r |= emit(&p, INSN(BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0));
        for (size_t k = n; r == 0 && k > 0; k--) {
                const CgroupDeviceRule *d = &rules[k - 1];
                size_t jumps[4], nj = 0;
                int acc = 0;

                for (const char *a = d->access; *a; a++)
                        acc |= *a == 'm' ? BPF_DEVCG_ACC_MKNOD : *a == 'r' ? BPF_DEVCG_ACC_READ : BPF_DEVCG_ACC_WRITE;
                if (d->type != 'a') {
                        jumps[nj++] = p.n;
                        r |= emit(&p, INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0, 0,
                                           d->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR));
                }
                if (acc != (BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE)) {
                        /* every requested access bit must be in the rule */
                        r |= emit(&p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 3, 0, 0));
                        r |= emit(&p, INSN(BPF_ALU64 | BPF_AND | BPF_K, 1, 0, 0, ~acc & 7));
                        jumps[nj++] = p.n;
                        r |= emit(&p, INSN(BPF_JMP | BPF_JNE | BPF_K, 1, 0, 0, 0));
                }
                if (d->major != CGROUP_WILDCARD) {
                        jumps[nj++] = p.n;
                        r |= emit(&p, INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 0, (int32_t) d->major));
                }
                if (d->minor != CGROUP_WILDCARD) {
                        jumps[nj++] = p.n;
                        r |= emit(&p, INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 0, (int32_t) d->minor));
                }
                r |= emit(&p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, d->allow ? 1 : 0));
                r |= emit(&p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
                if (r)
                        break;
                for (size_t j = 0; j < nj; j++)
                        p.i[jumps[j]].off = (int16_t) (p.n - jumps[j] - 1);
                /* A rule that matches every device decides for all: what would follow could never
                 * run, and the verifier refuses unreachable instructions. */
                if (nj == 0) {
                        decided = true;
                        break;
                }
        }
        if (!decided) {
                r |= emit(&p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
                r |= emit(&p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
        }
        if (r) {
                free(p.i);
                return -ENOMEM;
        }
        *ret = p.i;
        *ret_n = p.n;
        return 0;
}

static int v2_attach_devices(Cgroup *cg, const CgroupResources *res) {
        _cleanup_free_ struct bpf_insn *insns = NULL;
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int prog = -EBADF, cgfd = -EBADF;
        char logbuf[256] = "";
        union bpf_attr a;
        size_t n;
        int r;

        if (!res->has_devices)
                return 0;
        r = cgroup_devices_program(res->devices, res->n_devices, &insns, &n);
        if (r < 0)
                return log_oom();
        /* No RLIMIT_MEMLOCK raise: kernels >= 5.11 charge bpf memory to the memcg, and raising it
         * needs CAP_SYS_RESOURCE, which hosts like this one do not grant. */
        a = (union bpf_attr) {
                .prog_type = BPF_PROG_TYPE_CGROUP_DEVICE,
                .insns = (uint64_t) (uintptr_t) insns,
                .insn_cnt = (uint32_t) n,
                .license = (uint64_t) (uintptr_t) "Apache",
        };
        prog = (int) syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a);
        if (prog < 0) {
                int e = errno;

                /* Once more with the verifier's log, for the message only: with a log it reports
                 * a full buffer (ENOSPC) even for a program it accepts. */
                a.log_buf = (uint64_t) (uintptr_t) logbuf;
                a.log_size = sizeof logbuf;
                a.log_level = 1;
                prog = (int) syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a);
                return log_error_errno(e, "linux.resources.devices: failed to load the device eBPF program: %m%s%s",
                                       *logbuf ? ": " : "", logbuf);
        }
        dir = v2_dir(cg);
        if (!dir)
                return log_oom();
        cgfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cgfd < 0)
                return log_error_errno(errno, "Failed to open cgroup '%s': %m", dir);
        a = (union bpf_attr) {
                .target_fd = (uint32_t) cgfd,
                .attach_bpf_fd = (uint32_t) prog,
                .attach_type = BPF_CGROUP_DEVICE,
                .attach_flags = BPF_F_ALLOW_MULTI,
        };
        if (syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof a) < 0)
                return log_error_errno(errno, "linux.resources.devices: failed to attach the device eBPF program "
                                       "to '%s': %m", dir);
        return 0;
}

/* ---- the manager ------------------------------------------------------------------------------ */

static int v2_create(Cgroup *cg, const CgroupResources *res) {
        _cleanup_(cgroup_writes_done) CgroupWrites w = {};
        _cleanup_free_ char *procs = NULL;
        int r, fd;

        r = cgroup_resources_to_v2(res, &w);
        if (r < 0)
                return r;
        r = v2_enable_controllers(cg, &w);
        if (r < 0)
                return r;
        r = cgroup_mkdir_p(cgroup_root(), cg->path, /* cpuset= */ false, &cg->created);
        if (r < 0)
                return log_error_errno(r, "Failed to create cgroup '%s%s': %m", cgroup_root(), cg->path);
        r = cgroup_apply_writes(cgroup_root(), /* v1= */ false, cg->path, &w);
        if (r < 0)
                return r;
        r = v2_attach_devices(cg, res);
        if (r < 0)
                return r;
        procs = cgroup_join(cgroup_root(), cg->path, "cgroup.procs");
        if (!procs)
                return log_oom();
        fd = open(procs, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return log_error_errno(errno, "Failed to open '%s': %m", procs);
        cg->join_fds = malloc(sizeof(int));
        if (!cg->join_fds) {
                safe_close(fd);
                return log_oom();
        }
        cg->join_fds[0] = fd;
        cg->n_join_fds = 1;
        return 0;
}

static int v2_enter(Cgroup *cg, pid_t pid, const CgroupResources *res) {
        return 0;
}

static int v2_apply(Cgroup *cg, const CgroupResources *res) {
        _cleanup_(cgroup_writes_done) CgroupWrites w = {};
        int r;

        r = cgroup_resources_to_v2(res, &w);
        if (r < 0)
                return r;
        r = v2_enable_controllers(cg, &w);
        if (r >= 0)
                r = cgroup_writes_snapshot(cgroup_root(), /* v1= */ false, cg->path, &w);
        if (r < 0)
                return r;
        r = cgroup_apply_writes(cgroup_root(), /* v1= */ false, cg->path, &w);
        if (r < 0)
                cgroup_writes_restore(cgroup_root(), /* v1= */ false, cg->path, &w);
        return r;
}

static int v2_is_frozen(Cgroup *cg) {
        _cleanup_free_ char *dir = v2_dir(cg), *ev = NULL;

        if (!dir)
                return -ENOMEM;
        if (cgroup_read_file(dir, "cgroup.events", &ev) < 0)
                return 0;
        return strstr(ev, "frozen 1") ? 1 : 0;
}

static int v2_freeze(Cgroup *cg, bool freeze) {
        _cleanup_free_ char *dir = v2_dir(cg);
        int r;

        if (!dir)
                return log_oom();
        r = cgroup_write_file(dir, "cgroup.freeze", freeze ? "1" : "0");
        if (r < 0)
                return log_error_errno(r, "Failed to %s container '%s' through '%s/cgroup.freeze': %m",
                                       freeze ? "freeze" : "thaw", cg->id, dir);
        for (int i = 0; i < 2000; i++) {
                if (v2_is_frozen(cg) == (freeze ? 1 : 0))
                        return 0;
                (void) nanosleep(&(struct timespec) { .tv_nsec = 1000 * 1000 }, NULL);
        }
        return log_error_errno(SYNTHETIC_ERRNO(ETIMEDOUT), "Timed out %s container '%s'",
                               freeze ? "freezing" : "thawing", cg->id);
}

static int v2_stats(Cgroup *cg, CgroupStats *ret) {
        _cleanup_free_ char *dir = v2_dir(cg), *text = NULL;
        CgroupStats s = {};

        if (!dir)
                return log_oom();
        if (cgroup_read_u64(dir, "memory.current", &s.memory_usage) >= 0) {
                s.has_memory = true;
                (void) cgroup_read_u64(dir, "memory.peak", &s.memory_max_usage);
                (void) cgroup_read_u64(dir, "memory.max", &s.memory_limit);
                if (cgroup_read_file(dir, "memory.stat", &s.memory_stat) >= 0)
                        s.memory_cache = cgroup_stat_value(s.memory_stat, "file");
                if (cgroup_read_file(dir, "memory.events", &text) >= 0) {
                        s.memory_failcnt = cgroup_stat_value(text, "max");
                        s.memory_oom_kills = cgroup_stat_value(text, "oom_kill");
                }
                text = mfree(text);
                if (cgroup_read_u64(dir, "memory.swap.current", &s.memory_swap_usage) >= 0) {
                        s.has_swap = true;
                        (void) cgroup_read_u64(dir, "memory.swap.max", &s.memory_swap_limit);
                }
        }
        if (cgroup_read_file(dir, "cpu.stat", &text) >= 0) {
                s.has_cpu = true;
                s.cpu_usage_ns = cgroup_stat_value(text, "usage_usec") * 1000;
                s.cpu_user_ns = cgroup_stat_value(text, "user_usec") * 1000;
                s.cpu_system_ns = cgroup_stat_value(text, "system_usec") * 1000;
                s.cpu_periods = cgroup_stat_value(text, "nr_periods");
                s.cpu_throttled_periods = cgroup_stat_value(text, "nr_throttled");
                s.cpu_throttled_ns = cgroup_stat_value(text, "throttled_usec") * 1000;
        }
        if (cgroup_read_u64(dir, "pids.current", &s.pids_current) >= 0) {
                s.has_pids = true;
                (void) cgroup_read_u64(dir, "pids.max", &s.pids_limit);
        }
        *ret = s;
        return 0;
}

/* runc's way on v2: memory.events changes (inotify IN_MODIFY) when its counters do. */
int cgroup_v2_oom_watch(Cgroup *cg, int *ret_fd) {
        _cleanup_free_ char *dir = v2_dir(cg), *ev = NULL;
        _cleanup_close_ int fd = -EBADF;

        if (!dir)
                return -ENOMEM;
        ev = path_join(dir, "memory.events");
        if (!ev)
                return -ENOMEM;
        if (access(ev, F_OK) < 0)
                return errno == ENOENT ? -EOPNOTSUPP : -errno;
        fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (fd < 0)
                return -errno;
        if (inotify_add_watch(fd, ev, IN_MODIFY) < 0)
                return -errno;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int v2_get_pids(Cgroup *cg, pid_t **ret, size_t *ret_n) {
        _cleanup_free_ char *dir = v2_dir(cg);
        int r;

        if (!dir)
                return log_oom();
        r = cgroup_read_pids(dir, ret, ret_n);
        if (r == -ENOENT) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        return r;
}

static int v2_kill_all(Cgroup *cg, int sig) {
        _cleanup_free_ char *dir = v2_dir(cg);

        if (!dir)
                return log_oom();
        if (access(dir, F_OK) < 0)
                return 0; /* never made (a failed create) or already gone */
        /* cgroup.kill (5.14+): every process, atomically, forks included. */
        if (sig == SIGKILL && cgroup_write_file(dir, "cgroup.kill", "1") >= 0)
                return 0;
        return cgroup_kill_frozen(cg, sig);
}

static int v2_destroy(Cgroup *cg) {
        _cleanup_free_ char *dir = NULL;
        int r = 0;

        if (!cg->path)
                return 0;
        if (cg->created)
                return cgroup_remove_created(cg);
        dir = v2_dir(cg);
        if (!dir)
                return log_oom();
        r = cgroup_rmdir(dir);
        if (r < 0)
                return log_error_errno(r, "Failed to remove cgroup '%s': %m", dir);
        return 0;
}

const CgroupManager cgroup_manager_v2 = {
        .name = "cgroupfs (v2)",
        .create = v2_create,
        .enter = v2_enter,
        .apply = v2_apply,
        .freeze = v2_freeze,
        .is_frozen = v2_is_frozen,
        .stats = v2_stats,
        .oom_watch = cgroup_v2_oom_watch,
        .get_pids = v2_get_pids,
        .kill_all = v2_kill_all,
        .destroy = v2_destroy,
};
