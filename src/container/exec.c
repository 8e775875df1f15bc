/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "console.h"
#include "container-internal.h"
#include "container.h"
#include "fd-util.h"
#include "log.h"
#include "lsm.h"
#include "path-util.h"
#include "process-util.h"
#include "process.h"
#include "seccomp-filter.h"
#include "spec.h"
#include "strv.h"
#include "sync.h"
#include "terminal.h"

/* Joined in this order: the user namespace first, since it may grant what joining the others
 * needs. */
static const struct {
        const char *name;
        int flag;
} exec_namespaces[] = {
        { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },     { "pid", CLONE_NEWPID },
        { "net", CLONE_NEWNET },   { "ipc", CLONE_NEWIPC },    { "uts", CLONE_NEWUTS },
        { "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

typedef struct Exec {
        const ExecOptions *opts;
        SpecProcess *process;
        int ns_fd[ELEMENTSOF(exec_namespaces)];
        int root_fd;    /* /proc/<init>/root: the container's root, entered after the mount ns */
        int sync_fd[2];
        int console_fd;
        int pty_master;
        char *pid_file;
        Cgroup cg; /* the init's cgroups, joined by stage 1 before anything else */
        SeccompFilter *seccomp; /* the one compiled at create, from the state dir */
        char *state_json;       /* the container's state, for a seccomp agent */
        int pid_pipe[2];        /* notify: stage 1 tells the process its host pid */
} Exec;

static void exec_done(Exec *e) {
        if (e->process)
                spec_process_free(e->process);
        e->process = NULL;
        for (size_t i = 0; i < ELEMENTSOF(e->ns_fd); i++)
                e->ns_fd[i] = safe_close(e->ns_fd[i]);
        e->root_fd = safe_close(e->root_fd);
        e->sync_fd[0] = safe_close(e->sync_fd[0]);
        e->sync_fd[1] = safe_close(e->sync_fd[1]);
        e->console_fd = safe_close(e->console_fd);
        e->pty_master = safe_close(e->pty_master);
        e->pid_file = mfree(e->pid_file);
        cgroup_done(&e->cg);
        e->seccomp = seccomp_filter_free(e->seccomp);
        e->state_json = mfree(e->state_json);
        e->pid_pipe[0] = safe_close(e->pid_pipe[0]);
        e->pid_pipe[1] = safe_close(e->pid_pipe[1]);
}

static int caps_add(char ***set, char **add) {
        STRV_FOREACH(c, add)
                if (strv_extend(set, *c) < 0)
                        return log_oom();
        return 0;
}

/* --env KEY=VALUE replaces KEY where the process has it (runc does), else it is added. */
static int env_set_all(char ***env, char **add) {
        STRV_FOREACH(a, add) {
                size_t klen = strcspn(*a, "=") + 1; /* "KEY=" */
                bool found = false;

                STRV_FOREACH(e, *env)
                        if (strncmp(*e, *a, klen) == 0) {
                                char *c = strdup(*a);

                                if (!c)
                                        return log_oom();
                                free(*e);
                                *e = c;
                                found = true;
                        }
                if (!found && strv_extend(env, *a) < 0)
                        return log_oom();
        }
        return 0;
}

/* The process: a process.json as given, or the container's own process with the flags applied
 * on top (runc's rules). The container's own is the one saved at create: the bundle may have been
 * edited or removed since, and editing it must not change what the next exec gets. */
static int exec_build_process(const ExecOptions *o, int dir_fd, const ContainerState *s, SpecProcess **ret) {
        _cleanup_(spec_process_freep) SpecProcess *p = NULL;
        int r;

        if (o->process_file) {
                _cleanup_free_ char *buf = NULL;
                _cleanup_close_ int fd = -EBADF;
                size_t len;

                /* A pipe or /dev/fd/N (`-p <(...)`, `-p /dev/stdin`) as well as a file, as runc
                 * takes them: read to EOF, size-capped. */
                fd = open(o->process_file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                r = fd < 0 ? -errno : read_full_stream(fd, SPEC_FILE_MAX, &buf, &len);
                if (r == -EBADFD)
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                               "Failed to read process file '%s': not a regular file, pipe, "
                                               "socket or character device", o->process_file);
                if (r == -EFBIG)
                        return log_error_errno(SYNTHETIC_ERRNO(EFBIG),
                                               "Failed to read process file '%s': larger than %u bytes",
                                               o->process_file, SPEC_FILE_MAX);
                if (r < 0)
                        return log_error_errno(r, "Failed to read process file '%s': %m", o->process_file);
                r = spec_parse_process(o->process_file, buf, len, &p);
                if (r < 0)
                        return r;
        } else {
                _cleanup_(spec_freep) Spec *spec = NULL;

                r = container_load_saved_config(dir_fd, s->id, &spec);
                if (r < 0)
                        return r;
                if (!spec->process)
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "The saved config of container '%s': "
                                               "process: expected an object", s->id);
                p = TAKE_PTR(spec->process);
                strv_free(p->args);
                p->args = strv_copy(o->args);
                if (!p->args)
                        return log_oom();
                p->terminal = o->tty;
                p->has_console_size = false;
        }
        r = env_set_all(&p->env, o->env);
        if (r < 0)
                return r;
        if (o->cwd) {
                free(p->cwd);
                p->cwd = strdup(o->cwd);
                if (!p->cwd)
                        return log_oom();
        }
        if (o->has_user) {
                p->user.uid = o->uid;
                p->user.gid = o->has_gid ? o->gid : 0;
        }
        if (o->n_additional_gids > 0) {
                free(p->user.additional_gids);
                p->user.additional_gids = calloc(o->n_additional_gids, sizeof(uint32_t));
                if (!p->user.additional_gids)
                        return log_oom();
                memcpy(p->user.additional_gids, o->additional_gids, o->n_additional_gids * sizeof(uint32_t));
                p->user.n_additional_gids = o->n_additional_gids;
        }
        if (o->caps) {
                SpecCapabilities *c = &p->capabilities;

                r = caps_add(&c->bounding, o->caps);
                if (r >= 0)
                        r = caps_add(&c->effective, o->caps);
                if (r >= 0)
                        r = caps_add(&c->permitted, o->caps);
                if (r >= 0)
                        r = caps_add(&c->ambient, o->caps);
                if (r < 0)
                        return r;
        }
        if (o->no_new_privs)
                p->no_new_privileges = true;
        if (o->apparmor) {
                free(p->apparmor_profile);
                p->apparmor_profile = strdup(o->apparmor);
                if (!p->apparmor_profile)
                        return log_oom();
        }
        if (o->process_label) {
                free(p->selinux_label);
                p->selinux_label = strdup(o->process_label);
                if (!p->selinux_label)
                        return log_oom();
        }
        if (!p->args || !p->args[0])
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "berth exec: no command given");
        if (!path_is_absolute(p->cwd))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "berth exec: --cwd: expected an absolute path, got '%s'",
                                       strempty(p->cwd));
        *ret = TAKE_PTR(p);
        return 0;
}

