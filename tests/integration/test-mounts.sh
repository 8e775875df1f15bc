#!/bin/bash
# Root filesystem and mounts: readonly/writable rootfs, --no-pivot, bind/rbind/ro, tmpfs options,
# the special filesystems, propagation, default and configured devices, masked and readonly paths.
. "$(dirname "$0")/lib.sh"

# mi MOUNTPOINT: "fstype|mount-options|super-options|optional-fields" of the last line of the
# mountinfo in $OUT that mounts MOUNTPOINT (empty when none).
mi() {
        printf '%s\n' "$OUT" | awk -v mp="$1" '
                $1 ~ /^[0-9]+$/ && $5 == mp {
                        opt = ""
                        for (i = 7; i <= NF && $i != "-"; i++) opt = opt " " $i
                        r = $(i + 1) "|" $6 "|" $(i + 3) "|" opt
                } END { print r }'
}
# has_opt LIST OPT: comma-separated LIST contains OPT
has_opt() { case ",$1," in *",$2,"*) return 0 ;; esac; return 1; }
# opt_ok DESC MOUNTPOINT FIELD(2=mount,3=super) OPT...: each OPT is in that field of mi MOUNTPOINT
opt_ok() {
        local desc=$1 line f o missing=
        line=$(mi "$2")
        f=$(printf '%s' "$line" | cut -d'|' -f"$3")
        shift 3
        for o in "$@"; do has_opt "$f" "$o" || missing+=" $o"; done
        if [ -n "$line" ] && [ -z "$missing" ]; then
                pass "$desc"
        else
                fail "$desc" "missing:$missing" "mountinfo: $line" ${ERR:+"stderr: $ERR"}
        fi
}
# line N of $OUT that starts with "TAG " (without the tag)
tag() { printf '%s\n' "$OUT" | sed -n "s/^$1 //p" | head -n 1; }

# ---- read-only root (the default config of these tests)
sh_in roroot 'touch /probe 2>/dev/null && echo "T wrote" || echo "T refused"; cat /proc/self/mountinfo'
is "run exits 0 (read-only root)" 0 "$RC"
is "read-only root: writing / fails" refused "$(tag T)"
opt_ok "read-only root: / is mounted ro" / 2 ro
[ -e "$ROOTFS/probe" ] && fail "read-only root: nothing written to the host" || pass "read-only root: nothing written to the host"

# ---- writable root
new_bundle rwroot sh -c 'echo hi > /probe && echo "T wrote"; cat /proc/self/mountinfo'
own_rootfs rwroot
ctr_run rwroot
is "run exits 0 (writable root)" 0 "$RC"
is "writable root: writing / works" wrote "$(tag T)"
is "writable root: the file lands in the bundle's rootfs" hi "$(cat "$TMP/b/rwroot/rootfs/probe" 2>/dev/null)"
opt_ok "writable root: / is mounted rw" / 2 rw

# ---- --no-pivot
new_bundle nopivot sh -c 'test -x /bin/busybox && test ! -e '"$TMP"' && echo "T inside"; echo "N $(ls / | wc -l)"'
ctr_run nopivot --no-pivot
is "run --no-pivot exits 0" 0 "$RC"
is "--no-pivot: / is the bundle's rootfs" inside "$(tag T)"
is "--no-pivot: / has the rootfs's entries only" "$(ls "$ROOTFS" | wc -l)" "$(tag N)"

# ---- bind mounts
HD=$TMP/hostdir
mkdir -p "$HD" "$TMP/rb/sub"
echo hello >"$HD/file"
mount -t tmpfs -o size=1m tmpfs "$TMP/rb/sub"
echo deep >"$TMP/rb/sub/subfile"
sh_in binds '
        echo "R $(cat /mnt/rw/file)"
        echo written > /mnt/rw/new && echo "W ok"
        echo "RO $(cat /mnt/ro/file)"
        echo x > /mnt/ro/x 2>/dev/null && echo "WRO wrote" || echo "WRO refused"
        echo "RB $(cat /mnt/rb/sub/subfile 2>/dev/null)"
        echo "NB $(ls -A /mnt/nb/sub | wc -l)"
        cat /proc/self/mountinfo' \
        'mount("/mnt/rw", "bind", "'"$HD"'", ["bind", "rw"])' \
        'mount("/mnt/ro", "bind", "'"$HD"'", ["bind", "ro"])' \
        'mount("/mnt/rb", "bind", "'"$TMP/rb"'", ["rbind"])' \
        'mount("/mnt/nb", "bind", "'"$TMP/rb"'", ["bind"])'
