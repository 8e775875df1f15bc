/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fd-util.h"
#include "hooks.h"
#include "log.h"
#include "process-util.h"

/* The state JSON is written into the pipe before the hook is forked: nothing can block on a hook
 * that does not read its stdin, and no SIGPIPE can hit us (the read end is still ours then). So it
 * must fit in the pipe; the kernel's default is 64 KiB, raised up to this when needed. */
#define HOOK_STDIN_MAX (1024U * 1024U)

static int stdin_pipe(const char *json, int *ret_fd) {
        _cleanup_close_ int rfd = -EBADF, wfd = -EBADF;
        size_t n = strlen(json);
        int p[2], r;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        rfd = p[0];
        wfd = p[1];
        if (n >= 64 * 1024 && (n > HOOK_STDIN_MAX || fcntl(wfd, F_SETPIPE_SZ, (int) n) < 0))
                return -E2BIG;
        r = loop_write(wfd, json, n);
        if (r < 0)
                return r;
        *ret_fd = TAKE_FD(rfd);
        return 0;
}

_noreturn_ static void hook_child(const SpecHook *h, int stdin_fd, int err_fd, char **default_env) {
        char *argv0[] = { h->path, NULL };
        sigset_t none;
        int e;

        /* create and run hold every signal while they work; the hook starts with none blocked. */
        sigemptyset(&none);
        (void) sigprocmask(SIG_SETMASK, &none, NULL);
        (void) signal(SIGPIPE, SIG_DFL);
        /* Out of the way of 0-2 first, in case our own stdio was closed and the pipes got those. */
        stdin_fd = fcntl(stdin_fd, F_DUPFD_CLOEXEC, 3);
        err_fd = fcntl(err_fd, F_DUPFD_CLOEXEC, 3);
        if (stdin_fd < 0 || err_fd < 0 || dup2(stdin_fd, STDIN_FILENO) < 0)
                goto fail;
        /* stdout joins stderr: our stdout may be parsed by the caller (state, exec, engines). */
        if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0 && errno != EBADF)
                goto fail;
        /* Nothing of ours leaks into the hook: not the sync socket, the state dir or the fds the
         * container init keeps for its process (--preserve-fds, socket activation). */
        if (close_range(3, UINT_MAX, CLOSE_RANGE_CLOEXEC) < 0)
                goto fail;
        /* A hook without "env" gets the default the caller chose: the runtime's environment, or
         * for the hooks the container's init runs, the process' (runc does both). */
        (void) execve(h->path, h->args && h->args[0] ? h->args : argv0, h->env ?: default_env);
fail:
        e = errno;
        (void) !write(err_fd, &e, sizeof e);
        _exit(127);
}

/* Waits for the hook with its timeout (0: none). Returns its wait status, -ETIMEDOUT after killing
 * and reaping it, -EINTR likewise when abort_fd (if >= 0) became readable, or another negative
 * errno. */
