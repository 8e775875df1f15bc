/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PURE: linux.resources JSON -> CgroupResources -> v1 files, v2 files, unit properties. No
 * syscalls here; everything is unit-tested (tests/unit/test-cgroup.c). */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>

#include "cgroup.h"
#include "log.h"
#include "parse-util.h"
#include "strv.h"

static bool str_in(const char *s, const char *const *l) {
        for (; *l; l++)
                if (streq(s, *l))
                        return true;
        return false;
}
#define STR_IN(s, ...) str_in(s, (const char *const[]) { __VA_ARGS__, NULL })

static inline void json_object_putp(json_object **j) {
        if (*j)
                (void) json_object_put(*j);
}

/* ---- parsing ---------------------------------------------------------------------------------- */

typedef struct Parser {
        const char *what;   /* "config.json" */
        const char *prefix; /* "linux.resources" or "" */
} Parser;

static int bad(const Parser *p, const char *path, const char *expected) {
        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: %s%s%s: expected %s", p->what, p->prefix,
                               *p->prefix ? "." : "", path, expected);
}

/* o's member key, or NULL when o is NULL or the member is absent or null (all the same here). */
static json_object *field(json_object *o, const char *key) {
        json_object *v;

        if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
                return NULL;
        return v;
}

/* An integer field in [min, max]; absent or null leaves *ret alone. */
static int get_int(const Parser *p, json_object *o, const char *key, const char *path, int64_t min, int64_t max,
                   int64_t *ret) {
        json_object *v;
        char expected[96];
        int64_t i;

        v = field(o, key);
        if (!v)
                return 0;
        snprintf(expected, sizeof expected, "an integer between %" PRIi64 " and %" PRIi64, min, max);
        if (!json_object_is_type(v, json_type_int))
                return bad(p, path, expected);
        errno = 0;
        i = json_object_get_int64(v);
        /* json-c saturates; a value above INT64_MAX is out of every range here. */
        if (i == INT64_MAX && json_object_get_uint64(v) > INT64_MAX)
                return bad(p, path, expected);
        if (i < min || i > max)
                return bad(p, path, expected);
        *ret = i;
        return 0;
}

static int get_string(const Parser *p, json_object *o, const char *key, const char *path, char **ret) {
        json_object *v;
        char *s;

        v = field(o, key);
        if (!v)
                return 0;
        if (!json_object_is_type(v, json_type_string) || json_object_get_string_len(v) > 4096)
                return bad(p, path, "a string (at most 4096 bytes)");
        s = strdup(json_object_get_string(v));
        if (!s)
                return log_oom();
        free(*ret);
        *ret = s;
        return 0;
}

static int get_object(const Parser *p, json_object *o, const char *key, const char *path, json_object **ret) {
        json_object *v;

        *ret = NULL;
        v = field(o, key);
        if (!v)
                return 0;
        if (!json_object_is_type(v, json_type_object))
                return bad(p, path, "an object");
        *ret = v;
        return 0;
}

static int get_array(const Parser *p, json_object *o, const char *key, const char *path, json_object **ret) {
        json_object *v;

        *ret = NULL;
        v = field(o, key);
        if (!v)
                return 0;
        if (!json_object_is_type(v, json_type_array))
                return bad(p, path, "an array");
        if (json_object_array_length(v) > CGROUP_LIST_MAX)
                return bad(p, path, "an array of at most 1024 entries");
        *ret = v;
        return 0;
}

static const int64_t U_MAX = INT64_MAX;

static int parse_memory(const Parser *p, json_object *res, CgroupResources *r) {
        json_object *m, *v;
        int q;

        q = get_object(p, res, "memory", "memory", &m);
        if (q < 0 || !m)
                return q;
        /* -1 is "unlimited"; any other negative value is a mistake. */
        if ((q = get_int(p, m, "limit", "memory.limit", -1, U_MAX, &r->memory_limit)) < 0 ||
            (q = get_int(p, m, "reservation", "memory.reservation", -1, U_MAX, &r->memory_reservation)) < 0 ||
            (q = get_int(p, m, "swap", "memory.swap", -1, U_MAX, &r->memory_swap)) < 0 ||
            (q = get_int(p, m, "swappiness", "memory.swappiness", 0, 100, &r->memory_swappiness)) < 0)
                return q;
        if (r->memory_limit == -1 && r->memory_swap == CGROUP_UNSET)
                r->memory_swap = -1;
        if (r->memory_swap >= 0 && r->memory_limit >= 0 && r->memory_swap != 0 &&
            r->memory_swap < r->memory_limit)
                return bad(p, "memory.swap", "a value of at least memory.limit (it counts memory plus swap)");
        if ((v = field(m, "disableOOMKiller"))) {
                if (!json_object_is_type(v, json_type_boolean))
                        return bad(p, "memory.disableOOMKiller", "a boolean");
                r->disable_oom_killer = json_object_get_boolean(v);
        }
        /* kernel and kernelTCP are deprecated (runc ignores them too); anything else is unknown. */
        json_object_object_foreach(m, key, val) {
                (void) val;
                if (!STR_IN(key, "limit", "reservation", "swap", "swappiness", "disableOOMKiller", "kernel",
                            "kernelTCP", "useHierarchy", "checkBeforeUpdate")) {
                        char path[128];

                        snprintf(path, sizeof path, "memory.%.64s", key);
                        return bad(p, path, "one of limit, reservation, swap, swappiness, disableOOMKiller");
                }
        }
        return 0;
}

static int parse_cpu(const Parser *p, json_object *res, CgroupResources *r) {
        json_object *c;
        int q;

        q = get_object(p, res, "cpu", "cpu", &c);
        if (q < 0 || !c)
                return q;
        if ((q = get_int(p, c, "shares", "cpu.shares", 0, 262144, &r->cpu_shares)) < 0 ||
            (q = get_int(p, c, "quota", "cpu.quota", -1, U_MAX / 1000, &r->cpu_quota)) < 0 ||
            (q = get_int(p, c, "period", "cpu.period", 0, 1000000, &r->cpu_period)) < 0 ||
            (q = get_int(p, c, "burst", "cpu.burst", 0, U_MAX / 1000, &r->cpu_burst)) < 0 ||
            (q = get_int(p, c, "realtimeRuntime", "cpu.realtimeRuntime", -1, U_MAX, &r->cpu_rt_runtime)) < 0 ||
            (q = get_int(p, c, "realtimePeriod", "cpu.realtimePeriod", 0, U_MAX, &r->cpu_rt_period)) < 0 ||
            (q = get_int(p, c, "idle", "cpu.idle", 0, 1, &r->cpu_idle)) < 0 ||
            (q = get_string(p, c, "cpus", "cpu.cpus", &r->cpus)) < 0 ||
            (q = get_string(p, c, "mems", "cpu.mems", &r->mems)) < 0)
                return q;
        if (r->cpu_period > 0 && r->cpu_period < 1000)
                return bad(p, "cpu.period", "at least 1000 (µs)");
        if (r->cpu_shares > 0 && r->cpu_shares < 2)
                return bad(p, "cpu.shares", "at least 2");
        if (r->cpus && !*r->cpus)
                r->cpus = mfree(r->cpus);
        if (r->mems && !*r->mems)
                r->mems = mfree(r->mems);
        if (r->cpus) {
                _cleanup_free_ uint8_t *mask = NULL;
                size_t n;

                if (cgroup_cpu_list_to_mask(r->cpus, &mask, &n) < 0)
                        return bad(p, "cpu.cpus", "a CPU list like \"0-3,6\"");
        }
        if (r->mems) {
                _cleanup_free_ uint8_t *mask = NULL;
                size_t n;

                if (cgroup_cpu_list_to_mask(r->mems, &mask, &n) < 0)
                        return bad(p, "cpu.mems", "a node list like \"0-1\"");
        }
        return 0;
}

