/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "fd-util.h"
#include "log.h"
#include "mount-plan.h"
#include "path-util.h"
#include "strv.h"

void mount_plan_close_fds(MountPlan *p) {
        for (size_t i = 0; i < p->n_ops; i++)
                p->ops[i].source_fd = safe_close(p->ops[i].source_fd);
        for (size_t i = 0; i < p->n_host_nodes; i++)
                p->host_nodes[i].fd = safe_close(p->host_nodes[i].fd);
}

int mount_plan_host_node(const MountPlan *p, const char *path) {
        for (size_t i = 0; i < p->n_host_nodes; i++)
                if (streq(p->host_nodes[i].path, path))
                        return p->host_nodes[i].fd;
        return -EBADF;
}

void mount_plan_done(MountPlan *p) {
        mount_plan_close_fds(p);
        for (size_t i = 0; i < p->n_host_nodes; i++)
                free(p->host_nodes[i].path);
        p->host_nodes = mfree(p->host_nodes);
        p->n_host_nodes = 0;
        for (size_t i = 0; i < p->n_ops; i++) {
                free(p->ops[i].source);
                free(p->ops[i].fstype);
                free(p->ops[i].target);
                free(p->ops[i].data);
        }
        p->ops = mfree(p->ops);
        p->n_ops = 0;
}

static int data_append(char **data, const char *opt) {
        char *n;

        if (asprintf(&n, "%s%s%s", strempty(*data), *data ? "," : "", opt) < 0)
                return -ENOMEM;
        free(*data);
        *data = n;
        return 0;
}

static int mount_op_build(const SpecMount *m, size_t idx, const char *bundle_dir, const char *mount_label,
                          MountOp *op) {
        SpecMountOptions o = {};
        int r;

        STRV_FOREACH(opt, m->options) {
                r = spec_mount_option_parse(*opt, &o);
                if (r == 0 && data_append(&op->data, *opt) < 0)
                        return log_oom();
        }
        op->flags = o.set;
        op->clear = o.clear;
        op->rec_set = o.rec_set;
        op->rec_clear = o.rec_clear;
        op->propagation = o.propagation;
        op->copy_up = o.copy_up;
        op->target = strdup(m->destination);
        if (!op->target)
                return log_oom();
        op->recursive = o.recursive;

        if (spec_mount_is_bind(m, &o)) {
                if (streq_ptr(m->type, "rbind"))
                        op->recursive = true;
                if (!m->source || !*m->source)
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                               "config.json: mounts[%zu].source: a bind mount needs a source", idx);
                op->type = MOUNT_OP_BIND;
                op->source = path_is_absolute(m->source) ? strdup(m->source) : path_join(bundle_dir, m->source);
                if (!op->source)
                        return log_oom();
                /* Filesystem data makes no sense for a bind mount. */
                op->data = mfree(op->data);
                return 0;
        }
        if (!m->type || !*m->type)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "config.json: mounts[%zu].type: expected a filesystem type or a bind "
                                       "option for '%s'",
                                       idx, m->destination);
        op->type = streq(m->type, "cgroup") ? MOUNT_OP_CGROUP : MOUNT_OP_FS;
        op->fstype = strdup(m->type);
        op->source = strdup(m->source && *m->source ? m->source : m->type);
        if (!op->fstype || !op->source)
                return log_oom();
        /* linux.mountLabel: the SELinux context of the filesystems berth creates for the
         * container, as runc labels them (lsm_check() refused it on a host without SELinux). */
        if (mount_label && *mount_label && (streq(m->type, "tmpfs") || streq(m->type, "devpts") || streq(m->type, "mqueue"))) {
                _cleanup_free_ char *c = NULL;

                if (asprintf(&c, "context=\"%s\"", mount_label) < 0 || data_append(&op->data, c) < 0)
                        return log_oom();
        }
        return 0;
}