is "run exits 0 (bind mounts)" 0 "$RC"
is "bind rw: host file readable inside" hello "$(tag R)"
is "bind rw: written inside, seen on the host" written "$(cat "$HD/new" 2>/dev/null)"
is "bind ro: host file readable inside" hello "$(tag RO)"
is "bind ro: writing fails" refused "$(tag WRO)"
opt_ok "bind ro: mounted ro" /mnt/ro 2 ro
opt_ok "bind rw: mounted rw" /mnt/rw 2 rw
is "rbind: submounts come along" deep "$(tag RB)"
is "bind (not rbind): submounts stay behind" 0 "$(tag NB)"
[ -e "$ROOTFS/mnt/ro/x" ] || [ -e "$HD/x" ] && fail "bind ro: nothing written" || pass "bind ro: nothing written"

# ---- bind mounts of files, mounts inside mounts, bind flags
echo filecontent >"$TMP/hostfile"
sh_in fbind '
        echo "F $(cat /etc/bindfile)"
        echo "N $(cat /mnt/outer/inner/file)"
        echo "P $(ls -A /mnt/outer | paste -sd " ")"
        cat /proc/self/mountinfo' \
        'mount("/etc/bindfile", "bind", "'"$TMP/hostfile"'", ["bind", "ro"])' \
        'mount("/mnt/outer", "tmpfs", "tmpfs", ["size=64k"])' \
        'mount("/mnt/outer/inner", "bind", "'"$HD"'", ["rbind", "nosuid", "nodev", "noexec"])'
is "run exits 0 (file bind, nested mounts)" 0 "$RC"
is "bind mount of a file onto a missing destination" filecontent "$(tag F)"
opt_ok "file bind mount is ro" /etc/bindfile 2 ro
is "mount inside an earlier tmpfs mount (destination made in the tmpfs)" hello "$(tag N)"
is "the nested mount point is the only entry of the outer tmpfs" inner "$(tag P)"
opt_ok "bind with nosuid,nodev,noexec" /mnt/outer/inner 2 nosuid nodev noexec
[ -e "$ROOTFS/mnt/outer/inner" ] && fail "nested destination is not created in the rootfs below the tmpfs" || pass "nested destination is not created in the rootfs below the tmpfs"

# ---- a destination through a symlink resolves inside the rootfs, never on the host
mkdir -p "$TMP/outside"
new_bundle symesc sh -c 'echo "S $(stat -f -c %T /escape/x)"; echo "L $(readlink /escape)"'
own_rootfs symesc
ln -s "$TMP/outside" "$TMP/b/symesc/rootfs/escape"
cfg_edit "$TMP/b/symesc" 'mount("/escape/x", "tmpfs", "tmpfs", ["size=64k"])'
ctr_run symesc
is "run exits 0 (destination through an absolute symlink)" 0 "$RC"
[ -e "$TMP/outside/x" ] && fail "symlinked destination does not escape to the host" "$(ls -la "$TMP/outside")" || pass "symlinked destination does not escape to the host"
is "symlinked destination is mounted inside the rootfs" tmpfs "$(tag S)"
[ -d "$TMP/b/symesc/rootfs/$TMP/outside/x" ] && pass "symlinked destination made under the rootfs" || fail "symlinked destination made under the rootfs" "$(find "$TMP/b/symesc/rootfs/tmp" 2>&1 | head)"

# ---- tmpfs with options
sh_in tmpfs '
        echo "M $(stat -c %a /mnt/t)"
        echo x > /mnt/tro/x 2>/dev/null && echo "W wrote" || echo "W refused"
        cat /proc/self/mountinfo' \
        'mount("/mnt/t", "tmpfs", "tmpfs", ["nosuid", "nodev", "noexec", "size=1m", "mode=700"])' \
        'mount("/mnt/tro", "tmpfs", "tmpfs", ["ro", "size=64k"])'
