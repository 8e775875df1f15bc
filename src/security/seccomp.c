/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* linux.seccomp -> libseccomp -> BPF.
 *
 * The filter is built once, by the runtime at create (never in the container: libseccomp needs
 * memory and syscalls a profile may deny), exported as BPF and saved in the state dir, so `exec`
 * loads exactly the init's program without compiling again. The container process loads it with
 * seccomp(2) as its last step before execve(): nothing of berth's own runs under the filter, so a
 * profile never has to allow the runtime's syscalls (only execve, and sendmsg with NOTIFY).
 *
 * Syscalls newer than the profile: with an errno default action, a syscall the profile does not
 * know of would fail with that errno (EPERM), and a libc that tries a new syscall first (clone3,
 * faccessat2, ...) takes EPERM as final instead of falling back. As runc does (its patchbpf), a
 * stub in front of libseccomp's program returns ENOSYS for every syscall number above the highest
 * one the profile names for that architecture: those are newer than the profile by construction,
 * and everything the profile names or could have named keeps the profile's answer. */

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "seccomp-filter.h"
#include "state-store.h"
#include "strv.h"

#define X32_SYSCALL_BIT 0x40000000U

static inline void seccomp_releasep(scmp_filter_ctx *c) {
        if (*c)
                seccomp_release(*c);
}

static const uint32_t arch_token_table[_SPEC_SECCOMP_ARCH_MAX] = {
        [SPEC_SECCOMP_ARCH_X86] = SCMP_ARCH_X86,
        [SPEC_SECCOMP_ARCH_X86_64] = SCMP_ARCH_X86_64,
        [SPEC_SECCOMP_ARCH_X32] = SCMP_ARCH_X32,
        [SPEC_SECCOMP_ARCH_ARM] = SCMP_ARCH_ARM,
        [SPEC_SECCOMP_ARCH_AARCH64] = SCMP_ARCH_AARCH64,
        [SPEC_SECCOMP_ARCH_MIPS] = SCMP_ARCH_MIPS,
        [SPEC_SECCOMP_ARCH_MIPS64] = SCMP_ARCH_MIPS64,
        [SPEC_SECCOMP_ARCH_MIPS64N32] = SCMP_ARCH_MIPS64N32,
        [SPEC_SECCOMP_ARCH_MIPSEL] = SCMP_ARCH_MIPSEL,
        [SPEC_SECCOMP_ARCH_MIPSEL64] = SCMP_ARCH_MIPSEL64,
        [SPEC_SECCOMP_ARCH_MIPSEL64N32] = SCMP_ARCH_MIPSEL64N32,
        [SPEC_SECCOMP_ARCH_PPC] = SCMP_ARCH_PPC,
        [SPEC_SECCOMP_ARCH_PPC64] = SCMP_ARCH_PPC64,
        [SPEC_SECCOMP_ARCH_PPC64LE] = SCMP_ARCH_PPC64LE,
        [SPEC_SECCOMP_ARCH_S390] = SCMP_ARCH_S390,
        [SPEC_SECCOMP_ARCH_S390X] = SCMP_ARCH_S390X,
        [SPEC_SECCOMP_ARCH_PARISC] = SCMP_ARCH_PARISC,
        [SPEC_SECCOMP_ARCH_PARISC64] = SCMP_ARCH_PARISC64,
        [SPEC_SECCOMP_ARCH_RISCV64] = SCMP_ARCH_RISCV64,
};

