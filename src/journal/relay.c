/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "config.h"
#include "fd-util.h"
#include "log.h"
#include "path-util.h"
#include "relay.h"

static bool fd_is_journal_stream(int fd) {
        const char *e = getenv("JOURNAL_STREAM");
        unsigned long long dev, ino;
        struct stat st;

        if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
                return false;
        if (fstat(fd, &st) < 0)
                return false;
        return (unsigned long long) st.st_dev == dev && (unsigned long long) st.st_ino == ino;
}

bool relay_wanted(void) {
        if (isatty(STDOUT_FILENO) || isatty(STDERR_FILENO))
                return false;
        return fd_is_journal_stream(STDOUT_FILENO) || fd_is_journal_stream(STDERR_FILENO);
}

/* berth-relay next to berth's own binary (an uninstalled build: build/src/), else where it is
 * installed (libexecdir/berth/). */
static int relay_find(char **ret) {
        char buf[PATH_MAX];
        ssize_t n;
        char *p;

        n = readlink("/proc/self/exe", buf, sizeof buf - 1);
        if (n > 0) {
                _cleanup_free_ char *dir = NULL, *sibling = NULL;

                buf[n] = '\0';
                if (path_extract_directory(buf, &dir) >= 0 && (sibling = path_join(dir, "berth-relay")) &&
                    access(sibling, X_OK) >= 0) {
                        *ret = TAKE_PTR(sibling);
                        return 0;
                }
        }
        if (access(BERTH_RELAY_PATH, X_OK) < 0)
                return log_error_errno(errno, "Failed to find the journal relay ($JOURNAL_STREAM) '%s': %m",
                                       BERTH_RELAY_PATH);
        p = strdup(BERTH_RELAY_PATH);
        if (!p)
                return log_oom();
        *ret = TAKE_PTR(p);
        return 0;
}

int relay_start(Relay *r, const char *id) {
        _cleanup_free_ char *path = NULL;
        int pipes[2][2] = {{-EBADF, -EBADF}, {-EBADF, -EBADF}}, ctl[2] = {-EBADF, -EBADF};
        char args[3][16];
        bool use[2];
        pid_t pid;
        int e;

        assert(r);
        assert(id);
        /* Found here in berth, not in the child: a missing relay fails the command before the
         * container exists. */
        e = relay_find(&path);
        if (e < 0)
                return e;
        for (int i = 0; i < 2; i++) {
                use[i] = fd_is_journal_stream(STDOUT_FILENO + i);
                if (use[i] && pipe2(pipes[i], O_CLOEXEC) < 0)
                        goto fail;
        }
        if (pipe2(ctl, O_CLOEXEC) < 0)
                goto fail;
        (void) snprintf(args[0], sizeof args[0], "%i", ctl[0]);
        for (int i = 0; i < 2; i++)
                if (use[i])
                        (void) snprintf(args[1 + i], sizeof args[1 + i], "%i", pipes[i][0]);
                else
                        strcpy(args[1 + i], "-");
        pid = fork();
        if (pid < 0)
                goto fail;
        if (pid == 0) {
                /* The relay gets these three and berth's stdio (the journal stream, for nothing
                 * but a failure to exec); everything else of berth's is O_CLOEXEC. Signals stay
                 * blocked as they are here: it reads them from a signalfd. */
                (void) fcntl(ctl[0], F_SETFD, 0);
                for (int i = 0; i < 2; i++)
                        if (use[i])
                                (void) fcntl(pipes[i][0], F_SETFD, 0);
                execl(path, "berth-relay", id, args[0], args[1], args[2], (char *) NULL);
                log_error_errno(errno, "Failed to execute the journal relay '%s': %m", path);
                _exit(127);
        }
        r->pid = pid;
        r->ctl = ctl[1];
        safe_close(ctl[0]);
        /* berth's own messages keep going to the journal stream, as berth's. */
        for (int i = 0; i < 2; i++) {
                safe_close(pipes[i][0]);
                if (!use[i])
                        continue;
                r->saved[i] = fcntl(STDOUT_FILENO + i, F_DUPFD_CLOEXEC, 3);
                if (r->saved[i] < 0 || dup2(pipes[i][1], STDOUT_FILENO + i) < 0) {
                        e = errno;
                        safe_close(pipes[i][1]);
                        relay_done(r);
                        return log_error_errno(e, "Failed to hand the journal relay its pipe: %m");
                }
                safe_close(pipes[i][1]);
        }
        if (r->saved[1] >= 0)
                log_set_console_fd(r->saved[1]);
        return 0;
fail:
        e = errno;
        for (int i = 0; i < 2; i++) {
                safe_close(pipes[i][0]);
                safe_close(pipes[i][1]);
        }
        safe_close(ctl[0]);
        safe_close(ctl[1]);
        return log_error_errno(e, "Failed to start the journal relay: %m");
}

static void relay_restore(Relay *r) {
        for (int i = 0; i < 2; i++)
                if (r->saved[i] >= 0) {
                        (void) dup2(r->saved[i], STDOUT_FILENO + i);
                        r->saved[i] = safe_close(r->saved[i]);
                }
        log_set_console_fd(-EBADF);
}

void relay_handover(Relay *r, pid_t init) {
        char buf[32];
        int k;

        assert(r);
        if (r->pid <= 0)
                return;
        k = snprintf(buf, sizeof buf, "%i", (int) init);
        (void) loop_write(r->ctl, buf, (size_t) k);
        r->ctl = safe_close(r->ctl);
        relay_restore(r);
        r->pid = 0; /* it outlives us: the unit's cgroup holds it */
}

void relay_done(Relay *r) {
        assert(r);
        r->ctl = safe_close(r->ctl);
        relay_restore(r);
        r->pid = 0;
}
