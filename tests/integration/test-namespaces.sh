#!/bin/bash
# Namespaces: hostname/domainname, a new namespace of each type when asked for, the host's when not,
# joining a namespace by path (another container's /proc/PID/ns file and a bind-mounted ns file).
. "$(dirname "$0")/lib.sh"

NS="pid net ipc uts mnt cgroup user"
declare -A host
for n in $NS; do host[$n]=$(readlink "/proc/self/ns/$n"); done
show_ns='for n in '"$NS"'; do echo "$n $(readlink /proc/self/ns/$n)"; done'
# ns_of NAME: the line of $OUT for namespace NAME
ns_of() { printf '%s\n' "$OUT" | awk -v n="$1" '$1 == n { print $2 }'; }

# ---- hostname and domainname
host_hostname=$(cat /proc/sys/kernel/hostname)
sh_in uts 'hostname; cat /proc/sys/kernel/domainname' \
        'c["hostname"]="box-'"$PFX"'"' 'c["domainname"]="example.org"'
is "run exits 0 (hostname, domainname)" 0 "$RC"
is "hostname is set" "box-$PFX" "$(printf '%s\n' "$OUT" | sed -n 1p)"
runc_is "runc 1.1.5 ignores domainname" "domainname is set" example.org "$(printf '%s\n' "$OUT" | sed -n 2p)"
is "host hostname unchanged" "$host_hostname" "$(cat /proc/sys/kernel/hostname)"

# ---- every namespace of the default config is new
sh_in nsnew "$show_ns"
is "run exits 0 (default namespaces)" 0 "$RC"
for n in pid net ipc uts mnt cgroup; do
        v=$(ns_of $n)
        if [ -n "$v" ] && [ "$v" != "${host[$n]}" ]; then
                pass "requested $n namespace is new ($v)"
        else
                fail "requested $n namespace is new" "host ${host[$n]}, container '$v'" "$ERR"
        fi
done
is "no user namespace unless requested" "${host[user]}" "$(ns_of user)"

# ---- namespaces not asked for are the host's (without a mount namespace: test-nomntns.sh)
sh_in nsold "$show_ns" 'for t in ("pid","network","ipc","uts","cgroup"): ns_del(t)' 'c.pop("hostname", None)'
is "run exits 0 (only a mount namespace)" 0 "$RC"
for n in pid net ipc uts cgroup; do
        is "unrequested $n namespace is the host's" "${host[$n]}" "$(ns_of $n)"
done
isnt "mount namespace is new" "${host[mnt]}" "$(ns_of mnt)"

# ---- user namespace with id mappings
sh_in userns "$show_ns"'; cat /proc/self/uid_map /proc/self/gid_map; id -u' \
        'ns_set("user")' \
        'c["linux"]["uidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]' \
        'c["linux"]["gidMappings"]=[{"containerID":0,"hostID":100000,"size":65536}]'
is "run exits 0 (user namespace)" 0 "$RC"
v=$(ns_of user)
if [ -n "$v" ] && [ "$v" != "${host[user]}" ]; then pass "requested user namespace is new"; else fail "requested user namespace is new" "'$v'" "$ERR"; fi
is "uid_map and gid_map as configured" "0 100000 65536|0 100000 65536" \
        "$(printf '%s\n' "$OUT" | awk '$1 == "0" && NF == 3 { print $1, $2, $3 }' | paste -sd '|')"
is "uid 0 inside the user namespace" 0 "$(printf '%s\n' "$OUT" | tail -n 1)"

# ---- joining another container's namespaces by /proc/PID/ns path
A=$(cid nsA)
new_bundle nsA sh -c 'while :; do sleep 1; done'
rtc run -d --bundle "$TMP/b/nsA" "$A"
apid=$(state_field "$A" pid)
if [ -n "$apid" ] && alive "$apid"; then
        sh_in nsB "$show_ns" 'ns_set("network", "/proc/'"$apid"'/ns/net")' 'ns_set("ipc", "/proc/'"$apid"'/ns/ipc")'
        is "run exits 0 (joining by /proc path)" 0 "$RC"
        is "network namespace joined by path" "$(readlink "/proc/$apid/ns/net")" "$(ns_of net)"
        is "ipc namespace joined by path" "$(readlink "/proc/$apid/ns/ipc")" "$(ns_of ipc)"
        isnt "uts namespace still new when others are joined" "$(readlink "/proc/$apid/ns/uts")" "$(ns_of uts)"
else
        fail "container A to join runs" "$ERR"
fi
rt delete --force "$A" >/dev/null 2>&1

# ---- joining a bind-mounted namespace file (as `ip netns add` makes)
touch "$TMP/netns"
if unshare --net="$TMP/netns" true 2>"$TMP/unshare.err"; then
        want=$(nsenter --net="$TMP/netns" readlink /proc/self/ns/net)
        sh_in nsfile "$show_ns" 'ns_set("network", "'"$TMP/netns"'")'
        is "run exits 0 (joining a bind-mounted ns file)" 0 "$RC"
        is "network namespace joined from a bind-mounted file" "$want" "$(ns_of net)"
        umount "$TMP/netns"
else
        skip "cannot make a persistent netns here: $(cat "$TMP/unshare.err")"
fi

# ---- a joined namespace that does not exist is an error
sh_in nsbad "$show_ns" 'ns_set("network", "/proc/999999999/ns/net")'
isnt "joining a nonexistent namespace path fails" 0 "$RC"
if [ -e "$STATE/$(cid nsbad)" ]; then fail "failed join leaves no state dir"; else pass "failed join leaves no state dir"; fi

finish
