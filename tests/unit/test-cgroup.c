/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pure parts of the cgroup managers: linux.resources parsing, conversions, v1/v2 files, unit
 * properties, device rules and programs, cgroupsPath forms. */
#include <linux/bpf.h>
#include <math.h>

#include "cgroup.h"
#include "log.h"
#include "tests.h"

static CgroupResources *parse(const char *json) {
        CgroupResources *r = NULL;

        if (cgroup_resources_parse("test", "linux.resources", json, &r) < 0)
                return NULL;
        return r;
}

static const char *find_write(const CgroupWrites *w, const char *file) {
        for (size_t i = 0; i < w->n; i++)
                if (streq(w->w[i].file, file))
                        return w->w[i].value;
        return NULL;
}

static const UnitProperty *find_prop(const UnitProperties *p, const char *name) {
        for (size_t i = 0; i < p->n; i++)
                if (streq(p->p[i].name, name))
                        return &p->p[i];
        return NULL;
}

/* cgroup_cpu_shares_to_weight() computes without libm: the same as libm's log2() and pow(), the way
 * crun computes it, for every value it can be given. */
static void test_shares_to_weight_all(void) {
        uint64_t first_bad = 0, n_bad = 0;

        for (uint64_t s = 3; s < 262144; s++) {
                double l = log2((double) s), e = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;

                if (cgroup_cpu_shares_to_weight(s) != (uint64_t) ceil(pow(10, e))) {
                        if (n_bad++ == 0)
                                first_bad = s;
                }
        }
        if (n_bad > 0)
                printf("# %" PRIu64 " shares values differ from libm's, the first: %" PRIu64 "\n", n_bad,
                       first_bad);
        ASSERT_EQ(n_bad, 0);
}

static void test_conversions(void) {
        int64_t v;

        /* runc/crun's formula: the default 1024 shares are the default weight 100 (the old linear one gave 39) */
        ASSERT_EQ(cgroup_cpu_shares_to_weight(0), 0);
        ASSERT_EQ(cgroup_cpu_shares_to_weight(2), 1);
        ASSERT_EQ(cgroup_cpu_shares_to_weight(1024), 100);
        ASSERT_EQ(cgroup_cpu_shares_to_weight(512), 59);
        ASSERT_EQ(cgroup_cpu_shares_to_weight(262144), 10000);
        ASSERT_EQ(cgroup_cpu_quota_to_per_sec(50000, 100000), 500000);
        ASSERT_EQ(cgroup_cpu_quota_to_per_sec(12345, 100000), 130000); /* rounded up to 10 ms */
        ASSERT_EQ(cgroup_cpu_quota_to_per_sec(-1, 100000), UINT64_MAX);
        ASSERT_EQ(cgroup_cpu_quota_to_per_sec(20000, 0), 200000);
        ASSERT_OK(cgroup_memory_swap_to_v2(200, 100, &v));
        ASSERT_EQ(v, 100);
        ASSERT_OK(cgroup_memory_swap_to_v2(-1, 100, &v));
        ASSERT_EQ(v, INT64_MAX);
        ASSERT_EQ(cgroup_memory_swap_to_v2(50, 100, &v), -EINVAL);
        ASSERT_EQ(cgroup_memory_swap_to_v2(50, CGROUP_UNSET, &v), -EINVAL);
        ASSERT_EQ(cgroup_blkio_weight_to_io(10), 1);
        ASSERT_EQ(cgroup_blkio_weight_to_io(1000), 10000);
        ASSERT_EQ(cgroup_blkio_weight_to_io(500), 4950);
        ASSERT_EQ(cgroup_pids_to_tasks_max(0), 1);
        ASSERT_EQ(cgroup_pids_to_tasks_max(-1), UINT64_MAX);
        ASSERT_EQ(cgroup_pids_to_tasks_max(10), 10);
}

static void test_cpu_mask(void) {
        uint8_t *m = NULL;
        size_t n = 0;

        ASSERT_OK(cgroup_cpu_list_to_mask("0-3,9", &m, &n));
        ASSERT_EQ(n, 2);
        ASSERT_EQ(m[0], 0x0f);
        ASSERT_EQ(m[1], 0x02);
        free(m);
        ASSERT_EQ(cgroup_cpu_list_to_mask("3-1", &m, &n), -EINVAL);
        ASSERT_EQ(cgroup_cpu_list_to_mask("a", &m, &n), -EINVAL);
        ASSERT_EQ(cgroup_cpu_list_to_mask("", &m, &n), -EINVAL);
}