is "run exits 0 (tmpfs)" 0 "$RC"
like "tmpfs: fs type" "$(mi /mnt/t)" "tmpfs|"
opt_ok "tmpfs: nosuid,nodev,noexec" /mnt/t 2 nosuid nodev noexec
opt_ok "tmpfs: size=1m, mode=700" /mnt/t 3 size=1024k mode=700
is "tmpfs: mode applied" 700 "$(tag M)"
opt_ok "tmpfs ro: mounted ro" /mnt/tro 2 ro
is "tmpfs ro: writing fails" refused "$(tag W)"

# ---- the special filesystems of the default config
sh_in special 'cat /proc/self/mountinfo'
is "run exits 0 (default mounts)" 0 "$RC"
like "proc on /proc" "$(mi /proc)" "proc|"
like "sysfs on /sys" "$(mi /sys)" "sysfs|"
opt_ok "sysfs ro,nosuid,nodev,noexec" /sys 2 ro nosuid nodev noexec
like "tmpfs on /dev" "$(mi /dev)" "tmpfs|"
like "devpts on /dev/pts" "$(mi /dev/pts)" "devpts|"
opt_ok "devpts nosuid,noexec" /dev/pts 2 nosuid noexec
like "tmpfs on /dev/shm" "$(mi /dev/shm)" "tmpfs|"
opt_ok "/dev/shm nosuid,nodev,noexec" /dev/shm 2 nosuid nodev noexec
like "mqueue on /dev/mqueue" "$(mi /dev/mqueue)" "mqueue|"
cg=$(printf '%s\n' "$OUT" | awk '$5 ~ "^/sys/fs/cgroup" { for (i = 7; $i != "-"; i++); print $(i + 1) }' | sort -u | paste -sd ' ')
like_re "cgroup filesystem under /sys/fs/cgroup" "$cg" 'cgroup2?( |$)'

# ---- propagation
mkdir -p "$TMP/pd"
sh_in prop 'cat /proc/self/mountinfo' \
        'mount("/mnt/shared", "bind", "'"$TMP/pd"'", ["rbind", "rshared"])' \
        'mount("/mnt/private", "bind", "'"$TMP/pd"'", ["rbind", "rprivate"])'
is "run exits 0 (propagation)" 0 "$RC"
like "rshared bind mount is shared" "$(mi /mnt/shared | cut -d'|' -f4)" "shared:"
unlike "rprivate bind mount is not shared" "$(mi /mnt/private | cut -d'|' -f4)" "shared:"
unlike "default: / is not shared" "$(mi / | cut -d'|' -f4)" "shared:"
sh_in rprop 'cat /proc/self/mountinfo' 'c["linux"]["rootfsPropagation"]="shared"'
is "run exits 0 (rootfsPropagation shared)" 0 "$RC"
v=$(mi / | cut -d'|' -f4)
case $v in *shared:*) v=shared ;; esac
runc_is "runc 1.1.5 keeps / private" "rootfsPropagation shared: / is shared" shared "$v"

# ---- default devices
sh_in devs '
        for d in null zero full random urandom tty; do echo "D $d $(stat -c "%F %t %T" /dev/$d)"; done
        echo "L ptmx $(readlink /dev/ptmx)"
        echo "L fd $(readlink /dev/fd)"
        echo "L stdin $(readlink /dev/stdin)"
        echo "L stdout $(readlink /dev/stdout)"
        echo "L stderr $(readlink /dev/stderr)"
        echo "Z $(head -c 4 /dev/zero | od -An -tx1 | tr -d " ")"
        echo x > /dev/null && echo "N ok"' \
        'c["linux"]["resources"]["devices"]=[{"allow":False,"access":"rwm"}]'
is "run exits 0 (devices)" 0 "$RC"
for e in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
        set -- $e
        is "/dev/$1 is char $2:$3" "character special file $2 $3" \
                "$(printf '%s\n' "$OUT" | sed -n "s/^D $1 //p")"
