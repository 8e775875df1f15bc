/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What berth hands a container when systemd runs it (DESIGN.md §5, container@.service(5)):
 *
 * - Type=notify: with $NOTIFY_SOCKET set, berth binds a datagram socket of its own in the state dir
 *   (NOTIFY_SOCKET_NAME), bind-mounts it at NOTIFY_CONTAINER_PATH and sets NOTIFY_SOCKET to that for
 *   the container's process (runc's approach). A forwarder process ("berth-notify"), forked from
 *   berth and so left in the caller's (the service's) cgroup, sends every message on to the caller's
 *   $NOTIFY_SOCKET, adding MAINPID=<the init's host pid> when the container outlives berth (create,
 *   run -d); it exits when the init does. berth itself never waits for READY=1 (systemd does), so a
 *   stray $NOTIFY_SOCKET never makes anything wait. The caller's $NOTIFY_SOCKET itself never
 *   reaches the container.
 * - Credentials: with $CREDENTIALS_DIRECTORY set (LoadCredential=, SetCredential=), that directory
 *   is bind-mounted read-only at the same path in the container and CREDENTIALS_DIRECTORY is set for
 *   its process. */

#include <stdbool.h>
#include <sys/types.h>

#include "mount-plan.h"

#define NOTIFY_CONTAINER_PATH "/run/notify/notify.sock"
#define NOTIFY_SOCKET_NAME "notify.sock"
#define NOTIFY_MESSAGE_MAX 4096U /* systemd reads at most PIPE_BUF bytes of a message */

typedef struct Notify {
        char *target;  /* the caller's $NOTIFY_SOCKET; NULL: no notify socket for the container */
        int fd;        /* ours, bound in the state dir */
        bool mainpid;  /* add MAINPID= to what the container sends */
} Notify;

#define NOTIFY_NULL ((Notify) { .fd = -EBADF })

/* Before any side effect: what the caller's environment asks for, as mounts and environment for the
 * container (state_dir: the absolute path of the container's state dir). Logs. */
int service_prepare(Notify *n, const char *state_dir, bool detached, MountPlan *plan, char ***env);

/* Bind the notify socket in the state dir (before the init exists). Logs. */
int notify_bind(Notify *n, int dir_fd);

/* Fork the forwarder for the container whose init is init. Logs. */
int notify_forward_start(Notify *n, pid_t init);

/* Send MAINPID=init to the caller's $NOTIFY_SOCKET ourselves, before berth exits: systemd handles
 * notifications before SIGCHLD, so the unit's main process is the init by the time berth is gone. */
void notify_send_mainpid(const Notify *n, pid_t init);

void notify_done(Notify *n);
