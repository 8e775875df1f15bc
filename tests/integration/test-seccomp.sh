#!/bin/bash
# linux.seccomp, observed from inside the container: the filter is there (Seccomp: 2), each action
# does what it says, argument comparisons, ENOSYS for syscalls newer than the profile, NOTIFY with
# an agent, exec under the same filter. Where runc 1.1.5 behaves the same, the same bundle runs
# with runc too (same_as_runc).
. "$(dirname "$0")/lib.sh"

# berth's compiled-filter cache: a dir of this test's own (the cases below fill it; section "cache").
export BERTH_SECCOMP_CACHE_DIR=$TMP/sccache

# sysprobe: syscall NR ARGS from inside the container (static, into the shared rootfs).
if ! ${CC:-cc} -static -O2 -o "$ROOTFS/bin/sysprobe" "$SRCDIR/tests/helpers/sysprobe.c" 2>"$TMP/cc.err"; then
        echo "Bail out! cannot build tests/helpers/sysprobe.c statically: $(cat "$TMP/cc.err")"
        exit 99
fi

# x86_64 numbers (the only arch these machines have)
NR_GETPPID=110 NR_PERSONALITY=135 NR_GETPRIORITY=140 NR_GETPGID=121 NR_ADD_KEY=248

# seccomp NAME PYTHON-DICT: set linux.seccomp of bundle NAME
seccomp() { cfg_edit "$TMP/b/$1" "c['linux']['seccomp']=$2"; }

# ================================================================ the filter is loaded
new_bundle status sh -c 'grep "^Seccomp:" /proc/self/status'
seccomp status "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['kexec_load'],'action':'SCMP_ACT_ERRNO'}]}"
ctr_run status
is "run with a filter exits 0" 0 "$RC"
is "the container process is in seccomp filter mode (Seccomp: 2)" "Seccomp:	2" "$OUT"
is "no warning for a profile libseccomp fully knows" "" "$ERR"
new_bundle nofilter sh -c 'grep "^Seccomp:" /proc/self/status'
ctr_run nofilter
is "without linux.seccomp: Seccomp: 0" "Seccomp:	0" "$OUT"

# ================================================================ actions
new_bundle errno sh -c 'mkdir /tmp/x; echo rc=$?'
seccomp errno "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir','mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':123}]}"
ctr_run errno
like "SCMP_ACT_ERRNO with errnoRet 123: mkdir fails with ENOMEDIUM" "$ERR" "No medium found"
is "the shell sees mkdir fail" "rc=1" "$OUT"
runc_run errno
same_as_runc "errnoRet" "$OUT" "$ROUT"

new_bundle eperm /bin/sysprobe $NR_GETPPID
seccomp eperm "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],'action':'SCMP_ACT_ERRNO'}]}"
ctr_run eperm
is "SCMP_ACT_ERRNO without errnoRet: EPERM" "ret=-1 errno=EPERM" "$OUT"

for act in KILL KILL_PROCESS KILL_THREAD; do
        new_bundle "kill-$act" sh -c "/bin/sysprobe $NR_GETPRIORITY 0 0; echo rc=\$?"
        seccomp "kill-$act" "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getpriority'],'action':'SCMP_ACT_$act'}]}"
        ctr_run "kill-$act"
        is "SCMP_ACT_$act: the process dies of SIGSYS (128+31)" "rc=159" "$OUT"
done

new_bundle trap /bin/sysprobe -t $NR_GETPPID
seccomp trap "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],'action':'SCMP_ACT_TRAP'}]}"
ctr_run trap
is "SCMP_ACT_TRAP: a SIGSYS handler sees the syscall" "trapped syscall=$NR_GETPPID" "$OUT"
runc_run trap
same_as_runc "SCMP_ACT_TRAP" "$OUT" "$ROUT"

