#!/bin/bash
# exec: a new process in every namespace of a created and of a running container (also a user
# namespace), what it gets (user, groups, umask, rlimits, cwd, env, capabilities, no_new_privs,
# --process), exit status and signals, `exec -d --pid-file`, fd passing (--preserve-fds and socket
# activation through LISTEN_FDS/LISTEN_PID, a socket accepted inside the container), and the refusals
# (malformed process.json, bad console socket, --preserve-fds beyond the open fds, non-numeric user,
# unknown, stopped container, missing command), each starting nothing.
. "$(dirname "$0")/lib.sh"

tag() { printf '%s\n' "$OUT" | sed -n "s/^$1 //p" | head -n 1; }

# ex ARG...: `exec ARG...` with stdio on files. Sets RC, OUT, ERR.
ex() { rtc exec "$@"; }

# ns_lines NSLIST: a script printing "TYPE LINK" for each namespace type of NSLIST.
ns_lines() { echo 'for n in '"$1"'; do echo "$n $(readlink /proc/self/ns/$n)"; done'; }

# ns_check LABEL ID NSLIST: exec into ID, each namespace link of the process equals the init's.
ns_check() {
        local label=$1 id=$2 pid n want
        pid=$(state_field "$id" pid)
        ex "$id" sh -c "$(ns_lines "$3")"
        is "$label: exec exits 0" 0 "$RC"
        for n in $3; do
                want=$(readlink "/proc/$pid/ns/$n")
                if [ -n "$want" ] && [ "$want" = "$(tag "$n")" ]; then
                        pass "$label: $n namespace is the init's"
                else
                        fail "$label: $n namespace is the init's" "init $pid: '$want'" "exec: '$(tag "$n")'" "stderr: $ERR"
                fi
        done
}

