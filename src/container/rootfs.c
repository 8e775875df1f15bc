/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "mountinfo.h"
#include "path-util.h"
#include "mount.h"
#include "rootfs.h"
#include "strv.h"

static unsigned long propagation_flags(SpecPropagation p) {
        switch (p) {
        case SPEC_PROPAGATION_PRIVATE:
                return MS_PRIVATE;
        case SPEC_PROPAGATION_RPRIVATE:
                return MS_PRIVATE | MS_REC;
        case SPEC_PROPAGATION_SLAVE:
                return MS_SLAVE;
        case SPEC_PROPAGATION_SHARED:
                return MS_SHARED;
        case SPEC_PROPAGATION_RSHARED:
                return MS_SHARED | MS_REC;
        case SPEC_PROPAGATION_UNBINDABLE:
                return MS_UNBINDABLE;
        case SPEC_PROPAGATION_RUNBINDABLE:
                return MS_UNBINDABLE | MS_REC;
        case SPEC_PROPAGATION_UNSET:
        case SPEC_PROPAGATION_RSLAVE:
        case _SPEC_PROPAGATION_MAX:
        case _SPEC_PROPAGATION_INVALID:
        default:
                return MS_SLAVE | MS_REC;
        }
}

/* pivot_root() refuses a new root whose parent mount is shared. With a shared root propagation,
 * make just the mount the rootfs sits on private (runc does the same). */
static int make_parent_mount_private(const char *rootfs) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *best = NULL, *line = NULL;
        size_t n = 0, best_len = 0;

        f = fopen("/proc/self/mountinfo", "re");
        if (!f)
                return -errno;
        while (getline(&line, &n, f) > 0) {
                char mp[4096];
                size_t l;

                if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
                        continue;
                l = strlen(mp);
                if ((streq(mp, "/") || (strncmp(rootfs, mp, l) == 0 && (rootfs[l] == '/' || rootfs[l] == 0))) &&
                    l >= best_len && !streq(mp, rootfs)) {
                        free(best);
                        best = strdup(mp);
                        if (!best)
                                return -ENOMEM;
                        best_len = l;
                }
        }
        if (!best)
                return 0;
        return RET_NERRNO(mount(NULL, best, NULL, MS_PRIVATE, NULL));
}

unsigned long rootfs_setup_propagation(const Spec *spec) {
        unsigned long prop = propagation_flags(spec->linux.rootfs_propagation);

        /* An unbindable tree cannot be bind mounted onto itself: set up as a slave, and make '/'
         * unbindable once we are in (rootfs_enter()). */
        if (prop & MS_UNBINDABLE)
                prop = MS_SLAVE | MS_REC;
        return prop;
}

int rootfs_prepare(const Spec *spec, const char *rootfs, int *ret_root_fd) {
        unsigned long prop = rootfs_setup_propagation(spec);
        int fd, r;

        /* Nothing we mount from here on may propagate back to the host. */
        r = RET_NERRNO(mount(NULL, "/", NULL, prop | MS_REC, NULL));
        if (r < 0)
                return log_error_errno(r, "Failed to set the propagation of '/': %m");
        if (prop & MS_SHARED) {
                r = make_parent_mount_private(rootfs);
                if (r < 0)
                        return log_error_errno(r, "Failed to make the parent mount of '%s' private: %m", rootfs);
        }
        r = RET_NERRNO(mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL));
        if (r < 0)
                return log_error_errno(r, "Failed to bind mount the rootfs '%s': %m", rootfs);
        fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Failed to open the rootfs '%s': %m", rootfs);
        *ret_root_fd = fd;
        return 0;
}

int rootfs_open_shared(const char *rootfs, int *ret_root_fd) {
        int fd;

        assert(rootfs);
        /* No mount namespace (spec-validate.c, check_no_mount_ns()): we are in the host's mount
         * table, so nothing is mounted, not even the rootfs onto itself as runc does. */
        fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Failed to open the rootfs '%s': %m", rootfs);
        *ret_root_fd = fd;
        return 0;
}

typedef struct DevNode {
        const char *path;
        mode_t type;
        unsigned major, minor;
        mode_t mode;
        uid_t uid;
        gid_t gid;
} DevNode;

