#!/bin/bash
# runc parity (issue 13), looked at from inside the container: tmpcopyup, recursive mount options and
# "ro" on an rbind, a read-only /dev, rootfsPropagation unbindable, devices outside /dev, fileMode with
# the file type bits, /dev/ptmx in linux.devices with a terminal, unknown capability names. Where runc
# 1.1.5 behaves the same, the same bundle also runs with runc and the results are compared.
. "$(dirname "$0")/lib.sh"

# line of $OUT (or of $2) that starts with "TAG " (without the tag)
tag() { printf '%s\n' "${2-$OUT}" | sed -n "s/^$1 //p" | head -n 1; }
# mount options (field 6) of the last mountinfo line for MOUNTPOINT in $OUT (or $2)
mopts() { printf '%s\n' "${2-$OUT}" | awk -v mp="$1" '$1 ~ /^[0-9]+$/ && $5 == mp { r = $6 } END { print r }'; }
# optional fields (propagation) of the mountinfo line for MOUNTPOINT
mprop() {
        printf '%s\n' "${2-$OUT}" | awk -v mp="$1" '$1 ~ /^[0-9]+$/ && $5 == mp {
                r = ""; for (i = 7; $i != "-"; i++) r = r " " $i } END { print r }'
}
has_opt() { case ",$1," in *",$2,"*) echo yes ;; *) echo no ;; esac; }

# ---- tmpcopyup: the new tmpfs starts with a copy of the image's directory
new_bundle cu sh -c '
        cd /etc/cu && for f in f d d/deep d/deeper d/deeper/x l out p; do echo "S $f $(stat -c "%F %a %u %g" $f)"; done
        echo "R $(stat -c "%a %u %g" /etc/cu)"
        echo "C $(cat /etc/cu/f) $(cat /etc/cu/d/deeper/x)"
        echo "L $(readlink /etc/cu/l) $(readlink /etc/cu/out)"
        echo "O $(cat /etc/cu/out 2>/dev/null || echo unreadable)"
        echo new > /etc/cu/new && echo "W wrote"
        echo "RO $(cat /run/ro/file)"
        touch /run/ro/x 2>/dev/null && echo "RW wrote" || echo "RW refused"
        echo "E $(ls -A /empty | wc -l)"
        cat /proc/self/mountinfo'
own_rootfs cu
R=$TMP/b/cu/rootfs
mkdir -p "$R/etc/cu/d/deeper" "$R/run/ro" "$R/empty"
# modes the container's root can use without CAP_DAC_OVERRIDE (not in the default capabilities)
chmod 0751 "$R/etc/cu"
echo image >"$R/etc/cu/f" && chmod 0604 "$R/etc/cu/f" && chown 5:6 "$R/etc/cu/f"
echo deep >"$R/etc/cu/d/deeper/x" && chown 7:8 "$R/etc/cu/d" && chmod 0705 "$R/etc/cu/d"
ln -s d "$R/etc/cu/d/deep"
ln -s /etc/passwd "$R/etc/cu/l"
echo "host-secret-$PFX" >"$TMP/secret"
ln -s "../../../../../../../../..$TMP/secret" "$R/etc/cu/out"
# runc 1.1.5 fails to copy a FIFO ("lchown ...: no such file or directory")
fifo="|S p fifo 620 0 0"
if [ "$RT_NAME" = runc ]; then fifo=; else mkfifo -m 0620 "$R/etc/cu/p"; fi
python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.berth", b"kept")' "$R/etc/cu/f"
echo "read-only-copy" >"$R/run/ro/file"
cfg_edit "$TMP/b/cu" 'mount("/etc/cu", "tmpfs", "tmpfs", ["tmpcopyup", "nosuid", "nodev", "size=1m"])' \
        'mount("/run/ro", "tmpfs", "tmpfs", ["tmpcopyup", "ro", "size=64k"])' \
        'mount("/empty", "tmpfs", "tmpfs", ["tmpcopyup"])'
