#!/bin/bash
# Optional libraries (src/basic/dlopen-util.h): libsystemd is loaded only by what needs it, the
# systemd cgroup manager. `run` without it never maps it (read from the running berth's
# /proc/PID/maps); without the library --systemd-cgroup fails with a clear error naming it and what
# needed it, before anything exists. The journal relay never needs it: without it the relay still
# delivers journal messages (to a stand-in journald socket in a private mount namespace).
. "$(dirname "$0")/lib.sh"

if [ "$RT_NAME" != berth ]; then
        echo "1..0 # SKIP berth's own library loading ($RT_NAME is not berth)"
        exit 0
fi
if ! command -v unshare >/dev/null; then
        echo "1..0 # SKIP needs unshare (util-linux)"
        exit 0
fi

LIBSYSTEMD=$(readlink -f "$(ldconfig -p | awk '$1 == "libsystemd.so.0" { print $NF; exit }')")
if [ ! -s "$LIBSYSTEMD" ]; then
        echo "1..0 # SKIP libsystemd.so.0 is not installed"
        exit 0
fi
: >"$TMP/empty"
libsize=$(stat -c %s "$LIBSYSTEMD")

# without_libsystemd CMD...: run CMD in a private mount namespace where libsystemd.so.0 is an
# empty file (dlopen: "file too short"), as on a host without it; the host's stays as it is.
without_libsystemd() {
        unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh \
                "$TMP/empty" "$LIBSYSTEMD" "$@"
}

# maps_of PID: the shared objects PID has mapped, one per line.
maps_of() { awk '$6 ~ /\.so/ { print $6 }' "/proc/$1/maps" 2>/dev/null | sort -u; }

# ---- run does not map libsystemd (or what it pulls in) --------------------------------------
for mgr in disabled cgroupfs; do
        id=$(cid "maps-$mgr")
        new_bundle "maps-$mgr" sh -c 'sleep 10' "mark-$PFX-maps"
        "$BERTH" --root "$STATE" --cgroup-manager "$mgr" run --bundle "$TMP/b/maps-$mgr" "$id" \
                </dev/null >/dev/null 2>"$TMP/maps.err" &
        bpid=$!
        if wait_status "$id" running; then
                maps=$(maps_of "$bpid")
                like "run ($mgr): berth's maps read while it waits (libc is there)" "$maps" "/libc.so.6"
                unlike "run ($mgr): libsystemd is not mapped" "$maps" "libsystemd"
                unlike "run ($mgr): libgcrypt (libsystemd's) is not mapped" "$maps" "libgcrypt"
        else
                fail "run ($mgr): container running" "$(cat "$TMP/maps.err")"
        fi
        rt kill "$id" KILL >/dev/null 2>&1
        wait "$bpid"
        is "run ($mgr): killed container's status" 137 $?
done

# ---- the systemd manager without the library: a clear error, nothing left -------------------
id=$(cid nolib)
new_bundle nolib sh -c 'echo ran' "mark-$PFX-nolib"
without_libsystemd timeout -k 5 "$RT_TIMEOUT" "$BERTH" --root "$STATE" --systemd-cgroup run \
        --bundle "$TMP/b/nolib" "$id" </dev/null >"$TMP/out" 2>"$TMP/err"
rc=$? err=$(cat "$TMP/err")
isnt "--systemd-cgroup without libsystemd: fails" 0 "$rc"
like "--systemd-cgroup without libsystemd: says what needed which library" "$err" \
        "--systemd-cgroup needs libsystemd.so.0: "
unlike "--systemd-cgroup without libsystemd: berth itself starts (no loader error)" "$err" \
        "error while loading shared libraries"
is "--systemd-cgroup without libsystemd: the container never ran" "" "$(cat "$TMP/out")"
is "--systemd-cgroup without libsystemd: no state left" "" "$(ls "$STATE")"
is "--systemd-cgroup without libsystemd: no process left" "" "$(pids_matching "mark-$PFX-nolib")"
is "the host's libsystemd is untouched (the empty file was private)" "$libsize" "$(stat -c %s "$LIBSYSTEMD")"

# ---- the journal relay ---------------------------------------------------------------------
# berth relays when its stdout/stderr is the journal stream of $JOURNAL_STREAM (DESIGN.md §5): a
# file whose device:inode is in JOURNAL_STREAM stands in for it.
JLOG=$TMP/journal-stream
: >"$JLOG"
JSTREAM=$(stat -c %d:%i "$JLOG")

