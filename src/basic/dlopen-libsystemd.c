/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "dlopen-libsystemd.h"
#include "macro.h"

static void *libsystemd_dl = NULL;

DLSYM_DEFINE(sd_bus_call);
DLSYM_DEFINE(sd_bus_call_method);
DLSYM_DEFINE(sd_bus_error_free);
DLSYM_DEFINE(sd_bus_error_has_name);
DLSYM_DEFINE(sd_bus_error_has_names_sentinel);
DLSYM_DEFINE(sd_bus_error_is_set);
DLSYM_DEFINE(sd_bus_flush_close_unref);
DLSYM_DEFINE(sd_bus_match_signal);
DLSYM_DEFINE(sd_bus_message_append);
DLSYM_DEFINE(sd_bus_message_append_array);
DLSYM_DEFINE(sd_bus_message_append_strv);
DLSYM_DEFINE(sd_bus_message_close_container);
DLSYM_DEFINE(sd_bus_message_new_method_call);
DLSYM_DEFINE(sd_bus_message_open_container);
DLSYM_DEFINE(sd_bus_message_read);
DLSYM_DEFINE(sd_bus_message_unref);
DLSYM_DEFINE(sd_bus_open_system);
DLSYM_DEFINE(sd_bus_open_user);
DLSYM_DEFINE(sd_bus_process);
DLSYM_DEFINE(sd_bus_slot_unref);
DLSYM_DEFINE(sd_bus_wait);

int dlopen_libsystemd(char **reterr_message) {
        const DlSym syms[] = {
                DLSYM_ARG(sd_bus_call),
                DLSYM_ARG(sd_bus_call_method),
                DLSYM_ARG(sd_bus_error_free),
                DLSYM_ARG(sd_bus_error_has_name),
                DLSYM_ARG(sd_bus_error_has_names_sentinel),
                DLSYM_ARG(sd_bus_error_is_set),
                DLSYM_ARG(sd_bus_flush_close_unref),
                DLSYM_ARG(sd_bus_match_signal),
                DLSYM_ARG(sd_bus_message_append),
                DLSYM_ARG(sd_bus_message_append_array),
                DLSYM_ARG(sd_bus_message_append_strv),
                DLSYM_ARG(sd_bus_message_close_container),
                DLSYM_ARG(sd_bus_message_new_method_call),
                DLSYM_ARG(sd_bus_message_open_container),
                DLSYM_ARG(sd_bus_message_read),
                DLSYM_ARG(sd_bus_message_unref),
                DLSYM_ARG(sd_bus_open_system),
                DLSYM_ARG(sd_bus_open_user),
                DLSYM_ARG(sd_bus_process),
                DLSYM_ARG(sd_bus_slot_unref),
                DLSYM_ARG(sd_bus_wait),
        };

        return dlopen_syms(&libsystemd_dl, LIBSYSTEMD_SONAME, syms, ELEMENTSOF(syms), reterr_message);
}
