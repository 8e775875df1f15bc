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
 * config file) is used in messages. With cache_fd >= 0 (seccomp_cache_open()), the program is
 * taken from the cache when it holds this very profile, and stored there otherwise. Logs. */
int seccomp_filter_compile(const char *name, const SpecSeccomp *s, bool strict, int cache_fd, SeccompFilter **ret);

/* ---- the compiled-filter cache (seccomp-cache.c) ---- */

/* As root; rootless: $XDG_CACHE_HOME/berth/seccomp, else ~/.cache/berth/seccomp, else none.
 * $BERTH_SECCOMP_CACHE_DIR overrides ("" or "off": none). */
#define SECCOMP_CACHE_DIR "/var/cache/berth/seccomp"
#define SECCOMP_CACHE_MAX_ENTRIES 64U

/* The cache dir to use (*ret NULL: none). -ENOMEM only. */
int seccomp_cache_path(char **ret);
/* Create (0700) and open it, checked like the state root. An untrusted dir is a warning, other
 * failures debug messages: the caller goes on without a cache. */
int seccomp_cache_open(const char *path, int *ret_fd);
/* The canonical text everything the program depends on (berth, libseccomp, the arch, the profile):
 * the cache entry is named by its SHA-256 and holds it in full. -E2BIG if too long to cache. Pure,
 * non-logging. */
int seccomp_cache_key(const SpecSeccomp *s, bool strict, char **ret, size_t *ret_len);
/* 1 and f->insns, f->n_insns, *ret_warning (the warning the compile gave, or NULL) when the entry
 * for key is there, trusted, intact and for exactly this key; 0 otherwise (each case logged at debug
 * level); -ENOMEM. */
int seccomp_cache_lookup(int dir_fd, const char *key, size_t key_len, SeccompFilter *f, char **ret_warning);
/* Write the entry atomically, then prune. Failures are warnings (the return value is for tests). */
int seccomp_cache_store(int dir_fd, const char *key, size_t key_len, const SeccompFilter *f, const char *warning);
/* Keep the max_entries most recently used entries: returns the number removed. Non-logging. */
int seccomp_cache_prune(int dir_fd, size_t max_entries);

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
