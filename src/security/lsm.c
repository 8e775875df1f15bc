/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "lsm.h"
#include "path-util.h"

#define SELINUX_MAGIC 0xf97cff8cU

static bool isempty_str(const char *s) {
        return !s || !*s;
}

bool lsm_apparmor_enabled(void) {
        char buf[4] = "";
        _cleanup_close_ int fd = -EBADF;

        /* What libapparmor's aa_is_enabled() looks at first. */
        fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
        return fd >= 0 && read(fd, buf, 1) == 1 && buf[0] == 'Y';
}

bool lsm_selinux_enabled(void) {
        struct statfs sfs;

        /* libselinux's is_selinux_enabled(): selinuxfs mounted. */
        return statfs("/sys/fs/selinux", &sfs) >= 0 && (uint32_t) sfs.f_type == SELINUX_MAGIC;
}

int lsm_check(const char *name, const char *apparmor_profile, const char *selinux_label, const char *mount_label) {
        if (!isempty_str(apparmor_profile) && !lsm_apparmor_enabled())
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP),
                                       "%s: process.apparmorProfile: AppArmor is not enabled on this host, so "
                                       "profile '%s' cannot be applied", name, apparmor_profile);
        if (!isempty_str(selinux_label) && !lsm_selinux_enabled())
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP),
                                       "%s: process.selinuxLabel: SELinux is disabled or not supported on this host, "
                                       "so label '%s' cannot be applied", name, selinux_label);
        if (!isempty_str(mount_label) && !lsm_selinux_enabled())
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP),
                                       "%s: linux.mountLabel: SELinux is disabled or not supported on this host, "
                                       "so mount label '%s' cannot be applied", name, mount_label);
        return 0;
}

static int write_attr(const char *dir, const char *file, const char *value) {
        _cleanup_free_ char *path = path_join(dir, file);
        _cleanup_close_ int fd = -EBADF;
        size_t len = strlen(value);
        ssize_t n;

        if (!path)
                return -ENOMEM;
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        /* One write(): the kernel takes the attribute from a single write. */
        n = write(fd, value, len);
        if (n < 0)
                return -errno;
        return (size_t) n == len ? 0 : -EIO;
}

int lsm_set_exec_labels(const char *attr_dir, const char *apparmor_profile, const char *selinux_label) {
        int r;

        if (!isempty_str(apparmor_profile)) {
                _cleanup_free_ char *v = NULL;

                /* libapparmor's aa_change_onexec(): "exec PROFILE", to the AppArmor dir when the
                 * kernel has per-LSM dirs (stacking), else to the shared attr. */
                if (asprintf(&v, "exec %s", apparmor_profile) < 0)
                        return log_oom();
                r = write_attr(attr_dir, "apparmor/exec", v);
                if (r == -ENOENT)
                        r = write_attr(attr_dir, "exec", v);
                if (r < 0)
                        return log_error_errno(r, "Failed to set AppArmor profile '%s' for exec: %m", apparmor_profile);
        }
        if (!isempty_str(selinux_label)) {
                r = write_attr(attr_dir, "exec", selinux_label);
                if (r < 0)
                        return log_error_errno(r, "Failed to set SELinux label '%s' for exec: %m", selinux_label);
        }
        return 0;
}
