#!/bin/bash
# containerd 1.6 driving berth through its runc shim (containerd-shim-runc-v2), as `ctr run
# --runc-binary` does: a memory limit reaches the container's cgroup (read inside the container and on
# the host) and is enforced, output comes back, exec, ps, pause/resume, kill --all, and after task and
# container delete nothing of berth's is left. The test starts its own containerd (root, state, socket
# and runc root under $TMP, no CRI plugin) and imports an image made from the busybox rootfs
# (tests/lib/oci-image.py): no registry is needed. A wrapper logs every call the shim makes.
. "$(dirname "$0")/lib.sh"

for p in containerd ctr containerd-shim-runc-v2; do
        if ! command -v "$p" >/dev/null; then
                echo "1..0 # SKIP $p is not installed (apt-get install containerd)"
                exit 0
        fi
done

CD=$TMP/containerd
mkdir -p "$CD"
cat >"$CD/config.toml" <<EOF
version = 2
root = "$CD/root"
state = "$CD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
        "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
        "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp",
        "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$CD/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CD/opt"
EOF
# The shim keeps its sockets in /run/containerd/s whatever the config says; remove what we made there.
run_containerd_existed=$([ -e /run/containerd ] && echo yes)

# The runtime the shim calls: a wrapper that logs the arguments, then execs the runtime under test.
cat >"$CD/rt" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$CD/calls"
exec "$BERTH" "\$@"
EOF
chmod 0755 "$CD/rt"

containerd --config "$CD/config.toml" >"$CD/log" 2>&1 &
containerd_pid=$!
CTR=(ctr -a "$CD/containerd.sock" -n "$PFX")
ctr_() { timeout -k 5 60 "${CTR[@]}" "$@"; }
for ((i = 0; i < 200; i++)); do
        ctr_ version >/dev/null 2>&1 && break
        sleep 0.05
done
if ! ctr_ version >/dev/null 2>&1; then
        fail "containerd starts" "$(tail -n 20 "$CD/log")"
        finish
fi
pass "containerd starts"

python3 "$SRCDIR/tests/lib/oci-image.py" "$ROOTFS" "$TMP/bb.tar" docker.io/library/bb:latest
if ! ctr_ image import "$TMP/bb.tar" >"$TMP/import.log" 2>&1; then
        fail "ctr image import of a busybox OCI image" "$(cat "$TMP/import.log")"
        finish
fi
pass "ctr image import of a busybox OCI image"
IMAGE=docker.io/library/bb:latest

