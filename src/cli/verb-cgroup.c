/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ps, pause, resume, update, events, features: runc's flags and output. */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <poll.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

#include "cgroup.h"
#include "container.h"
#include "fd-util.h"
#include "log.h"
#include "spec.h"
#include "lsm.h"
#include "parse-util.h"
#include "process-util.h"
#include "state-store.h"
#include "strv.h"
#include "verbs.h"

static int cg_usage(const char *verb, const char *what) {
        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "berth %s: %s; see berth %s --help", verb, what, verb);
}

static int one_id(const char *verb, const char *help, int argc, char **argv, const char **ret) {
        static const struct option options[] = { { "help", no_argument, NULL, 'h' }, {} };
        int c;

        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        printf("Usage: berth %s ID\n\n%s\n", verb, help);
                        return 1;
                default:
                        return cg_usage(verb, "unknown option");
                }
        if (optind != argc - 1)
                return cg_usage(verb, "expects exactly one container id");
        *ret = argv[optind];
        return 0;
}

int verb_pause(int argc, char **argv, const GlobalOptions *g) {
        const char *id = NULL;
        int r;

        r = one_id("pause", "Freeze every process of a container (its cgroup's freezer).", argc, argv, &id);
        return r != 0 ? (r < 0 ? r : 0) : container_pause(g->root, id, true);
}

int verb_resume(int argc, char **argv, const GlobalOptions *g) {
        const char *id = NULL;
        int r;

        r = one_id("resume", "Thaw a paused container.", argc, argv, &id);
        return r != 0 ? (r < 0 ? r : 0) : container_pause(g->root, id, false);
}

int global_cgroup_manager(const GlobalOptions *g) {
        if (g->systemd_cgroup)
                return CGROUP_MANAGER_SYSTEMD;
        if (g->cgroup_manager)
                return cgroup_manager_type_from_string(g->cgroup_manager);
        return CGROUP_MANAGER_CGROUPFS;
}

/* ---- ps ---- */

static int cmp_pid(const void *a, const void *b) {
        return *(const pid_t *) a < *(const pid_t *) b ? -1 : *(const pid_t *) a > *(const pid_t *) b;
}

/* runc: run ps (default -ef), keep the header and the lines whose PID column is in the cgroup. */
static int ps_table(pid_t *pids, size_t n, char **ps_args) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *line = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        int p[2], status, col = -1, r;
        size_t len = 0;
        pid_t child;

        if (strv_extend(&argv, "ps") < 0)
                return log_oom();
        if (!ps_args || !*ps_args) {
                if (strv_extend(&argv, "-ef") < 0)
                        return log_oom();
        } else
                STRV_FOREACH(a, ps_args)
                        if (strv_extend(&argv, *a) < 0)
                                return log_oom();
        if (pipe2(p, O_CLOEXEC) < 0)
                return log_error_errno(errno, "Failed to create a pipe: %m");
        child = fork();
        if (child < 0)
                return log_error_errno(errno, "Failed to fork: %m");
        if (child == 0) {
                if (dup2(p[1], STDOUT_FILENO) < 0)
                        _exit(127);
                execvp("ps", argv);
                _exit(127);
        }
        safe_close(p[1]);
        f = fdopen(p[0], "r");
        if (!f) {
                safe_close(p[0]);
                return log_oom();
        }
        while (getline(&line, &len, f) >= 0) {
                _cleanup_free_ char *copy = strdup(line);
                char *w, *save = NULL;
                int i = 0, pid;
                bool show = false;

                if (!copy)
                        return log_oom();
                for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save), i++) {
                        if (col < 0 && streq(w, "PID")) {
                                col = i;
                                show = true;
                                break;
                        }
                        if (i == col && safe_atoi(w, &pid) >= 0)
                                show = bsearch(&pid, pids, n, sizeof(pid_t), cmp_pid);
                }
                if (show)
                        fputs(line, stdout);
        }
        r = wait_for_pid(child, &status);
        if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return log_error_errno(SYNTHETIC_ERRNO(EIO), "berth ps: ps failed");
        if (col < 0)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "berth ps: no PID column in the output of ps");
        return 0;
}

