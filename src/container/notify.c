/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "fd-util.h"
#include "log.h"
#include "notify.h"
#include "path-util.h"
#include "socket-util.h"
#include "strv.h"

#define NOTIFY_FDS_MAX 16

/* The address of a $NOTIFY_SOCKET: a path, or "@name" (abstract). -EAFNOSUPPORT for other forms. */
static int notify_address(const char *target, struct sockaddr_un *sa, socklen_t *len) {
        size_t l = strlen(target);

        if (!IN_SET(target[0], '/', '@'))
                return -EAFNOSUPPORT;
        if (l >= sizeof sa->sun_path)
                return -ENAMETOOLONG;
        *sa = (struct sockaddr_un) { .sun_family = AF_UNIX };
        memcpy(sa->sun_path, target, l);
        if (target[0] == '@')
                sa->sun_path[0] = '\0';
        *len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + l + (target[0] == '/'));
        return 0;
}

static int notify_send(int out, const char *target, const char *msg, size_t len) {
        struct sockaddr_un sa;
        socklen_t sl;
        int r;

        r = notify_address(target, &sa, &sl);
        if (r < 0)
                return r;
        return RET_NERRNO(sendto(out, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT, (struct sockaddr *) &sa, sl));
}

int service_prepare(Notify *n, const char *state_dir, bool detached, MountPlan *plan, char ***env) {
        const char *target = getenv("NOTIFY_SOCKET"), *creds = getenv("CREDENTIALS_DIRECTORY");
        _cleanup_free_ char *source = NULL;
        struct sockaddr_un sa;
        struct stat st;
        socklen_t sl;
        int r;

        assert(n);
        assert(state_dir);
        if (target && *target) {
                r = notify_address(target, &sa, &sl);
                if (r < 0)
                        log_warning_errno(r, "Unsupported $NOTIFY_SOCKET '%s', ignoring: %m", target);
                else {
                        source = path_join(state_dir, NOTIFY_SOCKET_NAME);
                        n->target = strdup(target);
                        if (!source || !n->target || mount_plan_add_bind(plan, source, NOTIFY_CONTAINER_PATH, false) < 0 ||
                            strv_env_set(env, "NOTIFY_SOCKET", NOTIFY_CONTAINER_PATH) < 0)
                                return log_oom();
                        n->mainpid = detached;
                }
        }
        if (creds && *creds) {
                if (!path_is_absolute(creds))
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "$CREDENTIALS_DIRECTORY: '%s' is not absolute",
                                               creds);
                if (stat(creds, &st) < 0)
                        return log_error_errno(errno, "Failed to access $CREDENTIALS_DIRECTORY '%s': %m", creds);
                if (!S_ISDIR(st.st_mode))
                        return log_error_errno(SYNTHETIC_ERRNO(ENOTDIR),
                                               "$CREDENTIALS_DIRECTORY '%s' is not a directory", creds);
                if (mount_plan_add_bind(plan, creds, creds, /* readonly= */ true) < 0 ||
                    strv_env_set(env, "CREDENTIALS_DIRECTORY", creds) < 0)
                        return log_oom();
        }
        return 0;
}

int notify_bind(Notify *n, int dir_fd) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa;
        int r;

        assert(n);
        if (!n->target)
                return 0;
        r = sockaddr_un_at(dir_fd, NOTIFY_SOCKET_NAME, &sa);
        if (r < 0)
                return log_error_errno(r, "Failed to bind the notify socket: %m");
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return log_error_errno(errno, "Failed to create the notify socket: %m");
        if (bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                return log_error_errno(errno, "Failed to bind the notify socket: %m");
        /* Any user of the container may notify, as with runc. */
        if (fchmodat(dir_fd, NOTIFY_SOCKET_NAME, 0777, 0) < 0)
                return log_error_errno(errno, "Failed to make the notify socket writable: %m");
        n->fd = TAKE_FD(fd);
        return 0;
}

/* The container's message, as sent on: without MAINPID= (a pid in its own namespace) and BARRIER=1
 * (its fd is closed once the message is on its way, which is what the sender waits for), with our
 * MAINPID= if asked. Returns the length, 0 if nothing is left to send. */