static int exec_open_namespaces(Exec *e, pid_t init) {
        char path[64];

        for (size_t i = 0; i < ELEMENTSOF(exec_namespaces); i++) {
                struct stat theirs, ours;
                int fd;

                snprintf(path, sizeof path, "/proc/%d/ns/%s", (int) init, exec_namespaces[i].name);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0) {
                        if (errno == ENOENT)
                                continue; /* a namespace type this kernel lacks */
                        return log_error_errno(errno, "Failed to open '%s': %m", path);
                }
                snprintf(path, sizeof path, "/proc/self/ns/%s", exec_namespaces[i].name);
                /* Joining our own namespace is a no-op, and for the user namespace an error. */
                if (fstat(fd, &theirs) >= 0 && stat(path, &ours) >= 0 && theirs.st_ino == ours.st_ino &&
                    theirs.st_dev == ours.st_dev) {
                        safe_close(fd);
                        continue;
                }
                e->ns_fd[i] = fd;
        }
        snprintf(path, sizeof path, "/proc/%d/root", (int) init);
        e->root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (e->root_fd < 0)
                return log_error_errno(errno, "Failed to open the root of the container: %m");
        return 0;
}

_noreturn_ static void exec_process_main(Exec *e) {
        _cleanup_free_ char *exe = NULL;
        int r;

        if (e->process->terminal && console_setup(e->process, e->sync_fd[1]) < 0)
                _exit(EXIT_FAILURE);
        if (e->pid_pipe[0] >= 0) {
                pid_t pid;

                e->pid_pipe[1] = safe_close(e->pid_pipe[1]);
                if (loop_read(e->pid_pipe[0], &pid, sizeof pid) != sizeof pid)
                        _exit(EXIT_FAILURE);
                if (seccomp_filter_set_message(e->seccomp, pid, e->state_json) < 0)
                        _exit(EXIT_FAILURE);
        }
        r = process_setup(e->process, e->opts->preserve_fds, 0, e->seccomp, &exe);
        if (r < 0)
                _exit(EXIT_FAILURE);
        if (sync_send(e->sync_fd[1], SYNC_READY, 0, NULL) < 0)
                _exit(EXIT_FAILURE);
        /* On success the close-on-exec sync socket tells the runtime by closing. */
        r = process_exec(e->process, exe, e->seccomp);
        log_error_errno(r, "exec: \"%s\": %m", exe);
        _exit(127);
}

