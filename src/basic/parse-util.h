/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

/* Whole-string decimal parsers: -EINVAL for junk, -ERANGE for overflow. */
int safe_atou64(const char *s, uint64_t *ret);
int safe_atou32(const char *s, uint32_t *ret);
int safe_atoi(const char *s, int *ret);
/* A signal by name ("TERM", "SIGTERM", "sigkill") or number; -EINVAL if unknown. */
int signal_from_string(const char *s);
