/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one wire format across the clone() boundary (STYLE.md §3.6): parent <-> container child. */

#include <stddef.h>
#include <stdint.h>

typedef enum SyncType {
        SYNC_ERROR = 1,       /* child -> parent: text, errno; the child exits after it */
        SYNC_WARNING,         /* child -> parent: text to log as a warning */
        SYNC_DEBUG,           /* child -> parent: text to log at debug level */
        SYNC_USERMAP_REQUEST, /* stage-1 -> parent: write my uid_map/gid_map */
        SYNC_USERMAP_DONE,    /* parent -> stage-1 */
        SYNC_PID,             /* stage-1 -> parent: host pid of the container init (in error) */
        SYNC_READY,           /* init -> parent: set up, waiting for start (exec: about to execve) */
        SYNC_PTY_MASTER,      /* child -> parent: the pty master, as SCM_RIGHTS */
        SYNC_START,           /* parent -> init (run): go on to execve, no release socket needed;
                               * error: the init's host pid, text: created */
        SYNC_HOOKS_CREATE_RUNTIME, /* init -> parent: mounts done, before pivot_root: run prestart and
                                    * createRuntime hooks (sent only when the config has hooks) */
        SYNC_HOOKS_DONE,      /* parent -> init: hooks ran; error: the init's host pid, text: created */
        SYNC_HANDOVER,        /* parent -> init (create): recorded; wait for start on the release socket;
                               * error: the init's host pid, text: created */
        SYNC_EXEC,            /* parent -> init (run -d --pid-file): run's caller has reaped it, execve
                               * now (the init sends SYNC_READY first, when nothing but execve is left) */
        SYNC_CGROUP_READY,    /* parent -> init (systemd cgroup manager, new cgroup namespace): the init
                               * is in its scope; make the cgroup namespace now, rooted there */
} SyncType;

typedef struct SyncMsg {
        uint32_t type;
        int32_t error;
        uint32_t len;
        char text[];
} SyncMsg;

#define SYNC_TEXT_MAX 4096U

int sync_send(int fd, SyncType type, int error, const char *text);
/* Sends a message carrying one fd (SCM_RIGHTS). */
int sync_send_fd(int fd, SyncType type, int passfd);
/* Receives one message; text is NUL-terminated, at most SYNC_TEXT_MAX bytes. -EPIPE when the
 * peer closed without sending. A passed fd lands in *ret_fd (CLOEXEC) when ret_fd is non-NULL,
 * else it is closed; *ret_fd is -EBADF when none came. */
int sync_recv(int fd, SyncType *ret_type, int *ret_error, char *text, size_t text_size, int *ret_fd);
/* The parent side of the child's log: SYNC_WARNING/SYNC_DEBUG are logged here (returns 1),
 * SYNC_ERROR is logged and returned as a negative errno; any other type returns 0 for the caller. */
int sync_relay_log(SyncType t, int error, const char *text);
/* Route this process' log messages over the sync socket (the child side). */
void sync_log_to(int fd);