ctr_run cu
is "run exits 0 (tmpcopyup)" 0 "$RC"
listing=$(printf '%s\n' "$OUT" | grep -E '^(S|R|C|L) ')
is "tmpcopyup: files, dirs, symlinks, a fifo: types, modes, owners" \
        "S f regular file 604 5 6|S d directory 705 7 8|S d/deep symbolic link 777 0 0|S d/deeper directory 755 0 0|S d/deeper/x regular file 644 0 0|S l symbolic link 777 0 0|S out symbolic link 777 0 0$fifo" \
        "$(printf '%s\n' "$OUT" | grep '^S ' | grep -v "^S p $" | paste -sd '|')"
is "tmpcopyup: the tmpfs root has the directory's mode" "751 0 0" "$(tag R)"
is "tmpcopyup: contents copied" "image deep" "$(tag C)"
is "tmpcopyup: symlinks copied as they are" "/etc/passwd ../../../../../../../../..$TMP/secret" "$(tag L)"
is "tmpcopyup: a symlink out of the rootfs is not followed" unreadable "$(tag O)"
is "tmpcopyup: the tmpfs is writable" wrote "$(tag W)"
[ -e "$R/etc/cu/new" ] && fail "tmpcopyup: writes stay in the tmpfs" || pass "tmpcopyup: writes stay in the tmpfs"
is "tmpcopyup: mounted as tmpfs" "tmpfs" "$(printf '%s\n' "$OUT" | awk '$5 == "/etc/cu" { for (i = 7; $i != "-"; i++); print $(i + 1) }')"
is "tmpcopyup ro: the copy is there" read-only-copy "$(tag RO)"
is "tmpcopyup ro: writing fails" refused "$(tag RW)"
is "tmpcopyup ro: mounted ro" yes "$(has_opt "$(mopts /run/ro)" ro)"
is "tmpcopyup of an empty directory" 0 "$(tag E)"
# Without the FIFO for runc.
rm -f "$R/etc/cu/new" "$R/etc/cu/p"
runc_run cu
same_as_runc "tmpcopyup: what the container sees (no FIFO)" "$(printf '%s\n' "$listing" | grep -v '^S p ')" \
        "$(printf '%s\n' "$ROUT" | grep -E '^(S|R|C|L) ' | grep -v '^S p ')"
same_as_runc "tmpcopyup ro: read and write" "$(tag RO) $(tag RW)" "$(tag RO "$ROUT") $(tag RW "$ROUT")"

# extended attributes: looked at through the created container's root
new_bundle cux sleep 100
cfg_edit "$TMP/b/cux" 'c["root"]={"path":"'"$R"'","readonly":True}' \
        'mount("/etc/cu", "tmpfs", "tmpfs", ["tmpcopyup"])'
if rtc create --bundle "$TMP/b/cux" "$(cid cux)"; then
        pid=$(state_field "$(cid cux)" pid)
        x=$(python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "user.berth").decode())' \
                "/proc/$pid/root/etc/cu/f" 2>&1)
        fs=$(stat -f -c %T "/proc/$pid/root/etc/cu")
        runc_is "runc 1.1.5 copies no extended attributes" "tmpcopyup: extended attributes copied" "kept tmpfs" "$x $fs"
else
        fail "create (tmpcopyup, xattrs)" "$ERR"
fi
rtc delete --force "$(cid cux)"

# a tree deeper than berth copies
new_bundle cudeep true
own_rootfs cudeep
(cd "$TMP/b/cudeep/rootfs" && mkdir -p deep && cd deep && for i in $(seq 140); do mkdir d && cd d; done)
cfg_edit "$TMP/b/cudeep" 'mount("/deep", "tmpfs", "tmpfs", ["tmpcopyup"])'
ctr_run cudeep
if [ "$RT_NAME" = runc ]; then
        skip "tmpcopyup: a too deep tree fails: runc 1.1.5 copies any depth"
