/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "mount-plan.h"
#include "spec.h"

/* Make our copy of the mount tree stop propagating to the host, bind the rootfs onto itself and
 * return an O_PATH fd of it. */
int rootfs_prepare(const Spec *spec, const char *rootfs, int *ret_root_fd);
/* Without a mount namespace: an O_PATH fd of the rootfs, with no mount at all. */
int rootfs_open_shared(const char *rootfs, int *ret_root_fd);
/* The propagation the init sets up its mounts with (MS_SLAVE, MS_PRIVATE or MS_SHARED, | MS_REC). */
unsigned long rootfs_setup_propagation(const Spec *spec);
/* In the runtime, as the host's root, before the init exists (a user namespace): check and clone
 * the host nodes rootfs_create_devices() will bind into the plan, with the given propagation
 * (see mount_plan_open_sources()). Logs. */
int rootfs_open_host_devices(const Spec *spec, MountPlan *plan, unsigned long propagation);
/* Default device nodes, linux.devices and the /dev symlinks. in_userns: bind host nodes instead of
 * mknod (a user namespace may not create device nodes). Without a mount namespace, only what is
 * missing is made and nothing is replaced. */
int rootfs_create_devices(int root_fd, const Spec *spec, const MountPlan *plan, bool in_userns);
/* Switch into the rootfs: pivot_root, or MS_MOVE + chroot with no_pivot, or only chroot without a
 * mount namespace. */
int rootfs_enter(const Spec *spec, int root_fd, bool no_pivot);
/* After entering: sysctls, masked and read-only paths, read-only root. */
int rootfs_finish(const Spec *spec);
