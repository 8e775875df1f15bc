/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "copy.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "mount.h"
#include "mountinfo.h"

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
        if (flags & MS_NOSYMFOLLOW)
                a |= MOUNT_ATTR_NOSYMFOLLOW;
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

/* Propagation of an attached mount, through its fd. */
static int apply_propagation(const MountOp *op, int fd) {
        struct mount_attr p = { .propagation = op->propagation & ~MS_REC };
        int r;

        if (!op->propagation)
                return 0;
        r = RET_NERRNO(mount_setattr(fd, "", AT_EMPTY_PATH | (op->propagation & MS_REC ? AT_RECURSIVE : 0), &p,
                                     sizeof p));
        if (r < 0)
                return log_error_errno(r, "Failed to set propagation of '%s': %m", op->target);
        return 0;
}

/* The recursive options ("rro", "rnosuid", ...): every mount of the tree at fd. */
static int apply_recursive_attrs(const MountOp *op, int fd) {
        struct mount_attr attr = { .attr_set = op->rec_set, .attr_clr = op->rec_clear };
        int r;

        if (!op->rec_set && !op->rec_clear)
                return 0;
        r = RET_NERRNO(mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr));
        if (r < 0)
                return log_error_errno(r, "Failed to set the recursive options of '%s': %m", op->target);
        return 0;
}

int mount_clone_host_tree(const char *path, bool recursive, unsigned long propagation, int *ret_fd) {
        _cleanup_close_ int tree = -EBADF;
        /* Shared: the peer of the host's mount it is, as the init's own copies would be. */
        struct mount_attr p = { .propagation = propagation & (MS_SLAVE | MS_PRIVATE) };
        int r;

        assert(path);
        assert(ret_fd);

        tree = open_tree(AT_FDCWD, path,
                         OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
        if (tree < 0)
                return -errno;
        /* A clone of a shared host mount is a peer of it: what the container mounts below the bind
         * would appear on the host, and the other way round. The init clones from its own copy of
         * the mount table, which rootfs_prepare() made a slave (or private) of the host's: make
         * this clone the same, before anything can be mounted on it. */
        if (p.propagation) {
                r = RET_NERRNO(mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &p, sizeof p));
                if (r < 0)
                        return r;
        }
        *ret_fd = TAKE_FD(tree);
        return 0;
}

/* "cgroup" mounts the host's /sys/fs/cgroup as a recursive bind on a v1 or hybrid host, or in a user
 * namespace without a cgroup namespace. */
static bool cgroup_is_bind(const MountOp *op) {
        struct statfs sfs;

        return op->host_cgroup || statfs("/sys/fs/cgroup", &sfs) < 0 || sfs.f_type != CGROUP2_SUPER_MAGIC;
}

int mount_plan_open_sources(MountPlan *plan, unsigned long propagation) {
        int r;

        assert(plan);

        for (size_t i = 0; i < plan->n_ops; i++) {
                MountOp *op = &plan->ops[i];

                const char *source;

                if (op->type == MOUNT_OP_BIND)
                        source = op->source;
                else if (op->type == MOUNT_OP_CGROUP && cgroup_is_bind(op))
                        source = "/sys/fs/cgroup";
                else
                        continue;
                r = mount_clone_host_tree(source, op->recursive || op->type == MOUNT_OP_CGROUP, propagation,
                                          &op->source_fd);
                if (r < 0)
                        return log_error_errno(r, "Failed to open the source '%s' of mounts[%zu] (destination "
                                               "'%s'): %m", source, i, op->target);
        }
        return 0;
}

/* A bind: clone the source tree detached, set its flags while nobody can see it, then attach it
 * to the target by fd, so no path can be swapped for a symlink in between (CVE-2021-30465). With a
 * user namespace the runtime cloned the source already (mount_plan_open_sources()), for when the
 * init's root, an unprivileged host uid, cannot reach it. */