static int parse_major_minor(const Parser *p, json_object *e, const char *path, bool wildcard, int64_t *major,
                             int64_t *minor) {
        char sub[160];
        int q;

        *major = *minor = wildcard ? CGROUP_WILDCARD : CGROUP_UNSET;
        snprintf(sub, sizeof sub, "%s.major", path);
        q = get_int(p, e, "major", sub, wildcard ? -1 : 0, UINT32_MAX, major);
        if (q < 0)
                return q;
        snprintf(sub, sizeof sub, "%s.minor", path);
        q = get_int(p, e, "minor", sub, wildcard ? -1 : 0, UINT32_MAX, minor);
        if (q < 0)
                return q;
        if (!wildcard && (*major == CGROUP_UNSET || *minor == CGROUP_UNSET))
                return bad(p, path, "an object with major and minor");
        return 0;
}

static int parse_device_values(const Parser *p, json_object *a, const char *key, bool weights,
                               CgroupDeviceValue **ret, size_t *ret_n) {
        size_t n = a ? json_object_array_length(a) : 0;
        CgroupDeviceValue *v;
        int q;

        if (n == 0)
                return 0;
        v = calloc(n, sizeof *v);
        if (!v)
                return log_oom();
        *ret = v;
        *ret_n = n;
        for (size_t i = 0; i < n; i++) {
                json_object *e = json_object_array_get_idx(a, i);
                char path[128], sub[160];
                int64_t x = CGROUP_UNSET;

                snprintf(path, sizeof path, "blockIO.%s[%zu]", key, i);
                if (!json_object_is_type(e, json_type_object))
                        return bad(p, path, "an object");
                q = parse_major_minor(p, e, path, false, &v[i].major, &v[i].minor);
                if (q < 0)
                        return q;
                v[i].leaf_weight = CGROUP_UNSET;
                snprintf(sub, sizeof sub, "%s.%s", path, weights ? "weight" : "rate");
                q = get_int(p, e, weights ? "weight" : "rate", sub, weights ? 10 : 0, weights ? 1000 : U_MAX, &x);
                if (q < 0)
                        return q;
                if (x == CGROUP_UNSET && !weights)
                        return bad(p, sub, "an integer");
                v[i].value = x == CGROUP_UNSET ? 0 : (uint64_t) x;
                if (weights) {
                        snprintf(sub, sizeof sub, "%s.leafWeight", path);
                        q = get_int(p, e, "leafWeight", sub, 10, 1000, &v[i].leaf_weight);
                        if (q < 0)
                                return q;
                }
        }
        return 0;
}

static int parse_blkio(const Parser *p, json_object *res, CgroupResources *r) {
        static const char *const keys[_CGROUP_THROTTLE_MAX] = {
                [CGROUP_THROTTLE_READ_BPS] = "throttleReadBpsDevice",
                [CGROUP_THROTTLE_WRITE_BPS] = "throttleWriteBpsDevice",
                [CGROUP_THROTTLE_READ_IOPS] = "throttleReadIOPSDevice",
                [CGROUP_THROTTLE_WRITE_IOPS] = "throttleWriteIOPSDevice",
        };
        json_object *b, *a;
        int q;

        q = get_object(p, res, "blockIO", "blockIO", &b);
        if (q < 0 || !b)
                return q;
        if ((q = get_int(p, b, "weight", "blockIO.weight", 10, 1000, &r->blkio_weight)) < 0 ||
            (q = get_int(p, b, "leafWeight", "blockIO.leafWeight", 10, 1000, &r->blkio_leaf_weight)) < 0)
                return q;
        q = get_array(p, b, "weightDevice", "blockIO.weightDevice", &a);
        if (q >= 0)
                q = parse_device_values(p, a, "weightDevice", true, &r->weight_devices, &r->n_weight_devices);
        if (q < 0)
                return q;
        for (int t = 0; t < _CGROUP_THROTTLE_MAX; t++) {
                char path[64];

                snprintf(path, sizeof path, "blockIO.%s", keys[t]);
                q = get_array(p, b, keys[t], path, &a);
                if (q >= 0)
                        q = parse_device_values(p, a, keys[t], false, &r->throttle[t], &r->n_throttle[t]);
                if (q < 0)
                        return q;
        }
        return 0;
}

static bool page_size_valid(const char *s) {
        size_t l = strspn(s, "0123456789");

        return l > 0 && l < 8 && (streq(s + l, "KB") || streq(s + l, "MB") || streq(s + l, "GB"));
}

static int parse_hugepages(const Parser *p, json_object *res, CgroupResources *r) {
        json_object *a;
        size_t n;
        int q;

        q = get_array(p, res, "hugepageLimits", "hugepageLimits", &a);
        if (q < 0 || !a || (n = json_object_array_length(a)) == 0)
                return q;
        r->hugepages = calloc(n, sizeof *r->hugepages);
        if (!r->hugepages)
                return log_oom();
        r->n_hugepages = n;
        for (size_t i = 0; i < n; i++) {
                json_object *e = json_object_array_get_idx(a, i);
                char path[64], sub[96];
                int64_t lim = CGROUP_UNSET;

                snprintf(path, sizeof path, "hugepageLimits[%zu]", i);
                if (!json_object_is_type(e, json_type_object))
                        return bad(p, path, "an object");
                snprintf(sub, sizeof sub, "%s.pageSize", path);
                q = get_string(p, e, "pageSize", sub, &r->hugepages[i].page_size);
                if (q < 0)
                        return q;
                if (!r->hugepages[i].page_size || !page_size_valid(r->hugepages[i].page_size))
                        return bad(p, sub, "a page size like \"2MB\"");
                snprintf(sub, sizeof sub, "%s.limit", path);
                q = get_int(p, e, "limit", sub, 0, U_MAX, &lim);
                if (q < 0)
                        return q;
                if (lim == CGROUP_UNSET)
                        return bad(p, sub, "an integer");
                r->hugepages[i].limit = (uint64_t) lim;
        }
        return 0;
}

int cgroup_resources_add_device(CgroupResources *r, char type, int64_t major, int64_t minor, const char *access) {
        CgroupDeviceRule *n;

        n = realloc(r->devices, (r->n_devices + 1) * sizeof *n);
        if (!n)
                return -ENOMEM;
        r->devices = n;
        n[r->n_devices] = (CgroupDeviceRule) { .allow = true, .type = type, .major = major, .minor = minor };
        snprintf(n[r->n_devices].access, sizeof n[r->n_devices].access, "%s", access);
        r->n_devices++;
        r->has_devices = true;
        return 0;
}

static int parse_devices(const Parser *p, json_object *res, CgroupResources *r) {
        json_object *a;
        size_t n;
        int q;

        q = get_array(p, res, "devices", "devices", &a);
        if (q < 0 || !a)
                return q;
        r->has_devices = true;
        n = json_object_array_length(a);
        for (size_t i = 0; i < n; i++) {
                json_object *e = json_object_array_get_idx(a, i), *v;
                _cleanup_free_ char *type = NULL, *access = NULL;
                char path[64], sub[96];
                int64_t major, minor;
                bool allow;

                snprintf(path, sizeof path, "devices[%zu]", i);
                if (!json_object_is_type(e, json_type_object))
                        return bad(p, path, "an object");
                snprintf(sub, sizeof sub, "%s.allow", path);
                if (!json_object_object_get_ex(e, "allow", &v) || !json_object_is_type(v, json_type_boolean))
                        return bad(p, sub, "a boolean");
                allow = json_object_get_boolean(v);
                snprintf(sub, sizeof sub, "%s.type", path);
                q = get_string(p, e, "type", sub, &type);
                if (q < 0)
                        return q;
                if (type && !STR_IN(type, "a", "c", "b"))
                        return bad(p, sub, "\"a\", \"c\" or \"b\"");
                snprintf(sub, sizeof sub, "%s.access", path);
                q = get_string(p, e, "access", sub, &access);
                if (q < 0)
                        return q;
                if (access && (strlen(access) > 3 || access[strspn(access, "rwm")]))
                        return bad(p, sub, "a combination of \"r\", \"w\" and \"m\"");
                q = parse_major_minor(p, e, path, true, &major, &minor);
                if (q < 0)
                        return q;
                q = cgroup_resources_add_device(r, type ? type[0] : 'a', major, minor,
                                                access && *access ? access : "rwm");
                if (q < 0)
                        return log_oom();
                r->devices[r->n_devices - 1].allow = allow;
        }
        return 0;
}