int verb_ps(int argc, char **argv, const GlobalOptions *g) {
        static const struct option options[] = {
                { "format", required_argument, NULL, 'f' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        _cleanup_free_ pid_t *pids = NULL;
        const char *format = "table";
        size_t n = 0;
        int c, r;

        while ((c = getopt_long(argc, argv, "+f:h", options, NULL)) >= 0)
                switch (c) {
                case 'f':
                        if (!streq(optarg, "table") && !streq(optarg, "json"))
                                return cg_usage("ps", "--format: expected table or json");
                        format = optarg;
                        break;
                case 'h':
                        printf("Usage: berth ps [-f|--format table|json] ID [PS OPTIONS...]\n\n"
                               "List the processes in a container's cgroup (ps -ef, or the options given).\n");
                        return 0;
                default:
                        return cg_usage("ps", "unknown option");
                }
        if (optind >= argc)
                return cg_usage("ps", "expects a container id");
        r = container_pids(g->root, argv[optind], &pids, &n);
        if (r < 0)
                return r;
        qsort(pids, n, sizeof(pid_t), cmp_pid);
        if (streq(format, "json")) {
                if (optind + 1 < argc)
                        return cg_usage("ps", "ps options cannot be used with --format json");
                fputs("[", stdout);
                for (size_t i = 0; i < n; i++)
                        printf("%s%d", i ? "," : "", (int) pids[i]);
                fputs("]\n", stdout);
                return 0;
        }
        fflush(stdout);
        return ps_table(pids, n, argv + optind + 1);
}

/* ---- update ---- */

/* "64m", "1G", "1024": bytes (binary units, as runc's RAMInBytes); "-1" is unlimited. */
static int parse_bytes(const char *s, int64_t *ret) {
        uint64_t v, mul = 1;
        _cleanup_free_ char *num = strdup(s);
        size_t l;

        if (!num)
                return -ENOMEM;
        if (streq(s, "-1")) {
                *ret = -1;
                return 0;
        }
        l = strlen(num);
        if (l > 1 && (num[l - 1] == 'b' || num[l - 1] == 'B'))
                num[--l] = 0;
        if (l > 1) {
                const char *u = strchr("kKmMgGtT", num[l - 1]);

                if (u) {
                        mul = 1ULL << (10 * (1 + (u - "kKmMgGtT") / 2));
                        num[--l] = 0;
                }
        }
        if (safe_atou64(num, &v) < 0 || v > INT64_MAX / mul)
                return -EINVAL;
        *ret = (int64_t) (v * mul);
        return 0;
}

static int read_resources_file(const char *path, char **ret) {
        size_t len;

        if (streq(path, "-")) {
                /* a pipe, not a regular file: read to EOF, at most 1 MiB */
                _cleanup_free_ char *buf = malloc((1 << 20) + 1);
                int n;

                if (!buf)
                        return -ENOMEM;
                n = loop_read(STDIN_FILENO, buf, 1 << 20);
                if (n < 0)
                        return n;
                buf[n] = 0;
                *ret = TAKE_PTR(buf);
                return 0;
        }
        return read_full_file_at(AT_FDCWD, path, 1 << 20, ret, &len);
}

int verb_update(int argc, char **argv, const GlobalOptions *g) {
        enum { A_BLKIO = 0x100, A_PERIOD, A_QUOTA, A_RTP, A_RTR, A_SHARES, A_CPUS, A_MEMS, A_KMEM, A_KTCP, A_MEM,
               A_MEMRES, A_SWAP, A_PIDS, A_L3, A_MBW };
        static const struct option options[] = {
                { "resources", required_argument, NULL, 'r' },
                { "blkio-weight", required_argument, NULL, A_BLKIO },
                { "cpu-period", required_argument, NULL, A_PERIOD },
                { "cpu-quota", required_argument, NULL, A_QUOTA },
                { "cpu-rt-period", required_argument, NULL, A_RTP },
                { "cpu-rt-runtime", required_argument, NULL, A_RTR },
                { "cpu-share", required_argument, NULL, A_SHARES },
                { "cpuset-cpus", required_argument, NULL, A_CPUS },
                { "cpuset-mems", required_argument, NULL, A_MEMS },
                { "kernel-memory", required_argument, NULL, A_KMEM },
                { "kernel-memory-tcp", required_argument, NULL, A_KTCP },
                { "memory", required_argument, NULL, A_MEM },
                { "memory-reservation", required_argument, NULL, A_MEMRES },
                { "memory-swap", required_argument, NULL, A_SWAP },
                { "pids-limit", required_argument, NULL, A_PIDS },
                { "l3-cache-schema", required_argument, NULL, A_L3 },
                { "mem-bw-schema", required_argument, NULL, A_MBW },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        _cleanup_(cgroup_resources_freep) CgroupResources *res = NULL, *flags = NULL;
        _cleanup_free_ char *text = NULL;
        const char *file = NULL, *cpus = NULL, *mems = NULL;
        int64_t v, blkio = CGROUP_UNSET, pids = CGROUP_UNSET;
        int64_t m[3] = { CGROUP_UNSET, CGROUP_UNSET, CGROUP_UNSET }; /* limit, reservation, swap */
        int64_t cp[5] = { CGROUP_UNSET, CGROUP_UNSET, CGROUP_UNSET, CGROUP_UNSET, CGROUP_UNSET };
        static const char *const cpu_keys[5] = { "period", "quota", "realtimePeriod", "realtimeRuntime", "shares" };
        bool any = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "+r:h", options, NULL)) >= 0) {
                any = any || c != 'r';
                switch (c) {
                case 'r':
                        file = optarg;
                        break;
                case A_BLKIO:
                case A_PIDS:
                case A_PERIOD:
                case A_QUOTA:
                case A_RTP:
                case A_RTR:
                case A_SHARES: {
                        int k;

                        if (safe_atoi(optarg, &k) < 0 && !(optarg[0] == '-' && safe_atoi(optarg + 1, &k) >= 0))
                                return cg_usage("update", "expected a number");
                        v = optarg[0] == '-' ? -(int64_t) k : k;
                        if (c == A_BLKIO)
                                blkio = v;
                        else if (c == A_PIDS)
                                pids = v;
                        else
                                cp[c - A_PERIOD] = v;
                        break;
                }
                case A_CPUS:
                        cpus = optarg;
                        break;
                case A_MEMS:
                        mems = optarg;
                        break;
                case A_MEM:
                case A_MEMRES:
                case A_SWAP:
                        if (parse_bytes(optarg, &v) < 0)
                                return cg_usage("update", "expected a size like 64m");
                        m[c == A_MEM ? 0 : c == A_MEMRES ? 1 : 2] = v;
                        break;
                case A_KMEM:
                case A_KTCP:
                        log_warning("berth update: --kernel-memory and --kernel-memory-tcp are deprecated and "
                                    "ignored (as runc)");
                        break;
                case A_L3:
                case A_MBW:
                        return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "berth update: Intel RDT is not supported");
                case 'h':
                        printf("Usage: berth update [OPTIONS] ID\n\n"
                               "Change the resource limits of a created, running or paused container.\n"
                               "  -r, --resources FILE|-   linux.resources JSON (\"-\": stdin)\n"
                               "  --memory, --memory-reservation, --memory-swap SIZE\n"
                               "  --cpu-share, --cpu-period, --cpu-quota, --cpu-rt-period, --cpu-rt-runtime N\n"
                               "  --cpuset-cpus, --cpuset-mems LIST   --pids-limit N   --blkio-weight N\n");
                        return 0;
                default:
                        return cg_usage("update", "unknown option");
                }
        }
        if (optind != argc - 1)
                return cg_usage("update", "expects exactly one container id");
        if (file) {
                r = read_resources_file(file, &text);
                if (r < 0)
                        return log_error_errno(r, "berth update: failed to read '%s': %m", file);
                r = cgroup_resources_parse(streq(file, "-") ? "stdin" : file, "", text, &res);
        } else
                r = cgroup_resources_parse("berth update", "", NULL, &res);
        if (r < 0)
                return r;
        if (!file && !any)
                return cg_usage("update", "nothing to update: give --resources or a limit");
        /* The flags, as JSON through the same checks; they override --resources (as runc). */
        {
                char buf[1024];
                size_t o = 0;

                o += (size_t) snprintf(buf + o, sizeof buf - o, "{\"memory\":{");
                for (int i = 0; i < 3; i++)
                        if (m[i] != CGROUP_UNSET)
                                o += (size_t) snprintf(buf + o, sizeof buf - o, "%s\"%s\":%" PRIi64,
                                                       buf[o - 1] == '{' ? "" : ",",
                                                       i == 0 ? "limit" : i == 1 ? "reservation" : "swap", m[i]);
                o += (size_t) snprintf(buf + o, sizeof buf - o, "},\"cpu\":{");
                for (int i = 0; i < 5; i++)
                        if (cp[i] != CGROUP_UNSET)
                                o += (size_t) snprintf(buf + o, sizeof buf - o, "%s\"%s\":%" PRIi64,
                                                       buf[o - 1] == '{' ? "" : ",", cpu_keys[i], cp[i]);
                if (cpus && !strpbrk(cpus, "\"\\"))
                        o += (size_t) snprintf(buf + o, sizeof buf - o, "%s\"cpus\":\"%.64s\"",
                                               buf[o - 1] == '{' ? "" : ",", cpus);
                if (mems && !strpbrk(mems, "\"\\"))
                        o += (size_t) snprintf(buf + o, sizeof buf - o, "%s\"mems\":\"%.64s\"",
                                               buf[o - 1] == '{' ? "" : ",", mems);
                o += (size_t) snprintf(buf + o, sizeof buf - o, "}");
                if (pids != CGROUP_UNSET)
                        o += (size_t) snprintf(buf + o, sizeof buf - o, ",\"pids\":{\"limit\":%" PRIi64 "}", pids);
                if (blkio != CGROUP_UNSET)
                        o += (size_t) snprintf(buf + o, sizeof buf - o, ",\"blockIO\":{\"weight\":%" PRIi64 "}", blkio);
                snprintf(buf + o, sizeof buf - o, "}");
                r = cgroup_resources_parse("berth update", "", buf, &flags);
                if (r < 0)
                        return r;
        }
        r = cgroup_resources_merge(res, flags);
        if (r < 0)
                return log_oom();
        return container_update(g->root, argv[optind], res);
}