static const DevNode default_devices[] = {
        { "/dev/null", S_IFCHR, 1, 3, 0666, 0, 0 },    { "/dev/zero", S_IFCHR, 1, 5, 0666, 0, 0 },
        { "/dev/full", S_IFCHR, 1, 7, 0666, 0, 0 },    { "/dev/random", S_IFCHR, 1, 8, 0666, 0, 0 },
        { "/dev/urandom", S_IFCHR, 1, 9, 0666, 0, 0 }, { "/dev/tty", S_IFCHR, 5, 0, 0666, 0, 0 },
};

static bool stat_is_node(const struct stat *st, const DevNode *d) {
        return (st->st_mode & S_IFMT) == d->type &&
               (d->type == S_IFIFO || st->st_rdev == makedev(d->major, d->minor));
}

/* Returns 1 when keep_existing found the node already there (left as it is). */
static int mknod_exact(int dir_fd, const char *name, const DevNode *d, bool keep_existing) {
        mode_t saved = umask(0);
        int r;

        /* umask 0: the node gets exactly the mode asked for, with no chmod by name afterwards. */
        r = RET_NERRNO(mknodat(dir_fd, name, d->type | (d->mode & 07777), makedev(d->major, d->minor)));
        if (r == -EEXIST && keep_existing) {
                struct stat st;

                /* Without a mount namespace this directory may be the host's own /dev (root.path
                 * "/"): never unlink or change what is there. The same node is fine as it is
                 * (runc keeps any existing entry); anything else is an error. */
                if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        r = -errno;
                else if (stat_is_node(&st, d))
                        r = 1;
        } else if (r == -EEXIST) {
                /* Replace whatever the rootfs had there with the node the config asks for. */
                r = RET_NERRNO(unlinkat(dir_fd, name, 0));
                if (r >= 0)
                        r = RET_NERRNO(mknodat(dir_fd, name, d->type | (d->mode & 07777), makedev(d->major, d->minor)));
        }
        umask(saved);
        return r;
}

/* Make the node and set its owner through an fd of what we made: a /dev shared with another
 * container (or a host directory bound there) may get a symlink swapped in at the name between
 * mknodat() and a chown or chmod by name, which would follow it to wherever it points. */
static int make_node(int dir_fd, const char *name, const DevNode *d, bool keep_existing) {
        _cleanup_close_ int node = -EBADF;
        struct stat st;
        char p[32];
        int r;

        r = mknod_exact(dir_fd, name, d, keep_existing);
        if (r == -EEXIST && keep_existing)
                return log_error_errno(r,
                                       "Failed to create device node '%s': the root filesystem has "
                                       "something else there, which is not replaced in a /dev that is "
                                       "not a fresh one of the container's own",
                                       d->path);
        if (r < 0)
                return log_error_errno(r, "Failed to create device node '%s': %m", d->path);
        if (r > 0)
                return 0;
        node = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (node < 0)
                return log_error_errno(errno, "Failed to open device node '%s': %m", d->path);
        if (fstat(node, &st) < 0)
                return log_error_errno(errno, "Failed to stat device node '%s': %m", d->path);
        if (!stat_is_node(&st, d))
                return log_error_errno(SYNTHETIC_ERRNO(EBUSY), "Failed to create device node '%s': it was "
                                       "replaced while being created", d->path);
        if (fchownat(node, "", d->uid, d->gid, AT_EMPTY_PATH) < 0)
                return log_error_errno(errno, "Failed to chown device node '%s': %m", d->path);
        if (fstat(node, &st) < 0)
                return log_error_errno(errno, "Failed to stat device node '%s': %m", d->path);
        /* chown drops the setuid/setgid bits; only then is a chmod needed, through our own fd. */
        if ((st.st_mode & 07777) != (d->mode & 07777) && chmod(fd_path(node, p), d->mode & 07777) < 0)
                return log_error_errno(errno, "Failed to chmod device node '%s': %m", d->path);
        return 0;
}

/* Clone the host node a user namespace binds in place of d (it cannot mknod), checked through the
 * clone: only a host node of the same type and number qualifies. */
