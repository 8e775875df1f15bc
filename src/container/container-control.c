/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Commands on an existing container: open its state, start, kill, delete. container.c makes
 * containers; this file works on them through what create recorded (DESIGN.md §3: only what berth
 * wrote is trusted, and a process is signalled only when it is still the recorded init). */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "cgroup.h"
#include "container-internal.h"
#include "container.h"
#include "fd-util.h"
#include "fs-util.h"
#include "hooks.h"
#include "log.h"
#include "parse-util.h"
#include "process-util.h"
#include "socket-util.h"
#include "spec.h"
#include "state-store.h"

int container_open(const char *root, const char *id, bool lock, int *ret_dir_fd, ContainerState **ret) {
        _cleanup_close_ int root_fd = -EBADF, dir_fd = -EBADF;
        int r;

        if (!container_id_valid(id))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Invalid container id '%s'", id);
        r = state_root_open(root, /* create= */ false, &root_fd);
        if (r == -ENOENT)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "Container '%s' does not exist", id);
        if (r < 0)
                return r;
        r = state_dir_open(root_fd, id, lock, &dir_fd);
        if (r < 0)
                return r;
        r = state_read(dir_fd, id, lock, ret);
        if (r == -EBUSY)
                return log_error_errno(SYNTHETIC_ERRNO(EBUSY), "Container '%s' is still being created", id);
        if (r < 0)
                return log_error_errno(r, "Failed to read the state of container '%s': %m", id);
        *ret_dir_fd = TAKE_FD(dir_fd);
        return 0;
}

int container_state_usable(const ContainerState *s) {
        if (!s->corrupt)
                return 0;
        return log_error_errno(SYNTHETIC_ERRNO(EBADMSG), "Container '%s' is unusable: %s ('berth delete --force %s' "
                               "removes it)", s->id, s->corrupt, s->id);
}

static int release_init(int dir_fd, const char *id) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa;
        char c;
        int r;

        r = sockaddr_un_at(dir_fd, STATE_RELEASE_SOCKET, &sa);
        if (r < 0)
                return log_error_errno(r, "Failed to address the release socket of '%s': %m", id);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return log_error_errno(errno, "Failed to create a socket: %m");
        if (connect(fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                return log_error_errno(errno, "Failed to start container '%s': its init is not waiting: %m", id);
        /* Connected: the init is released whatever happens to us now, so the container is no
         * longer "created". */
        (void) unlinkat(dir_fd, STATE_RELEASE_SOCKET, 0);
        r = loop_read(fd, &c, 1);
        if (r <= 0)
                return log_error_errno(r < 0 ? r : SYNTHETIC_ERRNO(ECHILD),
                                       "Failed to start container '%s': its init went away (a failing "
                                       "startContainer hook?)", id);
        /* The byte comes after the startContainer hooks; the end of the stream when execve() closed
         * the connection: then the process runs, and poststart may follow. */
        (void) loop_read(fd, &c, 1);
        return 0;
}

int container_load_saved_config(int dir_fd, const char *id, Spec **ret) {
        _cleanup_free_ char *text = NULL;
        char name[64 + CONTAINER_ID_MAX];
        size_t len;
        int r;

        r = state_read_file(dir_fd, STATE_CONFIG, SPEC_FILE_MAX, &text, &len);
        if (r == -ENOENT)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "Container '%s' has no saved config", id);
        if (r < 0)
                return r;
        snprintf(name, sizeof name, "the saved config of container '%s'", id);
        return spec_parse(name, text, len, ret);
}

/* poststart (running) or poststop (stopped), in the runtime's namespaces; failures are warnings.
 * spec NULL: the config saved at create, if there is one. */
