/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared between container.c (create/start/run/kill/delete) and exec.c. */

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "state-store.h"

struct Spec;

/* poststart (stop false: running) or poststop (stopped) hooks, in the runtime's namespaces; failures
 * are warnings. spec NULL: the config saved at create, if it has such hooks. */
void container_post_hooks(const char *root, int dir_fd, const ContainerState *s, const struct Spec *spec,
                          bool stop);
/* Delete the container whose state dir dir_fd we hold locked (force: kill it first if it runs). */
int container_delete_locked(const char *root, int dir_fd, const ContainerState *s, const struct Spec *spec,
                            bool force);
/* The config saved in the state dir at create (checked like state.json). Logs. */
int container_load_saved_config(int dir_fd, const char *id, struct Spec **ret);
/* Remove a pid file we wrote, through its directory's fd, only if it still holds pid. */
void container_remove_pid_file(const char *path, pid_t pid);
/* A pidfd of the container's init, verified by its start time; -ESRCH if it is gone. */
int container_pidfd_open(const ContainerState *s, int *ret);
/* Write the pid file atomically (temp + fsync + rename). Logs. */
int container_write_pid_file(const char *path, pid_t pid);
/* A pty master the container sent: to the console socket if there is one (then closed), else
 * kept in *pty_master for the foreground loop. Takes *passed. */
int container_take_pty_master(int *passed, int *console_fd, int *pty_master);
/* fds first..first+n-1 must be open: else "<what>=<n>: fd F is not open". Logs. */
int container_check_fds_open(unsigned first, unsigned n, const char *what);
/* The container's cgroup as its state recorded it (a disabled one for an unusable state). Logs. */
int container_cgroup_open(const ContainerState *s, Cgroup *ret);
