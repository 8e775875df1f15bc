/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _noreturn_ __attribute__((noreturn))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _likely_(x) __builtin_expect(!!(x), 1)
#define _unlikely_(x) __builtin_expect(!!(x), 0)

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_GENERIC(var, type, nullvalue)                      \
        ({                                                      \
                type *_pvar_ = &(var);                          \
                type _var_ = *_pvar_;                           \
                type _nullvalue_ = nullvalue;                   \
                *_pvar_ = _nullvalue_;                          \
                _var_;                                          \
        })
#define TAKE_PTR(p) TAKE_GENERIC(p, typeof(p), NULL)
#define TAKE_FD(fd) TAKE_GENERIC(fd, int, -EBADF)
#define TAKE_PID(pid) TAKE_GENERIC(pid, pid_t, 0)

/* A libc -1/errno result as a negative errno. */
#define RET_NERRNO(expr)                        \
        ({                                      \
                typeof(expr) _r_ = (expr);      \
                _r_ < 0 ? -errno : _r_;         \
        })

/* Keep the first error while going on (teardown). */
#define RET_GATHER(r, expr)                     \
        ({                                      \
                int _q_ = (expr);               \
                if ((r) >= 0 && _q_ < 0)        \
                        (r) = _q_;              \
                _q_;                            \
        })

static inline bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}
static inline bool streq_ptr(const char *a, const char *b) {
        if (!a || !b)
                return a == b;
        return streq(a, b);
}
static inline const char *strempty(const char *s) {
        return s ?: "";
}
static inline const char *strna(const char *s) {
        return s ?: "n/a";
}
static inline const char *endswith(const char *s, const char *suffix) {
        size_t l = strlen(s), k = strlen(suffix);
        return l >= k && strcmp(s + l - k, suffix) == 0 ? s + l - k : NULL;
}
static inline const char *startswith(const char *s, const char *prefix) {
        size_t l = strlen(prefix);
        return strncmp(s, prefix, l) == 0 ? s + l : NULL;
}

/* IN_SET(x, A, B, ...): x equals one of the (int) values. */
#define IN_SET(x, ...)                                                          \
        ({                                                                      \
                const int _in_set_v[] = { __VA_ARGS__ };                        \
                bool _in_set_found = false;                                     \
                for (size_t _i = 0; _i < ELEMENTSOF(_in_set_v); _i++)           \
                        if ((x) == _in_set_v[_i])                               \
                                _in_set_found = true;                           \
                _in_set_found;                                                  \
        })

#define STRV_FOREACH(s, l) for (char **s = (l); s && *s; s++)

#define mfree(p) ({ free(p); (typeof(p)) NULL; })
