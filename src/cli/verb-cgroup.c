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

/* A decimal integer, negative allowed; -ERANGE past int64. */
static int parse_int64(const char *s, int64_t *ret) {
        uint64_t v;
        int r;

        r = safe_atou64(s[0] == '-' ? s + 1 : s, &v);
        if (r < 0)
                return r;
        if (v > INT64_MAX)
                return -ERANGE;
        *ret = s[0] == '-' ? -(int64_t) v : (int64_t) v;
        return 0;
}

/* One flag as a resources JSON object: {"memory":{"limit":N}}. */
typedef struct UpdateFlag {
        const char *name;     /* "memory" (--memory) */
        const char *object;   /* "memory" */
        const char *key;      /* "limit" */
        bool size;            /* "64m"; else an integer */
        bool string;          /* a list: "0-3" */
} UpdateFlag;

static const UpdateFlag update_flags[] = {
        { "blkio-weight", "blockIO", "weight" },
        { "cpu-period", "cpu", "period" },
        { "cpu-quota", "cpu", "quota" },
        { "cpu-rt-period", "cpu", "realtimePeriod" },
        { "cpu-rt-runtime", "cpu", "realtimeRuntime" },
        { "cpu-share", "cpu", "shares" },
        { "cpuset-cpus", "cpu", "cpus", .string = true },
        { "cpuset-mems", "cpu", "mems", .string = true },
        { "memory", "memory", "limit", .size = true },
        { "memory-reservation", "memory", "reservation", .size = true },
        { "memory-swap", "memory", "swap", .size = true },
        { "pids-limit", "pids", "limit" },
};

/* Check one flag's value on its own (so the error names the flag), then add "key":value to the
 * object's member list in parts. */
static int update_flag(const UpdateFlag *f, const char *arg, char *parts[static ELEMENTSOF(update_flags)],
                       size_t i) {
        _cleanup_(cgroup_resources_freep) CgroupResources *one = NULL;
        _cleanup_free_ char *member = NULL, *json = NULL;
        char what[64];
        int64_t v;
        int r;

        snprintf(what, sizeof what, "berth update --%s", f->name);
        if (f->string) {
                if (strlen(arg) > 4096 || strpbrk(arg, "\"\\") || arg[strcspn(arg, "\x01\x02\x03\x04\x05\x06"
                                                                         "\x07\x08\t\n\v\f\r")])
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: expected a list like 0-3,6",
                                               what);
                r = asprintf(&member, "\"%s\":\"%s\"", f->key, arg);
        } else {
                r = f->size ? parse_bytes(arg, &v) : parse_int64(arg, &v);
                if (r < 0)
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: '%s': expected %s", what, arg,
                                               f->size ? "a size like 64m, or -1 for unlimited" :
                                                         "an integer");
                r = asprintf(&member, "\"%s\":%" PRIi64, f->key, v);
        }
        if (r < 0 || asprintf(&json, "{\"%s\":{%s}}", f->object, member) < 0)
                return log_oom();
        r = cgroup_resources_parse(what, "", json, &one);
        if (r < 0)
                return r;
        free(parts[i]);
        parts[i] = TAKE_PTR(member);
        return 0;
}

/* The flags as one resources object, NULL if none was given. */
static int update_flags_json(char *const parts[static ELEMENTSOF(update_flags)], char **ret) {
        static const char *const objects[] = { "blockIO", "cpu", "memory", "pids" };
        _cleanup_free_ char *json = NULL;
        size_t len = 0;
        FILE *f;

        f = open_memstream(&json, &len);
        if (!f)
                return log_oom();
        for (size_t o = 0; o < ELEMENTSOF(objects); o++) {
                bool first = true;

                for (size_t i = 0; i < ELEMENTSOF(update_flags); i++) {
                        if (!parts[i] || !streq(update_flags[i].object, objects[o]))
                                continue;
                        fprintf(f, "%s%s%s", first ? (len > 0 || ftell(f) > 0 ? "},\"" : "{\"") : ",",
                                first ? objects[o] : "", first ? "\":{" : "");
                        fputs(parts[i], f);
                        first = false;
                }
        }
        if (ftell(f) > 0)
                fputs("}}", f);
        if (fclose(f) != 0)
                return log_oom();
        *ret = len > 0 ? TAKE_PTR(json) : NULL;
        return 0;
}

static void update_parts_free(char *(*parts)[ELEMENTSOF(update_flags)]) {
        for (size_t i = 0; i < ELEMENTSOF(update_flags); i++)
                free((*parts)[i]);
}

