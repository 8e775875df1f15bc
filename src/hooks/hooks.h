/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* OCI hooks: one list of config.json's "hooks" for one phase. */

#include <stdbool.h>

#include "spec.h"

/* Run the hooks of l in order, each with state_json on its stdin (a pipe), its args and env (the
 * runtime's environment when the hook has no "env"), fds beyond stdio closed, stdout and stderr on
 * our stderr, and its timeout. phase names the phase in messages ("createRuntime", ...). Without
 * keep_going the first failure stops the list and is returned (logged as an error); with keep_going
 * (poststart, poststop) failures are logged as warnings, the rest still run, and 0 is returned.
 * abort_fd (-EBADF: none), e.g. a signalfd: when it becomes readable the running hook is killed and
 * -EINTR returned, so a hook without a timeout cannot hold a create that was told to stop. */
int hooks_run(const SpecHookList *l, const char *phase, const char *state_json, bool keep_going, int abort_fd);
/* hooks_run() with another environment for hooks without "env" (NULL: empty). The container's init
 * passes process.env for createContainer and startContainer, as runc does. */
int hooks_run_env(const SpecHookList *l, const char *phase, const char *state_json, bool keep_going,
                  int abort_fd, char **default_env);

static inline bool hooks_empty(const SpecHookList *l) {
        return !l || l->n_hooks == 0;
}
