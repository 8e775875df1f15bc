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

# ================================================================ 11. masked / read-only symlinks
# A readonlyPaths or maskedPaths entry that is a symlink in the image applies to its target,
# resolved inside the root (as runc does), never to the link itself and never outside the root.
SYMSCRIPT='
w() { if out=$(touch "$1" 2>&1); then echo "$2 writable"; else echo "$2 $out"; fi; }
w /etc/target-dir/x RO_ABS
w /srv/esc-dir/x RO_ESC
w /srv/rel-dir/x RO_REL
w /etc/ro-link/y RO_VIA_LINK
w /etc/control-ok CONTROL
echo "LINK $(readlink /etc/ro-link)"
echo "MDIR $(ls -A /etc/secret-dir | paste -sd, -)"
echo "MDIRLINK $(ls -A /etc/mask-dir-link/ | paste -sd, -)"
echo "MFILE $(cat /etc/secret-file)"
echo "MFILEREL $(cat /srv/secret-file2)"
echo "MLINK $(readlink /etc/mask-file-link)"'
new_bundle symmask sh -c "$SYMSCRIPT"
own_rootfs symmask
R=$TMP/b/symmask/rootfs
mkdir -p "$R/etc/target-dir" "$R/srv/esc-dir" "$R/srv/rel-dir" "$R/etc/secret-dir"
ln -s /etc/target-dir "$R/etc/ro-link"
ln -s /../../../../srv/esc-dir "$R/etc/ro-esc"
ln -s ../../../../srv/rel-dir "$R/etc/ro-rel"
echo hidden >"$R/etc/secret-dir/file"
echo hidden >"$R/etc/secret-file"
echo hidden >"$R/srv/secret-file2"
ln -s /etc/secret-dir "$R/etc/mask-dir-link"
ln -s /etc/secret-file "$R/etc/mask-file-link"
ln -s ../../../srv/secret-file2 "$R/etc/mask-rel-link"
# what the links would reach if they were followed on the host: must stay untouched
HOSTESC=/srv/esc-dir
[ -e "$HOSTESC" ] && HOSTESC=
cfg_edit "$TMP/b/symmask" \
        'c["linux"]["readonlyPaths"]=["/etc/ro-link","/etc/ro-esc","/etc/ro-rel"]' \
        'c["linux"]["maskedPaths"]=["/etc/mask-dir-link","/etc/mask-file-link","/etc/mask-rel-link"]'
ctr_run symmask
is "symlinked masked/read-only paths: run exits 0" 0 "$RC"
like "readonlyPaths /etc/ro-link -> /etc/target-dir: the target is read-only" "$(tag RO_ABS)" "Read-only file system"
like "readonlyPaths /etc/ro-link: read-only through the link too" "$(tag RO_VIA_LINK)" "Read-only file system"
like "readonlyPaths /etc/ro-esc -> /../../../../srv/esc-dir: the target inside the root is read-only" \
        "$(tag RO_ESC)" "Read-only file system"
like "readonlyPaths /etc/ro-rel -> ../../../../srv/rel-dir: the target inside the root is read-only" \
        "$(tag RO_REL)" "Read-only file system"
is "the rest of the root stays writable" writable "$(tag CONTROL)"
is "the read-only link is still the link" /etc/target-dir "$(tag LINK)"
is "maskedPaths /etc/mask-dir-link -> /etc/secret-dir: the target directory is masked" "" "$(tag MDIR)"
is "maskedPaths: the masked directory is empty through the link too" "" "$(tag MDIRLINK)"
is "maskedPaths /etc/mask-file-link -> /etc/secret-file: the target file is masked" "" "$(tag MFILE)"
is "maskedPaths /etc/mask-rel-link -> ../../../srv/secret-file2: masked inside the root" "" "$(tag MFILEREL)"
is "the masked link is still the link" /etc/secret-file "$(tag MLINK)"
if [ -n "$HOSTESC" ]; then
        is "nothing was made at the host's $HOSTESC" no "$([ -e "$HOSTESC" ] && echo yes || echo no)"
fi
is "the image's files are unchanged" hidden "$(cat "$R/etc/secret-file")"
# the same with --no-pivot (the root is a chroot there)
ctr_run symmask --no-pivot
is "--no-pivot: run exits 0" 0 "$RC"
like "--no-pivot: readonlyPaths /etc/ro-esc: the target inside the root is read-only" "$(tag RO_ESC)" \
        "Read-only file system"
is "--no-pivot: maskedPaths /etc/mask-rel-link: masked inside the root" "" "$(tag MFILEREL)"