# LOG: the syscall runs even though the default action would refuse it, and the kernel logs it
new_bundle log /bin/sysprobe $NR_GETPPID
seccomp log "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['getppid'],'action':'SCMP_ACT_LOG'},
        {'names':['execve','brk','arch_prctl','set_tid_address','set_robust_list','rseq','prlimit64','mprotect',
        'readlinkat','readlink','getrandom','newfstatat','fstat','write','exit_group','uname','access','mmap','munmap'],
        'action':'SCMP_ACT_ALLOW'}]}"
dmesg_before=$(dmesg 2>/dev/null | grep -c 'type=1326.*syscall=110')
ctr_run log
like_re "SCMP_ACT_LOG: getppid runs (the default would be EPERM)" "$OUT" '^ret=[0-9]+ errno=0$'
if dmesg >/dev/null 2>&1; then
        sleep 0.2
        if [ "$(dmesg | grep -c 'type=1326.*syscall=110')" -gt "$dmesg_before" ]; then
                pass "SCMP_ACT_LOG: the kernel logged the syscall (audit type=1326)"
        else
                skip "SCMP_ACT_LOG: no audit line in dmesg (kernel log rate-limited or audit elsewhere)"
        fi
else
        skip "SCMP_ACT_LOG: dmesg not readable"
fi

# ================================================================ argument comparisons
# personality(0xffffffff) (a query) allowed, anything else EPERM: podman's profile does this.
new_bundle args sh -c "/bin/sysprobe $NR_PERSONALITY 0xffffffff; /bin/sysprobe $NR_PERSONALITY 8;
        /bin/sysprobe $NR_GETPRIORITY 0x13 0; /bin/sysprobe $NR_GETPRIORITY 0 0;
        /bin/sysprobe $NR_GETPGID 5000; /bin/sysprobe $NR_GETPGID 0; /bin/sysprobe $NR_GETPPID 1 2; /bin/sysprobe $NR_GETPPID 3 2"
seccomp args "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[
        {'names':['personality'],'action':'SCMP_ACT_ERRNO','args':[{'index':0,'value':4294967295,'op':'SCMP_CMP_NE'}]},
        {'names':['getpriority'],'action':'SCMP_ACT_ERRNO','errnoRet':123,
         'args':[{'index':0,'value':240,'valueTwo':16,'op':'SCMP_CMP_MASKED_EQ'}]},
        {'names':['getpgid'],'action':'SCMP_ACT_ERRNO','errnoRet':33,'args':[{'index':0,'value':1000,'op':'SCMP_CMP_GT'}]},
        {'names':['getppid'],'action':'SCMP_ACT_ERRNO','errnoRet':34,
         'args':[{'index':0,'value':2,'op':'SCMP_CMP_LT'},{'index':1,'value':2,'op':'SCMP_CMP_GE'}]}]}"
ctr_run args
mapfile -t L <<<"$OUT"
like_re "SCMP_CMP_NE: personality(0xffffffff) is allowed" "${L[0]}" '^ret=[0-9]+ errno=0$'
is "SCMP_CMP_NE: personality(8) is refused" "ret=-1 errno=EPERM" "${L[1]}"
is "SCMP_CMP_MASKED_EQ: getpriority(0x13) matches (0x13 & 0xf0 == 0x10)" "ret=-1 errno=ENOMEDIUM" "${L[2]}"
like_re "SCMP_CMP_MASKED_EQ: getpriority(0) does not match" "${L[3]}" 'errno=0$'
is "SCMP_CMP_GT: getpgid(5000) matches" "ret=-1 errno=EDOM" "${L[4]}"
like_re "SCMP_CMP_GT: getpgid(0) does not match" "${L[5]}" 'errno=0$'
is "two conditions on different args are ANDed (1 < 2 and 2 >= 2)" "ret=-1 errno=ERANGE" "${L[6]}"
like_re "... and (3 < 2) fails the rule" "${L[7]}" 'errno=0$'
runc_run args
same_as_runc "argument comparisons" "$OUT" "$ROUT"

