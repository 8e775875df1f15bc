/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "seccomp-filter.h"
#include "spec.h"

/* The parts of process setup shared by the container init and (later) exec. All run in the child
 * and log through the sync socket. */

int process_set_rlimits(const SpecProcess *p);
/* As runc: without HOME in process.env, set it from the container's /etc/passwd entry of the
 * process' uid ("/" when there is none). Run after entering the rootfs. */
int process_default_home(SpecProcess *p);
int process_set_oom_score_adj(const SpecProcess *p);
/* Find args[0] in the container (PATH from the process env). Messages use the wording engines
 * parse ("executable file not found in $PATH", "no such file or directory"). */
int process_find_executable(const SpecProcess *p, char **ret);
/* Create cwd if missing (as runc does); in the rootfs, before it may turn read-only. */
int process_create_cwd(const SpecProcess *p);
/* setgroups/setresgid/setresuid, umask, chdir, nnp. With a seccomp filter and no nnp, CAP_SYS_ADMIN
 * stays until execve() (caps_apply()). */
int process_set_user_and_cwd(const SpecProcess *p, const SeccompFilter *seccomp);
/* Keep fds 0..2 and 3..3+preserve_fds-1 across exec, close-on-exec everything else. */
int process_prepare_fds(unsigned preserve_fds);
/* Everything between a set-up container and execve, shared by the container init and exec:
 * rlimits, LISTEN_FDS/LISTEN_PID when socket-activation fds are passed, HOME, the executable,
 * user, groups, capabilities, umask, cwd, no_new_privs, and the fds: 0-2 and 3..3+pass_fds-1
 * survive execve. */
int process_setup(SpecProcess *p, unsigned pass_fds, unsigned listen_fds, const SeccompFilter *seccomp,
                  char **ret_exe);
/* Unblock signals, load the seccomp filter (may be NULL), execve. Only returns on failure. */
int process_exec(const SpecProcess *p, const char *path, const SeccompFilter *seccomp);
