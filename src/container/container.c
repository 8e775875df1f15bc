/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "cgroup.h"
#include "console.h"
#include "container-internal.h"
#include "container.h"
#include "fd-util.h"
#include "fs-util.h"
#include "hooks.h"
#include "log.h"
#include "lsm.h"
#include "mount-plan.h"
#include "mount.h"
#include "notify.h"
#include "parse-util.h"
#include "path-util.h"
#include "process-util.h"
#include "process.h"
#include "relay.h"
#include "rootfs.h"
#include "seccomp-filter.h"
#include "socket-util.h"
#include "spec.h"
#include "state-store.h"
#include "strv.h"
#include "sync.h"
#include "terminal.h"
#include "userns.h"

/* The state dir keeps the config as it was at create (STATE_CONFIG): exec takes the process defaults
 * from it and start/delete their poststart/poststop hooks (runc keeps it in its state.json too). The
 * bundle may have changed or gone by then, and it is not ours to trust. state.json says whether
 * there are post hooks, so start and delete parse the saved config only then. */

/* Everything a create needs, gathered and checked before the first side effect. */
typedef struct Launch {
        const ContainerOptions *opts;
        Spec *spec;
        MountPlan plan;
        char *bundle; /* absolute */
        char *rootfs; /* absolute */
        char *pid_file; /* absolute */
        int ns_fd[_SPEC_NS_MAX]; /* namespaces joined by path */
        int new_ns_flags;        /* CLONE_NEW* to create */
        int sync_fd[2];          /* [0] parent, [1] child */
        int listen_fd;           /* the release socket the init waits on */
        int state_fds[2];        /* root and container state dir: the child must not keep the flock */
        bool pid_file_written;
        ContainerState *state;   /* written as soon as the init's pid is known */
        char *config_text;       /* config.json as read; kept in the state dir for post hooks */
        size_t config_size;
        unsigned listen_fds;     /* socket-activation fds (LISTEN_FDS) passed before --preserve-fds */
        int console_fd;          /* connected --console-socket */
        int pty_master;          /* the container's pty master (foreground terminal) */
        int signal_fd;           /* SIGTERM/SIGINT/SIGHUP while creating: abort and unwind */
        Cgroup cg;               /* made before the init, which joins it first thing */
        CgroupResources *res;    /* linux.resources, checked, with the device rules to apply */
        SeccompFilter *seccomp;  /* compiled here, loaded by the init, saved for exec */
        Notify notify;           /* under systemd: the container's notify socket (notify.h) */
} Launch;

static void launch_done(Launch *l) {
        l->spec = spec_free(l->spec);
        mount_plan_done(&l->plan);
        l->bundle = mfree(l->bundle);
        l->rootfs = mfree(l->rootfs);
        l->pid_file = mfree(l->pid_file);
        for (int i = 0; i < _SPEC_NS_MAX; i++)
                l->ns_fd[i] = safe_close(l->ns_fd[i]);
        l->sync_fd[0] = safe_close(l->sync_fd[0]);
        l->sync_fd[1] = safe_close(l->sync_fd[1]);
        l->listen_fd = safe_close(l->listen_fd);
        l->state = container_state_free(l->state);
        l->config_text = mfree(l->config_text);
        l->console_fd = safe_close(l->console_fd);
        l->pty_master = safe_close(l->pty_master);
        l->signal_fd = safe_close(l->signal_fd);
        cgroup_done(&l->cg);
        l->res = cgroup_resources_free(l->res);
        l->seccomp = seccomp_filter_free(l->seccomp);
        notify_done(&l->notify);
}

static int container_state_fill(const Launch *l, pid_t init, const char *created, ContainerState *s);

static void launch_init(Launch *l, const ContainerOptions *o) {
        *l = (Launch) { .opts = o, .sync_fd = { -EBADF, -EBADF }, .listen_fd = -EBADF,
                        .state_fds = { -EBADF, -EBADF }, .console_fd = -EBADF, .pty_master = -EBADF,
                        .signal_fd = -EBADF, .notify = NOTIFY_NULL };
        for (int i = 0; i < _SPEC_NS_MAX; i++)
                l->ns_fd[i] = -EBADF;
}

static int open_namespace(SpecNamespaceType t, const char *path, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        int type;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "config.json: linux.namespaces: failed to open %s namespace '%s': %m",
                                       spec_namespace_type_to_string(t), path);
        type = ioctl(fd, NS_GET_NSTYPE);
        if (type < 0 || type != spec_namespace_type_to_clone_flag(t))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "config.json: linux.namespaces: '%s' is not a %s namespace", path,
                                       spec_namespace_type_to_string(t));
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int container_check_fds_open(unsigned first, unsigned n, const char *what) {
        for (unsigned fd = first; fd < first + n; fd++)
                if (fcntl((int) fd, F_GETFD) < 0)
                        return log_error_errno(SYNTHETIC_ERRNO(EBADF), "%s=%u: fd %u is not open", what, n, fd);
        return 0;
}

/* sd_listen_fds(3) semantics: fds from 3 on, if LISTEN_PID names us. */
static int listen_fds_from_env(unsigned *ret) {
        const char *e = getenv("LISTEN_FDS"), *p = getenv("LISTEN_PID");
        uint32_t n;
        int pid, r;

        *ret = 0;
        if (!e || !p || safe_atoi(p, &pid) < 0 || pid != getpid())
                return 0;
        if (safe_atou32(e, &n) < 0 || n > 4096)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "$LISTEN_FDS: expected a number of fds, got '%s'", e);
        r = container_check_fds_open(3, n, "$LISTEN_FDS");
        if (r < 0)
                return r;
        *ret = n;
        return 0;
}

/* linux.resources and the cgroup path are checked here, before anything exists. The device rules
 * are the config's, then runc's default allow list, then one per linux.devices node (as runc). */
static int launch_prepare_cgroup(Launch *l) {
        const SpecLinux *lx = &l->spec->linux;
        _cleanup_free_ char *what = NULL;
        int r;

        if (asprintf(&what, "%s/config.json", l->bundle) < 0)
                return log_oom();
        r = cgroup_resources_parse(what, "linux.resources", lx->resources_json, &l->res);
        if (r < 0)
                return r;
        if (l->res->has_devices || lx->n_devices > 0) {
                r = cgroup_resources_add_default_devices(l->res);
                for (size_t i = 0; r >= 0 && i < lx->n_devices; i++)
                        if (lx->devices[i].type != 'p')
                                r = cgroup_resources_add_device(l->res, lx->devices[i].type == 'b' ? 'b' : 'c',
                                                                lx->devices[i].major, lx->devices[i].minor, "rwm");
                if (r < 0)
                        return log_oom();
        }
        r = cgroup_init(&l->cg, l->opts->cgroup_manager, lx->cgroups_path, l->opts->id);
        if (r < 0)
                return r;
        l->cg.annotations = l->spec->annotations;
        return 0;
}

