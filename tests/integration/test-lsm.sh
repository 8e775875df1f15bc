#!/bin/bash
# AppArmor and SELinux labels: applied when the host has the LSM; on a host without it (this one)
# refused before anything happens, naming the field, as runc refuses them.
. "$(dirname "$0")/lib.sh"

aa_enabled() { [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; }
selinux_enabled() { [ "$(stat -f -c %T /sys/fs/selinux 2>/dev/null)" = selinuxfs ]; }

new_bundle aa true
cfg_edit "$TMP/b/aa" 'c["process"]["apparmorProfile"]="berth-test-profile"'
if aa_enabled; then
        skip "process.apparmorProfile refusal: AppArmor is enabled on this host"
else
        ctr_run aa
        isnt "process.apparmorProfile without AppArmor: refused" 0 "$RC"
        msg_like "... naming the field and the profile" "$ERR" \
                "process.apparmorProfile: AppArmor is not enabled on this host, so profile 'berth-test-profile' cannot be applied"
        check "... leaving no state dir" test ! -e "$STATE/$(cid aa)"
        runc_run aa
        [ -n "$RUNC" ] && isnt "runc refuses it too" 0 "$RRC"
fi

new_bundle se true
cfg_edit "$TMP/b/se" 'c["process"]["selinuxLabel"]="system_u:system_r:container_t:s0:c1,c2"'
new_bundle ml true
cfg_edit "$TMP/b/ml" 'c["linux"]["mountLabel"]="system_u:object_r:container_file_t:s0"'
if selinux_enabled; then
        skip "process.selinuxLabel refusal: SELinux is enabled on this host"
        skip "linux.mountLabel refusal: SELinux is enabled on this host"
else
        ctr_run se
        isnt "process.selinuxLabel without SELinux: refused" 0 "$RC"
        msg_like "... naming the field and the label" "$ERR" \
                "process.selinuxLabel: SELinux is disabled or not supported on this host, so label 'system_u:system_r:container_t:s0:c1,c2' cannot be applied"
        check "... leaving no state dir" test ! -e "$STATE/$(cid se)"
        runc_run se
        [ -n "$RUNC" ] && isnt "runc refuses it too" 0 "$RRC"
        ctr_run ml
        isnt "linux.mountLabel without SELinux: refused" 0 "$RC"
        msg_like "... naming the field" "$ERR" "linux.mountLabel: SELinux is disabled or not supported on this host"
fi

# exec --apparmor / --process-label and the same in a process.json
new_bundle ex sleep 30
rtc run -d --bundle "$TMP/b/ex" "$(cid ex)"
is "run -d" 0 "$RC"
if ! aa_enabled; then
        rtc exec --apparmor berth-test-profile "$(cid ex)" true
        isnt "exec --apparmor without AppArmor: refused" 0 "$RC"
        msg_like "... naming it" "$ERR" "AppArmor is not enabled on this host"
fi
if ! selinux_enabled; then
        rtc exec --process-label system_u:system_r:container_t:s0 "$(cid ex)" true
        isnt "exec --process-label without SELinux: refused" 0 "$RC"
        msg_like "... naming it" "$ERR" "SELinux is disabled or not supported"
        echo '{"args":["true"],"cwd":"/","selinuxLabel":"x"}' >"$TMP/p.json"
        rtc exec --process "$TMP/p.json" "$(cid ex)"
        isnt "exec --process with selinuxLabel without SELinux: refused" 0 "$RC"
        msg_like "... naming the file and field" "$ERR" "$TMP/p.json: process.selinuxLabel"
fi
rtc exec "$(cid ex)" true
is "a plain exec still works" 0 "$RC"
rt delete --force "$(cid ex)" >/dev/null 2>&1

finish
