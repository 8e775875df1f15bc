#!/bin/bash
# Fault injection and races (DESIGN.md §3): SIGKILL of create, run -d, start, exec and delete at
# random points, and several shells racing create/start/kill/delete on one id, must never leave a
# process, state dir, cgroup, mount or live pid file that no berth command can find and remove.
#
#   FAULT_TRIALS  kill -9 trials per command (default 40: 200 in all)
#   RACE_SHELLS   racing shells (default 6)       RACE_OPS  operations per shell (default 60)

# Processes that berth exec leaves in a container's pid namespace are reparented to the host's pid 1
# when berth exits; on this kind of machine pid 1 is not an init that reaps at once, and the
# container's init cannot finish dying before they are reaped (delete --force then waits ~1 s).
# Engines run runtimes under a subreaper (conmon, containerd-shim); so does this script: bash
# reaps any child it gets.
if [ -z "${_FAULTS_SUBREAPER:-}" ]; then
        export _FAULTS_SUBREAPER=1
        exec python3 -c 'import ctypes, os, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
os.execvp("bash", ["bash"] + sys.argv[1:])' "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

KILLAFTER=${KILLAFTER:-$SRCDIR/build/tests/killafter}
if [ ! -x "$KILLAFTER" ]; then
        echo "Bail out! helper $KILLAFTER not found"
        exit 99
fi
FAULT_TRIALS=${FAULT_TRIALS:-40}
RACE_SHELLS=${RACE_SHELLS:-6}
RACE_OPS=${RACE_OPS:-60}

new_bundle f sh -c 'while :; do sleep 1000; done' "mark-$PFX-f"
# Mounts of its own, so that a leaked mount namespace or mount would show.
cfg_edit "$TMP/b/f" "mount('/mnt', 'tmpfs', 'tmpfs')"

# leftovers: what is left once every id was force-deleted, one line per kind ("" when clean).
# Processes: the containers' (mark-...), and berth's own or an init that never exec'd (their
# command line is berth's, naming the id).
leftovers() {
        local p i out=
        for ((i = 0; i < 100; i++)); do # dying inits may take a moment
                [ -z "$(pids_matching "mark-$PFX")$(pids_matching "$PFX-")" ] && break
                sleep 0.02
        done
        for p in $(pids_matching "mark-$PFX") $(pids_matching "$PFX-"); do
                alive "$p" && out+="process $p: $(tr '\0' ' ' <"/proc/$p/cmdline")"$'\n'
        done
        [ -n "$(ls -A "$STATE")" ] && out+="state: $(ls -A "$STATE" | tr '\n' ' ')"$'\n'
        out+=$(grep -F "$TMP/b/" /proc/self/mountinfo)
        out+=$(ls -d /sys/fs/cgroup/*/"$PFX"-* /sys/fs/cgroup/unified/"$PFX"-* 2>/dev/null | sed 's/^/cgroup /')
        for p in "$TMP"/pid.*; do
                [ -e "$p" ] || continue
                alive "$(cat "$p")" && out+="pid file $p names live process $(cat "$p")"$'\n'
        done
        printf '%s' "$out"
}

delete_all() {
        local id
        for id in $(ls "$STATE"); do
                case $id in
                "~"*) continue ;; # a create's temporary dir: delete --force of its id removes it
                esac
                rt delete --force "$id" >/dev/null 2>"$TMP/del.err" || echo "delete --force $id: $(cat "$TMP/del.err")"
        done
}

# ---------------------------------------------------------------- kill -9 at random points

# trial CMD N: one trial of killing CMD (create, run, start, exec, delete) of container fN.
trial() {
        local cmd=$1 id=$PFX-f$2 usec=$((RANDOM % 12000)) pidf=$TMP/pid.$2
        case $cmd in
        create) "$KILLAFTER" $usec "$BERTH" --root "$STATE" create --pid-file "$pidf" --bundle "$TMP/b/f" "$id" ;;
        run) "$KILLAFTER" $usec "$BERTH" --root "$STATE" run -d --pid-file "$pidf" --bundle "$TMP/b/f" "$id" ;;
        start)
                rt create --bundle "$TMP/b/f" "$id"
                "$KILLAFTER" $usec "$BERTH" --root "$STATE" start "$id"
                ;;
        exec)
                rt run -d --bundle "$TMP/b/f" "$id"
                "$KILLAFTER" $usec "$BERTH" --root "$STATE" exec -d "$id" sleep 999 "mark-$PFX-exec"
                ;;
        delete)
                rt run -d --bundle "$TMP/b/f" "$id"
                "$KILLAFTER" $usec "$BERTH" --root "$STATE" delete --force "$id"
                ;;
        esac
} </dev/null >/dev/null 2>&1

n=0
for cmd in create run start exec delete; do
        bad=
        for ((t = 0; t < FAULT_TRIALS; t++)); do
                n=$((n + 1))
                trial "$cmd" "$n"
                rt delete --force "$PFX-f$n" </dev/null >/dev/null 2>"$TMP/del.err" ||
                        bad+="trial $n: delete --force failed: $(cat "$TMP/del.err")"$'\n'
                [ -e "$STATE/$PFX-f$n" ] && bad+="trial $n: state dir left after delete --force"$'\n'
        done
        is "kill -9 of $cmd at 0-12 ms ($FAULT_TRIALS trials): delete --force always cleans up" "" "$bad"
        is "kill -9 of $cmd: no process, state dir, cgroup, mount or live pid file left" "" "$(leftovers)"
done
echo "# kill -9 trials: $n"

# ---------------------------------------------------------------- racing shells on one id

# Exactly one of several racing creates of one id wins.
wins=
for round in 1 2 3 4 5; do
        for s in 1 2 3 4 5 6; do
                (rt create --bundle "$TMP/b/f" "$PFX-one" </dev/null >/dev/null 2>"$TMP/one.$s" && echo ok >"$TMP/one.$s.ok") &
        done
        wait
        w=$(ls "$TMP"/one.*.ok 2>/dev/null | wc -l)
        lost=$(grep -l "Container '$PFX-one' already exists" "$TMP"/one.? 2>/dev/null | wc -l)
        wins+="$w/$lost "
        rm -f "$TMP"/one.*
        rt delete --force "$PFX-one" </dev/null >/dev/null 2>&1
done
is "6 racing creates of one id, 5 rounds: one wins, 5 say 'already exists'" "1/5 1/5 1/5 1/5 1/5 " "$wins"

race_shell() {
        local i op id=$PFX-race
        for ((i = 0; i < RACE_OPS; i++)); do
                op=$((RANDOM % 7))
                case $op in
                0) rt create --bundle "$TMP/b/f" "$id" ;;
                1) rt run -d --bundle "$TMP/b/f" "$id" ;;
                2) rt start "$id" ;;
                3) rt kill "$id" KILL ;;
                4) rt kill --all "$id" TERM ;;
                5) rt delete "$id" ;;
                6) rt delete --force "$id" ;;
                esac
                # A runtime that hangs fails the whole race (timeout's 124).
                [ $? -eq 124 ] && echo "op $op timed out" >>"$TMP/race.hung"
        done
} </dev/null >/dev/null 2>&1

for ((s = 0; s < RACE_SHELLS; s++)); do race_shell & done
wait
is "race: no command hung" "" "$(cat "$TMP/race.hung" 2>/dev/null)"
rtc delete --force "$PFX-race"
is "race: delete --force afterwards exits 0" 0 "$RC"
is "race ($RACE_SHELLS shells x $RACE_OPS ops): nothing left" "" "$(leftovers)"
is "race: no temporary state dir left" "" "$(ls -A "$STATE")"

finish
