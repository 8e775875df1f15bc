/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* config.json -> Spec. json-c stays inside src/spec/. Everything here is validated by spec_load()
 * before any side effect: callers may rely on the invariants written next to each field. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* -std=gnu17 predefines "linux" as 1, which would break the Spec.linux member below. Nothing should
 * test it: use __linux__. */
#undef linux

/* Hard limits on user-controlled sizes (DESIGN.md §7). */
#define SPEC_FILE_MAX (4U * 1024U * 1024U) /* config.json / process.json bytes */
#define SPEC_ARGS_MAX 4096U                /* process.args, process.env entries */
#define SPEC_MOUNTS_MAX 1024U
#define SPEC_DEVICES_MAX 1024U
#define SPEC_PATHS_MAX 1024U /* maskedPaths, readonlyPaths */
#define SPEC_GIDS_MAX 65536U
#define SPEC_IDMAPS_MAX 340U /* kernel limit for uid_map lines */
#define SPEC_SYSCTL_MAX 1024U
#define SPEC_STRING_MAX 65536U /* any single string */
#define SPEC_LIST_MAX 4096U    /* other string lists: mount options, capability sets, hook args/env */
#define SPEC_HOOKS_MAX 1024U   /* entries in one hooks.<phase> list */
#define SPEC_ANNOTATIONS_MAX 4096U

typedef enum SpecNamespaceType {
        SPEC_NS_PID,
        SPEC_NS_NETWORK,
        SPEC_NS_MOUNT,
        SPEC_NS_IPC,
        SPEC_NS_UTS,
        SPEC_NS_USER,
        SPEC_NS_CGROUP,
        SPEC_NS_TIME,
        _SPEC_NS_MAX,
        _SPEC_NS_INVALID = -EINVAL,
} SpecNamespaceType;

const char *spec_namespace_type_to_string(SpecNamespaceType t); /* "pid", "network", ... */
SpecNamespaceType spec_namespace_type_from_string(const char *s);
int spec_namespace_type_to_clone_flag(SpecNamespaceType t); /* CLONE_NEWPID, ... */
const char *spec_namespace_type_to_proc_name(SpecNamespaceType t); /* "pid", "net", "mnt", ... */

typedef struct SpecNamespace {
        bool present; /* listed in linux.namespaces */
        char *path;   /* NULL: create a new one; else an absolute path to join */
        unsigned index; /* position in linux.namespaces (for messages) */
} SpecNamespace;

typedef struct SpecIdMap {
        uint32_t container_id;
        uint32_t host_id;
        uint32_t size; /* > 0 */
} SpecIdMap;

typedef struct SpecRlimit {
        int resource; /* RLIMIT_*, from "RLIMIT_NOFILE" etc.; no duplicates */
        uint64_t soft;
        uint64_t hard; /* soft <= hard */
} SpecRlimit;

typedef struct SpecUser {
        uint32_t uid;
        uint32_t gid;
        bool has_umask;
        uint32_t umask; /* <= 0777 */
        uint32_t *additional_gids;
        size_t n_additional_gids;
} SpecUser;

typedef struct SpecCapabilities {
        bool present; /* process.capabilities given at all; if not, capabilities are left alone */
        /* NULL when the set is absent; each an array of "CAP_*" names. */
        char **bounding, **effective, **inheritable, **permitted, **ambient;
} SpecCapabilities;

typedef struct SpecProcess {
        bool terminal;
        bool has_console_size;
        uint32_t console_height, console_width;
        SpecUser user;
        char **args; /* non-empty (at least args[0]), each a string */
        char **env;  /* each "KEY=value" with a non-empty KEY */
        char *cwd;   /* absolute */
        SpecRlimit *rlimits;
        size_t n_rlimits;
        bool no_new_privileges;
        bool has_oom_score_adj;
        int oom_score_adj; /* -1000..1000 */
        SpecCapabilities capabilities;
        char *apparmor_profile;
        char *selinux_label;
} SpecProcess;

