/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "mount.h"

uint64_t mount_flags_to_attr(unsigned long flags) {
        uint64_t a = 0;

        if (flags & MS_RDONLY)
                a |= MOUNT_ATTR_RDONLY;
        if (flags & MS_NOSUID)
                a |= MOUNT_ATTR_NOSUID;
        if (flags & MS_NODEV)
                a |= MOUNT_ATTR_NODEV;
        if (flags & MS_NOEXEC)
                a |= MOUNT_ATTR_NOEXEC;
        if (flags & MS_NODIRATIME)
                a |= MOUNT_ATTR_NODIRATIME;
        /* As mount(2) does: strictatime wins over noatime, which wins over relatime. */
        if (flags & MS_STRICTATIME)
                a |= MOUNT_ATTR_STRICTATIME;
        else if (flags & MS_NOATIME)
                a |= MOUNT_ATTR_NOATIME;
        else if (flags & MS_RELATIME)
                a |= MOUNT_ATTR_RELATIME;
        return a;
}

static uint64_t clear_to_attr(unsigned long clear) {
        uint64_t a = mount_flags_to_attr(clear & ~(MS_NOATIME | MS_STRICTATIME | MS_RELATIME));

        /* Any atime choice replaces the whole atime field. */
        if (clear & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME))
                a |= MOUNT_ATTR__ATIME;
        return a;
}

/* A bind: clone the source tree detached, set its flags while nobody can see it, then attach it
 * to the target by fd, so no path can be swapped for a symlink in between (CVE-2021-30465). */
static int apply_bind(const MountOp *op, int target_fd) {
        _cleanup_close_ int tree = -EBADF;
        struct mount_attr attr = {};
        int r;

        tree = open_tree(AT_FDCWD, op->source,
                         OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (op->recursive ? AT_RECURSIVE : 0));
        if (tree < 0)
                return log_error_errno(errno, "Failed to open bind mount source '%s': %m", op->source);

        attr.attr_set = mount_flags_to_attr(op->flags);
        attr.attr_clr = clear_to_attr(op->clear);
        /* MOUNT_ATTR_RELATIME is 0: any atime choice must clear the whole atime field. */
        if (op->flags & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME))
                attr.attr_clr |= MOUNT_ATTR__ATIME;
        if (attr.attr_set || attr.attr_clr) {
                r = RET_NERRNO(mount_setattr(tree, "", AT_EMPTY_PATH | (op->recursive ? AT_RECURSIVE : 0),
                                             &attr, sizeof attr));
                if (r < 0)
                        return log_error_errno(r, "Failed to set options of bind mount '%s' on '%s': %m",
                                               op->source, op->target);
        }
        r = RET_NERRNO(move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
        if (r < 0)
                return log_error_errno(r, "Failed to bind mount '%s' on '%s': %m", op->source, op->target);
        if (op->propagation) {
                struct mount_attr p = { .propagation = op->propagation & ~MS_REC };

                r = RET_NERRNO(mount_setattr(tree, "", AT_EMPTY_PATH | (op->propagation & MS_REC ? AT_RECURSIVE : 0),
                                             &p, sizeof p));
                if (r < 0)
                        return log_error_errno(r, "Failed to set propagation of '%s': %m", op->target);
        }
        return 0;
}

static int apply_fs(int root_fd, const MountOp *op, int target_fd) {
        _cleanup_close_ int mnt = -EBADF;
        unsigned long flags = op->flags & ~(MS_REMOUNT);
        char p[32];
        int r;

        /* The target is addressed through its fd (a magic link to the object we resolved inside the
         * root), never through a path inside the rootfs. */
        r = RET_NERRNO(mount(op->source, fd_path(target_fd, p), op->fstype, flags, op->data));
        if (r < 0)
                return log_error_errno(r, "Failed to mount %s on '%s'%s%s%s: %m", op->fstype, op->target,
                                       op->data ? " (options '" : "", strempty(op->data), op->data ? "')" : "");
        if (op->propagation) {
                r = open_in_root(root_fd, op->target, O_PATH, RESOLVE_NO_SYMLINKS, &mnt);
                if (r < 0)
                        return log_error_errno(r, "Failed to reopen '%s': %m", op->target);
                r = RET_NERRNO(mount(NULL, fd_path(mnt, p), NULL, op->propagation, NULL));
                if (r < 0)
                        return log_error_errno(r, "Failed to set propagation of '%s': %m", op->target);
        }
        return 0;
}

static int apply_cgroup(int root_fd, const MountOp *op, int target_fd) {
        struct statfs sfs;
        MountOp m = *op;

        if (statfs("/sys/fs/cgroup", &sfs) >= 0 && sfs.f_type == CGROUP2_SUPER_MAGIC) {
                m.fstype = (char *) "cgroup2";
                m.source = (char *) "cgroup2";
                m.data = NULL;
                return apply_fs(root_fd, &m, target_fd);
        }
        /* A v1 or hybrid host: show the host's hierarchies read-only, as a recursive bind. */
        m.type = MOUNT_OP_BIND;
        m.source = (char *) "/sys/fs/cgroup";
        m.recursive = true;
        m.flags |= MS_RDONLY;
        return apply_bind(&m, target_fd);
}

static bool is_sensitive_fs(const MountOp *op) {
        return op->type == MOUNT_OP_FS && (streq(op->fstype, "proc") || streq(op->fstype, "sysfs"));
}

int mount_apply_plan(int root_fd, const MountPlan *plan) {
        int r;

        for (size_t i = 0; i < plan->n_ops; i++) {
                const MountOp *op = &plan->ops[i];
                _cleanup_close_ int target = -EBADF;
                bool is_file = false;
                struct stat st;

                if (op->type == MOUNT_OP_BIND) {
                        if (stat(op->source, &st) < 0)
                                return log_error_errno(errno, "Failed to access bind mount source '%s': %m",
                                                       op->source);
                        is_file = !S_ISDIR(st.st_mode);
                }
                r = mkdir_p_in_root(root_fd, op->target, is_file, &target);
                if (r < 0)
                        return log_error_errno(r, "Failed to create mount point '%s' in the rootfs: %m",
                                               op->target);
                /* procfs and sysfs go only on a real directory: a symlink there would let the
                 * container move them out from under maskedPaths (CVE-2019-16884, CVE-2023-27561). */
                if (is_sensitive_fs(op)) {
                        _cleanup_close_ int nofollow = -EBADF;

                        r = open_in_root(root_fd, op->target, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS, &nofollow);
                        if (r < 0)
                                return log_error_errno(r, "Refusing to mount %s on '%s': not a plain directory "
                                                       "inside the rootfs: %m", op->fstype, op->target);
                }
                switch (op->type) {
                case MOUNT_OP_BIND:
                        r = apply_bind(op, target);
                        break;
                case MOUNT_OP_FS:
                        r = apply_fs(root_fd, op, target);
                        break;
                case MOUNT_OP_CGROUP:
                        r = apply_cgroup(root_fd, op, target);
                        break;
                case _MOUNT_OP_TYPE_MAX:
                case _MOUNT_OP_TYPE_INVALID:
                default:
                        r = log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Unknown mount type for '%s'", op->target);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}
