#!/bin/bash
# Bad input: every error exits non-zero, says what is wrong (berth's wording, see DESIGN.md §7) and
# leaves nothing behind: no state dir, no new mount, no process, no cgroup.
. "$(dirname "$0")/lib.sh"

# msg_like_re DESC STDERR REGEX: like msg_like, with an extended regex.
msg_like_re() {
        if printf '%s' "$2" | grep -qiE -- "$3"; then
                pass "$1"
        elif [ "$RT_NAME" != berth ]; then
                skip "$1: $RT_NAME wording differs"
        else
                fail "$1" "expected stderr to match: /$3/" "got: '$2'"
        fi
}

# leftovers ID NAME MOUNTS-BEFORE: print what a failed command left behind.
leftovers() {
        local id=$1 name=$2 before=$3 p d
        if [ -n "$id" ] && [ -e "$STATE/$id" ]; then echo "state dir $STATE/$id: $(ls "$STATE/$id" | paste -sd ' ')"; fi
        if [ "$(mounts_under "$TMP/" | wc -l)" != "$before" ]; then
                echo "mounts:"
                mounts_under "$TMP/"
        fi
        for p in $(pids_matching "mark-$PFX") ${name:+$(pids_matching "$TMP/b/$name")}; do
                alive "$p" && echo "process $p: $(tr '\0' ' ' <"/proc/$p/cmdline")"
        done
        if [ -n "$id" ]; then
                for d in /sys/fs/cgroup/*/"$id" /sys/fs/cgroup/unified/*/"$id"; do
                        [ -d "$d" ] && echo "cgroup $d"
                done
        fi
}

# bad DESC NEEDLE ID NAME CMD...: `CMD` (runtime arguments) fails, stderr contains NEEDLE (berth;
# skipped when empty), and nothing of container ID / bundle NAME is left.
bad() {
        local desc=$1 needle=$2 id=$3 name=$4 before left
        shift 4
        before=$(mounts_under "$TMP/" | wc -l)
        rtc "$@"
        isnt "$desc: fails" 0 "$RC"
        [ -n "$needle" ] && msg_like "$desc: says '$needle'" "$ERR" "$needle"
        left=$(leftovers "$id" "$name" "$before")
        if [ -z "$left" ]; then pass "$desc: leaves nothing behind"; else fail "$desc: leaves nothing behind" "$left"; fi
}

