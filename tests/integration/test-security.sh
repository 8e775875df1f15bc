#!/bin/bash
# Security baseline (DESIGN.md §6): one or more regression tests per rule, each asserting on what
# the container saw or on what is left on the host, so that removing the protection fails it.
. "$(dirname "$0")/lib.sh"

# line of $OUT that starts with "TAG " (without the tag)
tag() { printf '%s\n' "$OUT" | sed -n "s/^$1 //p" | head -n 1; }

# nothing_left DESC ID BUNDLE: no state dir for ID, no mount mentioning BUNDLE, no process of it.
nothing_left() {
        local left=
        [ -e "$STATE/$2" ] && left+=" state:$STATE/$2"
        mounts_under "$3" >/dev/null && left+=" mount:$(mounts_under "$3" | head -n 1)"
        [ -n "$(pids_matching "$2")" ] && left+=" pids:$(pids_matching "$2" | paste -sd,)"
        if [ -z "$left" ]; then
                pass "$1"
        else
                fail "$1" "left behind:$left"
        fi
}

# ================================================================ CVE-2024-21626: fds and cwd
# The caller holds a non-CLOEXEC fd on a host directory; nothing of it may reach the container.
SECRET=$TMP/host-secret
mkdir -p "$SECRET"
echo topsecret >"$SECRET/marker"
echo preserved >"$TMP/preserved"

# fds of the shell (its own pid, not self: the glob's dir fd is gone by the time the loop runs;
# no command substitution or pipeline, whose pipe would show up as an fd of the shell; reading
# such a pipe through /proc would even block)
FDSCRIPT='for f in /proc/$$/fd/*; do [ -L $f ] || continue; printf "F %s " ${f##*/}; readlink $f; done
        echo "C $(readlink /proc/self/cwd)"
        cat /proc/$$/fd/7/marker 2>/dev/null && echo "LEAK 7"
        if [ -L /proc/$$/fd/3 ]; then printf "P3 "; cat /proc/$$/fd/3; fi'
new_bundle fds sh -c "$FDSCRIPT"
cfg_edit "$TMP/b/fds" 'c["process"]["cwd"]="/tmp"'
exec 7<"$SECRET"
ctr_run fds
exec 7<&-
is "run exits 0 (caller holds fd 7 on a host dir)" 0 "$RC"
is "only fds 0 1 2 reach the container" "0 1 2" "$(printf '%s\n' "$OUT" | awk '$1 == "F" { print $2 }' | paste -sd ' ')"
unlike "no container fd points at the host dir" "$(printf '%s\n' "$OUT" | grep '^F ')" "$SECRET"
unlike "no container fd points at the state root" "$(printf '%s\n' "$OUT" | grep '^F ')" "$STATE"
unlike "the leaked host dir is not readable through /proc/PID/fd/7" "$OUT" "LEAK 7"
is "cwd is the configured one, inside the rootfs" /tmp "$(tag C)"

# positive control: --preserve-fds 1 passes the caller's fd 3
exec 3<"$TMP/preserved"
ctr_run fds --preserve-fds 1
exec 3<&-
is "run --preserve-fds 1 exits 0" 0 "$RC"
is "--preserve-fds 1: fds 0 1 2 3 reach the container" "0 1 2 3" "$(printf '%s\n' "$OUT" | awk '$1 == "F" { print $2 }' | paste -sd ' ')"
is "--preserve-fds 1: fd 3 reads the caller's file" preserved "$(tag P3)"

# The attack itself: process.cwd through a leaked fd (runc < 1.1.12 lands in the host's directory).
# Try the fd numbers a runtime's own fds plausibly have, plus the caller's fd 7.
new_bundle cwdleak sh -c 'echo "C $(readlink /proc/self/cwd)"; cat ./marker 2>/dev/null && echo "LEAK"; cat ../../../../../../../../marker 2>/dev/null && echo LEAK2'
escaped=
for n in 3 4 5 6 7 8 9 10; do
        cfg_edit "$TMP/b/cwdleak" 'c["process"]["cwd"]="/proc/self/fd/'$n'"'
        exec 7<"$SECRET"
        ctr_run cwdleak
        exec 7<&-
        case $OUT in *LEAK* | *"$TMP"*) escaped+=" fd$n:[rc=$RC $(printf '%s' "$OUT" | tr '\n' ' ')]" ;; esac
        # a failed run must not leave a container behind
        rt delete --force "$(cid cwdleak)" >/dev/null 2>&1
