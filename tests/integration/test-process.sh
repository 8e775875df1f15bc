#!/bin/bash
# The process: args, env, cwd, user and groups, umask, rlimits, oomScoreAdj, sysctl,
# capabilities and no_new_privs, stdio passthrough.
. "$(dirname "$0")/lib.sh"

tag() { printf '%s\n' "$OUT" | sed -n "s/^$1 //p" | head -n 1; }

# ---- args survive exactly (spaces, quotes, empty)
new_bundle args sh -c 'printf "%s|" "$0" "$@"' zero "a b" 'c"d' '' "\$HOME"
ctr_run args
is "run exits 0 (args)" 0 "$RC"
is "args passed verbatim" 'zero|a b|c"d||$HOME|' "$OUT"

# ---- env
export BERTH_IT_LEAK=leaked
sh_in env 'env | sort' 'c["process"]["env"]+=["FOO=bar baz","EMPTY=","EQ=a=b"]'
unset BERTH_IT_LEAK
is "run exits 0 (env)" 0 "$RC"
envl=$(printf '%s\n' "$OUT")
for v in "FOO=bar baz" "EMPTY=" "EQ=a=b" "TERM=xterm" "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; do
        is "env has $v" "$v" "$(printf '%s\n' "$envl" | grep -xF -- "$v")"
done
unlike "caller's environment does not leak in" "$envl" BERTH_IT_LEAK
is "HOME defaults to the user's home from /etc/passwd (root)" "HOME=/root" "$(printf '%s\n' "$envl" | grep '^HOME=')"
sh_in envhome 'echo "H $HOME"' 'c["process"]["env"].append("HOME=/custom")'
is "HOME from the config is kept" /custom "$(tag H)"

# ---- cwd
sh_in cwd 'pwd' 'c["process"]["cwd"]="/tmp"'
is "cwd is process.cwd" /tmp "$OUT"
sh_in cwdnew 'pwd' 'c["process"]["cwd"]="/cwd-'"$PFX"'/a/b"'
is "run exits 0 (missing cwd)" 0 "$RC"
is "a missing cwd is created" "/cwd-$PFX/a/b" "$OUT"

# ---- user, groups
sh_in user 'echo "U $(id -u)"; echo "G $(id -g)"; echo "S $(sed -n "s/^Groups:[[:space:]]*//p" /proc/self/status)"; echo "H $HOME"; touch /tmp/x 2>/dev/null; echo "O $(stat -c "%u:%g" /proc/self)"' \
        'c["process"]["user"]={"uid":1000,"gid":1000,"additionalGids":[5,27]}'
is "run exits 0 (user)" 0 "$RC"
is "uid from process.user" 1000 "$(tag U)"
is "gid from process.user" 1000 "$(tag G)"
is "supplementary groups are exactly additionalGids" "5 27" "$(tag S | xargs)"
is "HOME defaults to the user's home (uid 1000)" /home/user "$(tag H)"
sh_in nogroups 'echo "S $(sed -n "s/^Groups:[[:space:]]*//p" /proc/self/status)"'
is "root without additionalGids has no supplementary groups" "" "$(tag S | xargs)"

# ---- umask
sh_in umask 'umask' 'c["process"]["user"]["umask"]=23'
is "umask from process.user.umask (0027)" 0027 "$OUT"
sh_in umaskdef 'umask'
is "default umask is 0022" 0022 "$OUT"

# ---- rlimits (at or below the host's hard limits: no CAP_SYS_RESOURCE here)
sh_in rlimits 'cat /proc/self/limits' \
        'c["process"]["rlimits"]=[{"type":"RLIMIT_NOFILE","soft":512,"hard":1024},{"type":"RLIMIT_MSGQUEUE","soft":4096,"hard":8192},{"type":"RLIMIT_CORE","soft":0,"hard":0}]'
is "run exits 0 (rlimits)" 0 "$RC"
is "RLIMIT_NOFILE soft 512 hard 1024" "512 1024" "$(printf '%s\n' "$OUT" | awk '/^Max open files/ { print $4, $5 }')"
is "RLIMIT_MSGQUEUE soft 4096 hard 8192" "4096 8192" "$(printf '%s\n' "$OUT" | awk '/^Max msgqueue size/ { print $4, $5 }')"
is "RLIMIT_CORE 0 0" "0 0" "$(printf '%s\n' "$OUT" | awk '/^Max core file size/ { print $5, $6 }')"