/* ---- events ---- */

static void print_stats(const char *id, const CgroupStats *s) {
        printf("{\"type\":\"stats\",\"id\":\"%s\",\"data\":{", id);
        printf("\"cpu\":{\"usage\":{\"total\":%" PRIu64 ",\"kernel\":%" PRIu64 ",\"user\":%" PRIu64 "},"
               "\"throttling\":{\"periods\":%" PRIu64 ",\"throttledPeriods\":%" PRIu64 ",\"throttledTime\":%" PRIu64
               "}},",
               s->cpu_usage_ns, s->cpu_system_ns, s->cpu_user_ns, s->cpu_periods, s->cpu_throttled_periods,
               s->cpu_throttled_ns);
        printf("\"memory\":{\"cache\":%" PRIu64 ",\"usage\":{\"limit\":%" PRIu64 ",\"usage\":%" PRIu64
               ",\"max\":%" PRIu64 ",\"failcnt\":%" PRIu64 "}",
               s->memory_cache, s->memory_limit, s->memory_usage, s->memory_max_usage, s->memory_failcnt);
        if (s->has_swap)
                printf(",\"swap\":{\"limit\":%" PRIu64 ",\"usage\":%" PRIu64 "}", s->memory_swap_limit,
                       s->memory_swap_usage);
        printf("},\"pids\":{\"current\":%" PRIu64, s->pids_current);
        if (s->pids_limit != UINT64_MAX)
                printf(",\"limit\":%" PRIu64, s->pids_limit);
        printf("},\"blkio\":{},\"hugetlb\":{}}}\n");
        fflush(stdout);
}