static size_t forward_text(const Notify *n, pid_t init, char *msg, size_t len, char *out, size_t out_size) {
        size_t k = 0;
        char *save = NULL;

        msg[len] = '\0';
        for (char *l = strtok_r(msg, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                size_t m = strlen(l);

                if (startswith(l, "MAINPID=") || streq(l, "BARRIER=1") || k + m + 1 >= out_size)
                        continue;
                memcpy(out + k, l, m);
                k += m;
                out[k++] = '\n';
        }
        if (k == 0)
                return 0;
        if (n->mainpid)
                k += (size_t) snprintf(out + k, out_size - k, "MAINPID=%d\n", (int) init);
        return k;
}

static void forward_one(const Notify *n, int out, pid_t init) {
        char msg[NOTIFY_MESSAGE_MAX + 1], fwd[NOTIFY_MESSAGE_MAX + 64];
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int) * NOTIFY_FDS_MAX)];
        } control = {};
        struct iovec iov = { .iov_base = msg, .iov_len = NOTIFY_MESSAGE_MAX };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof control };
        ssize_t l;
        size_t k;

        l = recvmsg(n->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
        if (l < 0)
                return;
        k = forward_text(n, init, msg, (size_t) l > NOTIFY_MESSAGE_MAX ? NOTIFY_MESSAGE_MAX : (size_t) l, fwd, sizeof fwd);
        if (k > 0)
                (void) notify_send(out, n->target, fwd, k);
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
                        for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++)
                                safe_close(((int *) CMSG_DATA(c))[i]);
}

/* Close every fd but those in keep (sorted ascending, all >= 3). */
static void close_all_but(const int *keep, size_t n) {
        unsigned from = 3;

        for (size_t i = 0; i < n; i++) {
                if ((unsigned) keep[i] > from)
                        (void) syscall(SYS_close_range, from, (unsigned) keep[i] - 1, 0);
                from = (unsigned) keep[i] + 1;
        }
        (void) syscall(SYS_close_range, from, ~0U, 0);
}

static int cmp_int(const void *a, const void *b) {
        return (*(const int *) a > *(const int *) b) - (*(const int *) a < *(const int *) b);
}

_noreturn_ static void forwarder_main(const Notify *n, pid_t init) {
        int pidfd, out, null, keep[3];
        sigset_t none;

        (void) prctl(PR_SET_NAME, "berth-notify");
        (void) prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
        (void) signal(SIGPIPE, SIG_IGN);
        sigemptyset(&none);
        (void) sigprocmask(SIG_SETMASK, &none, NULL);
        /* Nothing of berth's stays open here: not the caller's pipes (whoever reads berth's output
         * would wait for us), not the state dir's lock. */
        null = open("/dev/null", O_RDWR | O_CLOEXEC);
        for (int i = 0; null >= 0 && i < 3; i++)
                (void) dup2(null, i);
        safe_close(null);
        pidfd = (int) syscall(SYS_pidfd_open, init, 0);
        out = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (pidfd < 0 || out < 0)
                _exit(EXIT_FAILURE);
        keep[0] = n->fd, keep[1] = pidfd, keep[2] = out;
        qsort(keep, 3, sizeof keep[0], cmp_int);
        close_all_but(keep, 3);

        for (;;) {
                struct pollfd p[2] = {
                        { .fd = n->fd, .events = POLLIN },
                        { .fd = pidfd, .events = POLLIN },
                };

                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (p[0].revents & POLLIN)
                        forward_one(n, out, init);
                else if (p[1].revents)
                        break; /* the init is gone, and nothing is queued */
        }
        _exit(EXIT_SUCCESS);
}

int notify_forward_start(Notify *n, pid_t init) {
        pid_t pid;

        assert(n);
        if (n->fd < 0)
                return 0;
        pid = fork();
        if (pid < 0)
                return log_error_errno(errno, "Failed to start the notify forwarder: %m");
        if (pid == 0)
                forwarder_main(n, init);
        /* It outlives us: the caller's (the service's) cgroup holds it, its reaper reaps it. */
        n->fd = safe_close(n->fd);
        return 0;
}

void notify_send_mainpid(const Notify *n, pid_t init) {
        _cleanup_close_ int out = -EBADF;
        char msg[32];
        int r;

        assert(n);
        if (!n->target || !n->mainpid)
                return;
        out = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (out < 0)
                return (void) log_debug_errno(errno, "Failed to create a socket, ignoring: %m");
        (void) snprintf(msg, sizeof msg, "MAINPID=%d", (int) init);
        r = notify_send(out, n->target, msg, strlen(msg));
        if (r < 0)
                log_debug_errno(r, "Failed to send MAINPID=%d to '%s', ignoring: %m", (int) init, n->target);
}

void notify_done(Notify *n) {
        assert(n);
        n->target = mfree(n->target);
        n->fd = safe_close(n->fd);
}