typedef struct SpecMount {
        char *destination; /* absolute, normalized: no "..", no "//", no trailing "/" except "/" itself */
        char *type;        /* may be NULL (then a bind if options say so) */
        char *source;      /* may be NULL */
        char **options;    /* raw option strings, may be NULL */
} SpecMount;

typedef struct SpecDevice {
        char *path; /* absolute, anywhere in the container but "/" and "/dev" */
        char type;  /* 'c', 'b', 'u' (== 'c') or 'p' */
        int64_t major, minor; /* >= 0 for 'c', 'b', 'u'; -1 when absent (allowed for 'p' only) */
        bool has_file_mode;
        uint32_t file_mode; /* permission bits only, <= 07777 (type bits checked and dropped) */
        bool has_uid, has_gid;
        uint32_t uid, gid;
} SpecDevice;

typedef struct SpecSysctl {
        char *key; /* e.g. "net.ipv4.ip_forward"; only namespaced keys are accepted (as runc) */
        char *value;
} SpecSysctl;

typedef enum SpecPropagation {
        SPEC_PROPAGATION_UNSET,
        SPEC_PROPAGATION_PRIVATE,
        SPEC_PROPAGATION_RPRIVATE,
        SPEC_PROPAGATION_SLAVE,
        SPEC_PROPAGATION_RSLAVE,
        SPEC_PROPAGATION_SHARED,
        SPEC_PROPAGATION_RSHARED,
        SPEC_PROPAGATION_UNBINDABLE,
        SPEC_PROPAGATION_RUNBINDABLE,
        _SPEC_PROPAGATION_MAX,
        _SPEC_PROPAGATION_INVALID = -EINVAL,
} SpecPropagation;

typedef struct SpecHook {
        char *path; /* absolute */
        char **args;
        char **env;
        bool has_timeout;
        int timeout; /* seconds, > 0 */
} SpecHook;

typedef struct SpecHookList {
        SpecHook *hooks;
        size_t n_hooks;
} SpecHookList;

/* linux.seccomp (spec-seccomp.c). Names and enums are checked at parse time; semantic rules (NOTIFY
 * needs listenerPath, errnoRet only with ERRNO/TRACE) by spec_validate(). */
#define SPEC_SECCOMP_ARGS_MAX 6U  /* a syscall has 6 arguments: index 0..5 */
#define SPEC_SECCOMP_ARCHES_MAX 64U

typedef enum SpecSeccompAction {
        SPEC_SECCOMP_ACT_ALLOW,
        SPEC_SECCOMP_ACT_ERRNO,
        SPEC_SECCOMP_ACT_KILL, /* = KILL_THREAD */
        SPEC_SECCOMP_ACT_KILL_PROCESS,
        SPEC_SECCOMP_ACT_KILL_THREAD,
        SPEC_SECCOMP_ACT_TRAP,
        SPEC_SECCOMP_ACT_TRACE,
        SPEC_SECCOMP_ACT_LOG,
        SPEC_SECCOMP_ACT_NOTIFY,
        _SPEC_SECCOMP_ACT_MAX,
        _SPEC_SECCOMP_ACT_INVALID = -EINVAL,
} SpecSeccompAction;

typedef enum SpecSeccompOp {
        SPEC_SECCOMP_OP_NE,
        SPEC_SECCOMP_OP_LT,
        SPEC_SECCOMP_OP_LE,
        SPEC_SECCOMP_OP_EQ,
        SPEC_SECCOMP_OP_GE,
        SPEC_SECCOMP_OP_GT,
        SPEC_SECCOMP_OP_MASKED_EQ, /* (arg & value) == valueTwo */
        _SPEC_SECCOMP_OP_MAX,
        _SPEC_SECCOMP_OP_INVALID = -EINVAL,
} SpecSeccompOp;

