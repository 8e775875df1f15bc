/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Every semantic check on a parsed Spec, before any side effect. spec.c already checked JSON types,
 * enum names and size limits. Each failure logs one line naming the file and the JSON path. */

#include <assert.h>
#include <inttypes.h>
#include <limits.h>
#include <sys/capability.h>
#include <sys/stat.h>

#include "log.h"
#include "path-util.h"
#include "spec-internal.h"
#include "strv.h"

/* The kernel's __NEW_UTS_LEN: longer names fail sethostname()/setdomainname() with EINVAL. */
#define UTS_NAME_MAX 64U

static int check_absolute(const char *name, const JPath *p, const char *path) {
        char q[SPEC_QUOTE_MAX];

        if (!path)
                return spec_log_error(name, p, EINVAL, "missing required field, expected an absolute path");
        if (!path_is_absolute(path))
                return spec_log_error(name, p, EINVAL, "expected an absolute path, got '%s'",
                                      spec_quote(path, q));
        return 0;
}

/* Absolute, no ".." component; normalized in place. */
static int check_normalize_absolute(const char *name, const JPath *p, char *path) {
        char q[SPEC_QUOTE_MAX];
        int r;

        r = check_absolute(name, p, path);
        if (r < 0)
                return r;
        spec_quote(path, q); /* before path_normalize_strict() rewrites it */
        /* ".." could walk out of the directory the path is resolved in; refuse it outright. */
        if (path_normalize_strict(path) < 0)
                return spec_log_error(name, p, EINVAL, "path '%s' must not contain '..' components", q);
        return 0;
}

static int check_env(const char *name, const JPath *p, char **env) {
        size_t i = 0;

        STRV_FOREACH(e, env) {
                const char *eq = strchr(*e, '=');

                if (!eq || eq == *e) {
                        char q[SPEC_QUOTE_MAX];
                        return spec_log_error(name, JPATH_INDEX(p, i), EINVAL,
                                              "expected KEY=value, got '%s'", spec_quote(*e, q));
                }
                i++;
        }
        return 0;
}

/* runtime-spec 1.2: a runtime SHOULD NOT fail on a capability it does not know (a newer kernel's,
 * or a typo): warn naming it and leave it out, as runc does. Only "CAP_*" names count as known
 * (cap_from_name() also takes lowercase names and numbers; runc does not). */
static void check_capability_set(const char *name, const JPath *p, char **caps) {
        char **w = caps;
        size_t i = 0;

        STRV_FOREACH(c, caps) {
                cap_value_t v;
                bool ok;

                ok = startswith(*c, "CAP_") && cap_from_name(*c, &v) == 0;
                for (const char *x = *c; ok && *x; x++)
                        ok = (*x >= 'A' && *x <= 'Z') || (*x >= '0' && *x <= '9') || *x == '_';
                if (ok)
                        *w++ = *c;
                else {
                        char q[SPEC_QUOTE_MAX];

                        spec_log_warning(name, JPATH_INDEX(p, i), "unknown capability '%s', ignoring",
                                         spec_quote(*c, q));
                        free(*c);
                }
                i++;
        }
        if (w)
                *w = NULL;
}

static void check_capabilities(const char *name, const JPath *p, SpecCapabilities *c) {
        check_capability_set(name, JPATH_KEY(p, "bounding"), c->bounding);
        check_capability_set(name, JPATH_KEY(p, "effective"), c->effective);
        check_capability_set(name, JPATH_KEY(p, "inheritable"), c->inheritable);
        check_capability_set(name, JPATH_KEY(p, "permitted"), c->permitted);
        check_capability_set(name, JPATH_KEY(p, "ambient"), c->ambient);
}