# bbundle NAME: a bundle whose process would show our marker (it must never start).
bbundle() {
        new_bundle "$1" sh -c 'sleep 100' "mark-$PFX-$1"
        [ $# -gt 1 ] && cfg_edit "$TMP/b/$1" "${@:2}"
}

# ---- bundle and config.json
bad "missing bundle dir" "$TMP/b/nonexistent" "$(cid nob)" nonexistent create --bundle "$TMP/b/nonexistent" "$(cid nob)"

mkdir -p "$TMP/b/noconf"
bad "missing config.json" "$TMP/b/noconf" "$(cid noconf)" noconf create --bundle "$TMP/b/noconf" "$(cid noconf)"

skip "unreadable config.json: chmod 000 does not stop root"

bbundle syntax
printf '{\n  "ociVersion": "1.0.2",\n  "process": {,}\n}\n' >"$TMP/b/syntax/config.json"
bad "config.json syntax error" "" "$(cid syntax)" syntax create --bundle "$TMP/b/syntax" "$(cid syntax)"
msg_like_re "config.json syntax error: names file, line and column" "$ERR" 'config\.json:[0-9]+:[0-9]+'

bbundle type1 'c["process"]["args"]="sh"'
bad "process.args is a string" "process.args" "$(cid type1)" type1 create --bundle "$TMP/b/type1" "$(cid type1)"

bbundle type2 'c["process"]["user"]["uid"]="0"'
bad "process.user.uid is a string" "process.user.uid" "$(cid type2)" type2 create --bundle "$TMP/b/type2" "$(cid type2)"

bbundle type3 'c["linux"]["namespaces"]=[{"type":"network"},{"type":5}]'
bad "linux.namespaces[].type is a number" "linux.namespaces" "$(cid type3)" type3 create --bundle "$TMP/b/type3" "$(cid type3)"

bbundle emptyargs 'c["process"]["args"]=[]'
bad "empty process.args" "args" "$(cid emptyargs)" emptyargs create --bundle "$TMP/b/emptyargs" "$(cid emptyargs)"

bbundle relcwd 'c["process"]["cwd"]="tmp"'
bad "relative process.cwd" "cwd" "$(cid relcwd)" relcwd create --bundle "$TMP/b/relcwd" "$(cid relcwd)"

bbundle reldest 'mount("mnt/rel", "tmpfs", "tmpfs")'
if [ "$RT_NAME" = runc ]; then
        skip "relative mount destination: runc 1.1.5 accepts it with a warning"
        skip "relative mount destination: (message)"
        skip "relative mount destination: (leftovers)"
else
        bad "relative mount destination" "mnt/rel" "$(cid reldest)" reldest create --bundle "$TMP/b/reldest" "$(cid reldest)"
fi

bbundle term 'c["process"]["terminal"]=True'
bad "terminal without --console-socket" "terminal" "$(cid term)" term create --bundle "$TMP/b/term" "$(cid term)"

# ---- executables that do not exist
new_bundle noexe "/nonexistent-$PFX" "mark-$PFX"
bad "nonexistent absolute executable (run)" "" "$(cid noexe)" noexe run --bundle "$TMP/b/noexe" "$(cid noexe)"
like_re "nonexistent absolute executable: says not found" "$ERR" "(executable file not found|[Nn]o such file)"
bad "nonexistent absolute executable (create)" "" "$(cid noexe2)" noexe create --bundle "$TMP/b/noexe" "$(cid noexe2)"
like_re "nonexistent executable at create: says not found" "$ERR" "(executable file not found|[Nn]o such file)"
new_bundle nopath "nonexistent-$PFX" "mark-$PFX"
bad "executable not in PATH" "" "$(cid nopath)" nopath run --bundle "$TMP/b/nopath" "$(cid nopath)"
like_re "executable not in PATH: says not found" "$ERR" "(executable file not found|[Nn]o such file)"

# ---- failures late in create (after namespaces and mounts exist): nothing may be left, and the
# process must not have run
# late NAME DESC NEEDLE-RE CFG-EDIT...
late() {
        local name=$1 desc=$2 re=$3
        shift 3
        new_bundle "$name" sh -c 'echo RAN; sleep 100' "mark-$PFX-$name"
        cfg_edit "$TMP/b/$name" "$@"
        bad "$desc" "" "$(cid "$name")" "$name" run --bundle "$TMP/b/$name" "$(cid "$name")"
        unlike "$desc: the process did not run" "$OUT" RAN
        [ -n "$re" ] && like_re "$desc: says why" "$ERR" "$re"
}
late lbind "bind mount of a missing source" "$TMP/nonexistent" 'mount("/mnt/x", "bind", "'"$TMP/nonexistent"'", ["bind"])'
late lsysctl "unknown sysctl" "nonexistent_xyz" 'c["linux"]["sysctl"]={"net.ipv4.nonexistent_xyz":"1"}'
late lrlimit "rlimit above the hard limit (no CAP_SYS_RESOURCE)" "" \
        'c["process"]["rlimits"]=[{"type":"RLIMIT_NOFILE","soft":1048576,"hard":1048576}]'
late loom "lowering oomScoreAdj (no CAP_SYS_RESOURCE)" "" 'c["process"]["oomScoreAdj"]=-500'
late lcwd "cwd is a file" "" 'c["process"]["cwd"]="/bin/busybox"'
late ldev "device of an unknown type" "" 'c["linux"]["devices"]=[{"path":"/dev/x","type":"q","major":1,"minor":3}]'
late lperm "executable without x permission" "[Pp]ermission denied" 'c["process"]["args"]=["/etc/passwd"]'
is "late failures leave no state entries" "" "$(ls -A "$STATE")"

# ---- container ids
bbundle idb
for badid in a/b .. "" "../$PFX-esc" "a b"; do
        bad "invalid id '$badid'" "Invalid container id" "" idb create --bundle "$TMP/b/idb" "$badid"
done
is "invalid ids make no state entries" "" "$(ls -A "$STATE")"
[ -e "$TMP/$PFX-esc" ] && fail "id '../x' does not escape the state root" || pass "id '../x' does not escape the state root"

for cmd in start state kill delete; do
        bad "$cmd of an unknown id" "does not exist" "$(cid unknown)" "" $cmd "$(cid unknown)"
done
# runc (and the engines that call it after a failed create) treat this as done: exit 0
rtc delete --force "$(cid unknown)"
is "delete --force of an unknown id succeeds, as with runc" 0 "$RC"
is "delete --force of an unknown id: makes no state entry" "" "$(ls -A "$STATE")"

# ---- operations that conflict with an existing container
id=$(cid dup)
new_bundle dup sleep 100
rtc create --bundle "$TMP/b/dup" "$id"
is "create the first container" 0 "$RC"
pid=$(state_field "$id" pid)
rtc create --bundle "$TMP/b/dup" "$id"
isnt "duplicate create fails" 0 "$RC"
msg_like "duplicate create: says 'already exists'" "$ERR" "already exists"
is "duplicate create: first container still created" created "$(state_field "$id" status)"
is "duplicate create: first container's pid unchanged" "$pid" "$(state_field "$id" pid)"
rtc run --bundle "$TMP/b/dup" "$id"
isnt "run with a duplicate id fails" 0 "$RC"
msg_like "run with a duplicate id: says 'already exists'" "$ERR" "already exists"
is "run with a duplicate id: first container still created" created "$(state_field "$id" status)"

rtc start "$id"
is "start the first container" 0 "$RC"
rtc start "$id"
isnt "start twice fails" 0 "$RC"
msg_like "start twice: says 'Cannot start'" "$ERR" "Cannot start"
is "start twice: container still running" running "$(state_field "$id" status)"

rtc delete "$id"
isnt "delete of a running container fails" 0 "$RC"
msg_like "delete of a running container: says 'running'" "$ERR" "running"
is "delete of a running container: still running" running "$(state_field "$id" status)"
[ -d "$STATE/$id" ] && pass "delete of a running container: state dir kept" || fail "delete of a running container: state dir kept"

rtc kill "$id" NOSUCHSIG
isnt "kill with an unknown signal fails" 0 "$RC"
is "kill with an unknown signal: still running" running "$(state_field "$id" status)"

rtc kill "$id" KILL
wait_status "$id" stopped
rtc kill "$id" TERM
isnt "kill of a stopped container fails" 0 "$RC"
rtc start "$id"
isnt "start of a stopped container fails" 0 "$RC"
msg_like "start of a stopped container: says 'Cannot start'" "$ERR" "Cannot start"
rtc delete "$id"
is "delete of the stopped container" 0 "$RC"
is "nothing left in the state root" "" "$(ls -A "$STATE")"

finish