# ================================================================ ENOSYS for syscalls newer than the profile
# podman's default profile (its unconditional part), with EPERM as the default errno so that the two
# answers differ: a syscall it does not list but could have (add_key) gets EPERM, one above every
# syscall it names gets ENOSYS (a libc then falls back, as for clone3 and faccessat2).
new_bundle enosys sh -c "/bin/sysprobe 1000; /bin/sysprobe $NR_ADD_KEY 0 0 0 0 0; /bin/sysprobe $NR_GETPPID"
"$SRCDIR/tests/lib/podman-seccomp-profile.py" "$TMP/b/enosys/config.json" 1
ctr_run enosys
mapfile -t L <<<"$OUT"
is "podman's profile: an unknown newer syscall (1000) gets ENOSYS" "ret=-1 errno=ENOSYS" "${L[0]}"
is "podman's profile: an unlisted older syscall (add_key) gets the default EPERM" "ret=-1 errno=EPERM" "${L[1]}"
like_re "podman's profile: a listed syscall runs" "${L[2]}" '^ret=[0-9]+ errno=0$'
runc_run enosys
same_as_runc "ENOSYS stub" "$OUT" "$ROUT"

# ================================================================ capabilities without no_new_privs
# Loading a filter without no_new_privs needs CAP_SYS_ADMIN, which the config does not grant here:
# the load still works, and the program does not get the capability.
new_bundle caps sh -c 'grep -E "^(Seccomp|CapEff|CapPrm|NoNewPrivs):" /proc/self/status'
cfg_edit "$TMP/b/caps" 'c["process"]["noNewPrivileges"]=False' \
        'c["process"]["capabilities"]={k: ["CAP_CHOWN","CAP_KILL"] for k in ("bounding","effective","permitted")}'
seccomp caps "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['kexec_load'],'action':'SCMP_ACT_ERRNO'}]}"
ctr_run caps
like "root without CAP_SYS_ADMIN and no_new_privs: filter loaded" "$OUT" "Seccomp:	2"
like "... no_new_privs stays off" "$OUT" "NoNewPrivs:	0"
like "... CAP_SYS_ADMIN is not in the effective set (CAP_CHOWN|CAP_KILL only)" "$OUT" "CapEff:	0000000000000021"
like "... nor in the permitted set" "$OUT" "CapPrm:	0000000000000021"
cfg_edit "$TMP/b/caps" 'c["process"]["user"]={"uid":1000,"gid":1000}' \
        'c["process"]["capabilities"]={}'
ctr_run caps
like "uid 1000 without capabilities: filter loaded" "$OUT" "Seccomp:	2"
like "... with no capability left" "$OUT" "CapEff:	0000000000000000"
like "... none permitted" "$OUT" "CapPrm:	0000000000000000"

