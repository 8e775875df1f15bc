#!/bin/bash
# The main job as users see it: `systemctl start container@demo` for a busybox bundle in
# /etc/berth/bundles/demo, then `systemctl status`, `journalctl -u container@demo` and `systemctl stop`.
#   tests/systemd/demo.sh [BUILDDIR]        (as root; BUILDDIR defaults to build)
# Under the host's systemd when PID 1 is systemd (berth is installed with `meson install`, and the
# bundle and the install are left in place); otherwise in a disposable systemd booted under
# systemd-nspawn from a throwaway root (tests/systemd/machine.sh), removed again at the end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
builddir=${1:-build}
unset NOTIFY_SOCKET
[ "$(id -u)" = 0 ] || { echo "demo: run as root" >&2; exit 1; }

tmp=$(mktemp -d)
bundles=$tmp/bundles
"$srcdir/tests/lib/make-bundle.sh" "$bundles/demo" sh -c \
        'trap "echo demo: got SIGTERM, bye; exit 0" TERM; echo "demo: hello from stdout";
         echo "demo: hello from stderr" >&2; while :; do sleep 1 & wait; done' >/dev/null

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

demo() { # demo RUN...: the admin's commands, run through RUN (a prefix command, or nothing)
        say "systemctl daemon-reload"; "$@" systemctl daemon-reload
        say "systemctl start container@demo"; "$@" systemctl start container@demo
        sleep 0.5
        say "systemctl status container@demo"; "$@" systemctl status --no-pager container@demo || true
        say "berth list"; "$@" berth list
        say "journalctl -u container@demo"; "$@" journalctl --no-pager -u container@demo
        say "systemctl stop container@demo"; "$@" systemctl stop container@demo
        say "systemctl is-active container@demo"; "$@" systemctl is-active container@demo || true
        say "berth list"; "$@" berth list
}

if [ "$(readlink /proc/1/exe 2>/dev/null)" = "$(readlink -f /lib/systemd/systemd)" ] && [ -d /run/systemd/system ]; then
        echo "demo: PID 1 is systemd: installing berth and using the host's systemd"
        meson install -C "$builddir" >/dev/null
        mkdir -p /etc/berth/bundles
        rm -rf /etc/berth/bundles/demo
        cp -a "$bundles/demo" /etc/berth/bundles/demo
        rm -rf "$tmp"
        demo
        echo "demo: the bundle stays in /etc/berth/bundles/demo"
        exit 0
fi

command -v systemd-nspawn >/dev/null || { echo "demo: needs systemd-nspawn (apt-get install systemd-container)" >&2; exit 1; }
echo "demo: PID 1 is not systemd: booting a disposable systemd under systemd-nspawn"
source "$here/machine.sh"
trap 'machine_stop; rm -rf "$tmp"' EXIT
meson install --no-rebuild -C "$builddir" --destdir "$tmp/stage" >/dev/null
machine_start berth-demo "$tmp/stage" "$bundles"
echo "demo: the machine runs $(machine_run systemctl --version | sed -n 1p)"
demo machine_run
