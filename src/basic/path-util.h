/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* Join two path parts with exactly one '/' between them. NULL on OOM. */
char *path_join(const char *a, const char *b);
static inline bool path_is_absolute(const char *p) {
        return p && p[0] == '/';
}
/* Collapse "//" and "/./", drop a trailing '/', and refuse ".." components (-EINVAL).
 * Works in place. Returns 0 or -EINVAL. */
int path_normalize_strict(char *p);
/* Last component of p, newly allocated. -EINVAL for "/" or empty. */
int path_extract_filename(const char *p, char **ret);
/* Directory part of p, newly allocated ("/" for "/x"). */
int path_extract_directory(const char *p, char **ret);
/* Make p absolute relative to the current directory (no symlink resolution). */
int path_make_absolute_cwd(const char *p, char **ret);