static int open_host_node(const DevNode *d, unsigned long propagation, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        r = mount_clone_host_tree(d->path, /* recursive= */ false, propagation, &fd);
        if (r >= 0 && fstat(fd, &st) < 0)
                r = -errno;
        if (r == -ENOENT ||
            (r >= 0 && ((st.st_mode & S_IFMT) != d->type || st.st_rdev != makedev(d->major, d->minor))))
                return log_error_errno(SYNTHETIC_ERRNO(ENODEV),
                                       "Failed to create device '%s': no matching host node to bind in "
                                       "a user namespace", d->path);
        if (r < 0)
                return log_error_errno(r, "Failed to open host device '%s': %m", d->path);
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int create_device(int root_fd, const MountPlan *plan, const DevNode *d, bool in_userns,
                         bool keep_existing) {
        _cleanup_free_ char *dir = NULL, *name = NULL;
        _cleanup_close_ int dir_fd = -EBADF, node = -EBADF;
        int r;

        r = path_extract_directory(d->path, &dir);
        if (r < 0)
                return r;
        r = path_extract_filename(d->path, &name);
        if (r < 0)
                return r;
        r = mkdir_p_in_root(root_fd, dir, false, &dir_fd);
        if (r < 0)
                return log_error_errno(r, "Failed to create '%s' in the rootfs: %m", dir);

        if (in_userns) {
                _cleanup_close_ int opened = -EBADF;
                int tree = mount_plan_host_node(plan, d->path);

                /* A user namespace cannot mknod: bind the host's node instead. Our own clone first
                 * (it keeps the kernel's locks on the host mount's flags, see apply_bind()); the
                 * runtime's (rootfs_open_host_devices()) only when we cannot reach the node. Our
                 * mount table is already a slave (or private) copy: keep the clone's propagation. */
                if (tree < 0) {
                        r = open_host_node(d, /* propagation= */ 0, &opened);
                        if (r < 0)
                                return r;
                        tree = opened;
                } else {
                        struct stat st;

                        /* Quietly: the runtime's clone (checked already) is what is left. */
                        if (mount_clone_host_tree(d->path, /* recursive= */ false, 0, &opened) >= 0 &&
                            fstat(opened, &st) >= 0 && (st.st_mode & S_IFMT) == d->type &&
                            st.st_rdev == makedev(d->major, d->minor))
                                tree = opened;
                }
                r = mkdir_p_in_root(root_fd, d->path, true, &node);
                if (r < 0)
                        return log_error_errno(r, "Failed to create '%s': %m", d->path);
                r = RET_NERRNO(move_mount(tree, "", node, "",
                                          MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
                if (r < 0)
                        return log_error_errno(r, "Failed to bind '%s' into the container: %m", d->path);
                return 0;
        }

        return make_node(dir_fd, name, d, keep_existing);
}

static int create_dev_symlinks(int root_fd, bool keep_existing) {
        static const char *const links[][2] = {
                { "/proc/self/fd", "fd" },       { "/proc/self/fd/0", "stdin" },
                { "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
                { "pts/ptmx", "ptmx" },
        };
        _cleanup_close_ int dev = -EBADF;
        int r;

        r = open_in_root(root_fd, "/dev", O_PATH | O_DIRECTORY, 0, &dev);
        if (r < 0)
                return log_error_errno(r, "Failed to open /dev in the rootfs: %m");
        for (size_t i = 0; i < ELEMENTSOF(links); i++) {
                if (streq(links[i][1], "ptmx") && !keep_existing)
                        (void) unlinkat(dev, "ptmx", 0);
                if (symlinkat(links[i][0], dev, links[i][1]) < 0 && errno != EEXIST)
                        return log_error_errno(errno, "Failed to create symlink /dev/%s: %m", links[i][1]);
        }
        return 0;
}

/* The nodes the container gets: the defaults (unless /dev is a bind) and linux.devices, less
 * /dev/ptmx, which stays the symlink to pts/ptmx (engines list the node for a terminal; runc
 * replaces it the same way). */
static int devices_build(const Spec *spec, const MountPlan *plan, DevNode **ret, size_t *ret_n) {
        _cleanup_free_ DevNode *d = NULL;
        size_t n = 0;

        d = calloc(ELEMENTSOF(default_devices) + spec->linux.n_devices, sizeof(DevNode));
        if (!d)
                return log_oom();
        if (!plan->dev_is_bind)
                for (size_t i = 0; i < ELEMENTSOF(default_devices); i++)
                        d[n++] = default_devices[i];
        for (size_t i = 0; i < spec->linux.n_devices; i++) {
                const SpecDevice *sd = &spec->linux.devices[i];

                if (!plan->dev_is_bind && streq(sd->path, "/dev/ptmx")) {
                        log_debug("Keeping /dev/ptmx a symlink to pts/ptmx instead of the device in "
                                  "linux.devices");
                        continue;
                }
                d[n++] = (DevNode) {
                        .path = sd->path,
                        .type = sd->type == 'b' ? S_IFBLK : sd->type == 'p' ? S_IFIFO : S_IFCHR,
                        .major = sd->type == 'p' ? 0 : (unsigned) sd->major,
                        .minor = sd->type == 'p' ? 0 : (unsigned) sd->minor,
                        .mode = sd->has_file_mode ? sd->file_mode : 0666,
                        .uid = sd->has_uid ? sd->uid : 0,
                        .gid = sd->has_gid ? sd->gid : 0,
                };
        }
        *ret = TAKE_PTR(d);
        *ret_n = n;
        return 0;
}

int rootfs_open_host_devices(const Spec *spec, MountPlan *plan, unsigned long propagation) {
        _cleanup_free_ DevNode *d = NULL;
        size_t n = 0;
        int r;

        assert(spec);
        assert(plan);

        r = devices_build(spec, plan, &d, &n);
        if (r < 0)
                return r;
        plan->host_nodes = calloc(n ?: 1, sizeof(MountHostNode));
        if (!plan->host_nodes)
                return log_oom();
        for (size_t i = 0; i < n; i++) {
                MountHostNode *h;

                /* A user namespace may make FIFOs itself. */
                if (d[i].type == S_IFIFO)
                        continue;
                h = &plan->host_nodes[plan->n_host_nodes];
                h->fd = -EBADF;
                h->path = strdup(d[i].path);
                if (!h->path)
                        return log_oom();
                plan->n_host_nodes++;
                r = open_host_node(&d[i], propagation, &h->fd);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Whether the rootfs's /dev is a mount of its own that the config did not ask for: one that came
 * with the rootfs from the host (root.path "/" brings the host's devtmpfs). Its nodes are the
 * host's: replacing them would change the host's /dev. */
static bool dev_is_host_mount(int root_fd) {
        _cleanup_close_ int dev_fd = -EBADF;
        struct statx root = {}, dev = {};

        /* /dev as the nodes will be made in it: resolved inside the root, an image's /dev symlink
         * followed (to a directory of a host bind mount, say a volume, whose files named null or
         * ptmx would otherwise be replaced). */
        if (open_in_root(root_fd, "/dev", O_PATH | O_DIRECTORY, 0, &dev_fd) < 0)
                return false; /* no /dev at all: made fresh below */
        if (statx(root_fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &root) < 0 ||
            statx(dev_fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &dev) < 0)
                return true; /* cannot tell: the careful way */
        if (!(root.stx_mask & dev.stx_mask & STATX_MNT_ID))
                return true; /* cannot tell: the careful way */
        return root.stx_mnt_id != dev.stx_mnt_id;
}

int rootfs_create_devices(int root_fd, const Spec *spec, const MountPlan *plan, bool in_userns) {
        _cleanup_free_ DevNode *d = NULL;
        /* Without a mount namespace /dev is not a fresh tmpfs of ours but a directory of the root
         * filesystem, the host's own /dev with root.path "/"; with one, but no /dev in the config's
         * mounts, the rootfs's /dev may still be a host mount (root.path "/", or a host bind on
         * rootfs/dev). Then only what is missing is made, as runc does, but /dev/ptmx too is kept
         * (runc replaces it with a link to pts/ptmx even there; the host's /dev/pts here has
         * ptmxmode=000, so that would lock the host's users out of ptys). */
        bool keep_existing = !spec->linux.namespaces[SPEC_NS_MOUNT].present ||
                             (!plan->has_dev && dev_is_host_mount(root_fd));
        size_t n = 0;
        int r;

        if (keep_existing && in_userns)
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "Failed to make the device nodes: the "
                                       "rootfs's /dev is a host mount, into which a user namespace cannot "
                                       "bind nodes; mount a tmpfs on /dev in config.json's mounts");

        r = devices_build(spec, plan, &d, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                /* The symlinks after the default nodes, before linux.devices (which may replace them). */
                if (!plan->dev_is_bind && i == ELEMENTSOF(default_devices)) {
                        r = create_dev_symlinks(root_fd, keep_existing);
                        if (r < 0)
                                return r;
                }
                r = create_device(root_fd, plan, &d[i], in_userns && d[i].type != S_IFIFO, keep_existing);
                if (r < 0)
                        return r;
        }
        if (!plan->dev_is_bind && n == ELEMENTSOF(default_devices)) {
                r = create_dev_symlinks(root_fd, keep_existing);
                if (r < 0)
                        return r;
        }
        /* A read-only /dev: now that its nodes, symlinks and the mounts below it are in place. */
        if (plan->dev_readonly)
                return mount_make_readonly(root_fd, "/dev");
        return 0;
}

#define MOUNTINFO_SIZE_MAX (64U * 1024U * 1024U)

/* From the start of an open /proc/self/mountinfo: a fresh snapshot each time, also once /proc
 * itself is detached. */
static int read_mountinfo(int fd, MountInfo **ret, size_t *ret_n) {
        _cleanup_free_ char *text = NULL;
        int r;

        if (lseek(fd, 0, SEEK_SET) < 0)
                return log_error_errno(errno, "Failed to rewind /proc/self/mountinfo: %m");
        r = read_full_fd(fd, MOUNTINFO_SIZE_MAX, &text, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to read /proc/self/mountinfo: %m");
        r = mountinfo_parse(text, ret, ret_n);
        if (r < 0)
                return log_error_errno(r, "Failed to parse /proc/self/mountinfo: %m");
        return 0;
}

/* The mounts of this namespace that are not the rootfs's (nor below nor under it). */
static int foreign_mounts(int root_fd, int mountinfo_fd, MountInfo **ret, size_t *ret_n, size_t **ret_idx) {
        struct statx stx = {};
        MountInfo *m = NULL;
        size_t n = 0;
        int r;

        if (statx(root_fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
                return log_error_errno(errno, "Failed to get the mount id of the rootfs: %m");
        if (!(stx.stx_mask & STATX_MNT_ID))
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "Failed to get the mount id of the rootfs");
        r = read_mountinfo(mountinfo_fd, &m, &n);
        if (r < 0)
                return r;
        r = mountinfo_foreign(m, n, (int) stx.stx_mnt_id, ret_idx);
        if (r < 0) {
                mountinfo_free(m, n);
                return log_oom();
        }
        *ret = m;
        *ret_n = n;
        return r;
}

static int cover_with_tmpfs(const char *path) {
        return RET_NERRNO(mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=0"));
}

static bool is_covered(const MountInfo *m, size_t n, const MountInfo *f) {
        for (size_t i = 0; i < n; i++)
                if (m[i].parent_id == f->id && streq(m[i].mount_point, f->mount_point))
                        return true;
        return false;
}

/* After the detach: a full procfs or sysfs outside the rootfs that is still there must be covered.
 * Cover what is not (yet), then look again; what is left fails the container. */
static int check_no_host_pseudo_fs(int root_fd, int mountinfo_fd) {
        for (unsigned pass = 0; pass < 2; pass++) {
                MountInfo *m = NULL;
                _cleanup_free_ size_t *idx = NULL;
                size_t n = 0;
                int k, r = 0;
                bool again = false;

                k = foreign_mounts(root_fd, mountinfo_fd, &m, &n, &idx);
                if (k < 0)
                        return k;
                for (int i = 0; i < k && r >= 0; i++) {
                        const MountInfo *f = &m[idx[i]];

                        if (!mountinfo_is_proc_or_sys(f) || !streq(f->root, "/") || is_covered(m, n, f))
                                continue;
                        if (pass > 0)
                                r = log_error_errno(SYNTHETIC_ERRNO(EPERM), "Refusing to enter the rootfs without "
                                                    "pivot_root: the host's %s at '%s' can be neither detached "
                                                    "nor covered", f->fstype, f->mount_point);
                        else if (cover_with_tmpfs(f->mount_point) < 0)
                                r = log_error_errno(errno, "Failed to cover %s at '%s' with a tmpfs: %m",
                                                    f->fstype, f->mount_point);
                        else
                                again = true;
                }
                mountinfo_free(m, n);
                if (r < 0 || !again)
                        return r;
        }
        return 0;
}

/* --no-pivot: MS_MOVE + chroot leaves the old root and everything mounted on the host in this mount
 * namespace, merely out of the container's sight. That is not harmless: the kernel lets a user
 * namespace mount a new procfs or sysfs (unmasked: no maskedPaths, no read-only /proc/sys) when a
 * full mount of it is visible in its mount namespace (fs/namespace.c mount_too_revealing()), and it
 * counts every mount of the namespace, reachable by path or not. A container process that creates
 * user + mount + pid namespaces (unshare -mrpf) inherits the host's full /proc and may then mount a
 * fresh procfs. pivot_root detaches the old root; here we detach every mount that is not the rootfs
 * or below it, deepest first, after making each a slave so the unmount cannot propagate to the host
 * (with rshared rootfsPropagation our copies are peers of the host's mounts). The mounts the rootfs
 * sits on cannot go; they are covered by the rootfs once it is moved onto "/". A procfs or sysfs
 * that cannot be detached (locked in a user namespace) is covered with an empty tmpfs, which, copied
 * into a less privileged namespace, is a locked mount hiding its contents, so it no longer counts
 * as fully visible (runc's msMoveRoot does this part). Finally no uncovered full procfs or sysfs
 * outside the rootfs may be left, or the container is not started. */
static int detach_host_mounts(int root_fd) {
        _cleanup_close_ int mountinfo_fd = -EBADF;
        _cleanup_free_ size_t *idx = NULL;
        MountInfo *m = NULL;
        size_t n = 0;
        int k, r = 0;

        mountinfo_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (mountinfo_fd < 0)
                return log_error_errno(errno, "Failed to open /proc/self/mountinfo: %m");
        k = foreign_mounts(root_fd, mountinfo_fd, &m, &n, &idx);
        if (k < 0)
                return k;
        for (int i = 0; i < k && r >= 0; i++) {
                const MountInfo *f = &m[idx[i]];

                /* ENOENT, EINVAL: it went with a mount detached before it, or is hidden by one
                 * (then it goes with that one's parent). Checked below. */
                if (mount(NULL, f->mount_point, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
                        if (errno != ENOENT && errno != EINVAL)
                                r = log_error_errno(errno, "Failed to make '%s' a slave mount: %m", f->mount_point);
                        continue;
                }
                if (umount2(f->mount_point, MNT_DETACH | UMOUNT_NOFOLLOW) >= 0)
                        continue;
                if (errno != ENOENT && errno != EINVAL && errno != EPERM)
                        r = log_error_errno(errno, "Failed to detach '%s': %m", f->mount_point);
                else if (!mountinfo_is_proc_or_sys(f) || !streq(f->root, "/"))
                        log_debug_errno(errno, "Failed to detach '%s', ignoring: %m", f->mount_point);
                else if (cover_with_tmpfs(f->mount_point) < 0)
                        r = log_error_errno(errno, "Failed to cover %s at '%s' with a tmpfs: %m", f->fstype,
                                            f->mount_point);
        }
        mountinfo_free(m, n);
        if (r < 0)
                return r;
        return check_no_host_pseudo_fs(root_fd, mountinfo_fd);
}

int rootfs_enter(const Spec *spec, int root_fd, bool no_pivot) {
        unsigned long propagation = propagation_flags(spec->linux.rootfs_propagation);
        int r;

        if (fchdir(root_fd) < 0)
                return log_error_errno(errno, "Failed to enter the rootfs: %m");
        if (!spec->linux.namespaces[SPEC_NS_MOUNT].present) {
                /* The host's mount table: pivot_root() or a move would change the host's root, so
                 * only chroot(2), as runc and crun do. Not a boundary against a process that keeps
                 * CAP_SYS_CHROOT (a chroot inside it walks out of ours); berth(8) says so. */
                if (chroot(".") < 0)
                        return log_error_errno(errno, "Failed to chroot into the rootfs: %m");
        } else if (no_pivot) {
                r = detach_host_mounts(root_fd);
                if (r < 0)
                        return r;
                /* Nor may the move propagate: "/" is the one host mount left and it may be shared. */
                r = RET_NERRNO(mount(NULL, "/", NULL, MS_SLAVE, NULL));
                if (r < 0)
                        return log_error_errno(r, "Failed to make '/' a slave mount: %m");
                r = RET_NERRNO(mount(".", "/", NULL, MS_MOVE, NULL));
                if (r < 0)
                        return log_error_errno(r, "Failed to move the rootfs to '/': %m");
                if (chroot(".") < 0)
                        return log_error_errno(errno, "Failed to chroot into the rootfs: %m");
        } else {
                _cleanup_close_ int old_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

                if (old_root < 0)
                        return log_error_errno(errno, "Failed to open the old root: %m");
                /* pivot_root(".", ".") stacks the old root on top of the new one; detaching it
                 * leaves only the rootfs. Make the old root (and only it: we go there through its
                 * fd) a slave first, so the detach cannot propagate to the host. */
                r = RET_NERRNO((int) syscall(SYS_pivot_root, ".", "."));
                if (r < 0)
                        return log_error_errno(r, "Failed to pivot_root into the rootfs: %m");
                if (fchdir(old_root) < 0)
                        return log_error_errno(errno, "Failed to enter the old root: %m");
                r = RET_NERRNO(mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL));
                if (r < 0)
                        return log_error_errno(r, "Failed to make the old root a slave: %m");
                r = RET_NERRNO(umount2(".", MNT_DETACH));
                if (r < 0)
                        return log_error_errno(r, "Failed to detach the old root: %m");
        }
        if (chdir("/") < 0)
                return log_error_errno(errno, "Failed to change to '/': %m");
        /* pivot_root() refuses a shared new root, so a shared rootfsPropagation is applied once
         * we are in. */
        if (spec->linux.namespaces[SPEC_NS_MOUNT].present && !no_pivot && (propagation & MS_SHARED)) {
                r = RET_NERRNO(mount(NULL, "/", NULL, propagation, NULL));
                if (r < 0)
                        return log_error_errno(r, "Failed to make '/' shared: %m");
        }
        return 0;
}

static int write_sysctls(const Spec *spec) {
        for (size_t i = 0; i < spec->linux.n_sysctl; i++) {
                const SpecSysctl *s = &spec->linux.sysctl[i];
                _cleanup_free_ char *path = NULL;
                int r;

                if (asprintf(&path, "/proc/sys/%s", s->key) < 0)
                        return log_oom();
                for (char *p = path + strlen("/proc/sys/"); *p; p++)
                        if (*p == '.')
                                *p = '/';
                r = write_string_file_at(AT_FDCWD, path, s->value);
                if (r < 0)
                        return log_error_errno(r, "Failed to set sysctl '%s' to '%s': %m", s->key, s->value);
        }
        return 0;
}

/* Masks go on top of what the container can see; /proc and /sys below must be the real thing,
 * not something the image put there (CVE-2023-27561). */
static int check_pseudo_fs(const char *path) {
        struct statfs sfs;
        const char *top = startswith(path, "/proc/") ? "/proc" : startswith(path, "/sys/") ? "/sys" : NULL;

        if (!top)
                return 0;
        if (statfs(top, &sfs) < 0)
                return -errno;
        if (streq(top, "/proc") && sfs.f_type != PROC_SUPER_MAGIC)
                return -EXDEV;
        if (streq(top, "/sys") && sfs.f_type != SYSFS_MAGIC)
                return -EXDEV;
        return 0;
}

/* Masked and read-only paths apply to what the path names in the container, as runc does: a
 * symlink is followed, resolved inside the root (RESOLVE_IN_ROOT: neither ".." nor an absolute
 * target leads out of it), and the rule goes on its target. Applied to the link itself, a read-only
 * bind would leave the target writable, and skipping it would leave the target unmasked. */
static int mask_path(int root_fd, const char *path, int null_fd) {
        _cleanup_close_ int target = -EBADF, mnt = -EBADF;
        struct stat st;
        int r;

        r = open_in_root(root_fd, path, O_PATH, 0, &target);
        if (r == -ENOENT)
                return 0; /* paths this kernel does not have are skipped, as runc does */
        if (r < 0)
                return log_error_errno(r, "Failed to open masked path '%s': %m", path);
        if (fstat(target, &st) < 0)
                return log_error_errno(errno, "Failed to stat masked path '%s': %m", path);
        if (check_pseudo_fs(path) < 0)
                return log_error_errno(SYNTHETIC_ERRNO(EXDEV), "Refusing to mask '%s': its filesystem is not "
                                       "the real procfs/sysfs", path);
        if (S_ISDIR(st.st_mode)) {
                _cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);

                if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "size", "0", 0) < 0 ||
                    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                        return log_error_errno(errno, "Failed to create a tmpfs to mask '%s': %m", path);
                mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                                           MOUNT_ATTR_NOEXEC);
        } else
                mnt = open_tree(null_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        if (mnt < 0)
                return log_error_errno(errno, "Failed to prepare the mask for '%s': %m", path);
        r = RET_NERRNO(move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
        if (r < 0)
                return log_error_errno(r, "Failed to mask '%s': %m", path);
        return 0;
}

static int readonly_path(int root_fd, const char *path) {
        _cleanup_close_ int tree = -EBADF;
        struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
        int r;

        r = open_in_root(root_fd, path, O_PATH, 0, &tree);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return log_error_errno(r, "Failed to open read-only path '%s': %m", path);
        if (check_pseudo_fs(path) < 0)
                return log_error_errno(SYNTHETIC_ERRNO(EXDEV), "Refusing to make '%s' read-only: its filesystem "
                                       "is not the real procfs/sysfs", path);
        {
                _cleanup_close_ int clone = open_tree(tree, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
                                                                        AT_RECURSIVE);
                if (clone < 0)
                        return log_error_errno(errno, "Failed to clone '%s': %m", path);
                r = RET_NERRNO(mount_setattr(clone, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr));
                if (r >= 0)
                        r = RET_NERRNO(move_mount(clone, "", tree, "", MOVE_MOUNT_F_EMPTY_PATH |
                                                                           MOVE_MOUNT_T_EMPTY_PATH));
                if (r < 0)
                        return log_error_errno(r, "Failed to make '%s' read-only: %m", path);
        }
        return 0;
}

int rootfs_finish(const Spec *spec) {
        unsigned long propagation = propagation_flags(spec->linux.rootfs_propagation);
        _cleanup_close_ int null_fd = -EBADF, root_fd = -EBADF;
        struct stat st;
        int r;

        r = write_sysctls(spec);
        if (r < 0)
                return r;

        root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return log_error_errno(errno, "Failed to open the container's root directory: %m");

        if (spec->linux.masked_paths) {
                /* Mask only with the real null device (CVE-2025-31133): the image could have put
                 * anything at /dev/null. */
                null_fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (null_fd < 0 || fstat(null_fd, &st) < 0)
                        return log_error_errno(errno, "Failed to open /dev/null in the container: %m");
                if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                        return log_error_errno(SYNTHETIC_ERRNO(EPERM), "Refusing to mask paths: /dev/null in the "
                                               "container is not the null device (1:3)");
        }
        STRV_FOREACH(p, spec->linux.masked_paths) {
                r = mask_path(root_fd, *p, null_fd);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(p, spec->linux.readonly_paths) {
                r = readonly_path(root_fd, *p);
                if (r < 0)
                        return r;
        }
        if (spec->root_readonly) {
                struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

                r = RET_NERRNO(mount_setattr(AT_FDCWD, "/", 0, &attr, sizeof attr));
                if (r < 0)
                        return log_error_errno(r, "Failed to make the rootfs read-only: %m");
        }
        /* An unbindable root is set up as a slave (rootfs_prepare()) and made unbindable last: the
         * masks and read-only paths above clone mounts, which an unbindable mount refuses. */
        if (propagation & MS_UNBINDABLE) {
                r = RET_NERRNO(mount(NULL, "/", NULL, propagation, NULL));
                if (r < 0)
                        return log_error_errno(r, "Failed to make '/' unbindable: %m");
        }
        return 0;
}