static int apply_bind(const MountOp *op, int target_fd) {
        _cleanup_close_ int opened = -EBADF;
        struct mount_attr attr = {};
        int tree, r;

        /* Our own clone first, also in a user namespace: a copy made here keeps the locks the
         * kernel puts on mounts a less privileged namespace got (a read-only host mount stays
         * read-only). Only a source the init cannot reach (EACCES: an unprivileged host uid) is
         * taken from the runtime's clone, which has no such locks. */
        opened = open_tree(AT_FDCWD, op->source,
                           OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (op->recursive ? AT_RECURSIVE : 0));
        if (opened < 0 && !(IN_SET(errno, EACCES, EPERM) && op->source_fd >= 0))
                return log_error_errno(errno, "Failed to open bind mount source '%s': %m", op->source);
        tree = opened >= 0 ? opened : op->source_fd;

        attr.attr_set = mount_flags_to_attr(op->flags);
        attr.attr_clr = clear_to_attr(op->clear);
        /* MOUNT_ATTR_RELATIME is 0: any atime choice must clear the whole atime field. */
        if (op->flags & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME))
                attr.attr_clr |= MOUNT_ATTR__ATIME;
        /* The plain flags ("ro", "nosuid", ...) are for the top mount only, also of an rbind (as
         * runc does); the "r" forms below are for the whole tree. */
        if (attr.attr_set || attr.attr_clr) {
                r = RET_NERRNO(mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr));
                if (r < 0)
                        return log_error_errno(r, "Failed to set options of bind mount '%s' on '%s': %m",
                                               op->source, op->target);
        }
        r = apply_recursive_attrs(op, tree);
        if (r < 0)
                return r;
        r = RET_NERRNO(move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
        if (r < 0)
                return log_error_errno(r, "Failed to bind mount '%s' on '%s': %m", op->source, op->target);
        return apply_propagation(op, tree);
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
        if (!op->propagation && !op->rec_set && !op->rec_clear)
                return 0;
        r = open_in_root(root_fd, op->target, O_PATH, RESOLVE_NO_SYMLINKS, &mnt);
        if (r < 0)
                return log_error_errno(r, "Failed to reopen '%s': %m", op->target);
        r = apply_recursive_attrs(op, mnt);
        if (r < 0)
                return r;
        if (op->propagation) {
                r = RET_NERRNO(mount(NULL, fd_path(mnt, p), NULL, op->propagation, NULL));
                if (r < 0)
                        return log_error_errno(r, "Failed to set propagation of '%s': %m", op->target);
        }
        return 0;
}

/* fsconfig() for each option of the comma-separated data: "key=value" or a flag. */
static int fs_configure(int fs, const MountOp *op) {
        _cleanup_free_ char *data = NULL;
        char *state = NULL;

        if (!op->data)
                return 0;
        data = strdup(op->data);
        if (!data)
                return log_oom();
        for (char *o = strtok_r(data, ",", &state); o; o = strtok_r(NULL, ",", &state)) {
                char *eq = strchr(o, '=');
                int r;

                if (eq) {
                        *eq = 0;
                        r = RET_NERRNO(fsconfig(fs, FSCONFIG_SET_STRING, o, eq + 1, 0));
                } else
                        r = RET_NERRNO(fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0));
                if (r < 0)
                        return log_error_errno(r, "Failed to mount %s on '%s': option '%s%s%s': %m", op->fstype,
                                               op->target, o, eq ? "=" : "", eq ? eq + 1 : "");
        }
        return 0;
}

/* "tmpcopyup" (runc's extension; podman asks for it with --read-only and --tmpfs): the new tmpfs
 * starts with a copy of what the rootfs has at the target. The tmpfs is made detached (fsmount),
 * filled while nothing else can see it, and only then attached onto the target by fd. The copy
 * reads the old directory through an fd of it and never follows a symlink (copy.c), so it stays
 * inside the rootfs. A read-only tmpfs becomes read-only after the copy. */
