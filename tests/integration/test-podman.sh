#!/bin/bash
# podman 4.3 driving berth as its OCI runtime (through conmon), as an engine user would: run, exit
# codes, a missing command (127), stdin, detached + exec + top + stop, limits (--memory, --pids-limit),
# pause/unpause (beside runc), a terminal (-it, the console socket path), a read-only volume;
# afterwards nothing of berth's is left. podman gets a private store and run root under $TMP, the vfs
# driver, cgroupfs and no network; a containers.conf lists berth among the runtimes that take
# --log-format=json (see ../../shared/notes/podman.md).
. "$(dirname "$0")/lib.sh"

if ! command -v podman >/dev/null; then
        echo "1..0 # SKIP podman is not installed (apt-get install podman)"
        exit 0
fi

# conmon writes a file named "oom" into its working directory when a container is OOM-killed (with
# runc too): keep it in $TMP.
cd "$TMP" || exit 1
export CONTAINERS_CONF=$TMP/containers.conf
cat >"$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime_supports_json = ["crun", "runc", "kata", "runsc", "krun", "berth"]
CONF
PM_BASE=(podman --root "$TMP/pm-root" --runroot "$TMP/pm-run" --storage-driver vfs --cgroup-manager cgroupfs)
PM=("${PM_BASE[@]}" --runtime "$BERTH")
pm() { timeout -k 5 60 "${PM[@]}" "$@"; }
names=()
podman_cleanup() {
        "${PM[@]}" rm -af -t 0 >/dev/null 2>&1
        # conmon's (empty) cgroups under libpod_parent; rmdir removes only empty ones.
        for d in /sys/fs/cgroup/*/libpod_parent/conmon /sys/fs/cgroup/*/libpod_parent; do
                rmdir "$d" 2>/dev/null
        done
}

# An image from the shared busybox rootfs, with sysprobe (tests/helpers/sysprobe.c) for the seccomp checks.
${CC:-cc} -static -O2 -o "$ROOTFS/bin/sysprobe" "$SRCDIR/tests/helpers/sysprobe.c" 2>/dev/null
tar -C "$ROOTFS" -cf "$TMP/bb.tar" .
if ! pm import "$TMP/bb.tar" bb:latest >"$TMP/import.log" 2>&1; then
        fail "podman import of a busybox rootfs" "$(cat "$TMP/import.log")"
        finish
fi
run=(run --rm --network none bb:latest)

out=$(pm "${run[@]}" sh -c 'echo hello from berth; cat /proc/1/cmdline | tr "\0" " "' 2>&1)
is "podman run exits 0" 0 $?
like "podman run prints the container's output" "$out" "hello from berth"

pm "${run[@]}" sh -c 'exit 7' >/dev/null 2>&1
is "podman run returns the container's exit code" 7 $?

out=$(pm "${run[@]}" no-such-cmd-$PFX 2>&1)
is "a missing command exits 127" 127 $?
like "podman shows berth's message" "$out" "executable file not found"

# Only the container's stdout is compared: podman warns on stderr about cgroups on hosts whose
# cgroup v2 has no controllers.
out=$(echo "piped-$PFX" | pm run --rm -i --network none bb:latest cat 2>"$TMP/pm.err")
is "podman run -i passes stdin" "piped-$PFX" "$out"

mkdir -p "$TMP/vol" && echo "volume-$PFX" >"$TMP/vol/f"
out=$(pm run --rm --network none -v "$TMP/vol:/vol:ro" bb:latest sh -c 'cat /vol/f; touch /vol/g 2>/dev/null && echo writable' 2>"$TMP/pm.err")
is "a read-only volume is visible and not writable" "volume-$PFX" "$out"