# ================================================================ 12. --no-pivot leaves no host mount
# With MS_MOVE + chroot the host's mounts stay in the container's mount namespace. The kernel lets a
# new user namespace mount procfs/sysfs when a full, unmasked mount of it is anywhere in its mount
# namespace: a container process could then mount an unmasked /proc. (The container user is not
# root: mapping uid 0 into a new user namespace needs CAP_SETFCAP.)
ATTACK='unshare -mrpf true && echo USERNS_OK
unshare -mrpf sh -c "mount -t proc proc /tmp && echo PROC_MOUNTED"
unshare -mrn sh -c "mount -t sysfs sysfs /tmp && echo SYSFS_MOUNTED"
true'
new_bundle nopivot sh -c "$ATTACK"
cfg_edit "$TMP/b/nopivot" 'c["process"]["user"]={"uid":1000,"gid":1000}'
for mode in --no-pivot pivot_root; do
        if [ $mode = pivot_root ]; then ctr_run nopivot; else ctr_run nopivot --no-pivot; fi
        is "$mode: run exits 0" 0 "$RC"
        if printf '%s\n' "$OUT" | grep -qx USERNS_OK; then
                unlike "$mode: a user namespace in the container cannot mount a new procfs" "$OUT" PROC_MOUNTED
                unlike "$mode: a user namespace in the container cannot mount a new sysfs" "$OUT" SYSFS_MOUNTED
        else
                skip "$mode: the container cannot create user namespaces here"
        fi
done

# With a user namespace the host's mounts may be locked into the container's mount namespace, so
# that they cannot be detached: procfs and sysfs are covered with a tmpfs then.
new_bundle nopivotu sh -c "$ATTACK"
cfg_edit "$TMP/b/nopivotu" 'ns_set("user")' 'c["process"]["user"]={"uid":1000,"gid":1000}' \
        'c["linux"]["uidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]' \
        'c["linux"]["gidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]'
ctr_run nopivotu --no-pivot
is "--no-pivot, user namespace: run exits 0" 0 "$RC"
if printf '%s\n' "$OUT" | grep -qx USERNS_OK; then
        unlike "--no-pivot, user namespace: a nested user namespace cannot mount a new procfs" "$OUT" PROC_MOUNTED
        unlike "--no-pivot, user namespace: a nested user namespace cannot mount a new sysfs" "$OUT" SYSFS_MOUNTED
else
        skip "--no-pivot, user namespace: the container cannot create user namespaces here"
fi

# The whole mount table of the namespace (listmount(2), Linux >= 6.8: /proc/PID/mountinfo shows
# only what the process root reaches): beyond the container's own mounts, only the mounts the
# rootfs sits on may remain.
cat >"$TMP/listmount.py" <<'PY'
import ctypes, fcntl, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
SYS_statmount, SYS_listmount = 457, 458
NS_GET_MNTNS_ID = (2 << 30) | (8 << 16) | (0xb7 << 8) | 5
fd = os.open("/proc/%s/ns/mnt" % sys.argv[1], os.O_RDONLY)
buf = bytearray(8)
try:
    fcntl.ioctl(fd, NS_GET_MNTNS_ID, buf)
except OSError:
    sys.exit(77)
nsid = struct.unpack("Q", buf)[0]
ids = (ctypes.c_uint64 * 65536)()
# struct mnt_id_req { u32 size, spare; u64 mnt_id (LSMT_ROOT), param, mnt_ns_id }
n = libc.syscall(SYS_listmount, ctypes.c_char_p(struct.pack("IIQQQ", 32, 0, 2**64 - 1, 0, nsid)), ids, 65536, 0)
if n < 0:
    sys.exit(77 if ctypes.get_errno() in (38, 22) else 1)
for i in range(n):
    out = ctypes.create_string_buffer(65536)
    # STATMOUNT_MNT_BASIC | STATMOUNT_FS_TYPE
    req = struct.pack("IIQQQ", 32, 0, ids[i], 2 | 32, nsid)
    if libc.syscall(SYS_statmount, ctypes.c_char_p(req), out, 65536, 0) < 0:
        sys.exit(1)
    raw = out.raw
    old_id, old_parent = struct.unpack_from("II", raw, 56)   # mnt_id_old, mnt_parent_id_old
    off = 512 + struct.unpack_from("I", raw, 36)[0]          # str[] + fs_type
    print(old_id, old_parent, raw[off:raw.index(b"\0", off)].decode())
