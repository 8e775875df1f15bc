/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* One line of /proc/PID/mountinfo (proc(5)); paths are unescaped ("\040" -> " "). */
typedef struct MountInfo {
        int id, parent_id;
        char *root;        /* the part of the filesystem mounted, "/" for all of it */
        char *mount_point;
        char *fstype;
        char *super_options; /* the filesystem's options ("rw,memory"), NULL when the line has none */
} MountInfo;

void mountinfo_free(MountInfo *m, size_t n);

/* Parse the text of a mountinfo file. Malformed lines are -EINVAL; at most 65536 mounts. */
int mountinfo_parse(const char *text, MountInfo **ret, size_t *ret_n);

/* The mounts that are neither mount keep_id, nor below it, nor one of the mounts it sits on (those
 * cannot go without it), as indices into m, the deepest first (children before their parents).
 * Returns the number of indices (0 when keep_id is not in m). */
int mountinfo_foreign(const MountInfo *m, size_t n, int keep_id, size_t **ret);

/* procfs or sysfs: what the kernel lets a user namespace mount again only if a full mount of it is
 * visible in the mount namespace. */
bool mountinfo_is_proc_or_sys(const MountInfo *m);