static void test_v1_v2(void) {
        CgroupWrites w = {};
        CgroupResources *r = parse("{\"memory\":{\"limit\":67108864,\"swap\":134217728,\"reservation\":1000,"
                                   "\"swappiness\":10},\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000,"
                                   "\"cpus\":\"0\"},\"pids\":{\"limit\":10},\"blockIO\":{\"weight\":500,"
                                   "\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":1048576}]},"
                                   "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":2097152}],"
                                   "\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                                   "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rw\"}]}");

        ASSERT_TRUE(r);
        if (!r)
                return;
        ASSERT_OK(cgroup_resources_to_v1(r, &w));
        ASSERT_STREQ(find_write(&w, "memory.limit_in_bytes"), "67108864");
        ASSERT_STREQ(find_write(&w, "memory.memsw.limit_in_bytes"), "134217728");
        ASSERT_STREQ(find_write(&w, "memory.soft_limit_in_bytes"), "1000");
        ASSERT_STREQ(find_write(&w, "memory.swappiness"), "10");
        ASSERT_STREQ(find_write(&w, "cpu.shares"), "1024");
        ASSERT_STREQ(find_write(&w, "cpu.cfs_quota_us"), "50000");
        ASSERT_STREQ(find_write(&w, "cpuset.cpus"), "0");
        ASSERT_STREQ(find_write(&w, "pids.max"), "10");
        ASSERT_STREQ(find_write(&w, "blkio.weight"), "500");
        ASSERT_STREQ(find_write(&w, "blkio.throttle.read_bps_device"), "8:0 1048576");
        ASSERT_STREQ(find_write(&w, "hugetlb.2MB.limit_in_bytes"), "2097152");
        ASSERT_STREQ(find_write(&w, "devices.deny"), "a");
        ASSERT_STREQ(find_write(&w, "devices.allow"), "c 1:3 rw");
        cgroup_writes_done(&w);

        /* v2 refuses swappiness: never silently dropped */
        ASSERT_EQ(cgroup_resources_to_v2(r, &w), -EOPNOTSUPP);
        r->memory_swappiness = CGROUP_UNSET;
        ASSERT_OK(cgroup_resources_to_v2(r, &w));
        ASSERT_STREQ(find_write(&w, "memory.max"), "67108864");
        ASSERT_STREQ(find_write(&w, "memory.swap.max"), "67108864");
        ASSERT_STREQ(find_write(&w, "memory.low"), "1000");
        ASSERT_STREQ(find_write(&w, "cpu.weight"), "100");
        ASSERT_STREQ(find_write(&w, "cpu.max"), "50000 100000");
        ASSERT_STREQ(find_write(&w, "pids.max"), "10");
        ASSERT_STREQ(find_write(&w, "io.weight"), "default 4950");
        ASSERT_STREQ(find_write(&w, "io.max"), "8:0 rbps=1048576");
        ASSERT_STREQ(find_write(&w, "hugetlb.2MB.max"), "2097152");
        cgroup_writes_done(&w);
        cgroup_resources_free(r);

        r = parse("{\"unified\":{\"memory.high\":\"1000000\"},\"pids\":{\"limit\":-1}}");
        ASSERT_TRUE(r);
        ASSERT_EQ(cgroup_resources_to_v1(r, &w), -EOPNOTSUPP);
        ASSERT_OK(cgroup_resources_to_v2(r, &w));
        ASSERT_STREQ(find_write(&w, "memory.high"), "1000000");
        ASSERT_STREQ(find_write(&w, "pids.max"), "max");
        cgroup_writes_done(&w);
        cgroup_resources_free(r);
}