int mount_plan_build(const Spec *spec, const char *bundle_dir, MountPlan *ret) {
        _cleanup_(mount_plan_done) MountPlan p = {};
        int r;

        assert(spec);
        assert(ret);

        if (spec->n_mounts > 0) {
                p.ops = calloc(spec->n_mounts, sizeof(MountOp));
                if (!p.ops)
                        return log_oom();
        }
        for (size_t i = 0; i < spec->n_mounts; i++) {
                MountOp *op = &p.ops[p.n_ops++];

                op->source_fd = -EBADF;
                r = mount_op_build(&spec->mounts[i], i, bundle_dir, spec->linux.mount_label, op);
                if (r < 0)
                        return r;
                /* The kernel lets a user namespace mount cgroup2 only in a cgroup namespace of its
                 * own (it would show the host's whole tree): bind the host's instead, as runc does. */
                op->host_cgroup = op->type == MOUNT_OP_CGROUP &&
                                  spec->linux.namespaces[SPEC_NS_USER].present &&
                                  !spec->linux.namespaces[SPEC_NS_CGROUP].present;
                op->cgroup_ns = op->type == MOUNT_OP_CGROUP &&
                                spec->linux.namespaces[SPEC_NS_CGROUP].present;
                if (streq(op->target, "/dev")) {
                        p.has_dev = true;
                        p.dev_is_bind = op->type == MOUNT_OP_BIND;
                        /* The nodes, symlinks and the mounts below /dev go in first; rootfs.c
                         * makes it read-only after them (as runc does). */
                        p.dev_readonly = op->flags & MS_RDONLY;
                        op->flags &= ~MS_RDONLY;
                }
        }
        *ret = p;
        p = (MountPlan) {};
        return 0;
}

int mount_plan_add_bind(MountPlan *p, const char *source, const char *target, bool readonly) {
        MountOp *ops;

        assert(p);
        assert(path_is_absolute(source));
        assert(path_is_absolute(target));
        ops = reallocarray(p->ops, p->n_ops + 1, sizeof *ops);
        if (!ops)
                return -ENOMEM;
        p->ops = ops;
        ops[p->n_ops] = (MountOp) {
                .type = MOUNT_OP_BIND,
                .source = strdup(source),
                .source_fd = -EBADF, /* not 0: that is stdin, which mount_plan_close_fds() would close */
                .target = strdup(target),
                .flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (readonly ? MS_RDONLY : 0),
        };
        if (!ops[p->n_ops].source || !ops[p->n_ops].target) {
                free(ops[p->n_ops].source);
                free(ops[p->n_ops].target);
                return -ENOMEM;
        }
        p->n_ops++;
        return 0;
}

void cgroup_tree_free(CgroupTreeMount *t, size_t n) {
        if (!t)
                return;
        for (size_t i = 0; i < n; i++) {
                free(t[i].name);
                free(t[i].fstype);
                free(t[i].options);
                free(t[i].source);
                free(t[i].symlink_to);
        }
        free(t);
}

/* Is the item (len bytes) one of the comma-separated items of csv? */
static bool csv_has(const char *csv, const char *item, size_t len) {
        for (const char *c = csv; *c; c += *c == ',') {
                size_t l = strcspn(c, ",");

                if (l == len && strncmp(c, item, len) == 0)
                        return true;
                c += l;
        }
        return false;
}

/* Does the comma-separated list name a controller ("memory"), not only a name= hierarchy? */
static bool csv_has_controller(const char *list) {
        for (const char *c = list; *c; c += *c == ',') {
                size_t l = strcspn(c, ",");

                if (l > 0 && !memchr(c, '=', l))
                        return true;
                c += l;
        }
        return false;
}

/* Is every comma-separated item of list one of those of csv? */
static bool csv_has_all(const char *csv, const char *list) {
        for (const char *c = list; *c; c += *c == ',') {
                size_t l = strcspn(c, ",");

                if (l > 0 && !csv_has(csv, c, l))
                        return false;
                c += l;
        }
        return true;
}

/* The line of /proc/self/cgroup ("ID:CONTROLLERS:PATH") for the hierarchy with these super options,
 * or the unified one (super_options NULL). Returns 1 and the controllers and the path, 0 when there
 * is none, -EINVAL for a malformed line. */
static int cgroup_line_for(const char *proc_cgroup, const char *super_options, char **ret_controllers,
                           char **ret_path) {
        for (const char *line = proc_cgroup, *end; *line; line = *end ? end + 1 : end) {
                _cleanup_free_ char *ctl = NULL;
                const char *c1, *c2;

                end = strchrnul(line, '\n');
                if (end == line)
                        continue;
                c1 = memchr(line, ':', (size_t) (end - line));
                c2 = c1 ? memchr(c1 + 1, ':', (size_t) (end - c1 - 1)) : NULL;
                if (!c2 || c2 + 1 == end || c2[1] != '/')
                        return -EINVAL;
                ctl = strndup(c1 + 1, (size_t) (c2 - c1 - 1));
                if (!ctl)
                        return -ENOMEM;
                if (super_options) {
                        /* v1: the hierarchy whose options hold these controllers (or name=) */
                        if (!*ctl || !csv_has_all(super_options, ctl))
                                continue;
                } else if (c1 != line + 1 || line[0] != '0' || *ctl)
                        continue; /* v2: "0::PATH" */
                *ret_path = strndup(c2 + 1, (size_t) (end - c2 - 1));
                if (!*ret_path)
                        return -ENOMEM;
                *ret_controllers = TAKE_PTR(ctl);
                return 1;
        }
        return 0;
}

