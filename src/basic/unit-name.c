/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "unit-name.h"

static bool char_is_alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* systemd's VALID_CHARS for unit names. */
static bool char_valid_in_unit_name(char c) {
        return char_is_alnum(c) || c == ':' || c == '-' || c == '_' || c == '.' || c == '\\';
}

bool unit_instance_is_valid(const char *s) {
        if (!s || !*s)
                return false;
        for (; *s; s++)
                if (!char_valid_in_unit_name(*s))
                        return false;
        return true;
}

char *unit_name_escape(const char *s) {
        char *ret, *t;

        assert(s);
        ret = malloc(strlen(s) * 4 + 1);
        if (!ret)
                return NULL;
        t = ret;
        for (const char *f = s; *f; f++) {
                if (*f == '/')
                        *t++ = '-';
                else if ((*f == '.' && f == s) ||
                         !(char_is_alnum(*f) || *f == ':' || *f == '_' || *f == '.')) {
                        sprintf(t, "\\x%02x", (unsigned) (unsigned char) *f);
                        t += 4;
                } else
                        *t++ = *f;
        }
        *t = '\0';
        return ret;
}

int unit_name_build(const char *prefix, const char *instance, const char *suffix, char **ret) {
        char *s;

        assert(prefix);
        assert(suffix);
        assert(ret);
        if (!unit_instance_is_valid(prefix) || !unit_instance_is_valid(instance) ||
            !unit_instance_is_valid(suffix))
                return -EINVAL;
        if (strlen(prefix) + 1 + strlen(instance) + 1 + strlen(suffix) >= UNIT_NAME_MAX)
                return -EINVAL;
        if (asprintf(&s, "%s@%s.%s", prefix, instance, suffix) < 0)
                return -ENOMEM;
        *ret = s;
        return 0;
}
