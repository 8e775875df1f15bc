/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* config.json / process.json -> Spec. This file checks syntax, JSON types, enum names and size
 * limits while converting; everything semantic is in spec-validate.c. json-c stays inside src/spec/.
 *
 * Like runc (Go's encoding/json), unknown members are ignored and a member whose value is null
 * counts as absent. Unlike json-c's default mode, the tokenizer is strict (no comments, no trailing
 * commas), since that is what every other runtime accepts. */

#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "log.h"
#include "path-util.h"
#include "spec-internal.h"
#include "strv.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static inline void json_object_putp(json_object **j) {
        if (*j)
                (void) json_object_put(*j);
}
static inline void json_tokener_freep(json_tokener **t) {
        if (*t)
                json_tokener_free(*t);
}

/* ---- enum tables ---- */

static const char *const namespace_type_table[_SPEC_NS_MAX] = {
        [SPEC_NS_PID] = "pid",   [SPEC_NS_NETWORK] = "network", [SPEC_NS_MOUNT] = "mount",
        [SPEC_NS_IPC] = "ipc",   [SPEC_NS_UTS] = "uts",         [SPEC_NS_USER] = "user",
        [SPEC_NS_CGROUP] = "cgroup", [SPEC_NS_TIME] = "time",
};

static const char *const namespace_proc_table[_SPEC_NS_MAX] = {
        [SPEC_NS_PID] = "pid",   [SPEC_NS_NETWORK] = "net", [SPEC_NS_MOUNT] = "mnt",
        [SPEC_NS_IPC] = "ipc",   [SPEC_NS_UTS] = "uts",     [SPEC_NS_USER] = "user",
        [SPEC_NS_CGROUP] = "cgroup", [SPEC_NS_TIME] = "time",
};

static const int namespace_clone_table[_SPEC_NS_MAX] = {
        [SPEC_NS_PID] = CLONE_NEWPID,   [SPEC_NS_NETWORK] = CLONE_NEWNET, [SPEC_NS_MOUNT] = CLONE_NEWNS,
        [SPEC_NS_IPC] = CLONE_NEWIPC,   [SPEC_NS_UTS] = CLONE_NEWUTS,     [SPEC_NS_USER] = CLONE_NEWUSER,
        [SPEC_NS_CGROUP] = CLONE_NEWCGROUP, [SPEC_NS_TIME] = CLONE_NEWTIME,
};

const char *spec_namespace_type_to_string(SpecNamespaceType t) {
        if (t < 0 || t >= _SPEC_NS_MAX)
                return NULL;
        return namespace_type_table[t];
}

SpecNamespaceType spec_namespace_type_from_string(const char *s) {
        if (!s)
                return _SPEC_NS_INVALID;
        for (SpecNamespaceType t = 0; t < _SPEC_NS_MAX; t++)
                if (streq(namespace_type_table[t], s))
                        return t;
        return _SPEC_NS_INVALID;
}

int spec_namespace_type_to_clone_flag(SpecNamespaceType t) {
        if (t < 0 || t >= _SPEC_NS_MAX)
                return -EINVAL;
        return namespace_clone_table[t];
}

const char *spec_namespace_type_to_proc_name(SpecNamespaceType t) {
        if (t < 0 || t >= _SPEC_NS_MAX)
                return NULL;
        return namespace_proc_table[t];
}

static const char *const propagation_table[_SPEC_PROPAGATION_MAX] = {
        [SPEC_PROPAGATION_PRIVATE] = "private",       [SPEC_PROPAGATION_RPRIVATE] = "rprivate",
        [SPEC_PROPAGATION_SLAVE] = "slave",           [SPEC_PROPAGATION_RSLAVE] = "rslave",
        [SPEC_PROPAGATION_SHARED] = "shared",         [SPEC_PROPAGATION_RSHARED] = "rshared",
        [SPEC_PROPAGATION_UNBINDABLE] = "unbindable", [SPEC_PROPAGATION_RUNBINDABLE] = "runbindable",
};

SpecPropagation spec_propagation_from_string(const char *s) {
        if (!s)
                return _SPEC_PROPAGATION_INVALID;
        for (SpecPropagation p = 0; p < _SPEC_PROPAGATION_MAX; p++)
                if (propagation_table[p] && streq(propagation_table[p], s))
                        return p;
        return _SPEC_PROPAGATION_INVALID;
}

const char *spec_propagation_to_string(SpecPropagation p) {
        if (p < 0 || p >= _SPEC_PROPAGATION_MAX)
                return NULL;
        return propagation_table[p];
}

