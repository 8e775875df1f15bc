/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The systemd manager: the container is a transient scope started over D-Bus (DESIGN.md §4). We
 * never write to the files of a cgroup systemd made; limits are unit properties. */
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "cgroup.h"
#include "dlopen-libsystemd.h"
#include "log.h"
#include "path-util.h"
#include "strv.h"

#define JOB_TIMEOUT_USEC (30ULL * 1000 * 1000)
/* Destination, object path and interface of systemd's manager, for every call and match here. */
#define SYSTEMD_MANAGER "org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager"

typedef struct JobWait {
        const char *path;
        char *result;
} JobWait;

static int job_removed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        JobWait *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        if (sym_sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (w->path && streq(path, w->path) && !w->result)
                w->result = strdup(result);
        return 0;
}

/* libsystemd is loaded here, not at exec: only this manager and the journal relay use it
 * (src/basic/dlopen-util.h). Without it, a clear error naming what needed it, never a crash. */
static int bus_dlopen(void) {
        _cleanup_free_ char *msg = NULL;
        int r;

        r = dlopen_libsystemd(&msg);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "--systemd-cgroup needs " LIBSYSTEMD_SONAME ": %s", msg);
        return 0;
}

static int bus_open(sd_bus **ret) {
        int r;

        r = bus_dlopen();
        if (r < 0)
                return r;
        r = geteuid() == 0 ? sym_sd_bus_open_system(ret) : sym_sd_bus_open_user(ret);
        if (r < 0)
                return log_error_errno(r, "Failed to connect to the systemd %s bus (is systemd running?): %m",
                                       geteuid() == 0 ? "system" : "user");
        return 0;
}

/* Call a Manager method that returns a job, and wait for the job. The JobRemoved match is added
 * first, so a fast job cannot finish unseen. */
/* Forget a failed unit of that name (best effort: it may be gone). */
static void reset_failed(sd_bus *bus, const char *unit) {
        (void) sym_sd_bus_call_method(bus, SYSTEMD_MANAGER, "ResetFailedUnit", NULL, NULL, "s", unit);
}