void container_post_hooks(const char *root, int dir_fd, const ContainerState *s, const Spec *spec,
                                 bool stop) {
        _cleanup_(spec_freep) Spec *saved = NULL;
        _cleanup_free_ char *json = NULL;
        const SpecHookList *l;

        if (!spec) {
                if (!s->post_hooks || container_load_saved_config(dir_fd, s->id, &saved) < 0)
                        return;
                spec = saved;
        }
        l = stop ? &spec->poststop : &spec->poststart;
        if (hooks_empty(l))
                return;
        if (state_to_json(s, stop ? CONTAINER_STOPPED : CONTAINER_RUNNING, /* pretty= */ false, &json) < 0) {
                log_oom();
                return;
        }
        (void) hooks_run(l, stop ? "poststop" : "poststart", json, /* keep_going= */ true, /* abort_fd= */ -EBADF);
}

static int start_locked(const char *root, int dir_fd, ContainerState *s) {
        ContainerStatus st = state_status(dir_fd, s);
        int r;

        r = container_state_usable(s);
        if (r < 0)
                return r;
        if (st != CONTAINER_CREATED)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Cannot start container '%s': it is %s", s->id,
                                       container_status_to_string(st));
        /* The status is read from the kernel and the release socket, so there is nothing to
         * write: once the socket is gone the container is running. */
        r = release_init(dir_fd, s->id);
        if (r < 0)
                return r;
        container_post_hooks(root, dir_fd, s, /* spec= */ NULL, /* stop= */ false);
        return 0;
}

int container_start(const char *root, const char *id) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        int r;

        r = container_open(root, id, /* lock= */ true, &dir_fd, &s);
        if (r < 0)
                return r;
        return start_locked(root, dir_fd, s);
}

int container_pidfd_open(const ContainerState *s, int *ret) {
        int fd;

        if (s->pid <= 0)
                return -ESRCH;
        fd = (int) syscall(SYS_pidfd_open, s->pid, 0);
        if (fd < 0)
                return -errno;
        /* The pidfd pins the process; if the start time still matches now, it is ours. */
        if (!pid_is_alive(s->pid, s->pid_start_time)) {
                safe_close(fd);
                return -ESRCH;
        }
        *ret = fd;
        return 0;
}

/* Without a cgroup of its own (that comes with the cgroup managers), a container that shares the
 * host's pid namespace is known by its process tree: the init and everything below it. */
static int kill_descendants(pid_t init, int sig) {
        _cleanup_free_ pid_t *pids = NULL, *ppids = NULL, *todo = NULL;
        size_t n = 0, alloc = 0, nt = 0;
        DIR *d;

        d = opendir("/proc");
        if (!d)
                return -errno;
        for (struct dirent *de; (de = readdir(d));) {
                char path[64], buf[512], *p;
                _cleanup_close_ int fd = -EBADF;
                int pid, ppid, l;

                if (safe_atoi(de->d_name, &pid) < 0 || pid <= 0)
                        continue;
                snprintf(path, sizeof path, "/proc/%d/stat", pid);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                l = loop_read(fd, buf, sizeof buf - 1);
                if (l <= 0)
                        continue;
                buf[l] = 0;
                p = strrchr(buf, ')');
                if (!p || sscanf(p + 2, "%*c %d", &ppid) != 1)
                        continue;
                if (n >= alloc) {
                        size_t na = alloc ? alloc * 2 : 256;
                        pid_t *a = realloc(pids, na * sizeof(pid_t)), *b;

                        if (!a) {
                                closedir(d);
                                return -ENOMEM;
                        }
                        pids = a;
                        b = realloc(ppids, na * sizeof(pid_t));
                        if (!b) {
                                closedir(d);
                                return -ENOMEM;
                        }
                        ppids = b;
                        alloc = na;
                }
                pids[n] = pid;
                ppids[n] = ppid;
                n++;
        }
        closedir(d);
        todo = malloc((n + 1) * sizeof(pid_t));
        if (!todo)
                return -ENOMEM;
        todo[nt++] = init;
        for (size_t i = 0; i < nt; i++)
                for (size_t j = 0; j < n; j++)
                        if (ppids[j] == todo[i] && pids[j] != init && nt <= n)
                                todo[nt++] = pids[j];
        for (size_t i = 1; i < nt; i++)
                (void) kill(todo[i], sig);
        return 0;
}