# run_with RUNTIME ID [CTR-RUN-FLAG...] -- [ARG...]: `ctr run --rm` of the image through RUNTIME, with
# /sys/fs/cgroup mounted (ctr's default spec has no cgroup mount). Sets RC, OUT (stdout and stderr).
run_with() {
        local rt=$1 id=$2 flags=()
        shift 2
        while [ $# -gt 0 ] && [ "$1" != -- ]; do flags+=("$1"); shift; done
        shift
        OUT=$(ctr_ run --rm --runc-binary "$rt" --runc-root "$CD/runc" --fifo-dir "$CD/fifo" \
                --mount type=cgroup,src=cgroup,dst=/sys/fs/cgroup,options=ro:nosuid:nodev:noexec \
                "${flags[@]}" "$IMAGE" "$id" "$@" </dev/null 2>&1)
        RC=$?
}

# The limit as the container sees it in its own /sys/fs/cgroup, and the output coming back.
probe='echo "hello $1"; cat /sys/fs/cgroup/memory/memory.limit_in_bytes'
run_with "$CD/rt" mem --memory-limit 33554432 -- sh -c "$probe" sh "$PFX"
is "ctr run --memory-limit: the output comes back, with the limit as the container sees it" \
        "0|hello $PFX|33554432" "$RC|$(printf '%s\n' "$OUT" | paste -sd '|')"
ours=$OUT
[ -n "$RUNC" ] && run_with "$RUNC" mem-runc --memory-limit 33554432 -- sh -c "$probe" sh "$PFX"
same_as_runc "ctr run --memory-limit: output and /sys/fs/cgroup/memory/memory.limit_in_bytes inside" "$ours" "$OUT"

run_with "$CD/rt" oom --memory-limit 16777216 -- sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1 && echo survived'
is "ctr run --memory-limit 16M: an allocation past it is OOM-killed (exit 137)" 137 "$RC"
run_with "$CD/rt" nooom --memory-limit 16777216 -- sh -c 'dd if=/dev/zero of=/dev/null bs=4M count=1 2>/dev/null && echo survived'
is "ctr run --memory-limit 16M: an allocation below it survives" "0 survived" "$RC $OUT"

# A command that does not exist: the runtime's error reaches the user, nothing is left.
run_with "$CD/rt" bad -- no-such-cmd-$PFX
isnt "ctr run of a missing command fails" 0 "$RC"
like "... with the runtime's message" "$OUT" "no-such-cmd-$PFX"

# A detached task, seen from the host.
id=task
if ctr_ run -d --runc-binary "$CD/rt" --runc-root "$CD/runc" --fifo-dir "$CD/fifo" --memory-limit 33554432 \
        "$IMAGE" "$id" sh -c 'sleep 1000 & while :; do sleep 1; done' </dev/null >"$TMP/err" 2>&1; then
        pass "ctr run -d"
else
        fail "ctr run -d" "$(cat "$TMP/err")"
fi
# task_field ID COLUMN: PID (2) or STATUS (3) of `ctr task ls`.
task_field() { ctr_ task ls 2>/dev/null | awk -v id="$1" -v c="$2" '$1 == id { print $c }'; }
pid=$(task_field "$id" 2)
cg=/sys/fs/cgroup/memory/$PFX/$id
is "the limit is in the task's memory cgroup on the host ($cg)" 33554432 "$(cat "$cg/memory.limit_in_bytes" 2>&1)"
like_re "... and the task's init is in it" "$(cat "$cg/cgroup.procs" 2>&1)" "^$pid\$"
like "$RT_NAME state shows the task running" "$(timeout 10 "$BERTH" --root "$CD/runc/$PFX" state "$id" 2>&1)" \
        '"status": "running"'

OUT=$(ctr_ task exec --fifo-dir "$CD/fifo" --exec-id e1 "$id" sh -c 'echo in-exec; exit 3' </dev/null 2>&1)
is "ctr task exec: output and exit status" "3 in-exec" "$? $OUT"
OUT=$(ctr_ task ps "$id" 2>&1)
like_re "ctr task ps lists the init" "$OUT" "^$pid "
is "ctr task ps lists the init, its two children and nothing else" 3 "$(printf '%s\n' "$OUT" | grep -cE '^[0-9]+ ')"

ctr_ task pause "$id" >/dev/null 2>&1
is "ctr task pause: PAUSED, freezer.state FROZEN" "PAUSED FROZEN" \
        "$(task_field "$id" 3) $(cat "/sys/fs/cgroup/freezer/$PFX/$id/freezer.state" 2>&1)"
ctr_ task resume "$id" >/dev/null 2>&1
is "ctr task resume: RUNNING, freezer.state THAWED" "RUNNING THAWED" \
        "$(task_field "$id" 3) $(cat "/sys/fs/cgroup/freezer/$PFX/$id/freezer.state" 2>&1)"

kids=$(cat "$cg/cgroup.procs" 2>/dev/null)
ctr_ task kill -a -s SIGKILL "$id" >/dev/null 2>&1
for ((i = 0; i < 200; i++)); do [ "$(task_field "$id" 3)" = STOPPED ] && break; sleep 0.05; done
is "ctr task kill -a -s SIGKILL: the task stops" STOPPED "$(task_field "$id" 3)"
left=
for p in $kids; do alive "$p" && left+=" $p"; done
is "... and no process of it is left" "" "$left"
ctr_ task delete "$id" >/dev/null 2>&1
is "ctr task delete" 0 $?
ctr_ container delete "$id" >/dev/null 2>&1
is "ctr container delete" 0 $?
is "nothing left: tasks, containers, runtime state, cgroups, mounts" "||||" \
        "$(ctr_ task ls -q 2>&1)|$(ctr_ container ls -q 2>&1)|$(ls -A "$CD/runc/$PFX" 2>&1)|$(find /sys/fs/cgroup/*/"$PFX" -mindepth 1 -type d 2>/dev/null)|$(grep -F " $CD/" /proc/self/mountinfo)"

# What the shim passed to the runtime (global flags first, as runc takes them).
calls=$(sed "s#$CD#\$CD#g; s#/tmp/runc-process[0-9]*#/tmp/runc-processN#" "$CD/calls")
printf '%s\n' "$calls" | grep "/$PFX/task/" | sed 's/^/# shim call: /'
like "the shim's create: --root --log --log-format json create --bundle --pid-file" "$calls" \
        "--root \$CD/runc/$PFX --log \$CD/state/io.containerd.runtime.v2.task/$PFX/task/log.json --log-format json create --bundle \$CD/state/io.containerd.runtime.v2.task/$PFX/task --pid-file \$CD/state/io.containerd.runtime.v2.task/$PFX/task/init.pid task"
like "the shim's kill --all" "$calls" "kill --all task 9"

# Stop containerd; its shims go with their tasks. Then nothing of this test may remain.
kill -TERM "$containerd_pid"
wait "$containerd_pid"
for ((i = 0; i < 100; i++)); do
        [ -z "$(pids_matching "$CD/containerd.sock")" ] && break
        sleep 0.05
done
is "containerd and its shims are gone" "" "$(pids_matching "$CD/containerd.sock")"
for d in /sys/fs/cgroup/*/"$PFX"; do rmdir "$d" 2>/dev/null; done
is "no cgroup of the namespace left" "" "$(ls -d /sys/fs/cgroup/*/"$PFX" 2>/dev/null)"
if [ -z "$run_containerd_existed" ]; then
        rmdir /run/containerd/s /run/containerd/fifo /run/containerd/runc /run/containerd 2>/dev/null
        is "nothing left in /run/containerd (it did not exist before)" "" "$(ls -d /run/containerd 2>/dev/null)"
fi
finish