done
if [ -z "$escaped" ]; then
        pass "cwd /proc/self/fd/N never lands outside the rootfs"
elif [ "$RT_NAME" = runc ]; then
        skip "cwd /proc/self/fd/N never lands outside the rootfs: runc 1.1.5 has CVE-2024-21626"
else
        fail "cwd /proc/self/fd/N never lands outside the rootfs" "$escaped"
fi

# ================================================================ CVE-2021-30465 / CVE-2025-52881:
# mount targets that go through symlinks are resolved inside the rootfs.
new_bundle symtgt sh -c '
        echo "X $(cat /etc/x/file 2>/dev/null)"
        echo "Y $(cat /etc/y/file 2>/dev/null)"
        echo "A $(cat /mnt/evil/x/file 2>/dev/null)"'
own_rootfs symtgt
R=$TMP/b/symtgt/rootfs
mkdir -p "$R/mnt"
ln -s /etc "$R/mnt/evil"
ln -s ../../../../../../../../../etc "$R/mnt/rel"
HB=$TMP/bindsrc
mkdir -p "$HB"
echo fromhost >"$HB/file"
# the host paths the symlinks would reach if followed on the host (must not exist beforehand)
HX=/etc/x HY=/etc/y
if [ -e $HX ] || [ -e $HY ]; then
        skip "host already has /etc/x or /etc/y"
else
        cfg_edit "$TMP/b/symtgt" \
                'mount("/mnt/evil/x", "bind", "'"$HB"'", ["bind"])' \
                'mount("/mnt/rel/y", "bind", "'"$HB"'", ["bind"])'
        ctr_run symtgt
        is "run exits 0 (bind targets behind symlinks)" 0 "$RC"
        host_x=no host_y=no
        [ -e $HX ] && host_x=yes
        [ -e $HY ] && host_y=yes
        is "absolute symlink target: host /etc/x not created" no "$host_x"
        is "relative ../ symlink target: host /etc/y not created" no "$host_y"
        is "absolute symlink target: mounted at the rootfs's /etc/x" fromhost "$(tag X)"
        is "relative symlink target: mounted at the rootfs's /etc/y" fromhost "$(tag Y)"
        is "the symlinked path shows the mount too" fromhost "$(tag A)"
        is "the mount point was created in the bundle's rootfs" yes "$([ -d "$R/etc/x" ] && [ -d "$R/etc/y" ] && echo yes)"
        [ "$host_x" = yes ] && rmdir $HX 2>/dev/null
        [ "$host_y" = yes ] && rmdir $HY 2>/dev/null
fi
rm -rf "$R/mnt/evil" "$R/mnt/rel" "$R/etc/x" "$R/etc/y"

# ================================================================ CVE-2019-16884 / CVE-2023-27561:
# procfs only on a real directory of the rootfs.
procsym() { # NAME LINK-TARGET
        local name=$1 id
        id=$(cid "$1")
        new_bundle "$name" true
        own_rootfs "$name"
        rmdir "$TMP/b/$name/rootfs/proc"
        mkdir -p "$TMP/b/$name/rootfs/fakeproc"
        ln -s "$2" "$TMP/b/$name/rootfs/proc"
        rtc create --bundle "$TMP/b/$name" "$id"
        isnt "create fails: /proc -> $2" 0 "$RC"
        msg_like "error names proc: /proc -> $2" "$ERR" proc
        nothing_left "nothing left behind: /proc -> $2" "$id" "$TMP/b/$name"
        is "the symlink target got no procfs: /proc -> $2" 0 "$(ls -A "$TMP/b/$name/rootfs/fakeproc" | wc -l)"
        rt delete --force "$id" >/dev/null 2>&1
        rtc run --bundle "$TMP/b/$name" "$id"
        isnt "run fails: /proc -> $2" 0 "$RC"
        nothing_left "nothing left behind after run: /proc -> $2" "$id" "$TMP/b/$name"
        rt delete --force "$id" >/dev/null 2>&1
}
procsym procabs /fakeproc
procsym procrel fakeproc
# /sys too
new_bundle syssym true
own_rootfs syssym
rmdir "$TMP/b/syssym/rootfs/sys"
ln -s tmp "$TMP/b/syssym/rootfs/sys"
rtc run --bundle "$TMP/b/syssym" "$(cid syssym)"
isnt "run fails: /sys -> tmp" 0 "$RC"
msg_like "error names sysfs: /sys -> tmp" "$ERR" sys
nothing_left "nothing left behind: /sys -> tmp" "$(cid syssym)" "$TMP/b/syssym"
rt delete --force "$(cid syssym)" >/dev/null 2>&1

