/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"
#include "path-util.h"

char *path_join(const char *a, const char *b) {
        size_t la = strlen(a);
        char *r;

        while (la > 0 && a[la - 1] == '/')
                la--;
        while (*b == '/')
                b++;
        if (asprintf(&r, "%.*s/%s", (int) la, a, b) < 0)
                return NULL;
        return r;
}

int path_normalize_strict(char *p) {
        char *w = p;
        const char *s = p;

        if (!p || !*p)
                return -EINVAL;
        while (*s) {
                const char *e;
                size_t l;

                if (*s == '/') {
                        s++;
                        continue;
                }
                e = strchrnul(s, '/');
                l = (size_t) (e - s);
                if (l == 1 && s[0] == '.') {
                        s = e;
                        continue;
                }
                if (l == 2 && s[0] == '.' && s[1] == '.')
                        return -EINVAL;
                if (w != p || p[0] == '/')
                        *w++ = '/';
                memmove(w, s, l);
                w += l;
                s = e;
        }
        if (w == p)
                *w++ = p[0] == '/' ? '/' : '.';
        *w = 0;
        return 0;
}

int path_extract_filename(const char *p, char **ret) {
        const char *e, *b;
        char *r;

        if (!p || !*p)
                return -EINVAL;
        e = p + strlen(p);
        while (e > p && e[-1] == '/')
                e--;
        if (e == p)
                return -EINVAL;
        b = e;
        while (b > p && b[-1] != '/')
                b--;
        r = strndup(b, (size_t) (e - b));
        if (!r)
                return -ENOMEM;
        *ret = r;
        return 0;
}

int path_extract_directory(const char *p, char **ret) {
        const char *e;
        char *r;

        if (!p || !*p)
                return -EINVAL;
        e = p + strlen(p);
        while (e > p + 1 && e[-1] == '/')
                e--;
        while (e > p && e[-1] != '/')
                e--;
        while (e > p + 1 && e[-1] == '/')
                e--;
        if (e == p)
                r = strdup(".");
        else
                r = strndup(p, (size_t) (e - p));
        if (!r)
                return -ENOMEM;
        *ret = r;
        return 0;
}

/* Lexical cleanup as Go's filepath.Clean does for an absolute path: "//", "/./" and "x/.." go. */
static void path_clean_absolute(char *p) {
        char *w = p;
        const char *s = p;

        while (*s) {
                const char *e;
                size_t l;

                while (*s == '/')
                        s++;
                if (!*s)
                        break;
                e = strchrnul(s, '/');
                l = (size_t) (e - s);
                if (l == 1 && s[0] == '.') {
                        s = e;
                        continue;
                }
                if (l == 2 && s[0] == '.' && s[1] == '.') {
                        while (w > p && *--w != '/')
                                ;
                        s = e;
                        continue;
                }
                *w++ = '/';
                memmove(w, s, l);
                w += l;
                s = e;
        }
        if (w == p)
                *w++ = '/';
        *w = 0;
}

int path_make_absolute_cwd(const char *p, char **ret) {
        _cleanup_free_ char *cwd = NULL;
        char *r;

        if (path_is_absolute(p))
                r = strdup(p);
        else {
                cwd = getcwd(NULL, 0);
                if (!cwd)
                        return -errno;
                r = path_join(cwd, p);
        }
        if (!r)
                return -ENOMEM;
        path_clean_absolute(r);
        *ret = r;
        return 0;
}
