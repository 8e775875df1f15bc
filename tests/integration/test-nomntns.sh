#!/bin/bash
# No mount namespace in linux.namespaces (issue 13 item 5): the container shares the caller's, its
# root is a chroot into root.path, and berth makes no mount at all. What needs a mount is refused
# naming the JSON path, with nothing left behind; the host's mount table is the same after every
# step. The same bundles run through runc 1.1.5 (and crun 1.8.1) for comparison, each inside a
# throwaway `unshare -m` with /dev covered by a tmpfs: without a mount namespace runc mounts into
# the caller's mount table (it binds the rootfs onto itself, makes '/' a slave, and replaces
# /dev/ptmx with a link even in the host's devtmpfs), which must never reach this host.
. "$(dirname "$0")/lib.sh"

# host_mounts: the host's mount table, less what other tests running beside us mount under /tmp,
# /work or /run (their own dirs): mount point, root, optional fields (propagation), type, source.
host_mounts() {
        awk '{ opt = ""; for (i = 7; $i != "-"; i++) opt = opt " " $i; print $5, $4, opt, $(i + 1), $(i + 2) }' \
                /proc/self/mountinfo | grep -vE '^/(tmp|work|run)/' | sort
        grep -F -- "$TMP" /proc/self/mountinfo
}

# A script the containers run: what they see, one KEY=value per line.
SEE='echo "MARK=$(cat /marker 2>&1)"
echo "ROOT=$(ls / | tr "\n" " ")"
echo "ROOTID=$(stat -c %d:%i /)"
echo "DEV=$(ls /dev | tr "\n" " ")"
echo "MNTNS=$(readlink /proc/self/ns/mnt 2>&1)"
echo "MOUNTS=$(grep -c . /proc/self/mountinfo 2>/dev/null)"
echo "PIDNS=$(readlink /proc/self/ns/pid 2>&1)"'
field() { printf '%s\n' "$1" | sed -n "s/^$2=//p"; }

# nomnt_bundle NAME ROOT: a bundle running $SEE without a mount namespace, mounts, masks or a
# read-only root; ROOT "own" gives it a private copy of the rootfs with a marker file.
nomnt_bundle() {
        new_bundle "$1" sh -c "$SEE"
        cfg_edit "$TMP/b/$1" 'ns_del("mount")' 'c["mounts"] = []' 'c["linux"].pop("maskedPaths")' \
                'c["linux"].pop("readonlyPaths")' 'c["root"]["readonly"] = False'
        if [ "$2" = own ]; then
                own_rootfs "$1"
                echo "only in $1" >"$TMP/b/$1/rootfs/marker"
        else
                cfg_edit "$TMP/b/$1" "c['root']['path'] = '$2'"
        fi
}

# other_rt RUNTIME NAME: run bundle NAME with runc or crun in a throwaway mount namespace with /dev a
# tmpfs (and cgroup2 on /sys/fs/cgroup for crun, which refuses this hybrid host otherwise, with
# --cgroup-manager=disabled). Sets ORC, OOUT, OERR and ONS (that namespace).
other_rt() {
        local bin=$1 name=$2
        ORC= OOUT= OERR= ONS=
        unshare -m --propagation private bash -c '
                mount -t tmpfs -o mode=755 tmpfs /dev && mknod -m 666 /dev/null c 1 3 || exit 120
                readlink /proc/self/ns/mnt >"$TMP/ons"
                if [ "${1##*/}" = crun ]; then
                        mount -t cgroup2 none /sys/fs/cgroup || exit 121
                        set -- "$1" --cgroup-manager=disabled "${@:2}"
                fi
                exec timeout -k 5 "$RT_TIMEOUT" "$@" </dev/null' - \
                "$bin" --root "$TMP/$(basename "$bin")-state" run --bundle "$TMP/b/$name" "$(cid "$name")-o" \
                >"$TMP/oout" 2>"$TMP/oerr"
        ORC=$?
        OOUT=$(cat "$TMP/oout")
        OERR=$(cat "$TMP/oerr")
        ONS=$(cat "$TMP/ons" 2>/dev/null)
}
export TMP RT_TIMEOUT
CRUN=$(command -v crun 2>/dev/null)

host_ns=$(readlink /proc/self/ns/mnt)
[ -n "$host_ns" ] || { echo "Bail out! no /proc/self/ns/mnt"; exit 99; }
host_root=$(stat -c %d:%i /)
host_ptmx=$(stat -c '%F %t:%T %a %i' /dev/ptmx)
before=$(host_mounts)

