/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <syslog.h>

#include "macro.h"

/* An error we made up ourselves: no ERRNO= field, no "%m" in the text. */
#define SYNTHETIC_ERRNO(e) ((e) | (1 << 30))
#define ERRNO_VALUE(e) (abs(e) & ~(1 << 30))

typedef void (*LogForward)(int level, int error, const char *message, void *userdata);

void log_set_max_level(int level);
int log_get_max_level(void);
/* Also write log lines to fd (the --log file), as text or runc-style JSON lines. */
void log_set_file(int fd, bool json);
/* Forward every message to fn instead of stderr (the container child -> parent sync socket). */
void log_set_forward(LogForward fn, void *userdata);
/* Prefix for console lines, e.g. "berth-generator[123]: "; NULL for none. */
void log_set_prefix(const char *prefix);
/* Write console output to fd instead of stderr (-EBADF: stderr again). Not owned. */
void log_set_console_fd(int fd);
/* Send console output to /dev/kmsg (generators). */
void log_open_kmsg(void);

int log_internal(int level, int error, const char *file, int line, const char *func, const char *format, ...)
        _printf_(6, 7);

#define log_full_errno(level, error, ...) \
        log_internal(level, error, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define log_debug(...) log_full_errno(LOG_DEBUG, 0, __VA_ARGS__)
#define log_info(...) log_full_errno(LOG_INFO, 0, __VA_ARGS__)
#define log_notice(...) log_full_errno(LOG_NOTICE, 0, __VA_ARGS__)
#define log_warning(...) log_full_errno(LOG_WARNING, 0, __VA_ARGS__)
#define log_error(...) log_full_errno(LOG_ERR, 0, __VA_ARGS__)
#define log_debug_errno(e, ...) log_full_errno(LOG_DEBUG, e, __VA_ARGS__)
#define log_info_errno(e, ...) log_full_errno(LOG_INFO, e, __VA_ARGS__)
#define log_warning_errno(e, ...) log_full_errno(LOG_WARNING, e, __VA_ARGS__)
#define log_error_errno(e, ...) log_full_errno(LOG_ERR, e, __VA_ARGS__)
#define log_oom() log_error_errno(SYNTHETIC_ERRNO(ENOMEM), "Out of memory.")
