/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Optional libraries, loaded on first use instead of at exec (systemd does the same for its optional
 * dependencies). Every berth process used to map libsystemd and what it pulls in (libgcrypt, zstd,
 * lzma, lz4, gpg-error) although only the systemd cgroup manager and the journal relay call it: the
 * dynamic loader's work and the pages for those six libraries were most of the difference between
 * `berth run` and a static `unshare ... /bin/true`. So a library like that is declared for the
 * compiler (its headers, for type checking) and resolved with dlopen() by the code that needs it.
 *
 * Each symbol goes into a function pointer named sym_<name> of exactly the library's type:
 *
 *         DLSYM_PROTOTYPE(sd_bus_call);    in the header: extern typeof(sd_bus_call) *sym_sd_bus_call;
 *         DLSYM_DEFINE(sd_bus_call);       in one .c file
 *         DLSYM_ARG(sd_bus_call)           in the table given to dlopen_syms()
 *
 * The pointers are process-wide, set once, like the dynamic loader's own tables: they are not
 * state in the sense of STYLE.md §6. */

#include <stddef.h>

#define DLSYM_PROTOTYPE(f) extern typeof(f) *sym_##f
#define DLSYM_DEFINE(f) typeof(f) *sym_##f = NULL
/* The address of the pointer and the symbol's name; the static assertion catches a table entry
 * whose pointer was declared with another type. */
#define DLSYM_ARG(f)                                                                               \
        {                                                                                          \
                .ptr = ({                                                                          \
                        _Static_assert(__builtin_types_compatible_p(typeof(sym_##f), typeof(&f)), \
                                       "sym_" #f " has the wrong type");                          \
                        (void *) &sym_##f;                                                         \
                }),                                                                                \
                .name = #f,                                                                        \
        }

typedef struct DlSym {
        void *ptr;        /* the address of a sym_<name> function pointer */
        const char *name; /* the symbol */
} DlSym;

/* Open soname with dlopen(RTLD_NOW|RTLD_LOCAL) and resolve the n symbols of syms into their
 * pointers. Once it succeeded, later calls return 0 at once (*handle is set). On failure every
 * pointer is NULL again, *handle stays NULL, and *reterr_message (if not NULL) is dlerror()'s text, or
 * the name of the missing symbol; returns -ENOMEM, or -EOPNOTSUPP (no such library, or not a usable
 * one). Non-logging. */
int dlopen_syms(void **handle, const char *soname, const DlSym *syms, size_t n, char **reterr_message);
