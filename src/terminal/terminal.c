/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "fd-util.h"
#include "fs-util.h"
#include "log.h"
#include "path-util.h"
#include "process-util.h"
#include "socket-util.h"
#include "terminal.h"

/* Each direction of the pty copy holds at most this much; reading stops while it is full. */
#define COPY_BUFFER_SIZE (16U * 1024U)
/* After the process exited: stop reading the master after this long without output (the slave may
 * still be open in another process, so EIO may never come), and stop draining after this long in all. */
#define DRAIN_TOTAL_USEC (2U * 1000U * 1000U)
#define DRAIN_IDLE_MSEC 100
/* VEOF is written only after the process has been quiet this long with all input read. */
#define VEOF_IDLE_USEC (100U * 1000U)

int terminal_make_raw(int fd, TerminalState *ret) {
        struct termios raw;

        assert(ret);

        *ret = (TerminalState) { .fd = fd };
        if (fd < 0 || !isatty(fd))
                return 0;

        if (tcgetattr(fd, &ret->attr) < 0)
                return log_error_errno(errno, "Failed to get terminal attributes: %m");

        /* cfmakeraw() is what runc's console.SetRaw() does, OPOST included: the container's pty does its own
         * output processing (ONLCR) already, so ours must not add a second CR. */
        raw = ret->attr;
        cfmakeraw(&raw);
        if (tcsetattr(fd, TCSANOW, &raw) < 0)
                return log_error_errno(errno, "Failed to put the terminal in raw mode: %m");

        ret->saved = true;
        return 1;
}

int terminal_caller_tty(void) {
        for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
                if (isatty(fd))
                        return fd;
        return STDIN_FILENO;
}

void terminal_restore(TerminalState *t) {
        if (!t || !t->saved || t->fd < 0)
                return;

        /* TCSANOW, as runc's console.Reset(): TCSADRAIN would wait for the output to be transmitted, and a
         * terminal nobody reads from (a stopped emulator, a hung-up pty) would then keep us from ever
         * exiting. Everything we wrote is already in the tty's buffer, so nothing is lost either way. */
        for (;;) {
                if (tcsetattr(t->fd, TCSANOW, &t->attr) >= 0)
                        break;
                if (errno != EINTR) {
                        log_warning_errno(errno, "Failed to restore terminal attributes, ignoring: %m");
                        break;
                }
        }
        t->saved = false;
}

int terminal_copy_window_size(int from_fd, int to_fd) {
        struct winsize ws = {};

        if (from_fd < 0 || !isatty(from_fd))
                return 0;

        if (ioctl(from_fd, TIOCGWINSZ, &ws) < 0)
                return log_error_errno(errno, "Failed to get the terminal window size: %m");
        if (ws.ws_row == 0 && ws.ws_col == 0)
                return 0; /* a size nobody set: do not shrink the pty to nothing */
        if (ioctl(to_fd, TIOCSWINSZ, &ws) < 0)
                return log_error_errno(errno, "Failed to set the terminal window size: %m");
        return 1;
}

int terminal_set_size(int fd, unsigned rows, unsigned cols) {
        struct winsize ws = {};

        if (rows > USHRT_MAX || cols > USHRT_MAX)
                return log_error_errno(SYNTHETIC_ERRNO(ERANGE),
                                       "Failed to set the terminal window size: %ux%u is too large.",
                                       rows, cols);

        ws.ws_row = (unsigned short) rows;
        ws.ws_col = (unsigned short) cols;
        if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
                return log_error_errno(errno, "Failed to set the terminal window size to %ux%u: %m",
                                       rows, cols);
        return 0;
}

