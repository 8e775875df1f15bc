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