# ---- oomScoreAdj (raising only: lowering needs CAP_SYS_RESOURCE)
# The runtime must set it in the container's init only, never in itself: what the runtime forks on
# the host side (a createRuntime hook here) shows the runtime's own value.
host_oom=$(cat /proc/self/oom_score_adj)
printf '#!/bin/sh\ncat /proc/self/oom_score_adj >"%s"\n' "$TMP/oom-hook" >"$TMP/oom-hook.sh"
chmod 0755 "$TMP/oom-hook.sh"
sh_in oom 'cat /proc/self/oom_score_adj' 'c["process"]["oomScoreAdj"]=500' \
        'c["hooks"]={"createRuntime":[{"path":"'"$TMP/oom-hook.sh"'"}]}'
is "oomScoreAdj 500" 500 "$OUT"
is "the runtime's own oom_score_adj unchanged (its createRuntime hook)" "$host_oom" "$(cat "$TMP/oom-hook" 2>/dev/null)"

# ---- sysctl
host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
host_shm=$(cat /proc/sys/kernel/shmmax)
sh_in sysctl 'echo "F $(cat /proc/sys/net/ipv4/ip_forward)"; echo "M $(cat /proc/sys/kernel/shmmax)"' \
        'c["linux"]["sysctl"]={"net.ipv4.ip_forward":"1","kernel.shmmax":"123456789"}'
is "run exits 0 (sysctl)" 0 "$RC"
is "sysctl net.ipv4.ip_forward=1 in the container's netns" 1 "$(tag F)"
is "sysctl kernel.shmmax in the container's ipc ns" 123456789 "$(tag M)"
is "host net.ipv4.ip_forward unchanged" "$host_fwd" "$(cat /proc/sys/net/ipv4/ip_forward)"
is "host kernel.shmmax unchanged" "$host_shm" "$(cat /proc/sys/kernel/shmmax)"

# ---- capabilities, no_new_privs (the default config: AUDIT_WRITE, KILL, NET_BIND_SERVICE)
sh_in caps 'grep -E "^(CapEff|CapBnd|CapPrm|NoNewPrivs):" /proc/self/status'
caps=$(printf '%s\n' "$OUT" | awk '{ print $1 $2 }' | paste -sd ' ')
like "effective capabilities are the configured ones" "$caps" "CapEff:0000000020000420"
like "bounding set is the configured one" "$caps" "CapBnd:0000000020000420"
like "noNewPrivileges sets no_new_privs" "$caps" "NoNewPrivs:1"
sh_in capsnnp 'grep "^NoNewPrivs:" /proc/self/status' 'c["process"]["noNewPrivileges"]=False'
is "noNewPrivileges false leaves no_new_privs off" "NoNewPrivs:0" "$(printf '%s' "$OUT" | tr -d ' \t')"

# ---- signal dispositions: an ignored signal survives execve(), and systemd starts berth with SIGPIPE
# ignored (IgnoreSIGPIPE=yes): a container's `yes | head` then never ended. None reaches the process.
new_bundle sigign grep SigIgn /proc/self/status
caller=$(trap '' PIPE HUP XFSZ; grep SigIgn /proc/self/status)
out=$(trap '' PIPE HUP XFSZ; rt run --bundle "$TMP/b/sigign" "$(cid sigign)" </dev/null 2>&1)
is "the caller of this check ignores SIGHUP, SIGPIPE and SIGXFSZ" "SigIgn:0000000001001001" "$(echo $caller | tr -d ' ')"
is "the container's process ignores no signal its runtime's caller ignored" "SigIgn:0000000000000000" \
        "$(echo $out | tr -d ' ')"
rout=$(trap '' PIPE HUP XFSZ; runc_run sigign; echo "$ROUT")
same_as_runc "no inherited ignored signals" "$out" "$rout"

# ---- stdio passthrough
new_bundle stdio sh -c 'echo to-out; echo to-err >&2'
ctr_run stdio
is "container stdout reaches the caller's stdout" to-out "$OUT"
is "container stderr reaches the caller's stderr" to-err "$ERR"
new_bundle cat cat
out=$(echo in | rt run --bundle "$TMP/b/cat" "$(cid cat)" 2>&1)
is "caller's stdin reaches the container" in "$out"
new_bundle wc sh -c 'wc -l'
out=$(seq 1 50000 | rt run --bundle "$TMP/b/wc" "$(cid wc)" 2>&1)
is "large stdin arrives whole" 50000 "$(echo $out)"
new_bundle big sh -c 'seq 1 50000'
out=$(rt run --bundle "$TMP/b/big" "$(cid big)" </dev/null 2>&1 | tail -n 1)
is "large stdout arrives whole" 50000 "$out"

finish
