/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "fd-util.h"
#include "parse-util.h"
#include "process-util.h"

static int pid_read_stat(pid_t pid, char *state, uint64_t *start_time) {
        char path[64], buf[1024], *p;
        _cleanup_close_ int fd = -EBADF;
        unsigned long long st;
        int n;

        snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? -ESRCH : -errno;
        n = loop_read(fd, buf, sizeof buf - 1);
        if (n < 0)
                return n == -ESRCH ? -ESRCH : n;
        buf[n] = 0;
        /* comm may contain spaces and ')': parse from the last ')'. */
        p = strrchr(buf, ')');
        if (!p)
                return -EIO;
        /* Fields after comm: 3 state ... 22 starttime. */
        if (sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                   state, &st) != 2)
                return -EIO;
        *start_time = st;
        return 0;
}

int pid_get_start_time(pid_t pid, uint64_t *ret) {
        uint64_t st;
        char state;
        int r;

        r = pid_read_stat(pid, &state, &st);
        if (r < 0)
                return r;
        *ret = st;
        return 0;
}

bool pid_is_alive(pid_t pid, uint64_t start_time) {
        uint64_t st;
        char state;

        if (pid <= 0)
                return false;
        if (pid_read_stat(pid, &state, &st) < 0)
                return false;
        if (state == 'Z' || state == 'X')
                return false;
        /* No recorded start time means "not ours": never "matches anything". */
        return start_time != 0 && st == start_time;
}

int wait_for_pid(pid_t pid, int *ret_status) {
        int status;

        for (;;) {
                if (waitpid(pid, &status, __WALL) >= 0)
                        break;
                if (errno != EINTR)
                        return -errno;
        }
        if (ret_status)
                *ret_status = status;
        return 0;
}

void pid_kill_and_reap(pid_t pid) {
        if (pid <= 0)
                return;
        (void) kill(pid, SIGKILL);
        (void) wait_for_pid(pid, NULL);
}

int status_to_exit_code(int status) {
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return 255;
}
