#!/bin/bash
# Benchmark (not a test; CI does not run it): N sequential lifecycles of a busybox /bin/true
# container for berth, runc and crun side by side.
#   tests/bench/bench.sh [--seccomp] [N]          (as root; N defaults to 50)
# Lifecycles: (1) `run`, (2) `create` + `start` + `delete --force`. Reported per runtime: median
# wall time per lifecycle, and the peak RSS of any runtime process (the runtime command plus the
# children it reaps, from wait4()). berth is measured as shipped: an optimized build, configured
# and compiled here as build-release (buildtype=release); BERTH=PATH runs another binary instead.
# --seccomp: the bundle carries podman's default seccomp profile (tests/lib/podman-seccomp-profile.py),
# as every podman container does; compare with a run without it for the cost of the filter.
#
# Cgroups are kept out of it where the runtime allows: crun 1.8.1 refuses this host's hybrid
# cgroups, so it runs inside `unshare -m` with cgroup2 mounted on /sys/fs/cgroup and
# --cgroup-manager=disabled; berth gets --cgroup-manager disabled; runc has no such switch and
# runs plainly (it creates and removes a cgroup per container, which is part of its time).
#
# Figures, 2026-11-29, this VM (2 cores shared with other sessions: load average 5-7), `bench.sh 50`
# twice in a row (run ms / create+start+delete ms, the second run in brackets):
#   berth 8.4/14.7 (4.3/8.7)  berth-cg 10.2/21.9 (6.6/11.7)  runc 31.6/46.6 (30.8/45.4)
#   crun 7.0/14.7 (9.0/16.0); b/crun 1.20/1.00 (0.48/0.55), b/runc 0.26/0.31 (0.14/0.19),
#   bcg/runc 0.32/0.47 (0.22/0.26); peak RSS KiB berth 3648, crun 3468, runc 10120.
# At this load one run can invert berth against crun: run it twice, or on a quiet machine.
# Later the same evening, load ~1, after libsystemd/libm left `run` and an empty cgroup's kill skips
# the freezer: berth 3.8/6.0  berth-cg 5.0/7.8  runc 26.0/33.5  crun 5.9/11.2; b/crun 0.64/0.54,
# b/runc 0.15/0.18, bcg/runc 0.19/0.23; peak RSS KiB berth 2388, crun 3376, runc 10248.
set -euo pipefail

seccomp=
if [ "${1:-}" = --seccomp ]; then
        seccomp=1
        shift
fi
n=${1:-50}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [--seccomp] [N]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench: run as root" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
if [ -n "${BERTH:-}" ]; then
        berth=$BERTH
else
        release=$srcdir/build-release
        blog=$(mktemp)
        if [ ! -f "$release/build.ninja" ]; then
                meson setup --buildtype=release "$release" "$srcdir" >"$blog" 2>&1 ||
                        { cat "$blog" >&2; echo "bench: meson setup $release failed" >&2; exit 1; }
        fi
        meson compile -C "$release" src/berth:executable >"$blog" 2>&1 ||
                { cat "$blog" >&2; echo "bench: building $release failed" >&2; exit 1; }
        rm -f "$blog"
        berth=$release/src/berth
fi

missing=()
command -v python3 >/dev/null || missing+=(python3)
[ -x /bin/busybox ] || missing+=(busybox-static)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

unset NOTIFY_SOCKET

tmp=$(mktemp -d /tmp/berth-bench.XXXXXX)
# State roots on a tmpfs, as /run is on every systemd host (the default --root of all three is
# under /run; this machine's /run is on the root filesystem only because PID 1 is not systemd).
mkdir "$tmp/state"
mount -t tmpfs -o mode=0700 bench-state "$tmp/state"
crun_env() { # crun_env CMD...: run CMD where crun 1.8.1 works on this hybrid-cgroup host
        unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null
                mount -t cgroup2 none /sys/fs/cgroup && exec "$@"' sh "$@"
}
cleanup() { # remove containers an interrupted run left behind, then the temp dir
        local name r id ids rt
        for name in berth berth-cg runc crun; do
                r=$tmp/state/root-$name
                [ -d "$r" ] || continue
                case $name in
                berth) rt=("$berth" --cgroup-manager disabled) ;;
                berth-cg) rt=("$berth") ;;
                runc) rt=(runc) ;;
                crun) rt=(crun_env crun --cgroup-manager=disabled) ;;
                esac
                ids=$("${rt[@]}" --root "$r" list -q 2>/dev/null) || continue
                for id in $ids; do
                        "${rt[@]}" --root "$r" delete --force "$id" >/dev/null 2>&1 || true
                done
        done
        umount "$tmp/state" 2>/dev/null
        rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