static int parse_unified(const Parser *p, json_object *res, CgroupResources *r) {
        json_object *u;
        size_t n = 0;
        int q;

        q = get_object(p, res, "unified", "unified", &u);
        if (q < 0 || !u)
                return q;
        json_object_object_foreach(u, key, val) {
                char path[128];

                snprintf(path, sizeof path, "unified.%.64s", key);
                /* A file name in the container's cgroup: "controller.knob", nothing that walks. */
                if (!*key || strchr(key, '/') || !strchr(key, '.') || key[0] == '.' || strlen(key) > 64 ||
                    startswith(key, "cgroup."))
                        return bad(p, path, "a cgroup v2 file name like \"memory.high\"");
                if (!json_object_is_type(val, json_type_string) || json_object_get_string_len(val) > 4096)
                        return bad(p, path, "a string");
                if (++n > CGROUP_LIST_MAX)
                        return bad(p, "unified", "at most 1024 keys");
                if (strv_extend(&r->unified, key) < 0 || strv_extend(&r->unified, json_object_get_string(val)) < 0)
                        return log_oom();
        }
        return 0;
}

static void resources_init(CgroupResources *r) {
        *r = (CgroupResources) {
                .memory_limit = CGROUP_UNSET, .memory_reservation = CGROUP_UNSET, .memory_swap = CGROUP_UNSET,
                .memory_swappiness = CGROUP_UNSET, .cpu_shares = CGROUP_UNSET, .cpu_quota = CGROUP_UNSET,
                .cpu_period = CGROUP_UNSET, .cpu_burst = CGROUP_UNSET, .cpu_rt_runtime = CGROUP_UNSET,
                .cpu_rt_period = CGROUP_UNSET, .cpu_idle = CGROUP_UNSET, .pids_limit = CGROUP_UNSET,
                .blkio_weight = CGROUP_UNSET, .blkio_leaf_weight = CGROUP_UNSET,
        };
}

int cgroup_resources_parse(const char *what, const char *prefix, const char *json, CgroupResources **ret) {
        _cleanup_(cgroup_resources_freep) CgroupResources *r = NULL;
        _cleanup_(json_object_putp) json_object *o = NULL;
        Parser p = { .what = what, .prefix = prefix };
        json_object *pids, *net;
        int q;

        r = malloc(sizeof *r);
        if (!r)
                return log_oom();
        resources_init(r);
        if (json && *json) {
                enum json_tokener_error e;

                o = json_tokener_parse_verbose(json, &e);
                if (!o)
                        return log_error_errno(SYNTHETIC_ERRNO(EBADMSG), "%s: not valid JSON: %s", what,
                                               json_tokener_error_desc(e));
                if (!json_object_is_type(o, json_type_object))
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: %s: expected an object", what,
                                               *prefix ? prefix : "the resources");
                /* The runtime-spec's keys only: a misspelt one would be a limit silently not set. */
                json_object_object_foreach(o, key, val) {
                        (void) val;
                        if (!STR_IN(key, "devices", "memory", "cpu", "pids", "blockIO", "hugepageLimits",
                                    "network", "rdma", "unified")) {
                                char path[128];

                                snprintf(path, sizeof path, "%.64s", key);
                                return bad(&p, path, "one of devices, memory, cpu, pids, blockIO, "
                                           "hugepageLimits, network, rdma, unified");
                        }
                }
                if ((q = parse_memory(&p, o, r)) < 0 || (q = parse_cpu(&p, o, r)) < 0 ||
                    (q = parse_blkio(&p, o, r)) < 0 || (q = parse_hugepages(&p, o, r)) < 0 ||
                    (q = parse_devices(&p, o, r)) < 0 || (q = parse_unified(&p, o, r)) < 0)
                        return q;
                q = get_object(&p, o, "pids", "pids", &pids);
                if (q >= 0)
                        q = get_int(&p, pids, "limit", "pids.limit", INT64_MIN + 1, U_MAX, &r->pids_limit);
                if (q < 0)
                        return q;
                /* network (net_cls/net_prio) and rdma: not supported by berth; never silent. */
                if (field(o, "network"))
                        return bad(&p, "network", "nothing: net_cls/net_prio limits are not supported");
                if ((net = field(o, "rdma")) && json_object_object_length(net) > 0)
                        return bad(&p, "rdma", "nothing: this host has no rdma controller");
        }
        *ret = TAKE_PTR(r);
        return 0;
}

CgroupResources *cgroup_resources_free(CgroupResources *r) {
        if (!r)
                return NULL;
        free(r->cpus);
        free(r->mems);
        free(r->weight_devices);
        for (int t = 0; t < _CGROUP_THROTTLE_MAX; t++)
                free(r->throttle[t]);
        for (size_t i = 0; i < r->n_hugepages; i++)
                free(r->hugepages[i].page_size);
        free(r->hugepages);
        free(r->devices);
        strv_free(r->unified);
        free(r);
        return NULL;
}

int cgroup_resources_merge(CgroupResources *d, const CgroupResources *s) {
#define M(f) if (s->f != CGROUP_UNSET) d->f = s->f
        M(memory_limit); M(memory_reservation); M(memory_swap); M(memory_swappiness); M(cpu_shares);
        M(cpu_quota); M(cpu_period); M(cpu_burst); M(cpu_rt_runtime); M(cpu_rt_period); M(cpu_idle);
        M(pids_limit); M(blkio_weight); M(blkio_leaf_weight);
#undef M
        if (s->cpus) {
                free(d->cpus);
                d->cpus = strdup(s->cpus);
                if (!d->cpus)
                        return -ENOMEM;
        }
        if (s->mems) {
                free(d->mems);
                d->mems = strdup(s->mems);
                if (!d->mems)
                        return -ENOMEM;
        }
        return 0;
}

/* dst[key] = src[key] for every key of src: objects are merged key by key, anything else (a number,
 * a string, an array) replaces what was there; a null in src leaves dst alone. */
static int json_merge(json_object *dst, json_object *src, bool top) {
        json_object_object_foreach(src, key, val) {
                json_object *old = NULL, *copy = NULL;

                /* The device rules of a running container are never rewritten by update (as runc). */
                if (!val || (top && streq(key, "devices")))
                        continue;
                if (json_object_is_type(val, json_type_object) &&
                    json_object_object_get_ex(dst, key, &old) && json_object_is_type(old, json_type_object)) {
                        int q = json_merge(old, val, false);

                        if (q < 0)
                                return q;
                        continue;
                }
                if (json_object_deep_copy(val, &copy, NULL) < 0)
                        return -ENOMEM;
                if (json_object_object_add(dst, key, copy) < 0) {
                        json_object_put(copy);
                        return -ENOMEM;
                }
        }
        return 0;
}

/* Get or make the object dst[key] (null or absent: a new empty object). */
static int json_child_object(json_object *dst, const char *key, json_object **ret) {
        json_object *v = NULL;

        if (json_object_object_get_ex(dst, key, &v) && json_object_is_type(v, json_type_object)) {
                *ret = v;
                return 0;
        }
        if (v && !json_object_is_type(v, json_type_null))
                return -EINVAL;
        v = json_object_new_object();
        if (!v || json_object_object_add(dst, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        *ret = v;
        return 0;
}

int cgroup_resources_update_config(const char *what, const char *config, const char *update, char **ret) {
        _cleanup_(json_object_putp) json_object *c = NULL, *u = NULL;
        json_object *linux_o, *res;
        const char *text;
        char *s;
        int q;

        assert(what);
        assert(config);
        assert(update);
        c = json_tokener_parse(config);
        if (!c || !json_object_is_type(c, json_type_object))
                return log_error_errno(SYNTHETIC_ERRNO(EBADMSG), "%s: not a JSON object", what);
        u = json_tokener_parse(update);
        if (!u || !json_object_is_type(u, json_type_object))
                return log_error_errno(SYNTHETIC_ERRNO(EBADMSG), "the resources update: not a JSON object");
        q = json_child_object(c, "linux", &linux_o);
        if (q == -EINVAL)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: linux: expected an object", what);
        if (q >= 0)
                q = json_child_object(linux_o, "resources", &res);
        if (q == -EINVAL)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: linux.resources: expected an object",
                                       what);
        if (q >= 0)
                q = json_merge(res, u, /* top= */ true);
        if (q < 0)
                return log_oom();
        text = json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!text)
                return log_oom();
        s = strdup(text);
        if (!s)
                return log_oom();
        *ret = s;
        return 0;
}

