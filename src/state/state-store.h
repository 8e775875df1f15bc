/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* <root>/<id>/ (0700): state.json (atomic), the release socket while "created", a flock on the dir
 * fd for every command that changes the container. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

#define STATE_JSON "state.json"
#define STATE_RELEASE_SOCKET "exec.sock"
#define CONTAINER_ID_MAX 1024U

typedef enum ContainerStatus {
        CONTAINER_CREATING,
        CONTAINER_CREATED,
        CONTAINER_RUNNING,
        CONTAINER_PAUSED,
        CONTAINER_STOPPED,
        _CONTAINER_STATUS_MAX,
        _CONTAINER_STATUS_INVALID = -EINVAL,
} ContainerStatus;

const char *container_status_to_string(ContainerStatus s);

typedef struct ContainerState {
        char *oci_version;
        char *id;
        pid_t pid;
        uint64_t pid_start_time; /* /proc/PID/stat field 22: a reused pid is never taken for ours */
        char *bundle;            /* absolute */
        char *rootfs;            /* absolute */
        char *created;           /* RFC 3339, nanoseconds, UTC */
        uint32_t owner;
        char **annotations; /* key, value, ... */
        char *pid_file;     /* absolute path of the pid file we wrote, or NULL */
        bool started;
} ContainerState;

ContainerState *container_state_free(ContainerState *s);
static inline void container_state_freep(ContainerState **s) {
        container_state_free(*s);
}

/* Letters, digits, and "_.-+" (no "." or ".." alone), at most CONTAINER_ID_MAX bytes. */
bool container_id_valid(const char *id);

/* Open (creating 0700 if needed) the state root. */
int state_root_open(const char *root, int *ret_fd);
/* Create <root>/<id> exclusively and lock it. -EEXIST if the container exists. */
int state_dir_create(int root_fd, const char *id, int *ret_dir_fd);
/* Open <root>/<id>; with lock, take the exclusive flock (waits). -ENOENT if unknown. */
int state_dir_open(int root_fd, const char *id, bool lock, int *ret_dir_fd);
/* Remove <root>/<id> and what is in it (flat directory). */
int state_dir_remove(int root_fd, const char *id);

int state_write(int dir_fd, const ContainerState *s);
/* -ENOENT if state.json is not there (a container still being created). */
int state_read(int dir_fd, ContainerState **ret);
/* The parsing half of state_read(), for text in memory (len bytes, need not be NUL-terminated).
 * Non-logging: -EBADMSG for anything that is not a state.json. */
int state_parse(const char *text, size_t len, ContainerState **ret);
/* Status from the kernel: is the init alive, is it still waiting for start. */
ContainerStatus state_status(int dir_fd, const ContainerState *s);
/* OCI state JSON as runc prints it (pretty with two-space indent when pretty). */
int state_to_json(const ContainerState *s, ContainerStatus status, bool pretty, char **ret);
/* Sorted ids of all containers under root. */
int state_list_ids(int root_fd, char ***ret);
/* Current time as RFC 3339 with nanoseconds ("2026-11-25T12:00:00.123456789Z"). */
int state_now_rfc3339(char **ret);