# masks and read-only paths need the real procfs below them: a host dir bound at /proc is refused
mkdir -p "$TMP/fakeproc"
echo "fake keys" >"$TMP/fakeproc/keys"
sh_in fakeproc 'echo "K $(cat /proc/keys 2>/dev/null)"' \
        'c["mounts"]=[m for m in c["mounts"] if m["destination"]!="/proc"]' \
        'mount("/proc", "bind", "'"$TMP/fakeproc"'", ["rbind"])' \
        'c["linux"]["maskedPaths"]=["/proc/keys"]' 'c["linux"]["readonlyPaths"]=[]'
isnt "masking under a non-procfs /proc is refused" 0 "$RC"
msg_like "error says procfs is not real" "$ERR" procfs
rt delete --force "$(cid fakeproc)" >/dev/null 2>&1

# ================================================================ CVE-2022-29162: no inheritable caps
sh_in caps 'grep -E "^Cap(Inh|Bnd|Amb|Prm|Eff):" /proc/self/status'
is "run exits 0 (default caps)" 0 "$RC"
is "default: CapInh is empty" 0000000000000000 "$(printf '%s\n' "$OUT" | awk '$1 == "CapInh:" { print $2 }')"
is "default: CapBnd is exactly the configured bounding set" 0000000020000420 "$(printf '%s\n' "$OUT" | awk '$1 == "CapBnd:" { print $2 }')"
is "default: CapAmb stays empty without inheritable" 0000000000000000 "$(printf '%s\n' "$OUT" | awk '$1 == "CapAmb:" { print $2 }')"
# positive control: asked for, CAP_KILL (bit 5) is inheritable
sh_in capsinh 'grep -E "^CapInh:" /proc/self/status' 'c["process"]["capabilities"]["inheritable"]=["CAP_KILL"]'
is "run exits 0 (inheritable CAP_KILL)" 0 "$RC"
is "inheritable [CAP_KILL]: CapInh has bit 5 only" 0000000000000020 "$(printf '%s\n' "$OUT" | awk '$1 == "CapInh:" { print $2 }')"
# a non-root user gets no inheritable caps either
sh_in capsuser 'grep -E "^Cap(Inh|Eff):" /proc/self/status' 'c["process"]["user"]={"uid":1000,"gid":1000}'
is "run exits 0 (uid 1000)" 0 "$RC"
is "uid 1000: CapInh is empty" 0000000000000000 "$(printf '%s\n' "$OUT" | awk '$1 == "CapInh:" { print $2 }')"

# ================================================================ CVE-2025-31133: mask only with 1:3
# /dev is a bind mount of a host dir whose "null" is not the null device.
devnull() { # NAME KIND(file|symlink)
        local name=$1 d=$TMP/dev-$1 id before after
        id=$(cid "$1")
        mkdir -p "$d"
        echo "host file, keep me" >"$TMP/victim-$name"
        if [ "$2" = file ]; then
                echo "not a device" >"$d/null"
        else
                ln -s "$TMP/victim-$name" "$d/null"
        fi
        before=$(stat -c '%F %a %u:%g %s' "$d/null" "$TMP/victim-$name"; cat "$TMP/victim-$name")
        new_bundle "$name" sh -c 'echo "T $(cat /proc/timer_list 2>/dev/null | wc -c)"'
        cfg_edit "$TMP/b/$name" \
                'c["mounts"]=[m for m in c["mounts"] if not m["destination"].startswith("/dev")]' \
                'mount("/dev", "bind", "'"$d"'", ["rbind"])' \
                'c["linux"]["maskedPaths"]=["/proc/timer_list", "/proc/kcore"]' 'c["linux"]["readonlyPaths"]=[]'
        rtc run --bundle "$TMP/b/$name" "$id"
        after=$(stat -c '%F %a %u:%g %s' "$d/null" "$TMP/victim-$name"; cat "$TMP/victim-$name")
        if [ "$RT_NAME" = runc ] && [ "$RC" -eq 0 ]; then
                skip "run fails when /dev/null is a $2: runc 1.1.5 has CVE-2025-31133"
        else
                isnt "run fails when /dev/null is a $2" 0 "$RC"
                msg_like "error says /dev/null is not the null device ($2)" "$ERR" "not the null device"
        fi
        nothing_left "nothing left behind (/dev/null is a $2)" "$id" "$TMP/b/$name"
        # (runc 1.1.5 truncates a regular file there)
        runc_is "runc 1.1.5 has CVE-2025-31133" "host files unchanged (/dev/null is a $2)" "$before" "$after"
        rt delete --force "$id" >/dev/null 2>&1
}
devnull nullfile file
devnull nullsym symlink
# positive control: a host dir with the real null device masks fine
mkdir -p "$TMP/dev-good"
mknod -m 0666 "$TMP/dev-good/null" c 1 3
sh_in nullok 'echo "T $(cat /proc/timer_list | wc -c)"' \
        'c["mounts"]=[m for m in c["mounts"] if not m["destination"].startswith("/dev")]' \
        'mount("/dev", "bind", "'"$TMP/dev-good"'", ["rbind"])' \
        'c["linux"]["maskedPaths"]=["/proc/timer_list"]' 'c["linux"]["readonlyPaths"]=[]'