int verb_events(int argc, char **argv, const GlobalOptions *g) {
        static const struct option options[] = {
                { "stats", no_argument, NULL, 's' },
                { "interval", required_argument, NULL, 'i' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        bool stats_once = false;
        uint64_t interval_ms = 5000, oom_seen = 0;
        CgroupStats s;
        const char *id;
        int c, r;

        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 's':
                        stats_once = true;
                        break;
                case 'i': {
                        uint64_t v;
                        size_t l = strlen(optarg);
                        _cleanup_free_ char *n = strdup(optarg);

                        if (!n)
                                return log_oom();
                        /* "5s", "500ms", "1m" (Go durations, the common ones) */
                        if (l > 2 && streq(n + l - 2, "ms") && (n[l - 2] = 0, safe_atou64(n, &v)) >= 0)
                                interval_ms = v;
                        else if (l > 1 && n[l - 1] == 's' && (n[l - 1] = 0, safe_atou64(n, &v)) >= 0)
                                interval_ms = v * 1000;
                        else if (l > 1 && n[l - 1] == 'm' && (n[l - 1] = 0, safe_atou64(n, &v)) >= 0)
                                interval_ms = v * 60000;
                        else
                                return cg_usage("events", "--interval: expected a duration like 5s or 500ms");
                        if (interval_ms == 0 || interval_ms > 86400000)
                                return cg_usage("events", "--interval: expected 1ms to 24h");
                        break;
                }
                case 'h':
                        printf("Usage: berth events [--stats] [--interval DURATION] ID\n\n"
                               "Print the container's stats as JSON once (--stats), or stream them every\n"
                               "interval (default 5s) with OOM events, until the container stops.\n");
                        return 0;
                default:
                        return cg_usage("events", "unknown option");
                }
        if (optind != argc - 1)
                return cg_usage("events", "expects exactly one container id");
        id = argv[optind];
        r = container_stats(g->root, id, &s);
        if (r < 0)
                return r;
        if (stats_once) {
                print_stats(id, &s);
                return 0;
        }
        oom_seen = s.memory_oom_kills;
        for (;;) {
                struct timespec ts = { .tv_sec = (time_t) (interval_ms / 1000),
                                       .tv_nsec = (long) (interval_ms % 1000) * 1000000 };

                (void) nanosleep(&ts, NULL);
                if (container_stats(g->root, id, &s) < 0)
                        return 0; /* stopped or deleted: the stream ends */
                if (s.memory_oom_kills > oom_seen) {
                        printf("{\"type\":\"oom\",\"id\":\"%s\"}\n", id);
                        oom_seen = s.memory_oom_kills;
                }
                print_stats(id, &s);
        }
}

/* ---- features ---- */

int verb_features(int argc, char **argv, const GlobalOptions *g) {
        static const char *const caps[] = {
                "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
                "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
                "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
                "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
                "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
                "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
                "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
                "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
        };
        static const char *const mount_options[] = {
                "async", "atime", "bind", "dev", "diratime", "dirsync", "exec", "loud", "mand", "noatime",
                "nodev", "nodiratime", "noexec", "nomand", "norelatime", "nostrictatime", "nosuid", "nosymfollow",
                "private", "ratime", "rbind", "rdev", "rdiratime", "relatime", "remount", "rexec", "rnoatime",
                "rnodev", "rnodiratime", "rnoexec", "rnorelatime", "rnostrictatime", "rnosuid", "rnosymfollow",
                "ro", "rprivate", "rrelatime", "rro", "rrw", "rshared", "rslave", "rstrictatime", "rsuid",
                "rsymfollow", "runbindable", "rw", "shared", "silent", "slave", "strictatime", "suid", "symfollow",
                "sync", "tmpcopyup", "unbindable",
        };
        if (argc > 1) {
                if (streq(argv[1], "-h") || streq(argv[1], "--help")) {
                        printf("Usage: berth features\n\nPrint what this runtime supports as the OCI features "
                               "JSON.\n");
                        return 0;
                }
                return cg_usage("features", "takes no arguments");
        }
        printf("{\n  \"ociVersionMin\": \"1.0.0\",\n  \"ociVersionMax\": \"1.2.0\",\n"
               "  \"hooks\": [\n    \"prestart\",\n    \"createRuntime\",\n    \"createContainer\",\n"
               "    \"startContainer\",\n    \"poststart\",\n    \"poststop\"\n  ],\n  \"mountOptions\": [");
        for (size_t i = 0; i < ELEMENTSOF(mount_options); i++)
                printf("%s\n    \"%s\"", i ? "," : "", mount_options[i]);
        printf("\n  ],\n  \"linux\": {\n    \"namespaces\": [\n      \"cgroup\",\n      \"ipc\",\n      \"mount\",\n"
               "      \"network\",\n      \"pid\",\n      \"user\",\n      \"uts\",\n      \"time\"\n    ],\n"
               "    \"capabilities\": [");
        for (size_t i = 0; i < ELEMENTSOF(caps); i++)
                printf("%s\n      \"%s\"", i ? "," : "", caps[i]);
        printf("\n    ],\n    \"cgroup\": {\n      \"v1\": true,\n      \"v2\": true,\n      \"systemd\": true,\n"
               "      \"systemdUser\": false,\n      \"rdma\": false\n    },\n"
               "    \"seccomp\": {\n      \"enabled\": true,\n      \"actions\": [");
        for (int i = 0; i < _SPEC_SECCOMP_ACT_MAX; i++)
                printf("%s\n        \"%s\"", i ? "," : "", spec_seccomp_action_to_string(i));
        printf("\n      ],\n      \"operators\": [");
        for (int i = 0; i < _SPEC_SECCOMP_OP_MAX; i++)
                printf("%s\n        \"%s\"", i ? "," : "", spec_seccomp_op_to_string(i));
        printf("\n      ],\n      \"archs\": [");
        for (int i = 0; i < _SPEC_SECCOMP_ARCH_MAX; i++)
                printf("%s\n        \"%s\"", i ? "," : "", spec_seccomp_arch_to_string(i));
        /* What this host can apply: a label for an LSM it lacks is refused at create. */
        printf("\n      ]\n    },\n"
               "    \"apparmor\": {\n      \"enabled\": %s\n    },\n"
               "    \"selinux\": {\n      \"enabled\": %s\n    },\n"
               "    \"intelRdt\": {\n      \"enabled\": false\n    }\n  },\n",
               lsm_apparmor_enabled() ? "true" : "false", lsm_selinux_enabled() ? "true" : "false");
        printf("  \"annotations\": {\n    \"io.github.berth.version\": \"0.1\"\n  },\n"
               "  \"potentiallyUnsafeConfigAnnotations\": [\n    \"org.systemd.property.\"\n  ]\n}\n");
        return 0;
}
