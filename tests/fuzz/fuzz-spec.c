/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.json -> spec_parse() (parse + spec_validate), as `berth create` reads a bundle. */

#include "fuzz.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(spec_freep) Spec *s = NULL;

        fuzz_setup();
        (void) spec_parse("config.json", (const char *) data, size, &s);
        return 0;
}