int console_socket_connect(const char *path, int *ret_fd) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -EBADF, dir_fd = -EBADF;
        struct stat st;

        assert(path);
        assert(ret_fd);

        if (stat(path, &st) < 0)
                return log_error_errno(errno, "Failed to use console socket '%s': %m", path);
        if (!S_ISSOCK(st.st_mode))
                return log_error_errno(SYNTHETIC_ERRNO(ENOTSOCK),
                                       "Failed to use console socket '%s': not a socket", path);

        if (strlen(path) < sizeof(sa.sun_path))
                strcpy(sa.sun_path, path);
        else {
                /* Too long for sun_path: reach the socket through an O_PATH fd of its directory. */
                _cleanup_free_ char *name = NULL;
                int r;

                r = open_parent(path, &dir_fd, &name);
                if (r < 0)
                        return log_error_errno(r, "Failed to use console socket '%s': %m", path);
                r = sockaddr_un_at(dir_fd, name, &sa);
                if (r < 0)
                        return log_error_errno(SYNTHETIC_ERRNO(ENAMETOOLONG),
                                               "Failed to use console socket '%s': file name too long",
                                               path);
        }

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return log_error_errno(errno, "Failed to create a socket for console socket '%s': %m", path);
        if (connect(fd, (const struct sockaddr *) &sa, sizeof(sa)) < 0)
                return log_error_errno(errno, "Failed to connect to console socket '%s': %m", path);

        *ret_fd = TAKE_FD(fd);
        return 0;
}

int console_socket_send(int sock, int master) {
        int r;

        r = send_fd(sock, master, "/dev/ptmx");
        if (r < 0)
                return log_error_errno(r, "Failed to send the pty master over the console socket: %m");
        return 0;
}

/* ---------------------------------------------------------------- foreground loop */

typedef struct CopyBuffer {
        size_t start, len;
        char data[COPY_BUFFER_SIZE];
} CopyBuffer;

typedef struct Forwarder {
        const ForegroundOptions *o;
        int size_fd;            /* window size source: in_fd or out_fd if a tty, else -EBADF */
        bool in_done;           /* in_fd hit EOF (or an error): no longer read */
        bool veof_pending;      /* write VEOF once in_buf is empty and the process read it all */
        bool master_done;       /* the master gave EIO/EOF (or went quiet while draining) */
        bool master_input_dead; /* writing to the master failed: input is dropped */
        bool out_dead;          /* writing to out_fd failed: output is read and dropped */
        bool reaped;
        int exit_code;
        uint64_t last_io_usec; /* when the master last gave output or took input */
        CopyBuffer in_buf;  /* in_fd -> master */
        CopyBuffer out_buf; /* master -> out_fd */
} Forwarder;

static uint64_t now_usec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000U + (uint64_t) ts.tv_nsec / 1000U;
}

static size_t buffer_space(CopyBuffer *b) {
        if (b->len == 0)
                b->start = 0;
        else if (b->start > 0 && b->start + b->len == sizeof(b->data)) {
                memmove(b->data, b->data + b->start, b->len);
                b->start = 0;
        }
        return sizeof(b->data) - b->start - b->len;
}

/* Read once from fd into b. Returns bytes read, 0 on EOF, -EAGAIN if nothing was there, or -errno. */
static ssize_t buffer_fill(CopyBuffer *b, int fd) {
        size_t space = buffer_space(b);
        ssize_t n;

        if (space == 0)
                return -ENOBUFS;
        do
                n = read(fd, b->data + b->start + b->len, space);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return errno == EWOULDBLOCK ? -EAGAIN : -errno;
        b->len += (size_t) n;
        return n;
}

/* Write once from b to fd, at most max bytes. Returns bytes written, -EAGAIN, or -errno. */
static ssize_t buffer_flush(CopyBuffer *b, int fd, size_t max) {
        size_t l = b->len < max ? b->len : max;
        ssize_t n;

        if (l == 0)
                return 0;
        do
                n = write(fd, b->data + b->start, l);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return errno == EWOULDBLOCK ? -EAGAIN : -errno;
        b->start += (size_t) n;
        b->len -= (size_t) n;
        return n;
}

static void buffer_clear(CopyBuffer *b) {
        b->start = b->len = 0;
}

static bool have_master(const Forwarder *f) {
        return f->o->master >= 0;
}

