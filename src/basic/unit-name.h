/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Unit names as systemd spells them (systemd.unit(5)): "prefix@instance.suffix". libsystemd has no
 * public function for any of this, so these are our own, unit-tested against systemd-escape(1). */

#include <stdbool.h>

/* systemd's UNIT_NAME_MAX: a unit name is at most 255 bytes. */
#define UNIT_NAME_MAX 256U

/* Every character is one systemd allows in a unit name (ASCII letters and digits, ":-_.\"), and
 * s is not empty. */
bool unit_instance_is_valid(const char *s);

/* What `systemd-escape STRING` prints: '/' becomes '-', a leading '.' and every byte outside
 * [A-Za-z0-9:_.] become "\xNN". NULL on OOM. */
char *unit_name_escape(const char *s);

/* "prefix@instance.suffix" (suffix without the dot, e.g. "service"): -EINVAL if instance is not
 * valid (see unit_instance_is_valid()) or the name would be longer than UNIT_NAME_MAX - 1. */
int unit_name_build(const char *prefix, const char *instance, const char *suffix, char **ret);