/* Compiled once, here in the runtime; a NOTIFY agent that is not there fails the create now. */
static int launch_prepare_seccomp(Launch *l) {
        const Spec *s = l->spec;
        _cleanup_free_ char *name = NULL, *cache = NULL;
        _cleanup_close_ int cache_fd = -EBADF;
        bool strict = false;
        int r;

        if (!s->linux.seccomp)
                return 0;
        /* crun's annotation: unknown syscall names are an error instead of a warning. */
        for (char **a = s->annotations; a && a[0]; a += 2)
                if (streq(a[0], "run.oci.seccomp_fail_unknown_syscall"))
                        strict = !streq(a[1], "0") && !streq(a[1], "false");
        name = path_join(l->bundle, "config.json");
        if (!name)
                return log_oom();
        /* The cache is an optimisation: without one (rootless without a home, an untrusted dir:
         * warned about), the filter is compiled as before. */
        r = seccomp_cache_path(&cache);
        if (r < 0)
                return log_oom();
        if (cache)
                (void) seccomp_cache_open(cache, &cache_fd);
        r = seccomp_filter_compile(name, s->linux.seccomp, strict, cache_fd, &l->seccomp);
        if (r < 0)
                return r;
        return seccomp_filter_connect(l->seccomp);
}

/* $NOTIFY_SOCKET and $CREDENTIALS_DIRECTORY of a systemd service: mounts and environment (notify.h). */
static int launch_prepare_service(Launch *l) {
        _cleanup_free_ char *root = NULL, *dir = NULL;
        int r;

        r = path_make_absolute_cwd(l->opts->root, &root);
        if (r < 0)
                return log_error_errno(r, "Failed to resolve the state root: %m");
        dir = path_join(root, l->opts->id);
        if (!dir)
                return log_oom();
        return service_prepare(&l->notify, dir, !l->opts->foreground, &l->plan, &l->spec->process->env);
}

/* The init exists: its notify forwarder, and MAINPID= from us before we return (notify.h). */
static int launch_notify(Launch *l, pid_t init) {
        int r;

        r = notify_forward_start(&l->notify, init);
        if (r < 0) {
                pid_kill_and_reap(init);
                return r;
        }
        notify_send_mainpid(&l->notify, init);
        return init;
}

static int launch_prepare(Launch *l) {
        const ContainerOptions *o = l->opts;
        const SpecNamespace *ns;
        struct stat st;
        int r;

        if (!container_id_valid(o->id))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "invalid container id '%s': use 1-%u letters, digits and '_.-+'", o->id,
                                       CONTAINER_ID_MAX);
        r = path_make_absolute_cwd(o->bundle ?: ".", &l->bundle);
        if (r < 0)
                return log_error_errno(r, "Failed to resolve the bundle path: %m");
        if (stat(l->bundle, &st) < 0)
                return log_error_errno(errno, "Failed to open bundle '%s': %m", l->bundle);
        if (!S_ISDIR(st.st_mode))
                return log_error_errno(SYNTHETIC_ERRNO(ENOTDIR), "Failed to open bundle '%s': not a directory",
                                       l->bundle);
        r = spec_load_text(l->bundle, &l->spec, &l->config_text, &l->config_size);
        if (r < 0)
                return r;
        if (!l->spec->process)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s/config.json: process: expected an object",
                                       l->bundle);
        if (l->spec->process->terminal && !o->console_socket && !o->foreground)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s/config.json: process.terminal is true, which needs --console-socket "
                                       "when the container is not run in the foreground", l->bundle);
        if (o->console_socket && !l->spec->process->terminal)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "--console-socket given but process.terminal is false in '%s/config.json'",
                                       l->bundle);
        r = launch_prepare_seccomp(l);
        if (r < 0)
                return r;
        r = lsm_check(l->bundle, l->spec->process->apparmor_profile, l->spec->process->selinux_label,
                      l->spec->linux.mount_label);
        if (r < 0)
                return r;

        l->rootfs = path_is_absolute(l->spec->root_path) ? strdup(l->spec->root_path)
                                                         : path_join(l->bundle, l->spec->root_path);
        if (!l->rootfs)
                return log_oom();
        if (stat(l->rootfs, &st) < 0)
                return log_error_errno(errno, "%s/config.json: root.path: failed to open rootfs '%s': %m",
                                       l->bundle, l->rootfs);
        if (!S_ISDIR(st.st_mode))
                return log_error_errno(SYNTHETIC_ERRNO(ENOTDIR),
                                       "%s/config.json: root.path: rootfs '%s' is not a directory", l->bundle,
                                       l->rootfs);

        r = mount_plan_build(l->spec, l->bundle, &l->plan);
        if (r < 0)
                return r;
        r = launch_prepare_service(l);
        if (r < 0)
                return r;
        /* Without a mount namespace berth mounts nothing (spec-validate.c, check_no_mount_ns()),
         * its own binds under systemd included: they would be made in the host's mount table. */
        if (!l->spec->linux.namespaces[SPEC_NS_MOUNT].present && l->plan.n_ops > 0) {
                const char *what = l->spec->n_mounts > 0 ? "mounts" /* refused by spec_validate() */
                                   : l->notify.target    ? "$NOTIFY_SOCKET"
                                                         : "$CREDENTIALS_DIRECTORY";

                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP),
                                       "%s/config.json: linux.namespaces: without a mount namespace, %s "
                                       "cannot be bound into the container: add {\"type\": \"mount\"}",
                                       l->bundle, what);
        }

        for (int t = 0; t < _SPEC_NS_MAX; t++) {
                ns = &l->spec->linux.namespaces[t];
                if (!ns->present)
                        continue;
                if (ns->path) {
                        r = open_namespace(t, ns->path, &l->ns_fd[t]);
                        if (r < 0)
                                return r;
                } else
                        l->new_ns_flags |= spec_namespace_type_to_clone_flag(t);
        }

        /* With a user namespace the init's root is whatever host uid the maps give it (often an
         * unprivileged one), which may not reach a bind source or a host device node (a 0700
         * directory on the way): open them here, as the host's root, in the host's mount namespace,
         * and let the init mount the detached clones it inherits. A joined mount namespace resolves
         * the sources in itself, as the init does. Without privilege (rootless) the runtime may not
         * clone host mounts, and the init's root is the caller anyway: the init opens them. */
        if (l->spec->linux.namespaces[SPEC_NS_USER].present &&
            !l->spec->linux.namespaces[SPEC_NS_MOUNT].path && geteuid() == 0) {
                unsigned long prop = rootfs_setup_propagation(l->spec);

                r = mount_plan_open_sources(&l->plan, prop);
                if (r < 0)
                        return r;
                r = rootfs_open_host_devices(l->spec, &l->plan, prop);
                if (r < 0)
                        return r;
        }

        r = listen_fds_from_env(&l->listen_fds);
        if (r < 0)
                return r;
        r = container_check_fds_open(3 + l->listen_fds, o->preserve_fds, "--preserve-fds");
        if (r < 0)
                return r;
        if (o->console_socket) {
                r = console_socket_connect(o->console_socket, &l->console_fd);
                if (r < 0)
                        return r;
        }
        if (o->pid_file) {
                r = path_make_absolute_cwd(o->pid_file, &l->pid_file);
                if (r < 0)
                        return log_error_errno(r, "Failed to resolve the pid file path: %m");
        }
        return launch_prepare_cgroup(l);
}