/* Reap every child that has exited. Returns 1 once o->pid is reaped (exit code stored), 0 otherwise. */
static int forwarder_reap(Forwarder *f) {
        for (;;) {
                int status;
                pid_t p;

                p = waitpid(-1, &status, WNOHANG | __WALL);
                if (p < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == ECHILD && f->reaped)
                                return 1;
                        return log_error_errno(errno, "Failed to wait for process %d: %m", (int) f->o->pid);
                }
                if (p == 0)
                        return f->reaped;
                if (p == f->o->pid) {
                        f->reaped = true;
                        f->exit_code = status_to_exit_code(status);
                        log_debug("Process %d exited, exit code %d.", (int) p, f->exit_code);
                }
                /* Anything else is an orphan of the container that came to us as subreaper. */
        }
}

static void forwarder_resize(Forwarder *f) {
        if (f->size_fd >= 0)
                (void) terminal_copy_window_size(f->size_fd, f->o->master);
}

static int forwarder_handle_signals(Forwarder *f, int sfd) {
        for (;;) {
                struct signalfd_siginfo si;
                ssize_t n;

                n = read(sfd, &si, sizeof(si));
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN)
                                return 0;
                        return log_error_errno(errno, "Failed to read from signalfd: %m");
                }
                if ((size_t) n != sizeof(si))
                        return log_error_errno(SYNTHETIC_ERRNO(EIO), "Short read from signalfd.");

                if (si.ssi_signo == SIGCHLD) {
                        int r = forwarder_reap(f);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (si.ssi_signo == SIGWINCH && have_master(f)) {
                        forwarder_resize(f);
                        continue;
                }
                if (si.ssi_signo == SIGPIPE && (pid_t) si.ssi_pid == getpid())
                        continue; /* our own write to a closed out_fd (handled as EPIPE there) */

                log_debug("Forwarding signal %u to process %d.", si.ssi_signo, (int) f->o->pid);
                if (kill(f->o->pid, (int) si.ssi_signo) < 0 && errno != ESRCH)
                        log_warning_errno(errno, "Failed to forward signal %u to process %d, ignoring: %m",
                                          si.ssi_signo, (int) f->o->pid);
        }
}

static void forwarder_read_input(Forwarder *f) {
        ssize_t n = buffer_fill(&f->in_buf, f->o->in_fd);

        if (n == -EAGAIN || n == -ENOBUFS || n > 0)
                return;
        /* EOF, or an error that means the same for us (EIO: the caller's terminal hung up, or we are in
         * its background with SIGTTIN blocked). */
        if (n < 0)
                log_debug_errno((int) n, "Reading input failed, treating as EOF: %m");
        f->in_done = true;
        f->veof_pending = true;
}

static void forwarder_write_master(Forwarder *f) {
        ssize_t n;

        n = buffer_flush(&f->in_buf, f->o->master, SIZE_MAX);
        if (n > 0)
                f->last_io_usec = now_usec();
        if (n >= 0 || n == -EAGAIN)
                return;
        log_debug_errno((int) n, "Writing to the pty failed, dropping input: %m");
        f->master_input_dead = f->in_done = true;
        f->veof_pending = false;
        buffer_clear(&f->in_buf);
}

/* in_fd has ended: tell the process with the pty's VEOF character (^D). In canonical mode that is end of
 * input; shells with line editing (busybox ash, bash's readline) turn ICANON off while reading a line and
 * take ^D on an empty line as end of input themselves, so it is written in both modes. It is written only
 * once the process has read everything before it and has been quiet for a moment (a shell that printed
 * its prompt and waits): a ^D that arrives while a shell is still busy with an earlier line is stored as
 * a canonical-mode EOF mark, which turns into a NUL when the shell's line editor then switches the pty out
 * of canonical mode. Returns true once done (written or given up), false to try again later. */
