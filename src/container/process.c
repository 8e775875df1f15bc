/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "caps.h"
#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "lsm.h"
#include "process.h"
#include "seccomp-filter.h"
#include "strv.h"

int process_set_rlimits(const SpecProcess *p) {
        for (size_t i = 0; i < p->n_rlimits; i++) {
                struct rlimit rl = { .rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard };

                if (setrlimit(p->rlimits[i].resource, &rl) < 0)
                        return log_error_errno(errno, "Failed to set rlimit %d (soft %llu, hard %llu): %m%s",
                                               p->rlimits[i].resource, (unsigned long long) rl.rlim_cur,
                                               (unsigned long long) rl.rlim_max,
                                               errno == EPERM ? " (raising a hard limit needs CAP_SYS_RESOURCE)" : "");
        }
        return 0;
}

/* The image's /etc/passwd is the container's data: a FIFO there must not hang us, /dev/zero (a
 * symlink or bind mount) or a huge file must not eat our memory, and a symlink must not lead out of
 * the root. So it is resolved inside "/" (we are in the rootfs by now), opened non-blocking and read
 * only when it is a regular file of at most PASSWD_SIZE_MAX bytes. */
#define PASSWD_SIZE_MAX (4U * 1024U * 1024U)

static int passwd_home(uid_t uid, char **ret) {
        _cleanup_close_ int root_fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        char *line, *next;
        int r;

        root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return -errno;
        r = read_full_file_in_root(root_fd, "/etc/passwd", PASSWD_SIZE_MAX, &buf, NULL);
        if (r < 0)
                return r;
        for (line = buf; line; line = next) {
                char *fields[7] = {}, *s = line;
                uint32_t u;
                int i;

                next = strchr(line, '\n');
                if (next)
                        *next++ = 0;
                for (i = 0; i < 7 && s; i++)
                        fields[i] = strsep(&s, ":");
                if (i < 6 || !fields[2] || safe_atou32(fields[2], &u) < 0 || u != uid || !fields[5])
                        continue;
                if (!path_is_absolute(fields[5]))
                        return -ENOENT;
                *ret = strdup(fields[5]);
                return *ret ? 0 : -ENOMEM;
        }
        return -ENOENT;
}

int process_default_home(SpecProcess *p) {
        _cleanup_free_ char *home = NULL, *entry = NULL;
        int r;

        if (strv_env_get(p->env, "HOME"))
                return 0;
        r = passwd_home(p->user.uid, &home);
        if (r == -ENOMEM)
                return log_oom();
        /* As runc when there is no entry: HOME=/. */
        if (r == -EBADFD)
                log_warning("Failed to look up HOME in the container's /etc/passwd: not a regular file, ignoring");
        else if (r == -EFBIG)
                log_warning("Failed to look up HOME in the container's /etc/passwd: larger than %u bytes, ignoring",
                            PASSWD_SIZE_MAX);
        else if (r < 0 && r != -ENOENT)
                log_warning_errno(r, "Failed to look up HOME in the container's /etc/passwd, ignoring: %m");
        if (asprintf(&entry, "HOME=%s", home ?: "/") < 0)
                return log_oom();
        if (strv_consume(&p->env, TAKE_PTR(entry)) < 0)
                return log_oom();
        return 0;
}

int process_set_oom_score_adj(const SpecProcess *p) {
        char buf[16];
        int r;

        if (!p->has_oom_score_adj)
                return 0;
        snprintf(buf, sizeof buf, "%d", p->oom_score_adj);
        r = write_string_file_at(AT_FDCWD, "/proc/self/oom_score_adj", buf);
        if (r < 0)
                return log_error_errno(r, "Failed to set oom_score_adj to %d: %m%s", p->oom_score_adj,
                                       r == -EACCES ? " (lowering it needs CAP_SYS_RESOURCE)" : "");
        return 0;
}

