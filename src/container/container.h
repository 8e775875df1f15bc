/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The lifecycle: create, start, run, kill, delete. The only orchestrator; it calls the steps in
 * order and owns the cleanup when one fails. */

#include <stdbool.h>
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
        bool detach; /* run -d */
} ContainerOptions;

/* Everything up to the user process; the init waits for start. Leaves nothing behind on failure. */
int container_create(const ContainerOptions *o);
int container_start(const char *root, const char *id);
/* create + start; in the foreground waits, forwards signals and returns the exit code (>= 0),
 * then deletes the container. */
int container_run(const ContainerOptions *o);
int container_kill(const char *root, const char *id, int sig, bool all);
int container_delete(const char *root, const char *id, bool force);