static bool forwarder_try_veof(Forwarder *f) {
        _cleanup_close_ int peer = -EBADF;
        struct termios t;
        char c = 0x04; /* ^D, should tcgetattr() fail */
        int queued = 0;
        ssize_t n;

        /* What is still unread on the slave side: open a slave of our own with TIOCGPTPEER (closed right
         * away, so that the master still sees EIO when the process's slave goes). */
        /* Also after our last write: the line discipline takes input in asynchronously, so FIONREAD may
         * not count it yet. */
        if (now_usec() < f->last_io_usec + VEOF_IDLE_USEC)
                return false;

        peer = ioctl(f->o->master, TIOCGPTPEER, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
        if (peer >= 0 && ioctl(peer, FIONREAD, &queued) >= 0 && queued > 0)
                return false;
        peer = safe_close(peer);

        /* On a pty master, tcgetattr() reports the slave's settings: what the process asked for. */
        if (tcgetattr(f->o->master, &t) >= 0) {
                if (t.c_cc[VEOF] == _POSIX_VDISABLE)
                        return true;
                c = (char) t.c_cc[VEOF];
        }
        do
                n = write(f->o->master, &c, 1);
        while (n < 0 && errno == EINTR);
        if (n < 0 && errno == EAGAIN)
                return false;
        if (n < 0)
                log_debug_errno(errno, "Failed to write VEOF to the pty, ignoring: %m");
        return true;
}

static void forwarder_read_master(Forwarder *f) {
        ssize_t n = buffer_fill(&f->out_buf, f->o->master);

        if (n > 0)
                f->last_io_usec = now_usec();
        if (n > 0 && (f->out_dead || f->o->out_fd < 0))
                buffer_clear(&f->out_buf);
        if (n == -EAGAIN || n == -ENOBUFS || n > 0)
                return;
        /* EIO: every slave fd is closed and everything written to it has been read. */
        if (n < 0 && n != -EIO)
                log_debug_errno((int) n, "Reading from the pty failed: %m");
        f->master_done = true;
}

static void forwarder_write_output(Forwarder *f) {
        /* out_fd may be blocking and is shared with the caller: after POLLOUT, at most PIPE_BUF bytes go
         * into a pipe without blocking. */
        ssize_t n = buffer_flush(&f->out_buf, f->o->out_fd, PIPE_BUF);

        if (n >= 0 || n == -EAGAIN)
                return;
        log_debug_errno((int) n, "Writing output failed, dropping output: %m");
        f->out_dead = true;
        buffer_clear(&f->out_buf);
}

static bool veof_due(const Forwarder *f) {
        return f->veof_pending && f->in_buf.len == 0 && !f->master_input_dead && !f->reaped;
}

enum { PFD_SIGNAL, PFD_IN, PFD_MASTER, PFD_OUT, _PFD_MAX };

/* Fill in what we wait for. An fd with nothing to wait for is left out entirely (fd = -1): POLLHUP and
 * POLLERR are reported even when not asked for, and would make us spin. */
static void forwarder_pollfds(Forwarder *f, int sfd, struct pollfd p[static _PFD_MAX]) {
        const ForegroundOptions *o = f->o;

        p[PFD_SIGNAL] = (struct pollfd) { .fd = sfd, .events = sfd >= 0 ? POLLIN : 0 };
        p[PFD_IN] = (struct pollfd) { .fd = o->in_fd };
        p[PFD_MASTER] = (struct pollfd) { .fd = o->master };
        p[PFD_OUT] = (struct pollfd) { .fd = o->out_fd };

        if (have_master(f)) {
                if (!f->reaped && !f->in_done && !f->master_input_dead && o->in_fd >= 0 &&
                    buffer_space(&f->in_buf) > 0)
                        p[PFD_IN].events |= POLLIN;
                if (!f->master_done && buffer_space(&f->out_buf) > 0)
                        p[PFD_MASTER].events |= POLLIN;
                if (!f->reaped && !f->master_input_dead && f->in_buf.len > 0)
                        p[PFD_MASTER].events |= POLLOUT;
                if (!f->out_dead && o->out_fd >= 0 && f->out_buf.len > 0)
                        p[PFD_OUT].events |= POLLOUT;
        }

        for (size_t i = 0; i < _PFD_MAX; i++)
                if (p[i].events == 0)
                        p[i].fd = -1;
}

static void forwarder_do_io(Forwarder *f, const struct pollfd p[static _PFD_MAX]) {
        if (p[PFD_IN].fd >= 0 && p[PFD_IN].revents)
                forwarder_read_input(f);
        if (p[PFD_MASTER].fd >= 0 && (p[PFD_MASTER].revents & (POLLOUT | POLLERR | POLLHUP)) &&
            (p[PFD_MASTER].events & POLLOUT))
                forwarder_write_master(f);
        if (p[PFD_MASTER].fd >= 0 && (p[PFD_MASTER].revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL)) &&
            (p[PFD_MASTER].events & POLLIN))
                forwarder_read_master(f);
        if (p[PFD_OUT].fd >= 0 && p[PFD_OUT].revents)
                forwarder_write_output(f);
}