bool cgroup_resources_limit_nothing(const CgroupResources *r) {
        if (r->memory_limit != CGROUP_UNSET || r->memory_reservation != CGROUP_UNSET ||
            (r->memory_swap != CGROUP_UNSET && r->memory_swap != -1) || r->memory_swappiness != CGROUP_UNSET ||
            r->disable_oom_killer || r->cpu_shares != CGROUP_UNSET || r->cpu_quota != CGROUP_UNSET ||
            r->cpu_period != CGROUP_UNSET || r->cpu_burst != CGROUP_UNSET || r->cpu_rt_runtime != CGROUP_UNSET ||
            r->cpu_rt_period != CGROUP_UNSET || r->cpu_idle != CGROUP_UNSET || r->cpus || r->mems ||
            r->pids_limit != CGROUP_UNSET || r->blkio_weight != CGROUP_UNSET ||
            r->blkio_leaf_weight != CGROUP_UNSET || r->n_weight_devices || r->n_hugepages || r->unified)
                return false;
        for (int t = 0; t < _CGROUP_THROTTLE_MAX; t++)
                if (r->n_throttle[t])
                        return false;
        return true;
}

/* runc's default allow list (libcontainer/specconv AllowedDevices): mknod of any node, the
 * standard character devices, ptys and tun. */
int cgroup_resources_add_default_devices(CgroupResources *r) {
        static const struct {
                char type;
                int64_t major, minor;
                const char *access;
        } defaults[] = {
                { 'c', -1, -1, "m" }, { 'b', -1, -1, "m" }, { 'c', 1, 3, "rwm" },   { 'c', 1, 8, "rwm" },
                { 'c', 1, 7, "rwm" }, { 'c', 5, 0, "rwm" }, { 'c', 1, 5, "rwm" },   { 'c', 1, 9, "rwm" },
                { 'c', 5, 1, "rwm" }, { 'c', 136, -1, "rwm" }, { 'c', 5, 2, "rwm" }, { 'c', 10, 200, "rwm" },
        };

        for (size_t i = 0; i < ELEMENTSOF(defaults); i++)
                if (cgroup_resources_add_device(r, defaults[i].type, defaults[i].major, defaults[i].minor,
                                                defaults[i].access) < 0)
                        return -ENOMEM;
        return 0;
}

/* ---- conversions ------------------------------------------------------------------------------- */

/* log2() and pow(10, ·) without libm: this conversion was the only user of libm, and mapping libm
 * costs every berth process about 0.3 MB of peak RSS and its share of the loader's time (the
 * same reason libsystemd is dlopen()ed, src/basic/dlopen-util.h). Long double series, then
 * rounded to double like libm's results; tests/unit/test-cgroup.c checks every shares value from 0
 * to 262144 against libm's log2() and pow(). */
#define LN2_L 0.693147180559945309417232121458176568L
#define SQRT2_L 1.41421356237309504880168872420969808L

static double log2_of(double x) {
        long double m = x, z, z2, t, s = 0;
        int k = 0;

        /* x = m·2^k, m in [1/√2, √2); ln m = 2·atanh(z), z = (m-1)/(m+1), |z| < 0.172 */
        while (m >= SQRT2_L) {
                m /= 2;
                k++;
        }
        while (m < SQRT2_L / 2) {
                m *= 2;
                k--;
        }
        z = (m - 1) / (m + 1);
        z2 = z * z;
        t = z;
        for (int i = 1; i < 40; i += 2) {
                s += t / i;
                t *= z2;
        }
        return (double) (k + 2 * s / LN2_L);
}

static double exp10_of(double e) {
        long double y = e * 3.32192809488736234787031942948939018L, f, r = 1, t = 1; /* e·log2(10) */
        long n = (long) y;

        /* 10^e = 2^n · e^(f·ln 2), f = y - n in [0, 1) */
        if (y < n)
                n--;
        f = (y - n) * LN2_L;
        for (int i = 1; i < 30; i++) {
                t *= f / i;
                r += t;
        }
        for (; n > 0; n--)
                r *= 2;
        for (; n < 0; n++)
                r /= 2;
        return (double) r;
}

uint64_t cgroup_cpu_shares_to_weight(uint64_t shares) {
        double l, e, p;
        uint64_t w;

        if (shares == 0)
                return 0;
        if (shares <= 2)
                return 1;
        if (shares >= 262144)
                return 10000;
        l = log2_of((double) shares);
        e = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        p = exp10_of(e);
        w = (uint64_t) p; /* ceil(), for p >= 1 */
        return w + (p > (double) w);
}

uint64_t cgroup_cpu_quota_to_per_sec(int64_t quota, uint64_t period) {
        uint64_t v;

        if (quota <= 0)
                return UINT64_MAX;
        if (period == 0)
                period = 100000;
        v = (uint64_t) quota * 1000000ULL / period;
        /* systemd keeps CPUQuotaPerSecUSec in 10 ms steps: round up, as runc does. */
        if (v % 10000)
                v = (v / 10000 + 1) * 10000;
        return v;
}

int cgroup_memory_swap_to_v2(int64_t swap, int64_t memory, int64_t *ret) {
        if (swap == -1) {
                *ret = INT64_MAX;
                return 0;
        }
        if (swap < 0)
                return -EINVAL;
        if (memory == CGROUP_UNSET || memory == -1)
                return -EINVAL; /* a swap limit needs a memory limit to be relative to */
        if (swap < memory)
                return -EINVAL;
        *ret = swap - memory;
        return 0;
}

uint64_t cgroup_blkio_weight_to_io(uint64_t weight) {
        if (weight == 0)
                return 0;
        return 1 + (weight - 10) * 9999 / 990;
}

uint64_t cgroup_pids_to_tasks_max(int64_t limit) {
        if (limit < 0)
                return UINT64_MAX;
        if (limit == 0)
                return 1;
        return (uint64_t) limit;
}

static void mm_string(int64_t v, char *buf, size_t n) {
        if (v == CGROUP_WILDCARD)
                snprintf(buf, n, "*");
        else
                snprintf(buf, n, "%" PRIi64, v);
}

const char *cgroup_device_rule_v1(const CgroupDeviceRule *d, char buf[static 64]) {
        char ma[24], mi[24];

        if (d->type == 'a' && d->major == CGROUP_WILDCARD && d->minor == CGROUP_WILDCARD &&
            strlen(d->access) == 3) {
                snprintf(buf, 64, "a");
                return buf;
        }
        mm_string(d->major, ma, sizeof ma);
        mm_string(d->minor, mi, sizeof mi);
        snprintf(buf, 64, "%c %s:%s %s", d->type, ma, mi, d->access);
        return buf;
}

/* ---- writes --------------------------------------------------------------------------------- */

void cgroup_writes_done(CgroupWrites *w) {
        for (size_t i = 0; i < w->n; i++) {
                free(w->w[i].value);
                free(w->w[i].file_buf);
                free(w->w[i].old);
        }
        w->w = mfree(w->w);
        w->n = 0;
}

static int add_write(CgroupWrites *w, const char *controller, const char *file, const char *resource,
                     const char *fmt, ...) _printf_(5, 6);
static int add_write(CgroupWrites *w, const char *controller, const char *file, const char *resource,
                     const char *fmt, ...) {
        CgroupWrite *n;
        va_list ap;
        char *v;
        int q;

        va_start(ap, fmt);
        q = vasprintf(&v, fmt, ap);
        va_end(ap);
        if (q < 0)
                return -ENOMEM;
        n = realloc(w->w, (w->n + 1) * sizeof *n);
        if (!n) {
                free(v);
                return -ENOMEM;
        }
        w->w = n;
        n[w->n++] = (CgroupWrite) { .controller = controller, .file = file, .value = v, .resource = resource };
        return 0;
}

