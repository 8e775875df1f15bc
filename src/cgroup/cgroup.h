/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Cgroup managers behind one small vtable (crun's shape): cgroupfs v1, cgroupfs v2 and systemd
 * scopes over D-Bus, plus "disabled". linux.resources is parsed once into CgroupResources and mapped
 * by pure functions (cgroup-resources.c) to v1 writes, v2 writes or unit properties. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

typedef enum CgroupManagerType {
        CGROUP_MANAGER_DISABLED, /* 0: what a zeroed state means */
        CGROUP_MANAGER_CGROUPFS,
        CGROUP_MANAGER_SYSTEMD,
        _CGROUP_MANAGER_MAX,
        _CGROUP_MANAGER_INVALID = -EINVAL,
} CgroupManagerType;

const char *cgroup_manager_type_to_string(CgroupManagerType t);
CgroupManagerType cgroup_manager_type_from_string(const char *s);

typedef enum CgroupMode {
        CGROUP_MODE_LEGACY,  /* v1 controllers (on this host: hybrid, v2 mounted without controllers) */
        CGROUP_MODE_UNIFIED, /* cgroup2 on /sys/fs/cgroup */
        _CGROUP_MODE_MAX,
        _CGROUP_MODE_INVALID = -EINVAL,
} CgroupMode;

/* ---- linux.resources, parsed and checked ---------------------------------------------------- */

#define CGROUP_UNSET INT64_MIN  /* a field that was not given */
#define CGROUP_WILDCARD (-1)    /* a device major/minor of "*" */
#define CGROUP_LIST_MAX 1024U   /* devices, throttles, hugepage limits, unified keys */

typedef struct CgroupDeviceRule {
        bool allow;
        char type; /* 'a', 'c', 'b' */
        int64_t major, minor;
        char access[4]; /* subset of "rwm" */
} CgroupDeviceRule;

typedef struct CgroupDeviceValue {
        int64_t major, minor;
        uint64_t value;      /* rate, or weight */
        int64_t leaf_weight; /* weightDevice only; CGROUP_UNSET */
} CgroupDeviceValue;

typedef enum CgroupThrottle {
        CGROUP_THROTTLE_READ_BPS,
        CGROUP_THROTTLE_WRITE_BPS,
        CGROUP_THROTTLE_READ_IOPS,
        CGROUP_THROTTLE_WRITE_IOPS,
        _CGROUP_THROTTLE_MAX,
} CgroupThrottle;

typedef struct CgroupHugepage {
        char *page_size; /* "2MB" */
        uint64_t limit;
} CgroupHugepage;

typedef struct CgroupResources {
        /* memory: bytes, -1 unlimited */
        int64_t memory_limit, memory_reservation, memory_swap, memory_swappiness;
        bool disable_oom_killer;
        /* cpu */
        int64_t cpu_shares, cpu_quota, cpu_period, cpu_burst, cpu_rt_runtime, cpu_rt_period, cpu_idle;
        char *cpus, *mems;
        /* pids */
        int64_t pids_limit;
        /* blockIO */
        int64_t blkio_weight, blkio_leaf_weight;
        CgroupDeviceValue *weight_devices;
        size_t n_weight_devices;
        CgroupDeviceValue *throttle[_CGROUP_THROTTLE_MAX];
        size_t n_throttle[_CGROUP_THROTTLE_MAX];
        CgroupHugepage *hugepages;
        size_t n_hugepages;
        bool has_devices;
        CgroupDeviceRule *devices;
        size_t n_devices;
        char **unified; /* key, value, ... */
} CgroupResources;

CgroupResources *cgroup_resources_free(CgroupResources *r);
static inline void cgroup_resources_freep(CgroupResources **r) {
        cgroup_resources_free(*r);
}
/* Parse linux.resources (text of a JSON object; NULL or "" -> nothing set). what names the source
 * ("config.json"), prefix the JSON path of the object ("linux.resources", or "" for update
 * --resources). Every type and range is checked; errors are logged with the JSON path. */
int cgroup_resources_parse(const char *what, const char *prefix, const char *json, CgroupResources **ret);
/* update: config (the text of a saved config.json) with linux.resources updated by update (a
 * resources JSON object, already checked): objects are merged key by key (so a later update keeps
 * what an earlier one set, and unified keys add up), any other value replaces the recorded one;
 * "devices" is left out (update never rewrites a running container's device rules). The new text
 * in *ret. Logs; what names config in messages. */
int cgroup_resources_update_config(const char *what, const char *config, const char *update, char **ret);
/* Nothing but device rules (which a user namespace enforces anyway). */
bool cgroup_resources_limit_nothing(const CgroupResources *r);
/* Overlay what is set in src onto dst (update). */
int cgroup_resources_merge(CgroupResources *dst, const CgroupResources *src);
/* The device rules the container gets: the config's, then runc's default allow list
 * (add_default_devices) and one allow rule per linux.devices entry (add_device). */
int cgroup_resources_add_default_devices(CgroupResources *r);
int cgroup_resources_add_device(CgroupResources *r, char type, int64_t major, int64_t minor, const char *access);

/* ---- pure conversions (unit-tested) ---------------------------------------------------------- */

/* cpu.shares (2..262144) -> cgroup v2 cpu.weight / CPUWeight (1..10000), as runc and crun do now:
 * ceil(10^((l² + 125l) / 612 - 7/34)), l = log2(shares). 0 -> 0 (unset). */
uint64_t cgroup_cpu_shares_to_weight(uint64_t shares);
/* cfs quota/period (µs) -> CPUQuotaPerSecUSec, rounded up to 10 ms as systemd does. quota <= 0 ->
 * UINT64_MAX (infinity). */
uint64_t cgroup_cpu_quota_to_per_sec(int64_t quota, uint64_t period);
/* OCI memory.swap (memory + swap) -> v2 memory.swap.max (swap only). -1: max (returns INT64_MAX).
 * -EINVAL when swap < memory. */
int cgroup_memory_swap_to_v2(int64_t swap, int64_t memory, int64_t *ret);
/* blkio weight (10..1000) -> io.weight (1..10000), as runc. */
uint64_t cgroup_blkio_weight_to_io(uint64_t weight);
/* pids.limit -> TasksMax: 0 -> 1, < 0 -> infinity (UINT64_MAX). */
uint64_t cgroup_pids_to_tasks_max(int64_t limit);
/* A device rule as written to v1 devices.allow/deny ("c 1:3 rwm", "a"). buf >= 64 bytes. */
const char *cgroup_device_rule_v1(const CgroupDeviceRule *d, char buf[static 64]);

/* A file write: controller (v1 hierarchy name, or the v2 controller the file needs; "" for core
 * files), file, value, and the JSON path of the resource (for errors). */
typedef struct CgroupWrite {
        const char *controller;
        const char *file;
        char *value;
        const char *resource;
        char *file_buf; /* owns file when it was built (hugetlb.2MB.limit_in_bytes) */
        char *old;      /* update: the file's value before (cgroup_writes_snapshot()), or NULL */
} CgroupWrite;

typedef struct CgroupWrites {
        CgroupWrite *w;
        size_t n;
} CgroupWrites;

void cgroup_writes_done(CgroupWrites *w);
/* The v1 / v2 files for r, in the order they are written. -EOPNOTSUPP (logged, naming the
 * resource) for a resource the version cannot express (v2: realtime, swappiness, disableOOMKiller;
 * v1: unified). */
int cgroup_resources_to_v1(const CgroupResources *r, CgroupWrites *ret);
int cgroup_resources_to_v2(const CgroupResources *r, CgroupWrites *ret);

typedef struct Cgroup Cgroup;

/* A unit property for StartTransientUnit / SetUnitProperties. */
typedef enum UnitPropertyType {
        UNIT_PROPERTY_STRING,   /* s */
        UNIT_PROPERTY_BOOL,     /* b */
        UNIT_PROPERTY_UINT64,   /* t */
        UNIT_PROPERTY_INT32,    /* i */
        UNIT_PROPERTY_PIDS,     /* au: one pid in u */
        UNIT_PROPERTY_DEVICES,  /* a(ss): strv pairs in list */
        UNIT_PROPERTY_BYTES,    /* ay: CPU/NUMA mask in bytes */
        UNIT_PROPERTY_STRV,     /* as */
        UNIT_PROPERTY_DEVICE_VALUES, /* a(st): device paths in list, one value each in values */
} UnitPropertyType;

typedef struct UnitProperty {
        const char *name;
        UnitPropertyType type;
        uint64_t u;
        char *s;
        char **list;
        uint64_t *values;
        uint8_t *bytes;
        size_t n_bytes;
        const char *resource; /* JSON path, or NULL for the scope's own settings */
        char *name_buf;       /* owns name (annotations) */
} UnitProperty;

typedef struct UnitProperties {
        UnitProperty *p;
        size_t n;
} UnitProperties;

void unit_properties_done(UnitProperties *p);
/* The resource properties of DESIGN.md §4 for r. */
int cgroup_resources_to_unit(const CgroupResources *r, UnitProperties *ret);
/* "0-3,5" -> a little-endian CPU mask as systemd's AllowedCPUs= takes it. -EINVAL if malformed. */
int cgroup_cpu_list_to_mask(const char *list, uint8_t **ret, size_t *ret_n);
/* org.systemd.property.NAME annotations (key, value, ...) -> properties: the value is parsed as a
 * GVariant-like literal: 'str', true/false, a number (uint64), "uint64 N". -EINVAL on anything else. */
int cgroup_unit_properties_from_annotations(char **annotations, UnitProperties *p);

/* The v2 device rules as an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE): rules are checked last to
 * first, the first match decides (a later rule overrides, as with v1), no match denies. */
struct bpf_insn;
int cgroup_devices_program(const CgroupDeviceRule *rules, size_t n, struct bpf_insn **ret, size_t *ret_n);

/* systemd: every property of the scope for init pid (Description, Slice, Delegate, PIDs,
 * DefaultDependencies, CollectMode, accounting, BindsTo= the service berth runs in, resources,
 * org.systemd.property.* annotations), in that order. */
int cgroup_systemd_properties(Cgroup *cg, pid_t pid, const CgroupResources *res, UnitProperties *ret);

/* ---- cgroupsPath ----------------------------------------------------------------------------- */

/* cgroupfs: the path inside each hierarchy ("/berth-id" default is "/<id>" like runc; relative
 * paths are taken from the root too). Rejects "..", empty components, over-long paths. */
int cgroup_path_for_fs(const char *cgroups_path, const char *id, char **ret);
/* systemd: "slice:prefix:name" -> slice and "prefix-name.scope"; empty -> "machine.slice",
 * "berth-<id>.scope". */
int cgroup_path_for_systemd(const char *cgroups_path, const char *id, char **ret_slice, char **ret_unit);
/* A path we recorded: absolute, no "..", no "//", printable, at most 4096 bytes. */
bool cgroup_path_valid(const char *p);

/* ---- util ------------------------------------------------------------------------------------ */

/* Where cgroups live. BERTH_CGROUP_ROOT (tests) overrides /sys/fs/cgroup. */
const char *cgroup_root(void);
int cgroup_detect_mode(CgroupMode *ret);
/* The cgroup of pid in hierarchy controller ("" for the v2 entry "0::"), from /proc/PID/cgroup. */
int cgroup_pid_get_path(pid_t pid, const char *controller, char **ret);

/* ---- the managers ---------------------------------------------------------------------------- */

typedef struct CgroupStats {
        uint64_t cpu_usage_ns, cpu_user_ns, cpu_system_ns, cpu_throttled_periods, cpu_throttled_ns,
                cpu_periods;
        uint64_t memory_usage, memory_max_usage, memory_limit, memory_failcnt, memory_cache,
                memory_swap_usage, memory_swap_limit, memory_oom_kills;
        uint64_t memory_swap_max_usage, memory_swap_failcnt;
        uint64_t pids_current, pids_limit;
        bool has_memory, has_cpu, has_pids, has_swap;
        /* As the kernel wrote them, for runc's "raw" and "percpu" lists: memory.stat ("KEY VALUE"
         * lines); v1 cpuacct.usage_percpu, _user and _sys ("N N ..."). NULL where absent. */
        char *memory_stat, *cpu_percpu, *cpu_percpu_user, *cpu_percpu_sys;
} CgroupStats;

void cgroup_stats_done(CgroupStats *s);

typedef struct CgroupManager CgroupManager;

struct Cgroup {
        const CgroupManager *manager;
        CgroupManagerType type;
        CgroupMode mode;
        char *path;      /* path in the hierarchies ("/id"); systemd: the scope's cgroup */
        char *slice;     /* systemd */
        char *unit;      /* systemd */
        const char *id;  /* container id (for messages) */
        /* cgroupfs: cgroup.procs of each hierarchy, opened before the init exists; the init
         * writes "0" to them itself, so it is in its cgroup before it runs anything else. */
        int *join_fds;
        size_t n_join_fds;
        char **created; /* the dirs we made, deepest last, for removal after a failed create */
        char **annotations; /* systemd: org.systemd.property.* (not owned) */
};

struct CgroupManager {
        const char *name;
        /* Make the cgroup and apply r before the init exists (cgroupfs); systemd does nothing here. */
        int (*create)(Cgroup *cg, const CgroupResources *r);
        /* The init exists: cgroupfs checks it joined; systemd starts the scope with it. */
        int (*enter)(Cgroup *cg, pid_t pid, const CgroupResources *r);
        int (*apply)(Cgroup *cg, const CgroupResources *r);
        int (*freeze)(Cgroup *cg, bool freeze);
        /* 1 frozen, 0 not (or no freezer), < 0 error */
        int (*is_frozen)(Cgroup *cg);
        int (*stats)(Cgroup *cg, CgroupStats *ret);
        /* events: an fd that polls readable when an OOM may have happened in the cgroup (v1: an
         * eventfd registered on memory.oom_control; v2: inotify on memory.events); the count is
         * CgroupStats.memory_oom_kills. -EOPNOTSUPP without a memory controller. Non-logging. */
        int (*oom_watch)(Cgroup *cg, int *ret_fd);
        int (*get_pids)(Cgroup *cg, pid_t **ret, size_t *ret_n);
        int (*kill_all)(Cgroup *cg, int sig);
        int (*destroy)(Cgroup *cg);
};

/* The v2 oom_watch, shared by the systemd manager (its scopes are v2 cgroups). */
int cgroup_v2_oom_watch(Cgroup *cg, int *ret_fd);

extern const CgroupManager cgroup_manager_v1, cgroup_manager_v2, cgroup_manager_systemd,
        cgroup_manager_disabled;

/* Set up cg for a new container of id with the chosen manager; does nothing on the system. */
int cgroup_init(Cgroup *cg, CgroupManagerType type, const char *cgroups_path, const char *id);
/* Set up cg for an existing container from what state.json recorded. */
int cgroup_open(Cgroup *cg, CgroupManagerType type, CgroupMode mode, const char *path, const char *unit,
                const char *id);
void cgroup_done(Cgroup *cg);
/* For exec: open cgroup.procs of every cgroup pid (the container's init) is in, as seen from here,
 * into cg's join fds; a hierarchy not mounted here is skipped. Logs. */
int cgroup_open_join_fds_of(Cgroup *cg, pid_t pid);
/* In the init (child), first thing: join through the fds opened by create. Logs. */
int cgroup_join_self(Cgroup *cg);
void cgroup_close_join_fds(Cgroup *cg);

/* Helpers shared by the managers (cgroup-util.c). */
/* a/b/c, c may be NULL; NULL on OOM. */
char *cgroup_join(const char *a, const char *b, const char *c);
int cgroup_write_file(const char *dir, const char *file, const char *value);
int cgroup_read_file(const char *dir, const char *file, char **ret);
int cgroup_read_u64(const char *dir, const char *file, uint64_t *ret);
/* Freeze the cgroup (if its manager can), send sig to every task in it, thaw: nothing can fork past
 * the signal meanwhile. For the cgroupfs managers' kill_all. */
int cgroup_kill_frozen(Cgroup *cg, int sig);
/* The value of "KEY VALUE" lines (memory.stat, cpu.stat, ...), 0 if absent or not a number. */
uint64_t cgroup_stat_value(const char *text, const char *key);
int cgroup_read_pids(const char *dir, pid_t **ret, size_t *ret_n);
/* rmdir, retrying while the kernel still says EBUSY (exiting tasks), up to about a second. */
int cgroup_rmdir(const char *dir);
int cgroup_mkdir_p(const char *root, const char *path, bool cpuset, char ***created);
/* After a failed create: remove the dirs cgroup_mkdir_p() made (cg->created), deepest first. */
int cgroup_remove_created(Cgroup *cg);
int cgroup_apply_writes(const char *root, bool v1, const char *path, const CgroupWrites *w);
/* update: before writing w, keep the value of each file it writes (a one-line value that can be
 * written back; others are not kept); after a failed write, put them back, so a failed update
 * changes nothing. The restore goes twice over, so values that bound each other (memory and
 * memsw) settle; what still cannot be restored is logged as a warning. */
int cgroup_writes_snapshot(const char *root, bool v1, const char *path, CgroupWrites *w);
void cgroup_writes_restore(const char *root, bool v1, const char *path, const CgroupWrites *w);
