/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps.h"
#include "log.h"
#include "strv.h"

static inline void cap_freep(cap_t *c) {
        if (*c)
                (void) cap_free(*c);
}

static bool caps_list_has(char **l, cap_value_t v) {
        STRV_FOREACH(n, l) {
                cap_value_t c;

                if (cap_from_name(*n, &c) >= 0 && c == v)
                        return true;
        }
        return false;
}

int caps_drop_bounding(const SpecCapabilities *c) {
        cap_value_t last = (cap_value_t) cap_max_bits();

        if (!c->present)
                return 0;
        for (cap_value_t v = 0; v < last; v++) {
                if (caps_list_has(c->bounding, v))
                        continue;
                if (prctl(PR_CAPBSET_DROP, v, 0, 0, 0) < 0 && errno != EINVAL)
                        return log_error_errno(errno, "Failed to drop capability %s from the bounding set: %m",
                                               cap_to_name(v));
        }
        return 0;
}

static int set_flag_from_list(cap_t caps, cap_flag_t flag, char **l, const char *what) {
        cap_value_t last = (cap_value_t) cap_max_bits();

        STRV_FOREACH(n, l) {
                cap_value_t v;

                /* Unknown names are not fatal (runtime-spec 1.2, runc): config.json's were
                 * warned about and dropped by validation, this catches the rest (exec --cap). */
                if (cap_from_name(*n, &v) < 0) {
                        log_warning("Unknown capability '%s' in %s, ignoring", *n, what);
                        continue;
                }
                if (v >= last) {
                        log_warning("Capability '%s' in %s is not known to this kernel, ignoring", *n, what);
                        continue;
                }
                if (cap_set_flag(caps, flag, 1, &v, CAP_SET) < 0)
                        return log_error_errno(errno, "Failed to set capability '%s': %m", *n);
        }
        return 0;
}

/* CAP_SYS_ADMIN in the effective (and permitted) set, for loading a seccomp filter without
 * no_new_privs right before execve(). It does not outlive execve(): the new permitted set is
 * (inheritable & file inheritable) | (file permitted & bounding) | ambient, in which the old permitted
 * set has no part; so unless the config grants CAP_SYS_ADMIN through one of those (as it would
 * without seccomp too), the program runs without it. runc and crun instead load the filter before
 * dropping capabilities, which makes the profile allow the runtime's own remaining syscalls. */
static int keep_sys_admin(cap_t caps) {
        cap_value_t v = CAP_SYS_ADMIN;

        if (cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET) < 0 ||
            cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET) < 0)
                return log_error_errno(errno, "Failed to set capability CAP_SYS_ADMIN: %m");
        return 0;
}

int caps_apply(const SpecCapabilities *c, bool for_seccomp) {
        _cleanup_(cap_freep) cap_t caps = NULL;
        int r;

        if (!c->present) {
                if (!for_seccomp)
                        return 0;
                /* A user switch cleared the effective set: raise it again from the permitted one. */
                caps = cap_get_proc();
                if (!caps)
                        return log_error_errno(errno, "Failed to get the process capabilities: %m");
                r = keep_sys_admin(caps);
                if (r < 0)
                        return r;
                if (cap_set_proc(caps) < 0)
                        return log_error_errno(errno, "Failed to keep CAP_SYS_ADMIN to load the seccomp filter "
                                               "(process.noNewPrivileges is false): %m");
                return 0;
        }
        caps = cap_init();
        if (!caps)
                return log_oom();
        r = for_seccomp ? keep_sys_admin(caps) : 0;
        if (r >= 0)
                r = set_flag_from_list(caps, CAP_EFFECTIVE, c->effective, "process.capabilities.effective");
        if (r >= 0)
                r = set_flag_from_list(caps, CAP_PERMITTED, c->permitted, "process.capabilities.permitted");
        if (r >= 0)
                r = set_flag_from_list(caps, CAP_INHERITABLE, c->inheritable, "process.capabilities.inheritable");
        if (r < 0)
                return r;
        if (cap_set_proc(caps) < 0)
                return log_error_errno(errno, "Failed to set the process capabilities: %m");

        (void) prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        STRV_FOREACH(n, c->ambient) {
                cap_value_t v;

                /* The kernel raises an ambient cap only if it is permitted and inheritable; like
                 * runc, a config asking for more is not fatal. */
                if (cap_from_name(*n, &v) < 0 || prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0) < 0)
                        log_debug_errno(errno, "Failed to raise ambient capability %s, ignoring: %m", *n);
        }
        return 0;
}