# ================================================================ exec gets the same filter
new_bundle ex sleep 30
seccomp ex "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir','mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':123}]}"
rtc run -d --bundle "$TMP/b/ex" "$(cid ex)"
is "run -d with a filter" 0 "$RC"
rt exec "$(cid ex)" sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /tmp/y 2>&1; echo rc=$?' >"$TMP/out" 2>&1
OUT=$(cat "$TMP/out")
like "exec: Seccomp: 2" "$OUT" "Seccomp:	2"
like "exec: the init's errno rule applies (ENOMEDIUM)" "$OUT" "No medium found"
cat >"$TMP/proc.json" <<'J'
{"args": ["/bin/sysprobe", "-t", "83", "0", "0"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}
J
OUT=$(rt exec --process "$TMP/proc.json" "$(cid ex)" 2>&1)
is "exec --process: mkdir(83) under the same filter" "ret=-1 errno=ENOMEDIUM" "$OUT"
# the profile changed in the bundle after create changes nothing: the compiled filter is kept
seccomp ex "{'defaultAction':'SCMP_ACT_ALLOW'}"
OUT=$(rt exec --process "$TMP/proc.json" "$(cid ex)" 2>&1)
is "exec uses the filter compiled at create, not the bundle's current profile" "ret=-1 errno=ENOMEDIUM" "$OUT"
rt delete --force "$(cid ex)" >/dev/null 2>&1

# ================================================================ unknown syscall names
new_bundle unknown sh -c 'grep "^Seccomp:" /proc/self/status'
seccomp unknown "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['no_such_call','getppid','nor_this'],'action':'SCMP_ACT_ERRNO'}]}"
ctr_run unknown
is "unknown syscall names: the container runs" "0:Seccomp:	2" "$RC:$OUT"
msg_like "unknown syscall names: one warning naming them" "$ERR" "2 syscall names unknown to libseccomp"
is "... on one line" 1 "$(printf '%s\n' "$ERR" | grep -c unknown)"
cfg_edit "$TMP/b/unknown" 'c["annotations"]={"run.oci.seccomp_fail_unknown_syscall":"1"}'
ctr_run unknown
isnt "run.oci.seccomp_fail_unknown_syscall=1: refused" 0 "$RC"
msg_like "... naming the syscall" "$ERR" "unknown syscall 'no_such_call'"

# ================================================================ NOTIFY
# (meson passes the helper; run-one.sh relies on the default, as test-faults.sh and test-terminal.sh do)
SECCOMP_AGENT=${SECCOMP_AGENT:-$SRCDIR/build/tests/seccomp-agent}
AGENT_DIR=$TMP/agent
mkdir -p "$AGENT_DIR"
"$SECCOMP_AGENT" "$TMP/agent.sock" "$AGENT_DIR" &
AGENT=$!
wait_file "$TMP/agent.sock" 200 || [ -S "$TMP/agent.sock" ]
NOTIFY_PROFILE="{'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'$TMP/agent.sock','listenerMetadata':'meta \"x\"',
        'syscalls':[{'names':['mkdir','mkdirat'],'action':'SCMP_ACT_NOTIFY'}]}"
new_bundle notify sh -c 'mkdir /tmp/n; echo rc=$?; [ -d /tmp/n ] && echo exists || echo absent'
seccomp notify "$NOTIFY_PROFILE"
ctr_run notify
is "NOTIFY: run exits 0" 0 "$RC"
is "NOTIFY: the agent answered mkdir with success, without running it" "rc=0 absent" "$(printf '%s' "$OUT" | paste -sd ' ')"
like "NOTIFY: the agent saw mkdir (83)" "$(cat "$AGENT_DIR/log" 2>/dev/null)" "syscall=83"
python3 - "$AGENT_DIR/state.0" "$(cid notify)" >"$TMP/st" 2>&1 <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(s["fds"], s["metadata"], s["state"]["id"] == sys.argv[2], s["pid"] > 0, s["pid"] == s["state"]["pid"], s["ociVersion"])
PY
is "NOTIFY: the agent got the container process state (fds, metadata, state, pid)" \
        "['seccompFd'] meta \"x\" True True True 1.0.2" "$(cat "$TMP/st")"

# create + start: the init sends the listener when released
rtc create --bundle "$TMP/b/notify" "$(cid notify2)"
is "NOTIFY: create" 0 "$RC"
rtc start "$(cid notify2)"
is "NOTIFY: start" 0 "$RC"
for i in $(seq 100); do [ -e "$AGENT_DIR/state.1" ] && break; sleep 0.05; done
like "NOTIFY with create/start: the agent got the state" "$(cat "$AGENT_DIR/state.1" 2>/dev/null)" "\"id\":\"$(cid notify2)\""
rt delete --force "$(cid notify2)" >/dev/null 2>&1

# exec: a listener of its own, with the exec'd process' pid
new_bundle notifyx sleep 30
seccomp notifyx "$NOTIFY_PROFILE"
rtc run -d --bundle "$TMP/b/notifyx" "$(cid notifyx)"
is "NOTIFY: run -d" 0 "$RC"
OUT=$(rt exec "$(cid notifyx)" sh -c 'mkdir /tmp/m; echo rc=$?; [ -d /tmp/m ] && echo exists || echo absent' 2>&1)
is "NOTIFY: exec'd process notified and answered" "rc=0 absent" "$(printf '%s' "$OUT" | paste -sd ' ')"
python3 - "$AGENT_DIR" "$(cid notifyx)" >"$TMP/st" 2>&1 <<'PY'
import json, os, sys
states = [json.load(open(os.path.join(sys.argv[1], f))) for f in sorted(os.listdir(sys.argv[1])) if f.startswith("state.")]
mine = [s for s in states if s["state"]["id"] == sys.argv[2]]
print(len(mine), len(mine) == 2 and mine[0]["pid"] != mine[1]["pid"] and mine[1]["state"]["status"] == "running")
PY
is "NOTIFY: init and exec each sent a state, the exec one with its own pid" "2 True" "$(cat "$TMP/st")"
rt delete --force "$(cid notifyx)" >/dev/null 2>&1
kill "$AGENT" 2>/dev/null
wait "$AGENT" 2>/dev/null

