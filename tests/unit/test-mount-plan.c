/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* mount-plan: config.json "mounts" -> MountOp list (pure), and mount_flags_to_attr(). Each case
 * parses a small config with spec_parse() and builds the plan with mount_plan_build(). */

#include <fcntl.h>
#include <assert.h>
#include <linux/mount.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>

#include "log.h"
#include "mount-plan.h"
#include "mount.h"
#include "spec.h"
#include "tests.h"

#define BUNDLE "/bundles/b1"

/* Parse a minimal config with the given "mounts" array (in '-quoted JSON) and build the plan.
 * Returns mount_plan_build()'s result, or -100 if the config itself did not parse. */
static int plan_for(const char *mounts, MountPlan *ret) {
        _cleanup_(spec_freep) Spec *s = NULL;
        _cleanup_free_ char *json = NULL;
        char *raw;
        int r;

        if (asprintf(&raw, "{'ociVersion':'1.0.2','root':{'path':'rootfs'},"
                           "'process':{'args':['x'],'cwd':'/'},'linux':{'namespaces':[{'type':'mount'}]},"
                           "'mounts':%s}", mounts) < 0)
                abort();
        json = unquote(raw);
        free(raw);
        r = spec_parse("config.json", json, strlen(json), &s);
        if (r < 0) {
                printf("# spec_parse failed: %s\n", captured.message);
                return -100;
        }
        *ret = (MountPlan) {};
        return mount_plan_build(s, BUNDLE, ret);
}

static const MountOp *op_at(const MountPlan *p, size_t i) {
        return i < p->n_ops ? &p->ops[i] : NULL;
}