/* ---- the child side ---------------------------------------------------------------------- */

/* A new cgroup namespace is rooted at its creator's cgroup. With cgroupfs the init joins the
 * container's cgroup first thing (child_begin()); a systemd scope is made by the runtime once the
 * init exists (launch_record()), so the init makes its cgroup namespace only when told it is in
 * the scope (SYNC_CGROUP_READY), before anything it mounts could see the old root. */
static bool launch_cgroupns_late(const Launch *l) {
        return (l->new_ns_flags & CLONE_NEWCGROUP) && l->cg.type == CGROUP_MANAGER_SYSTEMD;
}

/* -EPIPE, unlogged, when the runtime is gone (its end of the socket, where a message would go, is
 * closed too). */
static int child_sync_wait(int fd, SyncType expect) {
        char text[SYNC_TEXT_MAX];
        SyncType t;
        int e, r;

        r = sync_recv(fd, &t, &e, text, sizeof text, NULL);
        if (r == -EPIPE)
                return r;
        if (r < 0)
                return log_error_errno(r, "Failed to wait for the runtime: %m");
        if (t != expect)
                return log_error_errno(SYNTHETIC_ERRNO(EPROTO), "Unexpected message %u from the runtime", t);
        return 0;
}

/* Hooks the init waits for or runs itself. Without any, create makes no extra round trip. */
static bool launch_has_init_hooks(const Spec *s) {
        return !hooks_empty(&s->prestart) || !hooks_empty(&s->create_runtime) ||
               !hooks_empty(&s->create_container) || !hooks_empty(&s->start_container);
}

/* The mounts are in place and pivot_root has not happened yet: the runtime runs prestart and
 * createRuntime (parent_sync), then the init runs createContainer in the container's namespaces,
 * where host paths still resolve, as the runtime spec and runc do. The runtime answers with the
 * init's host pid and the creation time, from which the init builds the state its own hooks get. */
