#!/bin/bash
# What berth trusts and how its failures end (DESIGN.md §3): state it did not write is refused,
# forged or damaged state never makes it signal a process that is not the container's, a damaged
# state.json never hides a live container, exec runs with the config saved at create, failures
# end promptly and leave nothing, detached inits lead their own session.
. "$(dirname "$0")/lib.sh"

# A long-running container, created (not started) as $(cid NAME).
long_bundle() { new_bundle "$1" sh -c 'while :; do sleep 1000; done' "mark-$PFX-$1"; }

# init_of NAME: the host pid of the init, from the init record berth keeps in the state dir.
init_of() { readlink "$STATE/$(cid "$1")/init" | cut -d' ' -f1; }

# json_edit FILE PYTHON: load FILE as `s`, exec PYTHON, write it back (same owner and mode).
json_edit() {
        python3 - "$1" "$2" <<'PY'
import json, sys
p = sys.argv[1]
with open(p) as f:
    s = json.load(f)
exec(sys.argv[2])
with open(p, "w") as f:
    json.dump(s, f)
PY
}

gone() { ! alive "$1"; }

# ---------------------------------------------------------------- 1. state root and state dirs

long_bundle trust
for mode in 0777 0775 0757; do
        root=$TMP/root-$mode
        mkdir -p "$root"
        chmod "$mode" "$root"
        timeout 10 "$BERTH" --root "$root" run -d --bundle "$TMP/b/trust" "$(cid trust)" </dev/null >/dev/null 2>"$TMP/err"
        rc=$?
        isnt "root with mode $mode: run fails" 0 "$rc"
        like "root with mode $mode: the error names the root and what is wrong" "$(cat "$TMP/err")" "'$root': it is writable by group or others (mode $mode)"
        is "root with mode $mode: nothing made in it" "" "$(ls -A "$root")"
        timeout 10 "$BERTH" --root "$root" list >/dev/null 2>"$TMP/err"
        isnt "root with mode $mode: list refuses it too" 0 "$?"
done
root=$TMP/root-other
mkdir -p "$root"
chmod 0700 "$root"
chown 65534:65534 "$root"
timeout 10 "$BERTH" --root "$root" run -d --bundle "$TMP/b/trust" "$(cid trust)" </dev/null >/dev/null 2>"$TMP/err"
isnt "root owned by another user: run fails" 0 "$?"
like "root owned by another user: the error says whose it is" "$(cat "$TMP/err")" "owned by uid 65534, not by uid 0"
is "root owned by another user: nothing made in it" "" "$(ls -A "$root")"
is "no container process left after refused roots" "" "$(pids_matching "mark-$PFX-trust")"

# A config planted in a state dir by another user must not run its poststop hooks as root.
new_bundle hooked sh -c 'while :; do sleep 1000; done' "mark-$PFX-hooked"
cfg_edit "$TMP/b/hooked" "c['hooks']={'poststop':[{'path':'/bin/sh','args':['sh','-c','touch $TMP/real-hook']}]}"
rtc create --bundle "$TMP/b/hooked" "$(cid hooked)"
is "create with a poststop hook" 0 "$RC"
cfg=$STATE/$(cid hooked)/config.json
json_edit "$cfg" "s['hooks']['poststop'][0]['args']=['sh','-c','touch $TMP/planted-hook']"
chown 65534 "$cfg"
rtc delete --force "$(cid hooked)"
is "delete --force with a planted config: exits 0" 0 "$RC"
like "delete --force with a planted config: says it refused the file" "$ERR" "owned by uid 65534"
[ ! -e "$TMP/planted-hook" ] && pass "the planted poststop hook did not run" || fail "the planted poststop hook did not run"
[ ! -e "$STATE/$(cid hooked)" ] && pass "the state dir is gone" || fail "the state dir is gone"

# A state dir others can write to is refused.
rtc create --bundle "$TMP/b/trust" "$(cid trust)"
chmod 0777 "$STATE/$(cid trust)"
rtc state "$(cid trust)"
isnt "state of a group/world-writable state dir fails" 0 "$RC"
like "... saying why" "$ERR" "writable by group or others"
chmod 0700 "$STATE/$(cid trust)"
rtc delete --force "$(cid trust)"
is "after chmod back: delete --force" 0 "$RC"