else
        isnt "tmpcopyup: a too deep tree fails" 0 "$RC"
fi
msg_like "tmpcopyup: the error says so" "$ERR" "Failed to copy '/deep' into its tmpfs: deeper than 128 directories"

# ---- "ro" on an rbind: the top mount only; rro and friends: the whole tree
HD=$TMP/rh
mkdir -p "$HD/sub"
mount -t tmpfs -o size=1m tmpfs "$HD/sub"
sh_in rec '
        touch /mnt/a/sub/x 2>/dev/null && echo "A wrote" || echo "A refused"
        touch /mnt/b/sub/y 2>/dev/null && echo "B wrote" || echo "B refused"
        cat /proc/self/mountinfo' \
        'mount("/mnt/a", "bind", "'"$HD"'", ["rbind", "ro"])' \
        'mount("/mnt/b", "bind", "'"$HD"'", ["rbind", "rro"])' \
        'mount("/mnt/c", "bind", "'"$HD"'", ["rbind", "rnosuid", "rnodev", "rnoexec", "rnoatime"])' \
        'mount("/mnt/d", "tmpfs", "tmpfs", ["rro", "size=64k"])'
is "run exits 0 (recursive options)" 0 "$RC"
rec_view() {
        local o m
        for m in /mnt/a /mnt/a/sub /mnt/b /mnt/b/sub /mnt/c/sub; do
                o=$(mopts $m "$1")
                echo "$m ro=$(has_opt "$o" ro) nosuid=$(has_opt "$o" nosuid) nodev=$(has_opt "$o" nodev) noexec=$(has_opt "$o" noexec) noatime=$(has_opt "$o" noatime)"
        done
        echo "$(tag A "$1") $(tag B "$1")"
}
v=$(rec_view "$OUT")
is "ro on an rbind: the top is read-only, the submount is not" \
        "/mnt/a ro=yes|/mnt/a/sub ro=no" "$(printf '%s\n' "$v" | grep -E '^/mnt/a' | cut -d' ' -f1,2 | paste -sd '|')"
is "ro on an rbind: writing to the submount works" "A wrote" "$(tag A | sed 's/^/A /')"
is "rro: every mount of the tree is read-only" "/mnt/b ro=yes|/mnt/b/sub ro=yes" \
        "$(printf '%s\n' "$v" | grep -E '^/mnt/b' | cut -d' ' -f1,2 | paste -sd '|')"
is "rro: writing to the submount fails" refused "$(tag B)"
is "rnosuid,rnodev,rnoexec,rnoatime reach the submount" "/mnt/c/sub ro=no nosuid=yes nodev=yes noexec=yes noatime=yes" \
        "$(printf '%s\n' "$v" | grep -E '^/mnt/c/sub')"
runc_is "runc 1.1.5 applies recursive options to bind mounts only" "rro on a new filesystem" yes "$(has_opt "$(mopts /mnt/d)" ro)"
rm -f "$HD/sub/x"
runc_run rec
same_as_runc "ro/rro/rnosuid... on rbinds and a tmpfs" "$v" "$(rec_view "$ROUT")"
rm -f "$HD/sub/x"

# an unknown option of a bind mount (runc 1.1.5 drops it silently)
sh_in badopt true 'mount("/mnt/a", "bind", "'"$HD"'", ["rbind", "rnoexe"])'
if [ "$RT_NAME" = runc ]; then
        skip "unknown bind option: runc 1.1.5 ignores it"
else
        isnt "unknown bind mount option: run fails" 0 "$RC"
fi
msg_like "unknown bind mount option: the error names the mount and the option" "$ERR" \
        "mounts[7].options[1]: unknown option 'rnoexe' for the bind mount on '/mnt/a'"