static const struct {
        const char *name;
        int resource;
} rlimit_table[] = {
        { "RLIMIT_AS", RLIMIT_AS },
        { "RLIMIT_CORE", RLIMIT_CORE },
        { "RLIMIT_CPU", RLIMIT_CPU },
        { "RLIMIT_DATA", RLIMIT_DATA },
        { "RLIMIT_FSIZE", RLIMIT_FSIZE },
        { "RLIMIT_LOCKS", RLIMIT_LOCKS },
        { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
        { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
        { "RLIMIT_NICE", RLIMIT_NICE },
        { "RLIMIT_NOFILE", RLIMIT_NOFILE },
        { "RLIMIT_NPROC", RLIMIT_NPROC },
        { "RLIMIT_RSS", RLIMIT_RSS },
        { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
        { "RLIMIT_RTTIME", RLIMIT_RTTIME },
        { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
        { "RLIMIT_STACK", RLIMIT_STACK },
};

int spec_rlimit_from_string(const char *s) {
        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(rlimit_table); i++)
                if (streq(rlimit_table[i].name, s))
                        return rlimit_table[i].resource;
        return -EINVAL;
}

const char *spec_rlimit_to_string(int resource) {
        for (size_t i = 0; i < ELEMENTSOF(rlimit_table); i++)
                if (rlimit_table[i].resource == resource)
                        return rlimit_table[i].name;
        return NULL;
}

/* ---- freeing ---- */

/* Calls elem_done() (if not NULL) on each of the n elements of array, then frees array. */
static void array_free(void *array, size_t n, size_t elem_size, void (*elem_done)(void *elem)) {
        if (array && elem_done)
                for (size_t i = 0; i < n; i++)
                        elem_done((uint8_t *) array + i * elem_size);
        free(array);
}

static void spec_hook_done(void *elem) {
        SpecHook *h = elem;

        free(h->path);
        strv_free(h->args);
        strv_free(h->env);
}

static void spec_hook_list_done(SpecHookList *l) {
        array_free(l->hooks, l->n_hooks, sizeof(SpecHook), spec_hook_done);
        *l = (SpecHookList) {};
}

static void spec_mount_done(void *elem) {
        SpecMount *m = elem;

        free(m->destination);
        free(m->type);
        free(m->source);
        strv_free(m->options);
}

static void spec_device_done(void *elem) {
        SpecDevice *d = elem;

        free(d->path);
}

static void spec_sysctl_done(void *elem) {
        SpecSysctl *e = elem;

        free(e->key);
        free(e->value);
}

static void spec_capabilities_done(SpecCapabilities *c) {
        strv_free(c->bounding);
        strv_free(c->effective);
        strv_free(c->inheritable);
        strv_free(c->permitted);
        strv_free(c->ambient);
        *c = (SpecCapabilities) {};
}

void spec_process_free(SpecProcess *p) {
        if (!p)
                return;
        free(p->user.additional_gids);
        strv_free(p->args);
        strv_free(p->env);
        free(p->cwd);
        free(p->rlimits);
        spec_capabilities_done(&p->capabilities);
        free(p->apparmor_profile);
        free(p->selinux_label);
        free(p);
}

static void spec_linux_done(SpecLinux *l) {
        for (SpecNamespaceType t = 0; t < _SPEC_NS_MAX; t++)
                free(l->namespaces[t].path);
        free(l->uid_mappings);
        free(l->gid_mappings);
        array_free(l->devices, l->n_devices, sizeof(SpecDevice), spec_device_done);
        array_free(l->sysctl, l->n_sysctl, sizeof(SpecSysctl), spec_sysctl_done);
        strv_free(l->masked_paths);
        strv_free(l->readonly_paths);
        free(l->cgroups_path);
        free(l->resources_json);
        spec_seccomp_free(l->seccomp);
        free(l->mount_label);
        *l = (SpecLinux) {};
}

Spec *spec_free(Spec *s) {
        if (!s)
                return NULL;
        free(s->oci_version);
        free(s->root_path);
        free(s->hostname);
        free(s->domainname);
        spec_process_free(s->process);
        array_free(s->mounts, s->n_mounts, sizeof(SpecMount), spec_mount_done);
        spec_linux_done(&s->linux);
        strv_free(s->annotations);
        spec_hook_list_done(&s->prestart);
        spec_hook_list_done(&s->create_runtime);
        spec_hook_list_done(&s->create_container);
        spec_hook_list_done(&s->start_container);
        spec_hook_list_done(&s->poststart);
        spec_hook_list_done(&s->poststop);
        free(s);
        return NULL;
}

/* ---- messages ---- */

static void jpath_append(const JPath *p, char *buf, size_t size, size_t *pos) {
        char q[SPEC_QUOTE_MAX];
        int n;

        if (!p)
                return;
        jpath_append(p->parent, buf, size, pos);
        if (*pos >= size)
                return;
        if (!p->key)
                n = snprintf(buf + *pos, size - *pos, "[%zu]", p->index);
        else if (p->quote)
                n = snprintf(buf + *pos, size - *pos, "[\"%s\"]", spec_quote(p->key, q));
        else
                n = snprintf(buf + *pos, size - *pos, "%s%s", *pos > 0 ? "." : "", p->key);
        if (n > 0)
                *pos += (size_t) n;
}

char *jpath_format(const JPath *p, char *buf, size_t size) {
        size_t pos = 0;

        assert(buf);
        assert(size > 0);
        buf[0] = 0;
        jpath_append(p, buf, size, &pos);
        return buf;
}

const char *spec_quote(const char *s, char buf[static SPEC_QUOTE_MAX]) {
        size_t i, max = SPEC_QUOTE_MAX - 4;

        if (!s)
                return "(null)";
        for (i = 0; s[i] && i < max; i++)
                buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
        if (s[i])
                memcpy(buf + i, "...", 3), i += 3;
        buf[i] = 0;
        return buf;
}

int spec_log_error(const char *name, const JPath *p, int error, const char *format, ...) {
        char path[SPEC_PATH_STR_MAX], what[1024];
        va_list ap;

        va_start(ap, format);
        (void) vsnprintf(what, sizeof what, format, ap);
        va_end(ap);

        jpath_format(p, path, sizeof path);
        if (path[0])
                return log_error_errno(SYNTHETIC_ERRNO(error), "%s: %s: %s", name, path, what);
        return log_error_errno(SYNTHETIC_ERRNO(error), "%s: %s", name, what);
}

void spec_log_warning(const char *name, const JPath *p, const char *format, ...) {
        char path[SPEC_PATH_STR_MAX], what[1024];
        va_list ap;

        va_start(ap, format);
        (void) vsnprintf(what, sizeof what, format, ap);
        va_end(ap);

        jpath_format(p, path, sizeof path);
        if (path[0])
                log_warning("%s: %s: %s", name, path, what);
        else
                log_warning("%s: %s", name, what);
}

/* ---- typed readers: each logs one message naming the path ---- */

static const char *json_type_desc(json_object *o) {
        switch (json_object_get_type(o)) {
        case json_type_null:
                return "null";
        case json_type_boolean:
                return "a boolean";
        case json_type_double:
                return "a non-integer number";
        case json_type_int:
                return "an integer";
        case json_type_object:
                return "an object";
        case json_type_array:
                return "an array";
        case json_type_string:
                return "a string";
        default:
                return "an unknown type";
        }
}

static int wrong_type(const char *name, const JPath *p, json_object *o, const char *expected) {
        return spec_log_error(name, p, EINVAL, "expected %s, got %s", expected, json_type_desc(o));
}

static int missing(const char *name, const JPath *p, const char *expected) {
        return spec_log_error(name, p, EINVAL, "missing required field, expected %s", expected);
}

/* NULL when absent or null: Go's encoding/json (and so runc) treats both alike. */
static json_object *member(json_object *obj, const char *key) {
        json_object *v = NULL;

        if (!json_object_object_get_ex(obj, key, &v))
                return NULL;
        return v;
}

static int check_object(const char *name, json_object *o, const JPath *p) {
        if (!json_object_is_type(o, json_type_object))
                return wrong_type(name, p, o, "an object");
        return 0;
}

static int check_array(const char *name, json_object *o, const JPath *p, size_t max, size_t *ret_n) {
        size_t n;

        if (!json_object_is_type(o, json_type_array))
                return wrong_type(name, p, o, "an array");
        n = json_object_array_length(o);
        if (n > max)
                return spec_log_error(name, p, EINVAL, "too many entries (%zu), the limit is %zu", n, max);
        *ret_n = n;
        return 0;
}

/* An object used as a map (sysctl, annotations): at most max members. */
static int check_map(const char *name, json_object *o, const JPath *p, size_t max, size_t *ret_n) {
        size_t n;
        int r;

        r = check_object(name, o, p);
        if (r < 0)
                return r;
        n = (size_t) json_object_object_length(o);
        if (n > max)
                return spec_log_error(name, p, EINVAL, "too many entries (%zu), the limit is %zu", n, max);
        *ret_n = n;
        return 0;
}

static int check_string_size(const char *name, const JPath *p, const char *s, size_t len) {
        if (len > SPEC_STRING_MAX)
                return spec_log_error(name, p, EINVAL, "string is %zu bytes long, the limit is %u bytes",
                                      len, SPEC_STRING_MAX);
        /* A NUL would silently cut the string short everywhere we pass it on. */
        if (memchr(s, 0, len))
                return spec_log_error(name, p, EINVAL, "string contains a NUL byte");
        return 0;
}

static int parse_string(const char *name, json_object *o, const JPath *p, char **ret) {
        const char *s;
        size_t len;
        char *c;
        int r;

        if (!json_object_is_type(o, json_type_string))
                return wrong_type(name, p, o, "a string");
        s = json_object_get_string(o);
        len = (size_t) json_object_get_string_len(o);
        r = check_string_size(name, p, s, len);
        if (r < 0)
                return r;
        c = strndup(s, len);
        if (!c)
                return log_oom();
        free(*ret);
        *ret = c;
        return 0;
}

static int parse_bool(const char *name, json_object *o, const JPath *p, bool *ret) {
        if (!json_object_is_type(o, json_type_boolean))
                return wrong_type(name, p, o, "a boolean");
        *ret = json_object_get_boolean(o);
        return 0;
}

/* json-c keeps integers above INT64_MAX as uint64 (json_object_get_int64() then saturates). */
static int parse_unsigned(const char *name, json_object *o, const JPath *p, uint64_t max, const char *what,
                          uint64_t *ret) {
        int64_t i;
        uint64_t u;

        if (!json_object_is_type(o, json_type_int))
                return wrong_type(name, p, o, what);
        i = json_object_get_int64(o);
        if (i < 0)
                return spec_log_error(name, p, EINVAL, "expected %s, got %" PRIi64, what, i);
        u = json_object_get_uint64(o);
        if (u > max)
                return spec_log_error(name, p, EINVAL, "expected %s, got %" PRIu64, what, u);
        *ret = u;
        return 0;
}

typedef struct IntRange {
        int64_t min, max;
        const char *what; /* for messages: "expected <what>" */
} IntRange;

static const IntRange range_int32 = { INT32_MIN, INT32_MAX, "a 32-bit integer" };
static const IntRange range_non_negative = { 0, INT64_MAX, "a non-negative integer" };

static int parse_signed(const char *name, json_object *o, const JPath *p, const IntRange *range,
                        int64_t *ret) {
        const char *what = range->what;
        int64_t i;

        if (!json_object_is_type(o, json_type_int))
                return wrong_type(name, p, o, what);
        i = json_object_get_int64(o);
        if (i == INT64_MAX && json_object_get_uint64(o) > (uint64_t) INT64_MAX)
                return spec_log_error(name, p, EINVAL, "expected %s, got %" PRIu64, what,
                                      json_object_get_uint64(o));
        if (i < range->min || i > range->max)
                return spec_log_error(name, p, EINVAL, "expected %s, got %" PRIi64, what, i);
        *ret = i;
        return 0;
}

static int parse_u32(const char *name, json_object *o, const JPath *p, uint32_t *ret) {
        uint64_t v;
        int r;

        r = parse_unsigned(name, o, p, UINT32_MAX, "an unsigned 32-bit integer", &v);
        if (r < 0)
                return r;
        *ret = (uint32_t) v;
        return 0;
}

static int parse_int(const char *name, json_object *o, const JPath *p, int *ret) {
        int64_t v;
        int r;

        r = parse_signed(name, o, p, &range_int32, &v);
        if (r < 0)
                return r;
        *ret = (int) v;
        return 0;
}

static int parse_strv(const char *name, json_object *o, const JPath *p, size_t max, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        size_t n;
        int r;

        r = check_array(name, o, p, max, &n);
        if (r < 0)
                return r;
        l = calloc(n + 1, sizeof(char *));
        if (!l)
                return log_oom();
        for (size_t i = 0; i < n; i++) {
                r = parse_string(name, json_object_array_get_idx(o, i), JPATH_INDEX(p, i), &l[i]);
                if (r < 0)
                        return r;
        }
        strv_free(*ret);
        *ret = TAKE_PTR(l);
        return 0;
}

/* Re-serialize an object we pass on uninterpreted. */
static int parse_raw_object(const char *name, json_object *o, const JPath *p, char **ret) {
        const char *s;
        char *c;
        int r;

        r = check_object(name, o, p);
        if (r < 0)
                return r;
        s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        if (!s)
                return log_oom();
        c = strdup(s);
        if (!c)
                return log_oom();
        free(*ret);
        *ret = c;
        return 0;
}

/* For spec-seccomp.c (spec-internal.h). */

json_object *spec_json_member(json_object *obj, const char *key) {
        return member(obj, key);
}

int spec_json_check_object(const char *name, json_object *o, const JPath *p) {
        return check_object(name, o, p);
}

int spec_json_check_array(const char *name, json_object *o, const JPath *p, size_t max, size_t *ret_n) {
        return check_array(name, o, p, max, ret_n);
}

int spec_json_parse_string(const char *name, json_object *o, const JPath *p, char **ret) {
        return parse_string(name, o, p, ret);
}

int spec_json_parse_unsigned(const char *name, json_object *o, const JPath *p, uint64_t max, const char *what,
                             uint64_t *ret) {
        return parse_unsigned(name, o, p, max, what, ret);
}

int spec_json_parse_strv(const char *name, json_object *o, const JPath *p, size_t max, char ***ret) {
        return parse_strv(name, o, p, max, ret);
}

int spec_json_missing(const char *name, const JPath *p, const char *expected) {
        return missing(name, p, expected);
}

/* Field readers: absent or null members leave *ret alone. */

static int field_string(const char *name, json_object *obj, const JPath *p, const char *key, char **ret) {
        json_object *v = member(obj, key);

        return v ? parse_string(name, v, JPATH_KEY(p, key), ret) : 0;
}

static int field_bool(const char *name, json_object *obj, const JPath *p, const char *key, bool *ret) {
        json_object *v = member(obj, key);

        return v ? parse_bool(name, v, JPATH_KEY(p, key), ret) : 0;
}

/* Returns 1 if the member was there. */
static int field_int(const char *name, json_object *obj, const JPath *p, const char *key, int *ret) {
        json_object *v = member(obj, key);
        int r;

        if (!v)
                return 0;
        r = parse_int(name, v, JPATH_KEY(p, key), ret);
        return r < 0 ? r : 1;
}

static int field_strv(const char *name, json_object *obj, const JPath *p, const char *key, size_t max,
                      char ***ret) {
        json_object *v = member(obj, key);

        return v ? parse_strv(name, v, JPATH_KEY(p, key), max, ret) : 0;
}

static int field_raw_object(const char *name, json_object *obj, const JPath *p, const char *key,
                            char **ret) {
        json_object *v = member(obj, key);

        return v ? parse_raw_object(name, v, JPATH_KEY(p, key), ret) : 0;
}

/* Returns 1 if the member was there. */
static int field_signed(const char *name, json_object *obj, const JPath *p, const char *key,
                        const IntRange *range, int64_t *ret) {
        json_object *v = member(obj, key);
        int r;

        if (!v)
                return 0;
        r = parse_signed(name, v, JPATH_KEY(p, key), range, ret);
        return r < 0 ? r : 1;
}

/* Required members: absent or null is an error. */

static int field_string_required(const char *name, json_object *obj, const JPath *p, const char *key,
                                 char **ret) {
        json_object *v = member(obj, key);

        if (!v)
                return missing(name, JPATH_KEY(p, key), "a string");
        return parse_string(name, v, JPATH_KEY(p, key), ret);
}

static int field_u64_required(const char *name, json_object *obj, const JPath *p, const char *key,
                              uint64_t *ret) {
        json_object *v = member(obj, key);

        if (!v)
                return missing(name, JPATH_KEY(p, key), "an unsigned 64-bit integer");
        return parse_unsigned(name, v, JPATH_KEY(p, key), UINT64_MAX, "an unsigned 64-bit integer", ret);
}

/* Parses one array element into *elem (zero-initialized). */
typedef int (*ParseElemFunc)(const char *name, json_object *e, const JPath *ep, void *elem);
/* Frees what an element owns (not the element itself). */
typedef void (*ElemDoneFunc)(void *elem);

/* The array member 'key' of obj -> a new array of n elements of elem_size bytes, each filled in by
 * parse_elem(). Absent or null: returns 0 and leaves the outputs alone. An empty array still gets an
 * allocation, so that it stays distinguishable from an absent one. On failure, what was parsed is
 * released with elem_done() (may be NULL) and the outputs are left alone. Use via field_array(). */
static int parse_array(const char *name, json_object *obj, const JPath *p, const char *key, size_t max,
                       size_t elem_size, ParseElemFunc parse_elem, ElemDoneFunc elem_done, void **ret_array,
                       size_t *ret_n) {
        const JPath *ap = JPATH_KEY(p, key);
        json_object *a = member(obj, key);
        uint8_t *array;
        size_t n;
        int r;

        if (!a)
                return 0;
        r = check_array(name, a, ap, max, &n);
        if (r < 0)
                return r;
        array = calloc(n ?: 1, elem_size);
        if (!array)
                return log_oom();
        for (size_t i = 0; i < n; i++) {
                r = parse_elem(name, json_object_array_get_idx(a, i), JPATH_INDEX(ap, i),
                               array + i * elem_size);
                if (r < 0) {
                        array_free(array, n, elem_size, elem_done);
                        return r;
                }
        }
        *ret_array = array;
        *ret_n = n;
        return 0;
}

/* parse_array() into a typed array: T **ret_array, size_t *ret_n. */
#define field_array(name, obj, p, key, max, parse_elem, elem_done, ret_array, ret_n)                    \
        ({                                                                                             \
                void *_array = NULL;                                                                   \
                int _r = parse_array(name, obj, p, key, max, sizeof(**(ret_array)), parse_elem,        \
                                     elem_done, &_array, ret_n);                                       \
                if (_r >= 0 && _array)                                                                 \
                        *(ret_array) = _array;                                                         \
                _r;                                                                                    \
        })

/* Table-driven readers for objects made of plain optional members, read in table order. */

typedef enum FieldKind {
        FIELD_KIND_STRING, /* char * */
        FIELD_KIND_STRV,   /* char **, at most 'max' entries */
        FIELD_KIND_BOOL,   /* bool */
        FIELD_KIND_U32,    /* uint32_t */
        FIELD_KIND_INT,    /* int, 32-bit */
} FieldKind;

typedef struct Field {
        const char *key;
        FieldKind kind;
        size_t offset;     /* of the value in the struct */
        size_t max;        /* FIELD_KIND_STRV only */
        size_t has_offset; /* of a bool set to whether the member was there; SIZE_MAX: none */
} Field;

#define FIELD(type, key, kind, member) { key, FIELD_KIND_##kind, offsetof(type, member), 0, SIZE_MAX }
#define FIELD_HAS(type, key, kind, member, has_member)                                                  \
        { key, FIELD_KIND_##kind, offsetof(type, member), 0, offsetof(type, has_member) }
#define FIELD_STRV(type, key, member, max) { key, FIELD_KIND_STRV, offsetof(type, member), max, SIZE_MAX }

static int parse_field(const char *name, json_object *v, const JPath *p, const Field *f, void *value) {
        switch (f->kind) {
        case FIELD_KIND_STRING:
                return parse_string(name, v, p, value);
        case FIELD_KIND_STRV:
                return parse_strv(name, v, p, f->max, value);
        case FIELD_KIND_BOOL:
                return parse_bool(name, v, p, value);
        case FIELD_KIND_U32:
                return parse_u32(name, v, p, value);
        case FIELD_KIND_INT:
                return parse_int(name, v, p, value);
        default:
                assert(false);
                return -EINVAL;
        }
}

/* Reads the members of o listed in fields into the struct at base. Absent or null members leave their
 * value alone. */
static int parse_fields(const char *name, json_object *o, const JPath *p, const Field *fields,
                        size_t n_fields, void *base) {
        int r;

        for (size_t i = 0; i < n_fields; i++) {
                const Field *f = &fields[i];
                json_object *v = member(o, f->key);

                if (v) {
                        r = parse_field(name, v, JPATH_KEY(p, f->key), f, (uint8_t *) base + f->offset);
                        if (r < 0)
                                return r;
                }
                if (f->has_offset != SIZE_MAX)
                        *(bool *) ((uint8_t *) base + f->has_offset) = !!v;
        }
        return 0;
}

/* parse_fields() on something that must be an object. */
static int parse_object(const char *name, json_object *o, const JPath *p, const Field *fields,
                        size_t n_fields, void *base) {
        int r;

        r = check_object(name, o, p);
        if (r < 0)
                return r;
        return parse_fields(name, o, p, fields, n_fields, base);
}

/* Fields of the runtime spec berth does not implement: refused, naming the field, rather than
 * ignored like unknown members (a container that silently lacks its I/O priority, scheduling
 * policy, CPU affinity, personality, clock offsets, RDT class, NUMA policy or network devices is
 * not the one asked for). null counts as absent, as everywhere. */
static int refuse_unsupported(const char *name, json_object *o, const JPath *p, const char *const *keys) {
        for (; *keys; keys++)
                if (member(o, *keys))
                        return spec_log_error(name, JPATH_KEY(p, *keys), EINVAL,
                                              "not supported by berth (refused rather than ignored)");
        return 0;
}

/* ---- process ---- */

/* An array element that must be an object with a "type" string (rlimits, namespaces). */
static int parse_typed_entry(const char *name, json_object *e, const JPath *ep, char **ret_type) {
        int r;

        r = check_object(name, e, ep);
        if (r < 0)
                return r;
        return field_string_required(name, e, ep, "type", ret_type);
}

static int parse_gid(const char *name, json_object *e, const JPath *ep, void *elem) {
        return parse_u32(name, e, ep, elem);
}

static int parse_user(const char *name, json_object *o, const JPath *p, SpecUser *u) {
        static const Field fields[] = {
                FIELD(SpecUser, "uid", U32, uid),
                FIELD(SpecUser, "gid", U32, gid),
                FIELD_HAS(SpecUser, "umask", U32, umask, has_umask),
        };
        int r;

        r = parse_object(name, o, p, fields, ELEMENTSOF(fields), u);
        if (r < 0)
                return r;
        return field_array(name, o, p, "additionalGids", SPEC_GIDS_MAX, parse_gid, /* elem_done= */ NULL,
                           &u->additional_gids, &u->n_additional_gids);
}

static int parse_rlimit(const char *name, json_object *e, const JPath *ep, void *elem) {
        _cleanup_free_ char *type = NULL;
        SpecRlimit *rl = elem;
        int r;

        r = parse_typed_entry(name, e, ep, &type);
        if (r < 0)
                return r;
        rl->resource = spec_rlimit_from_string(type);
        if (rl->resource < 0) {
                char q[SPEC_QUOTE_MAX];
                return spec_log_error(name, JPATH_KEY(ep, "type"), EINVAL,
                                      "unknown rlimit type '%s', "
                                      "expected an RLIMIT_* name such as RLIMIT_NOFILE",
                                      spec_quote(type, q));
        }

        /* Both are required: a missing one must not silently become a limit of 0. */
        r = field_u64_required(name, e, ep, "soft", &rl->soft);
        if (r < 0)
                return r;
        return field_u64_required(name, e, ep, "hard", &rl->hard);
}

static int parse_capabilities(const char *name, json_object *o, const JPath *p, SpecCapabilities *c) {
        static const Field fields[] = {
                FIELD_STRV(SpecCapabilities, "bounding", bounding, SPEC_LIST_MAX),
                FIELD_STRV(SpecCapabilities, "effective", effective, SPEC_LIST_MAX),
                FIELD_STRV(SpecCapabilities, "inheritable", inheritable, SPEC_LIST_MAX),
                FIELD_STRV(SpecCapabilities, "permitted", permitted, SPEC_LIST_MAX),
                FIELD_STRV(SpecCapabilities, "ambient", ambient, SPEC_LIST_MAX),
        };
        int r;

        r = check_object(name, o, p);
        if (r < 0)
                return r;
        c->present = true;
        return parse_fields(name, o, p, fields, ELEMENTSOF(fields), c);
}

static int parse_console_size(const char *name, json_object *o, const JPath *p, SpecProcess *proc) {
        static const Field fields[] = {
                FIELD(SpecProcess, "height", U32, console_height),
                FIELD(SpecProcess, "width", U32, console_width),
        };
        int r;

        r = parse_object(name, o, p, fields, ELEMENTSOF(fields), proc);
        if (r < 0)
                return r;
        proc->has_console_size = true;
        return 0;
}

static int parse_process(const char *name, json_object *o, const JPath *p, SpecProcess **ret) {
        _cleanup_(spec_process_freep) SpecProcess *proc = NULL;
        json_object *v;
        int r;

        r = check_object(name, o, p);
        if (r < 0)
                return r;
        proc = calloc(1, sizeof(SpecProcess));
        if (!proc)
                return log_oom();

        r = field_bool(name, o, p, "terminal", &proc->terminal);
        if (r < 0)
                return r;
        v = member(o, "consoleSize");
        if (v) {
                r = parse_console_size(name, v, JPATH_KEY(p, "consoleSize"), proc);
                if (r < 0)
                        return r;
        }
        v = member(o, "user");
        if (v) {
                r = parse_user(name, v, JPATH_KEY(p, "user"), &proc->user);
                if (r < 0)
                        return r;
        }
        r = field_strv(name, o, p, "args", SPEC_ARGS_MAX, &proc->args);
        if (r < 0)
                return r;
        r = field_strv(name, o, p, "env", SPEC_ARGS_MAX, &proc->env);
        if (r < 0)
                return r;
        r = field_string(name, o, p, "cwd", &proc->cwd);
        if (r < 0)
                return r;
        r = field_array(name, o, p, "rlimits", SPEC_LIST_MAX, parse_rlimit, /* elem_done= */ NULL,
                        &proc->rlimits, &proc->n_rlimits);
        if (r < 0)
                return r;
        r = field_bool(name, o, p, "noNewPrivileges", &proc->no_new_privileges);
        if (r < 0)
                return r;
        r = field_int(name, o, p, "oomScoreAdj", &proc->oom_score_adj);
        if (r < 0)
                return r;
        proc->has_oom_score_adj = r > 0;
        v = member(o, "capabilities");
        if (v) {
                r = parse_capabilities(name, v, JPATH_KEY(p, "capabilities"), &proc->capabilities);
                if (r < 0)
                        return r;
        }
        r = field_string(name, o, p, "apparmorProfile", &proc->apparmor_profile);
        if (r < 0)
                return r;
        r = field_string(name, o, p, "selinuxLabel", &proc->selinux_label);
        if (r < 0)
                return r;
        r = refuse_unsupported(name, o, p, (const char *const[]) { "ioPriority", "scheduler", "execCPUAffinity",
                                                                   NULL });
        if (r < 0)
                return r;

        *ret = TAKE_PTR(proc);
        return 0;
}

/* ---- mounts ---- */

static int parse_mount(const char *name, json_object *e, const JPath *ep, void *elem) {
        static const Field fields[] = {
                FIELD(SpecMount, "destination", STRING, destination),
                FIELD(SpecMount, "type", STRING, type),
                FIELD(SpecMount, "source", STRING, source),
                FIELD_STRV(SpecMount, "options", options, SPEC_LIST_MAX),
        };

        return parse_object(name, e, ep, fields, ELEMENTSOF(fields), elem);
}

/* ---- linux ---- */

static int parse_namespaces(const char *name, json_object *o, const JPath *p, SpecLinux *l) {
        json_object *a = member(o, "namespaces");
        const JPath *ap = JPATH_KEY(p, "namespaces");
        size_t n;
        int r;

        if (!a)
                return 0;
        r = check_array(name, a, ap, SPEC_LIST_MAX, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                const JPath *ep = JPATH_INDEX(ap, i);
                json_object *e = json_object_array_get_idx(a, i);
                _cleanup_free_ char *type = NULL;
                char q[SPEC_QUOTE_MAX];
                SpecNamespaceType t;

                r = parse_typed_entry(name, e, ep, &type);
                if (r < 0)
                        return r;
                t = spec_namespace_type_from_string(type);
                if (t < 0)
                        return spec_log_error(name, JPATH_KEY(ep, "type"), EINVAL,
                                              "unknown namespace type '%s', expected one of pid, network, "
                                              "mount, ipc, uts, user, cgroup, time",
                                              spec_quote(type, q));
                /* Our struct holds one entry per type, so duplicates are refused here. */
                if (l->namespaces[t].present)
                        return spec_log_error(name, JPATH_KEY(ep, "type"), EINVAL,
                                              "duplicate namespace type '%s' (already listed at index %u)",
                                              type, l->namespaces[t].index);
                r = field_string(name, e, ep, "path", &l->namespaces[t].path);
                if (r < 0)
                        return r;
                l->namespaces[t].present = true;
                l->namespaces[t].index = (unsigned) i;
        }
        return 0;
}

static int parse_id_mapping(const char *name, json_object *e, const JPath *ep, void *elem) {
        static const Field fields[] = {
                FIELD(SpecIdMap, "containerID", U32, container_id),
                FIELD(SpecIdMap, "hostID", U32, host_id),
                FIELD(SpecIdMap, "size", U32, size),
        };

        return parse_object(name, e, ep, fields, ELEMENTSOF(fields), elem);
}

static int parse_device(const char *name, json_object *e, const JPath *ep, void *elem) {
        static const Field fields[] = {
                FIELD_HAS(SpecDevice, "fileMode", U32, file_mode, has_file_mode),
                FIELD_HAS(SpecDevice, "uid", U32, uid, has_uid),
                FIELD_HAS(SpecDevice, "gid", U32, gid, has_gid),
        };
        SpecDevice *d = elem;
        json_object *v;
        int r;

        r = check_object(name, e, ep);
        if (r < 0)
                return r;
        r = field_string(name, e, ep, "path", &d->path);
        if (r < 0)
                return r;

        v = member(e, "type");
        if (!v)
                return missing(name, JPATH_KEY(ep, "type"), "one of c, b, u, p");
        if (!json_object_is_type(v, json_type_string))
                return wrong_type(name, JPATH_KEY(ep, "type"), v, "a string");
        if (json_object_get_string_len(v) != 1 || !strchr("cbup", json_object_get_string(v)[0])) {
                char q[SPEC_QUOTE_MAX];
                return spec_log_error(name, JPATH_KEY(ep, "type"), EINVAL,
                                      "unknown device type '%s', expected one of c, b, u, p",
                                      spec_quote(json_object_get_string(v), q));
        }
        d->type = json_object_get_string(v)[0];

        /* -1: absent. spec-validate.c requires them for c, b and u. */
        d->major = d->minor = -1;
        r = field_signed(name, e, ep, "major", &range_non_negative, &d->major);
        if (r < 0)
                return r;
        r = field_signed(name, e, ep, "minor", &range_non_negative, &d->minor);
        if (r < 0)
                return r;
        return parse_fields(name, e, ep, fields, ELEMENTSOF(fields), d);
}

static int parse_sysctl(const char *name, json_object *o, const JPath *p, SpecLinux *l) {
        json_object *obj = member(o, "sysctl");
        const JPath *sp = JPATH_KEY(p, "sysctl");
        size_t n = 0, i = 0;
        int r;

        if (!obj)
                return 0;
        r = check_map(name, obj, sp, SPEC_SYSCTL_MAX, &n);
        if (r < 0)
                return r;
        l->sysctl = calloc(n ?: 1, sizeof(SpecSysctl));
        if (!l->sysctl)
                return log_oom();

        json_object_object_foreach(obj, key, val) {
                const JPath *kp = JPATH_USER_KEY(sp, key);
                SpecSysctl *e = &l->sysctl[i++];

                l->n_sysctl = i;
                r = check_string_size(name, kp, key, strlen(key));
                if (r < 0)
                        return r;
                e->key = strdup(key);
                if (!e->key)
                        return log_oom();
                r = parse_string(name, val, kp, &e->value);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int parse_linux(const char *name, json_object *o, SpecLinux *l) {
        const JPath *p = JPATH_KEY(NULL, "linux");
        _cleanup_free_ char *propagation = NULL;
        json_object *v;
        int r;

        r = check_object(name, o, p);
        if (r < 0)
                return r;
        r = refuse_unsupported(name, o, p, (const char *const[]) { "personality", "timeOffsets", "intelRdt",
                                                                   "memoryPolicy", "netDevices", NULL });
        if (r < 0)
                return r;
        r = parse_namespaces(name, o, p, l);
        if (r < 0)
                return r;
        r = field_array(name, o, p, "uidMappings", SPEC_IDMAPS_MAX, parse_id_mapping, /* elem_done= */ NULL,
                        &l->uid_mappings, &l->n_uid_mappings);
        if (r < 0)
                return r;
        r = field_array(name, o, p, "gidMappings", SPEC_IDMAPS_MAX, parse_id_mapping, /* elem_done= */ NULL,
                        &l->gid_mappings, &l->n_gid_mappings);
        if (r < 0)
                return r;
        r = field_array(name, o, p, "devices", SPEC_DEVICES_MAX, parse_device, spec_device_done, &l->devices,
                        &l->n_devices);
        if (r < 0)
                return r;
        r = parse_sysctl(name, o, p, l);
        if (r < 0)
                return r;
        r = field_strv(name, o, p, "maskedPaths", SPEC_PATHS_MAX, &l->masked_paths);
        if (r < 0)
                return r;
        r = field_strv(name, o, p, "readonlyPaths", SPEC_PATHS_MAX, &l->readonly_paths);
        if (r < 0)
                return r;

        r = field_string(name, o, p, "rootfsPropagation", &propagation);
        if (r < 0)
                return r;
        l->rootfs_propagation = SPEC_PROPAGATION_UNSET;
        if (!isempty(propagation)) { /* runc treats "" as unset */
                char q[SPEC_QUOTE_MAX];

                l->rootfs_propagation = spec_propagation_from_string(propagation);
                if (l->rootfs_propagation < 0)
                        return spec_log_error(name, JPATH_KEY(p, "rootfsPropagation"), EINVAL,
                                              "unknown propagation '%s', expected one of private, rprivate, "
                                              "slave, rslave, shared, rshared, unbindable, runbindable",
                                              spec_quote(propagation, q));
        }

        r = field_string(name, o, p, "cgroupsPath", &l->cgroups_path);
        if (r < 0)
                return r;
        r = field_raw_object(name, o, p, "resources", &l->resources_json);
        if (r < 0)
                return r;
        v = member(o, "seccomp");
        if (v) {
                r = spec_parse_seccomp(name, v, JPATH_KEY(p, "seccomp"), &l->seccomp);
                if (r < 0)
                        return r;
        }
        return field_string(name, o, p, "mountLabel", &l->mount_label);
}

/* ---- hooks, annotations, root ---- */

static int parse_hook(const char *name, json_object *e, const JPath *ep, void *elem) {
        static const Field fields[] = {
                FIELD(SpecHook, "path", STRING, path),
                FIELD_STRV(SpecHook, "args", args, SPEC_LIST_MAX),
                FIELD_STRV(SpecHook, "env", env, SPEC_LIST_MAX),
                FIELD_HAS(SpecHook, "timeout", INT, timeout, has_timeout),
        };

        return parse_object(name, e, ep, fields, ELEMENTSOF(fields), elem);
}

static int parse_hooks(const char *name, json_object *o, Spec *s) {
        const JPath *p = JPATH_KEY(NULL, "hooks");
        const struct {
                const char *key;
                SpecHookList *list;
        } phases[] = {
                { "prestart", &s->prestart },
                { "createRuntime", &s->create_runtime },
                { "createContainer", &s->create_container },
                { "startContainer", &s->start_container },
                { "poststart", &s->poststart },
                { "poststop", &s->poststop },
        };
        int r;

        r = check_object(name, o, p);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(phases); i++) {
                SpecHookList *l = phases[i].list;

                r = field_array(name, o, p, phases[i].key, SPEC_HOOKS_MAX, parse_hook, spec_hook_done,
                                &l->hooks, &l->n_hooks);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int parse_annotations(const char *name, json_object *o, Spec *s) {
        const JPath *p = JPATH_KEY(NULL, "annotations");
        size_t n = 0, i = 0;
        int r;

        r = check_map(name, o, p, SPEC_ANNOTATIONS_MAX, &n);
        if (r < 0)
                return r;
        s->annotations = calloc(2 * n + 1, sizeof(char *));
        if (!s->annotations)
                return log_oom();

        json_object_object_foreach(o, key, val) {
                const JPath *kp = JPATH_USER_KEY(p, key);

                r = check_string_size(name, kp, key, strlen(key));
                if (r < 0)
                        return r;
                r = parse_string(name, val, kp, &s->annotations[i + 1]);
                if (r < 0)
                        return r;
                s->annotations[i] = strdup(key);
                if (!s->annotations[i])
                        return log_oom();
                i += 2;
        }
        return 0;
}

static int parse_root(const char *name, json_object *o, Spec *s) {
        static const Field fields[] = {
                FIELD(Spec, "path", STRING, root_path),
                FIELD(Spec, "readonly", BOOL, root_readonly),
        };

        return parse_object(name, o, JPATH_KEY(NULL, "root"), fields, ELEMENTSOF(fields), s);
}

static int parse_spec(const char *name, json_object *o, Spec *s) {
        json_object *v;
        int r;

        r = field_string(name, o, NULL, "ociVersion", &s->oci_version);
        if (r < 0)
                return r;
        v = member(o, "root");
        if (v) {
                r = parse_root(name, v, s);
                if (r < 0)
                        return r;
        }
        v = member(o, "process");
        if (v) {
                r = parse_process(name, v, JPATH_KEY(NULL, "process"), &s->process);
                if (r < 0)
                        return r;
        }
        r = field_string(name, o, NULL, "hostname", &s->hostname);
        if (r < 0)
                return r;
        r = field_string(name, o, NULL, "domainname", &s->domainname);
        if (r < 0)
                return r;
        r = field_array(name, o, /* p= */ NULL, "mounts", SPEC_MOUNTS_MAX, parse_mount, spec_mount_done,
                        &s->mounts, &s->n_mounts);
        if (r < 0)
                return r;
        v = member(o, "linux");
        if (v) {
                r = parse_linux(name, v, &s->linux);
                if (r < 0)
                        return r;
        }
        v = member(o, "hooks");
        if (v) {
                r = parse_hooks(name, v, s);
                if (r < 0)
                        return r;
        }
        v = member(o, "annotations");
        if (v) {
                r = parse_annotations(name, v, s);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- documents ---- */

static void offset_to_line_column(const char *s, size_t offset, unsigned *ret_line, unsigned *ret_column) {
        unsigned line = 1, column = 1;

        for (size_t i = 0; i < offset; i++)
                if (s[i] == '\n')
                        line++, column = 1;
                else
                        column++;
        *ret_line = line;
        *ret_column = column;
}

static int syntax_error(const char *name, const char *json, size_t offset, const char *what) {
        unsigned line, column;

        offset_to_line_column(json, offset, &line, &column);
        return log_error_errno(SYNTHETIC_ERRNO(EBADMSG), "%s:%u:%u: invalid JSON: %s", name, line, column,
                               what);
}

/* Parses a whole document that must be one JSON object. json may be NULL if len is 0. */
static int json_parse_object(const char *name, const char *json, size_t len, json_object **ret) {
        _cleanup_(json_tokener_freep) json_tokener *tok = NULL;
        _cleanup_(json_object_putp) json_object *o = NULL;
        enum json_tokener_error e;
        size_t end;

        assert(name);
        assert(json || len == 0);
        assert(ret);

        json = json ?: "";
        if (len > SPEC_FILE_MAX)
                return log_error_errno(SYNTHETIC_ERRNO(EFBIG),
                                       "%s: document is %zu bytes, the limit is %u bytes", name, len,
                                       SPEC_FILE_MAX);

        tok = json_tokener_new();
        if (!tok)
                return log_oom();
        /* No comments, trailing commas or leading zeros: what Go's encoding/json accepts, roughly. */
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);

        o = json_tokener_parse_ex(tok, json, (int) len);
        e = json_tokener_get_error(tok);
        end = json_tokener_get_parse_end(tok);
        if (e == json_tokener_continue)
                return syntax_error(name, json, len,
                                    len == 0 ? "the file is empty" : "unexpected end of input");
        if (e != json_tokener_success)
                return syntax_error(name, json, end < len ? end : len, json_tokener_error_desc(e));
        while (end < len && json[end] != 0 && strchr(" \t\r\n", json[end]))
                end++;
        if (end < len)
                return syntax_error(name, json, end, "unexpected data after the top-level value");

        if (!json_object_is_type(o, json_type_object))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s: expected a JSON object at the top level, got %s", name,
                                       json_type_desc(o));
        *ret = TAKE_PTR(o);
        return 0;
}

int spec_parse(const char *name, const char *json, size_t len, Spec **ret) {
        _cleanup_(json_object_putp) json_object *root = NULL;
        _cleanup_(spec_freep) Spec *s = NULL;
        int r;

        assert(ret);

        r = json_parse_object(name, json, len, &root);
        if (r < 0)
                return r;
        s = calloc(1, sizeof(Spec));
        if (!s)
                return log_oom();
        r = parse_spec(name, root, s);
        if (r < 0)
                return r;
        r = spec_validate(name, s);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}

int spec_parse_process(const char *name, const char *json, size_t len, SpecProcess **ret) {
        _cleanup_(json_object_putp) json_object *root = NULL;
        _cleanup_(spec_process_freep) SpecProcess *p = NULL;
        int r;

        assert(ret);

        r = json_parse_object(name, json, len, &root);
        if (r < 0)
                return r;
        r = parse_process(name, root, /* p= */ NULL, &p);
        if (r < 0)
                return r;
        r = spec_validate_process(name, p, /* path= */ NULL);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

/* Reads a regular file of at most max bytes. Non-logging. */

int spec_load(const char *bundle_dir, Spec **ret) {
        return spec_load_text(bundle_dir, ret, NULL, NULL);
}

int spec_load_text(const char *bundle_dir, Spec **ret, char **ret_text, size_t *ret_size) {
        _cleanup_free_ char *path = NULL, *buf = NULL;
        size_t size = 0;
        int r;

        assert(bundle_dir);
        assert(ret);

        path = path_join(bundle_dir, "config.json");
        if (!path)
                return log_oom();
        r = read_full_file_at(AT_FDCWD, path, SPEC_FILE_MAX, &buf, &size);
        if (r == -EFBIG)
                return log_error_errno(SYNTHETIC_ERRNO(EFBIG),
                                       "Failed to read '%s': the file is larger than %u bytes.", path,
                                       SPEC_FILE_MAX);
        if (r == -EBADFD)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Failed to read '%s': not a regular file.",
                                       path);
        if (r < 0)
                return log_error_errno(r, "Failed to open '%s': %m", path);
        r = spec_parse(path, buf, size, ret);
        if (r < 0)
                return r;
        if (ret_text)
                *ret_text = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = size;
        return 0;
}