# ---------------------------------------------------------------- 2. state contents

# "id": "../victim" must not make delete remove a directory outside the root.
mkdir -p "$TMP/victim"
touch "$TMP/victim/keep"
long_bundle dotdot
rtc create --bundle "$TMP/b/dotdot" "$(cid dotdot)"
init=$(init_of dotdot)
json_edit "$STATE/$(cid dotdot)/state.json" "s['id']='../victim'"
rtc state "$(cid dotdot)"
isnt "state with a forged id fails" 0 "$RC"
like "... naming the field" "$ERR" "'id': expected '$(cid dotdot)'"
rtc delete --force "$(cid dotdot)"
is "delete --force with a forged id exits 0" 0 "$RC"
[ -e "$TMP/victim/keep" ] && pass "the directory the forged id names survives" || fail "the directory the forged id names survives"
gone "$init" && pass "the container's init (found by its init record) was killed" || fail "the container's init (found by its init record) was killed" "pid $init"
[ ! -e "$STATE/$(cid dotdot)" ] && pass "forged id: state dir removed" || fail "forged id: state dir removed"

# A forged pid never gets a signal: a decoy and its child must survive kill --all and delete
# --force, and the real init is still found and killed.
(setsid sh -c "sleep 1000 & exec sleep 1001" "decoy-$PFX" </dev/null >/dev/null 2>&1 & echo $! >"$TMP/decoy.pid")
decoy=$(cat "$TMP/decoy.pid")
sleep 0.2
decoy_child=$(pgrep -P "$decoy" | head -n 1)
decoy_start=$(awk '{ print $22 }' "/proc/$decoy/stat")
forge=(
        "s['pid']=$decoy; del s['berthPidStartTime']"
        "s['pid']=$decoy; s['berthPidStartTime']=0"
        "s['pid']=$decoy; s['berthPidStartTime']=$((decoy_start + 1))"
        "s['pid']=$decoy; s['berthPidStartTime']=$decoy_start"
        "s['pid']=1"
)
for i in "${!forge[@]}"; do
        long_bundle "forge$i"
        rtc create --bundle "$TMP/b/forge$i" "$(cid "forge$i")"
        rtc start "$(cid "forge$i")"
        init=$(init_of "forge$i")
        json_edit "$STATE/$(cid "forge$i")/state.json" "${forge[$i]}"
        rtc kill --all "$(cid "forge$i")" KILL
        isnt "forged state ($i): kill --all refuses" 0 "$RC"
        rtc delete --force "$(cid "forge$i")"
        is "forged state ($i): delete --force exits 0" 0 "$RC"
        alive "$decoy" && alive "$decoy_child" && pass "forged state ($i): the decoy and its child are alive" ||
                fail "forged state ($i): the decoy and its child are alive" "${forge[$i]}"
        gone "$init" && pass "forged state ($i): the real init was killed" || fail "forged state ($i): the real init was killed"
done
kill -9 "$decoy" "$decoy_child" 2>/dev/null

# ---------------------------------------------------------------- 3. damaged state.json

damage=(
        "truncate -s 20"
        "truncate -s 0"
        "printf garbage >"
        "json_edit_pid '\"12\"'"
        "json_edit_pid 99999999999"
        "rm -f"
)
json_edit_pid() { json_edit "$1" "s['pid']=$2"; }
# the file goes last: "truncate -s 20 FILE", "printf garbage > FILE", "json_edit_pid V FILE"...
damage_file() {
        case $1 in
        json_edit_pid*) json_edit "$2" "s['pid']=${1#json_edit_pid }" ;;
        *) eval "$1 \"\$2\"" ;;
        esac
}
for i in "${!damage[@]}"; do
        long_bundle "dmg$i"
        rtc run -d --bundle "$TMP/b/dmg$i" "$(cid "dmg$i")"
        init=$(init_of "dmg$i")
        damage_file "${damage[$i]}" "$STATE/$(cid "dmg$i")/state.json"
        out=$(rt list 2>"$TMP/err")
        like_re "damaged state ($i: ${damage[$i]}): list shows it as unknown" "$out" "$(cid "dmg$i") +$init +unknown"
        like "damaged state ($i): list says why on stderr" "$(cat "$TMP/err")" "container '$(cid "dmg$i")': state.json"
        rtc state "$(cid "dmg$i")"
        isnt "damaged state ($i): state fails" 0 "$RC"
        like "damaged state ($i): state says what is wrong and what to do" "$ERR" "delete --force $(cid "dmg$i")"
        rtc delete "$(cid "dmg$i")"
        isnt "damaged state ($i): delete without --force refuses (the init is alive)" 0 "$RC"
        rtc delete --force "$(cid "dmg$i")"
        is "damaged state ($i): delete --force exits 0" 0 "$RC"
        gone "$init" && pass "damaged state ($i): the init was killed" || fail "damaged state ($i): the init was killed" "pid $init"
        [ ! -e "$STATE/$(cid "dmg$i")" ] && pass "damaged state ($i): state dir removed" || fail "damaged state ($i): state dir removed"
        is "damaged state ($i): its cgroup is removed (by the cgroup record)" "" \
                "$(ls -d /sys/fs/cgroup/*/"$(cid "dmg$i")" /sys/fs/cgroup/unified/"$(cid "dmg$i")" 2>/dev/null)"