static int init_hooks_create(Launch *l) {
        _cleanup_free_ char *json = NULL;
        char created[SYNC_TEXT_MAX];
        SyncType t;
        int pid, r;

        if (!launch_has_init_hooks(l->spec))
                return 0;
        r = sync_send(l->sync_fd[1], SYNC_HOOKS_CREATE_RUNTIME, 0, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to ask the runtime to run its hooks: %m");
        r = sync_recv(l->sync_fd[1], &t, &pid, created, sizeof created, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to wait for the runtime's hooks: %m");
        if (t != SYNC_HOOKS_DONE)
                return log_error_errno(SYNTHETIC_ERRNO(EPROTO), "Unexpected message %u from the runtime", t);
        l->state = calloc(1, sizeof *l->state);
        if (!l->state)
                return log_oom();
        r = container_state_fill(l, pid, created, l->state);
        if (r < 0)
                return r;
        if (hooks_empty(&l->spec->create_container))
                return 0;
        r = state_to_json(l->state, CONTAINER_CREATING, /* pretty= */ false, &json);
        if (r < 0)
                return log_oom();
        /* The runtime dying (its end of the sync socket closing) ends the hook too. */
        return hooks_run_env(&l->spec->create_container, "createContainer", json, /* keep_going= */ false,
                             l->sync_fd[1], l->spec->process->env);
}

/* Released, after pivot_root: the paths resolve in the container. Like runc, with the process'
 * user and capabilities already in place, and status "created". */
static int init_hooks_start(Launch *l) {
        _cleanup_free_ char *json = NULL;
        int r;

        if (hooks_empty(&l->spec->start_container))
                return 0;
        assert(l->state);
        r = state_to_json(l->state, CONTAINER_CREATED, /* pretty= */ false, &json);
        if (r < 0)
                return log_oom();
        return hooks_run_env(&l->spec->start_container, "startContainer", json, /* keep_going= */ false,
                             /* abort_fd= */ -EBADF, l->spec->process->env);
}

static int init_setup(Launch *l) {
        const Spec *s = l->spec;
        _cleanup_close_ int root_fd = -EBADF;
        int r;

        r = process_set_oom_score_adj(s->process);
        if (r < 0)
                return r;

        /* A new session keyring, so the container does not share the caller's keys. */
        if (!l->opts->no_new_keyring && syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, NULL) < 0)
                log_debug_errno(errno, "Failed to join a new session keyring, ignoring: %m");

        if (s->linux.namespaces[SPEC_NS_MOUNT].present) {
                r = rootfs_prepare(s, l->rootfs, &root_fd);
                if (r < 0)
                        return r;
                r = mount_apply_plan(root_fd, &l->plan);
        } else {
                /* The host's mount table: launch_prepare() made sure the plan is empty. */
                assert(l->plan.n_ops == 0);
                r = rootfs_open_shared(l->rootfs, &root_fd);
        }
        if (r < 0)
                return r;
        r = rootfs_create_devices(root_fd, s, &l->plan, s->linux.namespaces[SPEC_NS_USER].present);
        if (r < 0)
                return r;
        /* The host sources are mounted (close-on-exec anyway: nothing of them reaches the process). */
        mount_plan_close_fds(&l->plan);
        /* createContainer hooks run in the container's root directory, as with runc and crun. */
        if (fchdir(root_fd) < 0)
                return log_error_errno(errno, "Failed to enter rootfs '%s': %m", l->rootfs);
        r = init_hooks_create(l);
        if (r < 0)
                return r;
        r = rootfs_enter(s, root_fd, l->opts->no_pivot);
        if (r < 0)
                return r;
        /* Before the root may turn read-only: runc creates a missing cwd too. */
        r = process_create_cwd(s->process);
        if (r < 0)
                return r;
        if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
                return log_error_errno(errno, "Failed to set hostname '%s': %m", s->hostname);
        if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
                return log_error_errno(errno, "Failed to set domainname '%s': %m", s->domainname);
        return rootfs_finish(s);
}

/* SYNC_START (run) or SYNC_HANDOVER (create) carry the init's host pid and the creation time: the
 * state a seccomp agent gets with the listener. */
static int init_wait_release(Launch *l) {
        _cleanup_free_ char *json = NULL;
        char created[SYNC_TEXT_MAX];
        SyncType t, expect = l->listen_fd < 0 ? SYNC_START : SYNC_HANDOVER;
        int pid, r;

        r = sync_recv(l->sync_fd[1], &t, &pid, created, sizeof created, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to wait for the runtime: %m");
        if (t != expect)
                return log_error_errno(SYNTHETIC_ERRNO(EPROTO), "Unexpected message %u from the runtime", t);
        if (!l->seccomp || !l->seccomp->notify)
                return 0;
        if (!l->state) {
                l->state = calloc(1, sizeof *l->state);
                if (!l->state)
                        return log_oom();
                r = container_state_fill(l, pid, created, l->state);
                if (r < 0)
                        return r;
        }
        r = state_to_json(l->state, CONTAINER_CREATING, /* pretty= */ false, &json);
        if (r < 0)
                return log_oom();
        return seccomp_filter_set_message(l->seccomp, pid, json);
}

/* run -d --pid-file (without poststart hooks, which must see the process run first): the process
 * execs only once run's caller has reaped run. Under systemd (container@.service, Type=forking)
 * that is after systemd read the PID file, so the init is alive then however soon the container
 * exits: systemd 252 takes a PID file naming a process that is gone (or a zombie) as "not
 * written yet" and waits for another one until TimeoutStartSec, the unit "activating" all along
 * (a container printing a burst and exiting at once hit it whenever run was slow to exit, as
 * under ASan). */
static bool run_gated(const ContainerOptions *o, const Spec *spec) {
        return o->detach && o->pid_file && hooks_empty(&spec->poststart);
}

/* The init's side: nothing but execve() is left; say so, and wait for the word. */
static int init_gate(int fd) {
        int r;

        r = sync_send(fd, SYNC_READY, 0, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to tell the runtime: %m");
        r = child_sync_wait(fd, SYNC_EXEC);
        return r == -EPIPE ? 0 : r; /* no one is left to wait for: go on */
}

_noreturn_ static void init_main(Launch *l) {
        _cleanup_free_ char *exe = NULL;
        _cleanup_close_ int conn = -EBADF;
        bool gated = l->listen_fd < 0 && run_gated(l->opts, l->spec);
        int r;

        /* Its own session, as runc's init: a container is not part of the caller's terminal
         * session, so closing that terminal sends no SIGHUP into it (create, run -d). */
        (void) setsid();
        if (launch_cgroupns_late(l)) {
                if (child_sync_wait(l->sync_fd[1], SYNC_CGROUP_READY) < 0)
                        _exit(EXIT_FAILURE);
                if (unshare(CLONE_NEWCGROUP) < 0) {
                        log_error_errno(errno, "Failed to create the cgroup namespace: %m");
                        _exit(EXIT_FAILURE);
                }
        }
        r = init_setup(l);
        if (r < 0)
                _exit(EXIT_FAILURE);
        if (l->spec->process->terminal) {
                r = console_setup(l->spec->process, l->sync_fd[1]);
                if (r < 0)
                        _exit(EXIT_FAILURE);
        }
        r = process_setup(l->spec->process, l->listen_fds + l->opts->preserve_fds, l->listen_fds, l->seccomp,
                          &exe);
        if (r < 0)
                _exit(EXIT_FAILURE);

        /* Set up: tell the runtime, then wait for its word on the sync socket: SYNC_START (run)
         * or SYNC_HANDOVER (create: the container is recorded, start will release us through
         * the release socket). Until then the runtime may die at any moment, and nothing would
         * know of us: the end of the sync socket (EPIPE) then ends the init here. */
        r = sync_send(l->sync_fd[1], SYNC_READY, 0, NULL);
        if (r < 0)
                _exit(EXIT_FAILURE);
        r = init_wait_release(l);
        if (r < 0)
                _exit(EXIT_FAILURE);
        /* Handed over: the container outlives the runtime from now on (run -d, create). */
        (void) prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
        /* The runtime no longer listens: from here on the init's stderr gets our messages. */
        log_set_forward(NULL, NULL);
        if (l->listen_fd >= 0) {
                l->sync_fd[1] = safe_close(l->sync_fd[1]);
                do
                        conn = accept4(l->listen_fd, NULL, NULL, SOCK_CLOEXEC);
                while (conn < 0 && errno == EINTR);
                if (conn < 0)
                        _exit(EXIT_FAILURE);
                l->listen_fd = safe_close(l->listen_fd);
        }
        /* run: the sync socket stays open until execve() closes it, which tells run the process
         * runs (poststart hooks come after it). */

        /* A failing startContainer hook keeps the process from running: the init exits 1 (start
         * sees its connection close without the byte below; run reports the exit status). */
        r = init_hooks_start(l);
        if (r < 0)
                _exit(EXIT_FAILURE);
        if (gated) {
                r = init_gate(l->sync_fd[1]);
                if (r < 0)
                        _exit(EXIT_FAILURE);
        }
        /* start reads this, then waits for execve() to close the (close-on-exec) connection. */
        if (conn >= 0)
                (void) loop_write(conn, "1", 1);
        r = process_exec(l->spec->process, exe, l->seccomp);
        log_error_errno(r, "exec: \"%s\": %m", exe);
        _exit(127);
}

static int stage1_userns(Launch *l) {
        bool unprivileged = geteuid() != 0;
        int r;

        if (unshare(CLONE_NEWUSER) < 0)
                return log_error_errno(errno, "Failed to create a user namespace: %m");
        /* Without privilege the runtime may write our maps only while our /proc files are its
         * own: dumpable for that moment. Nothing but us is in the new user namespace yet, and
         * only our own user can reach us. */
        if (unprivileged)
                (void) prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
        r = sync_send(l->sync_fd[1], SYNC_USERMAP_REQUEST, 0, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to ask for the id mappings: %m");
        r = child_sync_wait(l->sync_fd[1], SYNC_USERMAP_DONE);
        (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        if (r < 0)
                return r;
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
                return log_error_errno(errno, "Failed to become root in the user namespace: %m");
        return 0;
}

static void child_begin(Launch *l) {
        struct pollfd p;

        /* Until execve() replaces it, this process is the berth binary: not dumpable, so nothing
         * in a shared pid namespace can open /proc/PID/exe and reach the host binary
         * (CVE-2019-5736). execve() makes the container's own binary dumpable again. */
        (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        /* If the runtime is killed before it has recorded us, nothing could ever find us: die
         * with it. The init clears this once handed over. The runtime may have died before the
         * prctl(): its end of the sync socket is closed then (getppid() says nothing in a new
         * pid namespace). */
        (void) prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        l->sync_fd[0] = safe_close(l->sync_fd[0]);
        p = (struct pollfd) { .fd = l->sync_fd[1], .events = POLLIN };
        if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
                _exit(EXIT_FAILURE);
        /* The flock on the state dir belongs to the runtime process, not to the container. */
        safe_close(l->state_fds[0]);
        safe_close(l->state_fds[1]);
        sync_log_to(l->sync_fd[1]);
        /* Into the container's cgroup before anything else: every page and task from here on is
         * charged to it, so a limit holds from the first instruction. */
        if (cgroup_join_self(&l->cg) < 0)
                _exit(EXIT_FAILURE);
}

/* Stage 1 joins and creates the namespaces, then forks the init, which is pid 1 of a new pid
 * namespace (unshare(CLONE_NEWPID) only affects children). */
_noreturn_ static void stage1_main(Launch *l) {
        pid_t pid;
        int r;

        child_begin(l);

        /* The user namespace first: joining the others may need the capabilities it grants. */
        if (l->ns_fd[SPEC_NS_USER] >= 0 && setns(l->ns_fd[SPEC_NS_USER], CLONE_NEWUSER) < 0) {
                log_error_errno(errno, "Failed to join user namespace '%s': %m",
                                l->spec->linux.namespaces[SPEC_NS_USER].path);
                _exit(EXIT_FAILURE);
        }
        for (int t = 0; t < _SPEC_NS_MAX; t++) {
                if (t == SPEC_NS_USER || l->ns_fd[t] < 0)
                        continue;
                if (setns(l->ns_fd[t], spec_namespace_type_to_clone_flag(t)) < 0) {
                        log_error_errno(errno, "Failed to join %s namespace '%s': %m",
                                        spec_namespace_type_to_string(t), l->spec->linux.namespaces[t].path);
                        _exit(EXIT_FAILURE);
                }
        }
        if (l->new_ns_flags & CLONE_NEWUSER) {
                r = stage1_userns(l);
                if (r < 0)
                        _exit(EXIT_FAILURE);
        }
        if (unshare(l->new_ns_flags & ~(CLONE_NEWUSER | (launch_cgroupns_late(l) ? CLONE_NEWCGROUP : 0))) < 0) {
                log_error_errno(errno, "Failed to create namespaces: %m");
                _exit(EXIT_FAILURE);
        }
        pid = fork();
        if (pid < 0) {
                log_error_errno(errno, "Failed to fork the container init: %m");
                _exit(EXIT_FAILURE);
        }
        if (pid == 0)
                init_main(l);
        (void) sync_send(l->sync_fd[1], SYNC_PID, pid, NULL);
        _exit(EXIT_SUCCESS);
}

/* ---- the parent side --------------------------------------------------------------------- */

/* Record the container as soon as its init exists: state.json and the pid file are written while
 * the init sets itself up on the other core. */
static int launch_record(Launch *l, int dir_fd, pid_t init) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        int r;

        s = calloc(1, sizeof *s);
        if (!s)
                return log_oom();
        r = pid_get_start_time(init, &s->pid_start_time);
        if (r < 0)
                return log_error_errno(r, "The container init %d is gone: %m", (int) init);
        /* systemd: the scope is started with the init in it (it waits for us before it execs). */
        r = l->cg.manager->enter(&l->cg, init, l->res);
        if (r < 0)
                return r;
        if (launch_cgroupns_late(l)) {
                r = sync_send(l->sync_fd[0], SYNC_CGROUP_READY, 0, NULL);
                if (r < 0)
                        return log_error_errno(r, "Failed to tell the container init its scope is ready: %m");
        }
        /* First the init record, one symlinkat(): whatever happens to state.json, delete --force
         * finds the init by it. */
        r = state_record_init(dir_fd, init, s->pid_start_time);
        if (r < 0)
                return log_error_errno(r, "Failed to record the init of container '%s': %m", l->opts->id);
        r = container_state_fill(l, init, /* created= */ NULL, s);
        if (r < 0)
                return r;
        r = state_write(dir_fd, s);
        if (r < 0)
                return log_error_errno(r, "Failed to write the state of container '%s': %m", l->opts->id);
        if (l->pid_file) {
                r = container_write_pid_file(l->pid_file, init);
                if (r < 0)
                        return r;
                l->pid_file_written = true;
        }
        l->state = TAKE_PTR(s);
        return 0;
}

static bool launch_can_clone_directly(const Launch *l) {
        for (int t = 0; t < _SPEC_NS_MAX; t++)
                if (l->ns_fd[t] >= 0)
                        return false;
        return !(l->new_ns_flags & (CLONE_NEWUSER | CLONE_NEWTIME));
}

/* prestart (deprecated, same point) and createRuntime, in the runtime's namespaces, once the init
 * asked for them; then the init goes on, learning its host pid and the creation time. */
static int launch_hooks_create_runtime(Launch *l) {
        _cleanup_free_ char *json = NULL;
        int r;

        assert(l->state);
        r = state_to_json(l->state, CONTAINER_CREATING, /* pretty= */ false, &json);
        if (r < 0)
                return log_oom();
        r = hooks_run(&l->spec->prestart, "prestart", json, /* keep_going= */ false, l->signal_fd);
        if (r < 0)
                return r;
        r = hooks_run(&l->spec->create_runtime, "createRuntime", json, /* keep_going= */ false, l->signal_fd);
        if (r < 0)
                return r;
        r = sync_send(l->sync_fd[0], SYNC_HOOKS_DONE, l->state->pid, l->state->created);
        if (r < 0)
                return log_error_errno(r, "Failed to resume the container init after its hooks: %m");
        return 0;
}

/* Wait for the next message from the container, or a signal that aborts the create. */
static int parent_wait(Launch *l) {
        struct pollfd p[2] = {
                { .fd = l->sync_fd[0], .events = POLLIN },
                { .fd = l->signal_fd, .events = POLLIN },
        };
        struct signalfd_siginfo si;

        for (;;) {
                if (poll(p, l->signal_fd >= 0 ? 2 : 1, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return log_error_errno(errno, "Failed to wait for the container: %m");
                }
                if (p[1].revents & POLLIN) {
                        if (read(l->signal_fd, &si, sizeof si) != sizeof si)
                                continue;
                        return log_error_errno(SYNTHETIC_ERRNO(EINTR), "Interrupted by SIG%s: aborting the "
                                               "create of container '%s'",
                                               strna(sigabbrev_np((int) si.ssi_signo)), l->opts->id);
                }
                if (p[0].revents)
                        return 0;
        }
}

/* *ret_init: the init's pid if already known (direct clone), else 0 until stage 1 reports it. */
static int parent_sync(Launch *l, pid_t stage1, int dir_fd, pid_t *ret_init) {
        char text[SYNC_TEXT_MAX];
        bool ready = false, hooks_pending = false;
        pid_t init = *ret_init;
        SyncType t;
        int e, r;

        if (init > 0) {
                r = launch_record(l, dir_fd, init);
                if (r < 0)
                        goto fail;
        }
        for (;;) {
                _cleanup_close_ int passed = -EBADF;

                r = parent_wait(l);
                if (r < 0)
                        goto fail;
                r = sync_recv(l->sync_fd[0], &t, &e, text, sizeof text, &passed);
                if (r == -EPIPE)
                        r = log_error_errno(SYNTHETIC_ERRNO(ECHILD),
                                            "The container init exited during setup without a message");
                if (r < 0)
                        goto fail;
                r = sync_relay_log(t, e, text);
                if (r < 0)
                        goto fail;
                if (r > 0)
                        continue;
                switch (t) {
                case SYNC_USERMAP_REQUEST: {
                        const SpecLinux *lx = &l->spec->linux;

                        r = userns_write_maps(stage1, lx);
                        if (r >= 0)
                                r = sync_send(l->sync_fd[0], SYNC_USERMAP_DONE, 0, NULL);
                        if (r < 0)
                                goto fail;
                        break;
                }
                /* Stage 1 reports the init's pid after the fork, so the init may be ready first:
                 * the two come in either order. */
                case SYNC_PID:
                        init = e;
                        r = launch_record(l, dir_fd, init);
                        if (r >= 0 && hooks_pending)
                                r = launch_hooks_create_runtime(l);
                        if (r < 0)
                                goto fail;
                        if (ready) {
                                *ret_init = init;
                                return 0;
                        }
                        break;
                case SYNC_READY:
                        ready = true;
                        if (init > 0) {
                                *ret_init = init;
                                return 0;
                        }
                        break;
                case SYNC_PTY_MASTER:
                        r = container_take_pty_master(&passed, &l->console_fd, &l->pty_master);
                        if (r < 0)
                                goto fail;
                        break;
                case SYNC_HOOKS_CREATE_RUNTIME:
                        /* The hooks get the init's host pid: wait for stage 1 to report it. */
                        if (init <= 0) {
                                hooks_pending = true;
                                break;
                        }
                        r = launch_hooks_create_runtime(l);
                        if (r < 0)
                                goto fail;
                        break;
                case SYNC_HOOKS_DONE:
                case SYNC_HANDOVER:
                case SYNC_EXEC:
                case SYNC_CGROUP_READY:
                case SYNC_USERMAP_DONE:
                case SYNC_START:
                case SYNC_ERROR:
                case SYNC_WARNING:
                case SYNC_DEBUG:
                default:
                        r = log_error_errno(SYNTHETIC_ERRNO(EPROTO), "Unexpected message %u from the container", t);
                        goto fail;
                }
        }
fail:
        if (init > 0)
                pid_kill_and_reap(init);
        return r;
}

int container_take_pty_master(int *passed, int *console_fd, int *pty_master) {
        int r;

        if (*passed < 0)
                return log_error_errno(SYNTHETIC_ERRNO(EPROTO), "The container sent no pty master");
        if (*console_fd >= 0) {
                r = console_socket_send(*console_fd, *passed);
                if (r < 0)
                        return r;
                *console_fd = safe_close(*console_fd);
                *passed = safe_close(*passed);
        } else {
                safe_close(*pty_master);
                *pty_master = TAKE_FD(*passed);
        }
        return 0;
}

int container_write_pid_file(const char *path, pid_t pid) {
        _cleanup_free_ char *name = NULL;
        _cleanup_close_ int dfd = -EBADF;
        char buf[32];
        int r;

        r = open_parent(path, &dfd, &name);
        if (r < 0)
                return log_error_errno(r, "Failed to open the directory of pid file '%s': %m", path);
        snprintf(buf, sizeof buf, "%d", (int) pid);
        r = write_file_atomic_at(dfd, name, buf, strlen(buf), 0644);
        if (r < 0)
                return log_error_errno(r, "Failed to write pid file '%s': %m", path);
        return 0;
}

static int release_socket_listen(int dir_fd, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa;
        int r;

        /* Through the directory fd, so any --root length fits in sun_path. */
        r = sockaddr_un_at(dir_fd, STATE_RELEASE_SOCKET, &sa);
        if (r < 0)
                return r;
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen(fd, 1) < 0)
                return -errno;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* The OCI state of the container: created NULL means now. */
static int container_state_fill(const Launch *l, pid_t init, const char *created, ContainerState *s) {
        int r = 0;

        s->pid = init;
        s->oci_version = strdup(strempty(l->spec->oci_version));
        s->id = strdup(l->opts->id);
        s->bundle = strdup(l->bundle);
        s->rootfs = strdup(l->rootfs);
        s->owner = geteuid();
        s->post_hooks = !hooks_empty(&l->spec->poststart) || !hooks_empty(&l->spec->poststop);
        s->cgroup_manager = l->cg.type;
        s->cgroup_mode = l->cg.mode;
        if (l->cg.path && !(s->cgroup_path = strdup(l->cg.path)))
                return log_oom();
        if (l->cg.unit && !(s->cgroup_unit = strdup(l->cg.unit)))
                return log_oom();
        if (l->pid_file)
                s->pid_file = strdup(l->pid_file);
        if (l->spec->annotations)
                s->annotations = strv_copy(l->spec->annotations);
        if (created)
                s->created = strdup(created);
        else
                r = state_now_rfc3339(&s->created);
        if (r < 0 || !s->created || !s->oci_version || !s->id || !s->bundle || !s->rootfs ||
            (l->pid_file && !s->pid_file) || (l->spec->annotations && !s->annotations))
                return log_oom();
        return 0;
}

/* The text the Spec was parsed from, not a second read of the bundle: that could have changed
 * since. */
static int launch_save_config(const Launch *l, int dir_fd) {
        int r;

        r = write_file_atomic_at(dir_fd, STATE_CONFIG, l->config_text, l->config_size, 0600);
        if (r < 0)
                return log_error_errno(r, "Failed to save the config of container '%s': %m", l->opts->id);
        /* exec loads this same program. */
        return l->seccomp ? seccomp_filter_save(l->seccomp, dir_fd) : 0;
}

/* After a failed create, nothing of it may stay: SIGKILL and reap every child we have (berth has no
 * other children while it creates). */
static void kill_and_reap_children(void) {
        for (int round = 0; round < 16; round++) {
                char path[64], buf[4096];
                _cleanup_close_ int fd = -EBADF;
                bool any = false;
                int n;

                snprintf(path, sizeof path, "/proc/self/task/%d/children", (int) getpid());
                fd = open(path, O_RDONLY | O_CLOEXEC);
                n = fd < 0 ? -1 : loop_read(fd, buf, sizeof buf - 1);
                if (n > 0) {
                        buf[n] = 0;
                        for (char *p = buf, *w; (w = strsep(&p, " \n"));) {
                                int pid;

                                if (safe_atoi(w, &pid) >= 0 && pid > 0) {
                                        (void) kill(pid, SIGKILL);
                                        any = true;
                                }
                        }
                }
                while (waitpid(-1, NULL, __WALL | (any ? 0 : WNOHANG)) > 0)
                        ;
                if (!any)
                        return;
        }
}

/* Returns the init pid (> 0) on success. The state dir is locked by the caller. */
static int launch_container(Launch *l, int dir_fd) {
        _cleanup_(pid_kill_and_reapp) pid_t stage1 = 0;
        pid_t init = 0;
        int status, r;

        /* create: the init waits on a socket in the state dir that start connects to. run
         * starts it right away over the sync socket instead. */
        if (!l->opts->foreground && !l->opts->detach) {
                r = release_socket_listen(dir_fd, &l->listen_fd);
                if (r < 0)
                        return log_error_errno(r, "Failed to create the release socket: %m");
        }
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, l->sync_fd) < 0)
                return log_error_errno(errno, "Failed to create the sync socket: %m");
        /* The init is a grandchild; as subreaper we get it back when stage 1 exits. */
        if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                return log_error_errno(errno, "Failed to become a subreaper: %m");

        if (launch_can_clone_directly(l)) {
                /* Nothing to join, no id maps to write: one clone() makes the init in all its new
                 * namespaces at once, saving stage 1's fork. */
                struct clone_args ca = {
                        /* Not the cgroup namespace: it is rooted where its creator is, and the init
                         * joins the container's cgroup first (child_begin()). */
                        .flags = (uint64_t) (l->new_ns_flags & ~CLONE_NEWCGROUP),
                        .exit_signal = SIGCHLD,
                };

                init = (pid_t) syscall(SYS_clone3, &ca, sizeof ca);
                if (init < 0)
                        return log_error_errno(errno, "Failed to create the container init: %m");
                if (init == 0) {
                        child_begin(l);
                        if ((l->new_ns_flags & CLONE_NEWCGROUP) && !launch_cgroupns_late(l) &&
                            unshare(CLONE_NEWCGROUP) < 0) {
                                log_error_errno(errno, "Failed to create the cgroup namespace: %m");
                                _exit(EXIT_FAILURE);
                        }
                        init_main(l);
                }
        } else {
                stage1 = fork();
                if (stage1 < 0)
                        return log_error_errno(errno, "Failed to fork: %m");
                if (stage1 == 0)
                        stage1_main(l);
        }
        l->sync_fd[1] = safe_close(l->sync_fd[1]);
        l->listen_fd = safe_close(l->listen_fd);
        cgroup_close_join_fds(&l->cg);
        /* The init (or stage 1, which forks it) has its copies of the host sources. */
        mount_plan_close_fds(&l->plan);

        r = parent_sync(l, stage1, dir_fd, &init);
        if (r < 0) {
                /* Stage 1 may be waiting for us (for the id maps): never wait for it, end it. Our
                 * end of the sync socket closes, so a child we don't know of yet ends on EPIPE;
                 * as subreaper we inherit and reap it. */
                l->sync_fd[0] = safe_close(l->sync_fd[0]);
                pid_kill_and_reap(TAKE_PID(stage1));
                kill_and_reap_children();
                return r;
        }
        if (stage1 > 0)
                (void) wait_for_pid(TAKE_PID(stage1), &status);
        return init;
}

/* The cgroup record goes before the cgroup: a create killed at any point leaves no cgroup that
 * delete --force cannot find. */
static int launch_record_cgroup(const Launch *l, int dir_fd) {
        ContainerState s = {
                .cgroup_manager = l->cg.type,
                .cgroup_mode = l->cg.mode,
                .cgroup_path = l->cg.path,
                .cgroup_unit = l->cg.unit,
        };
        int r;

        r = state_record_cgroup(dir_fd, &s);
        if (r < 0)
                return log_error_errno(r, "Failed to record the cgroup of container '%s': %m", l->opts->id);
        return 0;
}

/* As runc: without privileges over the cgroup tree (an unprivileged caller) a container that asks
 * for no limits runs without a cgroup; one that asks for limits fails, naming why. */
static int launch_create_cgroup(Launch *l, int dir_fd) {
        int r;

        r = l->cg.manager->create(&l->cg, l->res);
        if (IN_SET(r, -EACCES, -EPERM, -EROFS) && geteuid() != 0 && l->cg.type == CGROUP_MANAGER_CGROUPFS &&
            cgroup_resources_limit_nothing(l->res)) {
                (void) l->cg.manager->destroy(&l->cg);
                (void) unlinkat(dir_fd, STATE_CGROUP_RECORD, 0);
                log_debug("No permission to create cgroup '%s' and no limits asked for: running without one",
                          l->cg.path);
                cgroup_done(&l->cg);
                return cgroup_init(&l->cg, CGROUP_MANAGER_DISABLED, NULL, l->opts->id);
        }
        return r;
}

typedef struct Created {
        int dir_fd;
        pid_t init;
        ContainerState *state;
        Spec *spec;
        int pty_master;
        int sync_fd;             /* run: the parent end, to tell the init to start */
        bool fixed_console_size; /* process.consoleSize was given */
} Created;

static void created_done(Created *c) {
        c->dir_fd = safe_close(c->dir_fd);
        c->state = container_state_free(c->state);
        c->spec = spec_free(c->spec);
        c->pty_master = safe_close(c->pty_master);
        c->sync_fd = safe_close(c->sync_fd);
}

static int create_locked(const ContainerOptions *o, Created *ret) {
        _cleanup_(launch_done) Launch l;
        _cleanup_close_ int root_fd = -EBADF, dir_fd = -EBADF;
        sigset_t abort_sigs;
        int r;

        launch_init(&l, o);
        r = launch_prepare(&l);
        if (r < 0)
                return r;
        r = state_root_open(o->root, /* create= */ true, &root_fd);
        if (r < 0)
                return r;
        /* Held (blocked) by our caller: read here instead, so that they abort the create. */
        sigemptyset(&abort_sigs);
        sigaddset(&abort_sigs, SIGTERM);
        sigaddset(&abort_sigs, SIGINT);
        sigaddset(&abort_sigs, SIGHUP);
        l.signal_fd = signalfd(-1, &abort_sigs, SFD_CLOEXEC | SFD_NONBLOCK);
        if (l.signal_fd < 0)
                return log_error_errno(errno, "Failed to create a signalfd: %m");
        r = state_dir_create(root_fd, o->id, &dir_fd);
        if (r < 0)
                return r;
        l.state_fds[0] = root_fd;
        l.state_fds[1] = dir_fd;
        r = launch_save_config(&l, dir_fd);
        if (r >= 0)
                r = launch_record_cgroup(&l, dir_fd);
        if (r >= 0)
                r = launch_create_cgroup(&l, dir_fd);
        /* The cgroup mount shows a hierarchy writable only if the init is in a cgroup of its own there
         * (mount.c, cgroup_tree_mount_one()); known only now (a failed create may mean none). */
        for (size_t i = 0; r >= 0 && i < l.plan.n_ops; i++)
                l.plan.ops[i].cgroup_joined = l.plan.ops[i].type == MOUNT_OP_CGROUP &&
                                              l.cg.type != CGROUP_MANAGER_DISABLED;
        if (r >= 0)
                r = notify_bind(&l.notify, dir_fd);
        if (r >= 0)
                r = launch_container(&l, dir_fd);
        if (r > 0)
                r = launch_notify(&l, r);
        if (r > 0 && !o->foreground && !o->detach) {
                pid_t init = r;

                /* create: all is recorded; from now on the init outlives us and waits for start.
                 * It drops its parent-death signal, then closes its end: wait for that, or our
                 * exit would still kill it. */
                r = sync_send(l.sync_fd[0], SYNC_HANDOVER, init, l.state->created);
                if (r >= 0) {
                        char text[SYNC_TEXT_MAX];
                        SyncType t;
                        int e;

                        r = sync_recv(l.sync_fd[0], &t, &e, text, sizeof text, NULL);
                        r = r == -EPIPE ? 0 : r < 0 ? r : -EPROTO;
                }
                if (r < 0) {
                        log_error_errno(r, "Failed to hand over the init of container '%s': %m", o->id);
                        pid_kill_and_reap(init);
                } else
                        r = init;
        }
        if (r < 0) {
                if (l.pid_file_written)
                        container_remove_pid_file(l.pid_file, l.state ? l.state->pid : 0);
                /* Nothing of ours runs any more (the children are reaped); whatever else got into
                 * the cgroup is killed with it. */
                (void) l.cg.manager->kill_all(&l.cg, SIGKILL);
                (void) l.cg.manager->destroy(&l.cg);
                (void) state_dir_remove(root_fd, dir_fd, o->id);
                return r;
        }
        if (ret) {
                bool fixed = l.spec->process->has_console_size;

                *ret = (Created) {
                        .dir_fd = TAKE_FD(dir_fd),
                        .init = r,
                        .state = TAKE_PTR(l.state),
                        .spec = TAKE_PTR(l.spec), /* for poststart and poststop */
                        .pty_master = TAKE_FD(l.pty_master),
                        .sync_fd = TAKE_FD(l.sync_fd[0]),
                        .fixed_console_size = fixed,
                };
        }
        return 0;
}

int container_create(const ContainerOptions *o) {
        sigset_t all, old;
        int r;

        /* No signal may leave a half-made container behind: hold them until we are done. */
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        r = create_locked(o, NULL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return r;
}

/* ---- run ------------------------------------------------------------------------------------ */

#define RUN_GATE_TIMEOUT_MS 10000

/* The gate's keeper (see run_gated()): a child of run that waits until run has exited and been
 * reaped, then lets the init execve(). Signal 0 reaches a zombie too; only a reaped process is
 * ESRCH. Whoever started run waits for it and reaps it at once (systemd right after it read the
 * PID file, in the same SIGCHLD dispatch): a few 1 ms naps at most. A caller that never reaps
 * delays the process by RUN_GATE_TIMEOUT_MS, no more. */
static uint64_t monotonic_ms(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000U + (uint64_t) ts.tv_nsec / 1000000U;
}

_noreturn_ static void run_gate_keeper(int sync_fd, int pidfd) {
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        int lo = sync_fd < pidfd ? sync_fd : pidfd, hi = sync_fd < pidfd ? pidfd : sync_fd, null;
        uint64_t deadline = monotonic_ms() + RUN_GATE_TIMEOUT_MS;

        /* Nothing of run's but these two: not the state dir's flock, not the relay's pipes, not
         * the caller's stdio (a caller reading run's output to its end would wait for us). */
        (void) syscall(SYS_close_range, 3U, (unsigned) lo - 1, 0U);
        (void) syscall(SYS_close_range, (unsigned) lo + 1, (unsigned) hi - 1, 0U);
        (void) syscall(SYS_close_range, (unsigned) hi + 1, ~0U, 0U);
        null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
                for (int fd = 0; fd < 3; fd++)
                        (void) dup2(null, fd);
                if (null > 2)
                        (void) close(null);
        }
        (void) prctl(PR_SET_NAME, "berth-gate");
        /* RUN_GATE_TIMEOUT_MS in all: for run to exit, then for it to be reaped. */
        if (poll(&p, 1, RUN_GATE_TIMEOUT_MS) > 0)
                while (monotonic_ms() < deadline) {
                        if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0 && errno == ESRCH)
                                break;
                        (void) poll(NULL, 0, 1);
                }
        (void) sync_send(sync_fd, SYNC_EXEC, 0, NULL);
        _exit(EXIT_SUCCESS);
}

/* Leaves the release of the gated init to a keeper; without one, releases it now. */
static void run_gate_hand_off(int sync_fd) {
        _cleanup_close_ int pidfd = -EBADF;
        pid_t pid = -1;

        pidfd = (int) syscall(SYS_pidfd_open, getpid(), 0);
        if (pidfd >= 0)
                pid = fork();
        if (pid == 0)
                run_gate_keeper(sync_fd, pidfd);
        if (pid < 0) {
                log_debug_errno(errno, "Failed to start the exec gate's keeper, releasing the process now: %m");
                (void) sync_send(sync_fd, SYNC_EXEC, 0, NULL);
        }
}

/* The init's SYNC_READY from init_gate(): startContainer hooks passed, only execve() is left. */
static int run_wait_gate(int sync_fd, const char *id) {
        char text[SYNC_TEXT_MAX];
        SyncType t;
        int e, r;

        r = sync_recv(sync_fd, &t, &e, text, sizeof text, NULL);
        if (r == -EPIPE)
                return log_error_errno(SYNTHETIC_ERRNO(ECHILD),
                                       "The init of container '%s' exited before its process started", id);
        if (r < 0)
                return log_error_errno(r, "Failed to wait for the init of container '%s': %m", id);
        if (t != SYNC_READY)
                return log_error_errno(SYNTHETIC_ERRNO(EPROTO), "Unexpected message %u from the container", t);
        return 0;
}

int container_run(const ContainerOptions *o) {
        _cleanup_(created_done) Created c = { .dir_fd = -EBADF, .pty_master = -EBADF, .sync_fd = -EBADF };
        _cleanup_(relay_done) Relay relay = RELAY_NULL;
        TerminalState term = { .fd = -EBADF };
        sigset_t all, old;
        bool gated;
        int r, code;

        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        /* run -d under systemd: the container's output goes to the journal through a relay in
         * the unit's cgroup (src/journal/relay.h). */
        r = o->detach && !o->console_socket && relay_wanted() ? relay_start(&relay, o->id) : 0;
        if (r >= 0)
                r = create_locked(o, &c);
        if (r < 0)
                goto out;
        if (c.pty_master >= 0) {
                /* Size the pty like the caller's terminal unless the config fixed a size. */
                int tty = terminal_caller_tty();

                if (!c.fixed_console_size)
                        (void) terminal_copy_window_size(tty, c.pty_master);
                r = terminal_make_raw(tty, &term);
                if (r < 0)
                        goto fail;
        }
        r = sync_send(c.sync_fd, SYNC_START, c.init, c.state->created);
        if (r < 0) {
                log_error_errno(r, "Failed to start container '%s': %m", o->id);
                goto fail;
        }
        gated = c.spec && run_gated(o, c.spec);
        if (gated) {
                /* By SYNC_READY the init has dropped its parent-death signal and outlives us. */
                r = run_wait_gate(c.sync_fd, o->id);
                if (r < 0)
                        goto fail;
        } else if (o->detach || (c.spec && !hooks_empty(&c.spec->poststart))) {
                char b;

                /* poststart comes after the process started: the init's end of the sync socket
                 * closes on execve(). run -d returns only then, too: by then the init has
                 * dropped its parent-death signal and outlives us. */
                (void) recv(c.sync_fd, &b, 1, 0);
        }
        if (!gated)
                c.sync_fd = safe_close(c.sync_fd);
        relay_handover(&relay, c.init);
        container_post_hooks(o->root, c.dir_fd, c.state, c.spec, /* stop= */ false);
        if (gated) {
                /* After the relay's handover: the keeper holds none of its pipes. */
                run_gate_hand_off(c.sync_fd);
                c.sync_fd = safe_close(c.sync_fd);
        }
        if (o->detach)
                goto out;

        /* The init is our child by now (stage 1 is gone): only orphans would come to us. */
        if (o->no_subreaper)
                (void) prctl(PR_SET_CHILD_SUBREAPER, 0);
        /* Others may inspect, signal or even delete the container while it runs. */
        (void) flock(c.dir_fd, LOCK_UN);
        code = foreground_wait(&(ForegroundOptions) {
                .pid = c.init,
                .master = c.pty_master,
                .in_fd = STDIN_FILENO,
                .out_fd = STDOUT_FILENO,
        });
        terminal_restore(&term);
        (void) flock(c.dir_fd, LOCK_EX);
        /* --keep: it stays, "stopped", until delete (which runs poststop then). */
        if (!o->keep && faccessat(c.dir_fd, STATE_JSON, F_OK, 0) >= 0)
                r = container_delete_locked(o->root, c.dir_fd, c.state, c.spec, /* force= */ true);
        if (r >= 0)
                r = code;
        goto out;
fail:
        terminal_restore(&term);
        (void) container_delete_locked(o->root, c.dir_fd, c.state, c.spec, /* force= */ true);
out:
        sigprocmask(SIG_SETMASK, &old, NULL);
        return r;
}