/* Joins the namespaces, enters the container root, and forks the process (a pid namespace only
 * takes effect for children). */
_noreturn_ static void exec_stage1_main(Exec *e) {
        pid_t pid;

        /* Running the berth binary inside the container's namespaces: not dumpable, so its
         * processes cannot reach the host binary via /proc/PID/exe (CVE-2019-5736). */
        (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        e->sync_fd[0] = safe_close(e->sync_fd[0]);
        sync_log_to(e->sync_fd[1]);
        /* Into the container's cgroups first, as runc does: its limits hold for the process, and
         * kill --all, ps, pause and delete find it there. */
        if (cgroup_join_self(&e->cg) < 0)
                _exit(EXIT_FAILURE);

        for (size_t i = 0; i < ELEMENTSOF(exec_namespaces); i++) {
                if (e->ns_fd[i] < 0)
                        continue;
                if (setns(e->ns_fd[i], exec_namespaces[i].flag) < 0) {
                        log_error_errno(errno, "Failed to join the container's %s namespace: %m",
                                        exec_namespaces[i].name);
                        _exit(EXIT_FAILURE);
                }
        }
        /* Never leave the cwd or root outside the container (CVE-2024-21626). */
        if (fchdir(e->root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0) {
                log_error_errno(errno, "Failed to enter the container's root: %m");
                _exit(EXIT_FAILURE);
        }
        e->root_fd = safe_close(e->root_fd);
        pid = fork();
        if (pid < 0) {
                log_error_errno(errno, "Failed to fork: %m");
                _exit(EXIT_FAILURE);
        }
        if (pid == 0)
                exec_process_main(e);
        if (e->pid_pipe[1] >= 0)
                (void) loop_write(e->pid_pipe[1], &pid, sizeof pid);
        (void) sync_send(e->sync_fd[1], SYNC_PID, pid, NULL);
        _exit(EXIT_SUCCESS);
}

/* Returns the process' pid once it has called execve() successfully. */
static int exec_sync(Exec *e, pid_t *ret_pid) {
        char text[SYNC_TEXT_MAX];
        bool ready = false;
        pid_t pid = 0;
        SyncType t;
        int err, r;

        for (;;) {
                _cleanup_close_ int passed = -EBADF;

                r = sync_recv(e->sync_fd[0], &t, &err, text, sizeof text, &passed);
                if (r == -EPIPE) {
                        if (ready && pid > 0) {
                                *ret_pid = pid;
                                return 0;
                        }
                        r = log_error_errno(SYNTHETIC_ERRNO(ECHILD), "The exec'd process exited during setup");
                }
                if (r < 0)
                        goto fail;
                r = sync_relay_log(t, err, text);
                if (r < 0)
                        goto fail;
                if (r > 0)
                        continue;
                switch (t) {
                case SYNC_PID:
                        pid = err;
                        break;
                case SYNC_READY:
                        ready = true;
                        break;
                case SYNC_PTY_MASTER:
                        r = container_take_pty_master(&passed, &e->console_fd, &e->pty_master);
                        if (r < 0)
                                goto fail;
                        break;
                case SYNC_USERMAP_REQUEST:
                case SYNC_USERMAP_DONE:
                case SYNC_START:
                case SYNC_HOOKS_CREATE_RUNTIME:
                case SYNC_HOOKS_DONE:
                case SYNC_HANDOVER:
                case SYNC_EXEC:
                case SYNC_CGROUP_READY:
                case SYNC_ERROR:
                case SYNC_WARNING:
                case SYNC_DEBUG:
                default:
                        r = log_error_errno(SYNTHETIC_ERRNO(EPROTO), "Unexpected message %u from the container", t);
                        goto fail;
                }
        }
fail:
        if (pid > 0)
                pid_kill_and_reap(pid);
        return r;
}

static int exec_prepare(Exec *e, ContainerState **ret_state) {
        const ExecOptions *o = e->opts;
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_close_ int dir_fd = -EBADF, pidfd = -EBADF;
        ContainerStatus st;
        int r;

        r = container_open(o->root, o->id, /* lock= */ false, &dir_fd, &s);
        if (r < 0)
                return r;
        r = container_state_usable(s);
        if (r < 0)
                return r;
        st = state_status(dir_fd, s);
        if (st != CONTAINER_CREATED && st != CONTAINER_RUNNING)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Cannot exec in container '%s': it is %s", o->id,
                                       container_status_to_string(st));
        r = exec_build_process(o, dir_fd, s, &e->process);
        if (r < 0)
                return r;
        /* Name where the label came from: the flag, the process file or the saved config. */
        r = lsm_check(o->apparmor || o->process_label ? "berth exec" : o->process_file ?: "the saved config",
                      e->process->apparmor_profile, e->process->selinux_label, /* mount_label= */ NULL);
        if (r < 0)
                return r;
        /* The filter the init got, compiled at create; a NOTIFY agent gets this process too. */
        r = seccomp_filter_read(dir_fd, &e->seccomp);
        if (r < 0)
                return r;
        if (e->seccomp && e->seccomp->notify) {
                r = state_to_json(s, st, /* pretty= */ false, &e->state_json);
                if (r < 0)
                        return log_oom();
                r = seccomp_filter_connect(e->seccomp);
                if (r < 0)
                        return r;
                if (pipe2(e->pid_pipe, O_CLOEXEC) < 0)
                        return log_error_errno(errno, "Failed to create a pipe: %m");
        }
        if (e->process->terminal && o->detach && !o->console_socket)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "berth exec: a terminal (-t or process.terminal) with --detach needs "
                                       "--console-socket");
        if (o->console_socket && !e->process->terminal)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "berth exec: --console-socket needs a terminal (-t)");
        r = container_check_fds_open(3, o->preserve_fds, "--preserve-fds");
        if (r < 0)
                return r;
        if (o->pid_file) {
                r = path_make_absolute_cwd(o->pid_file, &e->pid_file);
                if (r < 0)
                        return log_error_errno(r, "Failed to resolve the pid file path: %m");
        }
        /* The pidfd pins the init while we open its namespaces: they are the container's. */
        r = container_pidfd_open(s, &pidfd);
        if (r < 0)
                return log_error_errno(SYNTHETIC_ERRNO(ESRCH), "Cannot exec in container '%s': it is stopped", o->id);
        r = exec_open_namespaces(e, s->pid);
        if (r < 0)
                return r;
        if (s->cgroup_manager != CGROUP_MANAGER_DISABLED) {
                e->cg.id = s->id;
                e->cg.mode = s->cgroup_mode;
                r = cgroup_open_join_fds_of(&e->cg, s->pid);
                if (r < 0)
                        return r;
        }
        if (!pid_is_alive(s->pid, s->pid_start_time))
                return log_error_errno(SYNTHETIC_ERRNO(ESRCH), "Cannot exec in container '%s': it is stopped", o->id);
        if (o->console_socket) {
                r = console_socket_connect(o->console_socket, &e->console_fd);
                if (r < 0)
                        return r;
        }
        *ret_state = TAKE_PTR(s);
        return 0;
}

