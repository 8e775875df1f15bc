/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* <root>/<id>/ (0700): state.json (atomic), the release socket while "created", a flock on the dir
 * fd for every command that changes the container. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "macro.h"

#define STATE_JSON "state.json"
#define STATE_RELEASE_SOCKET "exec.sock"
#define STATE_INIT_RECORD "init"
#define STATE_CGROUP_RECORD "cgroup"
/* The config as it was at create: exec, poststart and poststop take it from here. */
#define STATE_CONFIG "config.json"
#define CONTAINER_ID_MAX 1024U

typedef enum ContainerStatus {
        CONTAINER_CREATING,
        CONTAINER_CREATED,
        CONTAINER_RUNNING,
        CONTAINER_PAUSED,
        CONTAINER_STOPPED,
        CONTAINER_UNKNOWN, /* state.json is unusable (ContainerState.corrupt says why) */
        _CONTAINER_STATUS_MAX,
        _CONTAINER_STATUS_INVALID = -EINVAL,
} ContainerStatus;

const char *container_status_to_string(ContainerStatus s);

/* The largest pid the kernel hands out (PID_MAX_LIMIT on 64-bit). */
#define STATE_PID_MAX 4194304

typedef struct ContainerState {
        char *oci_version;
        char *id;
        pid_t pid;
        uint64_t pid_start_time; /* /proc/PID/stat field 22: a reused pid is never taken for ours */
        char *bundle;            /* absolute */
        char *rootfs;            /* absolute */
        char *created;           /* RFC 3339, nanoseconds, UTC */
        uint32_t owner;
        char *owner_name;   /* not stored: the "owner" `list` shows (NULL: "", as runc's `state`) */
        char **annotations; /* key, value, ... */
        char *pid_file;     /* absolute path of the pid file we wrote, or NULL */
        bool post_hooks;    /* the saved config has poststart or poststop hooks */
        /* The cgroup manager every later command uses (CgroupManagerType, cgroup.h), the cgroup
         * version (CgroupMode), the cgroup's path in the hierarchies and, with systemd, the scope. */
        int cgroup_manager;
        int cgroup_mode;
        char *cgroup_path;
        char *cgroup_unit;
        /* Set by state_read() when state.json is unusable: why. Only id, and pid/pid_start_time from
         * the init record (if it is there), are then filled in. */
        char *corrupt;
} ContainerState;

ContainerState *container_state_free(ContainerState *s);
static inline void container_state_freep(ContainerState **s) {
        container_state_free(*s);
}

/* Letters, digits, and "_.-+" (no "." or ".." alone), at most CONTAINER_ID_MAX bytes. */
bool container_id_valid(const char *id);

/* What berth trusts (DESIGN.md §3): the state root, each state dir and each file in it must be
 * owned by the caller's euid and not writable by group or others; anything else is refused with a
 * message naming the path and what is wrong. */

/* The check itself, for other stores kept the same way (the seccomp filter cache): 0 if st is a
 * type (S_IFDIR/S_IFREG) owned by our euid and not group- or other-writable, else -EPERM and why. */
int state_check_trusted(const struct stat *st, mode_t type, char why[static 128]);
/* mkdir -p with mode for every directory made (existing ones are left as they are). */
int state_mkdir_p(const char *path, mode_t mode);

/* Open the state root; with create, make it (and missing parents, 0700) first. Logs, except that
 * without create a missing root is -ENOENT, not logged. */
int state_root_open(const char *root, bool create, int *ret_fd);
/* Create <root>/<id> exclusively and already locked: made and locked under a temporary name,
 * then renamed into place without replacing anything, so no other command ever sees it
 * unlocked. Logs "container 'X' already exists" (-EEXIST). */
int state_dir_create(int root_fd, const char *id, int *ret_dir_fd);
/* Open <root>/<id> and check it; with lock, take the exclusive flock (waits) and make sure the
 * name still refers to the dir we locked (a delete may have removed it meanwhile). Logs
 * "container 'X' does not exist" (-ENOENT). */
int state_dir_open(int root_fd, const char *id, bool lock, int *ret_dir_fd);
/* Remove the locked state dir dir_fd and its name <root>/<id>, if the name still refers to it. */
int state_dir_remove(int root_fd, int dir_fd, const char *id);
/* Remove what creates of id that were killed before renaming their dir into place left behind. */
void state_dir_remove_stale(int root_fd, const char *id);

/* The init record: a symlink "init" -> "PID START" made before state.json. One symlinkat() is
 * written whole or not at all, so the container's init can be found (and killed) even when
 * state.json is lost or damaged. */
int state_record_init(int dir_fd, pid_t pid, uint64_t start_time);
/* -ENOENT if there is none, -EBADMSG if it is not one of ours. */
int state_read_init(int dir_fd, pid_t *ret_pid, uint64_t *ret_start_time);

/* The cgroup record, likewise: a symlink "cgroup" -> "MANAGER VERSION UNIT|- PATH", made before the
 * cgroup itself, so that delete --force removes the cgroup of a container whose state.json is lost
 * or damaged, or whose create was killed. Nothing for a container without a cgroup. */
int state_record_cgroup(int dir_fd, const ContainerState *s);

int state_write(int dir_fd, const ContainerState *s);
/* Parse state.json text, checking every field's type and range and that "id" is id. Non-logging:
 * on failure returns -EBADMSG and, if ret_reason is non-NULL, what is wrong
 * ("'pid': expected an integer between 1 and 4194304"). */
int state_parse(const char *text, size_t len, const char *id, ContainerState **ret, char **ret_reason);
/* Read <dir>/state.json of container id (locked: we hold the dir's flock). -EBUSY if it is not
 * there yet and a create holds the lock. A missing (create died) or unusable file is not an
 * error: *ret then has corrupt set. */
int state_read(int dir_fd, const char *id, bool locked, ContainerState **ret);
/* A state that says why it is unusable (corrupt), with the id, the init record's init and the
 * cgroup record's cgroup. */
int state_new_unusable(int dir_fd, const char *id, const char *reason, ContainerState **ret);
/* Read a file of the state dir (the saved config), checked like state.json. Logs. */
int state_read_file(int dir_fd, const char *name, size_t max, char **ret, size_t *ret_size);
/* Status from the kernel: is the init alive, is it still waiting for start, is its cgroup frozen. */
ContainerStatus state_status(int dir_fd, const ContainerState *s);
/* OCI state JSON as runc prints it (pretty with two-space indent when pretty). */
int state_to_json(const ContainerState *s, ContainerStatus status, bool pretty, char **ret);
/* Sorted ids of all containers under root. */
int state_list_ids(int root_fd, char ***ret);
/* Current time as RFC 3339 with nanoseconds ("2026-11-25T12:00:00.123456789Z"). */
int state_now_rfc3339(char **ret);
