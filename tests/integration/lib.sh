# Shared helpers for the integration tests (sourced, not run).
#
#   BERTH   runtime binary (default: $SRCDIR/build/src/berth); BERTH=/usr/sbin/runc checks the tests.
#   SRCDIR  source tree (default: two levels up from this file).
#
# Each script gets a private temp dir $TMP, a private state root $STATE (`rt` passes --root), one
# busybox rootfs $ROOTFS shared by all bundles made with new_bundle (root.path points at it, read-only),
# TAP helpers (pass/fail/skip/is/like/check, finish prints the plan), and an EXIT trap that force-deletes
# every container in $STATE, kills leftover processes whose cmdline mentions $TMP, unmounts whatever
# is still mounted under $TMP and removes it.

# A stray NOTIFY_SOCKET makes runtimes wait for a READY=1 that never comes.
unset NOTIFY_SOCKET
export LC_ALL=C

if [ "$(id -u)" -ne 0 ]; then
        echo "1..0 # SKIP integration tests need root"
        exit 77
fi

SRCDIR=${SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BERTH=${BERTH:-$SRCDIR/build/src/berth}
if [ ! -x "$BERTH" ]; then
        echo "Bail out! runtime $BERTH not found or not executable"
        exit 99
fi
RT_NAME=$(basename "$BERTH")
# Per-command timeout, so a hanging runtime fails a test instead of the whole suite.
RT_TIMEOUT=${RT_TIMEOUT:-10}

TMP=$(mktemp -d /tmp/berth-it.XXXXXX)
chmod 0755 "$TMP"
STATE=$TMP/state
mkdir -p "$STATE" "$TMP/b"
# Container ids are prefixed so that cgroups of concurrent runs never collide.
PFX=it$$

_n=0
_failed=0

# ---------------------------------------------------------------- TAP

pass() { _n=$((_n + 1)); echo "ok $_n - $1"; }

# fail DESC [DIAG...]: DIAG lines are printed as TAP comments.
fail() {
        _n=$((_n + 1))
        _failed=$((_failed + 1))
        echo "not ok $_n - $1"
        shift
        local l
        for l in "$@"; do
                printf '%s\n' "$l" | head -n 40 | sed 's/^/#   /'
        done
}

skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $1"; }

# is DESC EXPECTED ACTUAL
is() {
        if [ "$2" = "$3" ]; then
                pass "$1"
        else
                fail "$1" "expected: '$2'" "     got: '$3'" ${ERR:+"stderr: $ERR"}
        fi
}

# isnt DESC UNEXPECTED ACTUAL
isnt() {
        if [ "$2" != "$3" ]; then
                pass "$1"
        else
                fail "$1" "got unexpected: '$3'" ${ERR:+"stderr: $ERR"}
        fi
}

# like DESC HAYSTACK NEEDLE (fixed string; NEEDLE may be a grep -E pattern with like_re)
like() {
        if printf '%s' "$2" | grep -qF -- "$3"; then
                pass "$1"
        else
                fail "$1" "expected to contain: '$3'" "got: '$2'"
        fi
}
like_re() {
        if printf '%s' "$2" | grep -qE -- "$3"; then
                pass "$1"
        else
                fail "$1" "expected to match: /$3/" "got: '$2'"
        fi
}
unlike() {
        if printf '%s' "$2" | grep -qF -- "$3"; then
                fail "$1" "expected NOT to contain: '$3'" "got: '$2'"
        else
                pass "$1"
        fi
}

# check DESC CMD...: passes when CMD exits 0.
check() {
        local desc=$1 out
        shift
        if out=$("$@" 2>&1); then
                pass "$desc"
        else
                fail "$desc" "command failed ($?): $*" "$out"
        fi
}

# msg_like DESC STDERR NEEDLE: berth's error wording. Against another runtime a mismatch is a skip.
msg_like() {
        if printf '%s' "$2" | grep -qiF -- "$3"; then
                pass "$1"
        elif [ "$RT_NAME" != berth ]; then
                skip "$1: $RT_NAME wording differs"
        else
                fail "$1" "expected stderr to contain: '$3'" "got: '$2'"
        fi
}

# runc_is REASON DESC EXPECTED ACTUAL: like `is`, but against runc a mismatch is a skip saying REASON
# (for what runc 1.1.5 lacks and berth does).
runc_is() {
        if [ "$RT_NAME" = runc ] && [ "$3" != "$4" ]; then
                skip "$2: $1"
        else
                is "$2" "$3" "$4"
        fi
}

# finish: leak checks over the whole script, then the plan. Containers still in $STATE are
# force-deleted first; after that no container process and no mount of a bundle or of the shared
# rootfs may remain on the host.
finish() {
        local id p left=
        for id in $(ls "$STATE" 2>/dev/null); do rt delete --force "$id" >/dev/null 2>&1; done
        for p in $(pids_matching "mark-$PFX"); do
                alive "$p" && left+="process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"$'\n'
        done
        [ -z "$left" ] && pass "no container process left after the script" || fail "no container process left after the script" "$left"
        left=$(grep -E " ($TMP/b/|$TMP/base/)" /proc/self/mountinfo)
        [ -z "$left" ] && pass "no bundle or rootfs mount left on the host" || fail "no bundle or rootfs mount left on the host" "$left"
        echo "1..$_n"
        [ "$_failed" -eq 0 ] && exit 0
        echo "# $_failed of $_n failed" >&2
        exit 1
}

# ---------------------------------------------------------------- runtime

rt() { timeout -k 5 "$RT_TIMEOUT" "$BERTH" --root "$STATE" "$@"; }

# rtc ARG...: run the runtime with stdio on files (never $(rt create ...): a created or detached
# container inherits stdout and would keep the command substitution waiting). Sets RC, OUT, ERR.
rtc() {
        rt "$@" </dev/null >"$TMP/rtc.out" 2>"$TMP/rtc.err"
        RC=$?
        OUT=$(cat "$TMP/rtc.out")
        ERR=$(cat "$TMP/rtc.err")
        return $RC
}

# cid NAME: the container id used for NAME.
cid() { echo "$PFX-$1"; }

# ctr_run NAME [RUN-FLAG...]: foreground `run` of bundle $TMP/b/NAME as container $(cid NAME),
# stdin from /dev/null. Sets RC, OUT, ERR.
ctr_run() {
        local name=$1
        shift
        rt run "$@" --bundle "$TMP/b/$name" "$(cid "$name")" </dev/null >"$TMP/out" 2>"$TMP/err"
        RC=$?
        OUT=$(cat "$TMP/out")
        ERR=$(cat "$TMP/err")
}

# sh_in NAME SCRIPT [CFG-EDIT...]: make bundle NAME running `sh -c SCRIPT`, apply the edits, run it.
sh_in() {
        local name=$1 script=$2
        shift 2
        new_bundle "$name" sh -c "$script"
        [ $# -gt 0 ] && cfg_edit "$TMP/b/$name" "$@"
        ctr_run "$name"
}

# state_field ID FIELD: print one field of `state ID` (empty when absent or on error).
state_field() {
        rt state "$1" 2>/dev/null | python3 -c '
import json, sys
try:
    v = json.load(sys.stdin).get(sys.argv[1], "")
except Exception:
    v = ""
print(v if not isinstance(v, (dict, list)) else json.dumps(v, sort_keys=True))' "$2"
}

# wait_status ID STATUS [TRIES]: poll `state` (10 ms steps) until status is STATUS.
wait_status() {
        local i s
        for ((i = 0; i < ${3:-300}; i++)); do
                s=$(state_field "$1" status)
                [ "$s" = "$2" ] && return 0
                sleep 0.01
        done
        return 1
}

# wait_file FILE [TRIES]
wait_file() {
        local i
        for ((i = 0; i < ${2:-300}; i++)); do
                [ -s "$1" ] && return 0
                sleep 0.01
        done
        return 1
}

# ---------------------------------------------------------------- side by side with runc

# RUNC: runc's path when it is installed and is not itself the runtime under test; tests that expect
# runc's behaviour run the same bundle with it in the same run and compare.
RUNC=
[ "$RT_NAME" != runc ] && RUNC=$(command -v runc 2>/dev/null)

# runc_run NAME: foreground `run` of bundle $TMP/b/NAME with $RUNC (its own state root), as ctr_run.
# Sets RRC, ROUT, RERR (all empty without runc).
runc_run() {
        RRC= ROUT= RERR=
        [ -n "$RUNC" ] || return 0
        timeout -k 5 "$RT_TIMEOUT" "$RUNC" --root "$TMP/runc-state" run --bundle "$TMP/b/$1" "$(cid "$1")-runc" \
                </dev/null >"$TMP/rout" 2>"$TMP/rerr"
        RRC=$?
        ROUT=$(cat "$TMP/rout")
        RERR=$(cat "$TMP/rerr")
}

# same_as_runc DESC OURS RUNCS: `is` against what runc gave for the same bundle; a skip without runc.
same_as_runc() {
        if [ -n "$RUNC" ]; then
                is "$1 (as runc)" "$3" "$2"
        else
                skip "$1 (as runc): runc is not installed"
        fi
}

# ---------------------------------------------------------------- bundles

# The shared rootfs: root.path of every new_bundle points here; it is mounted read-only.
make_base() {
        "$SRCDIR/tests/lib/make-bundle.sh" "$TMP/base" >/dev/null || {
                echo "Bail out! make-bundle.sh failed"
                exit 99
        }
        ROOTFS=$TMP/base/rootfs
}
make_base

# cfg_edit DIR PYTHON...: load DIR/config.json as `c`, exec each PYTHON statement, write it back.
# Helpers: ns_set(type, path=None), ns_del(type), mount(dest, type, source, options=None).
cfg_edit() {
        local dir=$1
        shift
        python3 - "$dir/config.json" "$@" <<'PY'
import json, sys
p = sys.argv[1]
with open(p) as f:
    c = json.load(f)
def ns_del(t):
    c["linux"]["namespaces"] = [n for n in c["linux"].get("namespaces", []) if n["type"] != t]
def ns_set(t, path=None):
    ns_del(t)
    n = {"type": t}
    if path:
        n["path"] = path
    c["linux"]["namespaces"].append(n)
def mount(dest, typ, source, options=None):
    m = {"destination": dest, "type": typ, "source": source}
    if options is not None:
        m["options"] = options
    c.setdefault("mounts", []).append(m)
for s in sys.argv[2:]:
    exec(s)
with open(p, "w") as f:
    json.dump(c, f, indent=1)
PY
}

# new_bundle NAME [ARG...]: $TMP/b/NAME/config.json = the default config with root.path = $ROOTFS
# (read-only) and process.args = ARG... (default: sh). Replaces an existing bundle of that name.
new_bundle() {
        local name=$1 dir=$TMP/b/$1
        shift
        rm -rf "$dir"
        mkdir -p "$dir"
        python3 - "$TMP/base/config.json" "$dir/config.json" "$ROOTFS" "$@" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    c = json.load(f)
c["root"]["path"] = sys.argv[3]
if len(sys.argv) > 4:
    c["process"]["args"] = sys.argv[4:]
with open(sys.argv[2], "w") as f:
    json.dump(c, f, indent=1)
PY
}

# own_rootfs NAME: give bundle NAME a private, writable copy of the rootfs at $TMP/b/NAME/rootfs.
own_rootfs() {
        cp -a "$ROOTFS" "$TMP/b/$1/rootfs"
        cfg_edit "$TMP/b/$1" 'c["root"]={"path":"rootfs","readonly":False}'
}

# ---------------------------------------------------------------- leftovers

# pids_matching STRING: pids whose cmdline contains STRING (the needle goes through the environment,
# so the scanner never matches itself).
pids_matching() {
        NEEDLE=$1 python3 -c '
import os
n = os.environ["NEEDLE"].encode()
me = os.getpid()
for p in os.listdir("/proc"):
    if not p.isdigit() or int(p) == me:
        continue
    try:
        with open("/proc/%s/cmdline" % p, "rb") as f:
            if n in f.read():
                print(p)
    except OSError:
        pass'
}

# alive PID: PID exists and is not a zombie (orphans are reaped by the host's pid 1, eventually).
alive() {
        local st
        st=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
        [ -n "$st" ] && [ "$st" != Z ]
}

# mounts_under PATH: mountinfo lines whose mount point or root mentions PATH.
mounts_under() { grep -F -- "$1" /proc/self/mountinfo; }

cleanup() {
        local id p i
        trap - EXIT
        for id in $(ls "$STATE" 2>/dev/null); do
                timeout -k 2 10 "$BERTH" --root "$STATE" delete --force "$id" >/dev/null 2>&1
        done
        for id in $(ls "$TMP/runc-state" 2>/dev/null); do
                timeout -k 2 10 "$RUNC" --root "$TMP/runc-state" delete --force "$id" >/dev/null 2>&1
        done
        for p in $(pids_matching "$TMP") $(pids_matching "$PFX-"); do
                kill -9 "$p" 2>/dev/null
        done
        # Cgroups named after our ids (runc loses create races and leaves a blocked init there).
        for p in /sys/fs/cgroup/*/"$PFX"-* /sys/fs/cgroup/unified/*/"$PFX"-*; do
                [ -d "$p" ] || continue
                for i in $(cat "$p/cgroup.procs" 2>/dev/null); do kill -9 "$i" 2>/dev/null; done
        done
        for p in /sys/fs/cgroup/*/"$PFX"-* /sys/fs/cgroup/unified/*/"$PFX"-*; do
                [ -d "$p" ] || continue
                for ((i = 0; i < 50; i++)); do rmdir "$p" 2>/dev/null && break; sleep 0.01; done
        done
        # Newest first: submounts go before their parents.
        for ((i = 0; i < 200; i++)); do
                p=$(awk -v t="$TMP" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | tail -n 1)
                [ -n "$p" ] || break
                umount -l "$p" 2>/dev/null || break
        done
        rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