"$here/../lib/make-bundle.sh" "$tmp/bundle" /bin/true
[ -z "$seccomp" ] || "$here/../lib/podman-seccomp-profile.py" "$tmp/bundle/config.json"

cat >"$tmp/bench.py" <<'PY'
import json, os, signal, statistics, subprocess, sys, tempfile, time

class Timeout(Exception):
    pass

def alarm(signum, frame):
    raise Timeout()

signal.signal(signal.SIGALRM, alarm)
errfile = tempfile.TemporaryFile()

rssfile = tempfile.NamedTemporaryFile()

def one(cmd, timeout=30, rss=False):
    """Run cmd; return (ok, seconds, maxrss KiB, stderr). stderr goes to a file, not a pipe: a
    created container holds its stdio open until it is started or deleted."""
    errfile.seek(0)
    errfile.truncate()
    if rss:
        # ru_maxrss of our own child would include this python's pages from before its exec:
        # let /usr/bin/time (a small process) fork the runtime and report its peak instead.
        cmd = ['/usr/bin/time', '-f', '%M', '-o', rssfile.name] + cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errfile)
    signal.alarm(timeout)
    try:
        _, status, ru = os.wait4(p.pid, 0)
    except Timeout:
        p.kill()
        _, status, ru = os.wait4(p.pid, 0)
        status = 1 << 8
    finally:
        signal.alarm(0)
    dt = time.perf_counter() - t0
    p.returncode = 0               # reaped above; keep Popen from waiting again
    errfile.seek(0)
    err = errfile.read().decode(errors='replace').strip()
    if os.waitstatus_to_exitcode(status) != 0 and not err:
        err = 'exit status %d' % os.waitstatus_to_exitcode(status)
    maxrss = 0
    if rss:
        with open(rssfile.name) as f:
            maxrss = int((f.read().split() or ['0'])[-1])
    return os.waitstatus_to_exitcode(status) == 0, dt, maxrss, err

def bench(name, rt, n, bundle, root):
    out = {'runtime': name}
    rss = 0
    pre = 'bench%d-' % os.getpid()  # unique ids: runc names its cgroups after them
    modes = {
        'run': lambda i: [rt + ['run', '--bundle', bundle, pre + 'r%d' % i]],
        'cycle': lambda i: [rt + ['create', '--bundle', bundle, pre + 'c%d' % i],
                            rt + ['start', pre + 'c%d' % i],
                            rt + ['delete', '--force', pre + 'c%d' % i]],
    }
    for mode, steps in modes.items():
        times = []
        # two warm-up rounds (not counted), n timed rounds, then 3 rounds under /usr/bin/time
        # for the peak RSS (kept apart so its fork does not count in the wall time)
        for i in range(-2, n + 3):
            total = 0.0
            for cmd in steps(i):
                ok, dt, m, err = one(cmd, rss=i >= n)
                total += dt
                rss = max(rss, m)
                if not ok:
                    break
            if not ok:
                print('bench: %s %s failed: %s: %s' % (name, mode, ' '.join(cmd[len(rt):]),
                      err.splitlines()[-1] if err else 'no message'), file=sys.stderr)
                one(rt + ['delete', '--force', cmd[-1]])
                if i < n:
                    times = None
                break
            if 0 <= i < n:
                times.append(total)
        out[mode] = statistics.median(times) * 1000 if times else None
    out['rss'] = rss
    print(json.dumps(out))

