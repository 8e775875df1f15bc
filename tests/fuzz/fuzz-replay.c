/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Replays a fuzz target's corpus without libFuzzer, as a TAP test of every normal build:
 *   fuzz-spec-replay DIR|FILE...
 * Each regular file (a directory's in name order) is one input to LLVMFuzzerTestOneInput: "ok N -
 * FILE" when it returns; a crash, a sanitizer report or a leak ends the test with a failure. */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "fuzz.h"
#include "strv.h"

#define FUZZ_INPUT_MAX (64U * 1024U * 1024U)

static unsigned n_tests, n_failed;

static void report(bool ok, const char *dir, const char *name, const char *what) {
        n_tests++;
        if (!ok)
                n_failed++;
        printf("%s %u - %s%s%s%s\n", ok ? "ok" : "not ok", n_tests, strempty(dir), dir ? "/" : "", name,
               what);
        fflush(stdout);
}

static void replay_one(int dir_fd, const char *dir, const char *name) {
        _cleanup_free_ char *buf = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        char what[64];
        size_t size = 0;
        int r;

        r = read_full_file_at(dir_fd, name, FUZZ_INPUT_MAX, &buf, &size);
        if (r < 0) {
                snprintf(what, sizeof what, ": %s", strerror(-r));
                return report(false, dir, name, what);
        }
        /* libFuzzer hands out exactly size bytes: copy them to a buffer of that size, so that ASan
         * catches a read past the end that the NUL read_full_file_at() appends would hide. */
        data = malloc(size ?: 1);
        if (!data)
                return report(false, dir, name, ": out of memory");
        memcpy(data, buf, size);
        (void) LLVMFuzzerTestOneInput(data, size);
        snprintf(what, sizeof what, " (%zu bytes)", size);
        report(true, dir, name, what);
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static void replay_dir(const char *path) {
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_close_ int fd = -EBADF;
        DIR *d;

        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return report(false, NULL, path, ": cannot open directory");
        d = fdopendir(fd);
        if (!d)
                return report(false, NULL, path, ": cannot open directory");
        TAKE_FD(fd);
        for (struct dirent *de; (de = readdir(d));) {
                if (de->d_name[0] == '.')
                        continue;
                if (strv_extend(&names, de->d_name) < 0) {
                        closedir(d);
                        return report(false, NULL, path, ": out of memory");
                }
        }
        if (names)
                qsort(names, strv_length(names), sizeof(char *), cmp_str);
        for (char **n = names; n && *n; n++)
                replay_one(dirfd(d), path, *n);
        closedir(d);
}

int main(int argc, char *argv[]) {
        struct stat st;

        if (argc < 2) {
                fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
                return 2;
        }
        for (int i = 1; i < argc; i++) {
                if (stat(argv[i], &st) >= 0 && S_ISDIR(st.st_mode))
                        replay_dir(argv[i]);
                else
                        replay_one(AT_FDCWD, NULL, argv[i]);
        }
        if (n_tests == 0)
                printf("1..0 # SKIP empty corpus\n");
        else
                printf("1..%u\n", n_tests);
        return n_failed ? 1 : 0;
}