static int add_write_owned_file(CgroupWrites *w, const char *controller, char *file, const char *resource,
                                uint64_t v) {
        int q;

        if (!file)
                return -ENOMEM;
        q = add_write(w, controller, file, resource, "%" PRIu64, v);
        if (q < 0) {
                free(file);
                return q;
        }
        w->w[w->n - 1].file_buf = file;
        return 0;
}

static int unsupported(const char *resource, const char *version) {
        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "linux.resources.%s cannot be set on cgroup %s",
                               resource, version);
}

static int v1_memory(const CgroupResources *r, CgroupWrites *w) {
        int q = 0;

        if (r->memory_limit != CGROUP_UNSET && r->memory_limit != 0)
                q = add_write(w, "memory", "memory.limit_in_bytes", "memory.limit", "%" PRIi64, r->memory_limit);
        if (q >= 0 && r->memory_swap != CGROUP_UNSET && r->memory_swap != 0)
                q = add_write(w, "memory", "memory.memsw.limit_in_bytes", "memory.swap", "%" PRIi64, r->memory_swap);
        if (q >= 0 && r->memory_reservation != CGROUP_UNSET && r->memory_reservation != 0)
                q = add_write(w, "memory", "memory.soft_limit_in_bytes", "memory.reservation", "%" PRIi64,
                              r->memory_reservation);
        if (q >= 0 && r->memory_swappiness != CGROUP_UNSET)
                q = add_write(w, "memory", "memory.swappiness", "memory.swappiness", "%" PRIi64,
                              r->memory_swappiness);
        if (q >= 0 && r->disable_oom_killer)
                q = add_write(w, "memory", "memory.oom_control", "memory.disableOOMKiller", "1");
        return q;
}

static int v1_cpu(const CgroupResources *r, CgroupWrites *w) {
        int q = 0;

        if (r->cpu_shares > 0)
                q = add_write(w, "cpu", "cpu.shares", "cpu.shares", "%" PRIi64, r->cpu_shares);
        /* The period first: the kernel checks the quota against it. */
        if (q >= 0 && r->cpu_period > 0)
                q = add_write(w, "cpu", "cpu.cfs_period_us", "cpu.period", "%" PRIi64, r->cpu_period);
        if (q >= 0 && r->cpu_quota != CGROUP_UNSET && r->cpu_quota != 0)
                q = add_write(w, "cpu", "cpu.cfs_quota_us", "cpu.quota", "%" PRIi64, r->cpu_quota);
        if (q >= 0 && r->cpu_burst != CGROUP_UNSET)
                q = add_write(w, "cpu", "cpu.cfs_burst_us", "cpu.burst", "%" PRIi64, r->cpu_burst);
        if (q >= 0 && r->cpu_rt_period > 0)
                q = add_write(w, "cpu", "cpu.rt_period_us", "cpu.realtimePeriod", "%" PRIi64, r->cpu_rt_period);
        if (q >= 0 && r->cpu_rt_runtime != CGROUP_UNSET && r->cpu_rt_runtime != 0)
                q = add_write(w, "cpu", "cpu.rt_runtime_us", "cpu.realtimeRuntime", "%" PRIi64, r->cpu_rt_runtime);
        if (q >= 0 && r->cpu_idle != CGROUP_UNSET)
                q = add_write(w, "cpu", "cpu.idle", "cpu.idle", "%" PRIi64, r->cpu_idle);
        if (q >= 0 && r->cpus)
                q = add_write(w, "cpuset", "cpuset.cpus", "cpu.cpus", "%s", r->cpus);
        if (q >= 0 && r->mems)
                q = add_write(w, "cpuset", "cpuset.mems", "cpu.mems", "%s", r->mems);
        return q;
}

static int v1_blkio(const CgroupResources *r, CgroupWrites *w) {
        static const char *const files[_CGROUP_THROTTLE_MAX] = {
                "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
                "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
        };
        int q = 0;

        if (r->blkio_weight != CGROUP_UNSET)
                q = add_write(w, "blkio", "blkio.weight", "blockIO.weight", "%" PRIi64, r->blkio_weight);
        if (q >= 0 && r->blkio_leaf_weight != CGROUP_UNSET)
                q = add_write(w, "blkio", "blkio.leaf_weight", "blockIO.leafWeight", "%" PRIi64,
                              r->blkio_leaf_weight);
        for (size_t i = 0; q >= 0 && i < r->n_weight_devices; i++) {
                const CgroupDeviceValue *d = &r->weight_devices[i];

                if (d->value)
                        q = add_write(w, "blkio", "blkio.weight_device", "blockIO.weightDevice",
                                      "%" PRIi64 ":%" PRIi64 " %" PRIu64, d->major, d->minor, d->value);
                if (q >= 0 && d->leaf_weight != CGROUP_UNSET)
                        q = add_write(w, "blkio", "blkio.leaf_weight_device", "blockIO.weightDevice",
                                      "%" PRIi64 ":%" PRIi64 " %" PRIi64, d->major, d->minor, d->leaf_weight);
        }
        for (int t = 0; t < _CGROUP_THROTTLE_MAX; t++)
                for (size_t i = 0; q >= 0 && i < r->n_throttle[t]; i++)
                        q = add_write(w, "blkio", files[t], "blockIO.throttle", "%" PRIi64 ":%" PRIi64 " %" PRIu64,
                                      r->throttle[t][i].major, r->throttle[t][i].minor, r->throttle[t][i].value);
        return q;
}

