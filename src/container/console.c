/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"
#include "fd-util.h"
#include "log.h"
#include "sync.h"

int console_setup(const SpecProcess *p, int sync_fd) {
        _cleanup_close_ int master = -EBADF, peer = -EBADF;
        struct statfs sfs;
        int unlock = 0, r;

        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0)
                return log_error_errno(errno, "Failed to open /dev/ptmx in the container (is /dev/pts mounted "
                                       "with newinstance?): %m");
        /* The pty must come from a devpts, not from whatever the image put at /dev/ptmx. */
        if (fstatfs(master, &sfs) < 0 || sfs.f_type != DEVPTS_SUPER_MAGIC)
                return log_error_errno(SYNTHETIC_ERRNO(EPERM), "Refusing /dev/ptmx in the container: not on a devpts");
        if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
                return log_error_errno(errno, "Failed to unlock the pty: %m");
        peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (peer < 0)
                return log_error_errno(errno, "Failed to open the pty peer: %m");
        if (p->has_console_size) {
                struct winsize ws = { .ws_row = (unsigned short) p->console_height,
                                      .ws_col = (unsigned short) p->console_width };

                if (ioctl(master, TIOCSWINSZ, &ws) < 0)
                        return log_error_errno(errno, "Failed to set the console size: %m");
        }
        /* The process owns its terminal, as with runc. */
        if (fchown(peer, p->user.uid, (gid_t) -1) < 0)
                log_debug_errno(errno, "Failed to chown the pty to uid %u, ignoring: %m", p->user.uid);

        r = sync_send_fd(sync_fd, SYNC_PTY_MASTER, master);
        if (r < 0)
                return log_error_errno(r, "Failed to send the pty master to the runtime: %m");
        master = safe_close(master);

        /* The init and exec'd processes lead their own session already (see init_main()). */
        if (getsid(0) != getpid() && setsid() < 0)
                return log_error_errno(errno, "Failed to create a session: %m");
        if (ioctl(peer, TIOCSCTTY, 0) < 0)
                return log_error_errno(errno, "Failed to make the pty the controlling terminal: %m");
        for (int fd = 0; fd < 3; fd++)
                if (dup2(peer, fd) < 0)
                        return log_error_errno(errno, "Failed to connect the pty to fd %d: %m", fd);
        return 0;
}
