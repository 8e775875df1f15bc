/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* How often open_in_root() retries a lookup that a concurrent rename or mount made fail with EAGAIN. */
#define OPENAT2_EAGAIN_TRIES 32U

/* openat2() with RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS (plus extra_resolve): path is resolved as if
 * root_fd were "/", so neither ".." nor a symlink can leave it. EAGAIN (a rename or mount raced with
 * the lookup) is retried up to OPENAT2_EAGAIN_TRIES times. */
int open_in_root(int root_fd, const char *path, int flags, uint64_t extra_resolve, int *ret_fd);
/* read_full_file_at() for a file of the container image: path is resolved inside root_fd, opened
 * non-blocking; only a regular file of at most max bytes is read (-EISDIR, -EBADFD, -EFBIG else). */
int read_full_file_in_root(int root_fd, const char *path, size_t max, char **ret, size_t *ret_size);
/* Like open_in_root(O_PATH), creating missing directories (0755) on the way, and the last component
 * as an empty file (0644) when last_is_file. Returns an O_PATH fd of the result. */
int mkdir_p_in_root(int root_fd, const char *path, bool last_is_file, int *ret_fd);
/* "/proc/self/fd/N" for fd into buf (at least 32 bytes). */
const char *fd_path(int fd, char buf[static 32]);
/* Open the directory that path is in (O_PATH) and return its last component, for *at() calls on
 * the entry itself. */
int open_parent(const char *path, int *ret_dir_fd, char **ret_name);