static int kill_all_in_pidns(const ContainerState *s, int sig) {
        char path[64];
        struct stat init_ns, self_ns, st;
        DIR *d;

        snprintf(path, sizeof path, "/proc/%d/ns/pid", (int) s->pid);
        if (stat(path, &init_ns) < 0 || stat("/proc/self/ns/pid", &self_ns) < 0)
                return -errno;
        if (init_ns.st_ino == self_ns.st_ino)
                return kill_descendants(s->pid, sig);
        d = opendir("/proc");
        if (!d)
                return -errno;
        for (struct dirent *de; (de = readdir(d));) {
                int pid;

                if (safe_atoi(de->d_name, &pid) < 0 || pid <= 0)
                        continue;
                snprintf(path, sizeof path, "/proc/%d/ns/pid", pid);
                if (stat(path, &st) >= 0 && st.st_ino == init_ns.st_ino && st.st_dev == init_ns.st_dev)
                        (void) kill(pid, sig);
        }
        closedir(d);
        return 0;
}

int container_cgroup_open(const ContainerState *s, Cgroup *ret) {
        int r;

        /* An unusable state has the cgroup of the cgroup record, or none. */
        r = cgroup_open(ret, s->cgroup_manager, s->cgroup_mode, s->cgroup_path, s->cgroup_unit, s->id);
        if (r < 0)
                return log_oom();
        return 0;
}

/* Every process of the container: through its cgroup when it has one (a daemonized child of a
 * container without a pid namespace is found there too), else by pid namespace or process tree. */
static void kill_every_process(const ContainerState *s, int sig) {
        _cleanup_(cgroup_done) Cgroup cg = {};

        if (container_cgroup_open(s, &cg) >= 0 && cg.type != CGROUP_MANAGER_DISABLED &&
            cg.manager->kill_all(&cg, sig) >= 0)
                return;
        if (pid_is_alive(s->pid, s->pid_start_time))
                (void) kill_all_in_pidns(s, sig);
}

int container_kill(const char *root, const char *id, int sig, bool all) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_close_ int dir_fd = -EBADF, pidfd = -EBADF;
        int r;

        r = container_open(root, id, /* lock= */ false, &dir_fd, &s);
        if (r < 0)
                return r;
        r = container_state_usable(s);
        if (r < 0)
                return r;
        r = container_pidfd_open(s, &pidfd);
        if (r < 0)
                return log_error_errno(SYNTHETIC_ERRNO(ESRCH), "Container '%s' is not running", id);
        if (all)
                kill_every_process(s, sig);
        if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 && !(all && errno == ESRCH))
                return log_error_errno(errno, "Failed to send signal %d to container '%s': %m", sig, id);
        return 0;
}

static int kill_and_wait(const ContainerState *s) {
        _cleanup_close_ int pidfd = -EBADF;
        struct pollfd p;
        int r;

        r = container_pidfd_open(s, &pidfd);
        if (r == -ESRCH)
                return 0;
        if (r < 0)
                return log_error_errno(r, "Failed to open the init of container '%s': %m", s->id);
        /* A frozen cgroup is thawed by the cgroup kill, or SIGKILL would wait for a resume. */
        kill_every_process(s, SIGKILL);
        if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0 && errno != ESRCH)
                return log_error_errno(errno, "Failed to kill container '%s': %m", s->id);
        p = (struct pollfd) { .fd = pidfd, .events = POLLIN };
        for (int i = 0; i < 100; i++) {
                /* Readable once the process has exited; a zombie that nobody reaps counts as gone. */
                if (poll(&p, 1, 100) > 0 || !pid_is_alive(s->pid, s->pid_start_time))
                        return 0;
        }
        return log_error_errno(SYNTHETIC_ERRNO(ETIMEDOUT), "Timed out waiting for container '%s' to die", s->id);
}

