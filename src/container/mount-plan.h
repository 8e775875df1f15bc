/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PURE: Spec mounts -> a list of mount operations. No syscalls here; mount.c applies the plan.
 * The one exception is the fds of host sources that mount.c and rootfs.c put into the plan in the
 * runtime before the init exists (a user namespace: see mount_plan_open_sources()); the plan owns
 * them and mount_plan_done() closes them. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mountinfo.h"
#include "spec.h"

typedef enum MountOpType {
        MOUNT_OP_BIND,     /* open_tree(source) + mount_setattr + move_mount */
        MOUNT_OP_FS,       /* a new filesystem instance (proc, tmpfs, sysfs, devpts, mqueue, ...) */
        MOUNT_OP_CGROUP,   /* "cgroup": cgroup2 on a unified host; on a v1 or hybrid host a tmpfs with the
                            * container's own cgroup of each hierarchy (mount_cgroup_tree_plan()); in a
                            * user namespace a read-only rbind of the host's /sys/fs/cgroup */
        _MOUNT_OP_TYPE_MAX,
        _MOUNT_OP_TYPE_INVALID = -EINVAL,
} MountOpType;

typedef struct MountOp {
        MountOpType type;
        char *source;         /* bind: absolute host path; fs: the source string ("proc", "tmpfs", ...) */
        char *fstype;         /* fs: the filesystem type */
        char *target;         /* absolute path inside the rootfs, normalized */
        unsigned long flags;  /* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_*ATIME, MS_SYNCHRONOUS, ... */
        unsigned long clear;  /* flags explicitly cleared ("rw", "suid", "dev", "exec", ...) */
        unsigned long propagation; /* 0 or MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE, | MS_REC */
        uint64_t rec_set;     /* MOUNT_ATTR_* for the whole tree, after the mount ("rro", "rnosuid", ...) */
        uint64_t rec_clear;   /* MOUNT_ATTR_* cleared on the whole tree ("rrw", ...) */
        bool recursive;       /* rbind */
        bool copy_up;         /* tmpfs "tmpcopyup": starts with a copy of what the rootfs has at target */
        bool host_cgroup;     /* cgroup: bind the host's /sys/fs/cgroup even on cgroup v2 (a user namespace
                               * without a cgroup namespace may not mount a fresh cgroup2) */
        bool cgroup_ns;       /* cgroup: the container has a cgroup namespace (v1: fresh hierarchies) */
        bool cgroup_joined;   /* cgroup: a cgroup manager put the init in cgroups of its own (not
                               * --cgroup-manager disabled); set by the runtime once it made them */
        char *data;           /* the options that are not flags, comma-separated, or NULL */
        int source_fd;        /* bind, host cgroup: a detached clone of the source opened by the runtime as
                               * the host's root (a user namespace), or -EBADF: opened by the init */
} MountOp;

/* A host device node the init binds into the container (a user namespace cannot mknod), opened by
 * the runtime as the host's root. */
typedef struct MountHostNode {
        char *path;           /* the host path, which is also the path in the container */
        int fd;               /* a detached clone of the node's mount */
} MountHostNode;

typedef struct MountPlan {
        MountOp *ops;
        size_t n_ops;
        bool dev_is_bind; /* "/dev" comes from a bind mount: no default device nodes are made */
        bool has_dev;     /* something is mounted at "/dev" */
        bool dev_readonly; /* "/dev" asked for "ro": it is mounted rw (MS_RDONLY dropped from its op) and
                            * made read-only once the device nodes and the mounts below it are there */
        MountHostNode *host_nodes; /* user namespace: the host nodes to bind, opened by the runtime */
        size_t n_host_nodes;
} MountPlan;

void mount_plan_done(MountPlan *p);
/* Close the host source fds (the runtime once the init has them; the init once it mounted them). */
void mount_plan_close_fds(MountPlan *p);
/* The host node fd for path, or -EBADF. */
int mount_plan_host_node(const MountPlan *p, const char *path);

/* Build the plan. Relative bind sources are relative to bundle_dir. Logs and returns -EINVAL for a
 * mount berth cannot do, naming "mounts[N]". */
int mount_plan_build(const Spec *spec, const char *bundle_dir, MountPlan *ret);

/* One entry of the /sys/fs/cgroup runc shows a container on a v1 or hybrid host: a tmpfs with, for
 * each hierarchy mounted directly below the host's /sys/fs/cgroup, the container's own cgroup in it
 * (not the host's tree: /sys/fs/cgroup/memory/memory.limit_in_bytes is the container's limit). */
typedef struct CgroupTreeMount {
        char *name;       /* the entry under /sys/fs/cgroup: the host's name ("memory", "cpu,cpuacct") */
        char *fstype;     /* "cgroup" (v1) or "cgroup2"; NULL: a symlink to symlink_to */
        char *options;    /* fresh: the hierarchy's controllers as mount options ("memory",
                           * "name=systemd"), NULL for cgroup2 */
        char *source;     /* bind: the host directory of the container's cgroup; NULL: a fresh mount */
        char *symlink_to; /* a co-mounted controller's name -> the hierarchy ("cpu" -> "cpu,cpuacct") */
        bool foreign;     /* a hierarchy no cgroup manager joins (a named one such as name=systemd, the
                           * cgroup2 one of a hybrid host): the process is in its caller's cgroup there,
                           * the host's root cgroup as often as not; always mounted read-only */
} CgroupTreeMount;

void cgroup_tree_free(CgroupTreeMount *t, size_t n);

/* PURE: from the mount table and /proc/self/cgroup of the container's init (which joined its
 * cgroups), the entries of that tmpfs: with a cgroup namespace (fresh) a new mount of each hierarchy,
 * which shows the namespace's root; without, a bind of the host directory of the container's cgroup
 * (the mount's root is taken off the cgroup path). A hierarchy the process's cgroup is not visible
 * in is left out. Returns -ENOMEM or -EINVAL (a malformed cgroup line), no logging. */
int mount_cgroup_tree_plan(const MountInfo *mi, size_t n_mi, const char *proc_cgroup, bool fresh,
                           CgroupTreeMount **ret, size_t *ret_n);

/* Append a non-recursive bind mount of the absolute host path source on target (absolute, in the
 * container), nosuid, nodev, noexec, and read-only if asked: what berth adds itself under systemd
 * (the notify socket, the credentials). Last, so no mount of the config hides it. */
int mount_plan_add_bind(MountPlan *p, const char *source, const char *target, bool readonly);