is "run exits 0 when the bound /dev/null is 1:3" 0 "$RC"
is "masked with the real /dev/null: /proc/timer_list reads empty" 0 "$(tag T)"

# ================================================================ CVE-2019-5736: /proc/PID/exe
sh_in exe 'echo "E $(readlink /proc/1/exe)"; echo "S $(readlink /proc/self/exe)"'
is "run exits 0 (/proc/1/exe)" 0 "$RC"
is "/proc/1/exe is the container's binary" /bin/busybox "$(tag E)"
# A created (not started) container's init is still the runtime: a second container in its pid
# namespace must not reach the runtime binary through /proc/PID/exe.
new_bundle holder sleep 30
rtc create --bundle "$TMP/b/holder" "$(cid holder)"
is "create exits 0 (pid namespace holder)" 0 "$RC"
HPID=$(state_field "$(cid holder)" pid)
if [ "$RC" -ne 0 ] || [ -z "$HPID" ]; then
        skip "no holder container to share a pid namespace with"
else
        sh_in peek 'for p in /proc/[0-9]*; do echo "X ${p#/proc/} $(readlink $p/exe 2>&1)"; done
                head -c 4 /proc/1/exe >/dev/null 2>&1 && echo "OPEN 1" || echo "OPEN refused"' \
                'ns_set("pid", "/proc/'"$HPID"'/ns/pid")'
        is "run exits 0 (joining a created container's pid namespace)" 0 "$RC"
        x=$(printf '%s\n' "$OUT" | grep '^X ')
        like "the created container's init is visible as pid 1" "$x" "X 1 "
        if printf '%s\n' "$x" | grep -qE "(/$RT_NAME|/$RT_NAME \(deleted\))\$|$(dirname "$BERTH")"; then
                fail "no /proc/PID/exe leads to the runtime binary" "$x"
        else
                pass "no /proc/PID/exe leads to the runtime binary"
        fi
        runc_is "runc's init is a sealed memfd copy" "the runtime init's /proc/1/exe cannot be opened" refused "$(tag OPEN)"
fi
rt delete --force "$(cid holder)" >/dev/null 2>&1

# ================================================================ caller's stdio is never chowned
nullst=$(stat -c '%u:%g %a %t:%T' /dev/null)
new_bundle stdio sh -c 'id -u; echo x >&2; ls -l /proc/self/fd/0 >/dev/null'
cfg_edit "$TMP/b/stdio" 'c["process"]["user"]={"uid":1000,"gid":1000}'
ctr_run stdio # stdin is the host's /dev/null
is "run exits 0 (uid 1000, stdin the host's /dev/null)" 0 "$RC"
is "uid 1000 inside" 1000 "$OUT"
is "the host's /dev/null is still root:root 0666 1:3" "0:0 666 1:3" "$(stat -c '%u:%g %a %t:%T' /dev/null)"
is "the host's /dev/null is unchanged" "$nullst" "$(stat -c '%u:%g %a %t:%T' /dev/null)"
# stdout/stderr on host files the runtime did not create
: >"$TMP/stdio.out"
chmod 0600 "$TMP/stdio.out"
rt run --bundle "$TMP/b/stdio" "$(cid stdio)" </dev/null >"$TMP/stdio.out" 2>&1
is "a host file as stdout keeps its owner and mode" "0:0 600" "$(stat -c '%u:%g %a' "$TMP/stdio.out")"

finish