# ---- a read-only /dev: nodes, symlinks and the mounts below it first
sh_in devro '
        touch /dev/x 2>/dev/null && echo "T wrote" || echo "T refused"
        echo hi > /dev/null && echo "N ok"
        echo "L $(ls /dev | paste -sd " ")"
        echo "P $(readlink /dev/ptmx) $(readlink /dev/fd)"
        touch /dev/shm/x && echo "S wrote"
        cat /proc/self/mountinfo' \
        'next(m for m in c["mounts"] if m["destination"] == "/dev")["options"].append("ro")'
is "run exits 0 (read-only /dev)" 0 "$RC"
devro_view() {
        echo "$(tag T "$1") $(tag N "$1") $(tag S "$1")"
        tag L "$1"
        tag P "$1"
        echo "/dev ro=$(has_opt "$(mopts /dev "$1")" ro) /dev/pts ro=$(has_opt "$(mopts /dev/pts "$1")" ro) /dev/shm ro=$(has_opt "$(mopts /dev/shm "$1")" ro) /dev/mqueue ro=$(has_opt "$(mopts /dev/mqueue "$1")" ro)"
}
v=$(devro_view "$OUT")
is "read-only /dev: writing fails, the nodes and /dev/shm work" "refused ok wrote" "$(printf '%s\n' "$v" | sed -n 1p)"
is "read-only /dev: default nodes, symlinks and mount points are there" \
        "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero" "$(tag L)"
is "read-only /dev: only /dev itself is read-only" "/dev ro=yes /dev/pts ro=no /dev/shm ro=no /dev/mqueue ro=no" \
        "$(printf '%s\n' "$v" | sed -n 4p)"
runc_run devro
same_as_runc "read-only /dev" "$v" "$(devro_view "$ROUT")"

# ---- rootfsPropagation unbindable
for p in unbindable runbindable; do
        sh_in "prop-$p" 'cat /proc/self/mountinfo' \
                'c["linux"]["rootfsPropagation"]="'$p'"'
        runc_is "runc 1.1.5 fails to bind the rootfs" "run exits 0 (rootfsPropagation $p)" 0 "$RC"
        runc_is "runc 1.1.5 fails to bind the rootfs" "rootfsPropagation $p: / is unbindable" " unbindable" "$(mprop /)"
        [ $p = unbindable ] && want=no || want=yes
        runc_is "runc 1.1.5 fails to bind the rootfs" "rootfsPropagation $p: /proc is unbindable: $want" $want \
                "$(case "$(mprop /proc)" in *unbindable*) echo yes ;; *) echo no ;; esac)"
done

# ---- linux.devices outside /dev, fileMode with the file type bits (podman: S_IFCHR|0666 = 8630)
devs='c["linux"]["devices"]=[{"path":"/etc/mynull","type":"c","major":1,"minor":3,"fileMode":8630},{"path":"/srv/a/b/zero","type":"c","major":1,"minor":5,"fileMode":8580,"uid":1000,"gid":100},{"path":"/dev/myblk","type":"b","major":7,"minor":0,"fileMode":25008},{"path":"/var/fifo","type":"p","fileMode":4516}]'
new_bundle devout sh -c 'for d in /etc/mynull /srv/a/b/zero /dev/myblk /var/fifo; do echo "D $d $(stat -c "%F %t:%T %a %u %g" $d)"; done
        echo x > /etc/mynull && echo "W ok"; echo "Z $(head -c 2 /srv/a/b/zero | od -An -tx1 | tr -d " ")"'
own_rootfs devout
cfg_edit "$TMP/b/devout" "$devs" 'c["linux"]["resources"]["devices"]=[{"allow":True,"access":"rwm"}]'
ctr_run devout
is "run exits 0 (devices outside /dev, fileMode with type bits)" 0 "$RC"
v=$(printf '%s\n' "$OUT" | grep -E '^(D|W|Z) ')
is "devices anywhere, permission bits of fileMode only" \
        "D /etc/mynull character special file 1:3 666 0 0|D /srv/a/b/zero character special file 1:5 604 1000 100|D /dev/myblk block special file 7:0 660 0 0|D /var/fifo fifo 0:0 644 0 0|W ok|Z 0000" \
        "$(printf '%s\n' "$v" | paste -sd '|')"