static int check_rlimits(const char *name, const JPath *p, const SpecProcess *proc) {
        uint64_t seen = 0;

        for (size_t i = 0; i < proc->n_rlimits; i++) {
                const SpecRlimit *rl = &proc->rlimits[i];
                const JPath *ep = JPATH_INDEX(p, i);

                assert(rl->resource >= 0 && rl->resource < 64);
                if (seen & (UINT64_C(1) << rl->resource))
                        return spec_log_error(name, JPATH_KEY(ep, "type"), EINVAL,
                                              "duplicate rlimit type '%s'",
                                              spec_rlimit_to_string(rl->resource));
                seen |= UINT64_C(1) << rl->resource;
                if (rl->soft > rl->hard)
                        return spec_log_error(name, ep, EINVAL,
                                              "soft limit %" PRIu64 " is above the hard limit %" PRIu64,
                                              rl->soft, rl->hard);
        }
        return 0;
}

int spec_validate_process(const char *name, SpecProcess *p, const JPath *path) {
        int r;

        assert(name);
        assert(p);

        if (!p->args)
                return spec_log_error(name, JPATH_KEY(path, "args"), EINVAL,
                                      "missing required field, expected a non-empty array of strings");
        if (!p->args[0])
                return spec_log_error(name, JPATH_KEY(path, "args"), EINVAL,
                                      "expected a non-empty array of strings, got an empty array");
        if (isempty(p->args[0]))
                return spec_log_error(name, JPATH_INDEX(JPATH_KEY(path, "args"), 0), EINVAL,
                                      "expected a non-empty string (the program to run)");
        r = check_env(name, JPATH_KEY(path, "env"), p->env);
        if (r < 0)
                return r;
        r = check_absolute(name, JPATH_KEY(path, "cwd"), p->cwd);
        if (r < 0)
                return r;
        r = check_rlimits(name, JPATH_KEY(path, "rlimits"), p);
        if (r < 0)
                return r;
        if (p->user.has_umask && p->user.umask > 0777)
                return spec_log_error(name, JPATH_KEY(JPATH_KEY(path, "user"), "umask"), EINVAL,
                                      "expected at most 0777 (511), got %" PRIu32, p->user.umask);
        if (p->has_oom_score_adj && (p->oom_score_adj < -1000 || p->oom_score_adj > 1000))
                return spec_log_error(name, JPATH_KEY(path, "oomScoreAdj"), EINVAL,
                                      "expected a value between -1000 and 1000, got %i", p->oom_score_adj);
        check_capabilities(name, JPATH_KEY(path, "capabilities"), &p->capabilities);
        return 0;
}

/* Options berth does not know are filesystem data: the kernel judges them for a new filesystem.
 * A bind mount takes no data, so there an unknown option is a mistake (a typo of "rro", say),
 * not something to drop silently as runc 1.1.5 does. */
static int check_mount_options(const char *name, const JPath *p, const SpecMount *m) {
        SpecMountOptions o = {};
        size_t i = 0, copy_up_idx = 0, unknown_idx = SIZE_MAX;
        bool bind;
        char q[SPEC_QUOTE_MAX], qd[SPEC_QUOTE_MAX];

        /* One pass: the first unknown option is only an error once we know it is a bind mount. */
        STRV_FOREACH(opt, m->options) {
                bool copy_up = o.copy_up;

                if (spec_mount_option_parse(*opt, &o) == 0 && unknown_idx == SIZE_MAX)
                        unknown_idx = i;
                if (o.copy_up && !copy_up)
                        copy_up_idx = i;
                i++;
        }
        bind = spec_mount_is_bind(m, &o);
        if (bind && unknown_idx != SIZE_MAX)
                return spec_log_error(name, JPATH_INDEX(JPATH_KEY(p, "options"), unknown_idx), EINVAL,
                                      "unknown option '%s' for the bind mount on '%s'",
                                      spec_quote(m->options[unknown_idx], q), spec_quote(m->destination, qd));
        if (o.copy_up && (bind || !streq_ptr(m->type, "tmpfs")))
                return spec_log_error(name, JPATH_INDEX(JPATH_KEY(p, "options"), copy_up_idx), EINVAL,
                                      "'tmpcopyup' needs a tmpfs mount, '%s' is a %s mount",
                                      spec_quote(m->destination, qd),
                                      bind ? "bind" : spec_quote(strempty(m->type), q));
        return 0;
}

