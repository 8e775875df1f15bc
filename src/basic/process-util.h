/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Field 22 of /proc/PID/stat (start time in clock ticks since boot). -ESRCH if gone. */
int pid_get_start_time(pid_t pid, uint64_t *ret);
/* Is pid alive and still the process that started at start_time? A start time of 0 matches
 * nothing (a pid is only trusted with its start time). Zombies count as dead. */
bool pid_is_alive(pid_t pid, uint64_t start_time);
/* waitpid() retrying on EINTR. */
int wait_for_pid(pid_t pid, int *ret_status);
/* SIGKILL and reap a child we still own (cleanup for half-made children). */
void pid_kill_and_reap(pid_t pid);
static inline void pid_kill_and_reapp(pid_t *p) {
        if (*p > 0)
                pid_kill_and_reap(*p);
}
/* Exit status as a shell reports it: code, or 128+N for signal N. */
int status_to_exit_code(int status);