done

# ---------------------------------------------------------------- 4. exec uses the saved config

long_bundle saved
cfg_edit "$TMP/b/saved" 'c["process"]["env"].append("FROM_CREATE=1")'
rtc run -d --bundle "$TMP/b/saved" "$(cid saved)"
caps_before=$(rt exec "$(cid saved)" sh -c 'grep CapEff /proc/self/status; echo "env=$FROM_CREATE$EDITED"' 2>&1)
cfg_edit "$TMP/b/saved" \
        'pr=c["process"]; [pr["capabilities"][k].append("CAP_SYS_ADMIN") for k in ("bounding","effective","permitted")]' \
        'c["process"]["env"].append("EDITED=1")'
caps_after=$(rt exec "$(cid saved)" sh -c 'grep CapEff /proc/self/status; echo "env=$FROM_CREATE$EDITED"' 2>&1)
is "exec after the bundle was edited: same capabilities and env as at create" "$caps_before" "$caps_after"
like "exec takes env from the saved config" "$caps_after" "env=1"
rm "$TMP/b/saved/config.json"
out=$(rt exec "$(cid saved)" echo still-works 2>&1)
is "exec after the bundle's config.json was removed" "still-works" "$out"
rtc delete --force "$(cid saved)"

# ---------------------------------------------------------------- 7. failures end promptly

# An unprivileged user creating a container whose id maps it cannot write: an error, not a hang.
mkdir -p "$TMP/nobody-root"
chown 65534:65534 "$TMP/nobody-root"
chmod 0700 "$TMP/nobody-root"
new_bundle unpriv sh -c 'sleep 100' "mark-$PFX-unpriv"
cfg_edit "$TMP/b/unpriv" 'ns_set("user")' \
        'c["linux"]["uidMappings"]=[{"containerID":0,"hostID":0,"size":65536}]' \
        'c["linux"]["gidMappings"]=[{"containerID":0,"hostID":0,"size":65536}]'
chmod -R a+rX "$TMP/b/unpriv"
start=$(date +%s%N)
setpriv --reuid=65534 --regid=65534 --clear-groups timeout -k 2 20 "$BERTH" --root "$TMP/nobody-root" \
        run --bundle "$TMP/b/unpriv" "$(cid unpriv)" </dev/null >/dev/null 2>"$TMP/err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
isnt "unprivileged create with id maps it may not write: fails" 0 "$rc"
isnt "... without hanging (timeout's 124)" 124 "$rc"
like_re "... saying which map it could not write" "$(cat "$TMP/err")" "uid_map|newuidmap"
[ "$ms" -lt 5000 ] && pass "... promptly ($ms ms)" || fail "... promptly ($ms ms)"
is "... and leaves no state dir" "" "$(ls -A "$TMP/nobody-root")"
is "... and no process" "" "$(pids_matching "mark-$PFX-unpriv")"

