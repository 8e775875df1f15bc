/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* process.json -> spec_parse_process(), as `berth exec --process FILE` reads it. */

#include "fuzz.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(spec_process_freep) SpecProcess *p = NULL;

        fuzz_setup();
        (void) spec_parse_process("process.json", (const char *) data, size, &p);
        return 0;
}
