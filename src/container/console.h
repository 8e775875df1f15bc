/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "spec.h"

/* In the child, inside the container (after entering its root): allocate a pty from the
 * container's own devpts (/dev/ptmx), get the peer with TIOCGPTPEER (CVE-2025-52565: never by
 * name), size it from process.consoleSize, give the peer to the process' uid, send the master to
 * the runtime over the sync socket, and make the peer the controlling terminal and stdio 0-2. */
int console_setup(const SpecProcess *p, int sync_fd);