int verb_update(int argc, char **argv, const GlobalOptions *g) {
        enum { A_FLAG = 0x100, A_KMEM = 0x200, A_KTCP, A_L3, A_MBW };
        static const struct option options[] = {
                { "resources", required_argument, NULL, 'r' },
                { "blkio-weight", required_argument, NULL, A_FLAG + 0 },
                { "cpu-period", required_argument, NULL, A_FLAG + 1 },
                { "cpu-quota", required_argument, NULL, A_FLAG + 2 },
                { "cpu-rt-period", required_argument, NULL, A_FLAG + 3 },
                { "cpu-rt-runtime", required_argument, NULL, A_FLAG + 4 },
                { "cpu-share", required_argument, NULL, A_FLAG + 5 },
                { "cpuset-cpus", required_argument, NULL, A_FLAG + 6 },
                { "cpuset-mems", required_argument, NULL, A_FLAG + 7 },
                { "memory", required_argument, NULL, A_FLAG + 8 },
                { "memory-reservation", required_argument, NULL, A_FLAG + 9 },
                { "memory-swap", required_argument, NULL, A_FLAG + 10 },
                { "pids-limit", required_argument, NULL, A_FLAG + 11 },
                { "kernel-memory", required_argument, NULL, A_KMEM },
                { "kernel-memory-tcp", required_argument, NULL, A_KTCP },
                { "l3-cache-schema", required_argument, NULL, A_L3 },
                { "mem-bw-schema", required_argument, NULL, A_MBW },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        _cleanup_(update_parts_free) char *parts[ELEMENTSOF(update_flags)] = {};
        _cleanup_free_ char *text = NULL, *flags = NULL;
        const char *file = NULL;
        bool any = false;
        int c, r;

        _Static_assert(ELEMENTSOF(update_flags) == 12, "one A_FLAG per update_flags entry");
        while ((c = getopt_long(argc, argv, "+r:h", options, NULL)) >= 0) {
                any = any || c != 'r';
                switch (c) {
                case 'r':
                        file = optarg;
                        break;
                case A_FLAG ... A_FLAG + 11:
                        r = update_flag(&update_flags[c - A_FLAG], optarg, parts, (size_t) (c - A_FLAG));
                        if (r < 0)
                                return r;
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
                               "Change the resource limits of a created, running or paused container, and\n"
                               "record them in its saved config (a later update keeps them).\n"
                               "  -r, --resources FILE|-   linux.resources JSON (\"-\": stdin); flags override it\n"
                               "  --memory, --memory-reservation, --memory-swap SIZE (-1: unlimited)\n"
                               "  --cpu-share, --cpu-period, --cpu-quota, --cpu-rt-period, --cpu-rt-runtime N\n"
                               "  --cpuset-cpus, --cpuset-mems LIST   --pids-limit N   --blkio-weight N\n");
                        return 0;
                default:
                        return cg_usage("update", "unknown option");
                }
        }
        if (optind != argc - 1)
                return cg_usage("update", "expects exactly one container id");
        if (!file && !any)
                return cg_usage("update", "nothing to update: give --resources or a limit");
        if (file) {
                r = read_resources_file(file, &text);
                if (r < 0)
                        return log_error_errno(r, "berth update: failed to read '%s': %m", file);
        }
        r = update_flags_json(parts, &flags);
        if (r < 0)
                return r;
        return container_update(g->root, argv[optind],
                                file && streq(file, "-") ? "stdin" : file ?: "berth update", text, flags);
}

/* ---- events ---- */

/* The next whitespace-separated word of *p as a number; false at the end or on anything else. */
static bool next_u64(const char **p, const char *sep, uint64_t *ret) {
        char word[32];
        size_t l;

        *p += strspn(*p, sep);
        l = strcspn(*p, sep);
        if (l == 0 || l >= sizeof word)
                return false;
        memcpy(word, *p, l);
        word[l] = 0;
        *p += l;
        return safe_atou64(word, ret) >= 0;
}

/* "N N ..." (cpuacct.usage_percpu) as ,"key":[N,N,...]; nothing if empty (runc's omitempty). */
static void print_percpu(const char *key, const char *text) {
        const char *p = text;
        uint64_t v;

        if (!text || !next_u64(&p, " \t\n", &v))
                return;
        printf(",\"%s\":[%" PRIu64, key, v);
        while (next_u64(&p, " \t\n", &v))
                printf(",%" PRIu64, v);
        fputs("]", stdout);
}

/* memory.stat's "KEY VALUE" lines as runc's ,"raw":{...} (nothing if there are none). */
static void print_raw(const char *text) {
        bool first = true;

        for (const char *p = text; p && *p; p += *p == '\n') {
                size_t kl = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
                const char *v = p + kl;
                uint64_t n;

                if (kl > 0 && kl < 64 && *v == ' ' && next_u64(&v, " \n", &n) && IN_SET(*v, '\n', 0)) {
                        printf("%s\"%.*s\":%" PRIu64, first ? ",\"raw\":{" : ",", (int) kl, p, n);
                        first = false;
                }
                p += strcspn(p, "\n");
        }
        if (!first)
                fputs("}", stdout);
}

