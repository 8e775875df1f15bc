/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* state.json -> state_parse() (what state_read() does after reading the file), then the OCI state
 * output of `berth state` from what was parsed. */

#include <stdlib.h>

#include "fuzz.h"
#include "state-store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_free_ char *json = NULL;

        fuzz_setup();
        if (state_parse((const char *) data, size, &s) < 0)
                return 0;
        (void) state_to_json(s, CONTAINER_RUNNING, /* pretty= */ true, &json);
        return 0;
}
