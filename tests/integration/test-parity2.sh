#!/bin/bash
# runc parity, part 2 (issue 13): exec (--env replaces, -p from a pipe, exit 255 on failure),
# hooks (createContainer's cwd, the runtime's environment), kill ID 0, run --keep, options that are
# refused instead of ignored, help and version. Where runc 1.1.5 behaves the same, the same steps
# run through runc in this run and the results are compared.
. "$(dirname "$0")/lib.sh"

# runc_rt ARG...: runc with its own state root (nothing when runc is not installed).
runc_rt() { timeout -k 5 "$RT_TIMEOUT" "$RUNC" --root "$TMP/runc-state" "$@"; }
# rrtc ARG...: runc_rt with stdio on files, as rtc. Sets RRC, ROUT, RERR.
rrtc() {
        RRC= ROUT= RERR=
        [ -n "$RUNC" ] || return 0
        runc_rt "$@" </dev/null >"$TMP/rout" 2>"$TMP/rerr"
        RRC=$?
        ROUT=$(cat "$TMP/rout")
        RERR=$(cat "$TMP/rerr")
}

# ---- a running container for exec and kill, with berth and with runc
new_bundle box sleep 1000
E=$(cid box)
rtc run -d --bundle "$TMP/b/box" "$E"
is "run -d of the exec box" 0 "$RC"
[ -n "$RUNC" ] && rrtc run -d --bundle "$TMP/b/box" "$E-runc"

# exec --env KEY=VALUE replaces KEY (PATH is in the config) and adds a new one once.
rtc exec -e PATH=/bin:/replaced -e NEWVAR=1 "$E" /bin/env
is "exec --env: exits 0" 0 "$RC"
got=$(printf '%s\n' "$OUT" | grep -E '^(PATH|NEWVAR)=' | sort | paste -sd ' ')
is "exec --env replaces PATH and adds NEWVAR, one of each" "NEWVAR=1 PATH=/bin:/replaced" "$got"
if [ -n "$RUNC" ]; then
        rrtc exec -e PATH=/bin:/replaced -e NEWVAR=1 "$E-runc" /bin/env
        same_as_runc "exec --env: PATH and NEWVAR" "$got" \
                "$(printf '%s\n' "$ROUT" | grep -E '^(PATH|NEWVAR)=' | sort | paste -sd ' ')"
else
        same_as_runc "exec --env: PATH and NEWVAR" "$got" ""
fi

# exec -p from a pipe (/dev/stdin) and from a process substitution (/dev/fd/N).
proc='{"args":["/bin/echo","from-a-pipe"],"cwd":"/","env":["PATH=/bin"]}'
out=$(printf '%s' "$proc" | rt exec -p /dev/stdin "$E" 2>&1)
is "exec -p /dev/stdin (a pipe)" "from-a-pipe" "$out"
out=$(rt exec -p <(printf '%s' "$proc") "$E" 2>&1 </dev/null)
is "exec -p /dev/fd/N (process substitution)" "from-a-pipe" "$out"
if [ -n "$RUNC" ]; then
        rout=$(printf '%s' "$proc" | runc_rt exec -p /dev/stdin "$E-runc" 2>&1)
        same_as_runc "exec -p /dev/stdin" "$out" "$rout"
else
        same_as_runc "exec -p /dev/stdin" "$out" ""
fi
# A pipe larger than the cap is refused, not read without end.
python3 -c 'import sys; sys.stdout.write("{\"args\":[\"/bin/true\"],\"cwd\":\"/\",\"env\":[\"" + "x" * (5 << 20) + "\"]}")' \
        >"$TMP/big.json"
rt exec -p /dev/stdin "$E" <"$TMP/big.json" >/dev/null 2>"$TMP/err"   # a regular file here
msg_like "exec -p: an oversized file is refused" "$(cat "$TMP/err")" "larger than"
cat "$TMP/big.json" | rt exec -p /dev/stdin "$E" >/dev/null 2>"$TMP/err"
RC=$?
is "exec -p: an oversized pipe is refused (255)" 255 "$RC"