# Parity with runc (issue 13); only the container's stdout is compared (podman warns on stderr here).
# --read-only: tmpfs with tmpcopyup on /tmp, /var/tmp, /run; the image's /tmp (1777) is kept.
out=$(pm run --rm --network none --read-only bb:latest sh -c '
        touch /probe 2>/dev/null && echo "root writable" || echo "root read-only"
        echo t > /tmp/t && echo "tmp writable"
        echo "tmp $(stat -c %a /tmp) $(stat -f -c %T /tmp) $(stat -f -c %T /run)"' 2>"$TMP/err")
is "podman run --read-only: root read-only, /tmp a writable tmpfs with the image's mode" \
        "root read-only|tmp writable|tmp 1777 tmpfs tmpfs" "$(printf '%s\n' "$out" | paste -sd '|')"

# --tmpfs /etc: tmpcopyup fills the tmpfs with the image's /etc.
out=$(pm run --rm --network none --tmpfs /etc bb:latest sh -c '
        echo "$(stat -f -c %T /etc) $(grep -c ^root: /etc/passwd)"; echo x > /etc/new && echo written' 2>"$TMP/err")
is "podman run --tmpfs /etc: a tmpfs holding the image's files" "tmpfs 1|written" "$(printf '%s\n' "$out" | paste -sd '|')"

# --device: fileMode with the file type bits (S_IFCHR|0666), a device under another name.
out=$(pm run --rm --network none --device /dev/null:/dev/mynull bb:latest sh -c '
        stat -c "%F %t:%T %a" /dev/mynull; echo x > /dev/mynull && echo written' 2>"$TMP/err")
is "podman run --device /dev/null:/dev/mynull" "character special file 1:3 666|written" \
        "$(printf '%s\n' "$out" | paste -sd '|')"

# --privileged: every host device, all capabilities.
out=$(pm run --rm --network none --privileged bb:latest sh -c '
        test -c /dev/null && test -c /dev/zero && echo devices; grep ^CapEff /proc/self/status | cut -f2' \
        2>"$TMP/err")
is "podman run --privileged: host devices and all capabilities" "devices|$(grep ^CapBnd /proc/self/status | cut -f2)" \
        "$(printf '%s\n' "$out" | paste -sd '|')"

# Limits through cgroupfs: berth creates the cgroup podman names (cgroupsPath) and enforces them. The
# container sees its own cgroups at /sys/fs/cgroup/<controller> (as with runc), and they are the ones
# podman named.
limits_probe() {
        timeout -k 5 60 "${PM_BASE[@]}" --runtime "$1" run --rm --network none --memory 64m --pids-limit 10 \
                bb:latest sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
                cg=$(grep :memory: /proc/self/cgroup | cut -d: -f3); echo "host $cg"
                for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 2 & done 2>&1; wait' 2>&1
}
out=$(limits_probe "$BERTH")
is "podman run --memory 64m --pids-limit 10: the limits in the container's /sys/fs/cgroup" \
        "67108864|10" "$(printf '%s\n' "$out" | head -n 2 | paste -sd '|')"
like "podman run --pids-limit 10: fork fails past it" "$out" "can't fork"
like_re "podman run: the container's cgroup is the one podman names" "$out" "^host /libpod_parent/libpod-[0-9a-f]{64}\$"
[ -n "$RUNC" ] && same_as_runc "podman run --memory 64m --pids-limit 10: the limits inside" \
        "$(printf '%s\n' "$out" | head -n 2)" "$(limits_probe "$RUNC" | head -n 2)"
out=$(pm run --rm --network none --memory 16m --memory-swap 16m bb:latest sh -c \
        'dd if=/dev/zero of=/dev/null bs=64M count=1 && echo survived' 2>&1)
rc=$?
unlike "podman run --memory 16m: an allocation past it is OOM-killed" "$out" "survived"
is "... and podman exits 137 (SIGKILL), as with runc" 137 $rc
out=$(pm run --rm --network none --memory 16m --memory-swap 16m bb:latest sh -c \
        'dd if=/dev/zero of=/dev/null bs=4M count=1 2>/dev/null && echo survived' 2>&1)
is "podman run --memory 16m: an allocation below it survives" "survived" "$out"

# pause_probe RUNTIME: podman pause and unpause of a container that counts into /tmp/n, driven through
# RUNTIME. Prints what was seen while paused, then after unpause: podman's status, the init's /proc
# State (D while frozen), the freezer cgroup's freezer.state, whether the counter moved.
pause_probe() {
        local p=(timeout -k 5 60 "${PM_BASE[@]}" --runtime "$1") name=pz-$PFX-$(basename "$1")
        local pid cg n1 n2 i out
        if ! "${p[@]}" run -d --name "$name" --network none bb:latest \
                sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/tmp/n; sleep 0.05; done' >/dev/null 2>&1; then
                echo "run failed"
                return
        fi
        pid=$("${p[@]}" inspect -f '{{.State.Pid}}' "$name" 2>/dev/null)
        cg=/sys/fs/cgroup/freezer$(awk -F: '$2 == "freezer" { print $3 }' "/proc/$pid/cgroup")
        for ((i = 0; i < 100; i++)); do [ -s "/proc/$pid/root/tmp/n" ] && break; sleep 0.05; done
        "${p[@]}" pause "$name" >/dev/null 2>&1 || out="pause failed "
        [ "$1" = "$BERTH" ] && "$BERTH" state "$("${p[@]}" inspect -f '{{.Id}}' "$name")" >"$TMP/paused-state" 2>&1
        out+="$("${p[@]}" inspect -f '{{.State.Status}}' "$name" 2>&1)"
        out+=" $(awk '/^State:/ { print ($2 == "D" ? "D" : "S") }' "/proc/$pid/status") $(cat "$cg/freezer.state")"
        n1=$(cat "/proc/$pid/root/tmp/n")
        sleep 0.3
        n2=$(cat "/proc/$pid/root/tmp/n")
        [ "$n1" = "$n2" ] && out+=" still" || out+=" counting"
        "${p[@]}" unpause "$name" >/dev/null 2>&1 || out+=" unpause failed"
        out+=" | $("${p[@]}" inspect -f '{{.State.Status}}' "$name" 2>&1)"
        out+=" $(awk '/^State:/ { print ($2 == "D" ? "D" : "S") }' "/proc/$pid/status") $(cat "$cg/freezer.state")"
        for ((i = 0; i < 100; i++)); do
                n2=$(cat "/proc/$pid/root/tmp/n")
                [ "$n1" != "$n2" ] && break
                sleep 0.05
        done
        [ "$n1" = "$n2" ] && out+=" still" || out+=" counting"
        "${p[@]}" rm -f -t 0 "$name" >/dev/null 2>&1
        echo "$out"
}
out=$(pause_probe "$BERTH")
is "podman pause freezes the container, unpause thaws it (status, /proc State, freezer.state, a counter)" \
        "paused D FROZEN still | running S THAWED counting" "$out"
like "$RT_NAME state shows podman's paused container paused" "$(cat "$TMP/paused-state")" '"status": "paused"'
[ -n "$RUNC" ] && same_as_runc "podman pause and unpause" "$out" "$(pause_probe "$RUNC")"

name=pm-$PFX
if pm run -d --name "$name" --network none bb:latest sleep 1000 >/dev/null 2>"$TMP/err"; then
        pass "podman run -d"
else
        fail "podman run -d" "$(cat "$TMP/err")"
fi
out=$(pm exec "$name" sh -c 'echo in-exec; cat /proc/1/cmdline | tr "\0" " "' 2>&1)
like "podman exec runs in the container" "$out" "in-exec"
like "podman exec sees the container's init as pid 1" "$out" "sleep 1000"
pm exec "$name" sh -c 'exit 4' >/dev/null 2>&1
is "podman exec returns the exit code" 4 $?
# podman top reads the container's processes in its pid namespace: the init and an exec'd child,
# with the init's host pid as podman inspect reports it.
pm exec -d "$name" sleep 999 >/dev/null 2>&1
out=$(pm top "$name" pid hpid args 2>&1)
like_re "podman top lists the init as pid 1 with its host pid" "$out" \
        "^1 +$(pm inspect -f '{{.State.Pid}}' "$name" 2>/dev/null) +sleep 1000"
like_re "podman top lists the exec'd process" "$out" "^[0-9]+ +[0-9]+ +sleep 999"
cid_full=$(pm inspect -f '{{.Id}}' "$name" 2>/dev/null)
state=$("$BERTH" state "$cid_full" 2>&1)
like "berth state shows podman's container running" "$state" '"status": "running"'
pm stop -t 1 "$name" >/dev/null 2>&1
is "podman stop" 0 $?
pm rm "$name" >/dev/null 2>&1
is "podman rm" 0 $?
if [ -n "$cid_full" ] && [ -e "/run/berth/$cid_full" ]; then
        fail "no berth state left after podman rm" "$(ls -la "/run/berth/$cid_full")"
else
        pass "no berth state left after podman rm"
fi

# -it: conmon passes --console-socket; berth sends the pty master there.
out=$(timeout -k 5 60 python3 - "${PM[@]}" run --rm -it --network none bb:latest sh <<'PY'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
def rd(t):
    out, end = b'', time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                d = os.read(fd, 4096)
            except OSError:
                break
            if not d:
                break
            out += d
    return out
rd(2)
os.write(fd, b'echo $((6*7)); exit 5\r')
out = rd(5)
_, st = os.waitpid(pid, 0)
print(out.decode(errors='replace').replace('\r', ''))
print('status', os.waitstatus_to_exitcode(st))
PY
)
# A line that is exactly 42 (the typed command line holds "6*7", not 42).
like_re "podman run -it: a shell on the console socket's pty answers" "$out" '^42$'
like "podman run -it: the exit status comes back" "$out" "status 5"

# Seccomp: podman sends its default profile with every container; berth applies it (and says
# nothing about it on stderr); --security-opt seccomp=unconfined sends none.
out=$(pm "${run[@]}" sh -c 'grep "^Seccomp:" /proc/self/status' 2>"$TMP/pm.err")
is "podman's default seccomp profile is applied (Seccomp: 2)" "Seccomp:	2" "$out"
is "... without a word on stderr" "" "$(cat "$TMP/pm.err")"
out=$(pm run --rm --network none --security-opt seccomp=unconfined bb:latest sh -c 'grep "^Seccomp:" /proc/self/status' 2>&1)
is "--security-opt seccomp=unconfined: no filter (Seccomp: 0)" "Seccomp:	0" "$out"
# add_key (248): the profile does not list it, so its default errno (ENOSYS) answers; unconfined,
# the kernel's EFAULT (a NULL key type)
out=$(pm "${run[@]}" /bin/sysprobe 248 0 0 0 0 0 2>&1)
is "podman's profile answers an unlisted syscall with its defaultErrnoRet" "ret=-1 errno=ENOSYS" "$out"
out=$(pm run --rm --network none --security-opt seccomp=unconfined bb:latest /bin/sysprobe 248 0 0 0 0 0 2>&1)
is "... which unconfined reaches the kernel (EFAULT)" "ret=-1 errno=EFAULT" "$out"
name=sc-$PFX
pm run -d --name "$name" --network none bb:latest sleep 30 >/dev/null 2>&1
out=$(pm exec "$name" sh -c 'grep "^Seccomp:" /proc/self/status' 2>&1)
is "podman exec runs under the same filter (Seccomp: 2)" "Seccomp:	2" "$out"
pm rm -f -t 0 "$name" >/dev/null 2>&1

podman_cleanup
left=$(pm ps -aq 2>/dev/null)
is "no podman container left" "" "$left"
finish
