/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <dirent.h>
#include <stdio.h>

#include "macro.h"

/* No-op for fd < 0; never retries on EINTR (the fd is gone either way); keeps errno. */
int safe_close(int fd);

static inline void closep(int *fd) {
        safe_close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

static inline void closedirp(DIR **d) {
        if (*d)
                (void) closedir(*d);
}

/* A DIR stream of its own for path relative to dir_fd ("." for dir_fd itself, which may be an
 * O_PATH fd); the caller's fd stays its own. */
int opendir_at(int dir_fd, const char *path, DIR **ret);

/* Read a regular file of at most max bytes into a NUL-terminated buffer: -EISDIR for a directory,
 * -EBADFD for anything else that is not a regular file (a FIFO would block), -EFBIG if larger. */
int read_full_file_at(int dir_fd, const char *path, size_t max, char **ret, size_t *ret_size);
/* The same for an open fd (opened O_NONBLOCK by the caller, so a FIFO cannot block the open). */
int read_full_fd(int fd, size_t max, char **ret, size_t *ret_size);
/* Like read_full_fd(), but a pipe, socket or character device (a terminal, /dev/fd/N of a shell's
 * process substitution) is read to EOF as well, still at most max bytes (-EFBIG beyond). It blocks
 * until the writer closes: for input the caller named, not for files of the container image. */
int read_full_stream(int fd, size_t max, char **ret, size_t *ret_size);
/* Write data to path (relative to dir_fd) atomically: temp file, fsync, rename. */
int write_file_atomic_at(int dir_fd, const char *path, const void *data, size_t len, mode_t mode);
/* Write a short string to an existing file (proc/sys knobs). */
int write_string_file_at(int dir_fd, const char *path, const char *s);
int loop_write(int fd, const void *buf, size_t len);
int loop_read(int fd, void *buf, size_t len);