static void test_unit(void) {
        UnitProperties p = {};
        const UnitProperty *x;
        CgroupResources *r = parse("{\"memory\":{\"limit\":67108864,\"swap\":134217728},\"cpu\":{\"shares\":1024,"
                                   "\"quota\":12345,\"period\":100000,\"cpus\":\"0-1\"},\"pids\":{\"limit\":0},"
                                   "\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                                   "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"},"
                                   "{\"allow\":true,\"type\":\"c\",\"major\":-1,\"minor\":-1,\"access\":\"m\"}]}");
        char *annotations[] = { "org.systemd.property.TimeoutStopUSec", "uint64 5000000",
                                "org.systemd.property.CollectMode", "'inactive'", "other", "x", NULL };
        char *bad[] = { "org.systemd.property.Foo", "what is this", NULL };

        ASSERT_TRUE(r);
        if (!r)
                return;
        ASSERT_OK(cgroup_resources_to_unit(r, &p));
        ASSERT_TRUE((x = find_prop(&p, "MemoryMax")) && x->u == 67108864);
        ASSERT_TRUE((x = find_prop(&p, "MemorySwapMax")) && x->u == 67108864);
        ASSERT_TRUE((x = find_prop(&p, "CPUWeight")) && x->u == 100);
        ASSERT_TRUE((x = find_prop(&p, "CPUQuotaPerSecUSec")) && x->u == 130000);
        ASSERT_TRUE((x = find_prop(&p, "TasksMax")) && x->u == 1);
        ASSERT_TRUE((x = find_prop(&p, "AllowedCPUs")) && x->n_bytes == 1 && x->bytes[0] == 3);
        ASSERT_TRUE((x = find_prop(&p, "DevicePolicy")) && streq(x->s, "strict"));
        ASSERT_TRUE((x = find_prop(&p, "DeviceAllow")) && x->list && streq(x->list[0], "/dev/char/1:3") &&
                    streq(x->list[1], "rwm") && streq(x->list[2], "char-*") && streq(x->list[3], "m"));
        ASSERT_OK(cgroup_unit_properties_from_annotations(annotations, &p));
        ASSERT_TRUE((x = find_prop(&p, "TimeoutStopUSec")) && x->type == UNIT_PROPERTY_UINT64 && x->u == 5000000);
        ASSERT_TRUE((x = find_prop(&p, "CollectMode")) && x->type == UNIT_PROPERTY_STRING && streq(x->s, "inactive"));
        ASSERT_EQ(cgroup_unit_properties_from_annotations(bad, &p), -EINVAL);
        unit_properties_done(&p);
        /* a deny rule systemd cannot express */
        r->devices[1].allow = false;
        ASSERT_EQ(cgroup_resources_to_unit(r, &p), -EOPNOTSUPP);
        cgroup_resources_free(r);
}

/* blockIO per-device values and unified keys as unit properties; what has none is refused. */
static void test_unit_io_unified(void) {
        UnitProperties p = {};
        const UnitProperty *x;
        CgroupResources *r = parse("{\"blockIO\":{\"weight\":500,\"weightDevice\":[{\"major\":8,\"minor\":0,"
                                   "\"weight\":100}],\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,"
                                   "\"rate\":1048576}],\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":16,"
                                   "\"rate\":300}]},\"memory\":{\"limit\":1000000},"
                                   "\"unified\":{\"memory.high\":\"500000\",\"memory.max\":\"max\","
                                   "\"cpu.max\":\"25000 50000\",\"cpu.weight\":\"300\",\"io.weight\":\"default 7\","
                                   "\"pids.max\":\"42\",\"cpuset.mems\":\"0\"}}");
        const UnitProperty *last = NULL;

        ASSERT_TRUE(r);
        if (!r)
                return;
        ASSERT_OK(cgroup_resources_to_unit(r, &p));
        ASSERT_TRUE((x = find_prop(&p, "IODeviceWeight")) && x->type == UNIT_PROPERTY_DEVICE_VALUES &&
                    streq(x->list[0], "/dev/block/8:0") && !x->list[1] && x->values[0] == 910);
        ASSERT_TRUE((x = find_prop(&p, "IOReadBandwidthMax")) && streq(x->list[0], "/dev/block/8:0") &&
                    x->values[0] == 1048576);
        ASSERT_TRUE((x = find_prop(&p, "IOWriteIOPSMax")) && streq(x->list[0], "/dev/block/8:16") && x->values[0] == 300);
        ASSERT_TRUE(!find_prop(&p, "IOWriteBandwidthMax"));
        ASSERT_TRUE((x = find_prop(&p, "MemoryHigh")) && x->u == 500000);
        /* unified comes last and wins over memory.limit */
        for (size_t i = 0; i < p.n; i++)
                if (streq(p.p[i].name, "MemoryMax"))
                        last = &p.p[i];
        ASSERT_TRUE(last && last->u == UINT64_MAX);
        ASSERT_TRUE((x = find_prop(&p, "CPUQuotaPerSecUSec")) && x->u == 500000);
        ASSERT_TRUE((x = find_prop(&p, "CPUQuotaPeriodUSec")) && x->u == 50000);
        ASSERT_TRUE((x = find_prop(&p, "CPUWeight")) && x->u == 300);
        ASSERT_TRUE((x = find_prop(&p, "TasksMax")) && x->u == 42);
        ASSERT_TRUE((x = find_prop(&p, "AllowedMemoryNodes")) && x->n_bytes == 1 && x->bytes[0] == 1);
        unit_properties_done(&p);
        cgroup_resources_free(r);

        static const char *const refused[] = {
                "{\"unified\":{\"memory.oom.group\":\"1\"}}",     /* no property */
                "{\"unified\":{\"memory.high\":\"lots\"}}",       /* not a number */
                "{\"unified\":{\"cpu.weight\":\"0\"}}",           /* out of range */
                "{\"unified\":{\"cpu.max\":\"10 0\"}}",           /* period 0 */
                "{\"unified\":{\"cpuset.cpus\":\"3-1\"}}",        /* bad list */
                "{\"blockIO\":{\"leafWeight\":100}}",              /* no property */
        };
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                r = parse(refused[i]);
                ASSERT_TRUE(r);
                if (!r)
                        continue;
                ASSERT_TRUE(cgroup_resources_to_unit(r, &p) < 0);
                ASSERT_TRUE(p.n == 0);
                cgroup_resources_free(r);
        }
}

