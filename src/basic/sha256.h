/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* SHA-256 (FIPS 180-4), small and dependency-free: the seccomp filter cache names and checks its
 * entries with it (libsystemd has no public hash API). Not constant-time; hash nothing secret. */

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32U
#define SHA256_HEX_SIZE (2U * SHA256_DIGEST_SIZE + 1U)

typedef struct Sha256 {
        uint32_t h[8];
        uint64_t len; /* bytes so far */
        uint8_t buf[64];
        size_t n_buf;
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t len);
void sha256_final(Sha256 *s, uint8_t ret[static SHA256_DIGEST_SIZE]);
/* One shot. */
void sha256(const void *data, size_t len, uint8_t ret[static SHA256_DIGEST_SIZE]);
/* Lower-case hex of a digest, NUL-terminated; returns ret. */
char *sha256_hex(const uint8_t digest[static SHA256_DIGEST_SIZE], char ret[static SHA256_HEX_SIZE]);