typedef enum SpecSeccompArch {
        SPEC_SECCOMP_ARCH_X86,
        SPEC_SECCOMP_ARCH_X86_64,
        SPEC_SECCOMP_ARCH_X32,
        SPEC_SECCOMP_ARCH_ARM,
        SPEC_SECCOMP_ARCH_AARCH64,
        SPEC_SECCOMP_ARCH_MIPS,
        SPEC_SECCOMP_ARCH_MIPS64,
        SPEC_SECCOMP_ARCH_MIPS64N32,
        SPEC_SECCOMP_ARCH_MIPSEL,
        SPEC_SECCOMP_ARCH_MIPSEL64,
        SPEC_SECCOMP_ARCH_MIPSEL64N32,
        SPEC_SECCOMP_ARCH_PPC,
        SPEC_SECCOMP_ARCH_PPC64,
        SPEC_SECCOMP_ARCH_PPC64LE,
        SPEC_SECCOMP_ARCH_S390,
        SPEC_SECCOMP_ARCH_S390X,
        SPEC_SECCOMP_ARCH_PARISC,
        SPEC_SECCOMP_ARCH_PARISC64,
        SPEC_SECCOMP_ARCH_RISCV64,
        _SPEC_SECCOMP_ARCH_MAX,
        _SPEC_SECCOMP_ARCH_INVALID = -EINVAL,
} SpecSeccompArch;

typedef enum SpecSeccompFlags {
        SPEC_SECCOMP_FLAG_TSYNC = 1 << 0,
        SPEC_SECCOMP_FLAG_LOG = 1 << 1,
        SPEC_SECCOMP_FLAG_SPEC_ALLOW = 1 << 2,
        SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV = 1 << 3,
} SpecSeccompFlags;

const char *spec_seccomp_action_to_string(SpecSeccompAction a); /* "SCMP_ACT_ALLOW", ... */
SpecSeccompAction spec_seccomp_action_from_string(const char *s);
const char *spec_seccomp_op_to_string(SpecSeccompOp o);
SpecSeccompOp spec_seccomp_op_from_string(const char *s);
const char *spec_seccomp_arch_to_string(SpecSeccompArch a);
SpecSeccompArch spec_seccomp_arch_from_string(const char *s);

typedef struct SpecSeccompArg {
        uint32_t index; /* 0..5 */
        uint64_t value;
        uint64_t value_two;
        SpecSeccompOp op;
} SpecSeccompArg;

typedef struct SpecSeccompSyscall {
        char **names; /* at least one */
        SpecSeccompAction action;
        bool has_errno_ret;
        uint32_t errno_ret; /* ERRNO: <= 4095; TRACE: <= 65535 (the tracer's message) */
        SpecSeccompArg *args;
        size_t n_args;
        unsigned index; /* position in linux.seccomp.syscalls (for messages) */
} SpecSeccompSyscall;

typedef struct SpecSeccomp {
        SpecSeccompAction default_action; /* never NOTIFY */
        bool has_default_errno_ret;
        uint32_t default_errno_ret;
        SpecSeccompArch *architectures; /* no duplicates */
        size_t n_architectures;
        unsigned flags; /* SpecSeccompFlags */
        char *listener_path;     /* set when any syscall uses SCMP_ACT_NOTIFY */
        char *listener_metadata;
        SpecSeccompSyscall *syscalls;
        size_t n_syscalls;
        bool notify; /* some syscall uses SCMP_ACT_NOTIFY */
} SpecSeccomp;

typedef struct SpecLinux {
        SpecNamespace namespaces[_SPEC_NS_MAX];
        SpecIdMap *uid_mappings;
        size_t n_uid_mappings;
        SpecIdMap *gid_mappings;
        size_t n_gid_mappings;
        SpecDevice *devices;
        size_t n_devices;
        SpecSysctl *sysctl;
        size_t n_sysctl;
        char **masked_paths;   /* absolute */
        char **readonly_paths; /* absolute */
        SpecPropagation rootfs_propagation;
        char *cgroups_path;
        char *resources_json; /* linux.resources re-serialized, for the cgroup issue; may be NULL */
        SpecSeccomp *seccomp; /* NULL when absent */
        char *mount_label;
} SpecLinux;

