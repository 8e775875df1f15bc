#!/bin/bash
# OCI hooks: prestart, createRuntime, createContainer, startContainer, poststart, poststop run in
# that order, in the namespaces the runtime spec names, with the state JSON on stdin, their args,
# env and timeout; failures fail create (or keep the process from running), except poststart and
# poststop, which only warn.
. "$(dirname "$0")/lib.sh"

# $H holds the hook scripts and their log on the host; it is bind-mounted at /hx in the containers,
# so the startContainer hook (its path resolves in the container) is /hx/hook.sh, the same script.
H=$TMP/hk
mkdir -p "$H"
LOG=$H/log
# hook.sh PHASE ARG...: log "PHASE<TAB>stdin<TAB>mount ns<TAB>args<TAB>$HOOKVAR" next to itself.
cat >"$H/hook.sh" <<'EOF'
#!/bin/sh
in=$(cat)
printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$in" "$(readlink /proc/self/ns/mnt)" "$*" "${HOOKVAR-unset}" \
        "${BERTH_IT_HOOKLEAK-unset}" >>"$(dirname "$0")/log"
EOF
cat >"$H/fail.sh" <<'EOF'
#!/bin/sh
cat >/dev/null
echo "fail.sh says no" >&2
exit 1
EOF
printf '#!/bin/sh\nexec sleep 10\n' >"$H/sleep.sh"
chmod 0755 "$H"/*.sh

# hooked NAME HOOKS-PYTHON: bundle NAME whose process logs "process" to the hook log, with $H at
# /hx and c["hooks"] = HOOKS-PYTHON, where hk(PHASE, ARG..., **fields) is a hook.sh entry (host
# path), hx(PHASE) the same script by its container path and fail, sleep the other scripts.
hooked() {
        new_bundle "$1" sh -c 'echo process >>/hx/log' "mark-$PFX-$1"
        cfg_edit "$TMP/b/$1" 'mount("/hx", "bind", "'"$H"'", ["rbind", "rw"])' \
                "H = '$H'" \
                'def hk(p, *a, **kw):
    d = {"path": H + "/hook.sh", "args": ["hook.sh", p] + list(a)}
    d.update(kw)
    return d' \
                'def hx(p): return {"path": "/hx/hook.sh", "args": ["hook.sh", p]}' \
                'fail = {"path": H + "/fail.sh"}' \
                'sleep = {"path": H + "/sleep.sh", "timeout": 1}' \
                "c['hooks'] = $2"
}

ALL='{"prestart": [hk("prestart")], "createRuntime": [hk("createRuntime", "a b", "c", env=["HOOKVAR=v1"])],
      "createContainer": [hk("createContainer")], "startContainer": [hx("startContainer")],
      "poststart": [hk("poststart")], "poststop": [hk("poststop")]}'

# hk_field PHASE KEY: from the first log line of PHASE, a key of its stdin JSON, or mnt, args,
# env (its $HOOKVAR), leak (its $BERTH_IT_HOOKLEAK).
hk_field() {
        python3 - "$LOG" "$1" "$2" <<'PY'
import json, sys
log, phase, key = sys.argv[1:]
try:
    lines = open(log).read().splitlines()
except OSError:
    lines = []
for l in lines:
    f = l.split("\t")
    if f[0] != phase:
        continue
    cols = {"mnt": 2, "args": 3, "env": 4, "leak": 5}
    if key in cols:
        print(f[cols[key]] if len(f) > cols[key] else "")
    else:
        try:
            print(json.loads(f[1]).get(key, ""))
        except Exception:
            print("BADJSON")
    break
PY
}
# phases: the hook phases in the log, in order, without the process' line.
phases() { cut -f1 "$LOG" 2>/dev/null | grep -vx process | paste -sd ' '; }
# after A B: A's first line comes before B's in the log.
after() { awk -v a="$1" -v b="$2" -F '\t' '$1 == a && !x { x = NR } $1 == b && !y { y = NR } END { exit !(x && y && x < y) }' "$LOG"; }

host_mnt=$(readlink /proc/self/ns/mnt)
# runc 1.1.5 runs poststart hooks at create, with status "created" (fixed in runc 1.2).
EARLY="runc 1.1 runs poststart hooks at create"

# ---- create + start + delete
id=$(cid all)
hooked all "$ALL"
: >"$LOG"
export BERTH_IT_HOOKLEAK=leaked
rtc create --bundle "$TMP/b/all" "$id"
unset BERTH_IT_HOOKLEAK
is "create exits 0 (all hooks)" 0 "$RC"
pid=$(state_field "$id" pid)
ctr_mnt=$(readlink "/proc/$pid/ns/mnt")
runc_is "$EARLY" "create ran prestart, createRuntime, createContainer in order" \
        "prestart createRuntime createContainer" "$(phases)"
for p in prestart createRuntime createContainer; do
        is "$p: state id" "$id" "$(hk_field $p id)"
        is "$p: state status creating" creating "$(hk_field $p status)"
done
for p in prestart createRuntime; do
        is "$p: state pid is the init's host pid" "$pid" "$(hk_field $p pid)"
done
runc_is "runc passes the pid in the container's pid namespace" \
        "createContainer: state pid is the init's host pid" "$pid" "$(hk_field createContainer pid)"
is "createRuntime: state bundle" "$TMP/b/all" "$(hk_field createRuntime bundle)"
is "createRuntime runs in the host's mount namespace" "$host_mnt" "$(hk_field createRuntime mnt)"
is "prestart runs in the host's mount namespace" "$host_mnt" "$(hk_field prestart mnt)"
isnt "the container has a mount namespace of its own" "$host_mnt" "$ctr_mnt"
is "createContainer runs in the container's mount namespace" "$ctr_mnt" "$(hk_field createContainer mnt)"
is "hook args arrive (args[1:])" "createRuntime a b c" "$(hk_field createRuntime args)"
is "hook env arrives" v1 "$(hk_field createRuntime env)"
is "a hook without env gets none" unset "$(hk_field prestart env)"
runc_is "runc gives hooks without env its own environment" \
        "the caller's environment does not reach hooks" unset "$(hk_field createRuntime leak)"
if grep -qx process "$LOG"; then fail "the process does not run at create"; else pass "the process does not run at create"; fi

rtc start "$id"
is "start exits 0 (all hooks)" 0 "$RC"
wait_status "$id" stopped
runc_is "$EARLY" "start ran startContainer and poststart" \
        "prestart createRuntime createContainer startContainer poststart" "$(phases)"
if after startContainer process; then pass "startContainer runs before the process"; else fail "startContainer runs before the process" "$(cat "$LOG")"; fi
is "startContainer runs in the container's mount namespace" "$ctr_mnt" "$(hk_field startContainer mnt)"
is "startContainer: state status created" created "$(hk_field startContainer status)"
runc_is "runc passes the pid in the container's pid namespace" \
        "startContainer: state pid is the init's host pid" "$pid" "$(hk_field startContainer pid)"
runc_is "$EARLY" "poststart: state status running" running "$(hk_field poststart status)"
is "poststart: state pid" "$pid" "$(hk_field poststart pid)"
is "poststart runs in the host's mount namespace" "$host_mnt" "$(hk_field poststart mnt)"

rtc delete "$id"
is "delete exits 0 (all hooks)" 0 "$RC"
runc_is "$EARLY" "delete ran poststop last" \
        "prestart createRuntime createContainer startContainer poststart poststop" "$(phases)"
is "poststop: state id" "$id" "$(hk_field poststop id)"
is "poststop: state status stopped" stopped "$(hk_field poststop status)"
is "poststop runs in the host's mount namespace" "$host_mnt" "$(hk_field poststop mnt)"
is "process ran once" 1 "$(grep -cx process "$LOG")"

# ---- run: the same order in one command
hooked runall "$ALL"
: >"$LOG"
ctr_run runall
is "run exits 0 (all hooks)" 0 "$RC"
runc_is "$EARLY" "run ran every phase in order" \
        "prestart createRuntime createContainer startContainer poststart poststop" "$(phases)"
if after startContainer process; then pass "run: startContainer runs before the process"; else fail "run: startContainer runs before the process" "$(cat "$LOG")"; fi
runc_is "$EARLY" "run: poststart status running" running "$(hk_field poststart status)"
is "run: poststop status stopped" stopped "$(hk_field poststop status)"
is "run: poststop id" "$(cid runall)" "$(hk_field poststop id)"

# ---- the same with a namespace joined by path (berth forks a stage 1 that reports the init's pid)
id=$(cid joined)
hooked joined "$ALL"
cfg_edit "$TMP/b/joined" 'ns_set("network", "/proc/self/ns/net")'
: >"$LOG"
rtc create --bundle "$TMP/b/joined" "$id"
is "create exits 0 (joined netns)" 0 "$RC"
pid=$(state_field "$id" pid)
is "joined netns: createRuntime gets the init's host pid" "$pid" "$(hk_field createRuntime pid)"
rtc start "$id"
wait_status "$id" stopped
rtc delete "$id"
runc_is "$EARLY" "joined netns: every phase in order" \
        "prestart createRuntime createContainer startContainer poststart poststop" "$(phases)"

# ---- no hooks at all: nothing logged, nothing in the way
new_bundle plain sh -c 'echo process >>/hx/log' "mark-$PFX-plain"
cfg_edit "$TMP/b/plain" 'mount("/hx", "bind", "'"$H"'", ["rbind", "rw"])'
: >"$LOG"
ctr_run plain
is "run without hooks exits 0" 0 "$RC"
is "run without hooks: only the process logged" process "$(cat "$LOG")"

# nothing_left ID NAME WHAT: no state, no process, no mount after a failed create.
nothing_left() {
        local left
        if [ -e "$STATE/$1" ]; then fail "$3: no state dir left" "$(ls -la "$STATE/$1")"; else pass "$3: no state dir left"; fi
        rt state "$1" >/dev/null 2>&1 && fail "$3: state fails afterwards" || pass "$3: state fails afterwards"
        left=$(pids_matching "mark-$PFX-$2")$(pids_matching "$1")
        [ -z "$left" ] && pass "$3: no process left" || fail "$3: no process left" "$left"
        left=$(mounts_under "$TMP/b/$2")$(mounts_under "$H")
        [ -z "$left" ] && pass "$3: no mount left on the host" || fail "$3: no mount left on the host" "$left"
}

# ---- a failing createRuntime hook fails create and leaves nothing
id=$(cid failrt)
hooked failrt '{"createRuntime": [hk("createRuntime"), fail, hk("never")], "createContainer": [hk("createContainer")]}'
: >"$LOG"
rtc create --bundle "$TMP/b/failrt" "$id"
isnt "create fails when a createRuntime hook fails" 0 "$RC"
msg_like "the error names the hook" "$ERR" "$H/fail.sh"
msg_like "the error names the phase" "$ERR" "createRuntime"
msg_like "the error gives the exit status" "$ERR" "exit status 1"
like "the hook's stderr reaches ours" "$ERR" "fail.sh says no"
is "the hooks before it ran, none after" createRuntime "$(phases)"
nothing_left "$id" failrt "failed createRuntime"

# ---- a failing createContainer hook too
id=$(cid failcc)
hooked failcc '{"createContainer": [fail]}'
rtc create --bundle "$TMP/b/failcc" "$id"
isnt "create fails when a createContainer hook fails" 0 "$RC"
msg_like "createContainer failure: the error names the hook" "$ERR" "$H/fail.sh"
nothing_left "$id" failcc "failed createContainer"

# ---- a missing hook binary
id=$(cid nohook)
hooked nohook '{"createRuntime": [{"path": "/nonexistent-'"$PFX"'"}]}'
rtc create --bundle "$TMP/b/nohook" "$id"
isnt "create fails when a hook does not exist" 0 "$RC"
like "the error names the missing hook" "$ERR" "/nonexistent-$PFX"
nothing_left "$id" nohook "missing hook"

# ---- timeout
id=$(cid slow)
hooked slow '{"createRuntime": [sleep]}'
t0=$(date +%s%N)
rtc create --bundle "$TMP/b/slow" "$id"
ms=$((($(date +%s%N) - t0) / 1000000))
isnt "create fails when a hook times out" 0 "$RC"
if [ "$ms" -lt 2500 ]; then pass "the timeout (1 s) is honoured (${ms} ms)"; else fail "the timeout (1 s) is honoured" "took ${ms} ms" "$ERR"; fi
msg_like "the error says it timed out" "$ERR" "timed out after 1 s"
nothing_left "$id" slow "timed-out hook"
left=$(pids_matching "$H/sleep.sh")
[ -z "$left" ] && pass "the timed-out hook was killed" || fail "the timed-out hook was killed" "$left"

# ---- a failing startContainer hook keeps the process from running
hooked failsc '{"startContainer": [{"path": "/hx/fail.sh"}], "poststop": [hk("poststop")]}'
: >"$LOG"
ctr_run failsc
isnt "run fails when a startContainer hook fails" 0 "$RC"
if grep -qx process "$LOG"; then fail "the process does not run after a failed startContainer hook" "$(cat "$LOG")"; else pass "the process does not run after a failed startContainer hook"; fi
like "startContainer failure: the hook's stderr reaches ours" "$ERR" "fail.sh says no"
[ -e "$STATE/$(cid failsc)" ] && fail "run removes the container after a failed startContainer hook" || pass "run removes the container after a failed startContainer hook"

# ---- failing poststart and poststop hooks only warn; the others still run
failpost() {
id=$(cid failpost)
hooked failpost '{"poststart": [fail, hk("poststart")], "poststop": [fail, hk("poststop")]}'
: >"$LOG"
rtc create --bundle "$TMP/b/failpost" "$id"
is "create exits 0 (failing poststart/poststop)" 0 "$RC"
rtc start "$id"
runc_is "runc 1.1 fails start and kills the container on a poststart failure" \
        "start exits 0 despite a failing poststart hook" 0 "$RC"
msg_like "the poststart failure is a warning (\", ignoring\")" "$ERR" ", ignoring"
like "the poststart warning names the hook" "$ERR" "$H/fail.sh"
is "the poststart hook after the failing one ran" poststart "$(phases)"
wait_status "$id" stopped
rtc delete "$id"
is "delete exits 0 despite a failing poststop hook" 0 "$RC"
msg_like "the poststop failure is a warning (\", ignoring\")" "$ERR" ", ignoring"
is "the poststop hook after the failing one ran" "poststart poststop" "$(phases)"
if [ -e "$STATE/$id" ]; then fail "delete removes the state dir despite a failing poststop hook"; else pass "delete removes the state dir despite a failing poststop hook"; fi
}
if [ "$RT_NAME" = runc ]; then
        skip "failing poststart/poststop with create, start, delete: $EARLY and fails create"
else
        failpost
fi

hooked runfailpost '{"poststart": [fail, hk("poststart")], "poststop": [fail, hk("poststop")]}'
: >"$LOG"
ctr_run runfailpost
runc_is "runc 1.1 fails run on a poststart failure" "run exits 0 despite failing poststart/poststop hooks" 0 "$RC"
runc_is "runc 1.1 stops at the failing poststart hook" \
        "run: the other poststart and poststop hooks ran" "poststart poststop" "$(phases)"

# ---- delete --force of a created container runs poststop
id=$(cid forced)
hooked forced '{"poststop": [hk("poststop")]}'
: >"$LOG"
rtc create --bundle "$TMP/b/forced" "$id"
rtc delete --force "$id"
is "delete --force of a created container exits 0" 0 "$RC"
is "delete --force runs poststop" poststop "$(phases)"
is "poststop after a forced delete: status stopped" stopped "$(hk_field poststop status)"

finish
