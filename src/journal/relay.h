/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The journal relay (DESIGN.md §5). journald files a stream line under the cgroup of the process
 * that wrote it, so a container in a scope of its own would not show in `journalctl -u
 * container@NAME`. When berth's stdout/stderr is the journal ($JOURNAL_STREAM) and no terminal,
 * `run -d` gives the container pipes instead and forks and execs berth-relay (berth-relay.c: a
 * small static program without libsystemd, installed in libexecdir/berth/, or found next to berth
 * in a build dir), which stays in berth's own (the service's) cgroup, reads the pipes and sends each
 * line natively to journald (journal-native.h): MESSAGE, PRIORITY (6 for stdout, 3 for stderr),
 * SYSLOG_IDENTIFIER=<id>, CONTAINER_ID, CONTAINER_PID. It drains to EOF (every signal but SIGKILL
 * and faults is blocked; what systemd sends the unit is passed on to the container's processes
 * outside the relay's cgroup), uses fixed buffers (a line longer than RELAY_LINE_MAX is split), and
 * outlives the container only while what it left is still arriving: RELAY_LINGER_USEC of silence
 * after the init exited ends it. */

#include <stdbool.h>
#include <sys/types.h>

#define RELAY_LINE_MAX 8192U              /* bytes per journal message; longer lines are split */
#define RELAY_LINGER_USEC (1000U * 1000U) /* after the init exits: stop after this long without data */

typedef struct Relay {
        pid_t pid;    /* the relay process, 0 if none */
        int ctl;      /* write end: the init's pid goes here, then it is closed */
        int saved[2]; /* berth's own stdout/stderr while the container's are the pipes */
} Relay;

#define RELAY_NULL ((Relay){.ctl = -EBADF, .saved = {-EBADF, -EBADF}})

/* Whether fd 1 or fd 2 is the journal stream of $JOURNAL_STREAM and neither is a terminal. */
bool relay_wanted(void);

/* Start the relay (fork + exec of berth-relay) and make fds 1 and 2 (those that are the journal
 * stream) pipes to it, for the container to inherit. berth's own log messages keep going to the
 * journal stream. A missing berth-relay fails here, before the container exists. */
int relay_start(Relay *r, const char *id);

/* The container runs (init is its pid): tell the relay, and give berth its stdout/stderr back. */
void relay_handover(Relay *r, pid_t init);

/* Give berth its stdout/stderr back. A relay never handed an init drains what it got and exits. */
void relay_done(Relay *r);