rm -rf "$TMP/b/devout/rootfs/etc/mynull" "$TMP/b/devout/rootfs/srv/a" "$TMP/b/devout/rootfs/var/fifo"
runc_run devout
same_as_runc "devices outside /dev and fileMode 8630" "$v" "$(printf '%s\n' "$ROUT" | grep -E '^(D|W|Z) ')"

# type bits that say another type: refused (runc 1.1.5 ignores them)
sh_in devbad true 'c["linux"]["devices"]=[{"path":"/dev/x","type":"b","major":1,"minor":3,"fileMode":8630}]'
if [ "$RT_NAME" = runc ]; then
        skip "fileMode type bits of another type: runc 1.1.5 ignores them"
else
        isnt "fileMode with a character device's type bits on a block device: run fails" 0 "$RC"
fi
msg_like "fileMode type mismatch: the error names the field" "$ERR" \
        "linux.devices[0].fileMode: the file type bits 020000 do not match the device type 'b' (060000)"

# ---- /dev/ptmx in linux.devices (as engines list it) with a terminal: the pts/ptmx symlink stays
new_bundle ptmx sh -c 'echo "P $(readlink /dev/ptmx) $(tty)"'
cfg_edit "$TMP/b/ptmx" 'c["process"]["terminal"]=True' \
        'c["linux"]["devices"]=[{"path":"/dev/ptmx","type":"c","major":5,"minor":2,"fileMode":8630}]'
ptyrun() {
        timeout -k 5 30 python3 - "$@" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace').replace('\r', ''))
print('STATUS %d' % os.waitstatus_to_exitcode(st))
PY
}
out=$(ptyrun "$BERTH" --root "$STATE" run --bundle "$TMP/b/ptmx" "$(cid ptmx)")
is "terminal with /dev/ptmx in linux.devices: run exits 0" 0 "$(tag STATUS "$out")"
like "terminal with /dev/ptmx in linux.devices: /dev/ptmx -> pts/ptmx, a pts terminal" "$(tag P "$out")" "pts/ptmx /dev/pts/"
if [ -n "$RUNC" ]; then
        rout=$(ptyrun "$RUNC" --root "$TMP/runc-state" run --bundle "$TMP/b/ptmx" "$(cid ptmx)-runc")
        same_as_runc "terminal with /dev/ptmx in linux.devices" "$(tag P "$out")" "$(tag P "$rout")"
else
        skip "terminal with /dev/ptmx in linux.devices (as runc): runc is not installed"
fi

# ---- unknown capability names: a warning naming them (runtime-spec 1.2), the rest applies
sh_in caps 'grep -E "^Cap(Eff|Bnd)" /proc/self/status' \
        'c["process"]["capabilities"]["bounding"]=["CAP_KILL","CAP_FOO","cap_chown","CAP_CHOWN"]' \
        'c["process"]["capabilities"]["effective"]=["CAP_KILL","CAP_NOPE"]' \
        'c["process"]["capabilities"]["permitted"]=["CAP_KILL"]'
is "run exits 0 (unknown capabilities)" 0 "$RC"
is "known capabilities apply (KILL, CHOWN)" "CapEff:	0000000000000020|CapBnd:	0000000000000021" "$(printf '%s\n' "$OUT" | paste -sd '|')"
msg_like "the warning names an unknown capability" "$ERR" "process.capabilities.bounding[1]: unknown capability 'CAP_FOO', ignoring"
msg_like "the warning names a lowercase name" "$ERR" "process.capabilities.bounding[2]: unknown capability 'cap_chown', ignoring"
caps_out=$OUT
runc_run caps
same_as_runc "unknown capabilities" "$caps_out" "$ROUT"

finish
