#!/bin/bash
# Rootless: an unprivileged user runs a `berth spec --rootless` bundle with the state under its
# $XDG_RUNTIME_DIR, one mapping of its own ids written without helpers, more through
# newuidmap/newgidmap (package uidmap) from /etc/subuid and /etc/subgid; a mapping it may not
# have fails clearly and leaves nothing.
. "$(dirname "$0")/lib.sh"

U=65534 # nobody: unprivileged, and newuidmap needs a passwd entry
XDG=$TMP/xdg-$U
mkdir -p "$XDG" "$TMP/rl"
chown "$U:$U" "$XDG" "$TMP/rl"
chmod 0700 "$XDG"

# as_user CMD...: run CMD as $U with $XDG_RUNTIME_DIR set, in $TMP/rl.
as_user() {
        (cd "$TMP/rl" && setpriv --reuid=$U --regid=$U --clear-groups env -u NOTIFY_SOCKET \
                XDG_RUNTIME_DIR="$XDG" HOME="$TMP/rl" timeout -k 2 20 "$BERTH" "$@")
}

as_user spec --rootless
is "spec --rootless as the user" 0 "$?"
maps=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); l=c["linux"]
print(l["uidMappings"], l["gidMappings"], [n["type"] for n in l["namespaces"]])' "$TMP/rl/config.json")
is "spec --rootless maps the caller's own ids and has a user namespace, no network one" \
        "[{'containerID': 0, 'hostID': $U, 'size': 1}] [{'containerID': 0, 'hostID': $U, 'size': 1}] ['pid', 'ipc', 'uts', 'mount', 'user']" "$maps"
cfg_edit "$TMP/rl" "c['root']['path']='$ROOTFS'" 'c["process"]["terminal"]=False' \
        'c["process"]["args"]=["sh","-c","id; cat /proc/self/uid_map /proc/self/gid_map"]'

out=$(as_user run rl1 </dev/null 2>"$TMP/err")
rc=$?
is "run as an unprivileged user exits 0" 0 "$rc"
like "... and the process is root in the container" "$out" "uid=0(root) gid=0(root)"
like_re "... mapped to the user's uid" "$out" "^ +0 +$U +1"
[ -d "$XDG/berth" ] && pass "the state root is \$XDG_RUNTIME_DIR/berth" || fail "the state root is \$XDG_RUNTIME_DIR/berth" "$(ls -la "$XDG")"
is "the state root belongs to the user" "$U 700" "$(stat -c '%u %a' "$XDG/berth" 2>/dev/null)"
is "nothing left after the run" "" "$(ls -A "$XDG/berth")"

# The whole lifecycle.
cfg_edit "$TMP/rl" "c['process']['args']=['sh','-c','while :; do sleep 1000; done','mark-$PFX-rl']"
as_user create rl2 </dev/null >/dev/null 2>"$TMP/err"
is "create as the user" 0 "$?" 
is "state: created" created "$(as_user state rl2 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
as_user start rl2 </dev/null
is "start as the user" 0 "$?"
out=$(as_user exec rl2 id -u 2>&1)
is "exec as the user: root in the container" 0 "$out"
as_user list | grep -q "^rl2 .* running "
is "list shows it running" 0 "$?"
as_user kill rl2 KILL
is "kill as the user" 0 "$?"
as_user delete --force rl2
is "delete --force as the user" 0 "$?"
is "no state left" "" "$(ls -A "$XDG/berth")"
is "no process left" "" "$(pids_matching "mark-$PFX-rl")"

# Another user's state is not ours: root's default root is refused to the user.
as_user --root /run/berth list >/dev/null 2>"$TMP/err"
isnt "the user cannot use root's state root" 0 "$?"

# A mapping the user may not have (host uid 0).
cfg_edit "$TMP/rl" 'c["linux"]["uidMappings"]=[{"containerID":0,"hostID":0,"size":1}]'
as_user run rl3 </dev/null >/dev/null 2>"$TMP/err"
rc=$?
isnt "a mapping of another uid fails" 0 "$rc"
isnt "... without hanging" 124 "$rc"
like_re "... saying why" "$(cat "$TMP/err")" "newuidmap|uid_map"
is "... and leaves no state" "" "$(ls -A "$XDG/berth")"

# Several ranges through newuidmap/newgidmap and /etc/subuid, /etc/subgid.
if command -v newuidmap >/dev/null && command -v newgidmap >/dev/null; then
        cp -p /etc/subuid "$TMP/subuid.saved" 2>/dev/null || : >"$TMP/subuid.saved"
        cp -p /etc/subgid "$TMP/subgid.saved" 2>/dev/null || : >"$TMP/subgid.saved"
        restore_sub() { cat "$TMP/subuid.saved" >/etc/subuid; cat "$TMP/subgid.saved" >/etc/subgid; }
        echo "$U:300000:65536" >>/etc/subuid
        echo "$U:300000:65536" >>/etc/subgid
        cfg_edit "$TMP/rl" 'c["process"]["args"]=["sh","-c","cat /proc/self/uid_map /proc/self/gid_map"]' \
                "c['linux']['uidMappings']=[{'containerID':0,'hostID':$U,'size':1},{'containerID':1,'hostID':300000,'size':65536}]" \
                "c['linux']['gidMappings']=[{'containerID':0,'hostID':$U,'size':1},{'containerID':1,'hostID':300000,'size':65536}]"
        out=$(as_user run rl4 </dev/null 2>"$TMP/err")
        is "several ranges through newuidmap/newgidmap: run exits 0" 0 "$?"
        is "... both ranges are mapped (uid_map, gid_map)" 4 "$(printf '%s\n' "$out" | grep -cE "^ +(0 +$U +1|1 +300000 +65536)$")"
        cfg_edit "$TMP/rl" "c['linux']['uidMappings']=[{'containerID':0,'hostID':$U,'size':1},{'containerID':1,'hostID':500000,'size':10}]"
        as_user run rl5 </dev/null >/dev/null 2>"$TMP/err"
        isnt "a range outside /etc/subuid is refused" 0 "$?"
        like "... naming the helper" "$(cat "$TMP/err")" "newuidmap refused them"
        is "... and leaves no state" "" "$(ls -A "$XDG/berth")"
        restore_sub
else
        skip "several ranges: newuidmap/newgidmap not installed (package uidmap)"
fi

finish