# The relay (berth-relay, a static program of its own) speaks journald's protocol itself: without
# libsystemd too, a stand-in journald (a datagram socket at /run/systemd/journal/socket in a private
# mount namespace, /run/systemd a tmpfs there) receives what it sends.
id=$(cid relay)
new_bundle relay sh -c 'echo out-line; echo err-line >&2; sleep 1' "mark-$PFX-relay"
: >"$JLOG"
cat >"$TMP/journald.py" <<'PY'
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/run/systemd/journal/socket")
open(sys.argv[2], "w").close()              # ready
s.settimeout(0.2)
with open(sys.argv[1], "wb") as out:
    end = time.monotonic() + 20
    while time.monotonic() < end and not os.path.exists(sys.argv[3]):
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        out.write(d.replace(b"\n", b"|") + b"\n")
        out.flush()
PY
cat >"$TMP/relay.sh" <<'SH'
# in a private mount namespace: $1 journald.py $2 datagrams $3 berth $4 state $5 bundle $6 id $7 jlog
mount -t tmpfs none /run/systemd && mkdir /run/systemd/journal || exit 1
python3 "$1" "$2" "$2.ready" "$2.stop" &
for i in $(seq 100); do [ -e "$2.ready" ] && break; sleep 0.02; done
"$3" --root "$4" --cgroup-manager disabled run -d --bundle "$5" "$6" </dev/null >>"$7" 2>&1
echo "rc=$?" >"$2.rc"
# The relay drains the container's pipes and exits about a second after the init is gone.
for i in $(seq 500); do
        relay=$(grep -lx berth-relay /proc/[0-9]*/comm 2>/dev/null | while read -r f; do
                p=${f#/proc/}; p=${p%/comm}
                tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- " $6 " && echo "$p"
        done)
        [ -z "$relay" ] && break
        [ -e "$2.maps" ] || cat "/proc/${relay%% *}/maps" >"$2.maps" 2>/dev/null
        sleep 0.02
done
touch "$2.stop"
wait
SH
without_libsystemd env JOURNAL_STREAM="$JSTREAM" bash "$TMP/relay.sh" "$TMP/journald.py" \
        "$TMP/dgrams" "$BERTH" "$STATE" "$TMP/b/relay" "$id" "$JLOG"
is "relay: run -d exits 0" "rc=0" "$(cat "$TMP/dgrams.rc" 2>/dev/null)"
dgrams=$(cat "$TMP/dgrams" 2>/dev/null)
like_re "relay: stdout line sent with PRIORITY=6 and CONTAINER_ID" "$dgrams" \
        "MESSAGE=out-line\|.*PRIORITY=6\|.*CONTAINER_ID=$id\|"
like_re "relay: stderr line sent with PRIORITY=3" "$dgrams" "MESSAGE=err-line\|.*PRIORITY=3\|"
maps=$(cat "$TMP/dgrams.maps" 2>/dev/null)
like "relay: the relay process is berth-relay" "$maps" "/berth-relay"
unlike "relay: the relay process maps no libsystemd" "$maps" "libsystemd"
unlike "relay: ... nor berth's libraries (json-c, libseccomp)" "$maps" "libjson-c"
rt delete --force "$id" >/dev/null 2>&1


# Without berth-relay (a copy of berth alone in a directory, and none where it would be installed):
# run -d under a journal stream fails before the container exists, naming what it looked for.
relay_path=$(sed -n 's/^#define BERTH_RELAY_PATH "\(.*\)"$/\1/p' "$(dirname "$BERTH")/../config.h" 2>/dev/null)
if [ -n "$relay_path" ] && [ ! -e "$relay_path" ]; then
        mkdir -p "$TMP/lonely"
        cp "$BERTH" "$TMP/lonely/berth"
        id=$(cid norelay)
        new_bundle norelay sleep 30 "mark-$PFX-norelay"
        env JOURNAL_STREAM="$JSTREAM" "$TMP/lonely/berth" --root "$STATE" --cgroup-manager disabled \
                run -d --bundle "$TMP/b/norelay" "$id" </dev/null >"$JLOG" 2>&1
        RC=$?
        isnt "no berth-relay: run -d fails" 0 "$RC"
        like "no berth-relay: the error names the relay and where it looked" "$(cat "$JLOG")" "$relay_path"
        is "no berth-relay: no state dir left" "" "$(ls "$STATE" 2>/dev/null | grep -F -- "$id")"
        is "no berth-relay: no container process left" "" "$(pids_matching "mark-$PFX-norelay")"
else
        skip "no berth-relay: berth-relay is installed at '${relay_path:-?}' (or config.h not found)"
fi

finish
