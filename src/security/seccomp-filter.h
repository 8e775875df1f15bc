/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* (Not "seccomp.h": that name is libseccomp's, and src/security is on the include path.)
 *
 * linux.seccomp -> a BPF program, compiled once by the runtime at create with libseccomp, saved in
 * the state dir (exec loads the very same program) and loaded by the container process as the last
 * step before execve(). */

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec.h"

#define SECCOMP_FILTER_FILE "seccomp.bpf"

typedef struct SeccompFilter {
        struct sock_filter *insns;
        size_t n_insns;
        unsigned flags;          /* SECCOMP_FILTER_FLAG_* to load with (the ones this kernel has) */
        bool notify;             /* some rule is SCMP_ACT_NOTIFY: load with NEW_LISTENER */
        char *listener_path;     /* the agent's socket (notify only) */
        char *listener_metadata; /* may be NULL */
        /* Filled in by the runtime and the child before the load (notify only): */
        int listener_fd;         /* connected to listener_path, non-blocking */
        char *message;           /* the container process state sent with the listener fd */
} SeccompFilter;

SeccompFilter *seccomp_filter_free(SeccompFilter *f);
static inline void seccomp_filter_freep(SeccompFilter **f) {
        seccomp_filter_free(*f);
}

/* Build the filter (in the runtime). Syscall names libseccomp does not know are skipped with one
 * warning, or refused when strict (annotation run.oci.seccomp_fail_unknown_syscall). 'name' (the
 * config file) is used in messages. Logs. */
int seccomp_filter_compile(const char *name, const SpecSeccomp *s, bool strict, SeccompFilter **ret);

/* Save to / read from the state dir (SECCOMP_FILTER_FILE). seccomp_filter_read() sets *ret to NULL
 * when the container has no filter. Log. */
int seccomp_filter_save(const SeccompFilter *f, int dir_fd);
int seccomp_filter_read(int dir_fd, SeccompFilter **ret);

/* Notify only (no-op otherwise): connect to listenerPath (in the runtime, before the container
 * process exists: a missing agent fails here, and nothing can hang on it later). Logs. */
int seccomp_filter_connect(SeccompFilter *f);
/* Notify only: the message for the agent (runtime-spec "container process state"): pid is the
 * container process' pid as the runtime sees it, state_json the container's state. Logs. */
int seccomp_filter_set_message(SeccompFilter *f, pid_t pid, const char *state_json);

/* Whether loading needs CAP_SYS_ADMIN: a filter without no_new_privs (runc's behaviour). */
static inline bool seccomp_filter_needs_sys_admin(const SeccompFilter *f, bool no_new_privs) {
        return f && !no_new_privs;
}

/* In the container process, right before execve(): load the filter and, for notify, send the
 * listener fd to the agent. f may be NULL. Logs. */
int seccomp_filter_apply(const SeccompFilter *f);

/* Pure, for tests: the stub put in front of the program for errno default actions, so that syscalls
 * newer than every one the profile names get ENOSYS (a libc then falls back) rather than the
 * default errno. max_nr[i] is the highest syscall number the profile names for audit arch
 * arches[i] (x32 counts separately: arch AUDIT_ARCH_X86_64 with the x32 bit; pass 0 for 'none').
 * Returns the number of instructions written to out (at most 8 per arch + 2), or -E2BIG. */
int seccomp_enosys_stub(const uint32_t *arches, const uint32_t *max_nr, size_t n, uint32_t x32_max,
                        struct sock_filter *out, size_t out_max);
