/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <sys/un.h>

/* Send one fd with SCM_RIGHTS over a connected unix socket. The data part is the string name (without its
 * NUL; runc sends the pty master as "/dev/ptmx"), or a single NUL byte when name is NULL or empty: a
 * stream socket cannot carry ancillary data without at least one data byte. MSG_NOSIGNAL: a peer that went
 * away is -EPIPE, not SIGPIPE. Returns 0 or a negative errno. */
int send_fd(int sock, int fd, const char *name);

/* Receive one fd sent with SCM_RIGHTS. The fd comes with O_CLOEXEC (MSG_CMSG_CLOEXEC). If name is not
 * NULL, the data part is stored there NUL-terminated (truncated to name_size - 1). -EBADMSG when the
 * message carried no fd, -ECONNRESET on EOF; extra fds (more than one) are closed. *ret_fd is set only on
 * success. */
int recv_fd(int sock, int *ret_fd, char *name, size_t name_size);

/* The address of the unix socket `name` in the directory dir_fd, reached as /proc/self/fd/N/name so
 * that any directory path fits in sun_path. -ENAMETOOLONG if even that does not fit. */
int sockaddr_un_at(int dir_fd, const char *name, struct sockaddr_un *ret);