/* Fill t from the hierarchy mounted at m; 0 when the process's cgroup is not visible in it. */
static int cgroup_tree_entry(const MountInfo *m, const char *name, const char *proc_cgroup, bool fresh,
                             CgroupTreeMount *t) {
        _cleanup_free_ char *ctl = NULL, *path = NULL;
        bool v1 = streq(m->fstype, "cgroup");
        size_t rl;
        int r;

        r = cgroup_line_for(proc_cgroup, v1 ? strempty(m->super_options) : NULL, &ctl, &path);
        if (r <= 0)
                return r;
        /* A bind: the mount shows the hierarchy from its root on, and the cgroup must be at or below
         * it. (In a cgroup namespace the path and the mount's root are shown relative to the
         * namespace: a fresh mount shows the right part anyway.) */
        rl = streq(m->root, "/") ? 0 : strlen(m->root);
        if (!fresh && (strncmp(path, m->root, rl) != 0 || !IN_SET(path[rl], '/', '\0')))
                return 0;
        t->name = strdup(name);
        t->fstype = strdup(m->fstype);
        if (!t->name || !t->fstype)
                return -ENOMEM;
        /* Only controller hierarchies hold a cgroup the managers made for the container (cgroup-v1.c
         * joins every one, never name=systemd nor a hybrid host's cgroup2). */
        t->foreign = !v1 || !csv_has_controller(ctl);
        if (fresh) {
                if (v1)
                        t->options = TAKE_PTR(ctl);
                return 1;
        }
        t->source = path_join(m->mount_point, path[rl] ? path + rl : "/");
        if (!t->source)
                return -ENOMEM;
        return 1;
}

/* For a co-mounted hierarchy ("cpu,cpuacct"), a symlink per controller that has no entry of its own
 * (t has room for max entries). */
static int cgroup_tree_add_links(CgroupTreeMount *t, size_t *n, size_t max) {
        size_t k = *n;

        for (size_t i = 0; i < *n; i++) {
                if (!streq(t[i].fstype, "cgroup") || !strchr(t[i].name, ','))
                        continue;
                for (const char *c = t[i].name; *c; c += *c == ',') {
                        size_t l = strcspn(c, ","), j;

                        for (j = 0; j < k; j++)
                                if (strlen(t[j].name) == l && strncmp(t[j].name, c, l) == 0)
                                        break;
                        if (j == k && l > 0 && !memchr(c, '=', l) && k < max) {
                                t[k] = (CgroupTreeMount) {
                                        .name = strndup(c, l),
                                        .symlink_to = strdup(t[i].name),
                                };
                                k++;
                                if (!t[k - 1].name || !t[k - 1].symlink_to) {
                                        *n = k;
                                        return -ENOMEM;
                                }
                        }
                        c += l;
                }
        }
        *n = k;
        return 0;
}

int mount_cgroup_tree_plan(const MountInfo *mi, size_t n_mi, const char *proc_cgroup, bool fresh,
                           CgroupTreeMount **ret, size_t *ret_n) {
        CgroupTreeMount *t;
        size_t n = 0, max = n_mi + 32;
        int r = 0;

        assert(mi || n_mi == 0);
        assert(proc_cgroup);
        assert(ret);
        assert(ret_n);

        /* Room for a symlink per v1 controller (the kernel has fewer than 32). */
        t = calloc(max, sizeof *t);
        if (!t)
                return -ENOMEM;
        for (size_t i = 0; i < n_mi && r >= 0; i++) {
                const char *name = startswith(mi[i].mount_point, "/sys/fs/cgroup/");
                bool seen = false;

                if (!name || !*name || strchr(name, '/') ||
                    !(streq(mi[i].fstype, "cgroup") || streq(mi[i].fstype, "cgroup2")))
                        continue;
                for (size_t j = 0; j < n; j++)
                        seen = seen || streq(t[j].name, name);
                if (seen)
                        continue;
                r = cgroup_tree_entry(&mi[i], name, proc_cgroup, fresh, &t[n]);
                if (r != 0) /* on failure too: what it allocated is freed below */
                        n++;
        }
        if (r >= 0)
                r = cgroup_tree_add_links(t, &n, max);
        if (r < 0) {
                cgroup_tree_free(t, n);
                return r;
        }
        *ret = t;
        *ret_n = n;
        return 0;
}
