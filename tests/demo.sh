#!/bin/bash
# Demo: run a busybox container with build/src/berth, in the foreground and detached.
#   tests/demo.sh            (as root, after `meson compile -C build`)
# BERTH=/path/to/runtime overrides the binary (e.g. BERTH=runc to compare).
# Everything lives in a temporary directory, removed on exit; state goes to a private --root.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
berth=${BERTH:-$here/../build/src/berth}
command -v "$berth" >/dev/null || { echo "demo: $berth not found; build first (meson compile -C build)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "demo: run as root" >&2; exit 1; }

# A notify socket from an outer service manager must not leak into the containers.
unset NOTIFY_SOCKET

tmp=$(mktemp -d /tmp/berth-demo.XXXXXX)
root=$tmp/state
id=demo-$$
cleanup() {
        "$berth" --root "$root" delete --force "$id-bg" >/dev/null 2>&1 || true
        "$berth" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
        rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

# Print a command the way it is typed, then run it.
b() {
        echo "# berth $*"
        "$berth" --root "$root" "$@"
}

echo "== making busybox bundles in $tmp"
"$here/lib/make-bundle.sh" "$tmp/hello" /bin/sh /hello
cat >"$tmp/hello/rootfs/hello" <<'SH'
echo "hello from a container"
echo "hostname: $(hostname)"
echo "id:       $(id)"
echo "pid:      $$"
echo "processes:"
ps -o pid,user,args
exit 3
SH
"$here/lib/make-bundle.sh" "$tmp/sleeper" sleep 1000
echo

echo "== a container in the foreground (it exits 3)"
rc=0
b run --bundle "$tmp/hello" "$id" || rc=$?
echo "exit status: $rc"
[ "$rc" = 3 ] || { echo "demo: expected exit status 3" >&2; exit 1; }
echo

echo "== a detached container"
echo "# berth run -d --bundle $tmp/sleeper $id-bg"
if ! "$berth" --root "$root" run -d --bundle "$tmp/sleeper" "$id-bg" </dev/null >"$tmp/bg.log" 2>&1; then
        cat "$tmp/bg.log" >&2
        exit 1
fi
b list
b state "$id-bg" | sed '$a\'        # end with a newline whether or not the runtime did
b delete --force "$id-bg"
b list
echo
echo "== demo done"
