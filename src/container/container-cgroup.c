/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The verbs that work on a container's cgroup: pause/resume, ps, update, events. */
#include <sys/file.h>

#include "cgroup.h"
#include "container-internal.h"
#include "container.h"
#include "fd-util.h"
#include "log.h"
#include "spec.h"
#include "state-store.h"

typedef struct Opened {
        int dir_fd;
        ContainerState *s;
        ContainerStatus status;
        Cgroup cg;
} Opened;

static void opened_done(Opened *o) {
        o->dir_fd = safe_close(o->dir_fd);
        o->s = container_state_free(o->s);
        cgroup_done(&o->cg);
}

static int open_cgroup(const char *root, const char *id, bool lock, bool stopped_too, const char *verb,
                       Opened *o) {
        int r;

        *o = (Opened) { .dir_fd = -EBADF };
        r = container_open(root, id, lock, &o->dir_fd, &o->s);
        if (r < 0)
                return r;
        r = container_state_usable(o->s);
        if (r < 0)
                return r;
        o->status = state_status(o->dir_fd, o->s);
        if (o->status == CONTAINER_STOPPED && !stopped_too)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Cannot %s container '%s': it is stopped", verb, id);
        r = container_cgroup_open(o->s, &o->cg);
        if (r < 0)
                return r;
        if (o->cg.type == CGROUP_MANAGER_DISABLED)
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "Cannot %s container '%s': it has no cgroup "
                                       "(created with --cgroup-manager disabled)", verb, id);
        return 0;
}

static int open_with_cgroup(const char *root, const char *id, bool lock, const char *verb, Opened *o) {
        return open_cgroup(root, id, lock, /* stopped_too= */ false, verb, o);
}

int container_pause(const char *root, const char *id, bool pause) {
        _cleanup_(opened_done) Opened o = {};
        int r;

        r = open_with_cgroup(root, id, /* lock= */ true, pause ? "pause" : "resume", &o);
        if (r < 0)
                return r;
        if (pause && o.status != CONTAINER_RUNNING && o.status != CONTAINER_CREATED)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Cannot pause container '%s': it is %s", id,
                                       container_status_to_string(o.status));
        if (!pause && o.status != CONTAINER_PAUSED)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Cannot resume container '%s': it is %s, not "
                                       "paused", id, container_status_to_string(o.status));
        return o.cg.manager->freeze(&o.cg, pause);
}

int container_pids(const char *root, const char *id, pid_t **ret, size_t *ret_n) {
        _cleanup_(opened_done) Opened o = {};
        int r;

        r = open_with_cgroup(root, id, /* lock= */ false, "list the processes of", &o);
        if (r < 0)
                return r;
        r = o.cg.manager->get_pids(&o.cg, ret, ret_n);
        if (r < 0)
                return log_error_errno(r, "Failed to list the processes of container '%s': %m", id);
        return 0;
}

/* The saved config with the updates (the --resources object, then the flags) merged into
 * linux.resources, checked as a whole: it must still parse for exec, and the limits must agree with
 * each other (memory.swap >= memory.limit). */
static int update_config(int dir_fd, const char *id, const char *const updates[2], char **ret_old,
                         char **ret_new, CgroupResources **ret_merged) {
        _cleanup_free_ char *old = NULL, *new = NULL;
        _cleanup_(spec_freep) Spec *spec = NULL;
        char what[64 + CONTAINER_ID_MAX];
        size_t len;
        int r;

        r = state_read_file(dir_fd, STATE_CONFIG, SPEC_FILE_MAX, &old, &len);
        if (r == -ENOENT)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "Cannot update container '%s': it has no saved "
                                       "config", id);
        if (r < 0)
                return r;
        snprintf(what, sizeof what, "the saved config of container '%s' after the update", id);
        new = strdup(old);
        if (!new)
                return log_oom();
        for (int i = 0; i < 2; i++) {
                char *t = NULL;

                if (!updates[i])
                        continue;
                r = cgroup_resources_update_config(what, new, updates[i], &t);
                if (r < 0)
                        return r;
                free(new);
                new = t;
        }
        if (strlen(new) > SPEC_FILE_MAX)
                return log_error_errno(SYNTHETIC_ERRNO(EFBIG), "%s: larger than %u bytes", what, SPEC_FILE_MAX);
        r = spec_parse(what, new, strlen(new), &spec);
        if (r < 0)
                return r;
        r = cgroup_resources_parse(what, "linux.resources", spec->linux.resources_json, ret_merged);
        if (r < 0)
                return r;
        *ret_old = TAKE_PTR(old);
        *ret_new = TAKE_PTR(new);
        return 0;
}

