/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mount-plan.h"

/* Apply every op of the plan below root_fd (the container rootfs, not yet pivoted into).
 * Runs in the container's mount namespace. Logs. */
int mount_apply_plan(int root_fd, const MountPlan *plan);
/* In the runtime, as the host's root, before the init exists (a user namespace): clone the host
 * source of every bind (and of a "cgroup" mount that will be a bind) into the plan, detached, with
 * the propagation the init sets up with (rootfs_setup_propagation(): MS_SLAVE or MS_PRIVATE is applied
 * to the whole clone, MS_SHARED keeps it a peer of the host's mount, as the init's copies are). Logs,
 * naming the mount. */
int mount_plan_open_sources(MountPlan *plan, unsigned long propagation);
/* open_tree(OPEN_TREE_CLONE) of path, then the propagation as above. Returns -errno, no logging. */
int mount_clone_host_tree(const char *path, bool recursive, unsigned long propagation, int *ret_fd);
/* MS_* per-mount flags -> MOUNT_ATTR_* for mount_setattr/fsmount. */
uint64_t mount_flags_to_attr(unsigned long flags);
/* Make the mount at path (resolved below root_fd, no symlinks) read-only, only that mount (not
 * the ones below it). Logs. */
int mount_make_readonly(int root_fd, const char *path);
