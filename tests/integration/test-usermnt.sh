#!/bin/bash
# Host sources in a user namespace (issue 13 item 6): with uidMappings 0 -> 100000, the init's root
# is host uid 100000, which cannot reach a bind source under a 0700 directory of the host's root.
# berth opens bind sources and the host device nodes it binds as the host's root before the user
# namespace takes effect, and mounts those. Compared with runc 1.1.5 where it behaves the same.
. "$(dirname "$0")/lib.sh"

userns_edits=('ns_set("user")'
        'c["linux"]["uidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]'
        'c["linux"]["gidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]')

# The secret: a file in a directory only the host's root may enter.
mkdir -p "$TMP/secret/data"
echo "secret-$PFX" >"$TMP/secret/data/file"
chmod 0700 "$TMP/secret"

# ---- a bind source under a 0700 host directory, read-only, and a device bound from the host
have_tun=
[ -c /dev/net/tun ] && have_tun=1
new_bundle sec sh -c 'cat /home/file; awk "\$5 == \"/home\" { print \"OPTS \" \$6 }" /proc/self/mountinfo
        [ -c /dev/net/tun ] && echo "TUN $(stat -c %t:%T /dev/net/tun)"
        for f in /proc/$$/fd/*; do [ -L "$f" ] && echo "FD ${f##*/}"; done; echo "ID $(id -u)"' "mark-$PFX-sec"
cfg_edit "$TMP/b/sec" "${userns_edits[@]}" \
        "mount('/home', 'bind', '$TMP/secret/data', ['rbind', 'ro'])"
[ -n "$have_tun" ] && cfg_edit "$TMP/b/sec" \
        'c["linux"]["devices"]=[{"path":"/dev/net/tun","type":"c","major":10,"minor":200,"fileMode":438,"uid":0,"gid":0}]'
ctr_run sec
is "user namespace, bind source under a 0700 host dir: run exits 0" 0 "$RC"
like "user namespace: the container reads the bound file" "$OUT" "secret-$PFX"
like_re "user namespace: the bind is read-only" "$(printf '%s\n' "$OUT" | sed -n 's/^OPTS //p')" '^ro,' 
is "user namespace: the container's root is root inside" 0 "$(printf '%s\n' "$OUT" | sed -n 's/^ID //p')"
if [ -n "$have_tun" ]; then
        is "user namespace: a device from linux.devices is bound from the host" "a:c8" \
                "$(printf '%s\n' "$OUT" | sed -n 's/^TUN //p')"
else
        skip "user namespace: a device from linux.devices is bound from the host: no /dev/net/tun here"
fi
# Nothing of the runtime's reaches the process: the detached mounts were close-on-exec. (The glob's
# own directory fd is gone by the time the loop tests it.)
is "user namespace: the process has only fds 0-2" "0 1 2" "$(printf '%s\n' "$OUT" | sed -n 's/^FD //p' | paste -sd ' ')"
# runc 1.1.5 runs it too: its stage 0 (the host's root) enters the container's new mount namespace,
# opens each bind source O_PATH there and passes the fds to runc init over a socket, which mounts
# them through /proc/self/fd (libcontainer/nsenter send_mountsources).
runc_run sec
same_as_runc "user namespace, bind source under a 0700 host dir: run" "$RC" "$RRC"
same_as_runc "user namespace, bind source under a 0700 host dir: the file" \
        "$(printf '%s\n' "$OUT" | grep -c "secret-$PFX")" "$(printf '%s\n' "$ROUT" | grep -c "secret-$PFX")"

# ---- a read-only host mount stays read-only: the kernel locks the flags of mounts a less
# privileged namespace got; the init's own clone keeps that lock (only a source it cannot reach
# comes from the runtime's clone). Even root in the container with CAP_SYS_ADMIN cannot undo it.
mkdir -p "$TMP/rohost/src"
echo "ro-$PFX" >"$TMP/rohost/src/file"
mount --bind "$TMP/rohost/src" "$TMP/rohost/src" && mount -o remount,bind,ro "$TMP/rohost/src"
new_bundle lock sh -c 'mount -o remount,bind,rw /home 2>/dev/null && echo REMOUNTED-RW; touch /home/x 2>/dev/null && echo WROTE; cat /home/file'
cfg_edit "$TMP/b/lock" "${userns_edits[@]}" "mount('/home', 'bind', '$TMP/rohost/src', ['bind'])" \
        'pr=c["process"]["capabilities"]; [pr[k].append("CAP_SYS_ADMIN") for k in ("bounding","effective","permitted")]'
ctr_run lock
is "user namespace, bind of a read-only host mount: run exits 0" 0 "$RC"
is "... root in the container can neither remount it rw nor write to it" "ro-$PFX" "$OUT"
umount "$TMP/rohost/src"

# ---- a missing source: a clear error naming the mount, before anything exists
new_bundle miss true
cfg_edit "$TMP/b/miss" "${userns_edits[@]}" \
        "mount('/tmp', 'bind', '$TMP/secret/nonexistent', ['rbind'])"
before=$(grep -c . /proc/self/mountinfo)
ctr_run miss
isnt "user namespace, missing bind source: run fails" 0 "$RC"
msg_like "user namespace, missing bind source: names the source and the mount" "$ERR" \
        "'$TMP/secret/nonexistent' of mounts["
msg_like "user namespace, missing bind source: says why" "$ERR" "No such file or directory"
is "user namespace, missing bind source: no container left" "" "$(state_field "$(cid miss)" status)"
is "user namespace, missing bind source: nothing mounted on the host" "$before" \
        "$(grep -c . /proc/self/mountinfo)"

# ---- a host device that does not match linux.devices: refused before anything exists
new_bundle baddev true
cfg_edit "$TMP/b/baddev" "${userns_edits[@]}" \
        'c["linux"]["devices"]=[{"path":"/dev/null","type":"c","major":1,"minor":5}]'
ctr_run baddev
isnt "user namespace, a device with no matching host node: run fails" 0 "$RC"
msg_like "user namespace, a device with no matching host node: says so" "$ERR" "no matching host node"
is "user namespace, a device with no matching host node: no container left" "" \
        "$(state_field "$(cid baddev)" status)"

# ---- a bind of a shared host mount: what the container mounts below it stays in the container
# (the runtime's clone is a peer of the host's mount until it is made a slave like the rest).
mkdir -p "$TMP/shr"
mount -t tmpfs "shr-$PFX" "$TMP/shr" && mount --make-shared "$TMP/shr"
mkdir -p "$TMP/shr/sub"
new_bundle shr sh -c 'grep -c " /var/sub " /proc/self/mountinfo'
cfg_edit "$TMP/b/shr" "${userns_edits[@]}" \
        "mount('/var', 'bind', '$TMP/shr', ['rbind'])" \
        "mount('/var/sub', 'tmpfs', 'tmpfs', ['size=64k'])"
ctr_run shr
is "user namespace, bind of a shared host mount: run exits 0" 0 "$RC"
is "user namespace, bind of a shared host mount: the tmpfs below it is there inside" 1 "$OUT"
is "user namespace, bind of a shared host mount: nothing propagates to the host" "" \
        "$(mounts_under "$TMP/shr/sub")"
umount -R "$TMP/shr"

finish