static const enum scmp_compare op_table[_SPEC_SECCOMP_OP_MAX] = {
        [SPEC_SECCOMP_OP_NE] = SCMP_CMP_NE, [SPEC_SECCOMP_OP_LT] = SCMP_CMP_LT,
        [SPEC_SECCOMP_OP_LE] = SCMP_CMP_LE, [SPEC_SECCOMP_OP_EQ] = SCMP_CMP_EQ,
        [SPEC_SECCOMP_OP_GE] = SCMP_CMP_GE, [SPEC_SECCOMP_OP_GT] = SCMP_CMP_GT,
        [SPEC_SECCOMP_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static const struct {
        SpecSeccompFlags spec;
        unsigned kernel;
        const char *name;
} flag_table[] = {
        { SPEC_SECCOMP_FLAG_TSYNC, SECCOMP_FILTER_FLAG_TSYNC, "SECCOMP_FILTER_FLAG_TSYNC" },
        { SPEC_SECCOMP_FLAG_LOG, SECCOMP_FILTER_FLAG_LOG, "SECCOMP_FILTER_FLAG_LOG" },
        { SPEC_SECCOMP_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_SPEC_ALLOW, "SECCOMP_FILTER_FLAG_SPEC_ALLOW" },
        { SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV, 1U << 5 /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV */,
          "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" },
};

SeccompFilter *seccomp_filter_free(SeccompFilter *f) {
        if (!f)
                return NULL;
        free(f->insns);
        free(f->listener_path);
        free(f->listener_metadata);
        safe_close(f->listener_fd);
        free(f->message);
        free(f);
        return NULL;
}

static SeccompFilter *filter_new(void) {
        SeccompFilter *f = calloc(1, sizeof *f);

        if (f)
                f->listener_fd = -EBADF;
        return f;
}

static uint32_t action_to_scmp(SpecSeccompAction a, bool has_errno, uint32_t errno_ret) {
        uint32_t e = has_errno ? errno_ret : EPERM;

        switch (a) {
        case SPEC_SECCOMP_ACT_ALLOW:
                return SCMP_ACT_ALLOW;
        case SPEC_SECCOMP_ACT_ERRNO:
                return SCMP_ACT_ERRNO(e);
        case SPEC_SECCOMP_ACT_KILL:
        case SPEC_SECCOMP_ACT_KILL_THREAD:
                return SCMP_ACT_KILL_THREAD;
        case SPEC_SECCOMP_ACT_KILL_PROCESS:
                return SCMP_ACT_KILL_PROCESS;
        case SPEC_SECCOMP_ACT_TRAP:
                return SCMP_ACT_TRAP;
        case SPEC_SECCOMP_ACT_TRACE:
                return SCMP_ACT_TRACE(e);
        case SPEC_SECCOMP_ACT_LOG:
                return SCMP_ACT_LOG;
        case SPEC_SECCOMP_ACT_NOTIFY:
                return SCMP_ACT_NOTIFY;
        case _SPEC_SECCOMP_ACT_MAX:
        case _SPEC_SECCOMP_ACT_INVALID:
        default:
                assert(false);
                return SCMP_ACT_KILL_PROCESS;
        }
}

/* runc's rule: the conditions of one entry are ANDed in one rule, unless two name the same
 * argument (libseccomp cannot AND those): then each condition is a rule of its own (ORed). */
static bool args_repeat_index(const SpecSeccompSyscall *sc) {
        for (size_t i = 0; i < sc->n_args; i++)
                for (size_t j = i + 1; j < sc->n_args; j++)
                        if (sc->args[i].index == sc->args[j].index)
                                return true;
        return false;
}

static struct scmp_arg_cmp arg_to_scmp(const SpecSeccompArg *a) {
        return (struct scmp_arg_cmp) {
                .arg = a->index,
                .op = op_table[a->op],
                .datum_a = a->value,
                .datum_b = a->value_two,
        };
}

static int add_syscall_rules(const char *name, scmp_filter_ctx ctx, const SpecSeccompSyscall *sc, uint32_t action,
                             int nr, const char *sname) {
        struct scmp_arg_cmp cmp[SPEC_SECCOMP_ARGS_MAX];
        int r;

        for (size_t i = 0; i < sc->n_args; i++)
                cmp[i] = arg_to_scmp(&sc->args[i]);
        if (sc->n_args == 0 || !args_repeat_index(sc))
                r = seccomp_rule_add_array(ctx, action, nr, (unsigned) sc->n_args, cmp);
        else {
                r = 0;
                for (size_t i = 0; i < sc->n_args && r >= 0; i++)
                        r = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[i]);
        }
        if (r < 0)
                return log_error_errno(r, "%s: linux.seccomp.syscalls[%u]: failed to add the rule for '%s': %m",
                                       name, sc->index, sname);
        return 0;
}

/* Appends s to the warning list in buf (for one line naming every skipped syscall). */
static void note_unknown(char *buf, size_t size, unsigned *n, const char *s) {
        size_t len = strlen(buf);

        if (*n < 16 && len + strlen(s) + 5 < size) {
                if (len > 0)
                        strcat(buf, ", ");
                strcat(buf, "'");
                strcat(buf, s);
                strcat(buf, "'");
        }
        (*n)++;
}

/* *ret_warning: NULL, or the warning about skipped names (kept with a cached filter, so that a
 * create from the cache warns the same). */
static int add_rules(const char *name, scmp_filter_ctx ctx, const SpecSeccomp *s, uint32_t def, bool strict,
                     char **ret_warning) {
        char unknown[512] = "";
        unsigned n_unknown = 0;
        int r;

        for (size_t i = 0; i < s->n_syscalls; i++) {
                const SpecSeccompSyscall *sc = &s->syscalls[i];
                uint32_t action = action_to_scmp(sc->action, sc->has_errno_ret, sc->errno_ret);

                STRV_FOREACH(n, sc->names) {
                        int nr = seccomp_syscall_resolve_name(*n);

                        if (nr == __NR_SCMP_ERROR) {
                                if (strict)
                                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                               "%s: linux.seccomp.syscalls[%zu]: unknown syscall "
                                                               "'%s' (run.oci.seccomp_fail_unknown_syscall is "
                                                               "set)", name, i, *n);
                                note_unknown(unknown, sizeof unknown, &n_unknown, *n);
                                continue;
                        }
                        /* libseccomp refuses a rule that repeats the default action; it changes
                         * nothing anyway. */
                        if (action == def)
                                continue;
                        r = add_syscall_rules(name, ctx, sc, action, nr, *n);
                        if (r < 0)
                                return r;
                }
        }
        /* One line, once per create (exec reuses the compiled filter): a newer profile on an older
         * libseccomp is common, and each name is harmless to skip (the syscall does not exist for
         * libseccomp, so the default action covers it). */
        *ret_warning = NULL;
        if (n_unknown > 0 &&
            asprintf(ret_warning, "linux.seccomp: %u syscall name%s unknown to libseccomp %u.%u.%u, ignoring: %s%s",
                     n_unknown, n_unknown == 1 ? "" : "s", seccomp_version()->major, seccomp_version()->minor,
                     seccomp_version()->micro, unknown, n_unknown > 16 ? ", ..." : "") < 0)
                return log_oom();
        return 0;
}

