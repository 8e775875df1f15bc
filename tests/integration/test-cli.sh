#!/bin/bash
# CLI odds and ends: spec (and that the runtime runs its own spec), --log/--log-format,
# --version/--help, unknown commands, create --pid-file, --preserve-fds.
. "$(dirname "$0")/lib.sh"

# ---- spec
mkdir -p "$TMP/spec"
(cd "$TMP/spec" && rtc spec)
RC=$? ERR=$(cat "$TMP/rtc.err")
is "spec exits 0" 0 "$RC"
res=$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
ns = sorted(n["type"] for n in c["linux"]["namespaces"])
print(c["process"]["args"], c["process"]["terminal"], c["root"]["path"], c["root"]["readonly"], ns)' "$TMP/spec/config.json" 2>&1)
is "spec writes runc's default config.json" "['sh'] True rootfs True ['ipc', 'mount', 'network', 'pid', 'uts']" "$res"
cp "$TMP/spec/config.json" "$TMP/spec.orig"
echo '{"mark": 1}' >"$TMP/spec/config.json"
(cd "$TMP/spec" && rtc spec)
RC=$? ERR=$(cat "$TMP/rtc.err")
isnt "spec refuses to overwrite config.json" 0 "$RC"
is "spec leaves an existing config.json alone" '{"mark": 1}' "$(cat "$TMP/spec/config.json")"
msg_like "spec on an existing file: names it" "$ERR" "config.json"

mkdir -p "$TMP/spec2/rel"
(cd "$TMP/spec2" && rtc spec --bundle rel)
RC=$? ERR=$(cat "$TMP/rtc.err")
is "spec --bundle exits 0" 0 "$RC"
[ -s "$TMP/spec2/rel/config.json" ] && pass "spec --bundle: relative to the caller's cwd" || fail "spec --bundle: relative to the caller's cwd" "$ERR"

mkdir -p "$TMP/spec3"
rtc spec --rootless --bundle "$TMP/spec3"
is "spec --rootless exits 0" 0 "$RC"
res=$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
ns = [n["type"] for n in c["linux"]["namespaces"]]
print("user" in ns, "network" in ns, bool(c["linux"].get("uidMappings")), bool(c["linux"].get("gidMappings")))' "$TMP/spec3/config.json" 2>&1)
is "spec --rootless: user namespace with mappings, no network namespace" "True False True True" "$res"

# the runtime runs its own default spec (args and terminal changed, our rootfs)
mkdir -p "$TMP/b/ownspec"
python3 - "$TMP/spec.orig" "$TMP/b/ownspec/config.json" "$ROOTFS" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "echo from-spec"]
c["root"]["path"] = sys.argv[3]
json.dump(c, open(sys.argv[2], "w"))
PY
ctr_run ownspec
is "run of the runtime's own spec exits 0" 0 "$RC"
is "run of the runtime's own spec prints" from-spec "$OUT"

# ---- --log / --log-format
rm -f "$TMP/log.json"
"$BERTH" --root "$STATE" --log "$TMP/log.json" --log-format json state "$(cid nope)" >/dev/null 2>&1
isnt "state of an unknown id fails (with --log)" 0 $?
res=$(python3 -c '
import json, sys
data = open(sys.argv[1]).read()
if not data:
    print("empty"); sys.exit()
lines = data.splitlines()
try:
    objs = [json.loads(l) for l in lines]
except Exception as e:
    print("bad line: %r" % e); sys.exit()
ok = all("level" in o and "msg" in o and "time" in o for o in objs)
err = any(o["level"] == "error" for o in objs)
print("ok" if ok and err and data.endswith("\n") else "fields/level/newline: %r" % data)' "$TMP/log.json" 2>&1)
is "--log-format json: one JSON object (level, msg, time) per line, newline-terminated, error logged" ok "$res"
rm -f "$TMP/log.txt"
"$BERTH" --root "$STATE" --log "$TMP/log.txt" --log-format text state "$(cid nope)" >/dev/null 2>&1
[ -s "$TMP/log.txt" ] && pass "--log-format text: the error is logged" || fail "--log-format text: the error is logged"
(cd "$TMP" && "$BERTH" --root "$STATE" --log rel.log --log-format json state "$(cid nope)" >/dev/null 2>&1)
[ -s "$TMP/rel.log" ] && pass "--log relative to the caller's cwd" || fail "--log relative to the caller's cwd" "$(ls "$TMP")"

# ---- --version, --help, unknown command
out=$("$BERTH" --version 2>&1)
is "--version exits 0" 0 $?
like_re "--version prints a version" "$out" '[0-9]+\.[0-9]+'
"$BERTH" --help >/dev/null 2>&1
is "--help exits 0" 0 $?
rtc no-such-command-"$PFX"
isnt "unknown command fails" 0 "$RC"

# ---- create --pid-file
id=$(cid cpid)
new_bundle cpid sleep 100
rtc create --pid-file "$TMP/cpid.pid" --bundle "$TMP/b/cpid" "$id"
is "create --pid-file exits 0" 0 "$RC"
is "create --pid-file holds the state pid" "$(state_field "$id" pid)" "$(tr -d ' \n' <"$TMP/cpid.pid" 2>/dev/null)"
rt delete --force "$id" >/dev/null 2>&1

# ---- --preserve-fds
echo preserved >"$TMP/fd3"
new_bundle pfd sh -c 'cat <&3; ls /proc/self/fd | sort -n | paste -sd " "'
rt run --preserve-fds 1 --bundle "$TMP/b/pfd" "$(cid pfd)" </dev/null 3<"$TMP/fd3" >"$TMP/out" 2>"$TMP/err"
is "run --preserve-fds 1 exits 0" 0 $?
is "--preserve-fds 1: fd 3 reaches the container" preserved "$(head -n 1 "$TMP/out")"
new_bundle nofd sh -c 'ls /proc/self/fd | sort -n | paste -sd " "'
rt run --bundle "$TMP/b/nofd" "$(cid nofd)" </dev/null 3<"$TMP/fd3" 4<"$TMP/fd3" >"$TMP/out" 2>"$TMP/err"
# ls's own directory fd is the only one above 2
like_re "without --preserve-fds only 0 1 2 reach the container" "$(cat "$TMP/out")" '^0 1 2( [0-9]+)?$'

finish
