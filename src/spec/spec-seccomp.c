/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* linux.seccomp -> SpecSeccomp (runtime-spec config-linux.md "Seccomp"). Every name (action,
 * operator, architecture, flag) is checked here against the lists the spec defines, so that a typo is
 * an error naming its JSON path instead of a filter that does something else. Syscall names are
 * not checked here: which ones exist is libseccomp's business (src/security/seccomp.c warns). */

#include <json-c/json.h>
#include <stdlib.h>

#include "log.h"
#include "spec-internal.h"
#include "strv.h"

static const char *const action_table[_SPEC_SECCOMP_ACT_MAX] = {
        [SPEC_SECCOMP_ACT_ALLOW] = "SCMP_ACT_ALLOW",
        [SPEC_SECCOMP_ACT_ERRNO] = "SCMP_ACT_ERRNO",
        [SPEC_SECCOMP_ACT_KILL] = "SCMP_ACT_KILL",
        [SPEC_SECCOMP_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
        [SPEC_SECCOMP_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
        [SPEC_SECCOMP_ACT_TRAP] = "SCMP_ACT_TRAP",
        [SPEC_SECCOMP_ACT_TRACE] = "SCMP_ACT_TRACE",
        [SPEC_SECCOMP_ACT_LOG] = "SCMP_ACT_LOG",
        [SPEC_SECCOMP_ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
};

static const char *const op_table[_SPEC_SECCOMP_OP_MAX] = {
        [SPEC_SECCOMP_OP_NE] = "SCMP_CMP_NE", [SPEC_SECCOMP_OP_LT] = "SCMP_CMP_LT",
        [SPEC_SECCOMP_OP_LE] = "SCMP_CMP_LE", [SPEC_SECCOMP_OP_EQ] = "SCMP_CMP_EQ",
        [SPEC_SECCOMP_OP_GE] = "SCMP_CMP_GE", [SPEC_SECCOMP_OP_GT] = "SCMP_CMP_GT",
        [SPEC_SECCOMP_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

static const char *const arch_table[_SPEC_SECCOMP_ARCH_MAX] = {
        [SPEC_SECCOMP_ARCH_X86] = "SCMP_ARCH_X86",
        [SPEC_SECCOMP_ARCH_X86_64] = "SCMP_ARCH_X86_64",
        [SPEC_SECCOMP_ARCH_X32] = "SCMP_ARCH_X32",
        [SPEC_SECCOMP_ARCH_ARM] = "SCMP_ARCH_ARM",
        [SPEC_SECCOMP_ARCH_AARCH64] = "SCMP_ARCH_AARCH64",
        [SPEC_SECCOMP_ARCH_MIPS] = "SCMP_ARCH_MIPS",
        [SPEC_SECCOMP_ARCH_MIPS64] = "SCMP_ARCH_MIPS64",
        [SPEC_SECCOMP_ARCH_MIPS64N32] = "SCMP_ARCH_MIPS64N32",
        [SPEC_SECCOMP_ARCH_MIPSEL] = "SCMP_ARCH_MIPSEL",
        [SPEC_SECCOMP_ARCH_MIPSEL64] = "SCMP_ARCH_MIPSEL64",
        [SPEC_SECCOMP_ARCH_MIPSEL64N32] = "SCMP_ARCH_MIPSEL64N32",
        [SPEC_SECCOMP_ARCH_PPC] = "SCMP_ARCH_PPC",
        [SPEC_SECCOMP_ARCH_PPC64] = "SCMP_ARCH_PPC64",
        [SPEC_SECCOMP_ARCH_PPC64LE] = "SCMP_ARCH_PPC64LE",
        [SPEC_SECCOMP_ARCH_S390] = "SCMP_ARCH_S390",
        [SPEC_SECCOMP_ARCH_S390X] = "SCMP_ARCH_S390X",
        [SPEC_SECCOMP_ARCH_PARISC] = "SCMP_ARCH_PARISC",
        [SPEC_SECCOMP_ARCH_PARISC64] = "SCMP_ARCH_PARISC64",
        [SPEC_SECCOMP_ARCH_RISCV64] = "SCMP_ARCH_RISCV64",
};

static const struct {
        const char *name;
        SpecSeccompFlags flag;
} flag_table[] = {
        { "SECCOMP_FILTER_FLAG_TSYNC", SPEC_SECCOMP_FLAG_TSYNC },
        { "SECCOMP_FILTER_FLAG_LOG", SPEC_SECCOMP_FLAG_LOG },
        { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SPEC_SECCOMP_FLAG_SPEC_ALLOW },
        { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV },
};

static int table_lookup(const char *const *table, int n, const char *s) {
        if (!s)
                return -EINVAL;
        for (int i = 0; i < n; i++)
                if (table[i] && streq(table[i], s))
                        return i;
        return -EINVAL;
}

const char *spec_seccomp_action_to_string(SpecSeccompAction a) {
        return a >= 0 && a < _SPEC_SECCOMP_ACT_MAX ? action_table[a] : NULL;
}

SpecSeccompAction spec_seccomp_action_from_string(const char *s) {
        return table_lookup(action_table, _SPEC_SECCOMP_ACT_MAX, s);
}

const char *spec_seccomp_op_to_string(SpecSeccompOp o) {
        return o >= 0 && o < _SPEC_SECCOMP_OP_MAX ? op_table[o] : NULL;
}

SpecSeccompOp spec_seccomp_op_from_string(const char *s) {
        return table_lookup(op_table, _SPEC_SECCOMP_OP_MAX, s);
}

const char *spec_seccomp_arch_to_string(SpecSeccompArch a) {
        return a >= 0 && a < _SPEC_SECCOMP_ARCH_MAX ? arch_table[a] : NULL;
}

SpecSeccompArch spec_seccomp_arch_from_string(const char *s) {
        return table_lookup(arch_table, _SPEC_SECCOMP_ARCH_MAX, s);
}

void spec_seccomp_free(SpecSeccomp *s) {
        if (!s)
                return;
        for (size_t i = 0; i < s->n_syscalls; i++) {
                strv_free(s->syscalls[i].names);
                free(s->syscalls[i].args);
        }
        free(s->syscalls);
        free(s->architectures);
        free(s->listener_path);
        free(s->listener_metadata);
        free(s);
}

static inline void spec_seccomp_freep(SpecSeccomp **s) {
        spec_seccomp_free(*s);
}

/* A required string member naming one entry of table. */
static int parse_enum(const char *name, json_object *o, const JPath *p, const char *key, const char *what,
                      const char *const *table, int n, int *ret) {
        const JPath *kp = JPATH_KEY(p, key);
        _cleanup_free_ char *s = NULL;
        json_object *v = spec_json_member(o, key);
        char q[SPEC_QUOTE_MAX], list[1024] = "";
        int r;

        if (!v)
                return spec_json_missing(name, kp, what);
        r = spec_json_parse_string(name, v, kp, &s);
        if (r < 0)
                return r;
        r = table_lookup(table, n, s);
        if (r >= 0) {
                *ret = r;
                return 0;
        }
        for (int i = 0; i < n; i++)
                if (table[i]) {
                        if (list[0])
                                strncat(list, ", ", sizeof list - strlen(list) - 1);
                        strncat(list, table[i], sizeof list - strlen(list) - 1);
                }
        return spec_log_error(name, kp, EINVAL, "unknown %s '%s', expected one of %s", what,
                              spec_quote(s, q), list);
}

static int parse_optional_u64(const char *name, json_object *o, const JPath *p, const char *key, uint64_t max,
                              const char *what, bool *has, uint64_t *ret) {
        json_object *v = spec_json_member(o, key);
        int r;

        if (!v)
                return 0;
        r = spec_json_parse_unsigned(name, v, JPATH_KEY(p, key), max, what, ret);
        if (r < 0)
                return r;
        if (has)
                *has = true;
        return 0;
}

/* An action and the errno (or trace message) that goes with it: syscalls[].action and errnoRet,
 * or defaultAction and defaultErrnoRet. ret_errno stays 0 when errno_key is absent. */
static int parse_action(const char *name, json_object *o, const JPath *p, const char *action_key,
                        const char *errno_key, SpecSeccompAction *ret_action, bool *has_errno, uint32_t *ret_errno) {
        uint64_t u = 0;
        int action = 0, r;

        r = parse_enum(name, o, p, action_key, "action", action_table, _SPEC_SECCOMP_ACT_MAX, &action);
        if (r < 0)
                return r;
        *ret_action = action;
        r = parse_optional_u64(name, o, p, errno_key, UINT32_MAX, "an unsigned 32-bit integer", has_errno, &u);
        if (r < 0)
                return r;
        *ret_errno = (uint32_t) u;
        return 0;
}

static int parse_arg(const char *name, json_object *o, const JPath *p, SpecSeccompArg *a) {
        json_object *v;
        uint64_t u;
        int op = 0, r;

        r = spec_json_check_object(name, o, p);
        if (r < 0)
                return r;
        v = spec_json_member(o, "index");
        if (!v)
                return spec_json_missing(name, JPATH_KEY(p, "index"), "an argument index (0-5)");
        r = spec_json_parse_unsigned(name, v, JPATH_KEY(p, "index"), SPEC_SECCOMP_ARGS_MAX - 1,
                                     "an argument index (0-5)", &u);
        if (r < 0)
                return r;
        a->index = (uint32_t) u;
        v = spec_json_member(o, "value");
        if (!v)
                return spec_json_missing(name, JPATH_KEY(p, "value"), "an unsigned 64-bit integer");
        r = spec_json_parse_unsigned(name, v, JPATH_KEY(p, "value"), UINT64_MAX, "an unsigned 64-bit integer",
                                     &a->value);
        if (r < 0)
                return r;
        r = parse_optional_u64(name, o, p, "valueTwo", UINT64_MAX, "an unsigned 64-bit integer", NULL,
                               &a->value_two);
        if (r < 0)
                return r;
        r = parse_enum(name, o, p, "op", "operator", op_table, _SPEC_SECCOMP_OP_MAX, &op);
        if (r < 0)
                return r;
        a->op = op;
        return 0;
}

static int parse_syscall(const char *name, json_object *o, const JPath *p, SpecSeccompSyscall *sc) {
        json_object *v;
        size_t n;
        int r;

        r = spec_json_check_object(name, o, p);
        if (r < 0)
                return r;
        v = spec_json_member(o, "names");
        if (!v)
                return spec_json_missing(name, JPATH_KEY(p, "names"), "an array of syscall names");
        r = spec_json_parse_strv(name, v, JPATH_KEY(p, "names"), SPEC_LIST_MAX, &sc->names);
        if (r < 0)
                return r;
        if (!sc->names[0])
                return spec_log_error(name, JPATH_KEY(p, "names"), EINVAL, "expected at least one syscall name");
        STRV_FOREACH(s, sc->names)
                if (!**s)
                        return spec_log_error(name, JPATH_INDEX(JPATH_KEY(p, "names"), (size_t) (s - sc->names)),
                                              EINVAL, "expected a syscall name, got an empty string");
        r = parse_action(name, o, p, "action", "errnoRet", &sc->action, &sc->has_errno_ret, &sc->errno_ret);
        if (r < 0)
                return r;

        v = spec_json_member(o, "args");
        if (!v)
                return 0;
        r = spec_json_check_array(name, v, JPATH_KEY(p, "args"), SPEC_SECCOMP_ARGS_MAX, &n);
        if (r < 0)
                return r;
        sc->args = calloc(n ?: 1, sizeof(SpecSeccompArg));
        if (!sc->args)
                return log_oom();
        sc->n_args = n;
        for (size_t i = 0; i < n; i++) {
                r = parse_arg(name, json_object_array_get_idx(v, i), JPATH_INDEX(JPATH_KEY(p, "args"), i),
                              &sc->args[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int parse_architectures(const char *name, json_object *o, const JPath *p, SpecSeccomp *s) {
        const JPath *ap = JPATH_KEY(p, "architectures");
        _cleanup_strv_free_ char **l = NULL;
        json_object *v = spec_json_member(o, "architectures");
        size_t n;
        int r;

        if (!v)
                return 0;
        r = spec_json_parse_strv(name, v, ap, SPEC_SECCOMP_ARCHES_MAX, &l);
        if (r < 0)
                return r;
        n = strv_length(l);
        s->architectures = calloc(n ?: 1, sizeof(SpecSeccompArch));
        if (!s->architectures)
                return log_oom();
        for (size_t i = 0; i < n; i++) {
                SpecSeccompArch a = spec_seccomp_arch_from_string(l[i]);
                char q[SPEC_QUOTE_MAX];

                if (a < 0)
                        return spec_log_error(name, JPATH_INDEX(ap, i), EINVAL,
                                              "unknown architecture '%s', expected an SCMP_ARCH_* name such as "
                                              "SCMP_ARCH_X86_64", spec_quote(l[i], q));
                for (size_t j = 0; j < s->n_architectures; j++)
                        if (s->architectures[j] == a)
                                return spec_log_error(name, JPATH_INDEX(ap, i), EINVAL,
                                                      "duplicate architecture '%s'", l[i]);
                s->architectures[s->n_architectures++] = a;
        }
        return 0;
}

static int parse_flags(const char *name, json_object *o, const JPath *p, SpecSeccomp *s) {
        const JPath *fp = JPATH_KEY(p, "flags");
        _cleanup_strv_free_ char **l = NULL;
        json_object *v = spec_json_member(o, "flags");
        int r;

        if (!v)
                return 0;
        r = spec_json_parse_strv(name, v, fp, ELEMENTSOF(flag_table) * 4, &l);
        if (r < 0)
                return r;
        for (size_t i = 0; l[i]; i++) {
                char q[SPEC_QUOTE_MAX];
                size_t k;

                for (k = 0; k < ELEMENTSOF(flag_table); k++)
                        if (streq(flag_table[k].name, l[i]))
                                break;
                if (k >= ELEMENTSOF(flag_table))
                        return spec_log_error(name, JPATH_INDEX(fp, i), EINVAL,
                                              "unknown flag '%s', expected one of SECCOMP_FILTER_FLAG_TSYNC, "
                                              "SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, "
                                              "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", spec_quote(l[i], q));
                s->flags |= flag_table[k].flag;
        }
        return 0;
}

int spec_parse_seccomp(const char *name, json_object *o, const JPath *p, SpecSeccomp **ret) {
        _cleanup_(spec_seccomp_freep) SpecSeccomp *s = NULL;
        const JPath *sp = JPATH_KEY(p, "syscalls");
        json_object *v;
        size_t n;
        int r;

        r = spec_json_check_object(name, o, p);
        if (r < 0)
                return r;
        s = calloc(1, sizeof *s);
        if (!s)
                return log_oom();
        r = parse_action(name, o, p, "defaultAction", "defaultErrnoRet", &s->default_action,
                         &s->has_default_errno_ret, &s->default_errno_ret);
        if (r < 0)
                return r;
        r = parse_architectures(name, o, p, s);
        if (r < 0)
                return r;
        r = parse_flags(name, o, p, s);
        if (r < 0)
                return r;
        v = spec_json_member(o, "listenerPath");
        if (v) {
                r = spec_json_parse_string(name, v, JPATH_KEY(p, "listenerPath"), &s->listener_path);
                if (r < 0)
                        return r;
        }
        v = spec_json_member(o, "listenerMetadata");
        if (v) {
                r = spec_json_parse_string(name, v, JPATH_KEY(p, "listenerMetadata"), &s->listener_metadata);
                if (r < 0)
                        return r;
        }

        v = spec_json_member(o, "syscalls");
        if (v) {
                r = spec_json_check_array(name, v, sp, SPEC_LIST_MAX, &n);
                if (r < 0)
                        return r;
                s->syscalls = calloc(n ?: 1, sizeof(SpecSeccompSyscall));
                if (!s->syscalls)
                        return log_oom();
                for (size_t i = 0; i < n; i++) {
                        s->n_syscalls = i + 1;
                        s->syscalls[i].index = (unsigned) i;
                        r = parse_syscall(name, json_object_array_get_idx(v, i), JPATH_INDEX(sp, i),
                                          &s->syscalls[i]);
                        if (r < 0)
                                return r;
                        if (s->syscalls[i].action == SPEC_SECCOMP_ACT_NOTIFY)
                                s->notify = true;
                }
        }
        *ret = TAKE_PTR(s);
        return 0;
}

/* errnoRet is the errno of SCMP_ACT_ERRNO and the message of SCMP_ACT_TRACE; any other action has
 * nothing to put it in, and the runtime spec says to fail then. */
static int check_errno_ret(const char *name, const JPath *p, SpecSeccompAction a, uint32_t v) {
        if (a == SPEC_SECCOMP_ACT_ERRNO && v > 4095)
                return spec_log_error(name, p, EINVAL, "expected an errno number (0-4095), got %u", v);
        if (a == SPEC_SECCOMP_ACT_TRACE && v > 65535)
                return spec_log_error(name, p, EINVAL, "expected a 16-bit trace message number, got %u", v);
        if (a != SPEC_SECCOMP_ACT_ERRNO && a != SPEC_SECCOMP_ACT_TRACE)
                return spec_log_error(name, p, EINVAL, "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, "
                                      "the action is %s", spec_seccomp_action_to_string(a));
        return 0;
}

int spec_validate_seccomp(const char *name, const SpecSeccomp *s) {
        const JPath *p = JPATH_KEY(JPATH_KEY(NULL, "linux"), "seccomp");
        int r;

        if (!s)
                return 0;
        /* As runc: every syscall the profile does not name would wait for an agent that has not
         * got the listener yet (berth sends it with sendmsg() after loading the filter). */
        if (s->default_action == SPEC_SECCOMP_ACT_NOTIFY)
                return spec_log_error(name, JPATH_KEY(p, "defaultAction"), EINVAL,
                                      "SCMP_ACT_NOTIFY cannot be the default action");
        if (s->has_default_errno_ret) {
                r = check_errno_ret(name, JPATH_KEY(p, "defaultErrnoRet"), s->default_action, s->default_errno_ret);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < s->n_syscalls; i++) {
                const SpecSeccompSyscall *sc = &s->syscalls[i];
                const JPath *ep = JPATH_INDEX(JPATH_KEY(p, "syscalls"), i);

                if (sc->has_errno_ret) {
                        r = check_errno_ret(name, JPATH_KEY(ep, "errnoRet"), sc->action, sc->errno_ret);
                        if (r < 0)
                                return r;
                }
                if (sc->action != SPEC_SECCOMP_ACT_NOTIFY)
                        continue;
                /* After the filter is loaded, berth makes two syscalls: sendmsg() of the listener
                 * fd and execve(). A notification for the first could never be answered. */
                STRV_FOREACH(n, sc->names)
                        if (streq(*n, "sendmsg"))
                                return spec_log_error(name, JPATH_KEY(ep, "action"), EINVAL,
                                                      "SCMP_ACT_NOTIFY cannot be used for sendmsg: berth sends "
                                                      "the listener fd with it once the filter is loaded");
        }
        if (s->notify && isempty(s->listener_path))
                return spec_log_error(name, JPATH_KEY(p, "listenerPath"), EINVAL,
                                      "SCMP_ACT_NOTIFY is used, which needs a listenerPath (the seccomp agent's "
                                      "unix socket)");
        return 0;
}