static int hook_wait(pid_t pid, int timeout, int abort_fd) {
        _cleanup_close_ int pidfd = -EBADF;
        struct timespec now, end;
        int status, r;

        pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0) {
                r = -errno;
                pid_kill_and_reap(pid);
                return r;
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        end.tv_sec += timeout;
        for (;;) {
                struct pollfd p[2] = {
                        { .fd = pidfd, .events = POLLIN },
                        { .fd = abort_fd, .events = POLLIN },
                };
                int64_t left = -1;

                if (timeout > 0) {
                        clock_gettime(CLOCK_MONOTONIC, &now);
                        left = (int64_t) (end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
                        if (left <= 0) {
                                pid_kill_and_reap(pid);
                                return -ETIMEDOUT;
                        }
                }
                r = poll(p, abort_fd >= 0 ? 2 : 1, (int) left);
                if (r < 0 && errno != EINTR) {
                        r = -errno;
                        pid_kill_and_reap(pid);
                        return r;
                }
                if (r > 0 && p[1].revents) {
                        pid_kill_and_reap(pid);
                        return -EINTR;
                }
                if (r > 0 && p[0].revents)
                        break;
        }
        r = wait_for_pid(pid, &status);
        if (r < 0)
                return r;
        return status;
}

/* poststart and poststop go on after a failure: a warning then, not an error. */
#define hook_log(keep_going, e, fmt, ...)                                                                   \
        log_full_errno((keep_going) ? LOG_WARNING : LOG_ERR, e, fmt "%s", __VA_ARGS__,                      \
                       (keep_going) ? ", ignoring" : "")

static int hook_run(const SpecHook *h, const char *phase, const char *state_json, bool keep_going,
                    int abort_fd, char **default_env) {
        _cleanup_close_ int stdin_fd = -EBADF, err_r = -EBADF, err_w = -EBADF;
        int p[2], e = 0, status, r;
        pid_t pid;

        r = stdin_pipe(state_json, &stdin_fd);
        if (r < 0)
                return hook_log(keep_going, r, "Failed to pass the state to %s hook '%s': %m", phase,
                                h->path);
        if (pipe2(p, O_CLOEXEC) < 0)
                return hook_log(keep_going, errno, "Failed to create a pipe for %s hook '%s': %m", phase,
                                h->path);
        err_r = p[0];
        err_w = p[1];

        pid = fork();
        if (pid < 0)
                return hook_log(keep_going, errno, "Failed to fork %s hook '%s': %m", phase, h->path);
        if (pid == 0)
                hook_child(h, stdin_fd, err_w, default_env);
        stdin_fd = safe_close(stdin_fd);
        err_w = safe_close(err_w);

        /* EOF once execve() closed the CLOEXEC write end, else the child's errno. */
        if (loop_read(err_r, &e, sizeof e) == (int) sizeof e && e > 0) {
                (void) wait_for_pid(pid, NULL);
                return hook_log(keep_going, e, "Failed to execute %s hook '%s': %m", phase, h->path);
        }

        status = hook_wait(pid, h->has_timeout ? h->timeout : 0, abort_fd);
        if (status == -EINTR)
                return hook_log(keep_going, SYNTHETIC_ERRNO(EINTR), "Failed to run %s hook '%s': interrupted by a "
                                "signal", phase, h->path);
        if (status == -ETIMEDOUT)
                return hook_log(keep_going, SYNTHETIC_ERRNO(ETIMEDOUT),
                                "Failed to run %s hook '%s': timed out after %d s", phase, h->path,
                                h->timeout);
        if (status < 0)
                return hook_log(keep_going, status, "Failed to wait for %s hook '%s': %m", phase, h->path);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        if (WIFSIGNALED(status))
                return hook_log(keep_going, SYNTHETIC_ERRNO(EIO),
                                "Failed to run %s hook '%s': killed by signal %s", phase, h->path,
                                strsignal(WTERMSIG(status)) ?: "?");
        return hook_log(keep_going, SYNTHETIC_ERRNO(EIO), "Failed to run %s hook '%s': exit status %d",
                        phase, h->path, status_to_exit_code(status));
}

int hooks_run(const SpecHookList *l, const char *phase, const char *state_json, bool keep_going, int abort_fd) {
        return hooks_run_env(l, phase, state_json, keep_going, abort_fd, environ);
}

int hooks_run_env(const SpecHookList *l, const char *phase, const char *state_json, bool keep_going,
                  int abort_fd, char **default_env) {
        char *noenv[] = { NULL };
        int r;

        assert(phase);
        assert(state_json);

        if (hooks_empty(l))
                return 0;
        for (size_t i = 0; i < l->n_hooks; i++) {
                log_debug("Running %s hook '%s'", phase, l->hooks[i].path);
                r = hook_run(&l->hooks[i], phase, state_json, keep_going, abort_fd, default_env ?: noenv);
                if (r < 0 && !keep_going)
                        return r;
        }
        return 0;
}