/* pids.max and hugetlb.<size>.<hugetlb_file>: the same in v1 and v2 but for the hugetlb file. */
static int add_pids_and_hugetlb(const CgroupResources *r, CgroupWrites *w, const char *hugetlb_file) {
        if (r->pids_limit != CGROUP_UNSET && r->pids_limit != 0) {
                int q = r->pids_limit > 0 ?
                        add_write(w, "pids", "pids.max", "pids.limit", "%" PRIi64, r->pids_limit) :
                        add_write(w, "pids", "pids.max", "pids.limit", "max");
                if (q < 0)
                        return q;
        }
        for (size_t i = 0; i < r->n_hugepages; i++) {
                char *f = strdup_printf("hugetlb.%s.%s", r->hugepages[i].page_size, hugetlb_file);

                if (add_write_owned_file(w, "hugetlb", f, "hugepageLimits", r->hugepages[i].limit) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int cgroup_resources_to_v1(const CgroupResources *r, CgroupWrites *ret) {
        _cleanup_(cgroup_writes_done) CgroupWrites w = {};
        int q;

        assert(r);
        if (r->unified)
                return unsupported("unified", "v1 (it takes cgroup v2 files)");
        if ((q = v1_memory(r, &w)) < 0 || (q = v1_cpu(r, &w)) < 0 || (q = v1_blkio(r, &w)) < 0)
                return log_oom();
        if (add_pids_and_hugetlb(r, &w, "limit_in_bytes") < 0)
                return log_oom();
        for (size_t i = 0; i < r->n_devices; i++) {
                char buf[64];

                if (add_write(&w, "devices", r->devices[i].allow ? "devices.allow" : "devices.deny", "devices", "%s",
                              cgroup_device_rule_v1(&r->devices[i], buf)) < 0)
                        return log_oom();
        }
        *ret = w;
        w = (CgroupWrites) {};
        return 0;
}

static int v2_memory(const CgroupResources *r, CgroupWrites *w) {
        int64_t swap;
        int q = 0;

        if (r->memory_swappiness != CGROUP_UNSET)
                return unsupported("memory.swappiness", "v2");
        if (r->disable_oom_killer)
                return unsupported("memory.disableOOMKiller", "v2");
        if (r->memory_limit != CGROUP_UNSET && r->memory_limit != 0) {
                if (r->memory_limit < 0)
                        q = add_write(w, "memory", "memory.max", "memory.limit", "max");
                else
                        q = add_write(w, "memory", "memory.max", "memory.limit", "%" PRIi64, r->memory_limit);
        }
        if (q >= 0 && r->memory_swap != CGROUP_UNSET && r->memory_swap != 0) {
                if (cgroup_memory_swap_to_v2(r->memory_swap, r->memory_limit, &swap) < 0)
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "linux.resources.memory.swap: expected -1 "
                                               "or at least memory.limit (set with it) on cgroup v2");
                if (swap == INT64_MAX)
                        q = add_write(w, "memory", "memory.swap.max", "memory.swap", "max");
                else
                        q = add_write(w, "memory", "memory.swap.max", "memory.swap", "%" PRIi64, swap);
        }
        if (q >= 0 && r->memory_reservation != CGROUP_UNSET && r->memory_reservation != 0) {
                if (r->memory_reservation < 0)
                        q = add_write(w, "memory", "memory.low", "memory.reservation", "max");
                else
                        q = add_write(w, "memory", "memory.low", "memory.reservation", "%" PRIi64,
                                      r->memory_reservation);
        }
        return q < 0 ? log_oom() : 0;
}

static int v2_cpu(const CgroupResources *r, CgroupWrites *w) {
        int q = 0;

        if ((r->cpu_rt_runtime != CGROUP_UNSET && r->cpu_rt_runtime != 0) || r->cpu_rt_period > 0)
                return unsupported("cpu.realtimeRuntime/realtimePeriod", "v2");
        if (r->cpu_shares > 0)
                q = add_write(w, "cpu", "cpu.weight", "cpu.shares", "%" PRIu64,
                              cgroup_cpu_shares_to_weight((uint64_t) r->cpu_shares));
        if (q >= 0 && ((r->cpu_quota != CGROUP_UNSET && r->cpu_quota != 0) || r->cpu_period > 0)) {
                int64_t period = r->cpu_period > 0 ? r->cpu_period : 100000;

                if (r->cpu_quota > 0)
                        q = add_write(w, "cpu", "cpu.max", "cpu.quota", "%" PRIi64 " %" PRIi64, r->cpu_quota, period);
                else
                        q = add_write(w, "cpu", "cpu.max", "cpu.quota", "max %" PRIi64, period);
        }
        if (q >= 0 && r->cpu_burst != CGROUP_UNSET)
                q = add_write(w, "cpu", "cpu.max.burst", "cpu.burst", "%" PRIi64, r->cpu_burst);
        if (q >= 0 && r->cpu_idle != CGROUP_UNSET)
                q = add_write(w, "cpu", "cpu.idle", "cpu.idle", "%" PRIi64, r->cpu_idle);
        if (q >= 0 && r->cpus)
                q = add_write(w, "cpuset", "cpuset.cpus", "cpu.cpus", "%s", r->cpus);
        if (q >= 0 && r->mems)
                q = add_write(w, "cpuset", "cpuset.mems", "cpu.mems", "%s", r->mems);
        return q < 0 ? log_oom() : 0;
}

static int v2_io(const CgroupResources *r, CgroupWrites *w) {
        static const char *const keys[_CGROUP_THROTTLE_MAX] = { "rbps", "wbps", "riops", "wiops" };
        int q = 0;

        if (r->blkio_leaf_weight != CGROUP_UNSET)
                return unsupported("blockIO.leafWeight", "v2");
        if (r->blkio_weight != CGROUP_UNSET)
                q = add_write(w, "io", "io.weight", "blockIO.weight", "default %" PRIu64,
                              cgroup_blkio_weight_to_io((uint64_t) r->blkio_weight));
        for (size_t i = 0; q >= 0 && i < r->n_weight_devices; i++)
                if (r->weight_devices[i].value)
                        q = add_write(w, "io", "io.weight", "blockIO.weightDevice", "%" PRIi64 ":%" PRIi64 " %" PRIu64,
                                      r->weight_devices[i].major, r->weight_devices[i].minor,
                                      cgroup_blkio_weight_to_io(r->weight_devices[i].value));
        for (int t = 0; t < _CGROUP_THROTTLE_MAX; t++)
                for (size_t i = 0; q >= 0 && i < r->n_throttle[t]; i++)
                        q = add_write(w, "io", "io.max", "blockIO.throttle", "%" PRIi64 ":%" PRIi64 " %s=%" PRIu64,
                                      r->throttle[t][i].major, r->throttle[t][i].minor, keys[t],
                                      r->throttle[t][i].value);
        return q < 0 ? log_oom() : 0;
}

int cgroup_resources_to_v2(const CgroupResources *r, CgroupWrites *ret) {
        _cleanup_(cgroup_writes_done) CgroupWrites w = {};
        int q;

        assert(r);
        if ((q = v2_memory(r, &w)) < 0 || (q = v2_cpu(r, &w)) < 0 || (q = v2_io(r, &w)) < 0)
                return q;
        if (add_pids_and_hugetlb(r, &w, "max") < 0)
                return log_oom();
        /* unified keys: written as given, last (they override). The controller is the prefix. */
        for (char **k = r->unified; k && k[0] && k[1]; k += 2)
                if (add_write(&w, "", k[0], "unified", "%s", k[1]) < 0)
                        return log_oom();
        *ret = w;
        w = (CgroupWrites) {};
        return 0;
}

/* ---- unit properties --------------------------------------------------------------------------- */

void unit_properties_done(UnitProperties *p) {
        for (size_t i = 0; i < p->n; i++) {
                free(p->p[i].s);
                strv_free(p->p[i].list);
                free(p->p[i].values);
                free(p->p[i].bytes);
                free(p->p[i].name_buf);
        }
        p->p = mfree(p->p);
        p->n = 0;
}

static UnitProperty *add_prop(UnitProperties *p, const char *name, UnitPropertyType type, const char *resource) {
        UnitProperty *n = realloc(p->p, (p->n + 1) * sizeof *n);

        if (!n)
                return NULL;
        p->p = n;
        n[p->n] = (UnitProperty) { .name = name, .type = type, .resource = resource };
        return &n[p->n++];
}

static int add_u64(UnitProperties *p, const char *name, uint64_t v, const char *resource) {
        UnitProperty *x = add_prop(p, name, UNIT_PROPERTY_UINT64, resource);

        if (!x)
                return -ENOMEM;
        x->u = v;
        return 0;
}

int cgroup_cpu_list_to_mask(const char *list, uint8_t **ret, size_t *ret_n) {
        _cleanup_free_ uint8_t *m = NULL;
        _cleanup_free_ char *copy = strdup(list);
        size_t n = 0;

        if (!copy)
                return -ENOMEM;
        for (char *p = copy, *w; (w = strsep(&p, ","));) {
                uint32_t a, b;
                char *dash = strchr(w, '-');

                if (dash)
                        *dash++ = 0;
                if (safe_atou32(w, &a) < 0 || (dash ? safe_atou32(dash, &b) : (b = a, 0)) < 0 || b < a ||
                    b >= 8192)
                        return -EINVAL;
                if (b / 8 + 1 > n) {
                        uint8_t *nm = realloc(m, b / 8 + 1);

                        if (!nm)
                                return -ENOMEM;
                        memset(nm + n, 0, b / 8 + 1 - n);
                        m = nm;
                        n = b / 8 + 1;
                }
                for (uint32_t i = a; i <= b; i++)
                        m[i / 8] |= (uint8_t) (1U << (i % 8));
        }
        *ret = TAKE_PTR(m);
        *ret_n = n;
        return 0;
}

static int unit_devices(const CgroupResources *r, UnitProperties *p) {
        _cleanup_strv_free_ char **allow = NULL;
        UnitProperty *x;
        bool deny_all = false;

        if (!r->has_devices)
                return 0;
        /* systemd has no deny rules: the policy is "strict" plus an allow list, the same as a
         * leading "deny all". A later deny-all resets the list; other deny rules cannot be
         * expressed and are refused. */
        for (size_t i = 0; i < r->n_devices; i++) {
                const CgroupDeviceRule *d = &r->devices[i];
                char node[64];

                if (!d->allow) {
                        if (d->type == 'a' && d->major == CGROUP_WILDCARD && d->minor == CGROUP_WILDCARD) {
                                deny_all = true;
                                strv_free(allow);
                                allow = NULL;
                                continue;
                        }
                        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "linux.resources.devices[%zu]: a deny "
                                               "rule other than \"deny all\" cannot be expressed as systemd's "
                                               "DeviceAllow=", i);
                }
                if (d->type == 'a' && d->major == CGROUP_WILDCARD && d->minor == CGROUP_WILDCARD) {
                        deny_all = false;
                        strv_free(allow);
                        allow = NULL;
                        continue;
                }
                /* "char-*"-style names for wildcards, as runc's systemd driver does; numbers are
                 * device nodes systemd resolves through /sys/dev. */
                if (d->major == CGROUP_WILDCARD)
                        snprintf(node, sizeof node, "%s-*", d->type == 'b' ? "block" : "char");
                else if (d->minor == CGROUP_WILDCARD)
                        continue; /* "char-MAJOR" needs the driver name from /proc/devices: skipped */
                else
                        snprintf(node, sizeof node, "/dev/%s/%" PRIi64 ":%" PRIi64, d->type == 'b' ? "block" : "char",
                                 d->major, d->minor);
                if (strv_extend(&allow, node) < 0 || strv_extend(&allow, d->access) < 0)
                        return -ENOMEM;
        }
        x = add_prop(p, "DevicePolicy", UNIT_PROPERTY_STRING, "devices");
        if (!x || !(x->s = strdup(deny_all ? "strict" : "auto")))
                return -ENOMEM;
        x = add_prop(p, "DeviceAllow", UNIT_PROPERTY_DEVICES, "devices");
        if (!x)
                return -ENOMEM;
        x->list = TAKE_PTR(allow);
        return 0;
}

static int unit_mask(UnitProperties *p, const char *name, const char *list, const char *resource) {
        UnitProperty *x;
        int q;

        x = add_prop(p, name, UNIT_PROPERTY_BYTES, resource);
        if (!x)
                return -ENOMEM;
        q = cgroup_cpu_list_to_mask(list, &x->bytes, &x->n_bytes);
        return q;
}

/* IODeviceWeight= and IO{Read,Write}{Bandwidth,IOPS}Max=: a(st) of "/dev/block/MAJ:MIN" (systemd
 * resolves the node) and the value; weights converted to io.weight's range as for IOWeight=. */
static int unit_device_values(UnitProperties *p, const char *name, const CgroupDeviceValue *v, size_t n,
                              bool weight, const char *resource) {
        UnitProperty *x;
        size_t k = 0;

        for (size_t i = 0; i < n; i++)
                k += !weight || v[i].value;
        if (k == 0)
                return 0;
        x = add_prop(p, name, UNIT_PROPERTY_DEVICE_VALUES, resource);
        if (!x || !(x->values = calloc(k, sizeof(uint64_t))))
                return -ENOMEM;
        k = 0;
        for (size_t i = 0; i < n; i++) {
                char *node;

                if (weight && !v[i].value)
                        continue; /* a leafWeight-only entry: refused by the caller */
                node = strdup_printf("/dev/block/%" PRIi64 ":%" PRIi64, v[i].major, v[i].minor);
                if (!node || strv_consume(&x->list, node) < 0)
                        return -ENOMEM;
                x->values[k++] = weight ? cgroup_blkio_weight_to_io(v[i].value) : v[i].value;
        }
        return 0;
}

static int unified_bad(const char *key, const char *value, const char *expected) {
        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "linux.resources.unified.%s: expected %s, got '%s'", key,
                               expected, value);
}

