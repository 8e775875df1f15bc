/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* recvtty: the receiving end of --console-socket, for the tests (the idea of runc's tests/cmd/recvtty).
 *
 *   recvtty [--command TEXT | --copy] [--timeout SECS] SOCKETPATH
 *
 * Listens on SOCKETPATH (an existing file there is replaced) before doing anything else, so a test that
 * started it in the background can wait for the socket to appear. Accepts ONE connection and receives
 * the pty master with SCM_RIGHTS, then:
 *   (default)        prints everything the master outputs on stdout;
 *   --command TEXT   writes TEXT to the master first (C escapes \n \r \t \\ \e \xHH are decoded), then
 *                    prints the output;
 *   --copy           copies stdin to the master as well (stdin EOF stops that direction only).
 * Output is read until the pty reports EIO (every slave fd closed) or EOF, or until SECS (default 10)
 * have passed; exits 0 then (2 on a timeout, 1 on errors). The name sent along with the fd is reported
 * on stderr: "recvtty: received fd (NAME)". The socket file is removed on exit. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fd-util.h"
#include "macro.h"
#include "socket-util.h"

static const char *arg_socket;
static char *arg_command;
static size_t arg_command_len;
static bool arg_copy;
static unsigned arg_timeout = 10;

static int unescape(const char *s, char **ret, size_t *ret_len) {
        char *buf = malloc(strlen(s) + 1), *d = buf;

        if (!buf)
                return -ENOMEM;
        while (*s) {
                if (*s != '\\' || !s[1]) {
                        *d++ = *s++;
                        continue;
                }
                s++;
                switch (*s) {
                case 'n': *d++ = '\n'; s++; break;
                case 'r': *d++ = '\r'; s++; break;
                case 't': *d++ = '\t'; s++; break;
                case 'e': *d++ = 0x1b; s++; break;
                case '\\': *d++ = '\\'; s++; break;
                case 'x':
                        if (isxdigit((unsigned char) s[1]) && isxdigit((unsigned char) s[2])) {
                                char h[3] = { s[1], s[2], 0 };
                                *d++ = (char) strtoul(h, NULL, 16);
                                s += 3;
                                break;
                        }
                        __attribute__((fallthrough));
                default:
                        *d++ = '\\';
                        break;
                }
        }
        *ret_len = (size_t) (d - buf);
        *ret = buf;
        return 0;
}

static void help(void) {
        printf("Usage: recvtty [--command TEXT | --copy] [--timeout SECS] SOCKETPATH\n");
}

static int parse_argv(int argc, char *argv[]) {
        static const struct option options[] = {
                { "command", required_argument, NULL, 'c' },
                { "copy", no_argument, NULL, 'C' },
                { "timeout", required_argument, NULL, 't' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        int c;

        while ((c = getopt_long(argc, argv, "c:t:h", options, NULL)) >= 0)
                switch (c) {
                case 'c':
                        free(arg_command);
                        if (unescape(optarg, &arg_command, &arg_command_len) < 0)
                                return -ENOMEM;
                        break;
                case 'C':
                        arg_copy = true;
                        break;
                case 't': {
                        char *e;
                        unsigned long v;

                        errno = 0;
                        v = strtoul(optarg, &e, 10);
                        if (errno != 0 || *e || e == optarg || v == 0 || v > 3600) {
                                fprintf(stderr, "recvtty: bad --timeout '%s'\n", optarg);
                                return -EINVAL;
                        }
                        arg_timeout = (unsigned) v;
                        break;
                }
                case 'h':
                        help();
                        exit(EXIT_SUCCESS);
                case '?':
                        return -EINVAL;
                default:
                        abort();
                }

        if (optind != argc - 1) {
                fprintf(stderr, "recvtty: expected exactly one SOCKETPATH\n");
                return -EINVAL;
        }
        arg_socket = argv[optind];
        return 0;
}

static int listen_on(const char *path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -EBADF;

        if (strlen(path) >= sizeof(sa.sun_path)) {
                fprintf(stderr, "recvtty: socket path too long: %s\n", path);
                return -ENAMETOOLONG;
        }
        strcpy(sa.sun_path, path);

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        (void) unlink(path);
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
                fprintf(stderr, "recvtty: failed to listen on %s: %m\n", path);
                return -errno;
        }
        return TAKE_FD(fd);
}

static long long now_ms(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int wait_readable(int fd, long long deadline) {
        for (;;) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                long long left = deadline - now_ms();
                int k;

                if (left <= 0)
                        return -ETIMEDOUT;
                k = poll(&p, 1, (int) left);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k > 0)
                        return 0;
        }
}

/* Copy master -> stdout (and stdin -> master with --copy) until EIO/EOF or the deadline. */
static int relay(int master, long long deadline) {
        bool in_open = arg_copy;

        for (;;) {
                struct pollfd p[2] = {
                        { .fd = master, .events = POLLIN },
                        { .fd = in_open ? STDIN_FILENO : -1, .events = POLLIN },
                };
                long long left = deadline - now_ms();
                char buf[4096];
                ssize_t n;
                int k;

                if (left <= 0)
                        return -ETIMEDOUT;
                k = poll(p, 2, (int) left);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (p[1].revents) {
                        n = read(STDIN_FILENO, buf, sizeof(buf));
                        if (n <= 0)
                                in_open = false;
                        else if (loop_write(master, buf, (size_t) n) < 0)
                                in_open = false;
                }
                if (p[0].revents) {
                        n = read(master, buf, sizeof(buf));
                        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                                continue;
                        if (n < 0 && errno == EIO)
                                return 0;
                        if (n < 0)
                                return -errno;
                        if (n == 0)
                                return 0;
                        if (loop_write(STDOUT_FILENO, buf, (size_t) n) < 0)
                                return -EPIPE;
                }
        }
}

int main(int argc, char *argv[]) {
        _cleanup_close_ int lfd = -EBADF, conn = -EBADF, master = -EBADF;
        char name[256] = "";
        long long deadline;
        int r;

        if (parse_argv(argc, argv) < 0)
                return 1;

        lfd = listen_on(arg_socket);
        if (lfd < 0)
                return 1;
        deadline = now_ms() + (long long) arg_timeout * 1000;

        r = wait_readable(lfd, deadline);
        if (r < 0) {
                fprintf(stderr, "recvtty: no connection on %s: %s\n", arg_socket, strerror(-r));
                goto fail;
        }
        conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0) {
                fprintf(stderr, "recvtty: accept failed: %m\n");
                goto fail;
        }
        r = wait_readable(conn, deadline);
        if (r >= 0)
                r = recv_fd(conn, &master, name, sizeof(name));
        if (r < 0) {
                fprintf(stderr, "recvtty: failed to receive an fd: %s\n", strerror(-r));
                goto fail;
        }
        fprintf(stderr, "recvtty: received fd (%s)\n", name);
        (void) unlink(arg_socket);

        if (arg_command && loop_write(master, arg_command, arg_command_len) < 0) {
                fprintf(stderr, "recvtty: failed to write the command: %m\n");
                goto fail;
        }

        r = relay(master, deadline);
        if (r == -ETIMEDOUT) {
                fprintf(stderr, "recvtty: timed out after %us\n", arg_timeout);
                free(arg_command);
                return 2;
        }
        if (r < 0) {
                fprintf(stderr, "recvtty: relay failed: %s\n", strerror(-r));
                goto fail;
        }
        free(arg_command);
        return 0;

fail:
        (void) unlink(arg_socket);
        free(arg_command);
        return 1;
}
