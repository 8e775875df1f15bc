/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the fuzz targets: they are linked either with libFuzzer (-Dfuzz=true, clang) or with
 * fuzz-replay.c, a main() that feeds each file of a corpus directory to LLVMFuzzerTestOneInput. */

#include <stddef.h>
#include <stdint.h>

#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The parsers log one message per bad input: format it (that is code to fuzz too), print nothing. */
static inline void fuzz_log_drop(int level, int error, const char *message, void *userdata) {
}

static inline void fuzz_setup(void) {
        log_set_max_level(LOG_DEBUG);
        log_set_forward(fuzz_log_drop, NULL);
}