PY
new_bundle nopivotd sh -c 'while :; do sleep 1000; done' "mark-$PFX-nopivotd"
NPD=$(cid nopivotd)
rtc run -d --no-pivot --bundle "$TMP/b/nopivotd" "$NPD"
is "--no-pivot: run -d exits 0" 0 "$RC"
npid=$(state_field "$NPD" pid)
inside=$(cat "/proc/$npid/mountinfo" 2>/dev/null)
like_re "--no-pivot: the container's mountinfo starts with its rootfs on /" "$(printf '%s\n' "$inside" | head -n 1)" \
        '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / '
unlike "--no-pivot: the container's mountinfo shows no host devtmpfs" "$inside" " - devtmpfs "
python3 "$TMP/listmount.py" "$npid" >"$TMP/ns-mounts" 2>"$TMP/ns-mounts.err"
lrc=$?
if [ $lrc = 77 ]; then
        skip "--no-pivot: no host mounts left in the namespace: listmount(2) needs Linux >= 6.8"
elif [ $lrc != 0 ]; then
        fail "--no-pivot: listing the namespace's mounts" "$(cat "$TMP/ns-mounts.err")"
else
        # hidden: in the namespace but not in the container's view; each must be on the chain of
        # parents of the container's root mount.
        left=$(python3 - "$TMP/ns-mounts" <<PY
import sys
ns = {}
for l in open(sys.argv[1]):
    i, p, t = l.split()
    ns[int(i)] = (int(p), t)
visible = set()
root = None
for l in """$inside""".splitlines():
    f = l.split()
    visible.add(int(f[0]))
    if root is None:
        root = int(f[0])
chain = set()
p = ns.get(root, (None,))[0]
while p in ns and p not in chain:
    chain.add(p)
    p = ns[p][0]
print(" ".join("%d:%s" % (i, ns[i][1]) for i in sorted(set(ns) - visible - chain)))
PY
)
        is "--no-pivot: no host mount left in the namespace but those under the rootfs" "" "$left"
        like "--no-pivot: the listing saw the container's procfs" "$(cat "$TMP/ns-mounts")" " proc"
fi
rt delete --force "$NPD" >/dev/null 2>&1

# ================================================================ 14. device nodes by fd
# linux.devices: mode and owner exactly as configured (also bits a umask would drop, and
# setuid/setgid bits, which chown clears), on a fresh /dev and on a /dev/shared bound from the host.
dev() { # PATH TYPE MAJOR MINOR MODE UID GID
        printf '{"path":"%s","type":"%s","major":%s,"minor":%s,"fileMode":%s,"uid":%s,"gid":%s}' "$@"
}
SHDEV=$TMP/shdev
mkdir -p "$SHDEV"
echo victim >"$TMP/victim-pre"
chmod 0600 "$TMP/victim-pre"
ln -s "$TMP/victim-pre" "$SHDEV/pre"
new_bundle devs sh -c 'for d in /dev/d-zero /dev/d-suid /dev/d-fifo /dev/shared/pre; do echo "S $(stat -c "%n %A %u %g %t:%T" $d)"; done'
cfg_edit "$TMP/b/devs" 'mount("/dev/shared", "bind", "'"$SHDEV"'", ["bind"])' \
        'c["linux"]["devices"]=['"$(dev /dev/d-zero c 1 5 0o640 1000 100),$(dev /dev/d-suid c 1 3 0o6751 1000 100),$(dev /dev/d-fifo p 0 0 0o666 0 0),$(dev /dev/shared/pre c 1 3 0o604 0 0)"']'
(umask 077 && ctr_run devs && printf '%s\n%s\n%s\n' "$RC" "$OUT" "$ERR" >"$TMP/devs.res")
RC=$(sed -n 1p "$TMP/devs.res")
OUT=$(sed -n '2,$p' "$TMP/devs.res")
is "devices: run exits 0 (caller's umask 077)" 0 "$RC"
like "/dev/d-zero: 0640, owner 1000:100, 1:5" "$OUT" "S /dev/d-zero crw-r----- 1000 100 1:5"
like "/dev/d-suid: 06751 kept through the chown, owner 1000:100" "$OUT" "S /dev/d-suid crwsr-s--x 1000 100 1:3"
like "/dev/d-fifo: a FIFO, 0666" "$OUT" "S /dev/d-fifo prw-rw-rw- 0 0"
like "/dev/shared/pre (a symlink there before): replaced by the node" "$OUT" "S /dev/shared/pre crw----r-- 0 0 1:3"
is "the old symlink's target is untouched" 600 "$(stat -c %a "$TMP/victim-pre")"