# ---- a rootfs of its own, with the host's procfs bound on its /proc by the test (so that runc,
# which needs /proc, runs it too, and the container's mountinfo can be read)
nomnt_bundle own own
cp -a "$TMP/b/own/rootfs" "$TMP/b/own/rootfs-o"
mount --bind /proc "$TMP/b/own/rootfs/proc" && mount --bind /proc "$TMP/b/own/rootfs-o/proc"
mounts_before=$(host_mounts)
ctr_run own
is "own rootfs: run exits 0" 0 "$RC"
is "own rootfs: the container sees the rootfs' own file" "only in own" "$(field "$OUT" MARK)"
is "own rootfs: its root is root.path" "$(stat -c %d:%i "$TMP/b/own/rootfs")" "$(field "$OUT" ROOTID)"
is "own rootfs: it is in the host's mount namespace" "$host_ns" "$(field "$OUT" MNTNS)"
is "own rootfs: it sees one mount, the /proc the host has there (none of its own)" 1 "$(field "$OUT" MOUNTS)"
is "own rootfs: the default nodes and links are made in its /dev" \
        "fd full null ptmx random stderr stdin stdout tty urandom zero " "$(field "$OUT" DEV)"
is "own rootfs: /dev/ptmx is the link to pts/ptmx" "pts/ptmx" "$(readlink "$TMP/b/own/rootfs/dev/ptmx")"
isnt "own rootfs: its pid namespace is its own" "$(readlink /proc/self/ns/pid)" "$(field "$OUT" PIDNS)"
is "own rootfs: the host's mount table is unchanged" "$mounts_before" "$(host_mounts)"
is "own rootfs: no state left after run" "" "$(ls "$STATE")"

cfg_edit "$TMP/b/own" 'c["root"]["path"] = "rootfs-o"'
if [ -n "$RUNC" ]; then
        other_rt "$RUNC" own
        is "runc, own rootfs: run exits 0" 0 "$ORC"
        same_as_runc "own rootfs: the rootfs' own file" "$(field "$OUT" MARK)" "$(field "$OOUT" MARK)"
        same_as_runc "own rootfs: /dev" "$(field "$OUT" DEV)" "$(field "$OOUT" DEV)"
        same_as_runc "own rootfs: the caller's mount namespace" yes \
                "$([ "$(field "$OOUT" MNTNS)" = "$ONS" ] && echo yes)"
        # runc's one more: it binds the rootfs onto itself, in the caller's mount table.
        is "runc sees the same mounts plus its bind of the rootfs onto itself" \
                "$(($(field "$OUT" MOUNTS) + 1))" "$(field "$OOUT" MOUNTS)"
else
        same_as_runc "own rootfs" "" ""
fi
if [ -n "$CRUN" ]; then
        other_rt "$CRUN" own
        is "crun, own rootfs: run exits 0" 0 "$ORC"
        is "crun, own rootfs: the same rootfs file, /dev and mount count (as crun)" \
                "$(field "$OUT" MARK)|$(field "$OUT" DEV)|$(field "$OUT" MOUNTS)" \
                "$(field "$OOUT" MARK)|$(field "$OOUT" DEV | sed 's/core //')|$(field "$OOUT" MOUNTS)"
else
        skip "crun, own rootfs: crun is not installed"
fi
umount "$TMP/b/own/rootfs/proc" "$TMP/b/own/rootfs-o/proc"

# ---- the host's root (root.path "/"): berth changes nothing of the host's /dev (runc replaces
# /dev/ptmx there), and the container sees the host's mounts as they are
nomnt_bundle hostroot /
cfg_edit "$TMP/b/hostroot" 'c["process"]["args"][2] += "; echo \"TMPDIR=$(cat '"$TMP"'/hostmark)\""'
echo "host file" >"$TMP/hostmark"
ctr_run hostroot
is "root.path /: run exits 0" 0 "$RC"
is "root.path /: its root is the host's" "$host_root" "$(field "$OUT" ROOTID)"
is "root.path /: it sees the host's files" "host file" "$(field "$OUT" TMPDIR)"
is "root.path /: it is in the host's mount namespace" "$host_ns" "$(field "$OUT" MNTNS)"
is "root.path /: the host's /dev/ptmx is untouched" "$host_ptmx" "$(stat -c '%F %t:%T %a %i' /dev/ptmx)"
is "root.path /: the host's mount table is unchanged" "$before" "$(host_mounts)"
# --no-pivot detaches the mounts of the container's mount namespace first: never the host's.
ctr_run hostroot --no-pivot
is "root.path / with --no-pivot: run exits 0" 0 "$RC"
is "root.path / with --no-pivot: its root is the host's" "$host_root" "$(field "$OUT" ROOTID)"
is "root.path / with --no-pivot: the host's mount table is unchanged" "$before" "$(host_mounts)"
if [ -n "$RUNC" ]; then
        other_rt "$RUNC" hostroot
        is "runc, root.path /: run exits 0" 0 "$ORC"
        same_as_runc "root.path /: the host's root" "$(field "$OUT" ROOTID)" "$(field "$OOUT" ROOTID)"
        same_as_runc "root.path /: the host's files" "$(field "$OUT" TMPDIR)" "$(field "$OOUT" TMPDIR)"
        same_as_runc "root.path /: the caller's mount namespace" yes \
                "$([ "$(field "$OOUT" MNTNS)" = "$ONS" ] && echo yes)"
