/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* LSM labels: what berth writes to the attr files before execve() (against a fake attr dir), the
 * refusal of labels whose LSM the host lacks, and linux.mountLabel in the mount plan. */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "lsm.h"
#include "mount-plan.h"
#include "path-util.h"
#include "spec.h"
#include "tests.h"

static char *read_file(const char *dir, const char *name) {
        _cleanup_free_ char *p = path_join(dir, name);
        char *buf = NULL;

        if (read_full_file_at(AT_FDCWD, p, 4096, &buf, NULL) < 0)
                return NULL;
        return buf;
}

static void touch(const char *dir, const char *name) {
        _cleanup_free_ char *p = path_join(dir, name);
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

        ASSERT_TRUE(fd >= 0);
        safe_close(fd);
}

static void test_exec_attrs(void) {
        char dir[] = "/tmp/test-lsm.XXXXXX", path[64];
        _cleanup_free_ char *aa = NULL, *ex = NULL, *sub = NULL;

        assert(mkdtemp(dir));
        sub = path_join(dir, "apparmor");
        ASSERT_OK(mkdir(sub, 0700));
        touch(dir, "exec");
        touch(dir, "apparmor/exec");

        /* A kernel with per-LSM dirs: AppArmor's own exec attr gets "exec PROFILE". */
        ASSERT_OK(lsm_set_exec_labels(dir, "containers-default-0.50", NULL));
        aa = read_file(dir, "apparmor/exec");
        ASSERT_STREQ(aa, "exec containers-default-0.50");
        ex = read_file(dir, "exec");
        ASSERT_STREQ(ex, "");

        /* SELinux: the label itself, to the shared exec attr. */
        ASSERT_OK(lsm_set_exec_labels(dir, NULL, "system_u:system_r:container_t:s0:c1,c2"));
        free(ex);
        ex = read_file(dir, "exec");
        ASSERT_STREQ(ex, "system_u:system_r:container_t:s0:c1,c2");

        /* An older kernel without apparmor/: the shared attr. */
        snprintf(path, sizeof path, "%s/apparmor/exec", dir);
        ASSERT_OK(unlink(path));
        ASSERT_OK(rmdir(sub));
        touch(dir, "exec"); /* empty again: a procfs attr takes each write whole, a file does not */
        ASSERT_OK(lsm_set_exec_labels(dir, "unconfined", NULL));
        free(ex);
        ex = read_file(dir, "exec");
        ASSERT_STREQ(ex, "exec unconfined");

        /* Nothing asked, nothing written; a missing attr dir is an error, not a silent no-op. */
        ASSERT_OK(lsm_set_exec_labels("/nonexistent", NULL, ""));
        ASSERT_TRUE(lsm_set_exec_labels("/nonexistent", "p", NULL) == -ENOENT);

        snprintf(path, sizeof path, "%s/exec", dir);
        (void) unlink(path);
        (void) rmdir(dir);
}

static void test_check(void) {
        ASSERT_OK(lsm_check("config.json", NULL, "", NULL));
        if (!lsm_apparmor_enabled()) {
                capture_reset();
                ASSERT_TRUE(lsm_check("config.json", "prof", NULL, NULL) == -EOPNOTSUPP);
                ASSERT_TRUE(strstr(captured.message, "process.apparmorProfile: AppArmor is not enabled"));
        }
        if (!lsm_selinux_enabled()) {
                capture_reset();
                ASSERT_TRUE(lsm_check("config.json", NULL, "l", NULL) == -EOPNOTSUPP);
                ASSERT_TRUE(strstr(captured.message, "process.selinuxLabel: SELinux is disabled"));
                capture_reset();
                ASSERT_TRUE(lsm_check("config.json", NULL, NULL, "m") == -EOPNOTSUPP);
                ASSERT_TRUE(strstr(captured.message, "linux.mountLabel"));
        }
}

static const char mount_label_config[] =
        "{ 'ociVersion': '1.0.2', 'root': { 'path': 'rootfs' },"
        "  'process': { 'args': [ 'sh' ], 'cwd': '/' },"
        "  'mounts': [ { 'destination': '/tmp', 'type': 'tmpfs', 'source': 'tmpfs', 'options': [ 'size=1m' ] },"
        "              { 'destination': '/proc', 'type': 'proc', 'source': 'proc' } ],"
        "  'linux': { 'namespaces': [ { 'type': 'mount' } ], 'mountLabel': 'system_u:object_r:c_t:s0' } }";

static void test_mount_label(void) {
        _cleanup_free_ char *json = unquote(mount_label_config);
        _cleanup_(spec_freep) Spec *s = NULL;
        _cleanup_(mount_plan_done) MountPlan p = {};

        ASSERT_OK(spec_parse("config.json", json, strlen(json), &s));
        ASSERT_OK(mount_plan_build(s, "/b", &p));
        ASSERT_EQ(p.n_ops, 2);
        ASSERT_STREQ(p.ops[0].data, "size=1m,context=\"system_u:object_r:c_t:s0\"");
        ASSERT_TRUE(!p.ops[1].data); /* procfs takes no context= */
}

int main(void) {
        log_set_forward(capture, &captured);
        test_exec_attrs();
        test_check();
        test_mount_label();
        return tests_done();
}
