/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* AppArmor and SELinux labels: process.apparmorProfile, process.selinuxLabel (and exec's --apparmor,
 * --process-label), linux.mountLabel. Applied when the host has the LSM; refused otherwise, before any
 * side effect, as runc does: a label asked for and silently not applied is a weaker container. */

#include <stdbool.h>

#define LSM_PROC_ATTR_DIR "/proc/thread-self/attr"

bool lsm_apparmor_enabled(void);
bool lsm_selinux_enabled(void);

/* In the runtime, before anything happens: -EOPNOTSUPP (logged, naming 'name' and the field) for a
 * label whose LSM this host does not have. Any argument may be NULL. */
int lsm_check(const char *name, const char *apparmor_profile, const char *selinux_label, const char *mount_label);

/* In the container process, right before seccomp and execve(): the labels the next execve() takes
 * on, written to attr_dir (LSM_PROC_ATTR_DIR; tests pass a fake one): AppArmor "exec PROFILE" to
 * attr_dir/apparmor/exec (or attr_dir/exec on kernels without per-LSM dirs), SELinux the label to
 * attr_dir/exec. NULL or empty: nothing. Logs. */
int lsm_set_exec_labels(const char *attr_dir, const char *apparmor_profile, const char *selinux_label);