int container_update(const char *root, const char *id, const char *what, const char *resources,
                     const char *flags) {
        _cleanup_(cgroup_resources_freep) CgroupResources *res = NULL, *fl = NULL, *merged = NULL;
        _cleanup_free_ char *old = NULL, *new = NULL;
        _cleanup_(opened_done) Opened o = {};
        int r, k;

        /* Each on its own first: the errors name the file (or the flags) and the JSON path in it. */
        r = cgroup_resources_parse(what, "", resources, &res);
        if (r >= 0)
                r = cgroup_resources_parse("berth update", "", flags, &fl);
        if (r < 0)
                return r;
        if (cgroup_resources_merge(res, fl) < 0)
                return log_oom();
        if (res->has_devices)
                log_warning("%s: devices: update does not change the device rules of a container (as runc), "
                            "ignoring", what);
        res->has_devices = false;
        res->n_devices = 0;
        r = open_with_cgroup(root, id, /* lock= */ true, "update", &o);
        if (r < 0)
                return r;
        r = update_config(o.dir_fd, id, (const char *const[2]) { resources, flags }, &old, &new, &merged);
        if (r < 0)
                return r;
        /* v2 and systemd take swap alone: memory + swap minus the memory limit (the recorded one). */
        if (res->memory_swap != CGROUP_UNSET && res->memory_limit == CGROUP_UNSET)
                res->memory_limit = merged->memory_limit;
        /* Recorded first (atomically: a temp file in the state dir, fsync, renameat), under the lock;
         * put back if the cgroup refuses the values (apply then leaves the cgroup as it was). */
        r = write_file_atomic_at(o.dir_fd, STATE_CONFIG, new, strlen(new), 0600);
        if (r < 0)
                return log_error_errno(r, "Failed to record the update in the config of container '%s': %m", id);
        r = o.cg.manager->apply(&o.cg, res);
        if (r < 0) {
                k = write_file_atomic_at(o.dir_fd, STATE_CONFIG, old, strlen(old), 0600);
                if (k < 0)
                        log_warning_errno(k, "Failed to put back the config of container '%s', ignoring: %m", id);
                return r;
        }
        return 0;
}

int container_stats(const char *root, const char *id, CgroupStats *ret) {
        _cleanup_(opened_done) Opened o = {};
        int r;

        r = open_with_cgroup(root, id, /* lock= */ false, "get the stats of", &o);
        if (r < 0)
                return r;
        return o.cg.manager->stats(&o.cg, ret);
}

int container_oom_watch(const char *root, const char *id, int *ret_fd) {
        _cleanup_(opened_done) Opened o = {};
        int r;

        r = open_with_cgroup(root, id, /* lock= */ false, "watch", &o);
        if (r < 0)
                return r;
        r = o.cg.manager->oom_watch(&o.cg, ret_fd);
        if (r < 0)
                return log_debug_errno(r, "Cannot watch container '%s' for OOM kills: %m", id);
        return 0;
}

int container_oom_kills(const char *root, const char *id, uint64_t *ret) {
        _cleanup_(cgroup_stats_done) CgroupStats s = {};
        _cleanup_(opened_done) Opened o = {};
        int r;

        r = open_cgroup(root, id, /* lock= */ false, /* stopped_too= */ true, "get the stats of", &o);
        if (r < 0)
                return r;
        r = o.cg.manager->stats(&o.cg, &s);
        if (r < 0)
                return r;
        *ret = s.memory_oom_kills;
        return 0;
}