# The race: a host process keeps swapping a symlink to a host file in at the node's name while the
# node is made. A chmod by name follows it and changes the host file's mode; by fd it cannot (the
# run may fail then: the node it made is gone).
echo victim >"$TMP/victim"
chmod 0600 "$TMP/victim"
new_bundle devrace true
cfg_edit "$TMP/b/devrace" 'mount("/dev/shared", "bind", "'"$SHDEV"'", ["bind"])' \
        'c["linux"]["devices"]=['"$(dev /dev/shared/racy c 1 3 0o666 0 0)"']'
python3 -c '
import os, sys
d, victim = sys.argv[1], sys.argv[2]
i = 0
while True:
    t = os.path.join(d, ".l%d" % (i % 2))
    i += 1
    try:
        os.unlink(t)
    except FileNotFoundError:
        pass
    os.symlink(victim, t)
    os.rename(t, os.path.join(d, "racy"))' "$SHDEV" "$TMP/victim" &
SWAPPER=$!
ok=0 runs=0
for ((i = 0; i < 60; i++)); do
        ctr_run devrace
        runs=$((runs + 1))
        [ "$RC" = 0 ] && ok=$((ok + 1))
        [ "$(stat -c %a "$TMP/victim")" = 600 ] || break
done
kill "$SWAPPER" 2>/dev/null
wait "$SWAPPER" 2>/dev/null
is "60 runs racing a symlink swap at the node's name: the host file's mode is untouched" 600 \
        "$(stat -c %a "$TMP/victim")"
echo "# $ok of $runs runs succeeded under the race"

# ================================================================ a host mount at the rootfs's /dev
# With no /dev in the config's mounts, the rootfs's own /dev is used. When that is a mount of its
# own from the host (root.path "/" brings the host's devtmpfs; here a tmpfs mounted on rootfs/dev
# stands in for it), its entries are the host's: missing nodes are made, as runc does, but nothing
# there is replaced, /dev/ptmx included (berth before this replaced every node and made ptmx a
# link to pts/ptmx, on the host).
new_bundle devhost sh -c 'ls -l /dev/ptmx /dev/null /dev/zero' "mark-$PFX-devhost"
own_rootfs devhost
cfg_edit "$TMP/b/devhost" 'c["mounts"]=[m for m in c["mounts"] if not m["destination"].startswith("/dev")]'
DH=$TMP/b/devhost/rootfs/dev
mkdir -p "$DH"
mount -t tmpfs -o mode=755 devhost "$DH"
mknod -m 600 "$DH/ptmx" c 5 2
mknod -m 640 "$DH/null" c 1 3
ctr_run devhost
is "host mount on rootfs/dev: run exits 0" 0 "$RC"
is "host mount on rootfs/dev: its /dev/ptmx is still the node, not a link" "c 600" "$(stat -c '%F' "$DH/ptmx" | sed 's/character special file/c/') $(stat -c %a "$DH/ptmx")"
is "host mount on rootfs/dev: its /dev/null keeps its mode" 640 "$(stat -c %a "$DH/null")"
is "host mount on rootfs/dev: a missing node is made" "1:5" "$(stat -c '%t:%T' "$DH/zero" 2>&1)"
rm -f "$DH/null"
echo "not a device" >"$DH/null"
ctr_run devhost
isnt "host mount on rootfs/dev: a regular file at /dev/null is an error, not replaced" 0 "$RC"
msg_like "host mount on rootfs/dev: the error says why" "$ERR" "something else there"
is "host mount on rootfs/dev: the file is still there" "not a device" "$(cat "$DH/null")"
umount "$DH"
# The same through an image's /dev symlink to a host bind (a volume): the volume's files named null
# and ptmx were replaced with device nodes (the check looked at the link, not where it leads).
new_bundle devlink true
own_rootfs devlink
VOL=$TMP/devlink-vol
mkdir -p "$VOL" "$TMP/b/devlink/rootfs/mnt/vol"
rm -rf "$TMP/b/devlink/rootfs/dev"
ln -s /mnt/vol "$TMP/b/devlink/rootfs/dev"
echo precious >"$VOL/null"
echo data >"$VOL/ptmx"
cfg_edit "$TMP/b/devlink" 'c["mounts"]=[m for m in c["mounts"] if not m["destination"].startswith("/dev")]' \
        "mount('/mnt/vol', 'bind', '$VOL', ['rbind', 'rw'])"
ctr_run devlink
isnt "rootfs /dev a symlink to a host bind: an error, not a replacement" 0 "$RC"
is "rootfs /dev a symlink to a host bind: the volume's files are untouched" "precious data" \
        "$(cat "$VOL/null" "$VOL/ptmx" | paste -sd ' ')"

finish
