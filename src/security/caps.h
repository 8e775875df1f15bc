/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "spec.h"

/* Drop from the bounding set what process.capabilities.bounding does not list. Before the user
 * switch. No-op when the config has no capabilities object. */
int caps_drop_bounding(const SpecCapabilities *c);
/* After setresuid (with PR_SET_KEEPCAPS): set effective, permitted, inheritable exactly as listed
 * (inheritable stays empty unless asked, CVE-2022-29162), then raise the ambient ones. for_seccomp:
 * also keep CAP_SYS_ADMIN in the effective and permitted sets until execve(), which drops it (see
 * caps.c), so that a seccomp filter can be loaded without no_new_privs. */
int caps_apply(const SpecCapabilities *c, bool for_seccomp);
