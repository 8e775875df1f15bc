/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The verbs that work on a container's cgroup: pause/resume, ps, update, events. */
#include <sys/file.h>

#include "cgroup.h"
#include "container-internal.h"
#include "container.h"
#include "fd-util.h"
#include "log.h"
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

static int open_with_cgroup(const char *root, const char *id, bool lock, const char *verb, Opened *o) {
        int r;

        *o = (Opened) { .dir_fd = -EBADF };
        r = container_open(root, id, lock, &o->dir_fd, &o->s);
        if (r < 0)
                return r;
        r = container_state_usable(o->s);
        if (r < 0)
                return r;
        o->status = state_status(o->dir_fd, o->s);
        if (o->status == CONTAINER_STOPPED)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "cannot %s container '%s': it is stopped", verb, id);
        r = container_cgroup_open(o->s, &o->cg);
        if (r < 0)
                return r;
        if (o->cg.type == CGROUP_MANAGER_DISABLED)
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "cannot %s container '%s': it has no cgroup "
                                       "(created with --cgroup-manager disabled)", verb, id);
        return 0;
}

int container_pause(const char *root, const char *id, bool pause) {
        _cleanup_(opened_done) Opened o = {};
        int r;

        r = open_with_cgroup(root, id, /* lock= */ true, pause ? "pause" : "resume", &o);
        if (r < 0)
                return r;
        if (pause && o.status != CONTAINER_RUNNING && o.status != CONTAINER_CREATED)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "cannot pause container '%s': it is %s", id,
                                       container_status_to_string(o.status));
        if (!pause && o.status != CONTAINER_PAUSED)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "cannot resume container '%s': it is %s, not "
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

int container_update(const char *root, const char *id, const CgroupResources *res) {
        _cleanup_(opened_done) Opened o = {};
        int r;

        r = open_with_cgroup(root, id, /* lock= */ true, "update", &o);
        if (r < 0)
                return r;
        return o.cg.manager->apply(&o.cg, res);
}

int container_stats(const char *root, const char *id, CgroupStats *ret) {
        _cleanup_(opened_done) Opened o = {};
        int r;

        r = open_with_cgroup(root, id, /* lock= */ false, "get the stats of", &o);
        if (r < 0)
                return r;
        return o.cg.manager->stats(&o.cg, ret);
}
