#!/bin/bash
# Cgroups on this host (cgroupfs, v1 controllers): limits written before the init runs and enforced
# (memory: OOM kill past the limit; pids: fork fails), pause/resume, ps, update, events, kill --all
# through the cgroup, and nothing left after delete or a failed create. The default manager is
# cgroupfs, as runc's; runc runs the same bundle where the result should match.
. "$(dirname "$0")/lib.sh"

if [ ! -d /sys/fs/cgroup/memory ] || [ ! -d /sys/fs/cgroup/pids ] || [ ! -d /sys/fs/cgroup/freezer ]; then
        echo "1..0 # SKIP needs the v1 memory, pids and freezer controllers"
        exit 0
fi

cg_left() { # cg_left ID: cgroup dirs of ID still on the host
        ls -d /sys/fs/cgroup/*/"$1" /sys/fs/cgroup/unified/"$1" 2>/dev/null
}

res() { # res NAME PYTHON: set linux.resources from a python expression
        cfg_edit "$TMP/b/$1" "c['linux']['resources'] = $2"
}

# ---- memory ----
id=$(cid mem)
new_bundle mem sh -c "cat /sys/fs/cgroup/memory/memory.limit_in_bytes; dd if=/dev/zero of=/dev/null bs=8M count=1 2>/dev/null && echo small-ok"
res mem "{'memory': {'limit': 33554432}}"
ctr_run mem
is "memory limit visible in the container's cgroup" "33554432" "$(printf '%s\n' "$OUT" | head -n1)"
like "an allocation below the limit survives" "$OUT" "small-ok"
is "memory: exit 0" 0 "$RC"
is "memory: cgroup removed after run" "" "$(cg_left "$id")"
# /sys/fs/cgroup shows the container's own cgroup of each hierarchy (as runc does on a v1 host), with
# a cgroup namespace (fresh mounts) and without one (binds of the container's cgroup directories);
# nothing of the host's other cgroups. (berth also shows the hybrid host's unified hierarchy; runc
# 1.1.5 leaves it out.)
probe='cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
        find /sys/fs/cgroup/memory /sys/fs/cgroup/pids -mindepth 1 -type d | wc -l
        ls /sys/fs/cgroup | grep -vx unified | paste -sd " "
        touch /sys/fs/cgroup/memory/x 2>/dev/null || echo read-only'
new_bundle memr sh -c "$probe"
res memr "{'memory': {'limit': 33554432}, 'pids': {'limit': 20}}"
ctr_run memr
is "/sys/fs/cgroup with a cgroup namespace: the container's limits, no other cgroup, read-only" \
        "33554432|20|0|$(ls /sys/fs/cgroup | grep -vx unified | paste -sd ' ')|read-only" \
        "$(printf '%s\n' "$OUT" | paste -sd '|')"
ours=$OUT
runc_run memr
same_as_runc "/sys/fs/cgroup with a cgroup namespace" "$ours" "$ROUT"
new_bundle memn sh -c "$probe"
res memn "{'memory': {'limit': 33554432}, 'pids': {'limit': 20}}"
cfg_edit "$TMP/b/memn" 'ns_del("cgroup")'
ctr_run memn
is "/sys/fs/cgroup without a cgroup namespace: the same" \
        "33554432|20|0|$(ls /sys/fs/cgroup | grep -vx unified | paste -sd ' ')|read-only" \
        "$(printf '%s\n' "$OUT" | paste -sd '|')"
ours=$OUT
runc_run memn
same_as_runc "/sys/fs/cgroup without a cgroup namespace" "$ours" "$ROUT"

new_bundle oom sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1 && echo survived'
res oom "{'memory': {'limit': 16777216, 'swap': 16777216}}"
ctr_run oom
unlike "an allocation past the limit is OOM-killed" "$OUT" "survived"
isnt "the OOM-killed container does not exit 0" 0 "$RC"

# ---- pids ----
new_bundle pids sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 2 & done 2>&1; wait; echo done'
res pids "{'pids': {'limit': 5}}"
ctr_run pids
like "pids limit: fork fails past it" "$OUT$ERR" "can't fork"

# ---- cpu ----
id=$(cid cpu)
new_bundle cpu sh -c "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares"
res cpu "{'cpu': {'quota': 50000, 'period': 100000, 'shares': 512}}"
ctr_run cpu
is "cpu quota and shares written" "50000 512" "$(printf '%s\n' "$OUT" | paste -sd ' ')"

# ---- pause / resume / ps / update / events on a detached container ----
id=$(cid live)
new_bundle live sh -c 'sleep 1000 & exec sleep 1001'
res live "{'memory': {'limit': 67108864}}"
rtc run -d --bundle "$TMP/b/live" "$id"
is "run -d" 0 "$RC"
pid=$(state_field "$id" pid)
rtc pause "$id"
is "pause" 0 "$RC"
is "state says paused" paused "$(state_field "$id" status)"
is "freezer state FROZEN" FROZEN "$(cat /sys/fs/cgroup/freezer/$id/freezer.state 2>/dev/null)"
rtc exec "$id" true
isnt "exec into a paused container fails" 0 "$RC"
like "... saying it is paused" "$ERR" "paused"
rtc resume "$id"
is "resume" 0 "$RC"
is "state says running" running "$(state_field "$id" status)"
rtc resume "$id"
isnt "resume of a running container fails" 0 "$RC"
rtc ps --format json "$id"
like_re "ps --format json lists the init" "$OUT" "[[,]$pid[],]"
is "ps --format json lists both processes" 2 "$(printf '%s' "$OUT" | tr ',' '\n' | grep -c '[0-9]')"
rtc ps "$id"
like "ps (table) has ps's header" "$OUT" "PID"
is "ps (table) lists the two sleeps" 2 "$(printf '%s\n' "$OUT" | grep -c 'sleep 100')"
rtc update --memory 48m --pids-limit 20 "$id"
is "update" 0 "$RC"
is "update changed the live memory limit" 50331648 "$(cat /sys/fs/cgroup/memory/$id/memory.limit_in_bytes)"
is "update changed pids.max" 20 "$(cat /sys/fs/cgroup/pids/$id/pids.max)"
echo '{"cpu": {"shares": 256}}' >"$TMP/res.json"
rtc update --resources "$TMP/res.json" "$id"
is "update --resources FILE" "0 256" "$RC $(cat /sys/fs/cgroup/cpu/$id/cpu.shares)"
rt update --resources - "$id" <<<'{"memory": {"limit": -7}}' >/dev/null 2>"$TMP/err"
isnt "update with a bad limit fails" 0 "$?"
like "... naming the field" "$(cat "$TMP/err")" "memory.limit"
is "... and changes nothing" 50331648 "$(cat /sys/fs/cgroup/memory/$id/memory.limit_in_bytes)"
# exec joins the container's cgroups: same /proc/self/cgroup as the init, found by ps, counted
# by the pids controller.
is "exec'd process is in the init's cgroups (host view)" "$(cat /proc/$pid/cgroup)" \
        "$(rt exec -d --pid-file "$TMP/ex.pid" "$id" sleep 100 </dev/null >/dev/null 2>&1; cat "/proc/$(cat "$TMP/ex.pid")/cgroup")"
kill "$(cat "$TMP/ex.pid")"
# (reaped by the host's pid 1, which takes its time here)
for ((i = 0; i < 300; i++)); do [ "$(cat /sys/fs/cgroup/pids/$id/pids.current)" = 2 ] && break; sleep 0.02; done
# The container's cgroup namespace is rooted at its own cgroup (the init joins before it is made).
is "inside, the container's cgroups are / in every hierarchy" "" \
        "$(rt exec "$id" cat /proc/self/cgroup 2>&1 | grep -v ':/$')"
rtc exec -d "$id" sleep 999
rtc ps --format json "$id"
is "ps lists an exec -d process too" 3 "$(printf '%s' "$OUT" | tr ',' '\n' | grep -c '[0-9]')"
is "pids.current counts it" 3 "$(cat /sys/fs/cgroup/pids/$id/pids.current)"
rt exec "$id" kill "$(rt exec "$id" pidof sleep | tr ' ' '\n' | sort -n | tail -n 1)" >/dev/null 2>&1
for ((i = 0; i < 100; i++)); do [ "$(cat /sys/fs/cgroup/pids/$id/pids.current)" = 2 ] && break; sleep 0.02; done
rtc events --stats "$id"
is "events --stats" 0 "$RC"
is "events --stats is runc's JSON shape" "stats $id 2 50331648" "$(printf '%s' "$OUT" | python3 -c '
import json, sys
e = json.load(sys.stdin)
print(e["type"], e["id"], e["data"]["pids"]["current"], e["data"]["memory"]["usage"]["limit"])' 2>&1)"
rtc delete --force "$id"
is "delete --force" 0 "$RC"
is "cgroup gone after delete --force" "" "$(cg_left "$id")"
rtc update --memory 1m "$id"
isnt "update of a deleted container fails" 0 "$RC"

# ---- kill --all reaches a setsid child without a pid namespace ----
id=$(cid nopid)
new_bundle nopid sh -c "setsid sleep 1002 & exec sleep 1003"
cfg_edit "$TMP/b/nopid" "ns_del('pid')"
rtc run -d --bundle "$TMP/b/nopid" "$id"
is "run -d without a pid namespace" 0 "$RC"
for i in $(seq 100); do [ "$(wc -l </sys/fs/cgroup/freezer/$id/cgroup.procs)" -ge 2 ] && break; sleep 0.01; done
procs=$(cat /sys/fs/cgroup/freezer/$id/cgroup.procs)
rtc kill --all "$id" KILL
is "kill --all" 0 "$RC"
sleep 0.3
left=
for p in $procs; do alive "$p" && left+=" $p"; done
is "kill --all reached the setsid child" "" "$left"
rtc delete "$id"
is "delete after kill --all" "0 " "$RC $(cg_left "$id")"

# ---- failures leave nothing ----
id=$(cid badcpus)
new_bundle badcpus true
res badcpus "{'cpu': {'cpus': '63'}}"
ctr_run badcpus
isnt "a cpuset the host lacks fails create" 0 "$RC"
like "... naming the resource" "$ERR" "cpu.cpus"
is "... and leaves no cgroup" "" "$(cg_left "$id")"
is "... and no state dir" "" "$(ls "$STATE" | grep -F "$id")"
id=$(cid nohuge)
new_bundle nohuge true
res nohuge "{'hugepageLimits': [{'pageSize': '2MB', 'limit': 2097152}]}"
ctr_run nohuge
isnt "a resource without a controller here (hugetlb) fails" 0 "$RC"
like "... clearly" "$ERR" "cannot enforce"
is "... and leaves no cgroup" "" "$(cg_left "$id")"
new_bundle badpath true
cfg_edit "$TMP/b/badpath" "c['linux']['cgroupsPath'] = '/a/../../etc'"
ctr_run badpath
isnt "a cgroupsPath with .. fails" 0 "$RC"
like "... naming it" "$ERR" "cgroupsPath"

# ---- managers ----
id=$(cid off)
new_bundle off sh -c "cat /proc/self/cgroup | grep memory"
rt --cgroup-manager disabled run --bundle "$TMP/b/off" "$id" </dev/null >"$TMP/out" 2>&1
unlike "--cgroup-manager disabled: no cgroup of the container" "$(cat "$TMP/out")" "$id"
id=$(cid mem1)
new_bundle mem1 true
res mem1 "{'memory': {'limit': 1048576}}"
ctr_run mem1
is "a 1 MiB memory limit runs /bin/true (runc 1.1.5 fails below ~8 MiB)" 0 "$RC"

# ---- a 1 MiB memory limit: the init joins its cgroup first and allocates little before exec ----
id=$(cid tiny)
new_bundle tiny /bin/true
res tiny "{'memory': {'limit': 1048576}}"
ctr_run tiny
is "memory.limit 1 MiB: /bin/true runs (runc 1.1.5 fails below ~8 MiB here)" 0 "$RC"
is "... and leaves no cgroup" "" "$(cg_left "$id")"

# ---- cgroup v2 (cgroupfs manager), in a mount namespace with cgroup2 on /sys/fs/cgroup ----
# No controllers there (they are bound to this host's v1 hierarchies): the cgroup is made and
# removed, the device eBPF program is enforced, a limit that needs a controller fails clearly.
v2() { # v2 CMD...: run CMD where /sys/fs/cgroup is a cgroup2 mount
        unshare -m sh -c 'mount --make-rprivate / && umount /sys/fs/cgroup/unified 2>/dev/null
                mount -t cgroup2 none /sys/fs/cgroup && exec "$@"' sh "$@"
}
id=$(cid v2dev)
# CAP_MKNOD is in the default set: only the device rules stop a mknod of /dev/mem (1:1).
new_bundle v2dev sh -c 'head -c 1 /dev/zero >/dev/null && echo zero-ok; mknod /dev/mem2 c 1 1 2>/dev/null || echo mknod-denied; cat /proc/self/cgroup'
out=$(v2 timeout 20 "$BERTH" --root "$STATE" run --bundle "$TMP/b/v2dev" "$id" </dev/null 2>"$TMP/err")
is "v2: run exits 0" 0 "$?"
like "v2: an allowed device works" "$out" "zero-ok"
like "v2: a device the rules do not allow is denied by the eBPF program (mknod 1:1)" "$out" "mknod-denied"
like "v2: the container is in its own cgroup (its namespace root)" "$out" "0::/"
is "v2: the cgroup is gone after the run" "" "$(v2 sh -c "ls -d /sys/fs/cgroup/$id 2>/dev/null")"
id=$(cid v2pids)
new_bundle v2pids true
res v2pids "{'pids': {'limit': 5}}"
v2 timeout 20 "$BERTH" --root "$STATE" run --bundle "$TMP/b/v2pids" "$id" </dev/null >/dev/null 2>"$TMP/err"
isnt "v2 without a pids controller: a pids limit fails" 0 "$?"
like "... naming the resource" "$(cat "$TMP/err")" "linux.resources.pids"
is "... and leaves no cgroup and no state" "" "$(v2 sh -c "ls -d /sys/fs/cgroup/$id 2>/dev/null"; ls "$STATE" | grep -F "$id")"

finish
