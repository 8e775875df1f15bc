/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "macro.h"
#include "mountinfo.h"
#include "parse-util.h"

#define MOUNTINFO_MAX 65536U

void mountinfo_free(MountInfo *m, size_t n) {
        if (!m)
                return;
        for (size_t i = 0; i < n; i++) {
                free(m[i].root);
                free(m[i].mount_point);
                free(m[i].fstype);
                free(m[i].super_options);
        }
        free(m);
}

/* The next space-separated field of *p, with the kernel's octal escapes ("\040") undone. */
static char *next_field(const char **p) {
        const char *s = *p, *e;
        char *f, *o;

        while (*s == ' ')
                s++;
        e = strchrnul(s, ' ');
        if (e == s)
                return NULL;
        f = o = malloc((size_t) (e - s) + 1);
        if (!f)
                return NULL;
        for (const char *c = s; c < e; c++) {
                if (c[0] == '\\' && e - c >= 4 && c[1] >= '0' && c[1] <= '3' && c[2] >= '0' && c[2] <= '7' &&
                    c[3] >= '0' && c[3] <= '7') {
                        *o++ = (char) ((c[1] - '0') * 64 + (c[2] - '0') * 8 + (c[3] - '0'));
                        c += 3;
                } else
                        *o++ = *c;
        }
        *o = 0;
        *p = e;
        return f;
}

static int parse_line(const char *line, MountInfo *m) {
        _cleanup_free_ char *id = NULL, *parent = NULL, *devno = NULL, *root = NULL, *mp = NULL;
        _cleanup_free_ char *source = NULL;
        const char *p = line, *sep;
        uint32_t a, b;

        id = next_field(&p);
        parent = next_field(&p);
        devno = next_field(&p);
        root = next_field(&p);
        mp = next_field(&p);
        if (!id || !parent || !devno || !root || !mp)
                return -EINVAL;
        if (safe_atou32(id, &a) < 0 || safe_atou32(parent, &b) < 0 || a > INT32_MAX || b > INT32_MAX)
                return -EINVAL;
        /* optional fields, then " - FSTYPE SOURCE OPTIONS" */
        sep = strstr(p, " - ");
        if (!sep)
                return -EINVAL;
        p = sep + 3;
        m->fstype = next_field(&p);
        if (!m->fstype)
                return -EINVAL;
        /* The source, then the super options (optional here: only the cgroup mounts need them). A
         * field that is there but comes back NULL is an allocation failure. */
        source = next_field(&p);
        if (source)
                m->super_options = next_field(&p);
        if (!m->super_options && p[strspn(p, " ")])
                return -ENOMEM;
        m->id = (int) a;
        m->parent_id = (int) b;
        m->root = TAKE_PTR(root);
        m->mount_point = TAKE_PTR(mp);
        return 0;
}

int mountinfo_parse(const char *text, MountInfo **ret, size_t *ret_n) {
        MountInfo *m = NULL;
        size_t n = 0, alloc = 0;
        const char *line = text;

        assert(text);
        assert(ret);
        assert(ret_n);

        while (*line) {
                _cleanup_free_ char *copy = NULL;
                const char *end = strchrnul(line, '\n');
                int r;

                if (end == line) {
                        line++;
                        continue;
                }
                if (n >= MOUNTINFO_MAX) {
                        mountinfo_free(m, n);
                        return -E2BIG;
                }
                if (n == alloc) {
                        MountInfo *nm = reallocarray(m, alloc ? alloc * 2 : 32, sizeof *m);

                        if (!nm) {
                                mountinfo_free(m, n);
                                return -ENOMEM;
                        }
                        m = nm;
                        alloc = alloc ? alloc * 2 : 32;
                }
                copy = strndup(line, (size_t) (end - line));
                if (!copy) {
                        mountinfo_free(m, n);
                        return -ENOMEM;
                }
                m[n] = (MountInfo) {};
                r = parse_line(copy, &m[n]);
                if (r < 0) {
                        mountinfo_free(m, n + 1);
                        return r;
                }
                n++;
                line = *end ? end + 1 : end;
        }
        *ret = m;
        *ret_n = n;
        return 0;
}

static ssize_t find_id(const MountInfo *m, size_t n, int id) {
        for (size_t i = 0; i < n; i++)
                if (m[i].id == id)
                        return (ssize_t) i;
        return -1;
}

/* Number of parents of m[i] in the table (bounded: a parent loop cannot hang us). */
static size_t depth_of(const MountInfo *m, size_t n, size_t i) {
        size_t d = 0;

        for (ssize_t j = find_id(m, n, m[i].parent_id); j >= 0 && d < n && m[j].id != m[j].parent_id;
             j = find_id(m, n, m[j].parent_id))
                d++;
        return d;
}

/* Is keep_id on the parent chain of m[i], or m[i] itself? */
static bool is_below(const MountInfo *m, size_t n, size_t i, int keep_id) {
        ssize_t j = (ssize_t) i;

        for (size_t d = 0; j >= 0 && d <= n; d++) {
                if (m[j].id == keep_id)
                        return true;
                if (m[j].parent_id == m[j].id)
                        break;
                j = find_id(m, n, m[j].parent_id);
        }
        return false;
}

typedef struct Ranked {
        size_t index, depth;
} Ranked;

static int cmp_deepest_first(const void *a, const void *b) {
        const Ranked *x = a, *y = b;

        if (x->depth != y->depth)
                return x->depth > y->depth ? -1 : 1;
        /* later lines were mounted later: on a shared mount point, the upper one first */
        return x->index > y->index ? -1 : x->index < y->index;
}

int mountinfo_foreign(const MountInfo *m, size_t n, int keep_id, size_t **ret) {
        _cleanup_free_ Ranked *ranked = NULL;
        size_t *out, k = 0;
        ssize_t keep;

        assert(m || n == 0);
        assert(ret);

        keep = find_id(m, n, keep_id);
        ranked = calloc(n ?: 1, sizeof *ranked);
        if (!ranked)
                return -ENOMEM;
        for (size_t i = 0; keep >= 0 && i < n; i++) {
                /* keep_id itself and what is below it; and the mounts keep_id sits on */
                if (is_below(m, n, i, keep_id) || is_below(m, n, (size_t) keep, m[i].id))
                        continue;
                ranked[k++] = (Ranked) { .index = i, .depth = depth_of(m, n, i) };
        }
        qsort(ranked, k, sizeof *ranked, cmp_deepest_first);
        out = calloc(k ?: 1, sizeof *out);
        if (!out)
                return -ENOMEM;
        for (size_t i = 0; i < k; i++)
                out[i] = ranked[i].index;
        *ret = out;
        return (int) k;
}

bool mountinfo_is_proc_or_sys(const MountInfo *m) {
        return streq(m->fstype, "proc") || streq(m->fstype, "sysfs");
}