/* A number, or "max" (UINT64_MAX). */
static int unified_u64(const char *key, const char *value, uint64_t *ret) {
        if (streq(value, "max")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (safe_atou64(value, ret) < 0)
                return unified_bad(key, value, "a number or \"max\"");
        return 0;
}

/* linux.resources.unified under systemd: the keys that have a unit property become it (as runc's
 * systemd driver does); any other key is refused, because berth never writes the files of a unit
 * systemd made (DESIGN.md §4). They come after the other properties, so they override them. */
static int unit_unified(const CgroupResources *r, UnitProperties *p) {
        static const struct {
                const char *key, *property;
        } u64[] = {
                { "memory.max", "MemoryMax" }, { "memory.high", "MemoryHigh" }, { "memory.low", "MemoryLow" },
                { "memory.min", "MemoryMin" }, { "memory.swap.max", "MemorySwapMax" }, { "pids.max", "TasksMax" },
        };

        for (char **k = r->unified; k && k[0] && k[1]; k += 2) {
                const char *key = k[0], *value = k[1];
                bool done = false;
                uint64_t u;
                int q;

                for (size_t i = 0; !done && i < ELEMENTSOF(u64); i++)
                        if (streq(key, u64[i].key)) {
                                if ((q = unified_u64(key, value, &u)) < 0)
                                        return q;
                                if (add_u64(p, u64[i].property, u, "unified") < 0)
                                        return -ENOMEM;
                                done = true;
                        }
                if (done)
                        continue;
                if (streq(key, "cpu.weight") || streq(key, "io.weight")) {
                        /* io.weight may be "default N" */
                        const char *n = startswith(value, "default ") ?: value;

                        if (safe_atou64(n, &u) < 0 || u < 1 || u > 10000)
                                return unified_bad(key, value, "a weight 1..10000");
                        q = add_u64(p, streq(key, "cpu.weight") ? "CPUWeight" : "IOWeight", u, "unified");
                } else if (streq(key, "cpu.max")) {
                        /* "QUOTA|max [PERIOD]" */
                        _cleanup_free_ char *quota = strdup(value);
                        char *period = quota ? strchr(quota, ' ') : NULL;
                        uint64_t qv, pv = 0;

                        if (!quota)
                                return -ENOMEM;
                        if (period)
                                *period++ = 0;
                        if (unified_u64(key, quota, &qv) < 0 || (period && (safe_atou64(period, &pv) < 0 || pv == 0)))
                                return unified_bad(key, value, "\"QUOTA|max [PERIOD]\" in µs");
                        if (qv != UINT64_MAX && qv > INT64_MAX)
                                return unified_bad(key, value, "a quota that fits in 63 bits");
                        q = add_u64(p, "CPUQuotaPerSecUSec",
                                    cgroup_cpu_quota_to_per_sec(qv == UINT64_MAX ? -1 : (int64_t) qv, pv), "unified");
                        if (q >= 0 && pv)
                                q = add_u64(p, "CPUQuotaPeriodUSec", pv, "unified");
                } else if (streq(key, "cpuset.cpus") || streq(key, "cpuset.mems"))
                        q = unit_mask(p, streq(key, "cpuset.cpus") ? "AllowedCPUs" : "AllowedMemoryNodes", value,
                                      "unified");
                else
                        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "linux.resources.unified.%s: no systemd "
                                               "unit property sets this key; use the cgroupfs manager, or an "
                                               "org.systemd.property.* annotation", key);
                if (q < 0)
                        return q == -ENOMEM ? q : log_error_errno(q, "linux.resources.unified.%s: invalid value "
                                                                  "'%s': %m", key, value);
        }
        return 0;
}

