/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by spec.c (JSON -> structs) and spec-validate.c (semantic checks). Not for other modules. */

#include <stddef.h>
#include <stdint.h>

#include "macro.h"
#include "spec.h"

/* A JSON path, built on the stack while walking the document and only formatted when an error is
 * logged: "process.args[0]", "annotations[\"key\"]". A NULL JPath is the top-level value. */
typedef struct JPath {
        const struct JPath *parent;
        const char *key; /* member name; NULL for an array element */
        size_t index;    /* array index when key is NULL */
        bool quote;      /* key is user data: written as ["key"], sanitized */
} JPath;

#define JPATH_KEY(p, k) (&(const JPath){ .parent = (p), .key = (k) })
#define JPATH_USER_KEY(p, k) (&(const JPath){ .parent = (p), .key = (k), .quote = true })
#define JPATH_INDEX(p, i) (&(const JPath){ .parent = (p), .index = (i) })

static inline bool isempty(const char *s) {
        return !s || !*s;
}

#define SPEC_PATH_STR_MAX 256U
#define SPEC_QUOTE_MAX 72U

/* Formats p into buf (truncated to size). Returns buf. */
char *jpath_format(const JPath *p, char *buf, size_t size);

/* A copy of user data that is safe to put in a log line: printable ASCII only, truncated. */
const char *spec_quote(const char *s, char buf[static SPEC_QUOTE_MAX]);

/* Logs "<name>: <path>: <what>" (or "<name>: <what>" for the top level) once, at error level, and
 * returns -error. */
int spec_log_error(const char *name, const JPath *p, int error, const char *format, ...) _printf_(4, 5);
/* The same at warning level, for what is accepted and ignored. */
void spec_log_warning(const char *name, const JPath *p, const char *format, ...) _printf_(3, 4);

/* json-c readers shared with spec-seccomp.c (defined in spec.c). Each logs one message naming the
 * path. member(): NULL when absent or null. */
struct json_object;
struct json_object *spec_json_member(struct json_object *obj, const char *key);
int spec_json_check_object(const char *name, struct json_object *o, const JPath *p);
int spec_json_check_array(const char *name, struct json_object *o, const JPath *p, size_t max, size_t *ret_n);
int spec_json_parse_string(const char *name, struct json_object *o, const JPath *p, char **ret);
int spec_json_parse_unsigned(const char *name, struct json_object *o, const JPath *p, uint64_t max,
                             const char *what, uint64_t *ret);
int spec_json_parse_strv(const char *name, struct json_object *o, const JPath *p, size_t max, char ***ret);
int spec_json_missing(const char *name, const JPath *p, const char *expected);

/* linux.seccomp -> *ret (spec-seccomp.c). */
int spec_parse_seccomp(const char *name, struct json_object *o, const JPath *p, SpecSeccomp **ret);
void spec_seccomp_free(SpecSeccomp *s);
/* The semantic checks of linux.seccomp (called by spec_validate()). */
int spec_validate_seccomp(const char *name, const SpecSeccomp *s);

/* Semantic checks, after parsing. Normalizes paths in place (mount destinations, device paths).
 * Each logs one message naming 'name' and the JSON path, and returns -EINVAL. 'path' is the JSON
 * path of the process object: "process" inside config.json, NULL for a process.json. */
int spec_validate(const char *name, Spec *s);
int spec_validate_process(const char *name, SpecProcess *p, const JPath *path);