# A failed exec exits 255, as runc: no such container, no such binary, a bad process.json.
echo '{bad' >"$TMP/bad.json"
checks=("no such container|$PFX-nosuch /bin/true" "no such binary|$E /nonexistent" "bad process.json|-p $TMP/bad.json $E")
for c in "${checks[@]}"; do
        what=${c%%|*} args=${c#*|}
        # shellcheck disable=SC2086
        rtc exec $args
        is "exec fails with 255: $what" 255 "$RC"
        if [ -n "$RUNC" ]; then
                # shellcheck disable=SC2086
                rrtc exec ${args//$E/$E-runc}
                same_as_runc "exec exit status: $what" "$RC" "$RRC"
        else
                same_as_runc "exec exit status: $what" "$RC" ""
        fi
done

# Options berth cannot apply are refused, not ignored: a label for an LSM this host lacks, a
# sub-cgroup berth does not make.
for o in "--apparmor x:AppArmor is not enabled on this host" "--process-label x:SELinux is disabled" \
        "--cgroup x:not supported"; do
        # shellcheck disable=SC2086
        rtc exec ${o%%:*} "$E" /bin/true
        isnt "exec ${o%%:*} fails" 0 "$RC"
        msg_like "exec ${o%%:*}: says why (${o#*:})" "$ERR" "${o#*:}"
done
rtc --rootless true list
isnt "--rootless true fails" 0 "$RC"
msg_like "--rootless true: says not supported" "$ERR" "not supported"
rtc --criu /bin/true list
isnt "--criu fails" 0 "$RC"
msg_like "--criu: says not supported" "$ERR" "not supported"
rtc --rootless false list
is "--rootless false is accepted (berth runs as root)" 0 "$RC"

# kill ID 0: 0 while running, an error once stopped; kill of a stopped container fails clearly.
rtc kill "$E" 0
is "kill ID 0 on a running container exits 0" 0 "$RC"
rrtc kill "$E-runc" 0
same_as_runc "kill ID 0 on a running container" "$RC" "$RRC"
rtc kill "$E" KILL
wait_status "$E" stopped
rtc kill "$E" 0
isnt "kill ID 0 on a stopped container fails" 0 "$RC"
msg_like "kill ID 0 on a stopped container: says it is not running" "$ERR" "is not running"
k0=$RC
rtc kill "$E" TERM
isnt "kill of a stopped container fails" 0 "$RC"
msg_like "kill of a stopped container: says it is not running" "$ERR" "is not running"
if [ -n "$RUNC" ]; then
        rrtc kill "$E-runc" KILL
        for ((i = 0; i < 100; i++)); do
                runc_rt state "$E-runc" 2>/dev/null | grep -q '"stopped"' && break
                sleep 0.02
        done
        rrtc kill "$E-runc" 0
        same_as_runc "kill ID 0 on a stopped container" "$k0" "$RRC"
else
        same_as_runc "kill ID 0 on a stopped container" "$k0" ""
fi
rt delete "$E" >/dev/null 2>&1
[ -n "$RUNC" ] && runc_rt delete --force "$E-runc" >/dev/null 2>&1

# ---- run --keep: the stopped container stays (exit status kept) until delete
new_bundle keep sh -c 'exit 3'
K=$(cid keep)
ctr_run keep --keep
is "run --keep returns the exit status" 3 "$RC"
is "run --keep: the container stays, stopped" stopped "$(state_field "$K" status)"
rtc delete "$K"
is "run --keep: delete removes it" "0 " "$RC $(state_field "$K" status)"
if [ -n "$RUNC" ]; then
        rrtc run --keep --bundle "$TMP/b/keep" "$K-runc"
        same_as_runc "run --keep: exit status" 3 "$RRC"
        same_as_runc "run --keep: status after exit" stopped \
                "$(runc_rt state "$K-runc" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
        runc_rt delete "$K-runc" >/dev/null 2>&1
else
        same_as_runc "run --keep: exit status" 3 ""
        same_as_runc "run --keep: status after exit" stopped ""
fi
new_bundle nokeep true
ctr_run nokeep
is "run without --keep: the container is gone" "" "$(state_field "$(cid nokeep)" status)"

# ---- hooks: createContainer runs in the container's root; a hook without env gets ours
cat >"$TMP/hook.sh" <<'EOF'
#!/bin/sh
{ echo "CWD $(pwd)"; echo "MARK ${PARITY2_MARK:-unset}"; echo "PATH=$PATH"; } >"$1"
EOF
chmod 0755 "$TMP/hook.sh"
new_bundle hk true
cfg_edit "$TMP/b/hk" "c['hooks'] = {'createContainer': [{'path': '$TMP/hook.sh', 'args': ['hook.sh', '$TMP/hk.out']}],
        'createRuntime': [{'path': '$TMP/hook.sh', 'args': ['hook.sh', '$TMP/hk-rt.out']}]}"
export PARITY2_MARK=from-the-runtime-$$
ctr_run hk
is "run with hooks exits 0" 0 "$RC"
is "createContainer hook: cwd is the container's root" "CWD $ROOTFS" "$(grep ^CWD "$TMP/hk.out" 2>/dev/null)"
is "createContainer hook without env: the process' environment, not the runtime's" "MARK unset" \
        "$(grep ^MARK "$TMP/hk.out" 2>/dev/null)"
is "createContainer hook without env: process.env (PATH)" "$(python3 -c 'import json,sys; print([e for e in json.load(open(sys.argv[1]))["process"]["env"] if e.startswith("PATH=")][0])' "$TMP/b/hk/config.json")" \
        "$(grep ^PATH= "$TMP/hk.out" 2>/dev/null)"
is "createRuntime hook without env: the runtime's environment" "MARK $PARITY2_MARK" \
        "$(grep ^MARK "$TMP/hk-rt.out" 2>/dev/null)"
if [ -n "$RUNC" ]; then
        rm -f "$TMP/hk.out" "$TMP/hk-rt.out"
        runc_run hk
        same_as_runc "createContainer hook: cwd" "CWD $ROOTFS" "$(grep ^CWD "$TMP/hk.out" 2>/dev/null)"
        same_as_runc "createContainer hook: environment" "MARK unset" "$(grep ^MARK "$TMP/hk.out" 2>/dev/null)"
        same_as_runc "createRuntime hook: environment" "MARK $PARITY2_MARK" "$(grep ^MARK "$TMP/hk-rt.out" 2>/dev/null)"
else
        same_as_runc "createContainer hook: cwd" "" ""
        same_as_runc "createContainer hook: environment" "" ""
        same_as_runc "createRuntime hook: environment" "" ""
fi
# A hook with env gets exactly that.
cfg_edit "$TMP/b/hk" "c['hooks'] = {'createContainer': [{'path': '$TMP/hook.sh', 'args': ['hook.sh', '$TMP/hk.out'], 'env': ['A=1']}]}"
ctr_run hk
is "createContainer hook with env: only that env" "MARK unset" "$(grep ^MARK "$TMP/hk.out" 2>/dev/null)"
unset PARITY2_MARK

# ---- a user namespace without a cgroup namespace on a cgroup v2 host: the host's cgroup2 is bound
# (the kernel refuses a fresh cgroup2 mount there, runc binds it too). The v2 host is made here with
# cgroup2 mounted on /sys/fs/cgroup in a private mount namespace.
new_bundle cg2 sh -c 'echo "T $(awk "\$5 == \"/sys/fs/cgroup\" { for (i = 7; \$i != \"-\"; i++); print \$(i + 1) }" /proc/self/mountinfo)"
        test -e /sys/fs/cgroup/cgroup.procs && echo "P yes"'
cfg_edit "$TMP/b/cg2" 'ns_set("user")' 'ns_del("cgroup")' \
        'c["linux"]["uidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]' \
        'c["linux"]["gidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]' \
        'c["mounts"]=[m for m in c["mounts"] if m["destination"] != "/sys/fs/cgroup"]' \
        'mount("/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"])'
unshare -m sh -c 'mount -t cgroup2 none /sys/fs/cgroup && exec "$@"' - \
        timeout -k 5 "$RT_TIMEOUT" "$BERTH" --root "$STATE" run --bundle "$TMP/b/cg2" "$(cid cg2)" \
        </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$? OUT=$(cat "$TMP/out") ERR=$(cat "$TMP/err")
is "user namespace without cgroup namespace on cgroup v2: run exits 0" 0 "$RC"
is "user namespace without cgroup namespace: /sys/fs/cgroup is the host's cgroup2" "cgroup2" \
        "$(printf '%s\n' "$OUT" | sed -n 's/^T //p')"
is "user namespace without cgroup namespace: the host's cgroup files are there" yes \
        "$(printf '%s\n' "$OUT" | sed -n 's/^P //p')"

# ---- no mount namespace: test-nomntns.sh

# ---- help, version, list owner
out=$(rt help kill 2>&1)
like "help kill prints kill's help" "$out" "Usage: berth kill"
out=$(rt help exec 2>&1)
like "help exec prints exec's help" "$out" "Usage: berth exec"
out=$(rt --help 2>&1)
missing=
for v in checkpoint create delete events exec features kill list pause ps restore resume run spec start state update; do
        printf '%s\n' "$out" | grep -qE "^  $v " || missing+=" $v"
done
is "--help lists every runc command" "" "$missing"
like "--help says which are not available yet" "$(printf '%s\n' "$out" | grep '^  checkpoint ')" "not available yet"
rtc checkpoint "$E"
isnt "an unavailable command fails" 0 "$RC"
msg_like "an unavailable command says so" "$ERR" "not available yet"
mkdir -p "$TMP/specdir"
rt spec --bundle "$TMP/specdir"
specv=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ociVersion"])' "$TMP/specdir/config.json")
is "--version's spec is the ociVersion spec writes" "spec: $specv" "$(rt --version | grep '^spec:')"
if [ -n "$RUNC" ]; then
        same_as_runc "--version's spec line" "$(rt --version | grep '^spec:')" "$("$RUNC" --version | grep '^spec:')"
else
        same_as_runc "--version's spec line" "" ""
fi
new_bundle own sleep 1000
rtc create --bundle "$TMP/b/own" "$(cid own)"
tab=$(rt list | awk -v id="$(cid own)" '$1 == id { print $NF }')
js=$(rt list --format json | ID=$(cid own) python3 -c 'import json,sys,os; print([c["owner"] for c in json.load(sys.stdin) if c["id"] == os.environ["ID"]][0])' 2>/dev/null)
is "list: the table shows owner root" root "$tab"
is "list --format json: the same owner as the table" "$tab" "$js"
rt delete --force "$(cid own)" >/dev/null 2>&1

finish