# ns_pids PID: the live host pids in the pid namespace of PID, sorted.
ns_pids() {
        local want p
        want=$(readlink "/proc/$1/ns/pid") || return
        for p in /proc/[0-9]*; do
                p=${p#/proc/}
                [ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$want" ] && alive "$p" && echo "$p"
        done | sort -n | paste -sd ' '
}

# A static helper that accepts one connection on a listening fd and writes a line to it (busybox
# cannot accept on an inherited socket). Without a static libc the accept steps are skipped.
cat >"$TMP/acceptor.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv)
{
        int fd = argc > 1 ? atoi(argv[1]) : 3, c;
        const char *m = argc > 2 ? argv[2] : "accepted";
        alarm(10);
        c = accept(fd, NULL, NULL);
        if (c < 0) {
                perror("acceptor: accept");
                return 1;
        }
        if (write(c, m, strlen(m)) < 0 || write(c, "\n", 1) < 0)
                return 1;
        close(c);
        return 0;
}
C
ACCEPTOR=
if ${CC:-cc} -static -O2 -o "$TMP/acceptor" "$TMP/acceptor.c" >"$TMP/cc.err" 2>&1; then
        ACCEPTOR=$TMP/acceptor
fi

# fdwrap INFO MODE -- CMD...: a listening socket on fd 3 (MODE tcp: 127.0.0.1, a free port; unix:PATH),
# INFO gets "ADDRESS INODE", then CMD is exec'd (same pid). With ACTIVATE=self|other the environment
# gets LISTEN_FDS=1 and LISTEN_PID=<this pid> or 1.
cat >"$TMP/fdwrap.py" <<'PY'
import os, socket, sys
info, mode = sys.argv[1:3]
cmd = sys.argv[sys.argv.index("--") + 1:]
if mode == "tcp":
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    addr = str(s.getsockname()[1])
else:
    addr = mode[5:]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(addr)
s.listen(8)
if s.fileno() != 3:
    os.dup2(s.fileno(), 3)
    s.close()
os.set_inheritable(3, True)
with open(info + ".tmp", "w") as f:
    f.write("%s %d\n" % (addr, os.fstat(3).st_ino))
os.rename(info + ".tmp", info)
env = dict(os.environ)
act = env.pop("ACTIVATE", "")
if act:
    env["LISTEN_FDS"] = "1"
    env["LISTEN_PID"] = str(os.getpid()) if act == "self" else "1"
os.execve(cmd[0], cmd, env)
PY

# connect_read MODE ADDRESS: connect, print what the peer writes until it closes (5 s at most).
connect_read() {
        timeout -k 2 8 python3 - "$1" "$2" <<'PY'
import socket, sys
mode, addr = sys.argv[1:3]
if mode == "tcp":
    s = socket.create_connection(("127.0.0.1", int(addr)), timeout=5)
else:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(addr)
data = b""
while True:
    d = s.recv(4096)
    if not d:
        break
    data += d
print(data.decode().strip())
PY
}

# ================================================================ 1. namespaces

# The container everything is exec'd into: no new processes of its own (one long sleep), a config
# process with umask, rlimits, an env entry and no_new_privs off, the acceptor in its own rootfs.
BOX=$(cid box)
new_bundle box sh -c 'while :; do sleep 1000; done' "mark-$PFX-box"
own_rootfs box
[ -n "$ACCEPTOR" ] && cp "$ACCEPTOR" "$TMP/b/box/rootfs/bin/acceptor"
cfg_edit "$TMP/b/box" 'c["process"]["user"]["umask"]=0o27' \
        'c["process"]["rlimits"]=[{"type":"RLIMIT_NOFILE","soft":512,"hard":1024}]' \
        'c["process"]["env"].append("CFGVAR=from-config")' 'c["process"]["noNewPrivileges"]=False'
rtc create --bundle "$TMP/b/box" "$BOX"
is "create exits 0" 0 "$RC"
is "the container is created" created "$(state_field "$BOX" status)"
ns_check "created" "$BOX" "mnt pid net ipc uts cgroup user"
is "exec into a created container leaves it created" created "$(state_field "$BOX" status)"
rtc start "$BOX"
is "start exits 0" 0 "$RC"
wait_status "$BOX" running
is "the container runs" running "$(state_field "$BOX" status)"
ns_check "running" "$BOX" "mnt pid net ipc uts cgroup user"
BOXPID=$(state_field "$BOX" pid)

# ---- a user namespace (container 0 -> host 100000, 65536 ids)
UB=$(cid userns)
new_bundle userns sh -c 'while :; do sleep 1000; done' "mark-$PFX-userns"
cfg_edit "$TMP/b/userns" 'ns_set("user")' \
        'c["linux"]["uidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]' \
        'c["linux"]["gidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]'
rtc create --bundle "$TMP/b/userns" "$UB"
if [ "$RC" -eq 0 ]; then
        pass "create with a user namespace exits 0"
        ns_check "user namespace, created" "$UB" "user mnt pid net ipc uts cgroup"
        rtc start "$UB"
        wait_status "$UB" running
        ns_check "user namespace, running" "$UB" "user mnt pid net ipc uts cgroup"
        ex "$UB" cat /proc/self/uid_map
        is "user namespace: the exec'd process sees the uid map" "0 100000 65536" "$(echo $OUT)"
        ex "$UB" sh -c 'echo "U $(id -u)"'
        is "user namespace: exec runs as uid 0 inside" 0 "$(tag U)"
        ex -d --pid-file "$TMP/ub.pid" "$UB" sh -c 'sleep 1000' "mark-$PFX-userns-exec"
        p=$(cat "$TMP/ub.pid" 2>/dev/null)
        is "user namespace: the exec'd process runs as host uid 100000" 100000 \
                "$(awk '/^Uid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)"
elif [ "$RT_NAME" = berth ]; then
        # This machine can create user namespaces (DESIGN.md §8): berth failing here is a bug.
        fail "create with a user namespace exits 0" "exit $RC" "$ERR"
else
        skip "user namespace: $RT_NAME cannot create it here: $ERR"
fi
rt delete --force "$UB" >/dev/null 2>&1

# ================================================================ 2. what the exec'd process gets

ex -u 1000:1000 "$BOX" sh -c 'echo "U $(id -u)"; echo "G $(id -g)"; echo "S $(id -G)"; echo "H $HOME"'
is "-u 1000:1000: exec exits 0" 0 "$RC"
is "-u 1000:1000: id -u" 1000 "$(tag U)"
is "-u 1000:1000: id -g" 1000 "$(tag G)"
is "-u 1000:1000: no supplementary groups" 1000 "$(tag S)"
is "-u 1000:1000: HOME is the user's home from /etc/passwd" /home/user "$(tag H)"

ex -u 1000 "$BOX" sh -c 'echo "U $(id -u)"; echo "G $(id -g)"'
is "-u 1000 (no gid): id -u" 1000 "$(tag U)"
is "-u 1000 (no gid): gid 0" 0 "$(tag G)"

ex -u 1000:1000 --additional-gids 5 --additional-gids 6 "$BOX" sh -c 'echo "S $(id -G)"'
is "--additional-gids 5 --additional-gids 6: id -G" "1000 5 6" "$(tag S)"
ex -u 1000:1000 --additional-gids 5 -g 6 "$BOX" sh -c 'echo "S $(id -G)"'
runc_is "runc refuses both forms of one flag" "--additional-gids 5 -g 6: id -G" "1000 5 6" "$(tag S)"
ex -u 1000:1000 -g 5,6,7 "$BOX" sh -c 'echo "S $(id -G)"'
runc_is "runc takes one gid per -g" "-g 5,6,7 (comma list): id -G" "1000 5 6 7" "$(tag S)"

ex "$BOX" sh -c 'echo "M $(umask)"; echo "N $(awk "/^Max open files/ { print \$4, \$5 }" /proc/self/limits)"; echo "W $(pwd)"; echo "H $HOME"; echo "I $(id -u):$(id -g)"'
is "config: exec exits 0" 0 "$RC"
runc_is "runc 1.1.5 does not apply process.user.umask to exec" "umask from process.user.umask (0027)" 0027 "$(tag M)"
is "RLIMIT_NOFILE from the config (512 1024)" "512 1024" "$(tag N)"
is "cwd from the config (/)" / "$(tag W)"
is "HOME defaults to root's home" /root "$(tag H)"
is "user from the config (0:0)" 0:0 "$(tag I)"

ex --cwd /tmp "$BOX" pwd
is "--cwd /tmp: pwd" /tmp "$OUT"

ex -e FOO=bar -e "SPACED=a b" "$BOX" env
envl=$OUT
for v in FOO=bar "SPACED=a b" CFGVAR=from-config TERM=xterm HOME=/root \
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; do
        is "env has $v" "$v" "$(printf '%s\n' "$envl" | grep -xF -- "$v")"
done
ex -e CFGVAR=overridden "$BOX" sh -c 'echo "V $CFGVAR"'
is "-e overrides a config variable" overridden "$(tag V)"
export BERTH_IT_LEAK=leaked
ex "$BOX" env
unset BERTH_IT_LEAK
unlike "the caller's environment does not leak in" "$OUT" BERTH_IT_LEAK

# capabilities: the config's are AUDIT_WRITE, KILL, NET_BIND_SERVICE (0x20000420); SYS_ADMIN is bit 21
capbit() { local v; v=$(printf '%s\n' "$OUT" | awk -v k="$1:" '$1 == k { print $2 }'); [ -n "$v" ] && echo $(((0x$v >> $2) & 1)); }
ex "$BOX" grep -E '^(CapEff|CapBnd|NoNewPrivs):' /proc/self/status
is "no --cap: CapEff has no CAP_SYS_ADMIN" 0 "$(capbit CapEff 21)"
is "no --cap: CapEff has CAP_KILL (config)" 1 "$(capbit CapEff 5)"
is "no --no-new-privs, config false: NoNewPrivs 0" 0 "$(printf '%s\n' "$OUT" | awk '$1 == "NoNewPrivs:" { print $2 }')"
ex --cap CAP_SYS_ADMIN "$BOX" grep -E '^(CapEff|CapBnd|CapPrm):' /proc/self/status
is "--cap CAP_SYS_ADMIN: exec exits 0" 0 "$RC"
is "--cap CAP_SYS_ADMIN: CapEff bit 21" 1 "$(capbit CapEff 21)"
is "--cap CAP_SYS_ADMIN: CapBnd bit 21" 1 "$(capbit CapBnd 21)"
is "--cap CAP_SYS_ADMIN: CapPrm bit 21" 1 "$(capbit CapPrm 21)"
is "--cap CAP_SYS_ADMIN: the config's CAP_KILL stays" 1 "$(capbit CapEff 5)"
ex --no-new-privs "$BOX" grep '^NoNewPrivs:' /proc/self/status
is "--no-new-privs: NoNewPrivs 1" "NoNewPrivs:1" "$(printf '%s' "$OUT" | tr -d ' \t')"

# --process FILE: the process replaces the config's (no CFGVAR, its own user, cwd, env)
cat >"$TMP/process.json" <<J
{
        "terminal": false,
        "user": { "uid": 1000, "gid": 1000, "additionalGids": [ 7, 8 ] },
        "args": [ "sh", "-c", "echo \"I \$(id -u):\$(id -g)\"; echo \"S \$(id -G)\"; echo \"W \$(pwd)\"; echo \"E \$PJ\"; echo \"C [\$CFGVAR]\"; echo \"H \$HOME\"" ],
        "env": [ "PATH=/bin:/usr/bin", "PJ=from-process-json" ],
        "cwd": "/tmp"
}
J
ex --process "$TMP/process.json" "$BOX"
is "--process: exec exits 0" 0 "$RC"
is "--process: user" 1000:1000 "$(tag I)"
is "--process: additionalGids" "1000 7 8" "$(tag S)"
is "--process: cwd" /tmp "$(tag W)"
is "--process: env" from-process-json "$(tag E)"
is "--process: the config's env is not added" "[]" "$(tag C)"
is "--process: HOME defaults to the user's home" /home/user "$(tag H)"

# ================================================================ 3. exit status and signals

ex "$BOX" sh -c 'exit 9'
is "exit status 9 comes back" 9 "$RC"
ex "$BOX" sh -c 'kill -9 $$'
is "killed by SIGKILL: 137" 137 "$RC"
ex "$BOX" sh -c 'kill -TERM $$'
is "killed by SIGTERM: 143" 143 "$RC"

# SIGTERM to the foreground exec reaches the process; its trap decides the status
"$BERTH" --root "$STATE" exec "$BOX" sh -c 'trap "exit 42" TERM; echo ready; while :; do sleep 0.1; done' "mark-$PFX-sig" \
        </dev/null >"$TMP/sig.out" 2>"$TMP/sig.err" &
bpid=$!
wait_file "$TMP/sig.out" 500
kill -TERM "$bpid" 2>/dev/null
for ((i = 0; i < 1000; i++)); do kill -0 "$bpid" 2>/dev/null || break; sleep 0.01; done
kill -0 "$bpid" 2>/dev/null && kill -9 "$bpid"
wait "$bpid"
RC=$?
ERR=$(cat "$TMP/sig.err")
is "SIGTERM to the foreground exec: exit status 42 (the trap's)" 42 "$RC"
is "SIGTERM to the foreground exec: the process is gone" "" "$(pids_matching "mark-$PFX-sig")"

# ================================================================ 4. exec -d --pid-file

ex -d --pid-file "$TMP/det.pid" "$BOX" sh -c 'while :; do sleep 1000; done' "mark-$PFX-det"
is "exec -d exits 0" 0 "$RC"
dpid=$(cat "$TMP/det.pid" 2>/dev/null)
like_re "the pid file holds a pid" "$dpid" '^[0-9]+$'
sleep 0.3
if [ -n "$dpid" ] && alive "$dpid"; then pass "the process runs on after exec -d returned"; else fail "the process runs on after exec -d returned" "pid '$dpid'"; fi
like "its cmdline is the exec'd command" "$(tr '\0' ' ' <"/proc/$dpid/cmdline" 2>/dev/null)" "mark-$PFX-det"
is "it is in the container's pid namespace" "$(readlink "/proc/$BOXPID/ns/pid")" "$(readlink "/proc/$dpid/ns/pid" 2>/dev/null)"
nspid=$(awk '/^NSpid:/ { print NF - 1, $NF }' "/proc/$dpid/status" 2>/dev/null)
like_re "it has a pid inside the container's namespace too (NSpid)" "$nspid" '^2 [0-9]+$'
is "the container still runs" running "$(state_field "$BOX" status)"
kill -9 "$dpid" 2>/dev/null
for ((i = 0; i < 300; i++)); do alive "$dpid" || break; sleep 0.01; done

# ================================================================ 5. fd passing

# --preserve-fds 1, fd 3 a file: the process reads it
echo via-fd3 >"$TMP/fd3.txt"
rt exec --preserve-fds 1 "$BOX" sh -c 'cat <&3' 3<"$TMP/fd3.txt" </dev/null >"$TMP/out" 2>"$TMP/err"
RC=$?
is "--preserve-fds 1: exec exits 0" 0 "$RC"
is "--preserve-fds 1: the process reads fd 3" via-fd3 "$(cat "$TMP/out")"
rt exec "$BOX" sh -c 'readlink /proc/$$/fd/3 || echo closed' 3<"$TMP/fd3.txt" </dev/null >"$TMP/out" 2>/dev/null
is "without --preserve-fds fd 3 is not passed" closed "$(cat "$TMP/out")"

# --preserve-fds 1, fd 3 a listening unix socket: the same socket inside, and it accepts there
rm -f "$TMP/info"
timeout -k 5 "$RT_TIMEOUT" python3 "$TMP/fdwrap.py" "$TMP/info" "unix:$TMP/pres.sock" -- \
        "$BERTH" --root "$STATE" exec --preserve-fds 1 "$BOX" \
        sh -c 'printf "F "; readlink /proc/$$/fd/3; [ ! -x /bin/acceptor ] || /bin/acceptor 3 hello-preserved' "mark-$PFX-pres" \
        </dev/null >"$TMP/pres.out" 2>"$TMP/pres.err" &
wpid=$!
wait_file "$TMP/info" 500
read -r addr ino <"$TMP/info"
[ -n "$ACCEPTOR" ] && got=$(connect_read unix "$addr" 2>&1)
wait "$wpid"
RC=$?
OUT=$(cat "$TMP/pres.out")
ERR=$(cat "$TMP/pres.err")
is "--preserve-fds 1 (unix socket): exec exits 0" 0 "$RC"
is "--preserve-fds 1 (unix socket): fd 3 inside is the caller's socket" "socket:[$ino]" "$(tag F)"
if [ -n "$ACCEPTOR" ]; then
        is "--preserve-fds 1 (unix socket): a connection is accepted inside the container" hello-preserved "$got"
else
        skip "--preserve-fds 1: accept inside: no static C compiler ($(head -n 1 "$TMP/cc.err"))"
fi

# socket activation: LISTEN_PID is the runtime's own pid -> fd 3 and LISTEN_FDS/LISTEN_PID inside
# run_act NAME ACTIVATE SCRIPT: fdwrap (tcp) around `run` of bundle NAME running sh -c SCRIPT; connects
# when CONNECT is set (GOT = what came back). Sets RC, OUT, ERR, INO.
run_act() {
        local name=$1 act=$2 wpid addr
        new_bundle "$name" sh -c "$3" "mark-$PFX-$name"
        own_rootfs "$name"
        [ -n "$ACCEPTOR" ] && cp "$ACCEPTOR" "$TMP/b/$name/rootfs/bin/acceptor"
        rm -f "$TMP/info"
        ACTIVATE=$act timeout -k 5 "$RT_TIMEOUT" python3 "$TMP/fdwrap.py" "$TMP/info" tcp -- \
                "$BERTH" --root "$STATE" run --bundle "$TMP/b/$name" "$(cid "$name")" \
                </dev/null >"$TMP/act.out" 2>"$TMP/act.err" &
        wpid=$!
        wait_file "$TMP/info" 500
        read -r addr INO <"$TMP/info"
        GOT=
        [ -n "$CONNECT" ] && GOT=$(connect_read tcp "$addr" 2>&1)
        wait "$wpid"
        RC=$?
        OUT=$(cat "$TMP/act.out")
        ERR=$(cat "$TMP/act.err")
}
# (readlink is not run in $(...): the shell would hold the substitution's pipe on a low fd)
act_script='echo "L $LISTEN_FDS $LISTEN_PID"; printf "F "; readlink /proc/$$/fd/3 2>/dev/null || echo; printf "G "; readlink /proc/$$/fd/4 2>/dev/null || echo'
CONNECT=$ACCEPTOR run_act act self "$act_script"'; [ ! -x /bin/acceptor ] || /bin/acceptor 3 hello-activated'
is "socket activation: run exits 0" 0 "$RC"
is "socket activation: LISTEN_FDS=1 LISTEN_PID=1 inside" "1 1" "$(tag L)"
is "socket activation: fd 3 inside is the activation socket" "socket:[$INO]" "$(tag F)"
is "socket activation: no fd 4" "" "$(tag G)"
if [ -n "$ACCEPTOR" ]; then
        is "socket activation: a connection is accepted inside the container" hello-activated "$GOT"
else
        skip "socket activation: accept inside: no static C compiler"
fi

CONNECT= run_act actother other "$act_script"
is "LISTEN_PID naming another process: run exits 0" 0 "$RC"
is "LISTEN_PID naming another process: LISTEN_FDS and LISTEN_PID unset inside" "" "$(tag L | xargs)"
is "LISTEN_PID naming another process: no fd 3 inside" "" "$(tag F)"

# ================================================================ 6. bad input

# bad_exec DESC NEEDLE ID EXEC-ARG...: `exec --pid-file F EXEC-ARG...` into ID fails (stderr contains
# NEEDLE, berth's wording when BERTH_ONLY is set, and BERTH_NEEDLE too if set, berth's wording), starts
# nothing (the processes in BOX's pid namespace are the same, no process with the marker
# mark-$PFX-bad), writes no pid file. One run per case: each check counts once.
bad_exec() {
        local desc=$1 needle=$2 before after left
        shift 2
        before=$(ns_pids "$BOXPID")
        rm -f "$TMP/bad.pid"
        rtc exec --pid-file "$TMP/bad.pid" "$@"
        isnt "$desc: fails" 0 "$RC"
        if [ -n "$BERTH_ONLY" ]; then msg_like "$desc: says '$needle'" "$ERR" "$needle"; else like "$desc: says '$needle'" "$ERR" "$needle"; fi
        [ -z "$BERTH_NEEDLE" ] || msg_like "$desc: says '$BERTH_NEEDLE'" "$ERR" "$BERTH_NEEDLE"
        sleep 0.05
        after=$(ns_pids "$BOXPID")
        left=
        [ "$before" = "$after" ] || left+="container processes before: $before, after: $after"$'\n'
        for p in $(pids_matching "mark-$PFX-bad"); do alive "$p" && left+="process $p: $(tr '\0' ' ' <"/proc/$p/cmdline")"$'\n'; done
        [ -e "$TMP/bad.pid" ] && left+="pid file written: $(cat "$TMP/bad.pid")"
        if [ -z "$left" ]; then pass "$desc: starts nothing, no pid file"; else fail "$desc: starts nothing, no pid file" "$left"; fi
}

printf '{\n  "args": ["sh", "-c", "sleep 100", "mark-%s-bad"],\n  "cwd": "/",\n  "env": [ "A=1" ,, ]\n}\n' "$PFX" >"$TMP/syntax.json"
BERTH_ONLY=1 BERTH_NEEDLE=syntax.json:4: bad_exec "process.json with a syntax error" "$TMP/syntax.json" \
        --process "$TMP/syntax.json" "$BOX"
printf '{ "args": "sh -c sleep mark-%s-bad", "cwd": "/" }\n' "$PFX" >"$TMP/type.json"
BERTH_NEEDLE=$TMP/type.json bad_exec "process.json with args a string" "args" --process "$TMP/type.json" "$BOX"
bad_exec "missing process.json" "$TMP/nonexistent.json" --process "$TMP/nonexistent.json" "$BOX"

bad_exec "missing console socket" "$TMP/missing.sock" -t -d --console-socket "$TMP/missing.sock" "$BOX" sh -c 'sleep 100' "mark-$PFX-bad"
: >"$TMP/regular.sock"
BERTH_NEEDLE="not a socket" bad_exec "console socket a regular file" "$TMP/regular.sock" -t -d \
        --console-socket "$TMP/regular.sock" "$BOX" sh -c 'sleep 100' "mark-$PFX-bad"
BERTH_ONLY=1 bad_exec "-t -d without a console socket" "console-socket" -t -d "$BOX" sh -c 'sleep 100' "mark-$PFX-bad"

# fds 3 and 4 open, 5..7 not (runc 1.1.5 does not check: it passes its own internal fds 5.. instead)
exec 5>&- 6>&- 7>&-
if [ "$RT_NAME" = runc ]; then
        skip "--preserve-fds beyond the open fds: runc passes its own fds"
else
        bad_exec "--preserve-fds 5 with fds 3 and 4 open" "fd 5" --preserve-fds 5 "$BOX" sh -c 'sleep 100' "mark-$PFX-bad" \
                3<"$TMP/fd3.txt" 4<"$TMP/fd3.txt"
fi

BERTH_NEEDLE=--user bad_exec "-u bob (not numeric)" "bob" -u bob "$BOX" sh -c 'sleep 100' "mark-$PFX-bad"
bad_exec "-u 1000:bob (gid not numeric)" "bob" -u 1000:bob "$BOX" sh -c 'sleep 100' "mark-$PFX-bad"

bad_exec "missing command in the container" "executable file not found" "$BOX" "nonexistent-$PFX" "mark-$PFX-bad"
bad_exec "--cwd that does not exist" "/nonexistent-$PFX" --cwd "/nonexistent-$PFX" "$BOX" sh -c 'sleep 100' "mark-$PFX-bad"
is "the container still runs after the refused execs" running "$(state_field "$BOX" status)"

bad_exec "unknown id" "does not exist" "$(cid nonexistent)" sh -c 'sleep 100' "mark-$PFX-bad"

# a stopped container: its init exited
ST=$(cid stopped)
new_bundle stopped sh -c 'exit 0' "mark-$PFX-stopped"
rtc run -d --bundle "$TMP/b/stopped" "$ST"
wait_status "$ST" stopped
is "the container with an exited init is stopped" stopped "$(state_field "$ST" status)"
bad_exec "exec into a stopped container" "stopped" "$ST" sh -c 'sleep 100' "mark-$PFX-bad"
is "the stopped container is still stopped" stopped "$(state_field "$ST" status)"
rt delete --force "$ST" >/dev/null 2>&1

rtc delete --force "$BOX"
is "delete --force of the container exits 0" 0 "$RC"
finish
