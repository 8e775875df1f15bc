/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* libsystemd, loaded only by what needs it (src/basic/dlopen-util.h says why): the systemd cgroup
 * manager (sd-bus). `berth run` without it never maps it; the journal relay speaks journald's
 * protocol itself (src/journal/journal-native.h). Call through sym_<name> after
 * dlopen_libsystemd() succeeded; the header stays for the types. */

#include <systemd/sd-bus.h>

#include "dlopen-util.h"

#define LIBSYSTEMD_SONAME "libsystemd.so.0"

DLSYM_PROTOTYPE(sd_bus_call);
DLSYM_PROTOTYPE(sd_bus_call_method);
DLSYM_PROTOTYPE(sd_bus_error_free);
DLSYM_PROTOTYPE(sd_bus_error_has_name);
DLSYM_PROTOTYPE(sd_bus_error_has_names_sentinel);
DLSYM_PROTOTYPE(sd_bus_error_is_set);
DLSYM_PROTOTYPE(sd_bus_flush_close_unref);
DLSYM_PROTOTYPE(sd_bus_match_signal);
DLSYM_PROTOTYPE(sd_bus_message_append);
DLSYM_PROTOTYPE(sd_bus_message_append_array);
DLSYM_PROTOTYPE(sd_bus_message_append_strv);
DLSYM_PROTOTYPE(sd_bus_message_close_container);
DLSYM_PROTOTYPE(sd_bus_message_new_method_call);
DLSYM_PROTOTYPE(sd_bus_message_open_container);
DLSYM_PROTOTYPE(sd_bus_message_read);
DLSYM_PROTOTYPE(sd_bus_message_unref);
DLSYM_PROTOTYPE(sd_bus_open_system);
DLSYM_PROTOTYPE(sd_bus_open_user);
DLSYM_PROTOTYPE(sd_bus_process);
DLSYM_PROTOTYPE(sd_bus_slot_unref);
DLSYM_PROTOTYPE(sd_bus_wait);

/* Load libsystemd.so.0 and resolve the symbols above; 0 at once when done before. On failure
 * *reterr_message says why (dlerror()), for the caller to log with what needed it. Non-logging. */
int dlopen_libsystemd(char **reterr_message);

/* The cleanups of <systemd/sd-bus.h> call the library directly (they would link it): these go
 * through the pointers. An object exists only once the library is loaded. */
static inline void sym_sd_bus_flush_close_unrefp(sd_bus **p) {
        if (*p)
                sym_sd_bus_flush_close_unref(*p);
}
static inline void sym_sd_bus_message_unrefp(sd_bus_message **p) {
        if (*p)
                sym_sd_bus_message_unref(*p);
}
static inline void sym_sd_bus_slot_unrefp(sd_bus_slot **p) {
        if (*p)
                sym_sd_bus_slot_unref(*p);
}
static inline void sym_sd_bus_error_freep(sd_bus_error *e) {
        if (sym_sd_bus_error_free)
                sym_sd_bus_error_free(e);
}
#define sym_sd_bus_error_has_names(e, ...) sym_sd_bus_error_has_names_sentinel(e, __VA_ARGS__, NULL)