/* pid has exited: pass on what is left in the pty, bounded in time. */
static void forwarder_drain(Forwarder *f) {
        uint64_t deadline = now_usec() + DRAIN_TOTAL_USEC;

        for (;;) {
                struct pollfd p[_PFD_MAX];
                uint64_t now = now_usec();
                int timeout, k;

                forwarder_pollfds(f, /* sfd= */ -EBADF, p);
                if (p[PFD_MASTER].fd < 0 && p[PFD_OUT].fd < 0)
                        return; /* master done (or our buffer full and out_fd gone) and everything written */
                if (now >= deadline)
                        return;
                timeout = (int) ((deadline - now + 999U) / 1000U);
                if (timeout > DRAIN_IDLE_MSEC)
                        timeout = DRAIN_IDLE_MSEC;

                k = poll(p, _PFD_MAX, timeout);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        log_debug_errno(errno, "Failed to poll while draining the pty: %m");
                        return;
                }
                if (k == 0) {
                        /* Quiet: the slave may still be open elsewhere, and EIO may never come. Stop
                         * reading, but keep flushing what we have to a slow out_fd until the deadline. */
                        if (p[PFD_MASTER].fd >= 0)
                                f->master_done = true;
                        continue;
                }
                forwarder_do_io(f, p);
        }
}

static int fd_set_nonblock(int fd) {
        int flags = fcntl(fd, F_GETFL);

        if (flags < 0)
                return -errno;
        if (flags & O_NONBLOCK)
                return 0;
        return RET_NERRNO(fcntl(fd, F_SETFL, flags | O_NONBLOCK));
}

int foreground_wait(const ForegroundOptions *o) {
        _cleanup_free_ Forwarder *f = NULL;
        _cleanup_close_ int sfd = -EBADF;
        sigset_t all;
        int r;

        assert(o);
        assert(o->pid > 0);

        /* Two 16K buffers: keep them off the stack. */
        f = calloc(1, sizeof(Forwarder));
        if (!f)
                return log_oom();
        f->o = o;
        f->size_fd = -EBADF;

        sigfillset(&all);
        sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0)
                return log_error_errno(errno, "Failed to create signalfd: %m");

        if (have_master(f)) {
                /* The master is ours alone, so it may be non-blocking; in_fd and out_fd are the caller's
                 * (shared with its shell) and are left alone. */
                r = fd_set_nonblock(o->master);
                if (r < 0)
                        return log_error_errno(r, "Failed to make the pty master non-blocking: %m");

                /* The initial size is the caller's business (process.consoleSize may win over it). */
                if (o->in_fd >= 0 && isatty(o->in_fd))
                        f->size_fd = o->in_fd;
                else if (o->out_fd >= 0 && isatty(o->out_fd))
                        f->size_fd = o->out_fd;
        }

        /* It may have exited already, its SIGCHLD taken by someone before us. */
        r = forwarder_reap(f);
        if (r < 0)
                return r;

        while (!f->reaped) {
                struct pollfd p[_PFD_MAX];

                forwarder_pollfds(f, sfd, p);
                /* A pending VEOF waits for the process to read its input: look again every 50ms. */
                if (poll(p, _PFD_MAX, veof_due(f) ? 50 : -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return log_error_errno(errno, "Failed to poll: %m");
                }

                /* Signals first: a SIGWINCH that came with input resizes the pty before the process
                 * reads that input (a `stty size` typed after a resize sees the new size). */
                if (p[PFD_SIGNAL].revents) {
                        r = forwarder_handle_signals(f, sfd);
                        if (r < 0)
                                return r;
                }
                forwarder_do_io(f, p);

                if (veof_due(f) && forwarder_try_veof(f))
                        f->veof_pending = false;
        }

        if (have_master(f))
                forwarder_drain(f);

        return f->exit_code;
}
