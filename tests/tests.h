/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Minimal TAP: every ASSERT_* prints "ok N - ..." or "not ok N - ...", tests_done() prints the plan
 * and returns the exit code. */

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static unsigned tests_n, tests_failed;

static inline void tests_report(int ok, const char *what, const char *file, int line) {
        tests_n++;
        if (ok)
                printf("ok %u - %s\n", tests_n, what);
        else {
                tests_failed++;
                printf("not ok %u - %s (%s:%d)\n", tests_n, what, file, line);
        }
        fflush(stdout);
}

#define ASSERT_TRUE(x) tests_report(!!(x), #x, __FILE__, __LINE__)
#define ASSERT_OK(r)                                                                                \
        ({                                                                                          \
                long _r = (long) (r);                                                               \
                if (_r < 0)                                                                         \
                        printf("# %s returned %ld\n", #r, _r);                                      \
                tests_report(_r >= 0, #r " >= 0", __FILE__, __LINE__);                              \
        })
#define ASSERT_EQ(a, b)                                                                             \
        ({                                                                                          \
                long long _a = (long long) (a), _b = (long long) (b);                               \
                if (_a != _b)                                                                       \
                        printf("# %s = %lld, expected %lld\n", #a, _a, _b);                         \
                tests_report(_a == _b, #a " == " #b, __FILE__, __LINE__);                           \
        })
#define ASSERT_STREQ(a, b)                                                                          \
        ({                                                                                          \
                const char *_a = (a), *_b = (b);                                                    \
                int _ok = _a && _b && strcmp(_a, _b) == 0;                                          \
                if (!_ok)                                                                           \
                        printf("# %s = \"%s\", expected \"%s\"\n", #a, _a ?: "(null)", _b ?: "(null)"); \
                tests_report(_ok, #a " == \"" #b "\"", __FILE__, __LINE__);                          \
        })

static inline int tests_done(void) {
        printf("1..%u\n", tests_n);
        return tests_failed ? 1 : 0;
}

/* Log capture: log_set_forward(capture, &captured) routes berth's log messages here, so a test can
 * check the one message an error produced. */
typedef struct Captured {
        unsigned n;
        int level;
        int error;
        char message[4096];
} Captured;

static Captured captured __attribute__((unused));

static inline void capture(int level, int error, const char *message, void *userdata) {
        Captured *c = userdata;

        c->n++;
        c->level = level;
        c->error = error;
        snprintf(c->message, sizeof c->message, "%s", message);
}

static inline void capture_reset(void) {
        captured = (Captured) {};
}

/* JSON written with ' instead of " so it reads well in C. */
static inline char *unquote(const char *s) {
        char *c = strdup(s);

        assert(c);
        for (char *p = c; *p; p++)
                if (*p == '\'')
                        *p = '"';
        return c;
}