def table(lines):
    res = {}
    for l in lines:
        l = l.strip()
        if l.startswith('{'):
            r = json.loads(l)
            res[r['runtime']] = r
    order = ['berth', 'berth-cg', 'runc', 'crun']
    def f(v, fmt):
        return fmt % v if v is not None else 'failed'
    print('%-8s %14s %26s %14s' % ('runtime', 'run ms', 'create+start+delete ms', 'peak RSS KiB'))
    for name in order:
        r = res.get(name)
        if r is None:
            print('%-8s %14s %26s %14s' % (name, 'failed', 'failed', '-'))
            continue
        print('%-8s %14s %26s %14s' % (name, f(r['run'], '%.1f'), f(r['cycle'], '%.1f'),
                                      r['rss'] or '-'))
    b = res.get('berth')
    for other in ('crun', 'runc'):
        o = res.get(other)
        cells = []
        for key in ('run', 'cycle', 'rss'):
            x = b.get(key) if b else None
            y = o.get(key) if o else None
            cells.append('%.2f' % (x / y) if x and y else '-')
        print('%-8s %14s %26s %14s' % ('b/' + other, *cells))
    # with cgroups on both sides: berth's default cgroupfs manager against runc's
    b, o = res.get('berth-cg'), res.get('runc')
    cells = []
    for key in ('run', 'cycle', 'rss'):
        x = b.get(key) if b else None
        y = o.get(key) if o else None
        cells.append('%.2f' % (x / y) if x and y else '-')
    print('%-8s %14s %26s %14s' % ('bcg/runc', *cells))

if sys.argv[1] == 'one':
    _, _, name, n, bundle, root, *rt = sys.argv
    bench(name, rt, int(n), bundle, root)
else:
    table(open(sys.argv[2]))
PY

results=$tmp/results
: >"$results"
runit() { # runit NAME CMD...: print a JSON result line, or nothing on failure
        echo "bench: $1 ($n lifecycles per mode)..." >&2
        "${@:2}" >>"$results" || echo "bench: $1 did not finish" >&2
}

if command -v "$berth" >/dev/null; then
        runit berth python3 "$tmp/bench.py" one berth "$n" "$tmp/bundle" "$tmp/state/root-berth" \
                "$berth" --root "$tmp/state/root-berth" --cgroup-manager disabled
else
        echo "bench: $berth not found" >&2
fi
if command -v "$berth" >/dev/null; then
        runit berth-cg python3 "$tmp/bench.py" one berth-cg "$n" "$tmp/bundle" "$tmp/state/root-berth-cg" \
                "$berth" --root "$tmp/state/root-berth-cg"
fi
if command -v runc >/dev/null; then
        runit runc python3 "$tmp/bench.py" one runc "$n" "$tmp/bundle" "$tmp/state/root-runc" \
                runc --root "$tmp/state/root-runc"
else
        echo "bench: runc not installed (apt-get install runc)" >&2
fi
if command -v crun >/dev/null; then
        runit crun crun_env python3 "$tmp/bench.py" one crun "$n" "$tmp/bundle" "$tmp/state/root-crun" \
                crun --cgroup-manager=disabled --root "$tmp/state/root-crun"
else
        echo "bench: crun not installed (apt-get install crun)" >&2
fi

echo
echo "$n lifecycles each, median wall time per lifecycle; /bin/true in a busybox bundle"
echo "berth ($berth) --cgroup-manager disabled; berth-cg: berth with its default cgroupfs manager"
echo "(a cgroup per container, as runc); crun --cgroup-manager=disabled (in unshare -m, cgroup2);"
echo "runc plainly (no switch to turn cgroups off: its time includes making and removing them);"
echo "state roots (--root) on a tmpfs, as /run is on a systemd host"
[ -z "$seccomp" ] || echo "with podman's default seccomp profile (linux.seccomp, $(python3 -c 'import json,sys; print(sum(len(s["names"]) for s in json.load(open(sys.argv[1]))["linux"]["seccomp"]["syscalls"]))' "$tmp/bundle/config.json") syscall names)"
echo
python3 "$tmp/bench.py" table "$results"