static void test_systemd_properties(void) {
        Cgroup cg = { .id = "c1", .slice = "machine.slice", .unit = "berth-c1.scope" };
        CgroupResources *r = parse("{\"pids\":{\"limit\":5}}");
        UnitProperties p = {};
        const UnitProperty *x;

        ASSERT_TRUE(r);
        ASSERT_OK(cgroup_systemd_properties(&cg, 4242, r, &p));
        ASSERT_STREQ(p.p[0].name, "Description");
        ASSERT_TRUE((x = find_prop(&p, "Slice")) && streq(x->s, "machine.slice"));
        ASSERT_TRUE((x = find_prop(&p, "Delegate")) && x->u == 1);
        ASSERT_TRUE((x = find_prop(&p, "PIDs")) && x->u == 4242);
        ASSERT_TRUE((x = find_prop(&p, "DefaultDependencies")) && x->u == 0);
        ASSERT_TRUE((x = find_prop(&p, "CollectMode")) && streq(x->s, "inactive-or-failed"));
        ASSERT_TRUE(find_prop(&p, "MemoryAccounting") && find_prop(&p, "TasksAccounting"));
        ASSERT_TRUE((x = find_prop(&p, "TasksMax")) && x->u == 5);
        ASSERT_TRUE(!find_prop(&p, "After"));
        unit_properties_done(&p);
        cgroup_resources_free(r);
}

static void test_parse_errors(void) {
        CgroupResources *r = NULL;

        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"memory\":{\"limit\":-2}}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"memory\":{\"limit\":99999999999999999999}}",
                                         &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"memory\":{\"limit\":\"1\"}}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"memory\":{\"limt\":1}}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"memory\":{\"limit\":100,\"swap\":50}}", &r),
                  -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"cpu\":{\"shares\":1}}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"cpu\":{\"cpus\":\"x\"}}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"unified\":{\"../x\":\"1\"}}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"unified\":{\"cgroup.procs\":\"1\"}}", &r),
                  -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"devices\":[{\"allow\":true,\"access\":\"x\"}]}",
                                         &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"hugepageLimits\":[{\"pageSize\":\"2XB\","
                                         "\"limit\":1}]}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"network\":{\"classID\":1}}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "[1]", &r), -EINVAL);
        /* a misspelt top-level key would be a limit silently not set */
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"memry\":{\"limit\":1}}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "", "{\"pid\":{\"limit\":1}}", &r), -EINVAL);
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{", &r), -EBADMSG);
        ASSERT_OK(cgroup_resources_parse("t", "linux.resources", NULL, &r));
        ASSERT_TRUE(r && cgroup_resources_limit_nothing(r));
        cgroup_resources_free(r);
}