static int check_mounts(const char *name, Spec *s) {
        for (size_t i = 0; i < s->n_mounts; i++) {
                const JPath *ep = JPATH_INDEX(JPATH_KEY(NULL, "mounts"), i);
                int r;

                r = check_normalize_absolute(name, JPATH_KEY(ep, "destination"), s->mounts[i].destination);
                if (r < 0)
                        return r;
                r = check_mount_options(name, ep, &s->mounts[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_id_mappings(const char *name, const JPath *p, const SpecIdMap *m, size_t n) {
        for (size_t i = 0; i < n; i++) {
                const JPath *ep = JPATH_INDEX(p, i);

                if (m[i].size == 0)
                        return spec_log_error(name, JPATH_KEY(ep, "size"), EINVAL,
                                              "expected a size > 0, got 0");
                if ((uint64_t) m[i].container_id + m[i].size - 1 > UINT32_MAX ||
                    (uint64_t) m[i].host_id + m[i].size - 1 > UINT32_MAX)
                        return spec_log_error(name, JPATH_KEY(ep, "size"), EINVAL,
                                              "the range goes past the largest 32-bit id");
        }
        return 0;
}

/* Engines send fileMode with the file type bits (podman: S_IFCHR|0666 = 8630), as Go's
 * os.FileMode of the host node. Only the permission bits are used (as runc does); type bits, when
 * present, must name the type the device has. */
static int check_device_file_mode(const char *name, const JPath *p, SpecDevice *d) {
        mode_t want = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
        mode_t type = d->file_mode & S_IFMT;

        if (!d->has_file_mode)
                return 0;
        if (d->file_mode & ~(uint32_t) (S_IFMT | 07777))
                return spec_log_error(name, p, EINVAL,
                                      "expected permission bits, optionally with the file type bits, "
                                      "got 0%" PRIo32,
                                      d->file_mode);
        if (type != 0 && type != want)
                return spec_log_error(name, p, EINVAL,
                                      "the file type bits 0%o do not match the device type '%c' (0%o)",
                                      (unsigned) type, d->type, (unsigned) want);
        d->file_mode &= 07777;
        return 0;
}

static int check_devices(const char *name, const JPath *p, SpecLinux *l) {
        for (size_t i = 0; i < l->n_devices; i++) {
                const JPath *ep = JPATH_INDEX(p, i);
                SpecDevice *d = &l->devices[i];
                char q[SPEC_QUOTE_MAX];
                int r;

                r = check_normalize_absolute(name, JPATH_KEY(ep, "path"), d->path);
                if (r < 0)
                        return r;
                /* The runtime spec lets a device live anywhere in the container; it is created
                 * inside the rootfs (resolved there, never following a symlink out). "/" and
                 * "/dev" are directories the container needs. */
                if (streq(d->path, "/") || streq(d->path, "/dev"))
                        return spec_log_error(name, JPATH_KEY(ep, "path"), EINVAL,
                                              "expected the path of a device file, got the directory '%s'",
                                              spec_quote(d->path, q));
                if (d->type != 'p') {
                        if (d->major < 0)
                                return spec_log_error(name, JPATH_KEY(ep, "major"), EINVAL,
                                                      "missing required field for a device of type '%c', "
                                                      "expected a non-negative integer",
                                                      d->type);
                        if (d->minor < 0)
                                return spec_log_error(name, JPATH_KEY(ep, "minor"), EINVAL,
                                                      "missing required field for a device of type '%c', "
                                                      "expected a non-negative integer",
                                                      d->type);
                }
                r = check_device_file_mode(name, JPATH_KEY(ep, "fileMode"), d);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_path_list(const char *name, const JPath *p, char **l) {
        size_t i = 0;

        STRV_FOREACH(s, l) {
                int r;

                r = check_absolute(name, JPATH_INDEX(p, i), *s);
                if (r < 0)
                        return r;
                i++;
        }
        return 0;
}

static int check_hook_list(const char *name, const char *key, const SpecHookList *l) {
        for (size_t i = 0; i < l->n_hooks; i++) {
                const JPath *ep = JPATH_INDEX(JPATH_KEY(JPATH_KEY(NULL, "hooks"), key), i);
                const SpecHook *h = &l->hooks[i];
                int r;

                r = check_absolute(name, JPATH_KEY(ep, "path"), h->path);
                if (r < 0)
                        return r;
                r = check_env(name, JPATH_KEY(ep, "env"), h->env);
                if (r < 0)
                        return r;
                if (h->has_timeout && h->timeout <= 0)
                        return spec_log_error(name, JPATH_KEY(ep, "timeout"), EINVAL,
                                              "expected a positive number of seconds, got %i", h->timeout);
        }
        return 0;
}

static int check_hooks(const char *name, const Spec *s) {
        int r;

        r = check_hook_list(name, "prestart", &s->prestart);
        if (r < 0)
                return r;
        r = check_hook_list(name, "createRuntime", &s->create_runtime);
        if (r < 0)
                return r;
        r = check_hook_list(name, "createContainer", &s->create_container);
        if (r < 0)
                return r;
        r = check_hook_list(name, "startContainer", &s->start_container);
        if (r < 0)
                return r;
        r = check_hook_list(name, "poststart", &s->poststart);
        if (r < 0)
                return r;
        return check_hook_list(name, "poststop", &s->poststop);
}

static int check_uts_name(const char *name, const char *key, const char *value) {
        if (value && strlen(value) > UTS_NAME_MAX)
                return spec_log_error(name, JPATH_KEY(NULL, key), EINVAL, "longer than %u bytes",
                                      UTS_NAME_MAX);
        return 0;
}

/* ---- cross-checks, which need the whole spec ---- */

static bool has_ns(const Spec *s, SpecNamespaceType t) {
        return s->linux.namespaces[t].present;
}

static bool sysctl_key_is_ipc(const char *key) {
        static const char *const ipc_keys[] = {
                "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
                "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
        };

        for (size_t i = 0; i < ELEMENTSOF(ipc_keys); i++)
                if (streq(key, ipc_keys[i]))
                        return true;
        return startswith(key, "fs.mqueue.");
}

/* The rules of runc 1.1.5 (libcontainer/configs/validate): only keys that live in a namespace the
 * container has, so a container can never change a host-wide knob. */
static int check_sysctl(const char *name, const Spec *s) {
        const JPath *sp = JPATH_KEY(JPATH_KEY(NULL, "linux"), "sysctl");

        for (size_t i = 0; i < s->linux.n_sysctl; i++) {
                const char *key = s->linux.sysctl[i].key;
                SpecNamespaceType need;
                const JPath *kp = JPATH_USER_KEY(sp, key);
                bool bad_syntax = isempty(key) || key[0] == '.' || key[strlen(key) - 1] == '.' ||
                                  strstr(key, "..") || strchr(key, '/');

                /* The key becomes a path below /proc/sys: no '/', no empty components. */
                if (bad_syntax)
                        return spec_log_error(name, kp, EINVAL,
                                              "invalid sysctl name, expected dot-separated components");
                if (sysctl_key_is_ipc(key))
                        need = SPEC_NS_IPC;
                else if (startswith(key, "net."))
                        need = SPEC_NS_NETWORK;
                else if (streq(key, "kernel.domainname"))
                        need = SPEC_NS_UTS;
                else if (streq(key, "kernel.hostname"))
                        return spec_log_error(name, kp, EINVAL,
                                              "not allowed, set the 'hostname' field instead");
                else
                        return spec_log_error(name, kp, EINVAL,
                                              "not a namespaced sysctl, the container may not change it");
                if (!has_ns(s, need))
                        return spec_log_error(name, kp, EINVAL,
                                              "this sysctl needs %s %s namespace "
                                              "(linux.namespaces has none)",
                                              need == SPEC_NS_IPC ? "an" : "a",
                                              spec_namespace_type_to_string(need));
        }
        return 0;
}
/* No mount namespace in linux.namespaces: the container shares the runtime's (runtime-spec,
 * config-linux.md), so every mount it got would be made in the host's mount table and outlive it.
 * Measured with runc 1.1.5 and crun 1.8.1 on a Debian 12 host: runc refuses maskedPaths and
 * readonlyPaths ("unable to restrict sys entries without a private MNT namespace") but otherwise
 * makes '/' a recursive slave, binds the rootfs onto itself and mounts every entry of "mounts" on
 * the host, and leaves them all there; crun applies even the masks on the host, and for
 * root.readonly with root.path "/" remounts the host's root read-only (runc ignores root.readonly).
 * berth takes the one course that never changes the host's mount table: it makes no mount at all,
 * and refuses every field that needs one, naming it. What is left is what both run the same: the
 * root is a chroot(2) into root.path (no pivot_root(2): that would move the host's root). */
static int check_no_mount_ns(const char *name, const Spec *s) {
        const JPath *lp = JPATH_KEY(NULL, "linux");
        char q[SPEC_QUOTE_MAX];

        if (strv_length(s->linux.masked_paths) > 0)
                return spec_log_error(name, JPATH_INDEX(JPATH_KEY(lp, "maskedPaths"), 0), EINVAL,
                                      "needs a mount namespace (linux.namespaces has none): masking is a "
                                      "mount, which would be made in the host's mount table");
        if (strv_length(s->linux.readonly_paths) > 0)
                return spec_log_error(name, JPATH_INDEX(JPATH_KEY(lp, "readonlyPaths"), 0), EINVAL,
                                      "needs a mount namespace (linux.namespaces has none): a read-only "
                                      "path is a mount, which would be made in the host's mount table");
        if (s->n_mounts > 0)
                return spec_log_error(name, JPATH_INDEX(JPATH_KEY(NULL, "mounts"), 0), EINVAL,
                                      "the mount on '%s' needs a mount namespace (linux.namespaces has "
                                      "none): it would be made in the host's mount table",
                                      spec_quote(s->mounts[0].destination, q));
        if (s->root_readonly)
                return spec_log_error(name, JPATH_KEY(JPATH_KEY(NULL, "root"), "readonly"), EINVAL,
                                      "true needs a mount namespace (linux.namespaces has none): it would "
                                      "make the host's mount read-only");
        if (s->linux.rootfs_propagation != SPEC_PROPAGATION_UNSET)
                return spec_log_error(name, JPATH_KEY(lp, "rootfsPropagation"), EINVAL,
                                      "needs a mount namespace (linux.namespaces has none): it would change "
                                      "the host's mounts");
        /* A user namespace cannot mknod: its device nodes are bind mounts. */
        if (has_ns(s, SPEC_NS_USER)) {
                const JPath *np = JPATH_KEY(lp, "namespaces");
                unsigned i = s->linux.namespaces[SPEC_NS_USER].index;

                return spec_log_error(name, JPATH_INDEX(np, i), EINVAL,
                                      "a user namespace needs a mount namespace too (linux.namespaces has "
                                      "none): its device nodes would be bind mounts in the host's "
                                      "mount table");
        }
        return 0;
}

static int check_cross(const char *name, const Spec *s) {
        if (!isempty(s->hostname) && !has_ns(s, SPEC_NS_UTS))
                return spec_log_error(name, JPATH_KEY(NULL, "hostname"), EINVAL,
                                      "a hostname needs a uts namespace (linux.namespaces has none)");
        if (!isempty(s->domainname) && !has_ns(s, SPEC_NS_UTS))
                return spec_log_error(name, JPATH_KEY(NULL, "domainname"), EINVAL,
                                      "a domainname needs a uts namespace (linux.namespaces has none)");
        if (s->linux.n_uid_mappings > 0 && !has_ns(s, SPEC_NS_USER))
                return spec_log_error(name, JPATH_KEY(JPATH_KEY(NULL, "linux"), "uidMappings"), EINVAL,
                                      "uid mappings need a user namespace (linux.namespaces has none)");
        if (s->linux.n_gid_mappings > 0 && !has_ns(s, SPEC_NS_USER))
                return spec_log_error(name, JPATH_KEY(JPATH_KEY(NULL, "linux"), "gidMappings"), EINVAL,
                                      "gid mappings need a user namespace (linux.namespaces has none)");
        if (!has_ns(s, SPEC_NS_MOUNT)) {
                int r = check_no_mount_ns(name, s);

                if (r < 0)
                        return r;
        }
        return check_sysctl(name, s);
}

static int check_linux(const char *name, Spec *s) {
        const JPath *p = JPATH_KEY(NULL, "linux");
        SpecLinux *l = &s->linux;
        int r;

        for (SpecNamespaceType t = 0; t < _SPEC_NS_MAX; t++) {
                const JPath *np = JPATH_INDEX(JPATH_KEY(p, "namespaces"), l->namespaces[t].index);

                if (!l->namespaces[t].present || !l->namespaces[t].path)
                        continue;
                r = check_absolute(name, JPATH_KEY(np, "path"), l->namespaces[t].path);
                if (r < 0)
                        return r;
        }
        r = check_id_mappings(name, JPATH_KEY(p, "uidMappings"), l->uid_mappings, l->n_uid_mappings);
        if (r < 0)
                return r;
        r = check_id_mappings(name, JPATH_KEY(p, "gidMappings"), l->gid_mappings, l->n_gid_mappings);
        if (r < 0)
                return r;
        r = check_devices(name, JPATH_KEY(p, "devices"), l);
        if (r < 0)
                return r;
        r = check_path_list(name, JPATH_KEY(p, "maskedPaths"), l->masked_paths);
        if (r < 0)
                return r;
        return check_path_list(name, JPATH_KEY(p, "readonlyPaths"), l->readonly_paths);
}

int spec_validate(const char *name, Spec *s) {
        int r;

        assert(name);
        assert(s);

        if (!s->oci_version)
                return spec_log_error(name, JPATH_KEY(NULL, "ociVersion"), EINVAL,
                                      "missing required field, expected a string");
        if (!s->root_path)
                return spec_log_error(name, JPATH_KEY(JPATH_KEY(NULL, "root"), "path"), EINVAL,
                                      "missing required field, expected a non-empty string");
        if (isempty(s->root_path))
                return spec_log_error(name, JPATH_KEY(JPATH_KEY(NULL, "root"), "path"), EINVAL,
                                      "expected a non-empty string");
        if (!s->process)
                return spec_log_error(name, JPATH_KEY(NULL, "process"), EINVAL,
                                      "missing required field, expected an object");
        r = spec_validate_process(name, s->process, JPATH_KEY(NULL, "process"));
        if (r < 0)
                return r;
        r = check_uts_name(name, "hostname", s->hostname);
        if (r < 0)
                return r;
        r = check_uts_name(name, "domainname", s->domainname);
        if (r < 0)
                return r;
        r = check_mounts(name, s);
        if (r < 0)
                return r;
        r = spec_validate_seccomp(name, s->linux.seccomp);
        if (r < 0)
                return r;
        r = check_linux(name, s);
        if (r < 0)
                return r;
        r = check_hooks(name, s);
        if (r < 0)
                return r;
        return check_cross(name, s);
}
