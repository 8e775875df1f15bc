/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* killafter USEC CMD [ARG...]: run CMD, SIGKILL it USEC microseconds after the fork (if it is still
 * running), and exit with its status as the shell reports it (128+N when killed by signal N).
 * Fault injection for the integration tests: a shell's `sleep` is too coarse for 0-12 ms. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        struct timespec ts;
        long usec;
        char *end;
        pid_t pid;
        int status;

        if (argc < 3) {
                fprintf(stderr, "usage: killafter USEC CMD [ARG...]\n");
                return 2;
        }
        errno = 0;
        usec = strtol(argv[1], &end, 10);
        if (errno != 0 || *end || usec < 0) {
                fprintf(stderr, "killafter: bad USEC '%s'\n", argv[1]);
                return 2;
        }
        pid = fork();
        if (pid < 0) {
                perror("fork");
                return 2;
        }
        if (pid == 0) {
                execvp(argv[2], argv + 2);
                perror("execvp");
                _exit(127);
        }
        ts = (struct timespec) { .tv_sec = usec / 1000000, .tv_nsec = (usec % 1000000) * 1000 };
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
        (void) kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        perror("waitpid");
                        return 2;
                }
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return WEXITSTATUS(status);
}