# SIGTERM while create waits (here for a createRuntime hook without a timeout) aborts it and
# removes everything made so far.
new_bundle term sh -c 'sleep 100' "mark-$PFX-term"
cfg_edit "$TMP/b/term" "c['hooks']={'createRuntime':[{'path':'/bin/sh','args':['sh','-c','sleep 60; :','hook-$PFX']}]}"
"$BERTH" --root "$STATE" create --bundle "$TMP/b/term" --pid-file "$TMP/term.pid" "$(cid term)" </dev/null >/dev/null 2>"$TMP/err" &
berth_pid=$!
for ((i = 0; i < 300; i++)); do [ -n "$(pids_matching "hook-$PFX")" ] && break; sleep 0.01; done
kill -TERM "$berth_pid"
start=$(date +%s%N)
wait "$berth_pid"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
isnt "SIGTERM during create: create fails" 0 "$rc"
[ "$ms" -lt 3000 ] && pass "SIGTERM during create: it ends promptly ($ms ms)" || fail "SIGTERM during create: it ends promptly ($ms ms)"
like "SIGTERM during create: says it was interrupted" "$(cat "$TMP/err")" "interrupted"
[ ! -e "$STATE/$(cid term)" ] && pass "SIGTERM during create: no state dir" || fail "SIGTERM during create: no state dir"
[ ! -e "$TMP/term.pid" ] && pass "SIGTERM during create: no pid file" || fail "SIGTERM during create: no pid file"
is "SIGTERM during create: no container or hook process" "" "$(pids_matching "mark-$PFX-term")$(pids_matching "hook-$PFX")"

# A failed create removes the pid file it wrote; a deleted container keeps it (runc, crun).
new_bundle failhook sh -c 'sleep 100' "mark-$PFX-failhook"
cfg_edit "$TMP/b/failhook" "c['hooks']={'createRuntime':[{'path':'/bin/false'}]}"
rtc create --bundle "$TMP/b/failhook" --pid-file "$TMP/fail.pid" "$(cid failhook)"
isnt "create with a failing createRuntime hook fails" 0 "$RC"
[ ! -e "$TMP/fail.pid" ] && pass "the failed create removed its pid file" || fail "the failed create removed its pid file"
long_bundle keep
rtc run -d --pid-file "$TMP/keep.pid" --bundle "$TMP/b/keep" "$(cid keep)"
rtc delete --force "$(cid keep)"
[ -s "$TMP/keep.pid" ] && pass "delete leaves the --pid-file in place, as runc and crun" || fail "delete leaves the --pid-file in place, as runc and crun"

# ---------------------------------------------------------------- 10. exec cwd

# A directory fd leaked into berth exec must not become the process' cwd (CVE-2024-21626).
mkdir -p "$TMP/hostdir"
touch "$TMP/hostdir/HOSTFILE-$PFX"
long_bundle cwd
rtc run -d --bundle "$TMP/b/cwd" "$(cid cwd)"
out=$(rt exec --cwd /proc/self/fd/7 "$(cid cwd)" ls 7<"$TMP/hostdir" 2>&1)
rc=$?
isnt "exec --cwd /proc/self/fd/N (a leaked host dir): refused" 0 "$rc"
unlike "... and the host dir was never listed" "$out" "HOSTFILE-$PFX"
like "... saying why" "$out" "working directory"
out=$(rt exec --cwd /proc/self/cwd "$(cid cwd)" pwd 2>&1)
isnt "exec --cwd through another magic link: refused" 0 "$?"
out=$(rt exec --cwd /etc "$(cid cwd)" pwd 2>&1)
is "exec --cwd /etc still works" "/etc" "$out"
rtc delete --force "$(cid cwd)"

# ---------------------------------------------------------------- 13. sessions

long_bundle sess1
rtc create --bundle "$TMP/b/sess1" "$(cid sess1)"
init=$(init_of sess1)
is "create: the init leads its own session" "$init" "$(awk '{ print $6 }' "/proc/$init/stat")"
isnt "create: not the caller's session" "$(awk '{ print $6 }' /proc/$$/stat)" "$(awk '{ print $6 }' "/proc/$init/stat")"
rtc delete --force "$(cid sess1)"
long_bundle sess2
rtc run -d --bundle "$TMP/b/sess2" "$(cid sess2)"
init=$(init_of sess2)
is "run -d: the init leads its own session" "$init" "$(awk '{ print $6 }' "/proc/$init/stat")"
rtc delete --force "$(cid sess2)"

finish