/* ---- the ENOSYS stub ---- */

#define STUB_JUMP(code, k, jt, jf) ((struct sock_filter) BPF_JUMP(code, k, jt, jf))
#define STUB_STMT(code, k) ((struct sock_filter) BPF_STMT(code, k))

int seccomp_enosys_stub(const uint32_t *arches, const uint32_t *max_nr, size_t n, uint32_t x32_max,
                        struct sock_filter *out, size_t out_max) {
        size_t total = 2, pc = 0, enosys, main_pc;

        for (size_t i = 0; i < n; i++)
                if (max_nr[i] > 0 || (arches[i] == AUDIT_ARCH_X86_64 && x32_max > 0))
                        total += arches[i] == AUDIT_ARCH_X86_64 ? 6 : 4;
        if (total > out_max || total > 200) /* jumps are 8-bit */
                return -E2BIG;
        if (total == 2)
                return 0;
        enosys = total - 1;
        main_pc = total;

#define TO(target) ((uint8_t) ((target) - (pc + 1)))
        for (size_t i = 0; i < n; i++) {
                bool x86_64 = arches[i] == AUDIT_ARCH_X86_64;

                if (max_nr[i] == 0 && !(x86_64 && x32_max > 0))
                        continue;
                out[pc] = STUB_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
                pc++;
                /* Not this arch: on to the next block. */
                out[pc] = STUB_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arches[i], 0, x86_64 ? 4 : 2);
                pc++;
                out[pc] = STUB_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
                pc++;
                if (x86_64) {
                        /* x32 syscalls come as x86_64 with the x32 bit set. */
                        out[pc] = STUB_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 1, 0);
                        pc++;
                        out[pc] = max_nr[i] > 0 ? STUB_JUMP(BPF_JMP | BPF_JGT | BPF_K, max_nr[i], TO(enosys),
                                                            TO(main_pc))
                                                : STUB_STMT(BPF_JMP | BPF_JA, (uint32_t) (main_pc - (pc + 1)));
                        pc++;
                        out[pc] = x32_max > 0 ? STUB_JUMP(BPF_JMP | BPF_JGT | BPF_K, x32_max, TO(enosys), TO(main_pc))
                                              : STUB_STMT(BPF_JMP | BPF_JA, (uint32_t) (main_pc - (pc + 1)));
                        pc++;
                } else {
                        out[pc] = STUB_JUMP(BPF_JMP | BPF_JGT | BPF_K, max_nr[i], TO(enosys), TO(main_pc));
                        pc++;
                }
        }
