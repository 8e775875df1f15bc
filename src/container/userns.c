/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "process-util.h"
#include "strv.h"
#include "userns.h"

static bool maps_only(const SpecIdMap *m, size_t n, uint32_t id) {
        return n == 1 && m[0].host_id == id && m[0].size == 1;
}

static int write_map_file(pid_t pid, const char *file, const SpecIdMap *m, size_t n) {
        char path[64], buf[SPEC_IDMAPS_MAX * 36 + 1];
        size_t off = 0;

        for (size_t i = 0; i < n; i++)
                off += (size_t) snprintf(buf + off, sizeof buf - off, "%u %u %u\n", m[i].container_id,
                                         m[i].host_id, m[i].size);
        snprintf(path, sizeof path, "/proc/%d/%s", (int) pid, file);
        return write_string_file_at(AT_FDCWD, path, buf);
}

/* newuidmap PID ID HOSTID COUNT ... (the setuid helper checks /etc/subuid for us). */
static int run_map_helper(const char *helper, pid_t pid, const SpecIdMap *m, size_t n) {
        _cleanup_strv_free_ char **argv = NULL;
        char num[3][16];
        int status, r;
        pid_t child;

        snprintf(num[0], sizeof num[0], "%d", (int) pid);
        if (strv_extend(&argv, helper) < 0 || strv_extend(&argv, num[0]) < 0)
                return log_oom();
        for (size_t i = 0; i < n; i++) {
                snprintf(num[0], sizeof num[0], "%u", m[i].container_id);
                snprintf(num[1], sizeof num[1], "%u", m[i].host_id);
                snprintf(num[2], sizeof num[2], "%u", m[i].size);
                for (int k = 0; k < 3; k++)
                        if (strv_extend(&argv, num[k]) < 0)
                                return log_oom();
        }
        child = fork();
        if (child < 0)
                return log_error_errno(errno, "Failed to fork for %s: %m", helper);
        if (child == 0) {
                execvp(helper, argv);
                _exit(errno == ENOENT ? 127 : 126);
        }
        r = wait_for_pid(child, &status);
        if (r < 0)
                return log_error_errno(r, "Failed to wait for %s: %m", helper);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT),
                                       "Failed to write the id mappings: mappings other than your own id need "
                                       "%s (package uidmap), which was not found", helper);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return log_error_errno(SYNTHETIC_ERRNO(EPERM),
                                       "Failed to write the id mappings: %s refused them (exit status %d; "
                                       "see /etc/subuid and /etc/subgid)", helper, status_to_exit_code(status));
        return 0;
}

int userns_write_maps(pid_t pid, const SpecLinux *lx) {
        bool root = geteuid() == 0;
        char path[64];
        int r;

        assert(lx);
        if (root || maps_only(lx->uid_mappings, lx->n_uid_mappings, geteuid())) {
                r = write_map_file(pid, "uid_map", lx->uid_mappings, lx->n_uid_mappings);
                if (r < 0)
                        return log_error_errno(r, "Failed to write uid_map for the container: %m");
        } else {
                r = run_map_helper("newuidmap", pid, lx->uid_mappings, lx->n_uid_mappings);
                if (r < 0)
                        return r;
        }
        if (root)
                r = write_map_file(pid, "gid_map", lx->gid_mappings, lx->n_gid_mappings);
        else if (maps_only(lx->gid_mappings, lx->n_gid_mappings, getegid())) {
                /* Without privilege the kernel takes a gid_map only once setgroups(2) is denied in
                 * the namespace: the container then keeps the groups it has. */
                snprintf(path, sizeof path, "/proc/%d/setgroups", (int) pid);
                r = write_string_file_at(AT_FDCWD, path, "deny");
                if (r >= 0)
                        r = write_map_file(pid, "gid_map", lx->gid_mappings, lx->n_gid_mappings);
        } else
                return run_map_helper("newgidmap", pid, lx->gid_mappings, lx->n_gid_mappings);
        if (r < 0)
                return log_error_errno(r, "Failed to write gid_map for the container: %m");
        return 0;
}
