/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* journald's native protocol, written here so the journal relay (berth-relay.c) needs no
 * libsystemd: one datagram per entry to /run/systemd/journal/socket, each field "NAME=value\n",
 * or, for a value with a newline in it, "NAME\n" + its length (64-bit little-endian) + the value +
 * "\n". An entry too large for a datagram goes in a sealed memfd passed with SCM_RIGHTS (what
 * sd_journal_sendv() does). No field is added: no SYSLOG_IDENTIFIER= of our own, no CODE_*=. */

#include <stddef.h>
#include <sys/uio.h>

#define JOURNAL_NATIVE_SOCKET "/run/systemd/journal/socket"
#define JOURNAL_NATIVE_FIELDS_MAX 16U

/* An unbound, unconnected AF_UNIX datagram socket for journal_native_send(), its send buffer
 * raised (8 MiB, as libsystemd's) so a burst waits less on journald. */
int journal_native_open(void);

/* Send one entry of n fields ("NAME=value" each, value binary-safe) to the socket at path
 * (JOURNAL_NATIVE_SOCKET but in tests). Blocks while journald's queue is full. 0 when sent or
 * when no journald listens there (-ENOENT, as sd_journal_sendv()); -EINVAL for a field without a
 * valid "NAME=" or more than JOURNAL_NATIVE_FIELDS_MAX fields. */
int journal_native_send(int fd, const char *path, const struct iovec *fields, size_t n);
