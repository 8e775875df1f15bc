/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

char **strv_free(char **l) {
        STRV_FOREACH(s, l)
                free(*s);
        free(l);
        return NULL;
}

size_t strv_length(char * const *l) {
        size_t n = 0;

        if (l)
                while (l[n])
                        n++;
        return n;
}

bool strv_contains(char * const *l, const char *s) {
        for (size_t i = 0; l && l[i]; i++)
                if (streq(l[i], s))
                        return true;
        return false;
}

int strv_consume(char ***l, char *s) {
        size_t n = strv_length(*l);
        char **nl;

        if (!s)
                return -ENOMEM;
        nl = realloc(*l, sizeof(char *) * (n + 2));
        if (!nl) {
                free(s);
                return -ENOMEM;
        }
        nl[n] = s;
        nl[n + 1] = NULL;
        *l = nl;
        return 0;
}

int strv_extend(char ***l, const char *s) {
        return strv_consume(l, strdup(s));
}

char **strv_copy(char * const *l) {
        _cleanup_strv_free_ char **c = NULL;

        c = calloc(strv_length(l) + 1, sizeof(char *));
        if (!c)
                return NULL;
        for (size_t i = 0; l && l[i]; i++) {
                c[i] = strdup(l[i]);
                if (!c[i])
                        return NULL;
        }
        return TAKE_PTR(c);
}

const char *strv_env_get(char * const *l, const char *key) {
        size_t k = strlen(key);

        for (size_t i = 0; l && l[i]; i++)
                if (strncmp(l[i], key, k) == 0 && l[i][k] == '=')
                        return l[i] + k + 1;
        return NULL;
}

int strv_env_set(char ***l, const char *key, const char *value) {
        size_t k = strlen(key), j = 0;
        char *e;

        e = strdup_printf("%s=%s", key, value);
        if (!e)
                return -ENOMEM;
        for (size_t i = 0; *l && (*l)[i]; i++) {
                if (strncmp((*l)[i], key, k) == 0 && (*l)[i][k] == '=')
                        free((*l)[i]);
                else
                        (*l)[j++] = (*l)[i];
        }
        if (*l)
                (*l)[j] = NULL;
        return strv_consume(l, e);
}

char *strdup_printf(const char *fmt, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        return r < 0 ? NULL : s;
}
