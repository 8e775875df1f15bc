/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* state-store: container ids, the state directory under a mkdtemp() root, state.json round trip,
 * the OCI state JSON, and status from the kernel (using our own pid and a reaped child's). */

#include <dirent.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "fd-util.h"
#include "log.h"
#include "process-util.h"
#include "state-store.h"
#include "strv.h"
#include "tests.h"

static char tmpdir[] = "/tmp/berth-test-state.XXXXXX";

static void rm_rf(const char *path) {
        char *cmd;

        if (asprintf(&cmd, "rm -rf -- '%s'", path) < 0)
                abort();
        if (system(cmd) != 0)
                printf("# '%s' failed\n", cmd);
        free(cmd);
}

static size_t count_entries(int dir_fd, const char *prefix) {
        int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        size_t n = 0;
        DIR *d;

        if (fd < 0)
                return (size_t) -1;
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return (size_t) -1;
        }
        for (struct dirent *de; (de = readdir(d));) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (!prefix || strncmp(de->d_name, prefix, strlen(prefix)) == 0)
                        n++;
        }
        closedir(d);
        return n;
}

static void test_id_valid(void) {
        char long_id[CONTAINER_ID_MAX + 2];

        ASSERT_TRUE(container_id_valid("abc"));
        ASSERT_TRUE(container_id_valid("abc-1.2_3+x"));
        ASSERT_TRUE(container_id_valid("A"));
        ASSERT_TRUE(container_id_valid("..."));
        ASSERT_TRUE(container_id_valid(".hidden"));
        ASSERT_TRUE(container_id_valid("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        ASSERT_TRUE(!container_id_valid(NULL));
        ASSERT_TRUE(!container_id_valid(""));
        ASSERT_TRUE(!container_id_valid("."));
        ASSERT_TRUE(!container_id_valid(".."));
        ASSERT_TRUE(!container_id_valid("a/b"));
        ASSERT_TRUE(!container_id_valid("/a"));
        ASSERT_TRUE(!container_id_valid("a b"));
        ASSERT_TRUE(!container_id_valid("a:b"));
        ASSERT_TRUE(!container_id_valid("a\nb"));
        ASSERT_TRUE(!container_id_valid("caf\xc3\xa9"));

        memset(long_id, 'a', CONTAINER_ID_MAX);
        long_id[CONTAINER_ID_MAX] = 0;
        ASSERT_TRUE(container_id_valid(long_id));
        long_id[CONTAINER_ID_MAX] = 'a';
        long_id[CONTAINER_ID_MAX + 1] = 0;
        ASSERT_TRUE(!container_id_valid(long_id));
}

static void test_status_strings(void) {
        ASSERT_STREQ(container_status_to_string(CONTAINER_CREATING), "creating");
        ASSERT_STREQ(container_status_to_string(CONTAINER_CREATED), "created");
        ASSERT_STREQ(container_status_to_string(CONTAINER_RUNNING), "running");
        ASSERT_STREQ(container_status_to_string(CONTAINER_PAUSED), "paused");
        ASSERT_STREQ(container_status_to_string(CONTAINER_STOPPED), "stopped");
        ASSERT_TRUE(!container_status_to_string(_CONTAINER_STATUS_MAX));
        ASSERT_TRUE(!container_status_to_string(_CONTAINER_STATUS_INVALID));
}

static int root_fd = -EBADF;
static char *root_path;

static void test_root_and_dirs(void) {
        _cleanup_close_ int dfd = -EBADF, dfd2 = -EBADF, ofd = -EBADF;
        struct stat st;

        if (asprintf(&root_path, "%s/a/b/run-berth", tmpdir) < 0)
                abort();
        ASSERT_OK(state_root_open(root_path, true, &root_fd));
        ASSERT_TRUE(stat(root_path, &st) == 0 && S_ISDIR(st.st_mode));
        ASSERT_EQ(st.st_mode & 07777, 0700);
        /* opening again is fine */
        {
                _cleanup_close_ int again = -EBADF;
                ASSERT_OK(state_root_open(root_path, false, &again));
        }

        capture_reset();
        ASSERT_OK(state_dir_create(root_fd, "c1", &dfd));
        ASSERT_EQ(captured.n, 0);
        ASSERT_TRUE(fstatat(root_fd, "c1", &st, 0) == 0 && S_ISDIR(st.st_mode));
        ASSERT_EQ(st.st_mode & 07777, 0700);

        capture_reset();
        ASSERT_EQ(state_dir_create(root_fd, "c1", &dfd2), -EEXIST);
        ASSERT_EQ(dfd2, -EBADF);
        ASSERT_EQ(captured.n, 1);
        ASSERT_TRUE(strstr(captured.message, "already exists"));
        ASSERT_TRUE(strstr(captured.message, "c1"));
        printf("# %s\n", captured.message);

        ASSERT_OK(state_dir_open(root_fd, "c1", false, &ofd));
        capture_reset();
        {
                int nfd = -EBADF;
                ASSERT_EQ(state_dir_open(root_fd, "nope", false, &nfd), -ENOENT);
                ASSERT_TRUE(strstr(captured.message, "does not exist"));
        }
}

static void test_write_read(void) {
        _cleanup_close_ int dfd = -EBADF;
        _cleanup_(container_state_freep) ContainerState *r = NULL;
        char *annotations[] = { (char *) "org.example.k", (char *) "v1", (char *) "empty", (char *) "",
                                NULL };
        ContainerState s = {
                .oci_version = (char *) "1.0.2",
                .id = (char *) "c2",
                .pid = 4242,
                .pid_start_time = UINT64_C(123456789012),
                .bundle = (char *) "/srv/bundles/c2",
                .rootfs = (char *) "/srv/bundles/c2/rootfs",
                .created = (char *) "2026-01-02T03:04:05.123456789Z",
                .owner = 1000,
                .annotations = annotations,
                .pid_file = (char *) "/run/c2.pid",
        };
        struct stat st;

        ASSERT_OK(state_dir_create(root_fd, "c2", &dfd));
        ASSERT_EQ(state_read(dfd, "c2", true, &r), 0); /* we hold the lock: a create that died */
        ASSERT_TRUE(r && r->corrupt && strstr(r->corrupt, "missing") && r->pid == 0);
        r = container_state_free(r);
        ASSERT_OK(state_record_init(dfd, 4242, UINT64_C(123456789012)));
        ASSERT_OK(state_write(dfd, &s));
        ASSERT_TRUE(fstatat(dfd, STATE_JSON, &st, 0) == 0 && S_ISREG(st.st_mode));
        ASSERT_EQ(st.st_mode & 07777, 0600);
        /* atomic write: only state.json (and the init record) is left in the directory */
        ASSERT_EQ(count_entries(dfd, NULL), 2);
        ASSERT_EQ(count_entries(dfd, STATE_JSON ".tmp"), 0);

        ASSERT_OK(state_read(dfd, "c2", true, &r));
        if (!r)
                return;
        ASSERT_STREQ(r->oci_version, "1.0.2");
        ASSERT_STREQ(r->id, "c2");
        ASSERT_EQ(r->pid, 4242);
        ASSERT_TRUE(r->pid_start_time == UINT64_C(123456789012));
        ASSERT_STREQ(r->bundle, "/srv/bundles/c2");
        ASSERT_STREQ(r->rootfs, "/srv/bundles/c2/rootfs");
        ASSERT_STREQ(r->created, "2026-01-02T03:04:05.123456789Z");
        ASSERT_EQ(r->owner, 1000);
        ASSERT_EQ(strv_length(r->annotations), 4);
        if (strv_length(r->annotations) == 4) {
                ASSERT_STREQ(r->annotations[0], "org.example.k");
                ASSERT_STREQ(r->annotations[1], "v1");
                ASSERT_STREQ(r->annotations[2], "empty");
                ASSERT_STREQ(r->annotations[3], "");
        }
        ASSERT_STREQ(r->pid_file, "/run/c2.pid");
        r = container_state_free(r);

        /* overwrite with a minimal state: the optional fields go away */
        s.annotations = NULL;
        s.pid_file = NULL;
        s.owner = 0;
        s.pid_start_time = UINT64_MAX;
        ASSERT_OK(state_write(dfd, &s));
        /* a state.json naming another process than the init record: not what we wrote */
        ASSERT_OK(state_read(dfd, "c2", true, &r));
        ASSERT_TRUE(r && r->corrupt && strstr(r->corrupt, "does not match the init record"));
        ASSERT_TRUE(r && r->pid == 4242 && r->pid_start_time == UINT64_C(123456789012));
        r = container_state_free(r);
        ASSERT_TRUE(unlinkat(dfd, STATE_INIT_RECORD, 0) == 0);
        ASSERT_OK(state_read(dfd, "c2", true, &r));
        ASSERT_TRUE(r && r->corrupt && strstr(r->corrupt, "init record is missing"));
        r = container_state_free(r);
        ASSERT_OK(state_record_init(dfd, 4242, UINT64_MAX));
        ASSERT_EQ(count_entries(dfd, NULL), 2);
        ASSERT_OK(state_read(dfd, "c2", true, &r));
        if (!r)
                return;
        ASSERT_TRUE(!r->annotations);
        ASSERT_TRUE(!r->pid_file);
        ASSERT_EQ(r->owner, 0);
        ASSERT_TRUE(r->pid_start_time == UINT64_MAX);
        r = container_state_free(r);

        /* garbage in state.json: still read, as unusable, with the init from the init record */
        ASSERT_TRUE(unlinkat(dfd, STATE_INIT_RECORD, 0) == 0);
        ASSERT_OK(state_record_init(dfd, 4242, 77));
        ASSERT_OK(write_file_atomic_at(dfd, STATE_JSON, "{not json", 9, 0600));
        ASSERT_OK(state_read(dfd, "c2", true, &r));
        ASSERT_TRUE(r && r->corrupt && strstr(r->corrupt, "not valid JSON"));
        ASSERT_TRUE(r && r->pid == 4242 && r->pid_start_time == 77 && streq(r->id, "c2"));
        ASSERT_EQ(state_status(dfd, r), CONTAINER_UNKNOWN);
        r = container_state_free(r);
        /* written by someone else, or writable by others: not trusted */
        ASSERT_TRUE(fchmodat(dfd, STATE_JSON, 0622, 0) == 0);
        ASSERT_OK(state_read(dfd, "c2", true, &r));
        ASSERT_TRUE(r && r->corrupt && strstr(r->corrupt, "writable by group or others"));
        r = container_state_free(r);
}

/* Every damaged state.json is refused by the parser, with the reason. */
static void test_parse_strict(void) {
        static const struct {
                const char *json, *reason;
        } cases[] = {
                { "", "empty" },
                { "{\"id\":\"x\",\"pid\":1", "ends early" },
                { "garbage", "not valid JSON" },
                { "{} {}", "trailing" },
                { "[1]", "expected a JSON object" },
                { "{\"pid\":1}", "'id': missing" },
                { "{\"id\":\"../x\",\"pid\":1}", "'id': expected 'x'" },
                { "{\"id\":7}", "'id': expected a string" },
                { "{\"id\":\"x\"}", "'pid': missing" },
                { "{\"id\":\"x\",\"pid\":\"1\"}", "'pid': expected an integer" },
                { "{\"id\":\"x\",\"pid\":0}", "'pid': expected an integer between 1 and 4194304" },
                { "{\"id\":\"x\",\"pid\":-1}", "'pid': expected an integer between" },
                { "{\"id\":\"x\",\"pid\":99999999999}", "'pid': expected an integer between" },
                { "{\"id\":\"x\",\"pid\":1.5}", "'pid': expected an integer" },
                { "{\"id\":\"x\",\"pid\":1}", "'berthPidStartTime': missing" },
                { "{\"id\":\"x\",\"pid\":1,\"berthPidStartTime\":0}", "'berthPidStartTime': expected an integer" },
                { "{\"id\":\"x\",\"pid\":1,\"berthPidStartTime\":5,\"berthOwnerUid\":-3}", "'berthOwnerUid'" },
                { "{\"id\":\"x\",\"pid\":1,\"berthPidStartTime\":5,\"berthOwnerUid\":0}", "'ociVersion': missing" },
                { "{\"id\":\"x\",\"pid\":1,\"berthPidStartTime\":5,\"berthOwnerUid\":0,\"ociVersion\":\"1\","
                  "\"bundle\":\"/b\",\"rootfs\":\"/r\",\"created\":\"t\",\"berthPidFile\":\"rel\"}",
                  "'berthPidFile': expected an absolute path" },
                { "{\"id\":\"x\",\"pid\":1,\"berthPidStartTime\":5,\"berthOwnerUid\":0,\"ociVersion\":\"1\","
                  "\"bundle\":\"/b\",\"rootfs\":\"/r\",\"created\":\"t\",\"annotations\":{\"k\":1}}",
                  "'annotations.k': expected a string" },
        };
        const char *good = "{\"id\":\"x\",\"pid\":1,\"berthPidStartTime\":5,\"berthOwnerUid\":0,"
                           "\"ociVersion\":\"1\",\"bundle\":\"/b\",\"rootfs\":\"/r\",\"created\":\"t\"}";
        ContainerState *st = NULL;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *reason = NULL;

                st = NULL;
                ASSERT_EQ(state_parse(cases[i].json, strlen(cases[i].json), "x", &st, &reason), -EBADMSG);
                ASSERT_TRUE(!st);
                if (!reason || !strstr(reason, cases[i].reason))
                        printf("# case %zu: expected '%s', got '%s'\n", i, cases[i].reason, strna(reason));
                ASSERT_TRUE(reason && strstr(reason, cases[i].reason));
        }
        ASSERT_OK(state_parse(good, strlen(good), "x", &st, NULL));
        ASSERT_TRUE(st && st->pid == 1 && st->pid_start_time == 5 && !st->corrupt);
        container_state_free(st);
        /* the same file under another container's name */
        st = NULL;
        ASSERT_EQ(state_parse(good, strlen(good), "y", &st, NULL), -EBADMSG);
}

/* The init record survives whatever happens to state.json; a forged one is refused. */
static void test_init_record(void) {
        _cleanup_close_ int dfd = -EBADF;
        uint64_t st = 0;
        pid_t pid = 0;

        ASSERT_OK(state_dir_create(root_fd, "rec", &dfd));
        ASSERT_EQ(state_read_init(dfd, &pid, &st), -ENOENT);
        ASSERT_OK(state_record_init(dfd, 123, 456));
        ASSERT_OK(state_read_init(dfd, &pid, &st));
        ASSERT_EQ(pid, 123);
        ASSERT_TRUE(st == 456);
        ASSERT_TRUE(unlinkat(dfd, STATE_INIT_RECORD, 0) == 0);
        ASSERT_TRUE(symlinkat("1 0", dfd, STATE_INIT_RECORD) == 0); /* no start time: not ours */
        ASSERT_EQ(state_read_init(dfd, &pid, &st), -EBADMSG);
        ASSERT_TRUE(unlinkat(dfd, STATE_INIT_RECORD, 0) == 0);
        ASSERT_TRUE(symlinkat("../../x", dfd, STATE_INIT_RECORD) == 0);
        ASSERT_EQ(state_read_init(dfd, &pid, &st), -EBADMSG);
        ASSERT_TRUE(unlinkat(dfd, STATE_INIT_RECORD, 0) == 0);

        /* the cgroup record: what a damaged state still says about the cgroup */
        {
                ContainerState c = { .cgroup_manager = CGROUP_MANAGER_SYSTEMD, .cgroup_mode = CGROUP_MODE_UNIFIED,
                                     .cgroup_path = (char *) "/machine.slice/berth-rec.scope",
                                     .cgroup_unit = (char *) "berth-rec.scope" };
                ContainerState none = {};
                _cleanup_(container_state_freep) ContainerState *u = NULL;

                ASSERT_OK(state_record_cgroup(dfd, &none)); /* no cgroup: no record */
                ASSERT_TRUE(faccessat(dfd, STATE_CGROUP_RECORD, F_OK, AT_SYMLINK_NOFOLLOW) < 0);
                ASSERT_OK(state_record_cgroup(dfd, &c));
                ASSERT_OK(state_new_unusable(dfd, "rec", "test", &u));
                ASSERT_TRUE(u && u->cgroup_manager == CGROUP_MANAGER_SYSTEMD && u->cgroup_mode == CGROUP_MODE_UNIFIED);
                ASSERT_STREQ(u ? u->cgroup_path : NULL, "/machine.slice/berth-rec.scope");
                ASSERT_STREQ(u ? u->cgroup_unit : NULL, "berth-rec.scope");
                u = container_state_free(u);
                /* a forged one naming a path out of the hierarchy is ignored */
                ASSERT_TRUE(unlinkat(dfd, STATE_CGROUP_RECORD, 0) == 0);
                ASSERT_TRUE(symlinkat("cgroupfs 1 - /../../etc", dfd, STATE_CGROUP_RECORD) == 0);
                ASSERT_OK(state_new_unusable(dfd, "rec", "test", &u));
                ASSERT_TRUE(u && u->cgroup_manager == CGROUP_MANAGER_DISABLED && !u->cgroup_path);
                ASSERT_TRUE(unlinkat(dfd, STATE_CGROUP_RECORD, 0) == 0);
        }
        ASSERT_OK(state_dir_remove(root_fd, dfd, "rec"));
}

/* The root and state dirs must be ours and not writable by others. */
static void test_trust(void) {
        _cleanup_free_ char *open_root = NULL;
        _cleanup_close_ int fd = -EBADF, dfd = -EBADF;

        if (asprintf(&open_root, "%s/world-writable", tmpdir) < 0)
                abort();
        ASSERT_TRUE(mkdir(open_root, 0700) == 0 && chmod(open_root, 0777) == 0);
        capture_reset();
        ASSERT_EQ(state_root_open(open_root, true, &fd), -EPERM);
        ASSERT_TRUE(strstr(captured.message, "writable by group or others (mode 0777)"));
        ASSERT_TRUE(strstr(captured.message, open_root));
        ASSERT_TRUE(chmod(open_root, 0755) == 0);
        ASSERT_OK(state_root_open(open_root, false, &fd));
        fd = safe_close(fd);
        if (geteuid() == 0) {
                ASSERT_TRUE(chown(open_root, 1234, 1234) == 0);
                capture_reset();
                ASSERT_EQ(state_root_open(open_root, false, &fd), -EPERM);
                ASSERT_TRUE(strstr(captured.message, "owned by uid 1234, not by uid 0"));
        } else
                printf("# ownership check skipped: needs root\n");
        /* a state dir someone else could write to */
        ASSERT_TRUE(mkdirat(root_fd, "planted", 0777) == 0 && fchmodat(root_fd, "planted", 0777, 0) == 0);
        capture_reset();
        ASSERT_EQ(state_dir_open(root_fd, "planted", true, &dfd), -EPERM);
        ASSERT_TRUE(strstr(captured.message, "planted") && strstr(captured.message, "writable"));
        ASSERT_TRUE(unlinkat(root_fd, "planted", AT_REMOVEDIR) == 0);
}

/* A dir removed while we waited for its lock is gone for us; only a dead create's temp dir is
 * collected. */
static void test_removed_while_waiting(void) {
        _cleanup_close_ int dfd = -EBADF, other = -EBADF, again = -EBADF, tmp = -EBADF;
        struct stat st;

        ASSERT_OK(state_dir_create(root_fd, "gone", &dfd));
        /* an opener that got the fd before the delete */
        other = openat(root_fd, "gone", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_TRUE(other >= 0);
        ASSERT_OK(state_dir_remove(root_fd, dfd, "gone"));
        /* a new create of the same id */
        ASSERT_OK(state_dir_create(root_fd, "gone", &again));
        /* removing through the old fd must not touch the new dir */
        ASSERT_OK(state_dir_remove(root_fd, other, "gone"));
        ASSERT_TRUE(fstatat(root_fd, "gone", &st, AT_SYMLINK_NOFOLLOW) == 0);
        ASSERT_OK(state_dir_remove(root_fd, again, "gone"));

        /* the longest id a directory can have: the temporary name is cut to fit */
        {
                char long_id[256];
                _cleanup_close_ int lfd = -EBADF;

                memset(long_id, 'l', 255);
                long_id[255] = 0;
                ASSERT_OK(state_dir_create(root_fd, long_id, &lfd));
                ASSERT_OK(state_dir_remove(root_fd, lfd, long_id));
        }

        /* leftovers of killed creates: unlocked ones go, a locked one (a create at work) stays */
        ASSERT_TRUE(mkdirat(root_fd, "~new.lx.0123456789abcdef", 0700) == 0);
        ASSERT_TRUE(mkdirat(root_fd, "~new.lx.fedcba9876543210", 0700) == 0);
        ASSERT_TRUE(mkdirat(root_fd, "~new.lxy.0123456789abcdef", 0700) == 0);
        tmp = openat(root_fd, "~new.lx.fedcba9876543210", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_TRUE(tmp >= 0 && flock(tmp, LOCK_EX) == 0);
        if (fork() == 0) { /* the lock is per open file: check from another process */
                state_dir_remove_stale(root_fd, "lx");
                _exit(0);
        }
        ASSERT_OK(wait_for_pid(-1, NULL));
        ASSERT_TRUE(fstatat(root_fd, "~new.lx.0123456789abcdef", &st, 0) < 0 && errno == ENOENT);
        ASSERT_TRUE(fstatat(root_fd, "~new.lx.fedcba9876543210", &st, 0) == 0);
        ASSERT_TRUE(fstatat(root_fd, "~new.lxy.0123456789abcdef", &st, 0) == 0);
        ASSERT_TRUE(unlinkat(root_fd, "~new.lx.fedcba9876543210", AT_REMOVEDIR) == 0);
        ASSERT_TRUE(unlinkat(root_fd, "~new.lxy.0123456789abcdef", AT_REMOVEDIR) == 0);
}

static const char *jstr(json_object *o, const char *key) {
        json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return NULL;
        return json_object_get_string(v);
}

static void test_to_json(void) {
        char *annotations[] = { (char *) "a", (char *) "1", (char *) "b", (char *) "", NULL };
        ContainerState s = {
                .oci_version = (char *) "1.0.2",
                .id = (char *) "c3",
                .pid = 77,
                .pid_start_time = 5,
                .bundle = (char *) "/b",
                .rootfs = (char *) "/b/rootfs",
                .created = (char *) "2026-01-02T03:04:05.000000001Z",
                .owner = 0,
                .annotations = annotations,
                .pid_file = (char *) "/p",
        };
        _cleanup_free_ char *plain = NULL, *pretty = NULL, *noann = NULL;
        json_object *o, *v, *a;

        ASSERT_OK(state_to_json(&s, CONTAINER_RUNNING, false, &plain));
        if (!plain)
                return;
        printf("# %s\n", plain);
        ASSERT_TRUE(!strchr(plain, '\n'));
        o = json_tokener_parse(plain);
        ASSERT_TRUE(o && json_object_is_type(o, json_type_object));
        if (!o)
                return;
        ASSERT_STREQ(jstr(o, "ociVersion"), "1.0.2");
        ASSERT_STREQ(jstr(o, "id"), "c3");
        ASSERT_TRUE(json_object_object_get_ex(o, "pid", &v) && json_object_is_type(v, json_type_int) &&
                    json_object_get_int(v) == 77);
        ASSERT_STREQ(jstr(o, "status"), "running");
        ASSERT_STREQ(jstr(o, "bundle"), "/b");
        ASSERT_STREQ(jstr(o, "rootfs"), "/b/rootfs");
        ASSERT_STREQ(jstr(o, "created"), "2026-01-02T03:04:05.000000001Z");
        ASSERT_STREQ(jstr(o, "owner"), ""); /* as runc's "state" prints it */
        ASSERT_TRUE(strstr(plain, "\"/b/rootfs\"")); /* no "\/" escapes */
        ASSERT_TRUE(json_object_object_get_ex(o, "annotations", &a) && json_object_is_type(a, json_type_object));
        ASSERT_STREQ(jstr(a, "a"), "1");
        ASSERT_STREQ(jstr(a, "b"), "");
        ASSERT_EQ(json_object_object_length(a), 2);
        /* berth's private fields stay out of the public JSON */
        ASSERT_TRUE(!json_object_object_get_ex(o, "berthPidStartTime", NULL));
        ASSERT_TRUE(!json_object_object_get_ex(o, "berthPidFile", NULL));
        ASSERT_TRUE(!json_object_object_get_ex(o, "berthStarted", NULL));
        ASSERT_TRUE(!json_object_object_get_ex(o, "berthOwnerUid", NULL));
        json_object_put(o);

        ASSERT_OK(state_to_json(&s, CONTAINER_STOPPED, true, &pretty));
        if (pretty) {
                ASSERT_TRUE(strchr(pretty, '\n'));
                ASSERT_TRUE(strstr(pretty, "\n  \"id\": \"c3\""));
                o = json_tokener_parse(pretty);
                ASSERT_STREQ(o ? jstr(o, "status") : NULL, "stopped");
                json_object_put(o);
        }

        s.annotations = NULL;
        s.oci_version = NULL;
        ASSERT_OK(state_to_json(&s, CONTAINER_CREATED, false, &noann));
        if (noann) {
                o = json_tokener_parse(noann);
                ASSERT_TRUE(o && !json_object_object_get_ex(o, "annotations", NULL));
                ASSERT_STREQ(o ? jstr(o, "ociVersion") : NULL, "");
                ASSERT_STREQ(o ? jstr(o, "status") : NULL, "created");
                json_object_put(o);
        }
}

static void test_status(void) {
        _cleanup_close_ int dfd = -EBADF, sock = -EBADF;
        ContainerState s = { .id = (char *) "c4" };
        uint64_t st = 0;
        pid_t child;

        ASSERT_OK(state_dir_create(root_fd, "c4", &dfd));

        /* a pid that is gone: fork a child, reap it */
        child = fork();
        if (child == 0)
                _exit(0);
        ASSERT_TRUE(child > 0);
        ASSERT_OK(wait_for_pid(child, NULL));
        s.pid = child;
        s.pid_start_time = 0;
        ASSERT_EQ(state_status(dfd, &s), CONTAINER_STOPPED);
        s.pid = 0;
        ASSERT_EQ(state_status(dfd, &s), CONTAINER_STOPPED);

        /* ourselves, with the right start time */
        ASSERT_OK(pid_get_start_time(getpid(), &st));
        ASSERT_TRUE(st > 0);
        s.pid = getpid();
        s.pid_start_time = st;
        ASSERT_EQ(state_status(dfd, &s), CONTAINER_RUNNING);
        /* ourselves without a start time: not ours, never "matches anything" */
        s.pid_start_time = 0;
        ASSERT_EQ(state_status(dfd, &s), CONTAINER_STOPPED);
        s.pid_start_time = st;

        /* the release socket is there: created */
        sock = openat(dfd, STATE_RELEASE_SOCKET, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        ASSERT_TRUE(sock >= 0);
        ASSERT_EQ(state_status(dfd, &s), CONTAINER_CREATED);
        ASSERT_TRUE(unlinkat(dfd, STATE_RELEASE_SOCKET, 0) == 0);
        ASSERT_EQ(state_status(dfd, &s), CONTAINER_RUNNING);

        /* a reused pid: a different start time is not our container */
        s.pid_start_time = st + 1;
        ASSERT_EQ(state_status(dfd, &s), CONTAINER_STOPPED);

        /* a zombie counts as stopped */
        child = fork();
        if (child == 0)
                _exit(0);
        ASSERT_TRUE(child > 0);
        {
                siginfo_t si = {};
                /* wait until it is a zombie without reaping it */
                ASSERT_TRUE(waitid(P_PID, child, &si, WEXITED | WNOWAIT) == 0);
        }
        s.pid = child;
        s.pid_start_time = 0;
        ASSERT_EQ(state_status(dfd, &s), CONTAINER_STOPPED);
        (void) wait_for_pid(child, NULL);
}

static void test_list_and_remove(void) {
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_close_ int dfd = -EBADF, empty_fd = -EBADF;
        _cleanup_free_ char *empty = NULL;
        struct stat st;

        /* c1, c2, c4 exist already; add some out of order, plus things that are not containers */
        for (const char *const *id = (const char *const[]) { "zeta", "Alpha", "b-2", "b+1", NULL }; *id; id++) {
                int fd = -EBADF;
                ASSERT_OK(state_dir_create(root_fd, *id, &fd));
                safe_close(fd);
        }
        ASSERT_TRUE(mknodat(root_fd, "a-file", S_IFREG | 0600, 0) == 0);
        ASSERT_TRUE(mkdirat(root_fd, "bad id", 0700) == 0);

        ASSERT_OK(state_list_ids(root_fd, &ids));
        ASSERT_EQ(strv_length(ids), 7);
        if (strv_length(ids) == 7) {
                /* byte order */
                ASSERT_STREQ(ids[0], "Alpha");
                ASSERT_STREQ(ids[1], "b+1");
                ASSERT_STREQ(ids[2], "b-2");
                ASSERT_STREQ(ids[3], "c1");
                ASSERT_STREQ(ids[4], "c2");
                ASSERT_STREQ(ids[5], "c4");
                ASSERT_STREQ(ids[6], "zeta");
        }

        /* remove a directory with files in it */
        ASSERT_OK(state_dir_open(root_fd, "c2", true, &dfd));
        ASSERT_TRUE(fstatat(dfd, STATE_JSON, &st, 0) == 0);
        ASSERT_TRUE(mknodat(dfd, STATE_RELEASE_SOCKET, S_IFREG | 0600, 0) == 0);
        ASSERT_TRUE(symlinkat("/etc/passwd", dfd, "link") == 0);
        ASSERT_OK(state_dir_remove(root_fd, dfd, "c2"));
        ASSERT_TRUE(fstatat(root_fd, "c2", &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT);
        ASSERT_TRUE(stat("/etc/passwd", &st) == 0); /* the symlink, not its target */
        /* removing what is gone is fine */
        ASSERT_OK(state_dir_remove(root_fd, dfd, "c2"));

        ids = strv_free(ids);
        ASSERT_OK(state_list_ids(root_fd, &ids));
        ASSERT_EQ(strv_length(ids), 6);

        /* an empty root */
        if (asprintf(&empty, "%s/empty", tmpdir) < 0)
                abort();
        ASSERT_OK(state_root_open(empty, true, &empty_fd));
        ids = strv_free(ids);
        ASSERT_OK(state_list_ids(empty_fd, &ids));
        ASSERT_EQ(strv_length(ids), 0);
}

static void test_now(void) {
        _cleanup_free_ char *t = NULL;
        regex_t re;

        ASSERT_OK(state_now_rfc3339(&t));
        printf("# %s\n", strempty(t));
        ASSERT_EQ(regcomp(&re, "^[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\\.[0-9]{9}Z$",
                          REG_EXTENDED | REG_NOSUB),
                  0);
        ASSERT_TRUE(t && regexec(&re, t, 0, NULL, 0) == 0);
        regfree(&re);
        ASSERT_EQ(t ? strlen(t) : 0, strlen("2026-11-25T12:00:00.123456789Z"));
        ASSERT_TRUE(t && strncmp(t, "20", 2) == 0);
}

int main(void) {
        log_set_forward(capture, &captured);
        if (!mkdtemp(tmpdir)) {
                perror("mkdtemp");
                return 1;
        }

        test_id_valid();
        test_status_strings();
        test_root_and_dirs();
        if (root_fd >= 0) {
                test_write_read();
                test_to_json();
                test_status();
                test_list_and_remove();
                test_parse_strict();
                test_init_record();
                test_trust();
                test_removed_while_waiting();
        }
        test_now();

        safe_close(root_fd);
        free(root_path);
        rm_rf(tmpdir);
        log_set_forward(NULL, NULL);
        return tests_done();
}