void container_remove_pid_file(const char *path, pid_t pid) {
        _cleanup_free_ char *buf = NULL, *name = NULL;
        _cleanup_close_ int dfd = -EBADF;
        int file_pid;

        /* Through the directory's fd, and only while it still holds our pid: a pid file that
         * something else rewrote since (or a symlink put in its place) is not ours to remove. */
        if (pid <= 0 || open_parent(path, &dfd, &name) < 0)
                return;
        if (read_full_file_at(dfd, name, 64, &buf, NULL) < 0)
                return;
        buf[strcspn(buf, "\n")] = 0;
        if (safe_atoi(buf, &file_pid) < 0 || file_pid != pid)
                return;
        if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
                log_warning_errno(errno, "Failed to remove pid file '%s', ignoring: %m", path);
}

/* What is left in the cgroup once the init is gone (daemonized children of a container that shares
 * the host's pid namespace) is killed, as runc does, and the cgroup or scope removed. */
static int delete_cgroup(const ContainerState *s) {
        _cleanup_(cgroup_done) Cgroup cg = {};
        int r;

        r = container_cgroup_open(s, &cg);
        if (r < 0 || cg.type == CGROUP_MANAGER_DISABLED)
                return r;
        if (cg.type != CGROUP_MANAGER_SYSTEMD)
                (void) cg.manager->kill_all(&cg, SIGKILL);
        return cg.manager->destroy(&cg);
}

/* spec: the config for poststop hooks; NULL: the one saved at create, if any. The pid file stays,
 * as with runc and crun (systemd removes a stopped service's PIDFile= itself). */
int container_delete_locked(const char *root, int dir_fd, const ContainerState *s, const Spec *spec, bool force) {
        _cleanup_close_ int root_fd = -EBADF;
        ContainerStatus st = state_status(dir_fd, s);
        bool alive;
        int r = 0, k;

        /* An unusable state still names the init (init record): alive, it counts as running. */
        alive = st == CONTAINER_UNKNOWN ? pid_is_alive(s->pid, s->pid_start_time) : st != CONTAINER_STOPPED;
        if (alive && !force && st != CONTAINER_CREATED)
                return log_error_errno(SYNTHETIC_ERRNO(EBUSY),
                                       "cannot delete container '%s' that is %s; stop it first or use --force",
                                       s->id, st == CONTAINER_UNKNOWN ? "running (its state is unusable)" :
                                       container_status_to_string(st));
        if (alive)
                RET_GATHER(r, kill_and_wait(s));
        RET_GATHER(r, delete_cgroup(s));
        /* The container is gone; its state dir still holds the saved config. */
        if (!s->corrupt)
                container_post_hooks(root, dir_fd, s, spec, /* stop= */ true);
        k = state_root_open(root, /* create= */ false, &root_fd);
        if (k < 0)
                return k == -ENOENT ? log_error_errno(k, "Failed to open state directory '%s': %m", root) : k;
        RET_GATHER(r, state_dir_remove(root_fd, dir_fd, s->id));
        if (r < 0)
                return log_error_errno(r, "Failed to delete container '%s': %m", s->id);
        return 0;
}

int container_delete(const char *root, const char *id, bool force) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        int r;

        if (force && container_id_valid(id)) {
                /* As runc: --force on a container that is already gone succeeds (podman deletes
                 * with --force after failed creates and after exits). */
                _cleanup_close_ int root_fd = -EBADF;

                r = state_root_open(root, /* create= */ false, &root_fd);
                if (r == -ENOENT)
                        return 0;
                if (r < 0)
                        return r;
                /* What creates of this id killed before their dir was in place left behind. */
                state_dir_remove_stale(root_fd, id);
                if (faccessat(root_fd, id, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                        return 0;
        }
        r = container_open(root, id, /* lock= */ true, &dir_fd, &s);
        if (r == -ENOENT && force)
                return 0; /* deleted by someone else while we waited for the lock */
        if (r < 0)
                return r;
        return container_delete_locked(root, dir_fd, s, /* spec= */ NULL, force);
}
