/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The id mappings of a new user namespace, written by the runtime (in the parent user namespace)
 * for the process that created it. */

#include <sys/types.h>

#include "spec.h"

/* Write uid_map and gid_map of pid. As root, directly. Without privilege the kernel takes one
 * mapping of the caller's own id (after "deny" to setgroups, for gid_map); anything more goes
 * through newuidmap(1)/newgidmap(1) (package uidmap), which check /etc/subuid and /etc/subgid.
 * Logs. */
int userns_write_maps(pid_t pid, const SpecLinux *lx);
