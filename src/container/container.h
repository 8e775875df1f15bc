/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The lifecycle: create, start, run, kill, delete. The only orchestrator; it calls the steps in
 * order and owns the cleanup when one fails. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct ContainerOptions {
        const char *root;           /* state root, e.g. /run/berth */
        const char *id;
        const char *bundle;         /* as given on the command line (relative to cwd); NULL: cwd */
        const char *pid_file;       /* as given, relative to cwd; NULL: none */
        const char *console_socket; /* as given; NULL: none */
        unsigned preserve_fds;
        bool no_pivot;
        bool no_new_keyring;
        bool detach;     /* run -d */
        bool foreground; /* run without -d: a terminal may be served by berth itself */
        int cgroup_manager; /* CgroupManagerType: --systemd-cgroup / --cgroup-manager */
        bool keep;         /* run --keep: the stopped container stays until delete */
        bool no_subreaper; /* run --no-subreaper: orphans go to the host's reaper while we wait */
} ContainerOptions;

struct ContainerState;
struct CgroupResources;
struct CgroupStats;

/* Open <root>/<id> (optionally locked) and read its state. Logs "container 'X' does not exist". */
int container_open(const char *root, const char *id, bool lock, int *ret_dir_fd, struct ContainerState **ret);

/* -EBADMSG, logged with the reason and how to remove it, if its state.json was unusable. */
int container_state_usable(const struct ContainerState *s);

/* Everything up to the user process; the init waits for start. Leaves nothing behind on failure. */
int container_create(const ContainerOptions *o);
int container_start(const char *root, const char *id);
/* create + start; in the foreground waits, forwards signals and returns the exit code (>= 0),
 * then deletes the container. */
int container_run(const ContainerOptions *o);
int container_kill(const char *root, const char *id, int sig, bool all);
int container_delete(const char *root, const char *id, bool force);

/* Through the container's cgroup (container-cgroup.c); "cannot X container 'ID': it is stopped" and
 * "it has no cgroup" are errors. Logs. */
int container_pause(const char *root, const char *id, bool pause);
int container_pids(const char *root, const char *id, pid_t **ret, size_t *ret_n);
/* update: resources (the --resources object, what names it in messages) and flags (the flags as a
 * resources object, overriding it), either may be NULL. Applied to the live cgroup and recorded in
 * the saved config (merged: what an earlier update set stays), so exec and later updates see it; on
 * any failure neither changes. */
int container_update(const char *root, const char *id, const char *what, const char *resources,
                     const char *flags);
/* Free *ret with cgroup_stats_done(). */
int container_stats(const char *root, const char *id, struct CgroupStats *ret);
/* events: an fd that polls readable when an OOM may have happened (-EOPNOTSUPP: no memory
 * controller; not logged), and the count of OOM kills so far, read from the cgroup even once the
 * container has stopped (until delete). */
int container_oom_watch(const char *root, const char *id, int *ret_fd);
int container_oom_kills(const char *root, const char *id, uint64_t *ret);

typedef struct ExecOptions {
        const char *root;
        const char *id;
        const char *process_file; /* --process FILE: a process.json; else args and the flags below */
        char **args;              /* CMD ARG... */
        char **env;               /* -e KEY=VALUE, added to the config's process.env */
        const char *cwd;          /* --cwd */
        bool has_user, has_gid;   /* -u UID[:GID] */
        uint32_t uid, gid;
        uint32_t *additional_gids; /* --additional-gids */
        size_t n_additional_gids;
        bool tty;                 /* -t */
        const char *console_socket;
        bool detach;              /* -d */
        const char *pid_file;
        unsigned preserve_fds;
        char **caps;              /* --cap, added to the config's sets */
        bool no_new_privs;
        const char *apparmor;      /* --apparmor: process.apparmorProfile */
        const char *process_label; /* --process-label: process.selinuxLabel */
} ExecOptions;

/* Run a new process in every namespace of a created or running container, set up by the same code
 * as the init. In the foreground returns its exit code (>= 0). */
int container_exec(const ExecOptions *o);