# no agent: a clear error at create, nothing hangs, nothing is left
new_bundle noagent sh -c 'mkdir /tmp/n'
seccomp noagent "{'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'$TMP/nobody.sock','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_NOTIFY'}]}"
start=$(date +%s%N)
ctr_run noagent
took=$((($(date +%s%N) - start) / 1000000))
isnt "NOTIFY without an agent: run fails" 0 "$RC"
msg_like "... saying so" "$ERR" "Failed to connect to the seccomp agent at '$TMP/nobody.sock'"
check "... at once (${took} ms), without hanging" test "$took" -lt 3000
check "... leaving no state dir" test ! -e "$STATE/$(cid noagent)"

# ================================================================ the compiled-filter cache
# Every case above stored its program; run them again with a cold compile (cache off) and from the
# warm cache: the same behaviour, and the debug log says where the program came from.
ctr_run_debug() { # as ctr_run, with --debug
        timeout -k 5 "$RT_TIMEOUT" "$BERTH" --debug --root "$STATE" run --bundle "$TMP/b/$1" "$(cid "$1")" \
                </dev/null >"$TMP/out" 2>"$TMP/err"
        RC=$?
        OUT=$(cat "$TMP/out")
        ERR=$(cat "$TMP/err")
}
if [ "$RT_NAME" != berth ]; then
        skip "seccomp filter cache: berth only ($RT_NAME)"
