#!/bin/bash
# Lifecycle: create/start/state/kill/delete/run, exit statuses, signal forwarding, pid files,
# concurrent create, list and state output.
. "$(dirname "$0")/lib.sh"

HX=$TMP/hx
mkdir -p "$HX"
# bundle NAME SCRIPT: sh -c SCRIPT with the host dir $HX bind-mounted read-write at /hx.
bundle() {
        new_bundle "$1" sh -c "$2" "mark-$PFX-$1"
        cfg_edit "$TMP/b/$1" 'mount("/hx", "bind", "'"$HX"'", ["rbind", "rw"])' "${@:3}"
}

# ---- create does not run the process; start does; exit -> stopped; delete removes the state
id=$(cid life)
bundle life 'echo ran > /hx/ran; while [ ! -e /hx/go ]; do sleep 0.02; done; exit 3'
rtc create --bundle "$TMP/b/life" "$id"
is "create exits 0" 0 $RC
out="$OUT $ERR"
is "state after create: created" created "$(state_field "$id" status)"
pid=$(state_field "$id" pid)
if [ -n "$pid" ] && [ "$pid" -gt 0 ] 2>/dev/null && alive "$pid"; then
        pass "created container has a live init pid"
else
        fail "created container has a live init pid" "pid='$pid'" "$out"