/* update: the saved config with the update merged into linux.resources. */
static void test_update_config(void) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
        CgroupResources *r = NULL;

        /* no linux.resources yet: made; the rest of the config is kept */
        ASSERT_OK(cgroup_resources_update_config("t", "{\"ociVersion\":\"1.0.2\",\"linux\":{\"cgroupsPath\":\"/x\"}}",
                                                 "{\"memory\":{\"limit\":50331648}}", &a));
        ASSERT_STREQ(a, "{\"ociVersion\":\"1.0.2\",\"linux\":{\"cgroupsPath\":\"/x\",\"resources\":{\"memory\":"
                        "{\"limit\":50331648}}}}");
        /* a later update with another field keeps the earlier one; objects merge key by key */
        ASSERT_OK(cgroup_resources_update_config("t", a, "{\"pids\":{\"limit\":20},\"memory\":{\"swap\":-1}}", &b));
        ASSERT_STREQ(b, "{\"ociVersion\":\"1.0.2\",\"linux\":{\"cgroupsPath\":\"/x\",\"resources\":{\"memory\":"
                        "{\"limit\":50331648,\"swap\":-1},\"pids\":{\"limit\":20}}}}");
        /* unified keys add up; arrays replace; null changes nothing; devices are never rewritten */
        ASSERT_OK(cgroup_resources_update_config("t", "{\"linux\":{\"resources\":{\"unified\":{\"memory.high\":\"1\"},"
                                                 "\"devices\":[{\"allow\":false}],\"hugepageLimits\":[{\"pageSize\":"
                                                 "\"2MB\",\"limit\":1}]}}}",
                                                 "{\"unified\":{\"pids.max\":\"5\"},\"devices\":[],\"hugepageLimits\":"
                                                 "[],\"cpu\":null}", &c));
        ASSERT_STREQ(c, "{\"linux\":{\"resources\":{\"unified\":{\"memory.high\":\"1\",\"pids.max\":\"5\"},"
                        "\"devices\":[{\"allow\":false}],\"hugepageLimits\":[]}}}");
        /* "resources": null is replaced */
        ASSERT_OK(cgroup_resources_update_config("t", "{\"linux\":{\"resources\":null}}", "{\"cpu\":{\"cpus\":\"0\"}}",
                                                 &d));
        ASSERT_STREQ(d, "{\"linux\":{\"resources\":{\"cpu\":{\"cpus\":\"0\"}}}}");
        ASSERT_EQ(cgroup_resources_update_config("t", "{\"linux\":[]}", "{}", &d), -EINVAL);
        ASSERT_EQ(cgroup_resources_update_config("t", "{\"linux\":{\"resources\":1}}", "{}", &d), -EINVAL);
        ASSERT_EQ(cgroup_resources_update_config("t", "{", "{}", &d), -EBADMSG);
        /* the merged limits are checked as a whole by the caller: a swap below the new limit */
        ASSERT_EQ(cgroup_resources_parse("t", "linux.resources", "{\"memory\":{\"limit\":100,\"swap\":50}}", &r),
                  -EINVAL);
}

/* The kernel's verifier refuses a program with an instruction no path reaches. */
static bool all_reachable(const struct bpf_insn *insns, size_t n) {
        bool seen[512] = {}, changed = true;

        if (n == 0 || n > 512)
                return false;
        seen[0] = true;
        while (changed) {
                changed = false;
                for (size_t i = 0; i < n; i++) {
                        uint8_t c = insns[i].code;
                        size_t next[2], nn = 0;

                        if (!seen[i] || c == (BPF_JMP | BPF_EXIT))
                                continue;
                        if (BPF_CLASS(c) == BPF_JMP) {
                                next[nn++] = i + 1 + (size_t) insns[i].off;
                                if (BPF_OP(c) != BPF_JA)
                                        next[nn++] = i + 1;
                        } else
                                next[nn++] = i + 1;
                        for (size_t k = 0; k < nn; k++)
                                if (next[k] < n && !seen[next[k]])
                                        seen[next[k]] = changed = true;
                }
        }
        for (size_t i = 0; i < n; i++)
                if (!seen[i])
                        return false;
        return true;
}

