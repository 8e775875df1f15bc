/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fd-util.h"
#include "log.h"

/* The one accepted piece of global state besides arg_*. */
static int log_max_level = LOG_INFO;
static int log_file_fd = -EBADF;
static bool log_file_json;
static LogForward log_forward;
static void *log_forward_userdata;
static const char *log_prefix;
static int log_kmsg_fd = -EBADF;
static int log_console_fd = -EBADF;

void log_set_max_level(int level) {
        log_max_level = level;
}

int log_get_max_level(void) {
        return log_max_level;
}

void log_set_file(int fd, bool json) {
        log_file_fd = fd;
        log_file_json = json;
}

void log_set_forward(LogForward fn, void *userdata) {
        log_forward = fn;
        log_forward_userdata = userdata;
}

void log_set_prefix(const char *prefix) {
        log_prefix = prefix;
}

void log_set_console_fd(int fd) {
        log_console_fd = fd;
}

void log_open_kmsg(void) {
        if (log_kmsg_fd < 0)
                log_kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
}

static const char *level_name(int level) {
        switch (level) {
        case LOG_EMERG:
        case LOG_ALERT:
        case LOG_CRIT:
                return "fatal";
        case LOG_ERR:
                return "error";
        case LOG_WARNING:
                return "warning";
        case LOG_NOTICE:
        case LOG_INFO:
                return "info";
        default:
                return "debug";
        }
}

static void json_escape_to(FILE *f, const char *s) {
        for (; *s; s++) {
                unsigned char c = (unsigned char) *s;
                if (c == '"' || c == '\\')
                        fprintf(f, "\\%c", c);
                else if (c == '\n')
                        fputs("\\n", f);
                else if (c < 0x20)
                        fprintf(f, "\\u%04x", c);
                else
                        fputc(c, f);
        }
}

static void write_log_file(int level, const char *msg) {
        char buf[4096 + 256], ts[64];
        struct timespec now;
        struct tm tm;
        FILE *f;

        (void) clock_gettime(CLOCK_REALTIME, &now);
        (void) gmtime_r(&now.tv_sec, &tm);
        (void) strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);

        f = fmemopen(buf, sizeof buf, "w");
        if (!f)
                return;
        if (log_file_json) {
                fprintf(f, "{\"level\":\"%s\",\"msg\":\"", level_name(level));
                json_escape_to(f, msg);
                fprintf(f, "\",\"time\":\"%s.%09ldZ\"}\n", ts, now.tv_nsec);
        } else
                fprintf(f, "%s.%09ldZ %s: %s\n", ts, now.tv_nsec, level_name(level), msg);
        fflush(f);
        (void) loop_write(log_file_fd, buf, strnlen(buf, sizeof buf - 1));
        fclose(f);
}

int log_internal(int level, int error, const char *file, int line, const char *func, const char *format, ...) {
        char msg[4096];
        int e = ERRNO_VALUE(error), saved = errno;
        va_list ap;

        if (level > log_max_level)
                return e ? -e : 0;

        errno = e;
        va_start(ap, format);
        (void) vsnprintf(msg, sizeof msg, format, ap);
        va_end(ap);
        errno = saved;

        if (log_forward) {
                log_forward(level, e, msg, log_forward_userdata);
                return e ? -e : 0;
        }

        if (log_file_fd >= 0)
                write_log_file(level, msg);

        if (log_kmsg_fd >= 0) {
                /* One write() per record, as /dev/kmsg wants: dprintf() drops the text on a device
                 * whose lseek() fails with EINVAL (glibc 2.36), which /dev/kmsg's does. */
                char rec[sizeof msg + 256];
                int k = snprintf(rec, sizeof rec, "<%i>%s%s\n", level, strempty(log_prefix), msg);

                if (k > 0)
                        (void) loop_write(log_kmsg_fd, rec, (size_t) k < sizeof rec ? (size_t) k : sizeof rec - 1);
        } else if (log_file_fd < 0 || level <= LOG_ERR) {
                int fd = log_console_fd >= 0 ? log_console_fd : STDERR_FILENO;

                if (getenv("JOURNAL_STREAM"))
                        dprintf(fd, "<%i>%s%s\n", level, strempty(log_prefix), msg);
                else
                        dprintf(fd, "%s%s\n", strempty(log_prefix), msg);
        }
        errno = saved;
        return e ? -e : 0;
}