static int exec_run(Exec *e) {
        _cleanup_(pid_kill_and_reapp) pid_t stage1 = 0;
        TerminalState term = { .fd = -EBADF };
        pid_t pid = 0;
        int r;

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, e->sync_fd) < 0)
                return log_error_errno(errno, "Failed to create the sync socket: %m");
        /* The process is stage 1's child; as subreaper we get it back to wait for it. */
        if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                return log_error_errno(errno, "Failed to become a subreaper: %m");
        stage1 = fork();
        if (stage1 < 0)
                return log_error_errno(errno, "Failed to fork: %m");
        if (stage1 == 0)
                exec_stage1_main(e);
        e->sync_fd[1] = safe_close(e->sync_fd[1]);
        /* Only stage 1 writes it: if it dies first, the process reads EOF and gives up. */
        e->pid_pipe[0] = safe_close(e->pid_pipe[0]);
        e->pid_pipe[1] = safe_close(e->pid_pipe[1]);

        r = exec_sync(e, &pid);
        (void) wait_for_pid(TAKE_PID(stage1), NULL);
        if (r < 0)
                return r;
        if (e->pid_file) {
                r = container_write_pid_file(e->pid_file, pid);
                if (r < 0) {
                        pid_kill_and_reap(pid);
                        return r;
                }
        }
        if (e->opts->detach)
                return 0;

        if (e->pty_master >= 0) {
                int tty = terminal_caller_tty();

                (void) terminal_copy_window_size(tty, e->pty_master);
                r = terminal_make_raw(tty, &term);
                if (r < 0) {
                        pid_kill_and_reap(pid);
                        return r;
                }
        }
        r = foreground_wait(&(ForegroundOptions) {
                .pid = pid,
                .master = e->pty_master,
                .in_fd = STDIN_FILENO,
                .out_fd = STDOUT_FILENO,
        });
        terminal_restore(&term);
        return r;
}

int container_exec(const ExecOptions *o) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_(exec_done) Exec e = {
                .opts = o,
                .root_fd = -EBADF,
                .sync_fd = { -EBADF, -EBADF },
                .console_fd = -EBADF,
                .pty_master = -EBADF,
                .pid_pipe = { -EBADF, -EBADF },
        };
        sigset_t all, old;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(e.ns_fd); i++)
                e.ns_fd[i] = -EBADF;
        r = exec_prepare(&e, &s);
        if (r < 0)
                return r;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        r = exec_run(&e);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return r;
}