#undef TO
        out[pc] = STUB_STMT(BPF_JMP | BPF_JA, 1);
        pc++;
        out[pc] = STUB_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
        pc++;
        assert(pc == total);
        return (int) total;
}

/* The highest syscall number the profile names on arch (0: none). */
static uint32_t profile_max_nr(const SpecSeccomp *s, uint32_t arch) {
        uint32_t max = 0;

        for (size_t i = 0; i < s->n_syscalls; i++)
                STRV_FOREACH(n, s->syscalls[i].names) {
                        int nr = seccomp_syscall_resolve_name_arch(arch, *n);

                        /* Negative: not a syscall there (or a multiplexed pseudo one). */
                        if (nr >= 0 && (uint32_t) nr > max)
                                max = (uint32_t) nr;
                }
        return max;
}

static int prepend_enosys_stub(const SpecSeccomp *s, SeccompFilter *f) {
        uint32_t arches[_SPEC_SECCOMP_ARCH_MAX + 1], max_nr[_SPEC_SECCOMP_ARCH_MAX + 1], x32_max = 0;
        struct sock_filter stub[256], *insns;
        size_t n = 0;
        int k;

        arches[n++] = seccomp_arch_native();
        for (size_t i = 0; i < s->n_architectures; i++) {
                uint32_t a = arch_token_table[s->architectures[i]];
                bool dup = false;

                if (a == SCMP_ARCH_X32) {
                        x32_max = profile_max_nr(s, a);
                        continue;
                }
                for (size_t j = 0; j < n; j++)
                        dup = dup || arches[j] == a;
                if (!dup)
                        arches[n++] = a;
        }
        for (size_t i = 0; i < n; i++)
                max_nr[i] = profile_max_nr(s, arches[i]);
        /* x32 only reaches the filter when it is listed (or native, never the case here). */
        if (x32_max > 0) {
                bool have = false;

                for (size_t i = 0; i < n; i++)
                        have = have || arches[i] == AUDIT_ARCH_X86_64;
                if (!have)
                        x32_max = 0;
        }
        k = seccomp_enosys_stub(arches, max_nr, n, x32_max, stub, ELEMENTSOF(stub));
        if (k < 0)
                return log_error_errno(k, "Failed to build the seccomp ENOSYS stub: %m");
        if (k == 0)
                return 0;
        if (f->n_insns + (size_t) k > BPF_MAXINSNS)
                return log_error_errno(SYNTHETIC_ERRNO(E2BIG), "The seccomp filter is too large: %zu instructions, "
                                       "the kernel takes %u", f->n_insns + (size_t) k, BPF_MAXINSNS);
        insns = malloc((f->n_insns + (size_t) k) * sizeof(struct sock_filter));
        if (!insns)
                return log_oom();
        memcpy(insns, stub, (size_t) k * sizeof(struct sock_filter));
        memcpy(insns + k, f->insns, f->n_insns * sizeof(struct sock_filter));
        free(f->insns);
        f->insns = insns;
        f->n_insns += (size_t) k;
        return 0;
}

/* ---- compiling ---- */

static int export_bpf(scmp_filter_ctx ctx, SeccompFilter *f) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t size;
        int r;

        fd = memfd_create("berth-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Failed to create a memfd for the seccomp filter: %m");
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return log_error_errno(r, "Failed to export the seccomp filter: %m");
        if (lseek(fd, 0, SEEK_SET) < 0)
                return log_error_errno(errno, "Failed to read the seccomp filter: %m");
        r = read_full_fd(fd, BPF_MAXINSNS * sizeof(struct sock_filter), &buf, &size);
        if (r == -EFBIG)
                return log_error_errno(SYNTHETIC_ERRNO(E2BIG), "The seccomp filter is too large: the kernel takes %u "
                                       "instructions", BPF_MAXINSNS);
        if (r < 0)
                return log_error_errno(r, "Failed to read the seccomp filter: %m");
        if (size == 0 || size % sizeof(struct sock_filter) != 0)
                return log_error_errno(SYNTHETIC_ERRNO(EBADMSG), "libseccomp exported a filter of %zu bytes", size);
        f->insns = malloc(size);
        if (!f->insns)
                return log_oom();
        memcpy(f->insns, buf, size);
        f->n_insns = size / sizeof(struct sock_filter);
        return 0;
}

