/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* state.json -> state_parse() (what state_read() does after reading the file, for a container whose
 * directory is named "x", as the seed corpus' files say), then the OCI state output of
 * `berth state` from what was parsed. */

#include <stdlib.h>

#include "fuzz.h"
#include "state-store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(container_state_freep) ContainerState *s = NULL;
        _cleanup_free_ char *json = NULL, *reason = NULL;

        fuzz_setup();
        if (state_parse((const char *) data, size, "x", &s, &reason) < 0)
                return 0;
        (void) state_to_json(s, CONTAINER_RUNNING, /* pretty= */ true, &json);
        return 0;
}
