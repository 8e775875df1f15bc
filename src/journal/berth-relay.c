/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The journal relay (DESIGN.md §5, relay.h), a program of its own: `berth run -d` forks and execs it
 * as
 *
 *         berth-relay ID CTL-FD OUT-FD|- ERR-FD|-
 *
 * CTL-FD: the read end on which berth writes the init's pid (then closes it; EOF without a pid: the
 * container was never made); OUT-FD/ERR-FD: the read ends of the container's stdout/stderr pipes.
 * It is linked statically and without libsystemd (journal-native.c speaks journald's protocol),
 * so it maps only itself: it stays in the unit's cgroup as long as the container, and a fork of
 * berth kept berth's and its libraries' pages resident for all that time. */
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <syslog.h>
#include <time.h>

#include "fd-util.h"
#include "journal-native.h"
#include "parse-util.h"
#include "path-util.h"
#include "relay.h"

typedef struct Stream {
        int fd;
        const char *priority; /* "PRIORITY=N" */
        size_t n;
        char buf[RELAY_LINE_MAX];
} Stream;

typedef struct RelayCtx {
        pid_t init;
        int pidfd;   /* the init's, while it runs */
        int journal; /* journal_native_open()'s socket */
        char ident[sizeof "SYSLOG_IDENTIFIER=" + 255], cid[sizeof "CONTAINER_ID=" + 255];
        char cpid[sizeof "CONTAINER_PID=" + 16];
        char msg[sizeof "MESSAGE=" + RELAY_LINE_MAX];
        Stream s[2];
} RelayCtx;

/* One journal message: binary-safe, and with no CODE_FILE=, CODE_LINE=, CODE_FUNC= (three fields
 * about the relay, not the container, that journald would hash and store per line). */
static void relay_send(RelayCtx *c, const Stream *s, const char *p, size_t n) {
        struct iovec iov[5];
        size_t k = 0;

        memcpy(c->msg + 8, p, n);
        iov[k++] = (struct iovec){.iov_base = c->msg, .iov_len = 8 + n};
        iov[k++] = (struct iovec){.iov_base = (char *) s->priority, .iov_len = strlen(s->priority)};
        iov[k++] = (struct iovec){.iov_base = c->ident, .iov_len = strlen(c->ident)};
        iov[k++] = (struct iovec){.iov_base = c->cid, .iov_len = strlen(c->cid)};
        if (c->init > 0)
                iov[k++] = (struct iovec){.iov_base = c->cpid, .iov_len = strlen(c->cpid)};
        (void) journal_native_send(c->journal, JOURNAL_NATIVE_SOCKET, iov, k);
}

/* Send every complete line in the buffer; a full buffer without a newline goes out as it is. */
static void stream_flush(RelayCtx *c, Stream *s, bool all) {
        size_t start = 0;

        for (char *nl; (nl = memchr(s->buf + start, '\n', s->n - start)); start = (size_t) (nl - s->buf) + 1)
                relay_send(c, s, s->buf + start, (size_t) (nl - s->buf) - start);
        if (start < s->n && (all || (start == 0 && s->n == sizeof s->buf))) {
                relay_send(c, s, s->buf + start, s->n - start);
                start = s->n;
        }
        memmove(s->buf, s->buf + start, s->n - start);
        s->n -= start;
}

static void stream_read(RelayCtx *c, Stream *s) {
        ssize_t k = read(s->fd, s->buf + s->n, sizeof s->buf - s->n);

        if (k < 0 && IN_SET(errno, EINTR, EAGAIN))
                return;
        if (k <= 0) { /* EOF (or an error): the stream is done */
                stream_flush(c, s, /* all= */ true);
                s->fd = safe_close(s->fd);
                return;
        }
        s->n += (size_t) k;
        stream_flush(c, s, /* all= */ false);
}

/* The "0::/path" line of /proc/PID/cgroup: the unified hierarchy's path (none on pure cgroup v1,
 * where nothing is passed on). */
static int pid_cgroup(pid_t pid, char **ret) {
        _cleanup_free_ char *buf = NULL;
        char path[64];
        int r;

        (void) snprintf(path, sizeof path, "/proc/%i/cgroup", (int) pid);
        r = read_full_file_at(AT_FDCWD, path, 1 << 16, &buf, NULL);
        if (r < 0)
                return r;
        for (char *p = buf, *line; (line = strsep(&p, "\n"));)
                if (startswith(line, "0::/")) {
                        *ret = strdup(line + 3);
                        return *ret ? 0 : -ENOMEM;
                }
        return -ENOENT;
}

/* Where the unified hierarchy is mounted: BERTH_CGROUP_ROOT (tests) or /sys/fs/cgroup, or its
 * unified/ below a v1 tmpfs (hybrid). */
static char *unified_root(void) {
        const char *e = secure_getenv("BERTH_CGROUP_ROOT"), *root = e && e[0] == '/' ? e : "/sys/fs/cgroup";
        struct statfs fs;

        if (statfs(root, &fs) < 0)
                return NULL;
        return fs.f_type == CGROUP2_SUPER_MAGIC ? strdup(root) : path_join(root, "unified");
}

/* What systemd sends the unit (`systemctl kill`, a stop) reaches the relay, which is in the
 * service's cgroup, and the init (the MainPID), but not the container's other processes: they are
 * in its scope. The relay passes the signal on to them, so `systemctl kill container@NAME` reaches
 * the whole container as it reaches every process of any service. The init is not signalled twice;
 * a container in the relay's own cgroup (or below it) was reached by systemd already. */
static void relay_forward(const RelayCtx *c, int sig) {
        _cleanup_free_ char *own = NULL, *cg = NULL, *root = NULL, *dir = NULL, *procs = NULL, *text = NULL;
        const char *below;

        if (c->pidfd < 0 || pid_cgroup(getpid(), &own) < 0 || pid_cgroup(c->init, &cg) < 0)
                return;
        /* The path was read by pid: only if the init is still the process of our pidfd is it the
         * init's (a pid reused after the init's exit would name another process's cgroup). */
        if (syscall(SYS_pidfd_send_signal, c->pidfd, 0, NULL, 0) < 0)
                return;
        below = startswith(cg, own);
        if (below && IN_SET(*below, 0, '/'))
                return;
        root = unified_root();
        dir = root ? path_join(root, cg) : NULL;
        if (!dir || !(procs = path_join(dir, "cgroup.procs")) ||
            read_full_file_at(AT_FDCWD, procs, 1 << 22, &text, NULL) < 0)
                return;
        for (char *p = text, *w; (w = strsep(&p, "\n"));) {
                int pid;

                if (safe_atoi(w, &pid) >= 0 && pid > 0 && pid != c->init && pid != getpid())
                        (void) kill(pid, sig);
        }
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

/* The init's pid from berth, or nothing (create failed). */
static void relay_read_init(RelayCtx *c, int ctl) {
        char buf[32];
        ssize_t l = read(ctl, buf, sizeof buf - 1);
        int pid;

        if (l <= 0)
                return;
        buf[l] = '\0';
        if (safe_atoi(buf, &pid) < 0 || pid <= 0)
                return;
        c->init = pid;
        c->pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        (void) snprintf(c->cpid, sizeof c->cpid, "CONTAINER_PID=%i", pid);
}

static void relay_loop(RelayCtx *c, int ctl, int sfd) {
        uint64_t deadline = 0;

        for (;;) {
                struct pollfd p[5];
                nfds_t n = 0;
                int timeout = -1, k;

                if (c->s[0].fd < 0 && c->s[1].fd < 0)
                        return;
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
                                return; /* the init is gone and someone else holds a pipe: done */
                        timeout = (int) ((deadline - t + 999) / 1000);
                }
                k = poll(p, n, timeout);
                if (k < 0 && errno != EINTR)
                        return;
                if (k <= 0)
                        continue;
                for (nfds_t i = 0; i < n; i++) {
                        if (!p[i].revents)
                                continue;
                        if (p[i].fd == sfd) {
                                relay_signals(c, sfd);
                        } else if (p[i].fd == ctl) {
                                relay_read_init(c, ctl);
                                ctl = safe_close(ctl);
                                if (c->init <= 0) /* create failed: whatever is left, then go */
                                        deadline = now_usec() + RELAY_LINGER_USEC;
                        } else if (p[i].fd == c->pidfd) {
                                c->pidfd = safe_close(c->pidfd);
                                deadline = now_usec() + RELAY_LINGER_USEC;
                        } else {
                                for (int j = 0; j < 2; j++)
                                        if (p[i].fd == c->s[j].fd)
                                                stream_read(c, &c->s[j]);
                                /* After the init is gone the linger is an idle time: a slow drain
                                 * (a loaded host) loses no line; silence ends it. */
                                if (deadline > 0)
                                        deadline = now_usec() + RELAY_LINGER_USEC;
                        }
                }
        }
}

static int parse_fd(const char *s, bool optional, int *ret) {
        int fd;

        if (optional && streq(s, "-")) {
                *ret = -EBADF;
                return 0;
        }
        if (safe_atoi(s, &fd) < 0 || fd < 3 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
                return -EBADF;
        *ret = fd;
        return 0;
}

int main(int argc, char *argv[]) {
        static const int faults[] = { SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL,
                                      SIGFPE,  SIGABRT, SIGTRAP, SIGSYS };
        /* Static: the buffers are most of what the relay has, and need not be on the stack. */
        static RelayCtx c;
        sigset_t mask;
        int ctl, sfd;

        /* It drains to EOF when the unit stops: systemd's SIGTERM is for the container, and so is
         * any signal of `systemctl kill` (SIGUSR1's default action would end the relay and lose the
         * container's later lines). Every signal but a fault is blocked (berth execs it with all
         * blocked already, so none is lost in between) and read from a signalfd, to be passed on
         * (relay_forward()); SIGKILL after the stop timeout still ends it. */
        sigfillset(&mask);
        for (size_t i = 0; i < ELEMENTSOF(faults); i++)
                sigdelset(&mask, faults[i]);
        (void) sigprocmask(SIG_SETMASK, &mask, NULL);
        (void) signal(SIGPIPE, SIG_IGN);

        c = (RelayCtx){.pidfd = -EBADF, .journal = -EBADF, .msg = "MESSAGE="};
        c.s[0].priority = "PRIORITY=" STRINGIFY(LOG_INFO);
        c.s[1].priority = "PRIORITY=" STRINGIFY(LOG_ERR);
        if (argc != 5 || parse_fd(argv[2], /* optional= */ false, &ctl) < 0 ||
            parse_fd(argv[3], /* optional= */ true, &c.s[0].fd) < 0 ||
            parse_fd(argv[4], /* optional= */ true, &c.s[1].fd) < 0) {
                fprintf(stderr, "berth-relay: started by berth only, as: "
                                "berth-relay ID CTL-FD OUT-FD|- ERR-FD|-\n");
                return EXIT_FAILURE;
        }
        (void) snprintf(c.ident, sizeof c.ident, "SYSLOG_IDENTIFIER=%.255s", argv[1]);
        (void) snprintf(c.cid, sizeof c.cid, "CONTAINER_ID=%.255s", argv[1]);
        c.journal = journal_native_open();
        sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

        relay_loop(&c, ctl, sfd);
        for (int j = 0; j < 2; j++)
                if (c.s[j].fd >= 0)
                        stream_flush(&c, &c.s[j], /* all= */ true);
        /* Everything went out with send(): nothing is left to flush at exit(). _exit() also skips a
         * sanitizer build's exit-time leak scan, seen taking over 5 s of CPU under load while the
         * unit waited in "deactivating" for the relay to end. */
        _exit(EXIT_SUCCESS);
}