/* Whether this kernel knows the filter flag: with a NULL program, a known flag fails on the copy
 * (EFAULT), an unknown one on the flag check (EINVAL). Nothing is loaded either way. */
static bool kernel_has_flag(unsigned flag) {
        if (flag == (1U << 5)) /* WAIT_KILLABLE_RECV is only valid with NEW_LISTENER */
                flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
        return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL) < 0 && errno == EFAULT;
}

static void filter_set_flags(const char *name, const SpecSeccomp *s, SeccompFilter *f) {
        for (size_t i = 0; i < ELEMENTSOF(flag_table); i++) {
                if (!(s->flags & flag_table[i].spec))
                        continue;
                /* WAIT_KILLABLE_RECV is about notifications: without NOTIFY rules the kernel refuses
                 * it, and it would mean nothing. */
                if (flag_table[i].spec == SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV && !f->notify)
                        continue;
                /* TSYNC and NEW_LISTENER exclude each other (without TSYNC_ESRCH); the process is
                 * single-threaded when it loads the filter, so TSYNC changes nothing there. */
                if (flag_table[i].spec == SPEC_SECCOMP_FLAG_TSYNC && f->notify)
                        continue;
                if (!kernel_has_flag(flag_table[i].kernel)) {
                        log_warning("%s: linux.seccomp.flags: this kernel does not support %s, ignoring", name,
                                    flag_table[i].name);
                        continue;
                }
                f->flags |= flag_table[i].kernel;
        }
}