typedef struct Spec {
        char *oci_version;
        char *root_path; /* as written (may be relative to the bundle) */
        bool root_readonly;
        char *hostname;   /* NULL if absent; needs a uts namespace when set */
        char *domainname; /* NULL if absent; needs a uts namespace when set */
        SpecProcess *process; /* NULL if absent (create then fails: validation requires it) */
        SpecMount *mounts;
        size_t n_mounts;
        SpecLinux linux;
        char **annotations; /* alternating key, value, ..., NULL */
        SpecHookList prestart, create_runtime, create_container, start_container, poststart, poststop;
} Spec;

Spec *spec_free(Spec *s);
static inline void spec_freep(Spec **s) {
        spec_free(*s);
}
void spec_process_free(SpecProcess *p);
static inline void spec_process_freep(SpecProcess **p) {
        if (*p)
                spec_process_free(*p);
}

/* Parse and validate a config.json held in memory. 'name' is used in messages (the file path).
 * On error, logs one message of the form "<name>: <json.path>: <what was expected>" (or for syntax
 * errors "<name>:<line>:<col>: <json-c error>") and returns a negative errno: -EBADMSG for syntax,
 * -EINVAL for a type/value error. */
int spec_parse(const char *name, const char *json, size_t len, Spec **ret);

/* Read and parse "<dir>/config.json". Messages name the file. Missing file: -ENOENT with a clear
 * message. */
int spec_load(const char *bundle_dir, Spec **ret);
/* The same, also handing out the file's text as read (what the Spec was parsed from). */
int spec_load_text(const char *bundle_dir, Spec **ret, char **ret_text, size_t *ret_size);

/* Parse a process.json (the "process" object alone, as `runc exec --process` takes). */
int spec_parse_process(const char *name, const char *json, size_t len, SpecProcess **ret);

/* The default config.json that `berth spec` writes (runc spec's), as a JSON string. */
int spec_default_json(bool rootless, char **ret);
/* The ociVersion of spec_default_json() (runc 1.1.5 writes the same); `berth --version` prints it. */
#define SPEC_DEFAULT_OCI_VERSION "1.0.2-dev"

SpecPropagation spec_propagation_from_string(const char *s);
const char *spec_propagation_to_string(SpecPropagation p); /* NULL for UNSET */

/* What the options of one mount ask for (spec-mount.c). */
typedef struct SpecMountOptions {
        unsigned long set;         /* MS_RDONLY, MS_NOSUID, ...: on the mount itself (its top only) */
        unsigned long clear;       /* flags explicitly cleared ("rw", "suid", "dev", "exec", ...) */
        uint64_t rec_set;          /* MOUNT_ATTR_*: on every mount of the tree ("rro", "rnosuid", ...) */
        uint64_t rec_clear;        /* MOUNT_ATTR_* cleared on the whole tree ("rrw", ...) */
        unsigned long propagation; /* 0 or MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE, | MS_REC */
        bool bind, recursive;      /* "bind", "rbind" */
        bool copy_up;              /* "tmpcopyup" */
} SpecMountOptions;

/* Add one mount option to *o. Returns 1 if berth knows it, 0 if it is filesystem data (passed to
 * the filesystem; a bind mount takes none). */
int spec_mount_option_parse(const char *opt, SpecMountOptions *o);
/* Whether m (with its options parsed into o) is a bind mount. */
bool spec_mount_is_bind(const SpecMount *m, const SpecMountOptions *o);

/* "RLIMIT_NOFILE" <-> RLIMIT_NOFILE; -EINVAL / NULL when unknown. */
int spec_rlimit_from_string(const char *s);
const char *spec_rlimit_to_string(int resource);
