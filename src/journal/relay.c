/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#include "cgroup.h"
#include "dlopen-libsystemd.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "relay.h"

/* ---- the relay process -------------------------------------------------------------------------- */

typedef struct Stream {
        int fd;
        int priority;
        size_t n;
        char buf[RELAY_LINE_MAX];
} Stream;

typedef struct RelayCtx {
        const char *id;
        pid_t init;
        int pidfd; /* the init's, while it runs */
        Stream s[2];
} RelayCtx;

/* One journal message, binary-safe (sd_journal_send's "MESSAGE=%s" would stop at a NUL). */
static void relay_send(const RelayCtx *c, const Stream *s, const char *p, size_t n) {
        char prio[16], ident[64 + 256], cid[64 + 256], cpid[32];
        struct iovec iov[5];
        size_t k = 0;

        (void) snprintf(prio, sizeof prio, "PRIORITY=%i", s->priority);
        (void) snprintf(ident, sizeof ident, "SYSLOG_IDENTIFIER=%.255s", c->id);
        (void) snprintf(cid, sizeof cid, "CONTAINER_ID=%.255s", c->id);
        char msg[RELAY_LINE_MAX + 8];
        memcpy(msg, "MESSAGE=", 8);
        memcpy(msg + 8, p, n);
        iov[k++] = (struct iovec){.iov_base = msg, .iov_len = 8 + n};
        iov[k++] = (struct iovec){.iov_base = prio, .iov_len = strlen(prio)};
        iov[k++] = (struct iovec){.iov_base = ident, .iov_len = strlen(ident)};
        iov[k++] = (struct iovec){.iov_base = cid, .iov_len = strlen(cid)};
        if (c->init > 0) {
                (void) snprintf(cpid, sizeof cpid, "CONTAINER_PID=%i", (int) c->init);
                iov[k++] = (struct iovec){.iov_base = cpid, .iov_len = strlen(cpid)};
        }
        /* The plain sd_journal_sendv(): no CODE_FILE=, CODE_LINE= and CODE_FUNC= of this file on every
         * line of the container (three fields about berth, not the container, that journald hashes
         * and stores per line). */
        (void) sym_sd_journal_sendv(iov, (int) k);
}

/* Send every complete line in the buffer; a full buffer without a newline goes out as it is. */
static void stream_flush(const RelayCtx *c, Stream *s, bool all) {
        size_t start = 0;

        for (size_t i = 0; i < s->n; i++)
                if (s->buf[i] == '\n') {
                        relay_send(c, s, s->buf + start, i - start);
                        start = i + 1;
                }
        if (start < s->n && (all || (start == 0 && s->n == sizeof s->buf))) {
                relay_send(c, s, s->buf + start, s->n - start);
                start = s->n;
        }
        memmove(s->buf, s->buf + start, s->n - start);
        s->n -= start;
}

/* Returns false at EOF (or an error): the stream is done. */
static bool stream_read(const RelayCtx *c, Stream *s) {
        ssize_t k = read(s->fd, s->buf + s->n, sizeof s->buf - s->n);

        if (k < 0 && IN_SET(errno, EINTR, EAGAIN))
                return true;
        if (k <= 0) {
                stream_flush(c, s, /* all= */ true);
                s->fd = safe_close(s->fd);
                return false;
        }
        s->n += (size_t) k;
        stream_flush(c, s, /* all= */ false);
        return true;
}

/* What systemd sends the unit (`systemctl kill`, a stop) reaches the relay, which is in the
 * service's cgroup, and the init (the MainPID), but not the container's other processes: they are
 * in its scope. The relay passes the signal on to them, so `systemctl kill container@NAME` reaches
 * the whole container as it reaches every process of any service. The init is not signalled twice;
 * a container in the relay's own cgroup (or below it) was reached by systemd already. */
static void relay_forward(const RelayCtx *c, int sig) {
        _cleanup_free_ char *own = NULL, *cg = NULL, *dir = NULL;
        _cleanup_free_ pid_t *pids = NULL;
        const char *below;
        CgroupMode mode;
        size_t n = 0;

        if (c->pidfd < 0 || cgroup_pid_get_path(getpid(), "", &own) < 0 ||
            cgroup_pid_get_path(c->init, "", &cg) < 0)
                return;
        /* The path was read by pid: only if the init is still the process of our pidfd is it the
         * init's (a pid reused after the init's exit would name another process's cgroup). */
        if (syscall(SYS_pidfd_send_signal, c->pidfd, 0, NULL, 0) < 0)
                return;
        below = startswith(cg, own);
        if (below && IN_SET(*below, 0, '/'))
                return;
        if (cgroup_detect_mode(&mode) < 0)
                return;
        dir = mode == CGROUP_MODE_UNIFIED ? path_join(cgroup_root(), cg)
                                          : cgroup_join(cgroup_root(), "unified", cg);
        if (!dir || cgroup_read_pids(dir, &pids, &n) < 0)
                return;
        for (size_t i = 0; i < n; i++)
                if (pids[i] != c->init && pids[i] != getpid())
                        (void) kill(pids[i], sig);
}

static void relay_signals(const RelayCtx *c, int sfd) {
        struct signalfd_siginfo si;

        while (read(sfd, &si, sizeof si) == (ssize_t) sizeof si)
                if (si.ssi_signo != SIGCHLD)
                        relay_forward(c, (int) si.ssi_signo);
}

static uint64_t now_usec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000U + (uint64_t) ts.tv_nsec / 1000U;
}