static int apply_tmpfs_copy_up(const MountOp *op, int target_fd) {
        _cleanup_close_ int src = -EBADF, fs = -EBADF, mnt = -EBADF, dst = -EBADF;
        int r;

        src = openat(target_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (src < 0)
                return log_error_errno(errno, "Failed to open '%s' to copy it up: %m", op->target);
        fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
        if (fs < 0)
                return log_error_errno(errno, "Failed to create a tmpfs for '%s': %m", op->target);
        r = fs_configure(fs, op);
        if (r < 0)
                return r;
        if (op->flags & MS_SYNCHRONOUS)
                (void) fsconfig(fs, FSCONFIG_SET_FLAG, "sync", NULL, 0);
        if (op->flags & MS_DIRSYNC)
                (void) fsconfig(fs, FSCONFIG_SET_FLAG, "dirsync", NULL, 0);
        r = RET_NERRNO(fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
        if (r < 0)
                return log_error_errno(r, "Failed to mount tmpfs on '%s'%s%s%s: %m", op->target,
                                       op->data ? " (options '" : "", strempty(op->data), op->data ? "')" : "");
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned) mount_flags_to_attr(op->flags & ~MS_RDONLY));
        if (mnt < 0)
                return log_error_errno(errno, "Failed to mount tmpfs on '%s': %m", op->target);
        dst = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dst < 0)
                return log_error_errno(errno, "Failed to open the new tmpfs for '%s': %m", op->target);
        r = copy_tree_at(src, dst);
        if (r >= 0)
                r = copy_dir_attrs(src, dst);
        if (r == -ELOOP)
                return log_error_errno(r, "Failed to copy '%s' into its tmpfs: deeper than %u directories",
                                       op->target, COPY_DEPTH_MAX);
        if (r < 0)
                return log_error_errno(r, "Failed to copy '%s' into its tmpfs: %m", op->target);
        dst = safe_close(dst);
        if (op->flags & MS_RDONLY) {
                struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

                r = RET_NERRNO(mount_setattr(mnt, "", AT_EMPTY_PATH, &attr, sizeof attr));
                if (r < 0)
                        return log_error_errno(r, "Failed to make the tmpfs on '%s' read-only: %m", op->target);
        }
        r = apply_recursive_attrs(op, mnt);
        if (r < 0)
                return r;
        r = RET_NERRNO(move_mount(mnt, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
        if (r < 0)
                return log_error_errno(r, "Failed to mount tmpfs on '%s': %m", op->target);
        return apply_propagation(op, mnt);
}

/* One entry of the v1 cgroup tree in the tmpfs at dir_fd: a fresh mount of the hierarchy (in a cgroup
 * namespace: it shows the namespace's root), or a bind of the container's cgroup directory; with the
 * flags of the "cgroup" mount (ro, nosuid, ...). The tmpfs is the container's and nothing runs in
 * the container yet, so its names are not raced. */
static int cgroup_tree_mount_one(const MountOp *op, int dir_fd, const CgroupTreeMount *t) {
        struct mount_attr attr = { .attr_set = mount_flags_to_attr(op->flags) };
        _cleanup_close_ int fs = -EBADF, tree = -EBADF, target = -EBADF;
        int r;

        /* Writable only where the cgroup is the container's own: elsewhere it is the caller's (the
         * host's root cgroup, a service's), where a container root that may write could make
         * cgroups, move itself out of its own, or raise the caller's limits. */
        if (t->foreign || !op->cgroup_joined)
                attr.attr_set |= MOUNT_ATTR_RDONLY;
        if (t->symlink_to) {
                r = RET_NERRNO(symlinkat(t->symlink_to, dir_fd, t->name));
                if (r < 0)
                        return log_error_errno(r, "Failed to link '%s/%s' to '%s': %m", op->target, t->name,
                                               t->symlink_to);
                return 0;
        }
        if (t->source)
                tree = open_tree(AT_FDCWD, t->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        else {
                fs = fsopen(t->fstype, FSOPEN_CLOEXEC);
                if (fs < 0)
                        return log_error_errno(errno, "Failed to mount %s on '%s/%s': %m", t->fstype,
                                               op->target, t->name);
                r = RET_NERRNO(fsconfig(fs, FSCONFIG_SET_STRING, "source", t->fstype, 0));
                if (r < 0)
                        return log_error_errno(r, "Failed to mount %s on '%s/%s': %m", t->fstype,
                                               op->target, t->name);
                /* The controllers of the existing hierarchy; "name=systemd" is a string option. */
                for (const char *c = strempty(t->options); *c; c += *c == ',') {
                        _cleanup_free_ char *o = strndup(c, strcspn(c, ","));
                        char *eq;

                        if (!o)
                                return log_oom();
                        c += strlen(o);
                        eq = strchr(o, '=');
                        if (eq)
                                *eq = 0;
                        r = RET_NERRNO(fsconfig(fs, eq ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, o,
                                                eq ? eq + 1 : NULL, 0));
                        if (r < 0)
                                return log_error_errno(r, "Failed to mount the cgroup hierarchy '%s' on "
                                                       "'%s/%s': option '%s': %m",
                                                       t->options, op->target, t->name, o);
                }
                r = RET_NERRNO(fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
                if (r >= 0)
                        tree = fsmount(fs, FSMOUNT_CLOEXEC, 0);
        }
        if (tree < 0)
                return log_error_errno(errno, "Failed to mount the cgroup hierarchy '%s' on '%s/%s': %m",
                                       t->source ?: strempty(t->options), op->target, t->name);
        r = RET_NERRNO(mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr));
        if (r < 0)
                return log_error_errno(r, "Failed to set the options of '%s/%s': %m", op->target, t->name);
        if (mkdirat(dir_fd, t->name, 0755) < 0)
                return log_error_errno(errno, "Failed to create '%s/%s': %m", op->target, t->name);
        target = openat(dir_fd, t->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (target < 0)
                return log_error_errno(errno, "Failed to open '%s/%s': %m", op->target, t->name);
        r = RET_NERRNO(move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
        if (r < 0)
                return log_error_errno(r, "Failed to mount the cgroup hierarchy '%s' on '%s/%s': %m",
                                       t->source ?: strempty(t->options), op->target, t->name);
        return 0;
}

/* What runc shows on a v1 or hybrid host: a tmpfs with the container's own cgroup of each hierarchy,
 * so /sys/fs/cgroup/memory/memory.limit_in_bytes is the container's limit, and the host's other
 * cgroups stay out of sight. Runs in the init, which joined its cgroups (and made its cgroup
 * namespace) already. */
static int apply_cgroup_tree(const MountOp *op, int target_fd) {
        _cleanup_free_ char *mountinfo = NULL, *self = NULL;
        _cleanup_close_ int fs = -EBADF, mnt = -EBADF, dir = -EBADF;
        struct mount_attr attr = { .attr_set = mount_flags_to_attr(op->flags) };
        CgroupTreeMount *t = NULL;
        MountInfo *mi = NULL;
        size_t n_mi = 0, n = 0;
        int r;

        r = read_full_file_at(AT_FDCWD, "/proc/self/mountinfo", 1U << 24, &mountinfo, NULL);
        if (r >= 0)
                r = read_full_file_at(AT_FDCWD, "/proc/self/cgroup", 1U << 16, &self, NULL);
        if (r >= 0)
                r = mountinfo_parse(mountinfo, &mi, &n_mi);
        if (r >= 0) {
                r = mount_cgroup_tree_plan(mi, n_mi, self, op->cgroup_ns, &t, &n);
                mountinfo_free(mi, n_mi);
        }
        if (r < 0)
                return log_error_errno(r, "Failed to find the cgroup hierarchies to mount on '%s': %m",
                                       op->target);

        fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
        if (fs < 0)
                r = -errno;
        if (r >= 0)
                r = RET_NERRNO(fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0));
        if (r >= 0)
                r = RET_NERRNO(fsconfig(fs, FSCONFIG_SET_STRING, "mode", "0755", 0));
        if (r >= 0)
                r = RET_NERRNO(fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
        if (r >= 0) {
                mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
                if (mnt < 0)
                        r = -errno;
        }
        /* Attached first: a mount cannot be moved onto a detached tree on this kernel. */
        if (r >= 0)
                r = RET_NERRNO(move_mount(mnt, "", target_fd, "",
                                          MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
        if (r >= 0) {
                dir = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dir < 0)
                        r = -errno;
        }
        if (r < 0)
                log_error_errno(r, "Failed to mount tmpfs on '%s': %m", op->target);
        for (size_t i = 0; i < n && r >= 0; i++)
                r = cgroup_tree_mount_one(op, dir, &t[i]);
        cgroup_tree_free(t, n);
        if (r < 0)
                return r;
        /* The tmpfs itself gets the mount's flags (read-only) once it is filled. */
        r = RET_NERRNO(mount_setattr(mnt, "", AT_EMPTY_PATH, &attr, sizeof attr));
        if (r < 0)
                return log_error_errno(r, "Failed to set the options of '%s': %m", op->target);
        r = apply_recursive_attrs(op, mnt);
        if (r < 0)
                return r;
        return apply_propagation(op, mnt);
}

static int apply_cgroup(int root_fd, const MountOp *op, int target_fd) {
        MountOp m = *op;

        if (op->source_fd < 0 && !cgroup_is_bind(op)) {
                m.fstype = (char *) "cgroup2";
                m.source = (char *) "cgroup2";
                m.data = NULL;
                return apply_fs(root_fd, &m, target_fd);
        }
        /* A v1 or hybrid host: the container's own cgroups, as runc shows them. */
        if (op->source_fd < 0 && !op->host_cgroup)
                return apply_cgroup_tree(op, target_fd);
        /* A user namespace (the runtime opened the host's tree: its root cannot mount v1
         * hierarchies): show the host's hierarchies read-only, as a recursive bind. */
        m.type = MOUNT_OP_BIND;
        m.source = (char *) "/sys/fs/cgroup";
        m.recursive = true;
        m.rec_set |= MOUNT_ATTR_RDONLY;
        m.rec_clear &= ~(uint64_t) MOUNT_ATTR_RDONLY;
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
                        if (op->source_fd >= 0 ? fstat(op->source_fd, &st) < 0 : stat(op->source, &st) < 0)
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
                        r = op->copy_up ? apply_tmpfs_copy_up(op, target) : apply_fs(root_fd, op, target);
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

int mount_make_readonly(int root_fd, const char *path) {
        struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
        _cleanup_close_ int fd = -EBADF;
        int r;

        assert(path);

        r = open_in_root(root_fd, path, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS, &fd);
        if (r < 0)
                return log_error_errno(r, "Failed to open '%s' in the rootfs: %m", path);
        r = RET_NERRNO(mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof attr));
        if (r < 0)
                return log_error_errno(r, "Failed to make '%s' read-only: %m", path);
        return 0;
}