/* The program alone (what the cache keeps): libseccomp's, behind the ENOSYS stub. */
static int compile_program(const char *name, const SpecSeccomp *s, bool strict, SeccompFilter *f,
                           char **ret_warning) {
        _cleanup_(seccomp_releasep) scmp_filter_ctx ctx = NULL;
        uint32_t def;
        int r;

        def = action_to_scmp(s->default_action, s->has_default_errno_ret, s->default_errno_ret);
        ctx = seccomp_init(def);
        if (!ctx)
                return log_oom();
        /* no_new_privs is process.noNewPrivileges' business, not libseccomp's; and we load the
         * exported program ourselves anyway. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        if (r < 0)
                return log_error_errno(r, "Failed to configure the seccomp filter: %m");
        for (size_t i = 0; i < s->n_architectures; i++) {
                r = seccomp_arch_add(ctx, arch_token_table[s->architectures[i]]);
                if (r < 0 && r != -EEXIST)
                        return log_error_errno(r, "%s: linux.seccomp.architectures[%zu]: failed to add %s: %m", name,
                                               i, spec_seccomp_arch_to_string(s->architectures[i]));
        }
        r = add_rules(name, ctx, s, def, strict, ret_warning);
        if (r < 0)
                return r;
        r = export_bpf(ctx, f);
        if (r < 0)
                return r;
        if (s->default_action == SPEC_SECCOMP_ACT_ERRNO)
                return prepend_enosys_stub(s, f);
        return 0;
}

/* What is not in the cache: the flags this kernel has, and the NOTIFY agent's address. */
static int filter_finish(const char *name, const SpecSeccomp *s, SeccompFilter *f) {
        f->notify = s->notify;
        filter_set_flags(name, s, f);
        if (f->notify) {
                f->listener_path = strdup(s->listener_path);
                if (!f->listener_path)
                        return log_oom();
                if (s->listener_metadata) {
                        f->listener_metadata = strdup(s->listener_metadata);
                        if (!f->listener_metadata)
                                return log_oom();
                }
        }
        return 0;
}

int seccomp_filter_compile(const char *name, const SpecSeccomp *s, bool strict, int cache_fd, SeccompFilter **ret) {
        _cleanup_(seccomp_filter_freep) SeccompFilter *f = NULL;
        _cleanup_free_ char *key = NULL, *warning = NULL;
        size_t key_len = 0;
        int r, hit = 0;

        assert(name);
        assert(s);
        assert(ret);

        f = filter_new();
        if (!f)
                return log_oom();
        if (cache_fd >= 0) {
                r = seccomp_cache_key(s, strict, &key, &key_len);
                if (r < 0)
                        log_debug_errno(r, "Not caching the seccomp filter: %m");
                else {
                        hit = seccomp_cache_lookup(cache_fd, key, key_len, f, &warning);
                        if (hit < 0)
                                return hit;
                }
        }
        if (hit)
                log_debug("%s: seccomp filter from cache (%zu instructions)", name, f->n_insns);
        else {
                r = compile_program(name, s, strict, f, &warning);
                if (r < 0)
                        return r;
                log_debug("%s: seccomp filter compiled (%zu instructions)", name, f->n_insns);
                if (key)
                        (void) seccomp_cache_store(cache_fd, key, key_len, f, warning);
        }
        if (warning)
                log_warning("%s: %s", name, warning);
        r = filter_finish(name, s, f);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(f);
        return 0;
}

/* ---- the state dir file ---- */

/* Our own file in our own (owner-checked) state dir, read by the same binary. */
typedef struct SeccompFileHeader {
        char magic[8];
        uint32_t flags;
        uint32_t notify;
        uint32_t n_insns;
        uint32_t listener_path_len;
        uint32_t metadata_len; /* UINT32_MAX: none */
        uint32_t reserved;
} SeccompFileHeader;

#define SECCOMP_FILE_MAGIC "BERTHSC1"
#define SECCOMP_FILE_MAX                                                                                      \
        (sizeof(SeccompFileHeader) + BPF_MAXINSNS * sizeof(struct sock_filter) + 2 * SPEC_STRING_MAX)

int seccomp_filter_save(const SeccompFilter *f, int dir_fd) {
        size_t lp = f->listener_path ? strlen(f->listener_path) : 0,
               lm = f->listener_metadata ? strlen(f->listener_metadata) : 0,
               li = f->n_insns * sizeof(struct sock_filter);
        SeccompFileHeader h = {
                .magic = SECCOMP_FILE_MAGIC,
                .flags = f->flags,
                .notify = f->notify,
                .n_insns = (uint32_t) f->n_insns,
                .listener_path_len = (uint32_t) lp,
                .metadata_len = f->listener_metadata ? (uint32_t) lm : UINT32_MAX,
        };
        _cleanup_free_ uint8_t *buf = NULL;
        int r;

        buf = malloc(sizeof h + li + lp + lm);
        if (!buf)
                return log_oom();
        memcpy(buf, &h, sizeof h);
        memcpy(buf + sizeof h, f->insns, li);
        if (lp > 0)
                memcpy(buf + sizeof h + li, f->listener_path, lp);
        if (lm > 0)
                memcpy(buf + sizeof h + li + lp, f->listener_metadata, lm);
        r = write_file_atomic_at(dir_fd, SECCOMP_FILTER_FILE, buf, sizeof h + li + lp + lm, 0600);
        if (r < 0)
                return log_error_errno(r, "Failed to save the seccomp filter: %m");
        return 0;
}

int seccomp_filter_read(int dir_fd, SeccompFilter **ret) {
        _cleanup_(seccomp_filter_freep) SeccompFilter *f = NULL;
        _cleanup_free_ char *buf = NULL;
        SeccompFileHeader h;
        size_t size, li, lm;
        int r;

        r = state_read_file(dir_fd, SECCOMP_FILTER_FILE, SECCOMP_FILE_MAX, &buf, &size);
        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        if (r < 0)
                return r;
        if (size < sizeof h)
                goto bad;
        memcpy(&h, buf, sizeof h);
        li = (size_t) h.n_insns * sizeof(struct sock_filter);
        lm = h.metadata_len == UINT32_MAX ? 0 : h.metadata_len;
        if (memcmp(h.magic, SECCOMP_FILE_MAGIC, sizeof h.magic) != 0 || h.n_insns == 0 || h.n_insns > BPF_MAXINSNS ||
            h.listener_path_len > SPEC_STRING_MAX || lm > SPEC_STRING_MAX ||
            size != sizeof h + li + h.listener_path_len + lm)
                goto bad;
        f = filter_new();
        if (!f)
                return log_oom();
        f->insns = malloc(li);
        if (!f->insns)
                return log_oom();
        memcpy(f->insns, buf + sizeof h, li);
        f->n_insns = h.n_insns;
        f->flags = h.flags;
        f->notify = h.notify;
        if (f->notify) {
                f->listener_path = strndup(buf + sizeof h + li, h.listener_path_len);
                if (!f->listener_path)
                        return log_oom();
                if (h.metadata_len != UINT32_MAX) {
                        f->listener_metadata = strndup(buf + sizeof h + li + h.listener_path_len, lm);
                        if (!f->listener_metadata)
                                return log_oom();
                }
        }
        *ret = TAKE_PTR(f);
        return 0;
bad:
        return log_error_errno(SYNTHETIC_ERRNO(EBADMSG), "The saved seccomp filter '%s' is damaged",
                               SECCOMP_FILTER_FILE);
}

/* ---- notify ---- */

int seccomp_filter_connect(SeccompFilter *f) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        if (!f || !f->notify)
                return 0;
        if (strlen(f->listener_path) >= sizeof sa.sun_path)
                return log_error_errno(SYNTHETIC_ERRNO(ENAMETOOLONG),
                                       "linux.seccomp.listenerPath: '%s' is too long for a unix socket address",
                                       f->listener_path);
        strcpy(sa.sun_path, f->listener_path);
        /* Non-blocking: an agent that does not accept (full backlog) or read fails the create or the
         * exec, it never blocks the runtime or the container process. */
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return log_error_errno(errno, "Failed to create a socket: %m");
        if (connect(fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                return log_error_errno(errno, "Failed to connect to the seccomp agent at '%s' "
                                       "(linux.seccomp.listenerPath): %m", f->listener_path);
        safe_close(f->listener_fd);
        f->listener_fd = TAKE_FD(fd);
        return 0;
}

/* s as a JSON string literal (with quotes) appended to the open memstream. */
static void json_string(FILE *o, const char *s) {
        fputc('"', o);
        for (const unsigned char *c = (const unsigned char *) s; *c; c++)
                if (*c == '"' || *c == '\\')
                        fprintf(o, "\\%c", *c);
                else if (*c < 0x20)
                        fprintf(o, "\\u%04x", *c);
                else
                        fputc(*c, o);
        fputc('"', o);
}

int seccomp_filter_set_message(SeccompFilter *f, pid_t pid, const char *state_json) {
        _cleanup_free_ char *m = NULL;
        size_t size;
        FILE *o;

        if (!f || !f->notify)
                return 0;
        o = open_memstream(&m, &size);
        if (!o)
                return log_oom();
        /* runtime-spec config-linux.md: one container process state per connection; the fd goes in
         * SCM_RIGHTS and "fds" names it. */
        fprintf(o, "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":%d,\"metadata\":", (int) pid);
        json_string(o, strempty(f->listener_metadata));
        fprintf(o, ",\"state\":%s}", state_json);
        if (fclose(o) != 0 || !m)
                return log_oom();
        free(f->message);
        f->message = TAKE_PTR(m);
        return 0;
}

static int send_listener(const SeccompFilter *f, int listener) {
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct iovec iov = { .iov_base = f->message, .iov_len = strlen(f->message) };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                             .msg_controllen = sizeof control };
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        ssize_t n;

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &listener, sizeof(int));
        n = sendmsg(f->listener_fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0)
                return -errno;
        if ((size_t) n != iov.iov_len)
                return -EAGAIN;
        return 0;
}

int seccomp_filter_apply(const SeccompFilter *f) {
        struct sock_fprog prog;
        unsigned flags;
        int fd, r;

        if (!f)
                return 0;
        flags = f->flags | (f->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
        prog = (struct sock_fprog) { .len = (unsigned short) f->n_insns, .filter = f->insns };
        fd = (int) syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
        if (fd < 0)
                return log_error_errno(errno, "Failed to load the seccomp filter: %m");
        if (!f->notify)
                return 0;
        /* The listener fd is close-on-exec: ours goes with execve(), the agent keeps its copy
         * (in flight in the socket until it reads it). If the agent never reads it, or closes it,
         * notified syscalls fail with ENOSYS instead of hanging. */
        r = send_listener(f, fd);
        safe_close(fd);
        if (r < 0)
                return log_error_errno(r, "Failed to send the seccomp listener to '%s': %m", f->listener_path);
        return 0;
}