else
        same_as_runc "root.path /" "" ""
fi

# ---- exec into a container without a mount namespace enters its chroot
nomnt_bundle ex own
cfg_edit "$TMP/b/ex" 'c["process"]["args"] = ["sleep", "1000"]'
rtc run -d --bundle "$TMP/b/ex" "$(cid ex)"
is "run -d without a mount namespace" 0 "$RC"
rtc exec "$(cid ex)" cat /marker
is "exec sees the container's root" "only in ex" "$OUT"
rtc delete --force "$(cid ex)"
is "delete --force" 0 "$RC"
is "exec and delete: the host's mount table is unchanged" "$before" "$(host_mounts)"

# ---- refused: each field that needs a mount, named by its JSON path; nothing left behind
# refused NAME DESC NEEDLE: run bundle NAME, expect failure with NEEDLE and no leftovers.
refused() {
        local name=$1 desc=$2 needle=$3
        ctr_run "$name"
        isnt "$desc: run fails" 0 "$RC"
        msg_like "$desc: names it" "$ERR" "$needle"
        is "$desc: no state left" "" "$(ls "$STATE")"
        is "$desc: no process left" "" "$(pids_matching "$(cid "$name")")"
        is "$desc: no cgroup left" "" "$(ls -d /sys/fs/cgroup/*/"$(cid "$name")" /sys/fs/cgroup/unified/"$(cid "$name")" 2>/dev/null)"
        is "$desc: the host's mount table is unchanged" "$before" "$(host_mounts)"
}

new_bundle dflt sh -c "$SEE"
cfg_edit "$TMP/b/dflt" 'ns_del("mount")'
refused dflt "default config" "config.json: linux.maskedPaths[0]: needs a mount namespace"
if [ -n "$RUNC" ]; then
        other_rt "$RUNC" dflt
        same_as_runc "default config without a mount namespace: refused" refused \
                "$([ "$ORC" -ne 0 ] && [ -z "$OOUT" ] && echo refused)"
else
        same_as_runc "default config without a mount namespace: refused" "" ""
fi

nomnt_bundle ro own
cfg_edit "$TMP/b/ro" 'c["linux"]["readonlyPaths"] = ["/proc/sys"]'
refused ro "readonlyPaths" "config.json: linux.readonlyPaths[0]: needs a mount namespace"
nomnt_bundle mnts own
cfg_edit "$TMP/b/mnts" 'mount("/proc", "proc", "proc")'
refused mnts "a mount" "config.json: mounts[0]: the mount on '/proc' needs a mount namespace"
nomnt_bundle rootro own
cfg_edit "$TMP/b/rootro" 'c["root"]["readonly"] = True'
refused rootro "root.readonly" "config.json: root.readonly: true needs a mount namespace"
nomnt_bundle prop own
cfg_edit "$TMP/b/prop" 'c["linux"]["rootfsPropagation"] = "rprivate"'
refused prop "rootfsPropagation" "config.json: linux.rootfsPropagation: needs a mount namespace"
nomnt_bundle uns own
cfg_edit "$TMP/b/uns" 'ns_set("user")' \
        'c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]' \
        'c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
refused uns "a user namespace" "a user namespace needs a mount namespace too"

# berth's own binds under systemd.
nomnt_bundle svc own
NOTIFY_SOCKET=$TMP/notify refused svc "\$NOTIFY_SOCKET" "without a mount namespace, \$NOTIFY_SOCKET cannot be bound"
unset NOTIFY_SOCKET
mkdir -p "$TMP/creds"
CREDENTIALS_DIRECTORY=$TMP/creds refused svc "\$CREDENTIALS_DIRECTORY" \
        "without a mount namespace, \$CREDENTIALS_DIRECTORY cannot be bound"

# An entry of /dev that is not the device asked for is never replaced (it may be the host's /dev).
nomnt_bundle devf own
rm -f "$TMP/b/devf/rootfs/dev/null"
echo "not a device" >"$TMP/b/devf/rootfs/dev/null"
refused devf "a file at /dev/null" "Failed to create device node '/dev/null': the root filesystem has something else"
is "a file at /dev/null: left as it was" "not a device" "$(cat "$TMP/b/devf/rootfs/dev/null")"

finish