static int call_job(sd_bus *bus, const char *unit, sd_bus_message *m, sd_bus_error *error) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(sym_sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
        JobWait w = {};
        uint64_t start = 0, now;
        struct timespec ts;
        int r;

        r = sym_sd_bus_match_signal(bus, &slot, SYSTEMD_MANAGER, "JobRemoved", job_removed, &w);
        if (r < 0)
                return log_error_errno(r, "Failed to watch systemd jobs: %m");
        r = sym_sd_bus_call(bus, m, JOB_TIMEOUT_USEC, error, &reply);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_read(reply, "o", &w.path);
        if (r < 0)
                return log_error_errno(r, "Failed to read the job of '%s': %m", unit);
        clock_gettime(CLOCK_MONOTONIC, &ts);
        start = (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
        while (!w.result) {
                r = sym_sd_bus_process(bus, NULL);
                if (r < 0)
                        return log_error_errno(r, "Failed to process the bus: %m");
                if (r > 0)
                        continue;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                now = (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
                if (now - start > JOB_TIMEOUT_USEC)
                        return log_error_errno(SYNTHETIC_ERRNO(ETIMEDOUT), "Timed out waiting for the job of '%s'",
                                               unit);
                r = sym_sd_bus_wait(bus, JOB_TIMEOUT_USEC - (now - start));
                if (r < 0)
                        return log_error_errno(r, "Failed to wait on the bus: %m");
        }
        if (!streq(w.result, "done")) {
                r = log_error_errno(SYNTHETIC_ERRNO(EIO), "The job for '%s' ended with '%s'", unit, w.result);
                free(w.result);
                return r;
        }
        free(w.result);
        return 0;
}

static int append_property(sd_bus_message *m, const UnitProperty *p) {
        int r;

        r = sym_sd_bus_message_open_container(m, 'r', "sv");
        if (r < 0)
                return r;
        r = sym_sd_bus_message_append(m, "s", p->name);
        if (r < 0)
                return r;
        switch (p->type) {
        case UNIT_PROPERTY_STRING:
                r = sym_sd_bus_message_append(m, "v", "s", p->s);
                break;
        case UNIT_PROPERTY_BOOL:
                r = sym_sd_bus_message_append(m, "v", "b", (int) p->u);
                break;
        case UNIT_PROPERTY_UINT64:
                r = sym_sd_bus_message_append(m, "v", "t", p->u);
                break;
        case UNIT_PROPERTY_INT32:
                r = sym_sd_bus_message_append(m, "v", "i", (int32_t) p->u);
                break;
        case UNIT_PROPERTY_PIDS:
                r = sym_sd_bus_message_append(m, "v", "au", 1, (uint32_t) p->u);
                break;
        case UNIT_PROPERTY_STRV:
                r = sym_sd_bus_message_open_container(m, 'v', "as");
                if (r >= 0)
                        r = sym_sd_bus_message_append_strv(m, p->list);
                if (r >= 0)
                        r = sym_sd_bus_message_close_container(m);
                break;
        case UNIT_PROPERTY_DEVICES:
                r = sym_sd_bus_message_open_container(m, 'v', "a(ss)");
                if (r >= 0)
                        r = sym_sd_bus_message_open_container(m, 'a', "(ss)");
                for (char **k = p->list; r >= 0 && k && k[0] && k[1]; k += 2)
                        r = sym_sd_bus_message_append(m, "(ss)", k[0], k[1]);
                if (r >= 0)
                        r = sym_sd_bus_message_close_container(m);
                if (r >= 0)
                        r = sym_sd_bus_message_close_container(m);
                break;
        case UNIT_PROPERTY_DEVICE_VALUES:
                r = sym_sd_bus_message_open_container(m, 'v', "a(st)");
                if (r >= 0)
                        r = sym_sd_bus_message_open_container(m, 'a', "(st)");
                for (size_t i = 0; r >= 0 && p->list && p->list[i]; i++)
                        r = sym_sd_bus_message_append(m, "(st)", p->list[i], p->values[i]);
                if (r >= 0)
                        r = sym_sd_bus_message_close_container(m);
                if (r >= 0)
                        r = sym_sd_bus_message_close_container(m);
                break;
        case UNIT_PROPERTY_BYTES:
                r = sym_sd_bus_message_open_container(m, 'v', "ay");
                if (r >= 0)
                        r = sym_sd_bus_message_append_array(m, 'y', p->bytes, p->n_bytes);
                if (r >= 0)
                        r = sym_sd_bus_message_close_container(m);
                break;
        default:
                return -EINVAL;
        }
        if (r < 0)
                return r;
        return sym_sd_bus_message_close_container(m);
}

/* The service berth runs in, if any: the scope is bound to it (BindsTo=, not After=: that
 * deadlocks, DESIGN.md §4). */
static int own_service(char **ret) {
        _cleanup_free_ char *p = NULL;
        const char *last;

        *ret = NULL;
        if (cgroup_pid_get_path(getpid(), "", &p) < 0)
                return 0;
        last = strrchr(p, '/');
        last = last ? last + 1 : p;
        if (strlen(last) > 8 && streq(last + strlen(last) - 8, ".service")) {
                *ret = strdup(last);
                return *ret ? 1 : -ENOMEM;
        }
        return 0;
}

/* The scope's own settings first, then the resources, then the annotations. */
int cgroup_systemd_properties(Cgroup *cg, pid_t pid, const CgroupResources *res, UnitProperties *ret) {
        _cleanup_(unit_properties_done) UnitProperties p = {}, rp = {};
        _cleanup_free_ char *service = NULL;
        static const char *const accounting[] = { "MemoryAccounting", "CPUAccounting", "TasksAccounting",
                                                  "IOAccounting" };
        UnitProperty *x;
        int r;

#define ADD(name_, type_)                                                                          \
        ({                                                                                         \
                UnitProperty *_np = realloc(p.p, (p.n + 1) * sizeof *_np);                         \
                if (!_np)                                                                          \
                        return log_oom();                                                          \
                p.p = _np;                                                                         \
                _np[p.n] = (UnitProperty) { .name = (name_), .type = (type_) };                    \
                &_np[p.n++];                                                                       \
        })
        x = ADD("Description", UNIT_PROPERTY_STRING);
        if (asprintf(&x->s, "berth container %s", cg->id) < 0) {
                x->s = NULL;
                return log_oom();
        }
        x = ADD("Slice", UNIT_PROPERTY_STRING);
        if (!(x->s = strdup(cg->slice)))
                return log_oom();
        x = ADD("Delegate", UNIT_PROPERTY_BOOL);
        x->u = 1;
        x = ADD("PIDs", UNIT_PROPERTY_PIDS);
        x->u = (uint64_t) pid;
        x = ADD("DefaultDependencies", UNIT_PROPERTY_BOOL);
        x->u = 0;
        x = ADD("CollectMode", UNIT_PROPERTY_STRING);
        if (!(x->s = strdup("inactive-or-failed")))
                return log_oom();
        for (size_t i = 0; i < ELEMENTSOF(accounting); i++) {
                x = ADD(accounting[i], UNIT_PROPERTY_BOOL);
                x->u = 1;
        }
        r = own_service(&service);
        if (r < 0)
                return log_oom();
        if (r > 0) {
                x = ADD("BindsTo", UNIT_PROPERTY_STRV);
                if (strv_extend(&x->list, service) < 0)
                        return log_oom();
                /* Stopping the service stops the scope too (BindsTo=), at the same moment: with the
                 * scope's default KillSignal= the init would get a second SIGTERM from the scope's
                 * stop beside the service's (a trap or a graceful shutdown that escalates on the
                 * second signal ran twice). The service signals the init, the relay passes that on
                 * to the scope's other processes (src/journal/berth-relay.c), and the scope's stop
                 * only wakes what is stopped; what outlives its stop timeout still gets SIGKILL. */
                x = ADD("KillSignal", UNIT_PROPERTY_INT32);
                x->u = SIGCONT;
        }
        r = cgroup_resources_to_unit(res, &rp);
        if (r < 0)
                return r;
        for (size_t i = 0; i < rp.n; i++) {
                x = ADD(rp.p[i].name, rp.p[i].type);
                *x = rp.p[i];
                rp.p[i] = (UnitProperty) {};
        }
        r = cgroup_unit_properties_from_annotations(cg->annotations, &p);
        if (r < 0)
                return r;
#undef ADD
        *ret = p;
        p = (UnitProperties) {};
        return 0;
}

static int start_scope(sd_bus *bus, Cgroup *cg, const UnitProperties *p, const bool *skip, sd_bus_error *error) {
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        r = sym_sd_bus_message_new_method_call(bus, &m, SYSTEMD_MANAGER, "StartTransientUnit");
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "ss", cg->unit, "fail");
        if (r >= 0)
                r = sym_sd_bus_message_open_container(m, 'a', "(sv)");
        for (size_t i = 0; r >= 0 && i < p->n; i++)
                if (!skip[i])
                        r = append_property(m, &p->p[i]);
        if (r >= 0)
                r = sym_sd_bus_message_close_container(m);
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                return log_error_errno(r, "Failed to build the StartTransientUnit call for '%s': %m", cg->unit);
        return call_job(bus, cg->unit, m, error);
}

static bool property_rejected(const sd_bus_error *e) {
        return sym_sd_bus_error_has_names(e, SD_BUS_ERROR_UNKNOWN_PROPERTY, SD_BUS_ERROR_PROPERTY_READ_ONLY,
                                          SD_BUS_ERROR_INVALID_ARGS);
}

/* Warn for each resource property whose controller the slice does not have: systemd keeps the
 * property and enforces it once the controller is there (DESIGN.md §4). */
static void warn_unenforced(Cgroup *cg, const UnitProperties *p, const bool *skip) {
        _cleanup_free_ char *parent = NULL, *controllers = NULL;
        static const struct {
                const char *prefix, *controller;
        } map[] = { { "Memory", "memory" }, { "CPUWeight", "cpu" }, { "CPUQuota", "cpu" }, { "TasksMax", "pids" },
                    { "IO", "io" }, { "Allowed", "cpuset" } };

        if (!cg->path || !(parent = path_join(cgroup_root(), cg->path)))
                return;
        *strrchr(parent, '/') = 0;
        if (cgroup_read_file(parent, "cgroup.controllers", &controllers) < 0)
                return;
        for (size_t i = 0; i < p->n; i++) {
                if (skip[i] || !p->p[i].resource)
                        continue;
                for (size_t j = 0; j < ELEMENTSOF(map); j++) {
                        char w[40];

                        if (!startswith(p->p[i].name, map[j].prefix))
                                continue;
                        snprintf(w, sizeof w, "%s", map[j].controller);
                        if (!strstr(controllers, w))
                                log_warning("linux.resources.%s: %s= is set on '%s', but the slice '%s' has no %s "
                                            "controller: it is not enforced", p->p[i].resource, p->p[i].name,
                                            cg->unit, cg->slice, map[j].controller);
                }
        }
}

static int systemd_create(Cgroup *cg, const CgroupResources *res) {
        _cleanup_(unit_properties_done) UnitProperties p = {};

        int r;

        /* Nothing exists yet: check that libsystemd loads and the properties can be built before
         * the init is made. */
        r = bus_dlopen();
        if (r < 0)
                return r;
        return cgroup_systemd_properties(cg, 1, res, &p);
}

/* "; annotations set MemoryMax=, Foo=" when the config sets unit properties itself: systemd's
 * answer to a bad value does not always name the property ("Unexpected message contents"). */
static char *annotations_hint(char **annotations) {
        _cleanup_free_ char *s = NULL;

        for (char **k = annotations; k && k[0] && k[1]; k += 2) {
                const char *name = startswith(k[0], "org.systemd.property.");
                char *t;

                if (!name)
                        continue;
                t = strdup_printf("%s%s=", s ?: "; the config's org.systemd.property.* annotations set ", name);
                if (!t)
                        return NULL;
                free(s);
                s = t;
        }
        return TAKE_PTR(s);
}

/* A start job systemd accepted but that failed or timed out may have left the scope: stop it, say
 * nothing more (the failure was logged). The caller then kills and reaps the init. */
static void scope_abandon(sd_bus *bus, Cgroup *cg) {
        (void) sym_sd_bus_call_method(bus, SYSTEMD_MANAGER, "StopUnit", NULL, NULL, "ss", cg->unit, "replace");
        reset_failed(bus, cg->unit);
}

/* cg->path is set once the scope runs with the init in it; before that (a failed create) there is
 * no scope of ours to signal or stop, and the bus error was logged once already. */
static int systemd_enter(Cgroup *cg, pid_t pid, const CgroupResources *res) {
        _cleanup_(sym_sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(unit_properties_done) UnitProperties p = {};
        _cleanup_free_ bool *skip = NULL;
        bool reset = false;
        int r;

        r = cgroup_systemd_properties(cg, pid, res, &p);
        if (r < 0)
                return r;
        skip = calloc(p.n + 1, sizeof(bool));
        if (!skip)
                return log_oom();
        r = bus_open(&bus);
        if (r < 0)
                return r;
        for (int attempt = 0; attempt < 16; attempt++) {
                _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
                bool dropped = false;

                r = start_scope(bus, cg, &p, skip, &error);
                if (r >= 0)
                        break;
                if (!sym_sd_bus_error_is_set(&error)) {
                        scope_abandon(bus, cg);
                        return r;
                }
                /* A failed scope of the same name (a quick restart): reset it, once. */
                if (sym_sd_bus_error_has_name(&error, "org.freedesktop.systemd1.UnitExists") && !reset) {
                        reset = true;
                        reset_failed(bus, cg->unit);
                        continue;
                }
                /* A property this systemd does not know: retry without it, and say so. */
                if (property_rejected(&error))
                        for (size_t i = 0; i < p.n; i++)
                                if (!skip[i] && error.message && strstr(error.message, p.p[i].name)) {
                                        skip[i] = dropped = true;
                                        log_warning("systemd rejected %s= for '%s' (%s); starting the scope "
                                                    "without it", p.p[i].name, cg->unit, error.message);
                                        break;
                                }
                if (!dropped) {
                        _cleanup_free_ char *hint = annotations_hint(cg->annotations);

                        return log_error_errno(r, "Failed to start the scope '%s' in '%s': %s%s", cg->unit,
                                               cg->slice, error.message ?: "unknown error", hint ?: "");
                }
        }
        if (r < 0)
                return log_error_errno(r, "Failed to start the scope '%s': %m", cg->unit);
        r = cgroup_pid_get_path(pid, "", &cg->path);
        if (r < 0) {
                scope_abandon(bus, cg);
                return log_error_errno(r, "Failed to find the cgroup of scope '%s': %m", cg->unit);
        }
        warn_unenforced(cg, &p, skip);
        return 0;
}

static int unit_call(Cgroup *cg, const char *method, const char *what) {
        _cleanup_(sym_sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = bus_open(&bus);
        if (r < 0)
                return r;
        r = sym_sd_bus_call_method(bus, SYSTEMD_MANAGER, method, &error, NULL, "s", cg->unit);
        if (r < 0)
                return log_error_errno(r, "Failed to %s '%s': %s", what, cg->unit, error.message ?: "");
        return 0;
}

static int systemd_apply(Cgroup *cg, const CgroupResources *res) {
        _cleanup_(sym_sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(unit_properties_done) UnitProperties p = {};
        int r;

        r = cgroup_resources_to_unit(res, &p);
        if (r < 0)
                return r;
        r = bus_open(&bus);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_new_method_call(bus, &m, SYSTEMD_MANAGER, "SetUnitProperties");
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "sb", cg->unit, 1);
        if (r >= 0)
                r = sym_sd_bus_message_open_container(m, 'a', "(sv)");
        for (size_t i = 0; r >= 0 && i < p.n; i++)
                r = append_property(m, &p.p[i]);
        if (r >= 0)
                r = sym_sd_bus_message_close_container(m);
        if (r < 0)
                return log_oom();
        r = sym_sd_bus_call(bus, m, JOB_TIMEOUT_USEC, &error, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to update '%s': %s", cg->unit, error.message ?: "");
        return 0;
}

static int systemd_freeze(Cgroup *cg, bool freeze) {
        return unit_call(cg, freeze ? "FreezeUnit" : "ThawUnit", freeze ? "freeze" : "thaw");
}

static int systemd_is_frozen(Cgroup *cg) {
        return cgroup_manager_v2.is_frozen(cg);
}

static int systemd_stats(Cgroup *cg, CgroupStats *ret) {
        return cgroup_manager_v2.stats(cg, ret);
}

static int systemd_get_pids(Cgroup *cg, pid_t **ret, size_t *ret_n) {
        return cgroup_manager_v2.get_pids(cg, ret, ret_n);
}

static int systemd_kill_all(Cgroup *cg, int sig) {
        _cleanup_(sym_sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        if (!cg->path || !cg->unit)
                return 0;
        r = bus_open(&bus);
        if (r < 0)
                return r;
        r = sym_sd_bus_call_method(bus, SYSTEMD_MANAGER, "KillUnit", &error, NULL, "ssi", cg->unit, "all", sig);
        if (r < 0)
                return log_error_errno(r, "Failed to signal '%s': %s", cg->unit, error.message ?: "");
        return 0;
}

static int systemd_destroy(Cgroup *cg) {
        _cleanup_(sym_sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        if (!cg->path || !cg->unit)
                return 0;
        r = bus_open(&bus);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_new_method_call(bus, &m, SYSTEMD_MANAGER, "StopUnit");
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "ss", cg->unit, "replace");
        if (r < 0)
                return log_oom();
        r = call_job(bus, cg->unit, m, &error);
        if (r < 0 && !sym_sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchUnit"))
                return log_error_errno(r, "Failed to stop '%s': %s", cg->unit, error.message ?: "");
        reset_failed(bus, cg->unit);
        return 0;
}

const CgroupManager cgroup_manager_systemd = {
        .name = "systemd",
        .create = systemd_create,
        .enter = systemd_enter,
        .apply = systemd_apply,
        .freeze = systemd_freeze,
        .is_frozen = systemd_is_frozen,
        .stats = systemd_stats,
        .oom_watch = cgroup_v2_oom_watch,
        .get_pids = systemd_get_pids,
        .kill_all = systemd_kill_all,
        .destroy = systemd_destroy,
};
