/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mount-plan.h"

/* Apply every op of the plan below root_fd (the container rootfs, not yet pivoted into).
 * Runs in the container's mount namespace. Logs. */
int mount_apply_plan(int root_fd, const MountPlan *plan);
/* MS_* per-mount flags -> MOUNT_ATTR_* for mount_setattr/fsmount. */
uint64_t mount_flags_to_attr(unsigned long flags);
/* Make the mount at path (resolved below root_fd, no symlinks) read-only, only that mount (not
 * the ones below it). Logs. */
int mount_make_readonly(int root_fd, const char *path);
