/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "macro.h"

char **strv_free(char **l);
static inline void strv_freep(char ***l) {
        strv_free(*l);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char * const *l);
bool strv_contains(char * const *l, const char *s);
/* Appends a copy of s; returns 0 or -ENOMEM. */
int strv_extend(char ***l, const char *s);
/* Appends s itself, taking ownership (freed on failure). */
int strv_consume(char ***l, char *s);
char **strv_copy(char * const *l);
/* For env-style lists: the value of "key=" or NULL. */
const char *strv_env_get(char * const *l, const char *key);
/* Set KEY=value in an environment list: replaces every earlier KEY= (so getenv() sees this one). */
int strv_env_set(char ***l, const char *key, const char *value);

/* A newly allocated formatted string, NULL on OOM (asprintf() without a result to ignore). */
_printf_(1, 2) char *strdup_printf(const char *fmt, ...);
