/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "macro.h"
#include "parse-util.h"

int safe_atou64(const char *s, uint64_t *ret) {
        unsigned long long v;
        char *end;

        if (!s || !isdigit((unsigned char) s[0]))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno == ERANGE)
                return -ERANGE;
        if (*end)
                return -EINVAL;
        *ret = v;
        return 0;
}

int safe_atou32(const char *s, uint32_t *ret) {
        uint64_t v;
        int r;

        r = safe_atou64(s, &v);
        if (r < 0)
                return r;
        if (v > UINT32_MAX)
                return -ERANGE;
        *ret = (uint32_t) v;
        return 0;
}

int safe_atoi(const char *s, int *ret) {
        long v;
        char *end;

        if (!s || !*s || isspace((unsigned char) s[0]))
                return -EINVAL;
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno == ERANGE || v > INT32_MAX || v < INT32_MIN)
                return -ERANGE;
        if (*end)
                return -EINVAL;
        *ret = (int) v;
        return 0;
}

static const struct {
        const char *name;
        int sig;
} signal_table[] = {
        { "HUP", SIGHUP },       { "INT", SIGINT },       { "QUIT", SIGQUIT },     { "ILL", SIGILL },
        { "TRAP", SIGTRAP },     { "ABRT", SIGABRT },     { "IOT", SIGIOT },       { "BUS", SIGBUS },
        { "FPE", SIGFPE },       { "KILL", SIGKILL },     { "USR1", SIGUSR1 },     { "SEGV", SIGSEGV },
        { "USR2", SIGUSR2 },     { "PIPE", SIGPIPE },     { "ALRM", SIGALRM },     { "TERM", SIGTERM },
        { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },     { "CONT", SIGCONT },     { "STOP", SIGSTOP },
        { "TSTP", SIGTSTP },     { "TTIN", SIGTTIN },     { "TTOU", SIGTTOU },     { "URG", SIGURG },
        { "XCPU", SIGXCPU },     { "XFSZ", SIGXFSZ },     { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
        { "WINCH", SIGWINCH },   { "IO", SIGIO },         { "POLL", SIGPOLL },     { "PWR", SIGPWR },
        { "SYS", SIGSYS },
};

int signal_from_string(const char *s) {
        const char *n = s;
        int v;

        if (!s || !*s)
                return -EINVAL;
        if (safe_atoi(s, &v) >= 0)
                return v >= 1 && v < _NSIG ? v : -EINVAL;
        if (strncasecmp(n, "SIG", 3) == 0)
                n += 3;
        for (size_t i = 0; i < ELEMENTSOF(signal_table); i++)
                if (strcasecmp(n, signal_table[i].name) == 0)
                        return signal_table[i].sig;
        if (strncasecmp(n, "RTMIN", 5) == 0) {
                if (!n[5])
                        return SIGRTMIN;
                if (n[5] == '+' && n[6] >= '0' && n[6] <= '9' && safe_atoi(n + 6, &v) >= 0 && v >= 0 && SIGRTMIN + v <= SIGRTMAX)
                        return SIGRTMIN + v;
        }
        if (strncasecmp(n, "RTMAX", 5) == 0) {
                if (!n[5])
                        return SIGRTMAX;
                if (n[5] == '-' && n[6] >= '0' && n[6] <= '9' && safe_atoi(n + 6, &v) >= 0 && v >= 0 && SIGRTMAX - v >= SIGRTMIN)
                        return SIGRTMAX - v;
        }
        return -EINVAL;
}
