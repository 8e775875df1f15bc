/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PURE: Spec mounts -> a list of mount operations. No syscalls here; mount.c applies the plan. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"

typedef enum MountOpType {
        MOUNT_OP_BIND,     /* open_tree(source) + mount_setattr + move_mount */
        MOUNT_OP_FS,       /* a new filesystem instance (proc, tmpfs, sysfs, devpts, mqueue, ...) */
        MOUNT_OP_CGROUP,   /* "cgroup": cgroup2 on a unified host, else a read-only rbind of /sys/fs/cgroup */
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
        char *data;           /* the options that are not flags, comma-separated, or NULL */
} MountOp;

typedef struct MountPlan {
        MountOp *ops;
        size_t n_ops;
        bool dev_is_bind; /* "/dev" comes from a bind mount: no default device nodes are made */
        bool has_dev;     /* something is mounted at "/dev" */
        bool dev_readonly; /* "/dev" asked for "ro": it is mounted rw (MS_RDONLY dropped from its op) and
                            * made read-only once the device nodes and the mounts below it are there */
} MountPlan;

void mount_plan_done(MountPlan *p);

/* Build the plan. Relative bind sources are relative to bundle_dir. Logs and returns -EINVAL for a
 * mount berth cannot do, naming "mounts[N]". */
int mount_plan_build(const Spec *spec, const char *bundle_dir, MountPlan *ret);

/* Append a non-recursive bind mount of the absolute host path source on target (absolute, in the
 * container), nosuid, nodev, noexec, and read-only if asked: what berth adds itself under systemd
 * (the notify socket, the credentials). Last, so no mount of the config hides it. */
int mount_plan_add_bind(MountPlan *p, const char *source, const char *target, bool readonly);