fi
sleep 0.2
if [ -e "$HX/ran" ]; then fail "process does not run before start"; else pass "process does not run before start"; fi
out=$(rt start "$id" 2>&1)
is "start exits 0" 0 $?
if wait_file "$HX/ran"; then pass "process runs after start"; else fail "process runs after start" "$out"; fi
is "state after start: running" running "$(state_field "$id" status)"
is "state pid unchanged by start" "$pid" "$(state_field "$id" pid)"
touch "$HX/go"
if wait_status "$id" stopped; then pass "state after exit: stopped"; else fail "state after exit: stopped" "status=$(state_field "$id" status)"; fi
if [ -d "$STATE/$id" ]; then pass "state dir exists before delete"; else fail "state dir exists before delete" "$(ls -la "$STATE")"; fi
out=$(rt delete "$id" 2>&1)
is "delete of a stopped container exits 0" 0 $?
if [ -e "$STATE/$id" ]; then fail "delete removes the state dir" "$(ls -la "$STATE/$id")"; else pass "delete removes the state dir"; fi
rt state "$id" >/dev/null 2>&1
isnt "state after delete fails" 0 $?
rm -f "$HX"/*

# ---- foreground run: exit status, signal death, removal
sh_in ex7 'exit 7'
is "run returns the container's exit status (7)" 7 "$RC"
if [ -e "$STATE/$(cid ex7)" ]; then fail "run removes the container afterwards"; else pass "run removes the container afterwards"; fi
sh_in ex0 'true'
is "run returns 0 for a successful container" 0 "$RC"
# (the init of a pid namespace cannot be killed from inside it: no pid namespace here)
sh_in sig9 'kill -9 $$; sleep 5' 'ns_del("pid")'
is "run returns 128+9 when the init is killed by SIGKILL" 137 "$RC"
# pid 1 of a pid namespace ignores signals it has no handler for; drop the pid namespace here
new_bundle sig15 sh -c 'kill -TERM $$; sleep 5'
cfg_edit "$TMP/b/sig15" 'ns_del("pid")'
ctr_run sig15
is "run returns 128+15 when the init is killed by SIGTERM" 143 "$RC"

# ---- signal forwarding by a foreground run
id=$(cid fwd)
bundle fwd 'trap "echo usr1 >> /hx/fwd-usr1" USR1; trap "exit 42" TERM; echo ready > /hx/fwd-ready; while :; do sleep 0.05; done'
"$BERTH" --root "$STATE" run --bundle "$TMP/b/fwd" "$id" </dev/null >"$TMP/fwd.out" 2>&1 &
bg=$!
if wait_file "$HX/fwd-ready" 500; then
        kill -USR1 "$bg"
        if wait_file "$HX/fwd-usr1" 300; then pass "run forwards SIGUSR1 to the container"; else fail "run forwards SIGUSR1 to the container" "$(cat "$TMP/fwd.out")"; fi
        kill -TERM "$bg"
        for ((i = 0; i < 300; i++)); do kill -0 "$bg" 2>/dev/null || break; sleep 0.01; done
        if kill -0 "$bg" 2>/dev/null; then
                fail "run forwards SIGTERM (run still alive 3s later)"
                kill -9 "$bg"
                wait "$bg"
        else
                wait "$bg"
                is "run forwards SIGTERM and exits with the container's status (42)" 42 $?
        fi
else
        fail "container of a background run starts" "$(cat "$TMP/fwd.out")"
        kill -9 "$bg" 2>/dev/null
        wait "$bg"
fi

# ---- run -d --pid-file
id=$(cid det)
bundle det 'while :; do sleep 1; done'
rtc run -d --pid-file "$TMP/det.pid" --bundle "$TMP/b/det" "$id"
is "run -d exits 0" 0 $RC
out="$OUT $ERR"
if [ -s "$TMP/det.pid" ]; then pass "run -d writes the pid file before exiting"; else fail "run -d writes the pid file before exiting" "$out"; fi
pf=$(tr -d ' \n' <"$TMP/det.pid" 2>/dev/null)
is "pid file holds the state pid" "$(state_field "$id" pid)" "$pf"
# run -d returns before the execve (as runc does); it follows once run has been reaped (below).
cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }
for _ in $(seq 1 100); do [[ $(cmdline_of "$pf") == *"mark-$PFX-det"* ]] && break; sleep 0.02; done
like "pid file pid is the container's process" "$(cmdline_of "$pf")" "mark-$PFX-det"
is "run -d container is running" running "$(state_field "$id" status)"

# run -d --pid-file: the process execs only once run's caller has reaped run. systemd reads the PID
# file of a Type=forking unit right before it reaps run: the init is alive then, however soon the
# container exits (systemd 252 waits for another PID file until TimeoutStartSec otherwise).
if [ "$RT_NAME" = berth ]; then
        id4=$(cid gate)
        bundle gate 'echo ran > /hx/gate.ran'
        res=$(python3 - "$BERTH" "$STATE" "$TMP/b/gate" "$id4" "$TMP/gate.pid" "$HX/gate.ran" <<'PY' 2>&1
import os, sys, time
berth, state, bundle, cid, pidfile, marker = sys.argv[1:]
pid = os.fork()
if pid == 0:
    os.execv(berth, [berth, "--root", state, "run", "-d", "--pid-file", pidfile, "--bundle", bundle, cid])
os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # run has exited; not reaped yet
time.sleep(0.5)
early = os.path.exists(marker)
init = int(open(pidfile).read())
alive = open("/proc/%d/stat" % init).read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
_, status = os.waitpid(pid, 0)
for _ in range(100):
    if os.path.exists(marker):
        break
    time.sleep(0.05)
print("exit=%d before-reap=%s init-alive=%s after-reap=%s" % (
    os.waitstatus_to_exitcode(status), early, alive, os.path.exists(marker)))
PY
)
        is "run -d --pid-file: the process runs only after run was reaped, its init alive until then" \
                "exit=0 before-reap=False init-alive=True after-reap=True" "$res"
        rt delete --force "$id4" >/dev/null 2>&1
fi

# relative --pid-file is relative to the caller's cwd, not the bundle
# an existing pid file is replaced
id3=$(cid det2)
bundle det2 'while :; do sleep 1; done'
echo "stale content that is longer than any pid" >"$TMP/det2.pid"
rtc run -d --pid-file "$TMP/det2.pid" --bundle "$TMP/b/det2" "$id3"
is "run -d replaces an existing pid file" "$(state_field "$id3" pid)" "$(tr -d ' \n' <"$TMP/det2.pid" 2>/dev/null)"
rt delete --force "$id3" >/dev/null 2>&1

id2=$(cid rel)
bundle rel 'while :; do sleep 1; done'
mkdir -p "$TMP/cwd"
(cd "$TMP/cwd" && rtc run -d --pid-file rel.pid --bundle "$TMP/b/rel" "$id2")
out=$(cat "$TMP/rtc.out" "$TMP/rtc.err")
if [ -s "$TMP/cwd/rel.pid" ] && [ ! -e "$TMP/b/rel/rel.pid" ]; then
        pass "relative --pid-file is relative to the caller's cwd"
else
        fail "relative --pid-file is relative to the caller's cwd" "$out" "$(ls "$TMP/cwd" "$TMP/b/rel")"
fi
is "relative pid file holds the state pid" "$(state_field "$id2" pid)" "$(tr -d ' \n' <"$TMP/cwd/rel.pid" 2>/dev/null)"

# ---- delete: refuses running, --force kills and removes
rt delete "$id2" >/dev/null 2>&1
isnt "delete without --force refuses a running container" 0 $?
is "container still running after refused delete" running "$(state_field "$id2" status)"
p2=$(state_field "$id2" pid)
out=$(rt delete --force "$id2" 2>&1)
is "delete --force of a running container exits 0" 0 $?
if [ -n "$p2" ] && alive "$p2"; then
        fail "delete --force leaves no process" "$(cat "/proc/$p2/status" 2>/dev/null | head -3)"
else
        pass "delete --force leaves no process"
fi
if [ -e "$STATE/$id2" ]; then fail "delete --force removes the state dir"; else pass "delete --force removes the state dir"; fi
is "delete --force: no process with the container's marker" "" "$(pids_matching "mark-$PFX-rel")"
out=$(rt delete -f "$id" 2>&1)
is "delete -f (short flag) exits 0" 0 $?
is "delete -f: no process with the container's marker" "" "$(pids_matching "mark-$PFX-det")"

# ---- kill
# kbundle NAME: init traps TERM, writes the signal name to /hx/NAME and exits 0.
kbundle() {
        bundle "$1" "trap 'echo TERM > /hx/$1; exit 0' TERM; echo up > /hx/$1.up; while :; do sleep 0.05; done" "${@:2}"
        rt run -d --bundle "$TMP/b/$1" "$(cid "$1")" >/dev/null 2>&1 && wait_file "$HX/$1.up" 500
}
for form in TERM SIGTERM 15 default; do
        name=k$form
        kbundle "$name"
        if [ $form = default ]; then
                out=$(rt kill "$(cid "$name")" 2>&1)
        else
                out=$(rt kill "$(cid "$name")" $form 2>&1)
        fi
        rc=$?
        wait_file "$HX/$name" 300
        if [ $rc -eq 0 ] && [ "$(cat "$HX/$name" 2>/dev/null)" = TERM ]; then
                pass "kill ID $form delivers SIGTERM"
        else
                fail "kill ID $form delivers SIGTERM" "rc=$rc $out"
        fi
        wait_status "$(cid "$name")" stopped
        is "container stopped after kill $form" stopped "$(state_field "$(cid "$name")" status)"
        rt delete "$(cid "$name")" >/dev/null 2>&1
done

kbundle k9
out=$(rt kill "$(cid k9)" 9 2>&1)
is "kill ID 9 exits 0" 0 $?
wait_status "$(cid k9)" stopped
is "container stopped after kill 9" stopped "$(state_field "$(cid k9)" status)"
kbundle kKILL
out=$(rt kill "$(cid kKILL)" SIGKILL 2>&1)
wait_status "$(cid kKILL)" stopped
is "container stopped after kill SIGKILL" stopped "$(state_field "$(cid kKILL)" status)"
rt delete "$(cid k9)" >/dev/null 2>&1
rt delete "$(cid kKILL)" >/dev/null 2>&1

# kill --all: without a pid namespace killing the init does not kill its children; --all does.
bundle kall "sh -c 'while :; do sleep 1; done' child-$PFX & echo up > /hx/kall.up; while :; do sleep 0.05; done" 'ns_del("pid")'
rt run -d --bundle "$TMP/b/kall" "$(cid kall)" >/dev/null 2>&1
wait_file "$HX/kall.up" 500
sleep 0.05
if [ -n "$(pids_matching "child-$PFX")" ]; then pass "kill --all: child process exists"; else fail "kill --all: child process exists"; fi
out=$(rt kill --all "$(cid kall)" KILL 2>&1)
is "kill --all exits 0" 0 $?
for ((i = 0; i < 300; i++)); do [ -z "$(pids_matching "child-$PFX")" ] && break; sleep 0.01; done
is "kill --all kills every process of the container" "" "$(pids_matching "child-$PFX")"
wait_status "$(cid kall)" stopped
is "container stopped after kill --all" stopped "$(state_field "$(cid kall)" status)"
rt delete --force "$(cid kall)" >/dev/null 2>&1

# ---- created (never started) containers: kill and delete work on them
id=$(cid ck)
bundle ck 'echo ran > /hx/ck.ran'
rtc create --bundle "$TMP/b/ck" "$id"
p=$(state_field "$id" pid)
rtc kill "$id" KILL
is "kill of a created container exits 0" 0 "$RC"
wait_status "$id" stopped
is "created container is stopped after kill" stopped "$(state_field "$id" status)"
rtc delete "$id"
is "delete of the killed created container" 0 "$RC"
[ -e "$HX/ck.ran" ] && fail "killed created container never ran its process" || pass "killed created container never ran its process"

id=$(cid cd)
bundle cd 'echo ran > /hx/cd.ran'
rtc create --bundle "$TMP/b/cd" "$id"
p=$(state_field "$id" pid)
rtc delete "$id"
is "delete (no --force) of a created container exits 0, as with runc" 0 "$RC"
if [ -n "$p" ] && alive "$p"; then fail "delete of a created container kills its init" "pid $p"; else pass "delete of a created container kills its init"; fi
[ -e "$STATE/$id" ] && fail "delete of a created container removes the state dir" || pass "delete of a created container removes the state dir"
[ -e "$HX/cd.ran" ] && fail "deleted created container never ran its process" || pass "deleted created container never ran its process"

# ---- status comes from the kernel: init killed behind the runtime's back
id=$(cid ext)
bundle ext 'while :; do sleep 1; done'
rtc run -d --bundle "$TMP/b/ext" "$id"
p=$(state_field "$id" pid)
[ -n "$p" ] && kill -9 "$p"
wait_status "$id" stopped
is "init killed from outside: status stopped" stopped "$(state_field "$id" status)"
rtc delete "$id"
is "init killed from outside: delete exits 0" 0 "$RC"
[ -e "$STATE/$id" ] && fail "init killed from outside: state dir removed" || pass "init killed from outside: state dir removed"

# ---- exit statuses above 128 are the container's own
sh_in ex255 'exit 255'
is "run returns 255 for exit 255" 255 "$RC"
sh_in ex130 'exit 130'
is "run returns 130 for exit 130" 130 "$RC"

# ---- list with a state root that does not exist yet
out=$("$BERTH" --root "$TMP/nonexistent-root" list -q 2>&1)
is "list -q with a missing --root dir exits 0" 0 $?
is "list -q with a missing --root dir prints nothing" "" "$out"

# ---- concurrent create of one id: exactly one wins
for round in 1 2 3; do
        id=$(cid race$round)
        new_bundle race$round sleep 100
        rt create --bundle "$TMP/b/race$round" "$id" </dev/null >/dev/null 2>"$TMP/race1.err" &
        p1=$!
        rt create --bundle "$TMP/b/race$round" "$id" </dev/null >/dev/null 2>"$TMP/race2.err" &
        p2=$!
        wait $p1
        r1=$?
        wait $p2
        r2=$?
        if { [ $r1 -eq 0 ] && [ $r2 -ne 0 ]; } || { [ $r1 -ne 0 ] && [ $r2 -eq 0 ]; }; then
                pass "concurrent create, round $round: exactly one succeeds"
        elif [ "$RT_NAME" = runc ] && [ $r1 -ne 0 ] && [ $r2 -ne 0 ]; then
                # runc 1.1.5 shares the cgroup (and exec fifo) between the racers and can fail both
                skip "concurrent create, round $round: runc lost both racers"
                skip "concurrent create, round $round: (no winner)"
                rt delete --force "$id" >/dev/null 2>&1
                continue
        else
                fail "concurrent create, round $round: exactly one succeeds" "rc $r1 $r2" "$(cat "$TMP/race1.err" "$TMP/race2.err")"
        fi
        st=$(state_field "$id" status)
        if [ "$RT_NAME" = runc ] && [ "$st" != created ]; then
                skip "concurrent create, round $round: runc's loser removes the winner's state"
        else
                is "concurrent create, round $round: the winner's container is created" created "$st"
        fi
        rt delete --force "$id" >/dev/null 2>&1
done

# ---- state and list output (start from an empty state root, whatever failed above)
for x in $(ls "$STATE"); do rt delete --force "$x" >/dev/null 2>&1; done
a=$(cid lsa)
b=$(cid lsb)
new_bundle lsa sleep 100
cfg_edit "$TMP/b/lsa" 'c["annotations"]={"org.example.key":"value"}'
new_bundle lsb sleep 100
rt create --bundle "$TMP/b/lsa" "$a" >/dev/null 2>&1
rt run -d --bundle "$TMP/b/lsb" "$b" >/dev/null 2>&1

out=$(rt state "$a" 2>&1)
res=$(printf '%s' "$out" | python3 -c '
import json, sys, datetime
s = json.load(sys.stdin)
a, bundle, rootfs = sys.argv[1:4]
errs = []
def want(cond, what):
    if not cond:
        errs.append(what)
want(isinstance(s.get("ociVersion"), str) and s["ociVersion"], "ociVersion")
want(s.get("id") == a, "id")
want(isinstance(s.get("pid"), int) and s["pid"] > 0, "pid")
want(s.get("status") == "created", "status")
want(s.get("bundle") == bundle, "bundle == %s" % bundle)
want(s.get("rootfs") == rootfs, "rootfs == %s" % rootfs)
try:
    t = s["created"]
    datetime.datetime.fromisoformat(t[:26].rstrip("Z") if "." in t else t.rstrip("Z"))
except Exception as e:
    errs.append("created: %r" % e)
want("owner" in s, "owner")
want(s.get("annotations") == {"org.example.key": "value"}, "annotations")
print("ok" if not errs else "missing/wrong: " + ", ".join(errs))
' "$a" "$TMP/b/lsa" "$ROOTFS" 2>&1)
is "state JSON has ociVersion, id, pid, status, bundle, rootfs, created, owner, annotations" ok "$res"
[ "$res" = ok ] || echo "# state: $out"

out=$(rt list 2>&1)
hdr=$(printf '%s\n' "$out" | head -n 1)
like_re "list: table header" "$hdr" '^ID +PID +STATUS +BUNDLE +CREATED +OWNER *$'
row=$(printf '%s\n' "$out" | awk -v id="$a" '$1 == id')
like_re "list: row of the created container (id pid created bundle)" "$row" "^$a +[0-9]+ +created +$TMP/b/lsa +"
row=$(printf '%s\n' "$out" | awk -v id="$b" '$1 == id')
like_re "list: row of the running container (id pid running bundle created owner)" "$row" "^$b +[0-9]+ +running +$TMP/b/lsb +[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]+ +root *$"

out=$(rt list -q 2>&1)
is "list -q prints the ids only" "$(printf '%s\n' "$a" "$b" | sort)" "$(printf '%s\n' "$out" | sort)"

out=$(rt list --format json 2>&1)
res=$(printf '%s' "$out" | python3 -c '
import json, sys
l = json.load(sys.stdin)
a, b, ba, bb = sys.argv[1:5]
m = {s["id"]: s for s in l}
ok = (len(l) == 2 and m[a]["status"] == "created" and m[b]["status"] == "running"
      and m[a]["bundle"] == ba and m[b]["bundle"] == bb
      and all(isinstance(s["pid"], int) and s["pid"] > 0 for s in l)
      and all("created" in s and "owner" in s for s in l))
print("ok" if ok else "bad")' "$a" "$b" "$TMP/b/lsa" "$TMP/b/lsb" 2>&1)
is "list --format json: array of state objects" ok "$res"
[ "$res" = ok ] || echo "# list json: $out"

rt delete --force "$a" >/dev/null 2>&1
rt delete --force "$b" >/dev/null 2>&1
out=$(rt list -q 2>&1)
is "list -q is empty after deleting everything" "" "$out"

finish
