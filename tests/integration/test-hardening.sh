#!/bin/bash
# Hardening against hostile images and racing hosts (security review, issue 12): image files berth
# reads (/etc/passwd: a FIFO, /dev/zero, a huge file), openat2 lookups racing renames, masked and
# read-only paths that are symlinks, --no-pivot leaving no host procfs behind, device nodes made
# without following a swapped-in symlink. Each section fails on a runtime without the fix.
. "$(dirname "$0")/lib.sh"

# line of $OUT that starts with "TAG " (without the tag)
tag() { printf '%s\n' "$OUT" | sed -n "s/^$1 //p" | head -n 1; }

# elapsed_ok DESC START MAX: at most MAX seconds since START (date +%s).
elapsed_ok() {
        local t=$(($(date +%s) - $2))
        [ "$t" -le "$3" ] && pass "$1" || fail "$1" "took ${t}s"
}

# ================================================================ 8. hostile /etc/passwd
# The HOME lookup reads the image's /etc/passwd. A FIFO must not hang the runtime, /dev/zero (by
# symlink or bind mount) or a huge file must not make it read without end. HOME falls back to "/",
# as runc does for a uid without an entry.
pw_bundle() { # NAME: own rootfs, uid 1000 without HOME in the env, printing HOME
        new_bundle "$1" sh -c 'echo "H $HOME"' "mark-$PFX-$1"
        own_rootfs "$1"
        cfg_edit "$TMP/b/$1" 'c["process"]["user"]={"uid":1000,"gid":1000}'
        PW=$TMP/b/$1/rootfs/etc/passwd
        rm -f "$PW"
}

# positive control: the busybox rootfs's entry for uid 1000
new_bundle pwok sh -c 'echo "H $HOME"'
cfg_edit "$TMP/b/pwok" 'c["process"]["user"]={"uid":1000,"gid":1000}'
ctr_run pwok
is "regular /etc/passwd: HOME from the entry of uid 1000" /home/user "$(tag H)"

pw_bundle pwfifo
mkfifo "$PW"
t0=$(date +%s)
RT_TIMEOUT=8 ctr_run pwfifo
is "FIFO /etc/passwd: run exits 0 (does not hang)" 0 "$RC"
elapsed_ok "FIFO /etc/passwd: run returns promptly" "$t0" 3
is "FIFO /etc/passwd: HOME falls back to /" / "$(tag H)"
msg_like "FIFO /etc/passwd: a warning says why" "$ERR" "not a regular file"

pw_bundle pwzero
ln -s /dev/zero "$PW"
t0=$(date +%s)
RT_TIMEOUT=8 ctr_run pwzero
is "/etc/passwd -> /dev/zero: run exits 0" 0 "$RC"
elapsed_ok "/etc/passwd -> /dev/zero: run returns promptly" "$t0" 3
is "/etc/passwd -> /dev/zero: HOME falls back to /" / "$(tag H)"

pw_bundle pwbind
: >"$PW"
cfg_edit "$TMP/b/pwbind" 'mount("/etc/passwd", "bind", "/dev/zero", ["bind"])'
t0=$(date +%s)
RT_TIMEOUT=8 ctr_run pwbind
is "/dev/zero bind-mounted on /etc/passwd: run exits 0" 0 "$RC"
elapsed_ok "/dev/zero bind-mounted on /etc/passwd: run returns promptly" "$t0" 3
is "/dev/zero bind-mounted on /etc/passwd: HOME falls back to /" / "$(tag H)"

# A file over the size cap (4 MiB) is not read at all, even if the entry is in it.
pw_bundle pwhuge
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    line = "#" + "x" * 1022 + "\n"
    f.write(line * (5 * 1024))
    f.write("user:x:1000:1000::/home/huge:/bin/sh\n")' "$PW"
ctr_run pwhuge
is "5 MiB /etc/passwd: run exits 0" 0 "$RC"
is "5 MiB /etc/passwd: not read, HOME falls back to /" / "$(tag H)"
msg_like "5 MiB /etc/passwd: a warning says why" "$ERR" "larger than"

# A symlink to a host path resolves inside the root: the host file is never read.
pw_bundle pwabs
echo "user:x:1000:1000::/host-home:/bin/sh" >"$TMP/host-passwd"
ln -s "/../../../../..$TMP/host-passwd" "$PW"
ctr_run pwabs
is "/etc/passwd -> a host path: run exits 0" 0 "$RC"
is "/etc/passwd -> a host path: the host file is not read" / "$(tag H)"

# exec looks HOME up again for its process
pw_bundle pwexec
mkfifo "$PW"
cfg_edit "$TMP/b/pwexec" 'c["process"]["args"]=["sh","-c","while :; do sleep 1000; done","mark-'"$PFX"'-pwexec"]'
rtc run -d --bundle "$TMP/b/pwexec" "$(cid pwexec)"
is "FIFO /etc/passwd: run -d exits 0" 0 "$RC"
t0=$(date +%s)
RT_TIMEOUT=8 rtc exec --user 1000 "$(cid pwexec)" sh -c 'echo "H $HOME"'
is "FIFO /etc/passwd: exec --user 1000 exits 0" 0 "$RC"
elapsed_ok "FIFO /etc/passwd: exec returns promptly" "$t0" 3
is "FIFO /etc/passwd: exec's HOME falls back to /" / "$(tag H)"
rt delete --force "$(cid pwexec)" >/dev/null 2>&1

# ================================================================ 9. openat2 and concurrent renames
# A RESOLVE_IN_ROOT lookup that crosses ".." fails with EAGAIN when a rename anywhere on the system
# races with it. Mount targets behind relative symlinks ("../..") cross ".." at every component; with
# a tight rename loop running, every run must still succeed.
new_bundle renames true
own_rootfs renames
R=$TMP/b/renames/rootfs
mkdir -p "$R/mnt" "$R/srv/data"
ln -s ../../../../etc "$R/mnt/up-etc"
ln -s ../srv/./../srv/data "$R/mnt/up-data"
ln -s ../mnt/up-data "$R/srv/chain"
mkdir -p "$TMP/bind1" "$TMP/bind2" "$TMP/bind3"
cfg_edit "$TMP/b/renames" \
        'mount("/mnt/up-etc/b1", "bind", "'"$TMP/bind1"'", ["bind"])' \
        'mount("/mnt/up-data/b2", "bind", "'"$TMP/bind2"'", ["bind"])' \
        'mount("/srv/chain/b3", "bind", "'"$TMP/bind3"'", ["bind"])' \
        'mount("/mnt/up-etc/b4", "tmpfs", "tmpfs")'
mkdir -p "$TMP/renames"
python3 -c '
import os, sys
os.chdir(sys.argv[1])
open("a", "w").close()
while True:
    os.rename("a", "b")
    os.rename("b", "a")' "$TMP/renames" &
RENAMER=$!
bad=
for ((i = 0; i < 40; i++)); do
        ctr_run renames
        [ "$RC" = 0 ] || bad+="run $i: rc=$RC $ERR"$'\n'
done
kill "$RENAMER" 2>/dev/null
wait "$RENAMER" 2>/dev/null
[ -z "$bad" ] && pass "40 runs with bind mounts behind ../ symlinks, renames racing: all succeed" ||
        fail "40 runs with bind mounts behind ../ symlinks, renames racing: all succeed" "$bad"

finish