static void test_flags(void) {
        MountPlan p = {};
        const MountOp *op;

        capture_reset();
        ASSERT_OK(plan_for("[ { 'destination': '/a', 'type': 'tmpfs', 'source': 'tmpfs',"
                           "    'options': [ 'ro', 'nosuid', 'nodev', 'noexec' ] },"
                           "  { 'destination': '/b', 'type': 'tmpfs',"
                           "    'options': [ 'rw', 'suid', 'dev', 'exec' ] },"
                           "  { 'destination': '/c', 'type': 'tmpfs', 'options': [ 'ro', 'rw' ] },"
                           "  { 'destination': '/d', 'type': 'tmpfs', 'options': [ 'rw', 'ro' ] },"
                           "  { 'destination': '/e', 'type': 'tmpfs', 'options': [ 'relatime' ] },"
                           "  { 'destination': '/f', 'type': 'tmpfs', 'options': [ 'strictatime' ] },"
                           "  { 'destination': '/g', 'type': 'tmpfs', 'options': [ 'noatime', 'nodiratime' ] },"
                           "  { 'destination': '/h', 'type': 'tmpfs',"
                           "    'options': [ 'sync', 'dirsync', 'mand', 'silent', 'remount', 'defaults' ] },"
                           "  { 'destination': '/i', 'type': 'tmpfs',"
                           "    'options': [ 'atime', 'norelatime', 'nostrictatime', 'diratime', 'async',"
                           "                 'nomand', 'loud' ] } ]",
                           &p));
        ASSERT_EQ(captured.n, 0);
        ASSERT_EQ(p.n_ops, 9);
        if (p.n_ops != 9)
                goto out;

        op = op_at(&p, 0);
        ASSERT_EQ(op->type, MOUNT_OP_FS);
        ASSERT_EQ(op->flags, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
        ASSERT_EQ(op->clear, 0);
        ASSERT_TRUE(!op->data);

        op = op_at(&p, 1);
        ASSERT_EQ(op->flags, 0);
        ASSERT_EQ(op->clear, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
        ASSERT_TRUE(!op->data);
        ASSERT_STREQ(op->source, "tmpfs"); /* no source: the type */

        /* The last of a set/clear pair wins. */
        op = op_at(&p, 2);
        ASSERT_EQ(op->flags, 0);
        ASSERT_EQ(op->clear, MS_RDONLY);
        op = op_at(&p, 3);
        ASSERT_EQ(op->flags, MS_RDONLY);
        ASSERT_EQ(op->clear, 0);

        ASSERT_EQ(op_at(&p, 4)->flags, MS_RELATIME);
        ASSERT_EQ(op_at(&p, 5)->flags, MS_STRICTATIME);
        ASSERT_EQ(op_at(&p, 6)->flags, MS_NOATIME | MS_NODIRATIME);

        op = op_at(&p, 7);
        ASSERT_EQ(op->flags, MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_SILENT | MS_REMOUNT);
        ASSERT_TRUE(!op->data); /* "defaults" is accepted and not data */

        op = op_at(&p, 8);
        ASSERT_EQ(op->flags, 0);
        ASSERT_EQ(op->clear,
                  MS_NOATIME | MS_RELATIME | MS_STRICTATIME | MS_NODIRATIME | MS_SYNCHRONOUS | MS_MANDLOCK | MS_SILENT);
        ASSERT_TRUE(!op->data);
out:
        mount_plan_done(&p);
        ASSERT_TRUE(!p.ops && p.n_ops == 0);
}

static void test_option_parse(void) {
        SpecMountOptions o = {};

        ASSERT_EQ(spec_mount_option_parse("ro", &o), 1);
        ASSERT_EQ(o.set, MS_RDONLY);
        ASSERT_EQ(spec_mount_option_parse("rw", &o), 1);
        ASSERT_EQ(o.set, 0);
        ASSERT_EQ(o.clear, MS_RDONLY);
        ASSERT_EQ(spec_mount_option_parse("mode=755", &o), 0);
        ASSERT_EQ(spec_mount_option_parse("RO", &o), 0); /* case matters */
        ASSERT_EQ(spec_mount_option_parse("", &o), 0);
        ASSERT_EQ(spec_mount_option_parse("newinstance", &o), 0);
        ASSERT_EQ(spec_mount_option_parse("rnoexe", &o), 0);
        ASSERT_TRUE(!o.bind && !o.recursive && !o.copy_up);
        ASSERT_EQ(spec_mount_option_parse("bind", &o), 1);
        ASSERT_TRUE(o.bind && !o.recursive);
        ASSERT_EQ(spec_mount_option_parse("rbind", &o), 1);
        ASSERT_TRUE(o.bind && o.recursive);
        ASSERT_EQ(spec_mount_option_parse("rslave", &o), 1);
        ASSERT_EQ(o.propagation, MS_SLAVE | MS_REC);
        ASSERT_EQ(spec_mount_option_parse("private", &o), 1);
        ASSERT_EQ(o.propagation, MS_PRIVATE); /* the last propagation option wins */
        ASSERT_EQ(spec_mount_option_parse("tmpcopyup", &o), 1);
        ASSERT_TRUE(o.copy_up);
        ASSERT_EQ(spec_mount_option_parse("notmpcopyup", &o), 1);
        ASSERT_TRUE(!o.copy_up);
        ASSERT_EQ(spec_mount_option_parse("nosymfollow", &o), 1);
        ASSERT_EQ(o.set, MS_NOSYMFOLLOW);
        /* the recursive forms never touch the plain flags */
        ASSERT_EQ(o.rec_set, 0);
        ASSERT_EQ(spec_mount_option_parse("rro", &o), 1);
        ASSERT_EQ(spec_mount_option_parse("rnosuid", &o), 1);
        ASSERT_EQ(spec_mount_option_parse("rnodev", &o), 1);
        ASSERT_EQ(spec_mount_option_parse("rnoexec", &o), 1);
        ASSERT_EQ(spec_mount_option_parse("rnodiratime", &o), 1);
        ASSERT_EQ(spec_mount_option_parse("rnosymfollow", &o), 1);
        ASSERT_EQ(o.set, MS_NOSYMFOLLOW);
        ASSERT_EQ(o.rec_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                                     MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
        ASSERT_EQ(o.rec_clear, 0);
        ASSERT_EQ(spec_mount_option_parse("rrw", &o), 1); /* the later one wins */
        ASSERT_EQ(o.rec_set & MOUNT_ATTR_RDONLY, 0);
        ASSERT_EQ(o.rec_clear, MOUNT_ATTR_RDONLY);
        ASSERT_EQ(spec_mount_option_parse("rnoatime", &o), 1);
        ASSERT_EQ(o.rec_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_NOATIME);
        ASSERT_EQ(o.rec_clear, MOUNT_ATTR_RDONLY | MOUNT_ATTR__ATIME);
        ASSERT_EQ(spec_mount_option_parse("rstrictatime", &o), 1);
        ASSERT_EQ(o.rec_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_STRICTATIME);
        ASSERT_EQ(spec_mount_option_parse("rrelatime", &o), 1);
        ASSERT_EQ(o.rec_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_RELATIME);
        ASSERT_EQ(o.rec_clear & MOUNT_ATTR__ATIME, MOUNT_ATTR__ATIME);
}

/* "ro" stays a flag of the top mount; "rro" and friends are for the whole tree; tmpcopyup on a
 * tmpfs; a read-only /dev is mounted rw and made read-only later. */
static void test_recursive_copy_up_dev_ro(void) {
        MountPlan p = {};
        const MountOp *op;

        capture_reset();
        ASSERT_OK(plan_for("[ { 'destination': '/dev', 'type': 'tmpfs', 'source': 'tmpfs',"
                           "    'options': [ 'nosuid', 'ro', 'mode=755' ] },"
                           "  { 'destination': '/a', 'source': '/srv', 'options': [ 'rbind', 'ro' ] },"
                           "  { 'destination': '/b', 'source': '/srv', 'options': [ 'rbind', 'rro', 'rnosuid' ] },"
                           "  { 'destination': '/t', 'type': 'tmpfs', 'options': [ 'tmpcopyup', 'ro', 'size=1m' ] } ]",
                           &p));
        ASSERT_EQ(captured.n, 0);
        ASSERT_EQ(p.n_ops, 4);
        if (p.n_ops != 4)
                goto out;
        ASSERT_TRUE(p.has_dev && !p.dev_is_bind && p.dev_readonly);
        op = op_at(&p, 0);
        ASSERT_EQ(op->flags, MS_NOSUID); /* "ro" deferred */
        ASSERT_STREQ(op->data, "mode=755");
        op = op_at(&p, 1);
        ASSERT_EQ(op->flags, MS_RDONLY);
        ASSERT_EQ(op->rec_set, 0);
        op = op_at(&p, 2);
        ASSERT_EQ(op->flags, 0);
        ASSERT_EQ(op->rec_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID);
        ASSERT_TRUE(op->recursive && !op->data);
        op = op_at(&p, 3);
        ASSERT_TRUE(op->copy_up);
        ASSERT_EQ(op->flags, MS_RDONLY);
        ASSERT_STREQ(op->data, "size=1m"); /* tmpcopyup is not tmpfs data */
out:
        mount_plan_done(&p);

        ASSERT_OK(plan_for("[ { 'destination': '/dev', 'type': 'tmpfs', 'options': [ 'nosuid' ] } ]", &p));
        ASSERT_TRUE(p.has_dev && !p.dev_readonly);
        mount_plan_done(&p);
}

/* Validation of mount options (spec-validate.c): a bind takes no data, tmpcopyup needs a tmpfs. */
static void test_option_errors(void) {
        static const struct {
                const char *mounts, *message;
        } cases[] = {
                { "[ { 'destination': '/x', 'source': '/srv', 'options': [ 'rbind', 'rnoexe' ] } ]",
                  "config.json: mounts[0].options[1]: unknown option 'rnoexe' for the bind mount on '/x'" },
                { "[ { 'destination': '/x', 'type': 'bind', 'source': '/srv', 'options': [ 'mode=755' ] } ]",
                  "config.json: mounts[0].options[0]: unknown option 'mode=755' for the bind mount on '/x'" },
                { "[ { 'destination': '/p', 'type': 'proc' }, { 'destination': '/x', 'type': 'proc', 'options': [ 'ro', 'tmpcopyup' ] } ]",
                  "config.json: mounts[1].options[1]: 'tmpcopyup' needs a tmpfs mount, '/x' is a proc mount" },
                { "[ { 'destination': '/x', 'source': '/srv', 'options': [ 'tmpcopyup', 'bind' ] } ]",
                  "config.json: mounts[0].options[0]: 'tmpcopyup' needs a tmpfs mount, '/x' is a bind mount" },
        };

        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                _cleanup_free_ char *json = NULL;
                _cleanup_(spec_freep) Spec *s = NULL;
                char *raw;

                if (asprintf(&raw, "{'ociVersion':'1.0.2','root':{'path':'rootfs'},"
                                   "'process':{'args':['x'],'cwd':'/'},'mounts':%s}", cases[i].mounts) < 0)
                        abort();
                json = unquote(raw);
                free(raw);
                capture_reset();
                ASSERT_EQ(spec_parse("config.json", json, strlen(json), &s), -EINVAL);
                ASSERT_EQ(captured.n, 1);
                ASSERT_STREQ(captured.message, cases[i].message);
        }
}

static void test_propagation(void) {
        static const struct {
                const char *opt;
                unsigned long prop;
        } cases[] = {
                { "private", MS_PRIVATE },       { "rprivate", MS_PRIVATE | MS_REC },
                { "shared", MS_SHARED },         { "rshared", MS_SHARED | MS_REC },
                { "slave", MS_SLAVE },           { "rslave", MS_SLAVE | MS_REC },
                { "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
        };

        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                _cleanup_free_ char *m = NULL;
                MountPlan p = {};

                if (asprintf(&m, "[ { 'destination': '/m', 'source': '/srv', 'options': [ 'rbind', '%s' ] } ]",
                             cases[i].opt) < 0)
                        abort();
                printf("# propagation %s\n", cases[i].opt);
                ASSERT_OK(plan_for(m, &p));
                if (p.n_ops == 1) {
                        ASSERT_EQ(p.ops[0].propagation, cases[i].prop);
                        ASSERT_TRUE(!p.ops[0].data); /* not data */
                        ASSERT_EQ(p.ops[0].flags, 0);
                } else
                        ASSERT_TRUE(false);
                mount_plan_done(&p);
        }
}

static void test_bind(void) {
        MountPlan p = {};
        const MountOp *op;

        capture_reset();
        ASSERT_OK(plan_for("[ { 'destination': '/b1', 'source': '/srv/a', 'options': [ 'bind', 'ro' ] },"
                           "  { 'destination': '/b2', 'source': '/srv/b', 'options': [ 'rbind' ] },"
                           "  { 'destination': '/b3', 'type': 'bind', 'source': '/srv/c' },"
                           "  { 'destination': '/b4', 'type': 'bind', 'source': '/srv/d', 'options': [ 'rbind' ] },"
                           "  { 'destination': '/b5', 'type': 'none', 'source': 'data/x', 'options': [ 'bind' ] },"
                           "  { 'destination': '/b6', 'source': 'rel', 'options': [ 'rbind', 'nosuid' ] },"
                           "  { 'destination': '/b7', 'type': 'rbind', 'source': '/srv/e' } ]",
                           &p));
        ASSERT_EQ(captured.n, 0);
        ASSERT_EQ(p.n_ops, 7);
        if (p.n_ops != 7)
                goto out;

        op = op_at(&p, 0);
        ASSERT_EQ(op->type, MOUNT_OP_BIND);
        ASSERT_STREQ(op->source, "/srv/a");
        ASSERT_STREQ(op->target, "/b1");
        ASSERT_TRUE(!op->recursive);
        ASSERT_EQ(op->flags, MS_RDONLY);
        ASSERT_TRUE(!op->fstype);

        op = op_at(&p, 1);
        ASSERT_EQ(op->type, MOUNT_OP_BIND);
        ASSERT_TRUE(op->recursive);
        ASSERT_EQ(op->flags, 0);

        /* type "bind" with no bind option: a bind mount, not recursive */
        op = op_at(&p, 2);
        ASSERT_EQ(op->type, MOUNT_OP_BIND);
        ASSERT_STREQ(op->source, "/srv/c");
        ASSERT_TRUE(!op->recursive);

        op = op_at(&p, 3);
        ASSERT_EQ(op->type, MOUNT_OP_BIND);
        ASSERT_TRUE(op->recursive);

        /* relative source: relative to the bundle directory */
        op = op_at(&p, 4);
        ASSERT_EQ(op->type, MOUNT_OP_BIND);
        ASSERT_STREQ(op->source, BUNDLE "/data/x");
        ASSERT_TRUE(!op->fstype);

        op = op_at(&p, 5);
        ASSERT_STREQ(op->source, BUNDLE "/rel");
        ASSERT_TRUE(op->recursive);
        ASSERT_TRUE(!op->data);

        op = op_at(&p, 6);
        ASSERT_EQ(op->type, MOUNT_OP_BIND);
        ASSERT_TRUE(op->recursive);
out:
        ASSERT_TRUE(!p.has_dev);
        ASSERT_TRUE(!p.dev_is_bind);
        mount_plan_done(&p);
}

static void test_fs(void) {
        MountPlan p = {};
        const MountOp *op;

        capture_reset();
        ASSERT_OK(plan_for("[ { 'destination': '/proc', 'type': 'proc', 'source': 'proc' },"
                           "  { 'destination': '/dev', 'type': 'tmpfs', 'source': 'tmpfs',"
                           "    'options': [ 'nosuid', 'strictatime', 'mode=755', 'size=65536k' ] },"
                           "  { 'destination': '/dev/pts', 'type': 'devpts', 'source': 'devpts',"
                           "    'options': [ 'nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620',"
                           "                 'gid=5' ] },"
                           "  { 'destination': '/sys/fs/cgroup', 'type': 'cgroup', 'source': 'cgroup',"
                           "    'options': [ 'nosuid', 'noexec', 'nodev', 'relatime', 'ro' ] },"
                           "  { 'destination': '/dev/mqueue', 'type': 'mqueue', 'source': '',"
                           "    'options': [ 'rprivate' ] } ]",
                           &p));
        ASSERT_EQ(captured.n, 0);
        ASSERT_EQ(p.n_ops, 5);
        if (p.n_ops != 5)
                goto out;

        op = op_at(&p, 0);
        ASSERT_EQ(op->type, MOUNT_OP_FS);
        ASSERT_STREQ(op->fstype, "proc");
        ASSERT_STREQ(op->source, "proc");
        ASSERT_STREQ(op->target, "/proc");
        ASSERT_EQ(op->flags, 0);
        ASSERT_TRUE(!op->data);
        ASSERT_TRUE(!op->recursive);

        op = op_at(&p, 1);
        ASSERT_EQ(op->type, MOUNT_OP_FS);
        ASSERT_STREQ(op->fstype, "tmpfs");
        ASSERT_EQ(op->flags, MS_NOSUID | MS_STRICTATIME);
        ASSERT_STREQ(op->data, "mode=755,size=65536k");

        op = op_at(&p, 2);
        ASSERT_STREQ(op->fstype, "devpts");
        ASSERT_EQ(op->flags, MS_NOSUID | MS_NOEXEC);
        ASSERT_STREQ(op->data, "newinstance,ptmxmode=0666,mode=0620,gid=5");

        op = op_at(&p, 3);
        ASSERT_EQ(op->type, MOUNT_OP_CGROUP);
        ASSERT_STREQ(op->fstype, "cgroup");
        ASSERT_EQ(op->flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY);
        ASSERT_TRUE(!op->data);

        op = op_at(&p, 4);
        ASSERT_EQ(op->type, MOUNT_OP_FS);
        ASSERT_STREQ(op->source, "mqueue"); /* empty source: the type */
        ASSERT_EQ(op->propagation, MS_PRIVATE | MS_REC);
        ASSERT_TRUE(!op->data);
out:
        ASSERT_TRUE(p.has_dev);
        ASSERT_TRUE(!p.dev_is_bind);
        mount_plan_done(&p);
}

static void test_dev(void) {
        MountPlan p = {};

        /* a bind at "/dev/" (normalized to "/dev") */
        ASSERT_OK(plan_for("[ { 'destination': '/dev/', 'source': '/dev', 'options': [ 'rbind' ] } ]", &p));
        ASSERT_TRUE(p.has_dev);
        ASSERT_TRUE(p.dev_is_bind);
        mount_plan_done(&p);

        /* something under /dev is not /dev */
        ASSERT_OK(plan_for("[ { 'destination': '/dev/shm', 'type': 'tmpfs' },"
                           "  { 'destination': '/devices', 'source': '/x', 'options': [ 'bind' ] } ]",
                           &p));
        ASSERT_TRUE(!p.has_dev);
        ASSERT_TRUE(!p.dev_is_bind);
        mount_plan_done(&p);

        /* no mounts at all */
        ASSERT_OK(plan_for("[]", &p));
        ASSERT_EQ(p.n_ops, 0);
        ASSERT_TRUE(!p.has_dev);
        mount_plan_done(&p);
}

static void test_errors(void) {
        MountPlan p = {};

        capture_reset();
        ASSERT_EQ(plan_for("[ { 'destination': '/ok', 'type': 'tmpfs' },"
                           "  { 'destination': '/x', 'options': [ 'rbind', 'ro' ] } ]",
                           &p),
                  -EINVAL);
        ASSERT_EQ(captured.n, 1);
        ASSERT_EQ(captured.level, LOG_ERR);
        ASSERT_TRUE(strstr(captured.message, "mounts[1].source"));
        printf("# %s\n", captured.message);
        ASSERT_EQ(p.n_ops, 0); /* nothing returned on failure */
        ASSERT_TRUE(!p.ops);

        capture_reset();
        ASSERT_EQ(plan_for("[ { 'destination': '/x', 'type': 'bind', 'source': '' } ]", &p), -EINVAL);
        ASSERT_TRUE(strstr(captured.message, "mounts[0].source"));

        capture_reset();
        ASSERT_EQ(plan_for("[ { 'destination': '/a', 'type': 'proc' },"
                           "  { 'destination': '/b', 'type': 'proc' },"
                           "  { 'destination': '/x', 'source': '/srv', 'options': [ 'ro' ] } ]",
                           &p),
                  -EINVAL);
        ASSERT_EQ(captured.n, 1);
        ASSERT_TRUE(strstr(captured.message, "mounts[2].type"));
        ASSERT_TRUE(strstr(captured.message, "'/x'"));
        printf("# %s\n", captured.message);

        capture_reset();
        ASSERT_EQ(plan_for("[ { 'destination': '/x', 'type': '', 'source': '/srv' } ]", &p), -EINVAL);
        ASSERT_TRUE(strstr(captured.message, "mounts[0].type"));
}

static void test_flags_to_attr(void) {
        ASSERT_EQ(mount_flags_to_attr(0), 0);
        ASSERT_EQ(mount_flags_to_attr(MS_RDONLY), MOUNT_ATTR_RDONLY);
        ASSERT_EQ(mount_flags_to_attr(MS_NOSUID), MOUNT_ATTR_NOSUID);
        ASSERT_EQ(mount_flags_to_attr(MS_NODEV), MOUNT_ATTR_NODEV);
        ASSERT_EQ(mount_flags_to_attr(MS_NOEXEC), MOUNT_ATTR_NOEXEC);
        ASSERT_EQ(mount_flags_to_attr(MS_NODIRATIME), MOUNT_ATTR_NODIRATIME);
        ASSERT_EQ(mount_flags_to_attr(MS_NOATIME), MOUNT_ATTR_NOATIME);
        ASSERT_EQ(mount_flags_to_attr(MS_STRICTATIME), MOUNT_ATTR_STRICTATIME);
        ASSERT_EQ(mount_flags_to_attr(MS_RELATIME), MOUNT_ATTR_RELATIME);
        ASSERT_EQ(mount_flags_to_attr(MS_NOSYMFOLLOW), MOUNT_ATTR_NOSYMFOLLOW);
        ASSERT_EQ(mount_flags_to_attr(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC),
                  MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        /* exactly one atime mode in the result */
        ASSERT_EQ(mount_flags_to_attr(MS_NOATIME | MS_RELATIME) & MOUNT_ATTR__ATIME, MOUNT_ATTR_NOATIME);
        ASSERT_EQ(mount_flags_to_attr(MS_STRICTATIME | MS_RELATIME) & MOUNT_ATTR__ATIME, MOUNT_ATTR_STRICTATIME);
        ASSERT_EQ(mount_flags_to_attr(MS_NODIRATIME | MS_NOATIME),
                  MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOATIME);
        /* not per-mount flags: no attribute */
        ASSERT_EQ(mount_flags_to_attr(MS_SYNCHRONOUS | MS_DIRSYNC | MS_REMOUNT | MS_SILENT | MS_MANDLOCK), 0);
}

/* A bind added by the runtime (notify socket, credentials) has no source fd: not 0, which is stdin
 * (mount_plan_done() would close it, and mount.c would take it for the source). */
static void test_add_bind(void) {
        MountPlan p = {};

        ASSERT_OK(mount_plan_add_bind(&p, "/run/credentials/x", "/run/credentials/x", true));
        ASSERT_EQ(p.n_ops, 1);
        ASSERT_EQ(p.ops[0].source_fd, -EBADF);
        ASSERT_TRUE(p.ops[0].flags & MS_RDONLY);
        mount_plan_done(&p);
        ASSERT_TRUE(fcntl(0, F_GETFD) >= 0); /* stdin is still open */
}

/* The v1 /sys/fs/cgroup of a container (what runc shows): one entry per hierarchy mounted right below
 * the host's /sys/fs/cgroup, from mountinfo and /proc/self/cgroup. */
static const char cg_mountinfo[] =
        "31 23 0:28 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
        "32 31 0:29 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n"
        "33 31 0:30 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
        "34 31 0:31 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
        "35 31 0:32 /outer /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
        "36 31 0:33 /elsewhere /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
        "37 27 0:34 / /mnt/cg/memory rw - cgroup cgroup rw,memory\n"
        "38 31 0:35 / /sys/fs/cgroup/net_cls rw - tmpfs tmpfs rw\n";
static const char cg_self[] =
        "5:pids:/outer/c1\n"
        "4:memory:/outer/c1\n"
        "3:cpu,cpuacct:/outer/c1\n"
        "1:name=systemd:/user.slice\n"
        "0::/outer/c1\n";

static void test_cgroup_tree(void) {
        CgroupTreeMount *t = NULL;
        MountInfo *mi = NULL;
        size_t n_mi = 0, n = 0;

        ASSERT_OK(mountinfo_parse(cg_mountinfo, &mi, &n_mi));

        /* Without a cgroup namespace: binds of the container's directories; the memory mount's root
         * comes off the path; pids shows another part of the tree (left out); the cgroup mount
         * outside /sys/fs/cgroup and the tmpfs are no hierarchies of it; cpu and cpuacct link to
         * the co-mounted one. */
        ASSERT_OK(mount_cgroup_tree_plan(mi, n_mi, cg_self, /* fresh= */ false, &t, &n));
        ASSERT_EQ(n, 6);
        if (n == 6) {
                ASSERT_STREQ(t[0].name, "unified");
                ASSERT_STREQ(t[0].fstype, "cgroup2");
                ASSERT_STREQ(t[0].source, "/sys/fs/cgroup/unified/outer/c1");
                ASSERT_STREQ(t[1].name, "systemd");
                ASSERT_STREQ(t[1].source, "/sys/fs/cgroup/systemd/user.slice");
                /* the caller's cgroups there: always read-only */
                ASSERT_TRUE(t[0].foreign && t[1].foreign && !t[2].foreign && !t[3].foreign);
                ASSERT_STREQ(t[2].name, "cpu,cpuacct");
                ASSERT_STREQ(t[2].source, "/sys/fs/cgroup/cpu,cpuacct/outer/c1");
                ASSERT_STREQ(t[3].name, "memory");
                ASSERT_STREQ(t[3].source, "/sys/fs/cgroup/memory/c1");
                ASSERT_TRUE(!t[3].options && t[3].fstype && !t[3].symlink_to);
                ASSERT_STREQ(t[4].name, "cpu");
                ASSERT_STREQ(t[4].symlink_to, "cpu,cpuacct");
                ASSERT_TRUE(!t[4].fstype && !t[4].source);
                ASSERT_STREQ(t[5].name, "cpuacct");
                ASSERT_STREQ(t[5].symlink_to, "cpu,cpuacct");
        }
        cgroup_tree_free(t, n);

        /* With a cgroup namespace: fresh mounts of the same hierarchies (pids too: a fresh mount shows
         * the namespace's root), the controllers as options. */
        ASSERT_OK(mount_cgroup_tree_plan(mi, n_mi, cg_self, /* fresh= */ true, &t, &n));
        ASSERT_EQ(n, 7);
        if (n == 7) {
                ASSERT_TRUE(!t[0].source && !t[0].options);
                ASSERT_STREQ(t[1].options, "name=systemd");
                ASSERT_TRUE(t[0].foreign && t[1].foreign && !t[2].foreign && !t[4].foreign);
                ASSERT_STREQ(t[2].options, "cpu,cpuacct");
                ASSERT_STREQ(t[3].options, "memory");
                ASSERT_STREQ(t[4].name, "pids");
                ASSERT_STREQ(t[4].options, "pids");
                ASSERT_TRUE(!t[4].source);
        }
        cgroup_tree_free(t, n);

        /* A malformed /proc/self/cgroup line */
        ASSERT_EQ(mount_cgroup_tree_plan(mi, n_mi, "4:memory\n", false, &t, &n), -EINVAL);
        ASSERT_EQ(mount_cgroup_tree_plan(mi, n_mi, "4:memory:relative\n", false, &t, &n), -EINVAL);
        /* No hierarchy: nothing to mount */
        ASSERT_OK(mount_cgroup_tree_plan(mi, 1, cg_self, false, &t, &n));
        ASSERT_EQ(n, 0);
        cgroup_tree_free(t, n);
        mountinfo_free(mi, n_mi);
}

int main(void) {
        log_set_forward(capture, &captured);

        test_add_bind();
        test_cgroup_tree();

        test_option_parse();
        test_recursive_copy_up_dev_ro();
        test_option_errors();
        test_flags();
        test_propagation();
        test_bind();
        test_fs();
        test_dev();
        test_errors();
        test_flags_to_attr();

        log_set_forward(NULL, NULL);
        return tests_done();
}
