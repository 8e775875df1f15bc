/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dlfcn.h>
#include <stdio.h>

#include "dlopen-util.h"
#include "macro.h"

static void syms_clear(const DlSym *syms, size_t n) {
        for (size_t i = 0; i < n; i++) {
                void *null = NULL;

                memcpy(syms[i].ptr, &null, sizeof null);
        }
}

int dlopen_syms(void **handle, const char *soname, const DlSym *syms, size_t n, char **reterr_message) {
        const char *e;
        char *text;
        void *dl;

        assert(handle);
        assert(soname);
        assert(syms || n == 0);

        if (*handle)
                return 0;
        dl = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        if (!dl) {
                e = dlerror();
                text = strdup(e ?: soname);
                goto fail;
        }
        for (size_t i = 0; i < n; i++) {
                void *p = dlsym(dl, syms[i].name);

                if (!p) {
                        syms_clear(syms, n);
                        (void) dlclose(dl);
                        if (asprintf(&text, "%s: no symbol %s (too old?)", soname, syms[i].name) < 0)
                                text = NULL;
                        goto fail;
                }
                /* POSIX: a data pointer from dlsym() converts to the function pointer it names.
                 * memcpy, not a store through a cast, keeps the pointer's own type. */
                memcpy(syms[i].ptr, &p, sizeof p);
        }
        *handle = dl;
        return 0;
fail:
        if (!text)
                return -ENOMEM;
        if (reterr_message)
                *reterr_message = text;
        else
                free(text);
        return -EOPNOTSUPP;
}
