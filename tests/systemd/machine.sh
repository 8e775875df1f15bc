# shellcheck shell=bash
# A disposable systemd (the host's systemd 252) booted under systemd-nspawn from a throwaway root,
# with berth's install tree bound over its /usr/local (DESIGN.md §8). Sourced by the systemd suite
# and by the README demo:
#   machine_start NAME STAGE [BUNDLES]
#                               boot; STAGE is a `meson install --destdir` tree whose usr/local/ is
#                               bound read-only over the machine's /usr/local (prefix /usr/local);
#                               BUNDLES is copied to its /etc/berth/bundles before the boot
#   machine_run CMD...          run CMD in the machine (all its namespaces, a clean environment)
#   machine_root                print the machine's root dir on the host (write /etc/... there)
#   machine_stop                power it off (SIGKILL after 20 s), remove its cgroups and root
# Each machine runs in a cgroup of its own, /sys/fs/cgroup/unified/NAME (or /sys/fs/cgroup/NAME on
# a pure cgroup v2 host): nspawn --keep-unit puts payload/ and supervisor/ beside its own cgroup,
# so two machines started from one cgroup would collide. Cleanup removes it deepest first.
# Safe under `set -e`.

machine_name= machine_dir= machine_cg= machine_nspawn_pid= machine_pid=

machine_log() { echo "# machine: $*" >&2; }

machine_cgroup_base() {
        if [ -d /sys/fs/cgroup/unified ] && [ "$(stat -fc %T /sys/fs/cgroup/unified)" = cgroup2fs ]; then
                echo /sys/fs/cgroup/unified
        elif [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
                echo /sys/fs/cgroup
        else
                return 1
        fi
}

machine_start() { # machine_start NAME STAGE [BUNDLES]
        local name=$1 stage=$2 bundles=${3:-} base d i
        machine_name=$name
        base=$(machine_cgroup_base) || { machine_log "no cgroup2 hierarchy"; return 1; }
        machine_dir=$(mktemp -d /var/tmp/berth-machine.XXXXXX)
        machine_cg=$base/$name-$$
        mkdir -p "$machine_cg"
        local root=$machine_dir/root
        mkdir -p "$root"/{usr,proc,sys,dev,run,tmp,var/tmp,root,home}
        chmod 1777 "$root/tmp" "$root/var/tmp"
        cp -a /etc "$root/etc"
        : >"$root/etc/machine-id"
        # nspawn looks for os-release before it binds /usr: the host's copy under the mount point.
        mkdir -p "$root/usr/lib" && cp /usr/lib/os-release "$root/usr/lib/"
        # No getty or network waits in a throwaway machine: boot to multi-user as fast as it goes.
        rm -f "$root"/etc/systemd/system/getty.target.wants/* "$root"/etc/systemd/system/*.wants/systemd-networkd* \
                "$root"/etc/systemd/system/multi-user.target.wants/{ssh,cron,rsyslog,networking,docker,containerd,podman}* \
                2>/dev/null || true
        rm -rf "$root/etc/berth"
        if [ -n "$bundles" ]; then
                mkdir -p "$root/etc/berth"
                cp -a "$bundles" "$root/etc/berth/bundles"
        fi
        for d in bin sbin lib lib64; do
                if [ -e "/usr/$d" ]; then ln -s "usr/$d" "$root/$d"; fi
        done
        # nspawn gives the machine no /dev/kmsg, so generators' messages would be lost: it gets the
        # host's (berth-generator's lines land in the host's kernel log).
        local kmsg=()
        [ -c /dev/kmsg ] && kmsg=(--bind=/dev/kmsg)
        # Started from its own cgroup (see above); stdin from /dev/null, no terminal.
        (
                echo "$BASHPID" >"$machine_cg/cgroup.procs"
                unset NOTIFY_SOCKET
                exec env SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 systemd-nspawn -q --register=no --keep-unit \
                        -D "$root" -M "$name" --bind-ro=/usr --bind-ro="$stage/usr/local:/usr/local" "${kmsg[@]}" \
                        --capability=all --system-call-filter='@keyring bpf' --console=passive -b \
                        </dev/null >"$machine_dir/console.log" 2>&1
        ) &
        machine_nspawn_pid=$!
        local state
        for i in $(seq 1 300); do
                machine_pid=$(head -n 1 "$machine_cg/payload/init.scope/cgroup.procs" 2>/dev/null) || true
                [ -n "$machine_pid" ] ||
                        machine_pid=$(head -n 1 "$machine_cg/payload/cgroup.procs" 2>/dev/null) || true
                if [ -n "$machine_pid" ]; then
                        state=$(machine_run systemctl is-system-running 2>/dev/null) || true
                        case $state in
                        running|degraded) return 0 ;;
                        esac
                fi
                kill -0 "$machine_nspawn_pid" 2>/dev/null || break
                sleep 0.1
        done
        machine_log "the machine did not boot; console:"
        sed 's/^/# | /' "$machine_dir/console.log" >&2
        return 1
}

machine_root() { echo "$machine_dir/root"; }

machine_run() {
        [ -n "$machine_pid" ] || return 1
        nsenter -t "$machine_pid" -a env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
                TERM=dumb SYSTEMD_PAGER= SYSTEMD_COLORS=0 "$@"
}

machine_stop() {
        local i
        [ -n "$machine_dir" ] || return 0
        if [ -n "$machine_nspawn_pid" ] && kill -0 "$machine_nspawn_pid" 2>/dev/null; then
                kill -TERM "$machine_nspawn_pid" 2>/dev/null || true # nspawn halts the machine
                for i in $(seq 1 200); do
                        kill -0 "$machine_nspawn_pid" 2>/dev/null || break
                        sleep 0.1
                done
                kill -KILL "$machine_nspawn_pid" 2>/dev/null || true
                if [ -f "$machine_cg/cgroup.kill" ]; then echo 1 >"$machine_cg/cgroup.kill" 2>/dev/null || true; fi
                wait "$machine_nspawn_pid" 2>/dev/null || true
        fi
        # Cgroups deepest first (a leftover breaks the next boot: "Failed to create //payload subcgroup").
        if [ -n "$machine_cg" ] && [ -d "$machine_cg" ]; then
                for i in $(seq 1 50); do
                        find "$machine_cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
                        [ -d "$machine_cg" ] || break
                        sleep 0.1
                done
                if [ -d "$machine_cg" ]; then machine_log "could not remove $machine_cg"; fi
        fi
        # Never rm -rf through a mount that outlived nspawn.
        if findmnt -rno TARGET | grep -q "^$machine_dir/"; then
                machine_log "mounts left under $machine_dir; not removing it"
        else
                rm -rf "$machine_dir"
        fi
        machine_dir= machine_pid= machine_nspawn_pid= machine_cg=
}