int cgroup_resources_to_unit(const CgroupResources *r, UnitProperties *ret) {
        static const char *const throttle_properties[_CGROUP_THROTTLE_MAX] = {
                "IOReadBandwidthMax", "IOWriteBandwidthMax", "IOReadIOPSMax", "IOWriteIOPSMax",
        };
        _cleanup_(unit_properties_done) UnitProperties p = {};
        int64_t swap;
        bool leaf;
        int q = 0;

        assert(r);
        if (r->memory_limit != CGROUP_UNSET && r->memory_limit != 0)
                q = add_u64(&p, "MemoryMax", r->memory_limit < 0 ? UINT64_MAX : (uint64_t) r->memory_limit,
                            "memory.limit");
        if (q >= 0 && r->memory_reservation > 0)
                q = add_u64(&p, "MemoryLow", (uint64_t) r->memory_reservation, "memory.reservation");
        if (q >= 0 && r->memory_swap != CGROUP_UNSET && r->memory_swap != 0) {
                if (cgroup_memory_swap_to_v2(r->memory_swap, r->memory_limit, &swap) < 0)
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "linux.resources.memory.swap: expected -1 "
                                               "or at least memory.limit (set with it)");
                q = add_u64(&p, "MemorySwapMax", swap == INT64_MAX ? UINT64_MAX : (uint64_t) swap, "memory.swap");
        }
        if (q >= 0 && r->cpu_shares > 0)
                q = add_u64(&p, "CPUWeight", cgroup_cpu_shares_to_weight((uint64_t) r->cpu_shares), "cpu.shares");
        if (q >= 0 && r->cpu_quota != CGROUP_UNSET && r->cpu_quota != 0)
                q = add_u64(&p, "CPUQuotaPerSecUSec",
                            cgroup_cpu_quota_to_per_sec(r->cpu_quota, r->cpu_period > 0 ? (uint64_t) r->cpu_period : 0),
                            "cpu.quota");
        if (q >= 0 && r->cpu_period > 0)
                q = add_u64(&p, "CPUQuotaPeriodUSec", (uint64_t) r->cpu_period, "cpu.period");
        if (q >= 0 && r->pids_limit != CGROUP_UNSET)
                q = add_u64(&p, "TasksMax", cgroup_pids_to_tasks_max(r->pids_limit), "pids.limit");
        if (q >= 0 && r->blkio_weight != CGROUP_UNSET)
                q = add_u64(&p, "IOWeight", cgroup_blkio_weight_to_io((uint64_t) r->blkio_weight), "blockIO.weight");
        if (q >= 0 && r->cpus)
                q = unit_mask(&p, "AllowedCPUs", r->cpus, "cpu.cpus");
        if (q >= 0 && r->mems)
                q = unit_mask(&p, "AllowedMemoryNodes", r->mems, "cpu.mems");
        if (q >= 0)
                q = unit_device_values(&p, "IODeviceWeight", r->weight_devices, r->n_weight_devices, true,
                                       "blockIO.weightDevice");
        for (int t = 0; q >= 0 && t < _CGROUP_THROTTLE_MAX; t++)
                q = unit_device_values(&p, throttle_properties[t], r->throttle[t], r->n_throttle[t], false,
                                       "blockIO.throttle");
        if (q >= 0)
                q = unit_devices(r, &p);
        if (q >= 0)
                q = unit_unified(r, &p);
        if (q < 0)
                return q == -ENOMEM ? log_oom() : q;
        /* What systemd has no property for must not be dropped silently. */
        leaf = r->blkio_leaf_weight != CGROUP_UNSET;
        for (size_t i = 0; i < r->n_weight_devices; i++)
                leaf = leaf || r->weight_devices[i].leaf_weight != CGROUP_UNSET;
        if (r->memory_swappiness != CGROUP_UNSET || r->disable_oom_killer || r->cpu_rt_period > 0 ||
            (r->cpu_rt_runtime != CGROUP_UNSET && r->cpu_rt_runtime != 0) || r->n_hugepages || leaf ||
            r->cpu_burst != CGROUP_UNSET || r->cpu_idle != CGROUP_UNSET)
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP),
                                       "linux.resources: swappiness, disableOOMKiller, realtime, hugepageLimits, "
                                       "leafWeight, burst and idle have no systemd unit property: not supported "
                                       "with the systemd cgroup manager");
        *ret = p;
        p = (UnitProperties) {};
        return 0;
}

int cgroup_unit_properties_from_annotations(char **annotations, UnitProperties *p) {
        for (char **k = annotations; k && k[0] && k[1]; k += 2) {
                const char *name = startswith(k[0], "org.systemd.property."), *v = k[1];
                UnitProperty *x;
                uint64_t u;

                if (!name)
                        continue;
                if (!*name || strlen(name) > 64 || name[strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")])
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "annotations: '%s': not a unit property name",
                                               k[0]);
                if (streq(v, "true") || streq(v, "false")) {
                        x = add_prop(p, NULL, UNIT_PROPERTY_BOOL, NULL);
                        if (x)
                                x->u = streq(v, "true");
                } else if (startswith(v, "uint64 ") && safe_atou64(v + 7, &u) >= 0) {
                        x = add_prop(p, NULL, UNIT_PROPERTY_UINT64, NULL);
                        if (x)
                                x->u = u;
                } else if (safe_atou64(v, &u) >= 0) {
                        x = add_prop(p, NULL, UNIT_PROPERTY_UINT64, NULL);
                        if (x)
                                x->u = u;
                } else if (strlen(v) >= 2 && v[0] == '\'' && v[strlen(v) - 1] == '\'') {
                        x = add_prop(p, NULL, UNIT_PROPERTY_STRING, NULL);
                        if (x && !(x->s = strndup(v + 1, strlen(v) - 2)))
                                return log_oom();
                } else
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "annotations: '%s': value '%s' is not "
                                               "true, false, a number, \"uint64 N\" or a 'quoted string'", k[0], v);
                if (!x || !(x->name_buf = strdup(name)))
                        return log_oom();
                x->name = x->name_buf;
        }
        return 0;
}

/* ---- cgroupsPath ---------------------------------------------------------------------------------- */

bool cgroup_path_valid(const char *p) {
        if (!p || p[0] != '/' || strlen(p) > 4096)
                return false;
        for (const char *c = p; *c; c++)
                if ((unsigned char) *c < 0x20 || *c == 0x7f)
                        return false;
        return !strstr(p, "//") && !strstr(p, "/../") && !strstr(p, "/./") && !(strlen(p) >= 3 &&
               (streq(p + strlen(p) - 3, "/..") || streq(p + strlen(p) - 2, "/."))) && !streq(p, "/");
}

int cgroup_path_for_fs(const char *cgroups_path, const char *id, char **ret) {
        _cleanup_free_ char *p = NULL;
        size_t l;

        if (!cgroups_path || !*cgroups_path)
                p = strdup_printf("/%s", id);
        else
                p = strdup_printf("%s%s", cgroups_path[0] == '/' ? "" : "/", cgroups_path);
        if (!p)
                return log_oom();
        l = strlen(p);
        while (l > 1 && p[l - 1] == '/')
                p[--l] = 0;
        if (!cgroup_path_valid(p))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "config.json: linux.cgroupsPath: '%s' is not a "
                                       "valid cgroup path (no \"..\", \".\" or empty components)", cgroups_path);
        *ret = TAKE_PTR(p);
        return 0;
}

static bool unit_name_part_valid(const char *s) {
        return *s && strlen(s) < 200 &&
               !s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:-_.\\@")];
}

int cgroup_path_for_systemd(const char *cgroups_path, const char *id, char **ret_slice, char **ret_unit) {
        _cleanup_free_ char *copy = NULL, *slice = NULL, *unit = NULL;
        char *prefix, *name;

        if (!cgroups_path || !*cgroups_path) {
                slice = strdup("machine.slice");
                unit = strdup_printf("berth-%s.scope", id);
        } else {
                copy = strdup(cgroups_path);
                if (!copy)
                        return log_oom();
                prefix = strchr(copy, ':');
                name = prefix ? strchr(prefix + 1, ':') : NULL;
                if (!prefix || !name || strchr(name + 1, ':'))
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "config.json: linux.cgroupsPath: '%s': "
                                               "expected \"slice:prefix:name\" with the systemd cgroup manager",
                                               cgroups_path);
                *prefix++ = 0;
                *name++ = 0;
                if ((*copy && (!unit_name_part_valid(copy) || !strstr(copy, ".slice"))) ||
                    (*prefix && !unit_name_part_valid(prefix)) || !unit_name_part_valid(name))
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "config.json: linux.cgroupsPath: '%s': "
                                               "invalid slice, prefix or name", cgroups_path);
                slice = strdup(*copy ? copy : "machine.slice");
                /* A name that already is a unit (ends in .slice) is not supported: scopes only. */
                if (strlen(name) > 6 && streq(name + strlen(name) - 6, ".slice"))
                        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "config.json: linux.cgroupsPath: '%s': "
                                               "a slice as the container's unit is not supported", cgroups_path);
                if (*prefix)
                        unit = strdup_printf("%s-%s.scope", prefix, name);
                else
                        unit = strdup_printf("%s.scope", name);
        }
        if (!slice || !unit)
                return log_oom();
        *ret_slice = TAKE_PTR(slice);
        *ret_unit = TAKE_PTR(unit);
        return 0;
}
