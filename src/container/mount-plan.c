/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "log.h"
#include "mount-plan.h"
#include "path-util.h"
#include "strv.h"

void mount_plan_done(MountPlan *p) {
        for (size_t i = 0; i < p->n_ops; i++) {
                free(p->ops[i].source);
                free(p->ops[i].fstype);
                free(p->ops[i].target);
                free(p->ops[i].data);
        }
        p->ops = mfree(p->ops);
        p->n_ops = 0;
}

static const struct {
        const char *name;
        bool clear;
        unsigned long flag;
} flag_table[] = {
        { "ro", false, MS_RDONLY },           { "rw", true, MS_RDONLY },
        { "nosuid", false, MS_NOSUID },       { "suid", true, MS_NOSUID },
        { "nodev", false, MS_NODEV },         { "dev", true, MS_NODEV },
        { "noexec", false, MS_NOEXEC },       { "exec", true, MS_NOEXEC },
        { "sync", false, MS_SYNCHRONOUS },    { "async", true, MS_SYNCHRONOUS },
        { "dirsync", false, MS_DIRSYNC },     { "remount", false, MS_REMOUNT },
        { "mand", false, MS_MANDLOCK },       { "nomand", true, MS_MANDLOCK },
        { "noatime", false, MS_NOATIME },     { "atime", true, MS_NOATIME },
        { "nodiratime", false, MS_NODIRATIME }, { "diratime", true, MS_NODIRATIME },
        { "relatime", false, MS_RELATIME },   { "norelatime", true, MS_RELATIME },
        { "strictatime", false, MS_STRICTATIME }, { "nostrictatime", true, MS_STRICTATIME },
        { "silent", false, MS_SILENT },       { "loud", true, MS_SILENT },
};

static const struct {
        const char *name;
        unsigned long flags;
} propagation_table[] = {
        { "private", MS_PRIVATE },        { "rprivate", MS_PRIVATE | MS_REC },
        { "shared", MS_SHARED },          { "rshared", MS_SHARED | MS_REC },
        { "slave", MS_SLAVE },            { "rslave", MS_SLAVE | MS_REC },
        { "unbindable", MS_UNBINDABLE },  { "runbindable", MS_UNBINDABLE | MS_REC },
};

int mount_option_parse(const char *opt, unsigned long *set, unsigned long *clear, unsigned long *propagation,
                       bool *bind, bool *recursive) {
        for (size_t i = 0; i < ELEMENTSOF(flag_table); i++)
                if (streq(opt, flag_table[i].name)) {
                        if (flag_table[i].clear) {
                                *clear |= flag_table[i].flag;
                                *set &= ~flag_table[i].flag;
                        } else {
                                *set |= flag_table[i].flag;
                                *clear &= ~flag_table[i].flag;
                        }
                        return 1;
                }
        for (size_t i = 0; i < ELEMENTSOF(propagation_table); i++)
                if (streq(opt, propagation_table[i].name)) {
                        *propagation = propagation_table[i].flags;
                        return 1;
                }
        if (streq(opt, "bind")) {
                *bind = true;
                return 1;
        }
        if (streq(opt, "rbind")) {
                *bind = *recursive = true;
                return 1;
        }
        /* Accepted and meaningless here (as in runc and crun). */
        if (streq(opt, "defaults"))
                return 1;
        return 0;
}

static int data_append(char **data, const char *opt) {
        char *n;

        if (asprintf(&n, "%s%s%s", strempty(*data), *data ? "," : "", opt) < 0)
                return -ENOMEM;
        free(*data);
        *data = n;
        return 0;
}

static int mount_op_build(const SpecMount *m, size_t idx, const char *bundle_dir, MountOp *op) {
        bool bind = false, recursive = false;
        int r;

        STRV_FOREACH(o, m->options) {
                r = mount_option_parse(*o, &op->flags, &op->clear, &op->propagation, &bind, &recursive);
                if (r == 0 && data_append(&op->data, *o) < 0)
                        return log_oom();
        }
        op->target = strdup(m->destination);
        if (!op->target)
                return log_oom();
        op->recursive = recursive;

        if (bind || streq_ptr(m->type, "bind") || streq_ptr(m->type, "rbind")) {
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

                r = mount_op_build(&spec->mounts[i], i, bundle_dir, op);
                if (r < 0)
                        return r;
                if (streq(op->target, "/dev")) {
                        p.has_dev = true;
                        p.dev_is_bind = op->type == MOUNT_OP_BIND;
                }
        }
        *ret = p;
        p = (MountPlan) {};
        return 0;
}