static int check_executable(const char *path) {
        struct stat st;

        if (stat(path, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (access(path, X_OK) < 0)
                return -errno;
        return 0;
}

int process_find_executable(const SpecProcess *p, char **ret) {
        const char *name = p->args[0], *path_env;
        _cleanup_free_ char *copy = NULL;
        char *r_path;
        int r;

        if (strchr(name, '/')) {
                r = check_executable(name);
                if (r < 0)
                        return log_error_errno(r, "exec: \"%s\": stat %s: %m", name, name);
                r_path = strdup(name);
                if (!r_path)
                        return log_oom();
                *ret = r_path;
                return 0;
        }
        path_env = strv_env_get(p->env, "PATH");
        copy = strdup(path_env ?: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (!copy)
                return log_oom();
        for (char *s = copy, *dir; (dir = strsep(&s, ":"));) {
                _cleanup_free_ char *c = path_join(*dir ? dir : ".", name);

                if (!c)
                        return log_oom();
                if (check_executable(c) >= 0) {
                        *ret = TAKE_PTR(c);
                        return 0;
                }
        }
        return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "exec: \"%s\": executable file not found in $PATH", name);
}

int process_create_cwd(const SpecProcess *p) {
        _cleanup_close_ int cwd = -EBADF;
        int r;

        /* runc creates a missing cwd (as root, before the user switch). */
        r = mkdir_p_in_root(AT_FDCWD, p->cwd, false, &cwd);
        if (r < 0)
                return log_error_errno(r, "Failed to create the working directory '%s': %m", p->cwd);
        return 0;
}

/* The cwd is resolved inside the container's root ("/" here: after pivot_root or chroot), with no
 * magic links: "/proc/self/fd/N" naming a leaked host directory fd, or a symlink out of the root,
 * can never put the process in a host directory (CVE-2024-21626). */
static int open_cwd(const SpecProcess *p, int *ret_fd) {
        _cleanup_close_ int root = -EBADF;
        int r;

        root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return log_error_errno(errno, "Failed to open the container's root: %m");
        r = open_in_root(root, p->cwd, O_PATH | O_DIRECTORY, 0, ret_fd);
        if (r < 0)
                return log_error_errno(r, "Failed to open the working directory '%s' in the container: %m%s", p->cwd,
                                       r == -ELOOP ? " (a magic link or too many symlinks)" : "");
        return 0;
}

int process_set_user_and_cwd(const SpecProcess *p, const SeccompFilter *seccomp) {
        _cleanup_close_ int cwd = -EBADF;
        gid_t gids[SPEC_GIDS_MAX];
        bool entered;
        int r;

        r = open_cwd(p, &cwd);
        if (r < 0)
                return r;
        /* Entered while still root, as runc does: a cwd only root can traverse (/root, 0700)
         * works for any process user. */
        entered = fchdir(cwd) >= 0;

        for (size_t i = 0; i < p->user.n_additional_gids && i < SPEC_GIDS_MAX; i++)
                gids[i] = p->user.additional_gids[i];
        r = caps_drop_bounding(&p->capabilities);
        if (r < 0)
                return r;
        /* Keep the permitted set across the switch to a non-root uid; caps_apply() then sets
         * exactly what the config lists. */
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return log_error_errno(errno, "Failed to set keep-caps: %m");
        /* In a user namespace made without privilege setgroups(2) is denied: with no additional
         * groups asked for, there is nothing to set. */
        if (setgroups(p->user.n_additional_gids, gids) < 0 && !(errno == EPERM && p->user.n_additional_gids == 0))
                return log_error_errno(errno, "Failed to set additional groups: %m");
        if (setresgid(p->user.gid, p->user.gid, p->user.gid) < 0)
                return log_error_errno(errno, "Failed to set gid %u: %m", p->user.gid);
        if (setresuid(p->user.uid, p->user.uid, p->user.uid) < 0)
                return log_error_errno(errno, "Failed to set uid %u: %m", p->user.uid);
        (void) prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
        r = caps_apply(&p->capabilities, seccomp_filter_needs_sys_admin(seccomp, p->no_new_privileges));
        if (r < 0)
                return r;
        if (p->user.has_umask)
                umask((mode_t) p->user.umask);
        else
                umask(0022);
        if (!entered && fchdir(cwd) < 0)
                return log_error_errno(errno, "Failed to change to the working directory '%s': %m", p->cwd);
        if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return log_error_errno(errno, "Failed to set no_new_privs: %m");
        return 0;
}

int process_prepare_fds(unsigned preserve_fds) {
        /* Nothing of ours may reach the container: every fd past the ones it is given gets
         * close-on-exec (CVE-2024-21626 leaked a host directory fd this way). */
        if (syscall(SYS_close_range, 3 + preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                return log_error_errno(errno, "Failed to mark fds close-on-exec: %m");
        for (unsigned fd = 3; fd < 3 + preserve_fds; fd++)
                if (fcntl((int) fd, F_SETFD, 0) < 0)
                        return log_error_errno(errno, "Failed to pass fd %u: %m", fd);
        return 0;
}

static int set_listen_env(SpecProcess *p, unsigned listen_fds) {
        char *e;

        /* sd_listen_fds(3): the count, and the pid of the process that owns them, as seen in its
         * own pid namespace. */
        if (asprintf(&e, "LISTEN_FDS=%u", listen_fds) < 0 || strv_consume(&p->env, e) < 0)
                return log_oom();
        if (asprintf(&e, "LISTEN_PID=%d", (int) getpid()) < 0 || strv_consume(&p->env, e) < 0)
                return log_oom();
        return 0;
}

int process_setup(SpecProcess *p, unsigned pass_fds, unsigned listen_fds, const SeccompFilter *seccomp,
                  char **ret_exe) {
        _cleanup_free_ char *exe = NULL;
        int r;

        r = process_set_rlimits(p);
        if (r < 0)
                return r;
        if (listen_fds > 0) {
                r = set_listen_env(p, listen_fds);
                if (r < 0)
                        return r;
        }
        r = process_default_home(p);
        if (r < 0)
                return r;
        r = process_find_executable(p, &exe);
        if (r < 0)
                return r;
        /* Before any chdir: nothing of ours may be reachable through a cwd or an fd. */
        r = process_prepare_fds(pass_fds);
        if (r < 0)
                return r;
        r = process_set_user_and_cwd(p, seccomp);
        if (r < 0)
                return r;
        *ret_exe = TAKE_PTR(exe);
        return 0;
}

int process_exec(const SpecProcess *p, const char *path, const SeccompFilter *seccomp) {
        sigset_t all;
        int r;

        /* berth installs no handlers (it only blocks signals), and execve() resets caught ones, but
         * an ignored signal stays ignored across execve(): systemd starts berth with SIGPIPE ignored
         * (IgnoreSIGPIPE=yes), and a container's `yes | head` then never ends. The program starts
         * with every disposition at its default, as under runc and systemd's own services. */
        for (int sig = 1; sig < _NSIG; sig++)
                if (!IN_SET(sig, SIGKILL, SIGSTOP))
                        (void) sigaction(sig, &(struct sigaction) { .sa_handler = SIG_DFL }, NULL);
        sigemptyset(&all);
        (void) sigprocmask(SIG_SETMASK, &all, NULL);
        /* The labels the program takes on at execve(); then the filter, the very last step: from
         * here on only execve() (and, for NOTIFY, one sendmsg()) runs under it. */
        r = lsm_set_exec_labels(LSM_PROC_ATTR_DIR, p->apparmor_profile, p->selinux_label);
        if (r < 0)
                return r;
        r = seccomp_filter_apply(seccomp);
        if (r < 0)
                return r;
        execve(path, p->args, p->env ?: (char *[]) { NULL });
        return -errno;
}