_noreturn_ static void relay_main(RelayCtx *c, int ctl) {
        static const int faults[] = { SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL,
                                      SIGFPE,  SIGABRT, SIGTRAP, SIGSYS };
        uint64_t deadline = 0;
        sigset_t mask;
        int sfd;

        /* It drains to EOF when the unit stops: systemd's SIGTERM is for the container, and so is
         * any signal of `systemctl kill` (SIGUSR1's default action would end the relay and lose the
         * container's later lines). Every signal but a fault is blocked and read from a signalfd,
         * to be passed on (relay_forward()); SIGKILL after the stop timeout still ends it. */
        (void) prctl(PR_SET_NAME, "berth-relay");
        (void) signal(SIGPIPE, SIG_IGN);
        sigfillset(&mask);
        for (size_t i = 0; i < ELEMENTSOF(faults); i++)
                sigdelset(&mask, faults[i]);
        (void) sigprocmask(SIG_SETMASK, &mask, NULL);
        sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

        for (;;) {
                struct pollfd p[5];
                nfds_t n = 0;
                int timeout = -1, k;

                if (c->s[0].fd < 0 && c->s[1].fd < 0)
                        break;
                /* Nothing is read before the init's pid is known, so every line carries
                 * CONTAINER_PID (the pipes hold what the container writes meanwhile). */
                if (sfd >= 0)
                        p[n++] = (struct pollfd){.fd = sfd, .events = POLLIN};
                if (ctl >= 0)
                        p[n++] = (struct pollfd){.fd = ctl, .events = POLLIN};
                else
                        for (int i = 0; i < 2; i++)
                                if (c->s[i].fd >= 0)
                                        p[n++] = (struct pollfd){.fd = c->s[i].fd, .events = POLLIN};
                if (c->pidfd >= 0)
                        p[n++] = (struct pollfd){.fd = c->pidfd, .events = POLLIN};
                if (deadline > 0) {
                        uint64_t t = now_usec();

                        if (t >= deadline)
                                break; /* the init is gone and someone else holds a pipe: done */
                        timeout = (int) ((deadline - t + 999) / 1000);
                }
                k = poll(p, n, timeout);
                if (k < 0 && errno != EINTR)
                        break;
                if (k <= 0)
                        continue;
                for (nfds_t i = 0; i < n; i++) {
                        if (!p[i].revents)
                                continue;
                        if (p[i].fd == sfd) {
                                relay_signals(c, sfd);
                        } else if (p[i].fd == ctl) {
                                char buf[32];
                                ssize_t l = read(ctl, buf, sizeof buf - 1);
                                int pid;

                                if (l > 0) {
                                        buf[l] = '\0';
                                        if (safe_atoi(buf, &pid) >= 0 && pid > 0) {
                                                c->init = pid;
                                                c->pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
                                        }
                                }
                                ctl = safe_close(ctl);
                                if (c->init <= 0) /* create failed: whatever is left, then go */
                                        deadline = now_usec() + RELAY_LINGER_USEC;
                        } else if (p[i].fd == c->pidfd) {
                                c->pidfd = safe_close(c->pidfd);
                                deadline = now_usec() + RELAY_LINGER_USEC;
                        } else {
                                for (int j = 0; j < 2; j++)
                                        if (p[i].fd == c->s[j].fd)
                                                (void) stream_read(c, &c->s[j]);
                                /* After the init is gone the linger is an idle time: a slow drain
                                 * (a loaded host) loses no line; silence ends it. */
                                if (deadline > 0)
                                        deadline = now_usec() + RELAY_LINGER_USEC;
                        }
                }
        }
        for (int j = 0; j < 2; j++)
                if (c->s[j].fd >= 0)
                        stream_flush(c, &c->s[j], /* all= */ true);
        _exit(EXIT_SUCCESS);
}

/* ---- berth's side ----------------------------------------------------------------------------- */

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

int relay_start(Relay *r, const char *id) {
        _cleanup_free_ char *msg = NULL;
        RelayCtx c;
        int pipes[2][2] = {{-EBADF, -EBADF}, {-EBADF, -EBADF}}, ctl[2] = {-EBADF, -EBADF};
        bool use[2];
        pid_t pid;
        int e;

        assert(r);
        assert(id);
        /* libsystemd is loaded now, not at exec (src/basic/dlopen-util.h), and here in berth, not in
         * the relay: a missing library fails the command before the container exists. */
        e = dlopen_libsystemd(&msg);
        if (e == -ENOMEM)
                return log_oom();
        if (e < 0)
                return log_error_errno(e, "The journal relay ($JOURNAL_STREAM) needs %s: %s",
                                       LIBSYSTEMD_SONAME, msg);
        for (int i = 0; i < 2; i++) {
                use[i] = fd_is_journal_stream(STDOUT_FILENO + i);
                if (use[i] && pipe2(pipes[i], O_CLOEXEC) < 0)
                        goto fail;
        }
        if (pipe2(ctl, O_CLOEXEC) < 0)
                goto fail;
        c = (RelayCtx){.id = id, .pidfd = -EBADF};
        c.s[0] = (Stream){.fd = pipes[0][0], .priority = LOG_INFO};
        c.s[1] = (Stream){.fd = pipes[1][0], .priority = LOG_ERR};
        pid = fork();
        if (pid < 0)
                goto fail;
        if (pid == 0) {
                for (int i = 0; i < 2; i++)
                        safe_close(pipes[i][1]);
                safe_close(ctl[1]);
                relay_main(&c, ctl[0]);
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
