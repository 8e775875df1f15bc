/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

/* The caller's terminal mode, saved by terminal_make_raw(). Usable as a cleanup:
 *     _cleanup_(terminal_restore) TerminalState ts = TERMINAL_STATE_NULL; */
typedef struct TerminalState {
        int fd;
        bool saved;
        struct termios attr;
} TerminalState;

#define TERMINAL_STATE_NULL ((TerminalState) { .fd = -EBADF })

/* If fd is a tty: save its attributes in *ret and switch it to raw mode (cfmakeraw(), as runc's
 * console.SetRaw()), returns 1. If fd is not a tty: ret->saved = false, returns 0. Logs errors; on error
 * the terminal is unchanged and ret->saved is false. */
int terminal_make_raw(int fd, TerminalState *ret);
/* The caller's terminal, as runc picks it: the first of stdin, stdout, stderr that is a tty;
 * STDIN_FILENO when none is (then raw mode and sizing are no-ops). */
int terminal_caller_tty(void);
/* Put back what terminal_make_raw() saved (TCSANOW). Idempotent; NULL and unsaved states are no-ops. */
void terminal_restore(TerminalState *t);

/* Copy the window size of from_fd (TIOCGWINSZ) to to_fd (TIOCSWINSZ). Returns 0 and does nothing when
 * from_fd is not a tty (or reports a 0x0 size), 1 when the size was copied. Logs errors. */
int terminal_copy_window_size(int from_fd, int to_fd);
/* TIOCSWINSZ. -ERANGE if rows or cols do not fit a terminal's 16 bits. Logs errors. */
int terminal_set_size(int fd, unsigned rows, unsigned cols);

/* Connect to the unix stream socket at path (an engine's --console-socket). Paths longer than sun_path
 * work too. A missing path or a non-socket gets an error naming the path. Logs errors. */
int console_socket_connect(const char *path, int *ret_fd);
/* Send the pty master over the console socket with SCM_RIGHTS, as runc does (data "/dev/ptmx"). Logs
 * errors. */
int console_socket_send(int sock, int master);

typedef struct ForegroundOptions {
        pid_t pid;  /* the process to wait for: our child (berth is a subreaper) */
        int master; /* pty master, or -EBADF: no terminal, just forward signals and wait */
        int in_fd;  /* caller's stdin (0); < 0: no input */
        int out_fd; /* caller's stdout (1); < 0: output is discarded */
} ForegroundOptions;

/* The foreground loop of `run` and `exec`.
 *
 * The caller has ALL signals blocked (sigprocmask); they are read from a signalfd. Every signal is
 * forwarded to pid, except:
 *   - SIGCHLD: children are reaped with waitpid(-1, WNOHANG|__WALL) until pid is reaped (other pids are
 *     orphans that came to us as subreaper, and are ignored);
 *   - SIGWINCH when there is a master: the pty gets the window size of in_fd (or of out_fd when in_fd is
 *     not a tty); the kernel then signals the pty's foreground process group itself;
 *   - SIGPIPE raised by our own write to a closed out_fd.
 *
 * With a master, in_fd -> master and master -> out_fd are copied with poll() through bounded buffers.
 * The window size is NOT copied at start: the caller does that (terminal_copy_window_size()) unless
 * process.consoleSize is to be kept; only a later SIGWINCH resizes. The master is switched to
 * O_NONBLOCK (it is ours); in_fd and out_fd are shared with the caller and stay as they are: they are
 * only read after POLLIN and written, at most PIPE_BUF at a time, after POLLOUT.
 *
 * When in_fd hits EOF it is no longer read; once the process has read all input before it and the pty
 * has been quiet for 100ms, the pty's VEOF character (^D) is written once so that a shell sees end of
 * input (canonical mode: EOF; line-editing shells, which turn ICANON off while reading, take ^D on an
 * empty line as EOF too).
 *
 * After pid has exited the master's remaining output is drained (until EIO/EOF, 100ms without output,
 * or 2s in all) before returning.
 *
 * Does not touch the caller's terminal mode: the caller does terminal_make_raw()/terminal_restore().
 * Returns pid's exit code (WEXITSTATUS, or 128+N when killed by signal N), or a negative errno (logged). */
int foreground_wait(const ForegroundOptions *o);