else
        for name in status errno eperm trap args enosys kill-KILL; do
                BERTH_SECCOMP_CACHE_DIR=off ctr_run "$name"
                cold=$OUT
                ctr_run_debug "$name"
                like "cache: '$name' takes its filter from the warm cache" "$ERR" "seccomp filter from cache"
                is "cache: '$name' behaves the same with the cached filter" "$cold" "$OUT"
        done

        # podman's profile, from an empty cache: compiled and stored, then loaded from the cache
        new_bundle podcache sh -c "grep '^Seccomp:' /proc/self/status; /bin/sysprobe 1000; /bin/sysprobe $NR_ADD_KEY 0 0 0 0 0"
        "$SRCDIR/tests/lib/podman-seccomp-profile.py" "$TMP/b/podcache/config.json"
        rm -rf "$BERTH_SECCOMP_CACHE_DIR"
        want=$(printf 'Seccomp:\t2\nret=-1 errno=ENOSYS\nret=-1 errno=ENOSYS')
        ctr_run_debug podcache
        like "cache: podman's profile, first run: compiled" "$ERR" "seccomp filter compiled"
        like "cache: ... and stored" "$ERR" "Seccomp filter stored in the cache"
        is "cache: first run: Seccomp: 2, newer syscall ENOSYS, unlisted add_key the default ENOSYS(38)" "$want" "$OUT"
        is "cache: the dir is 0700" "700" "$(stat -c %a "$BERTH_SECCOMP_CACHE_DIR")"
        entry=$(ls "$BERTH_SECCOMP_CACHE_DIR")
        is "cache: one entry, named by a SHA-256, mode 0600" "1 600" \
                "$(ls "$BERTH_SECCOMP_CACHE_DIR" | grep -cE '^[0-9a-f]{64}$') $(stat -c %a "$BERTH_SECCOMP_CACHE_DIR/$entry")"
        ctr_run_debug podcache
        like "cache: second run: the filter comes from the cache" "$ERR" "seccomp filter from cache"
        is "cache: second run: the same behaviour (Seccomp: 2, ENOSYS)" "$want" "$OUT"

        # tampered: one byte of the program changed -> rebuilt, never loaded
        python3 -c 'import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) - 40] ^= 0xff; open(p, "wb").write(b)' \
                "$BERTH_SECCOMP_CACHE_DIR/$entry"
        ctr_run_debug podcache
        like "cache: a tampered entry is noticed" "$ERR" "is damaged, ignoring"
        like "... and the filter compiled again" "$ERR" "seccomp filter compiled"
        is "... with the right behaviour" "$want" "$OUT"
        ctr_run_debug podcache
        like "cache: the rebuilt entry is used next time" "$ERR" "seccomp filter from cache"

        # an entry others can write is not trusted: rebuilt and replaced (0600 again)
        chmod 0666 "$BERTH_SECCOMP_CACHE_DIR/$entry"
        ctr_run_debug podcache
        like "cache: a group/other-writable entry is not trusted" "$ERR" "is not trusted"
        like "... the filter is compiled" "$ERR" "seccomp filter compiled"
        is "... and the entry replaced (0600)" "600" "$(stat -c %a "$BERTH_SECCOMP_CACHE_DIR/$entry")"

        # a cache dir others can write is refused with a warning; the container runs all the same
        chmod 0777 "$BERTH_SECCOMP_CACHE_DIR"
        ctr_run_debug podcache
        is "cache: an untrusted cache dir does not fail the run" "0 $want" "$RC $OUT"
        like "... it is refused with a warning" "$ERR" "Refusing to use the seccomp filter cache"
        like "... and the filter compiled" "$ERR" "seccomp filter compiled"
        chmod 0700 "$BERTH_SECCOMP_CACHE_DIR"

        # exec loads the init's saved program (not the cache): still Seccomp: 2
        new_bundle podexec sleep 30
        "$SRCDIR/tests/lib/podman-seccomp-profile.py" "$TMP/b/podexec/config.json"
        rtc run -d --bundle "$TMP/b/podexec" "$(cid podexec)"
        is "cache: exec into a container created from the cache: Seccomp: 2" "Seccomp:	2" \
                "$(rt exec "$(cid podexec)" grep '^Seccomp:' /proc/self/status 2>&1)"
        rt delete --force "$(cid podexec)" >/dev/null 2>&1
fi

# ================================================================ bad profiles: refused before anything happens
new_bundle badop true
seccomp badop "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_ERRNO','args':[{'index':0,'value':1,'op':'SCMP_CMP_SOMETIMES'}]}]}"
ctr_run badop
isnt "unknown operator: refused" 0 "$RC"
msg_like "... naming the JSON path" "$ERR" "linux.seccomp.syscalls[0].args[0].op: unknown operator 'SCMP_CMP_SOMETIMES'"
check "... leaving no state dir" test ! -e "$STATE/$(cid badop)"

# features reports what berth applies (runc's JSON shape; its top-level keys as runc's).
out=$(rt features 2>&1)
is "features: seccomp enabled, with NOTIFY, MASKED_EQ and x86_64; no AppArmor/SELinux on this host" \
        "True True True True False False" "$(printf '%s' "$out" | python3 -c '
import json, sys
f = json.load(sys.stdin)["linux"]
s = f["seccomp"]
print(s["enabled"], "SCMP_ACT_NOTIFY" in s["actions"], "SCMP_CMP_MASKED_EQ" in s["operators"],
      "SCMP_ARCH_X86_64" in s["archs"], f["apparmor"]["enabled"], f["selinux"]["enabled"])' 2>&1)"
if command -v runc >/dev/null; then
        rt features >"$TMP/features.berth"
        is "features: every top-level key runc 1.1.5 prints is there (runtime-spec 1.2 adds more)" "" \
                "$(runc features | python3 -c 'import json, sys
ours = json.load(open(sys.argv[1]))
print(" ".join(k for k in json.load(sys.stdin) if k not in ours))' "$TMP/features.berth")"
else
        skip "features compared with runc: runc not installed"
fi

finish