/* runc's JSON (types.Event with types.Stats): zero values it leaves out (omitempty) are left out. */
static void print_stats(const char *id, const CgroupStats *s) {
#define OPT(sep, key, v) if ((v) != 0) printf("%s\"" key "\":%" PRIu64, sep, (uint64_t) (v))
        printf("{\"type\":\"stats\",\"id\":\"%s\",\"data\":{\"cpu\":{\"usage\":{", id);
        printf("\"kernel\":%" PRIu64 ",\"user\":%" PRIu64, s->cpu_system_ns, s->cpu_user_ns);
        OPT(",", "total", s->cpu_usage_ns);
        print_percpu("percpu", s->cpu_percpu);
        print_percpu("percpu_kernel", s->cpu_percpu_sys);
        print_percpu("percpu_user", s->cpu_percpu_user);
        printf("},\"throttling\":{");
        if (s->cpu_periods) {
                printf("\"periods\":%" PRIu64, s->cpu_periods);
                OPT(",", "throttledPeriods", s->cpu_throttled_periods);
                OPT(",", "throttledTime", s->cpu_throttled_ns);
        }
        printf("}},\"memory\":{\"usage\":{\"limit\":%" PRIu64 ",\"failcnt\":%" PRIu64, s->memory_limit,
               s->memory_failcnt);
        OPT(",", "usage", s->memory_usage);
        OPT(",", "max", s->memory_max_usage);
        printf("}");
        OPT(",", "cache", s->memory_cache);
        if (s->has_swap) {
                printf(",\"swap\":{\"limit\":%" PRIu64 ",\"failcnt\":%" PRIu64, s->memory_swap_limit,
                       s->memory_swap_failcnt);
                OPT(",", "usage", s->memory_swap_usage);
                OPT(",", "max", s->memory_swap_max_usage);
                printf("}");
        }
        print_raw(s->memory_stat);
        printf("},\"pids\":{");
        if (s->pids_current) {
                printf("\"current\":%" PRIu64, s->pids_current);
                if (s->pids_limit != UINT64_MAX)
                        OPT(",", "limit", s->pids_limit);
        } else if (s->pids_limit != UINT64_MAX)
                OPT("", "limit", s->pids_limit);
        printf("},\"blkio\":{},\"hugetlb\":{}}}\n");
        fflush(stdout);
#undef OPT
}

static uint64_t now_ms(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

/* One {"type":"oom"} per rise of the cgroup's OOM kill count seen (as runc on v2). */
static void events_check_oom(const char *root, const char *id, uint64_t *seen) {
        uint64_t n;

        if (container_oom_kills(root, id, &n) < 0 || n <= *seen)
                return;
        *seen = n;
        printf("{\"type\":\"oom\",\"id\":\"%s\"}\n", id);
        fflush(stdout);
}

/* Stats every interval and OOM events as they happen, until the container stops or is deleted. The
 * OOM fd wakes us at the kill, so it is reported even when the kill ends the container before the
 * next tick; the count is read once more after the end for the same reason. */
static int events_stream(const char *root, const char *id, uint64_t interval_ms, uint64_t oom_seen) {
        _cleanup_close_ int fd = -EBADF;
        uint64_t next = now_ms() + interval_ms;

        if (container_oom_watch(root, id, &fd) < 0)
                fd = -EBADF; /* no memory controller: the count is still read every tick */
        for (;;) {
                _cleanup_(cgroup_stats_done) CgroupStats s = {};
                struct pollfd p = { .fd = fd, .events = POLLIN };
                uint64_t now = now_ms();
                int n;

                /* next - now <= interval_ms <= 24 h: fits an int */
                n = poll(&p, 1, now >= next ? 0 : (int) (next - now));
                if (n < 0 && errno != EINTR)
                        return log_error_errno(errno, "Failed to wait for events of container '%s': %m", id);
                if (n > 0 && (p.revents & POLLIN)) {
                        char buf[4096];

                        /* eventfd: one counter; inotify: events to drain. Both non-blocking. */
                        while (read(fd, buf, sizeof buf) > 0)
                                ;
                        events_check_oom(root, id, &oom_seen);
                } else if (n > 0)
                        fd = safe_close(fd); /* POLLERR/POLLHUP: the ticks still check the count */
                if (now_ms() < next)
                        continue;
                next += interval_ms;
                if (next < now_ms()) /* a late tick is not made up for */
                        next = now_ms() + interval_ms;
                if (container_stats(root, id, &s) < 0) {
                        events_check_oom(root, id, &oom_seen);
                        return 0; /* stopped or deleted: the stream ends */
                }
                if (s.memory_oom_kills > oom_seen) {
                        oom_seen = s.memory_oom_kills;
                        printf("{\"type\":\"oom\",\"id\":\"%s\"}\n", id);
                }
                print_stats(id, &s);
        }
}

int verb_events(int argc, char **argv, const GlobalOptions *g) {
        static const struct option options[] = {
                { "stats", no_argument, NULL, 's' },
                { "interval", required_argument, NULL, 'i' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        _cleanup_(cgroup_stats_done) CgroupStats s = {};
        bool stats_once = false;
        uint64_t interval_ms = 5000;
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
        return events_stream(g->root, id, interval_ms, s.memory_oom_kills);
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