done
is "/dev/ptmx -> pts/ptmx" pts/ptmx "$(printf '%s\n' "$OUT" | sed -n 's/^L ptmx //p')"
is "/dev/fd -> /proc/self/fd" /proc/self/fd "$(printf '%s\n' "$OUT" | sed -n 's/^L fd //p')"
for i in stdin:0 stdout:1 stderr:2; do
        is "/dev/${i%:*} -> /proc/self/fd/${i#*:}" "/proc/self/fd/${i#*:}" "$(printf '%s\n' "$OUT" | sed -n "s/^L ${i%:*} //p")"
done
is "/dev/zero reads zeros" 00000000 "$(tag Z)"
is "/dev/null is writable" ok "$(tag N)"

# ---- linux.devices
sh_in mydev 'stat -c "%F %t %T %a %u %g" /dev/mydev' \
        'c["linux"]["devices"]=[{"path":"/dev/mydev","type":"c","major":1,"minor":3,"fileMode":384,"uid":1000,"gid":1000}]'
is "run exits 0 (linux.devices)" 0 "$RC"
is "linux.devices: char 1:3, mode 0600, owner 1000:1000" "character special file 1 3 600 1000 1000" "$OUT"

# ---- other device types
sh_in devtypes 'stat -c "%F %a" /dev/myfifo; stat -c "%F %t %T" /dev/myblk /dev/myu' \
        'c["linux"]["devices"]=[{"path":"/dev/myfifo","type":"p","fileMode":420},{"path":"/dev/myblk","type":"b","major":7,"minor":0},{"path":"/dev/myu","type":"u","major":1,"minor":5}]'
is "run exits 0 (fifo, block, unbuffered char devices)" 0 "$RC"
is "linux.devices: fifo, block 7:0, char (u) 1:5" "fifo 644|block special file 7 0|character special file 1 5" "$(printf '%s\n' "$OUT" | paste -sd '|')"

# ---- masked and read-only paths (of the default config: /proc/keys and /proc/timer_list are
# files, /sys/firmware a directory; /proc/sysrq-trigger does not exist on every kernel)
sh_in masked '
        for f in /proc/keys /proc/timer_list; do echo "K $f $(wc -c < $f 2>/dev/null)"; done
        echo "F $(ls -A /sys/firmware | wc -l)"
        echo "E $(ls -A /etc | wc -l)"
        echo x > /proc/sys/kernel/domainname 2>/dev/null && echo "S wrote" || echo "S refused"
        cat /proc/self/mountinfo' \
        'c["linux"]["maskedPaths"].append("/etc")'
is "run exits 0 (masked/readonly paths)" 0 "$RC"
for f in /proc/keys /proc/timer_list; do
        if [ -n "$(head -c 1 $f 2>/dev/null)" ]; then
                is "masked file $f reads empty" 0 "$(printf '%s\n' "$OUT" | sed -n "s|^K $f ||p")"
        else
                skip "$f is missing or empty on this host"
        fi
done
if [ -n "$(ls -A /sys/firmware 2>/dev/null)" ]; then
        is "masked directory /sys/firmware is empty" 0 "$(tag F)"
else
        skip "/sys/firmware is empty on this host"
fi
is "masked rootfs directory /etc is empty" 0 "$(tag E)"
is "readonly /proc/sys: write fails" refused "$(tag S)"
for p in /proc/sys /proc/bus /proc/irq /proc/fs /proc/sysrq-trigger; do
        if [ -e $p ]; then
                opt_ok "readonly path $p is mounted ro" $p 2 ro
        else
                skip "$p does not exist on this host"
        fi
done
sh_in unmasked 'echo "E $(ls -A /etc | wc -l)"; echo "K $(wc -c < /proc/keys)"' \
        'c["linux"]["maskedPaths"]=[]' 'c["linux"]["readonlyPaths"]=[]'
isnt "without maskedPaths /etc is not empty" 0 "$(tag E)"
isnt "without maskedPaths /proc/keys is readable" 0 "$(tag K)"

finish