static void test_devices(void) {
        CgroupDeviceRule d = { .allow = true, .type = 'c', .major = 136, .minor = CGROUP_WILDCARD, .access = "rwm" };
        CgroupResources *r = parse("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}");
        struct bpf_insn *insns = NULL;
        char buf[64];
        size_t n = 0;

        ASSERT_STREQ(cgroup_device_rule_v1(&d, buf), "c 136:* rwm");
        d = (CgroupDeviceRule) { .allow = false, .type = 'a', .major = -1, .minor = -1, .access = "rwm" };
        ASSERT_STREQ(cgroup_device_rule_v1(&d, buf), "a");
        ASSERT_TRUE(r);
        ASSERT_OK(cgroup_resources_add_default_devices(r));
        ASSERT_EQ(r->n_devices, 13);
        ASSERT_OK(cgroup_devices_program(r->devices, r->n_devices, &insns, &n));
        /* 6 loads, the rules, the final deny: ends in "r0 = 0; exit" */
        ASSERT_TRUE(n > 20);
        ASSERT_EQ(insns[n - 1].code, BPF_JMP | BPF_EXIT);
        ASSERT_EQ(insns[n - 2].imm, 0);
        ASSERT_TRUE(all_reachable(insns, n));
        free(insns);
        cgroup_resources_free(r);

        /* a rule for every device (podman --privileged: allow all) decides alone: nothing after
         * it, no unreachable final deny */
        r = parse("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"access\":\"rwm\"}]}");
        ASSERT_TRUE(r);
        ASSERT_OK(cgroup_devices_program(r->devices, r->n_devices, &insns, &n));
        ASSERT_EQ(n, 8); /* 6 loads, r0 = 1, exit */
        ASSERT_EQ(insns[n - 2].imm, 1);
        ASSERT_TRUE(all_reachable(insns, n));
        free(insns);
        cgroup_resources_free(r);

        /* deny-all first and rules after it: the deny-all, checked last, is the end */
        r = parse("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\","
                  "\"major\":1,\"minor\":3,\"access\":\"rwm\"}]}");
        ASSERT_TRUE(r);
        ASSERT_OK(cgroup_devices_program(r->devices, r->n_devices, &insns, &n));
        ASSERT_EQ(insns[n - 2].imm, 0);
        ASSERT_TRUE(all_reachable(insns, n));
        free(insns);
        cgroup_resources_free(r);
}

static void test_paths(void) {
        char *p = NULL, *slice = NULL, *unit = NULL;

        ASSERT_OK(cgroup_path_for_fs(NULL, "c1", &p));
        ASSERT_STREQ(p, "/c1");
        free(p);
        ASSERT_OK(cgroup_path_for_fs("/libpod_parent/libpod-x/", "c1", &p));
        ASSERT_STREQ(p, "/libpod_parent/libpod-x");
        free(p);
        ASSERT_EQ(cgroup_path_for_fs("/a/../b", "c1", &p), -EINVAL);
        ASSERT_EQ(cgroup_path_for_fs("/a//b", "c1", &p), -EINVAL);
        ASSERT_OK(cgroup_path_for_systemd(NULL, "c1", &slice, &unit));
        ASSERT_STREQ(slice, "machine.slice");
        ASSERT_STREQ(unit, "berth-c1.scope");
        free(slice);
        free(unit);
        ASSERT_OK(cgroup_path_for_systemd("system.slice:docker:abc", "c1", &slice, &unit));
        ASSERT_STREQ(slice, "system.slice");
        ASSERT_STREQ(unit, "docker-abc.scope");
        free(slice);
        free(unit);
        ASSERT_OK(cgroup_path_for_systemd(":berth:abc", "c1", &slice, &unit));
        ASSERT_STREQ(slice, "machine.slice");
        free(slice);
        free(unit);
        ASSERT_EQ(cgroup_path_for_systemd("/foo/bar", "c1", &slice, &unit), -EINVAL);
        ASSERT_EQ(cgroup_path_for_systemd("a:b:c:d", "c1", &slice, &unit), -EINVAL);
        ASSERT_EQ(cgroup_path_for_systemd("x.slice:b/c:d", "c1", &slice, &unit), -EINVAL);
        ASSERT_EQ(cgroup_path_for_systemd("notaslice:b:d", "c1", &slice, &unit), -EINVAL);
        ASSERT_TRUE(cgroup_path_valid("/a/b"));
        ASSERT_TRUE(!cgroup_path_valid("a/b"));
        ASSERT_TRUE(!cgroup_path_valid("/a/.."));
        ASSERT_TRUE(!cgroup_path_valid("/"));
        ASSERT_EQ(cgroup_manager_type_from_string("cgroupfs"), CGROUP_MANAGER_CGROUPFS);
        ASSERT_EQ(cgroup_manager_type_from_string("nope"), _CGROUP_MANAGER_INVALID);
        ASSERT_STREQ(cgroup_manager_type_to_string(CGROUP_MANAGER_SYSTEMD), "systemd");
}

int main(void) {
        log_set_max_level(LOG_CRIT);
        test_conversions();
        test_shares_to_weight_all();
        test_cpu_mask();
        test_v1_v2();
        test_unit();
        test_unit_io_unified();
        test_systemd_properties();
        test_parse_errors();
        test_update_config();
        test_devices();
        test_paths();
        return tests_done();
}
