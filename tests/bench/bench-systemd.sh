#!/bin/bash
# Benchmark (not a test; CI does not run it): berth under a real systemd, against runc in the same
# systemd, as ratios from one run. The host's systemd 252 is booted under systemd-nspawn
# (tests/systemd/machine.sh, machine "berth-bench", or $MACHINE_NAME) with build-release installed over its /usr/local;
# runc is the host's /usr/sbin/runc (the machine binds the host's /usr read-only).
#   tests/bench/bench-systemd.sh [--only run|start|relay] [--rounds R] [--lines L] [N]
#                               (as root; N = 50 lifecycles, R = 20 start/stop rounds, L = 1000000)
# 1. run: N lifecycles of `run` of a busybox /bin/true bundle, `berth --systemd-cgroup` against
#    `runc --systemd-cgroup` (cgroupsPath machine.slice:berth:ID and machine.slice:runc:ID: a
#    transient scope per container over D-Bus), interleaved; median wall time per `run`.
# 2. start: R rounds of `systemctl start` -> active and `systemctl stop` of container@idle (the unit
#    berth-generator made from /etc/berth/bundles/idle) against a hand-written runc unit on the same
#    bundle (Type=forking, runc --systemd-cgroup run -d --pid-file, ExecStopPost runc delete --force),
#    interleaved. Reported: systemd's own start latency (InactiveExit -> ActiveEnter timestamps), the
#    wall time of the blocking `systemctl start` and of `systemctl stop`, medians.
# 3. relay: container@flood prints L short lines (busybox seq) as fast as it can; its journal relay
#    (berth-relay, in the service's cgroup) sends them to journald. Lines/s as seen in the journal
#    (count and first/last __REALTIME_TIMESTAMP of the invocation's lines, every number checked), the
#    relay's VmHWM (and its anonymous part), its CPU time and journald's. Beside it the same seq in a
#    plain service whose stdout is journald's stream (no relay): journald's own ceiling here.
#    journald's rate limit is off in the machine (RateLimitIntervalSec=0 in journald.conf.d): it would
#    drop all but the first ~37,500 lines of the flood. LogRateLimitIntervalSec=0 in the unit does not
#    do it with systemd 252 (PID 1 exports only a non-zero value to journald).
#
# The relay is also measured alone: on the host, into a socket that only counts (see the end).
#
# Figures, 2026-11-29, this VM (2 cores shared with other sessions building and testing: load
# average 5-7 during the run; absolute times move a lot, compare the ratios), defaults (N=50, R=20,
# L=1000000), systemd 252, runc 1.1.5:
#   run (median ms)      berth 14.9   runc 43.0   berth/runc 0.35   systemd-run --scope /bin/true 16.7
#                        (an earlier run at load 9: 27.7 / 89.2 = 0.31, floor 20.9); 0 scopes left
#   start (median ms)    inactive->active: container@idle 17.9, runc-idle 40.9 (0.44);
#                        systemctl start 40.7 / 57.1 (0.71); systemctl stop 33.1 / 36.9 (0.90)
#   relay, 1,000,000 lines, none lost:  through berth's relay 32,961 lines/s in the journal;
#                        the same seq as a plain service's journald stream 67,619 lines/s (0.49);
#                        the relay alone into the counting socket 90,865 lines/s (111,375 in
#                        another run). journald CPU per line: 20.6 us native (relay), 13.3 us stream.
#                        relay VmHWM 2400 KiB = RssAnon 300 KiB + shared file pages (libc,
#                        libsystemd, berth text mapped by fault-around); Pss 844 KiB; CPU 6.9 us/line.
#   A second run right after (load 4): run 14.0 / 41.7 (0.34), floor 18.0; start 15.3 / 36.1 (0.42);
#   relay 36,155 vs stream 74,208 lines/s (0.49); relay alone 265,827 lines/s (3.5 us/line);
#   VmHWM 2212 KiB (RssAnon 296, Pss 869).
#   Quiet (load ~1), after berth-relay became a static program of its own: run 9.8 / 31.0 (0.32),
#   floor 15.3; start 12.1 / 27.1 (0.45), systemctl start 22.3 / 38.4 (0.58), stop 25.4 / 31.3
#   (0.81); relay 45,157 vs stream 72,162 lines/s (0.63); relay alone 246,871 lines/s (3.8 us/line);
#   VmHWM 724 KiB (RssAnon 72, Pss 720).
#   So journald, not the relay, sets the lines/s here: one datagram and one entry per line costs it
#   ~21 us of CPU, and even its cheapest path (a stream) stays below 100,000 lines/s on this VM.
#   VmHWM < 1 MiB is out of reach for any dynamically linked process here (a C program that only
#   reads and sends one datagram: VmHWM 1568 KiB; the same linked statically: 700 KiB): hence the
#   static berth-relay.
set -euo pipefail

only= rounds=20 lines=1000000 n=50
while [ $# -gt 0 ]; do
        case $1 in
        --only) only=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --lines) lines=$2; shift 2 ;;
        *) n=$1; shift ;;
        esac
done
usage() { echo "usage: $0 [--only run|start|relay] [--rounds R] [--lines L] [N]" >&2; exit 2; }
[[ $n =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ && $lines =~ ^[1-9][0-9]*$ ]] || usage
case $only in ''|run|start|relay) ;; *) usage ;; esac
[ "$(id -u)" = 0 ] || { echo "bench-systemd: run as root" >&2; exit 1; }
command -v systemd-nspawn >/dev/null || { echo "bench-systemd: apt-get install systemd-container" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "bench-systemd: apt-get install busybox-static" >&2; exit 1; }
[ -x /usr/sbin/runc ] || { echo "bench-systemd: apt-get install runc" >&2; exit 1; }
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
release=$srcdir/build-release
unset NOTIFY_SOCKET

tmp=$(mktemp -d /tmp/berth-bench-systemd.XXXXXX)
source "$srcdir/tests/systemd/machine.sh"
cleanup() { machine_stop; rm -rf "$tmp"; }
trap cleanup EXIT

# berth as shipped: build-release (prefix /usr/local), installed into a stage bound over /usr/local.
if [ ! -f "$release/build.ninja" ]; then
        meson setup --buildtype=release "$release" "$srcdir" >"$tmp/build.log" 2>&1 ||
                { cat "$tmp/build.log" >&2; echo "bench-systemd: meson setup $release failed" >&2; exit 1; }
fi
meson compile -C "$release" >"$tmp/build.log" 2>&1 ||
        { cat "$tmp/build.log" >&2; echo "bench-systemd: building $release failed" >&2; exit 1; }
prefix=$(meson introspect --buildoptions "$release" |
         python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
[ "$prefix" = /usr/local ] || { echo "bench-systemd: $release has prefix $prefix, not /usr/local" >&2; exit 1; }
meson install --no-rebuild -C "$release" --destdir "$tmp/stage" >"$tmp/build.log" 2>&1 ||
        { cat "$tmp/build.log" >&2; echo "bench-systemd: meson install failed" >&2; exit 1; }

# Bundles, in the machine's /etc/berth/bundles before it boots (the generator runs at boot).
b=$tmp/bundles
"$here/../lib/make-bundle.sh" "$b/true" /bin/true >/dev/null
"$here/../lib/make-bundle.sh" "$b/idle" sh -c 'trap "exit 0" TERM; while :; do sleep 1 & wait; done' >/dev/null
# The flood stays up after its last line, so the relay is still there to be measured.
"$here/../lib/make-bundle.sh" "$b/flood" sh -c "seq 1 $lines; trap 'exit 0' TERM; while :; do sleep 1 & wait; done" >/dev/null

if ! machine_start "${MACHINE_NAME:-berth-bench}" "$tmp/stage" "$b" 2>"$tmp/boot.log"; then
        cat "$tmp/boot.log" >&2
        echo "bench-systemd: the nspawn machine did not boot" >&2
        exit 1
fi
mroot=$(machine_root)
mkdir -p "$mroot/etc/systemd/journald.conf.d" "$mroot/root/bench"
printf '[Journal]\nRateLimitIntervalSec=0\nSystemMaxUse=4G\nRuntimeMaxUse=4G\n' \
        >"$mroot/etc/systemd/journald.conf.d/bench.conf"
cat >"$mroot/etc/systemd/system/runc-idle.service" <<'U'
# What one writes by hand to run a bundle with runc under systemd.
[Unit]
Description=runc container idle

[Service]
Type=forking
RuntimeDirectory=runc-idle
PIDFile=/run/runc-idle/pid
ExecStart=/usr/sbin/runc --systemd-cgroup run -d --pid-file /run/runc-idle/pid --bundle /etc/berth/bundles/idle runc-idle
ExecStopPost=-/usr/sbin/runc delete --force runc-idle
TimeoutStopSec=10s
U
machine_run systemctl daemon-reload
machine_run systemctl restart systemd-journald

cat >"$mroot/root/bench/bench.py" <<'PY'
import json, os, statistics, subprocess, sys, time

def sh(*cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout.strip()

def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, timeout=60)
    dt = (time.perf_counter() - t) * 1000
    if p.returncode != 0:
        sys.exit('bench: %s failed (%d): %s' % (' '.join(cmd), p.returncode, p.stderr.strip()))
    return dt

def ratio(x, y):
    return '%.2f' % (x / y) if x and y else '-'

def with_cgroups_path(bundle, path, args=None):
    with open(bundle + '/config.json') as f:
        c = json.load(f)
    c['linux']['cgroupsPath'] = path
    if args:
        c['process']['args'] = args
    with open(bundle + '/config.json.new', 'w') as f:
        json.dump(c, f)
    os.rename(bundle + '/config.json.new', bundle + '/config.json')

RT = {'berth': ['/usr/local/bin/berth', '--systemd-cgroup', '--root', '/run/bench-berth'],
      'runc': ['/usr/sbin/runc', '--systemd-cgroup', '--root', '/run/bench-runc']}

def bench_run(n):
    # one bundle per runtime (their configs differ in cgroupsPath), one rootfs
    for name in RT:
        d = '/root/bench/true-' + name
        os.makedirs(d, exist_ok=True)
        with open('/etc/berth/bundles/true/config.json') as f:
            c = json.load(f)
        c['root']['path'] = '/etc/berth/bundles/true/rootfs'
        with open(d + '/config.json', 'w') as f:
            json.dump(c, f)
    # what each container saw: its cgroup (the scope the runtime made)
    seen = {}
    for name, rt in RT.items():
        b = '/root/bench/true-' + name
        with_cgroups_path(b, 'machine.slice:%s:probe' % name, ['cat', '/proc/self/cgroup'])
        seen[name] = subprocess.run(rt + ['run', '--bundle', b, 'probe-' + name], check=True,
                                    stdout=subprocess.PIPE, text=True).stdout.split('\n')
        seen[name] = ' '.join(l for l in seen[name] if l.startswith('0::'))
        with_cgroups_path(b, 'machine.slice:%s:x' % name, ['/bin/true'])
    times = {name: [] for name in list(RT) + ['floor']}
    for i in range(-2, n):            # two warm-up rounds, not counted; interleaved
        cid = 'b%d-%d' % (os.getpid(), i + 2)
        for name, rt in RT.items():
            b = '/root/bench/true-' + name
            with_cgroups_path(b, 'machine.slice:%s:%s' % (name, cid))
            dt = timed(rt + ['run', '--bundle', b, cid])
            if i >= 0:
                times[name].append(dt)
        # systemd's share: one StartTransientUnit of a scope and /bin/true in it, no namespaces
        dt = timed(['systemd-run', '-q', '--scope', '--slice', 'machine.slice', '--unit', 'floor-' + cid,
                    '-p', 'CollectMode=inactive-or-failed', '/bin/true'])
        if i >= 0:
            times['floor'].append(dt)
    left = sh('systemctl', 'list-units', '--all', '--no-legend', '--plain', 'berth-*.scope', 'runc-*.scope')
    med = {name: statistics.median(t) for name, t in times.items()}
    seen['floor'] = '(systemd-run --scope /bin/true: systemd\'s part alone)'
    print('run: %d lifecycles each of a busybox /bin/true bundle, --systemd-cgroup (a scope per container)' % n)
    print('  %-6s %10s %10s %10s   %s' % ('', 'median ms', 'min ms', 'max ms', 'cgroup inside'))
    for name in times:
        print('  %-6s %10.1f %10.1f %10.1f   %s' % (name, med[name], min(times[name]), max(times[name]),
                                                 seen[name]))
    print('  berth/runc %.2f   scopes left after the runs: %d' % (med['berth'] / med['runc'],
                                                                 len(left.splitlines())))

def mono(unit, prop):
    return int(sh('systemctl', 'show', '-P', prop, unit))

def bench_start(rounds):
    units = {'berth': 'container@idle.service', 'runc': 'runc-idle.service'}
    res = {name: {'systemd': [], 'start': [], 'stop': []} for name in units}
    for i in range(-1, rounds):       # one warm-up round, not counted
        for name, u in units.items():
            st = timed(['systemctl', 'start', u])
            if sh('systemctl', 'is-active', u) != 'active':
                sys.exit('bench: %s is not active after systemctl start' % u)
            lat = (mono(u, 'ActiveEnterTimestampMonotonic') - mono(u, 'InactiveExitTimestampMonotonic')) / 1000
            sp = timed(['systemctl', 'stop', u])
            if i >= 0:
                res[name]['systemd'].append(lat)
                res[name]['start'].append(st)
                res[name]['stop'].append(sp)
    left = sh('systemctl', 'list-units', '--all', '--no-legend', '--plain', 'berth-*.scope', 'runc-*.scope')
    print('start: %d rounds of systemctl start + stop, container@idle (generated) vs runc-idle.service '
          '(hand-written), same bundle' % rounds)
    print('  %-6s %22s %22s %20s' % ('', 'inactive->active ms', 'systemctl start ms', 'systemctl stop ms'))
    med = {name: {k: statistics.median(v) for k, v in r.items()} for name, r in res.items()}
    for name in units:
        print('  %-6s %22.1f %22.1f %20.1f' % (name, med[name]['systemd'], med[name]['start'], med[name]['stop']))
    print('  %-6s %22s %22s %20s' % ('b/runc', ratio(med['berth']['systemd'], med['runc']['systemd']),
                                     ratio(med['berth']['start'], med['runc']['start']),
                                     ratio(med['berth']['stop'], med['runc']['stop'])))
    print('  scopes left after the rounds: %d' % len(left.splitlines()))

def cpu_ticks(pid):
    with open('/proc/%d/stat' % pid) as f:
        st = f.read().rsplit(')', 1)[1].split()
    return int(st[11]) + int(st[12])          # utime + stime

def status(pid, key):
    with open('/proc/%d/status' % pid) as f:
        for l in f:
            if l.startswith(key + ':'):
                return int(l.split()[1])
    return 0

def smaps_rollup(pid, key):
    with open('/proc/%d/smaps_rollup' % pid) as f:
        for l in f:
            if l.startswith(key + ':'):
                return int(l.split()[1])
    return 0

def journal_lines(inv, last):
    """Count and time the invocation's numbered lines; every number 1..last once."""
    p = subprocess.Popen(['journalctl', '_SYSTEMD_INVOCATION_ID=' + inv, '-o', 'json',
                          '--output-fields=MESSAGE'], stdout=subprocess.PIPE, text=True)
    seen = bytearray(last + 1)
    first = end = None
    count = dup = 0
    for l in p.stdout:
        j = json.loads(l)
        m = j.get('MESSAGE')
        if not isinstance(m, str) or not m.isdigit():
            continue
        k = int(m)
        if not 1 <= k <= last:
            continue
        t = int(j['__REALTIME_TIMESTAMP'])
        first = t if first is None else min(first, t)
        end = t if end is None else max(end, t)
        dup += seen[k]
        seen[k] = 1
        count += 1
    p.wait()
    return count, dup, first, end

def wait_last_line(inv, last, timeout):
    t = time.monotonic()
    while time.monotonic() - t < timeout:
        if sh('journalctl', '_SYSTEMD_INVOCATION_ID=' + inv, 'MESSAGE=%d' % last, '-o', 'cat'):
            return True
        time.sleep(0.5)
    return False

def journald_ticks():
    return cpu_ticks(int(sh('systemctl', 'show', '-P', 'MainPID', 'systemd-journald')))

def flood(unit, last, start):
    j0 = journald_ticks()
    start()
    inv = sh('systemctl', 'show', '-P', 'InvocationID', unit)
    relay = None
    if unit.startswith('container@'):
        cg = sh('systemctl', 'show', '-P', 'ControlGroup', unit)
        for p in open('/sys/fs/cgroup%s/cgroup.procs' % cg).read().split():
            if open('/proc/%s/comm' % p).read().strip() == 'berth-relay':
                relay = int(p)
    done = wait_last_line(inv, last, 600)
    r = {'unit': unit, 'journald_cpu': journald_ticks() - j0}
    if relay:
        r.update(hwm=status(relay, 'VmHWM'), anon=status(relay, 'RssAnon'), relay_cpu=cpu_ticks(relay),
                 pss=smaps_rollup(relay, 'Pss'))
    one = json.loads(sh('journalctl', '_SYSTEMD_INVOCATION_ID=' + inv, 'MESSAGE=%d' % last, '-o', 'json') or '{}')
    r['fields'] = ' '.join(sorted(k for k in one if not k.startswith('_')))
    subprocess.run(['systemctl', 'stop', unit], check=True)
    if not done:
        print('  %s: line %d did not reach the journal in 600 s' % (unit, last))
    r['count'], r['dup'], first, end = journal_lines(inv, last)
    r['span'] = (end - first) / 1e6 if first and end and end > first else 0
    r['rate'] = (r['count'] - 1) / r['span'] if r['span'] else 0
    return r

def bench_relay(last):
    hz = os.sysconf('SC_CLK_TCK')
    b = flood('container@flood.service', last, lambda: subprocess.run(['systemctl', 'start', 'container@flood'],
                                                                      check=True))
    p = flood('bench-plain.service', last, lambda: subprocess.run(
        ['systemd-run', '-q', '--unit', 'bench-plain', '-p', 'StandardOutput=journal',
         '/bin/sh', '-c', "seq 1 %d; exec sleep 1000" % last], check=True))
    print('relay: %d lines of `seq` as fast as the container writes them, counted in the journal' % last)
    print('  %-34s %9s %6s %12s %9s %10s %12s' % ('', 'lines', 'lost', 'lines/s', 'span s', 'VmHWM KiB',
                                                 'journald CPU'))
    for name, r in (('container@flood (berth relay)', b), ('plain service (journald stream)', p)):
        print('  %-34s %9d %6d %12.0f %9.2f %10s %11.1fs' % (name, r['count'], last - r['count'] + r['dup'],
              r['rate'], r['span'], r.get('hwm', '-'), r['journald_cpu'] / hz))
    if 'hwm' in b:
        print('  relay: VmHWM %d KiB (RssAnon %d KiB, Pss %d KiB), CPU %.1f s = %.1f us/line' %
              (b['hwm'], b['anon'], b['pss'], b['relay_cpu'] / hz, b['relay_cpu'] / hz * 1e6 / last))
    print('  journald CPU per line: relay %.1f us, stream %.1f us' %
          (b['journald_cpu'] / hz * 1e6 / last, p['journald_cpu'] / hz * 1e6 / last))
    print('  fields of a relayed line: %s' % b['fields'])
    print('  relay/plain lines/s %s' % ratio(b['rate'], p['rate']))

what = sys.argv[1]
if what == 'run':
    bench_run(int(sys.argv[2]))
elif what == 'start':
    bench_start(int(sys.argv[2]))
elif what == 'relay':
    bench_relay(int(sys.argv[2]))
PY

echo "berth-bench: systemd $(machine_run systemctl --version | head -n 1 | cut -d' ' -f2) under nspawn," \
        "$(runc --version | head -n 1), berth $release; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if want run; then machine_run python3 /root/bench/bench.py run "$n"; fi
if want start; then machine_run python3 /root/bench/bench.py start "$rounds"; fi
if want relay; then machine_run python3 /root/bench/bench.py relay "$lines"; fi

# The relay alone, without journald: on the host, in a private mount and pid namespace whose
# /run/systemd/journal/socket is a sink that only counts datagrams (recvmmsg), `berth run -d` of the
# same flood bundle with stdout and stderr on a file named by $JOURNAL_STREAM (so berth starts its
# relay as under a unit). This is the relay's own ceiling: lines/s into the sink, its CPU per line.
if want relay; then
        cat >"$tmp/sink.c" <<'C'
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
/* sink PATH LAST: count datagrams until one starts with MESSAGE=LAST (or 20 s of silence) */
int main(int argc, char **argv) {
        static char buf[64][16384];
        struct mmsghdr m[64] = {};
        struct iovec iov[64];
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        struct timespec t0 = {}, t1 = {};
        char want[64];
        int fd, sz = 8 << 20, wl, done = 0;
        long n = 0;

        if (argc != 3)
                return 2;
        wl = snprintf(want, sizeof want, "MESSAGE=%s\n", argv[2]);
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
        if (fd < 0 || bind(fd, (struct sockaddr *) &a, sizeof a) < 0) {
                perror("sink");
                return 1;
        }
        (void) setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz);
        for (int i = 0; i < 64; i++) {
                iov[i] = (struct iovec){.iov_base = buf[i], .iov_len = sizeof buf[i]};
                m[i].msg_hdr.msg_iov = &iov[i];
                m[i].msg_hdr.msg_iovlen = 1;
        }
        printf("ready\n");
        fflush(stdout);
        while (!done) {
                struct pollfd p = {.fd = fd, .events = POLLIN};
                int k;

                if (poll(&p, 1, 20000) <= 0)
                        break;
                k = recvmmsg(fd, m, 64, MSG_DONTWAIT, NULL);
                if (k <= 0)
                        continue;
                clock_gettime(CLOCK_MONOTONIC, &t1);
                if (n == 0)
                        t0 = t1;
                for (int i = 0; i < k; i++, n++)
                        if ((int) m[i].msg_len >= wl && memcmp(buf[i], want, (size_t) wl) == 0)
                                done = 1;
        }
        printf("%ld %.6f\n", n, (double) (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
        return 0;
}
C
        cc -O2 -o "$tmp/sink" "$tmp/sink.c" 2>"$tmp/cc.log" ||
                { cat "$tmp/cc.log" >&2; echo "bench-systemd: cc sink.c failed" >&2; exit 1; }
        cat >"$tmp/sink.py" <<'PY'
import os, subprocess, sys, time
berth, sink, bundle, last, root = sys.argv[1:]
subprocess.run(['mount', '-t', 'tmpfs', 'bench', '/run/systemd'], check=True)
os.mkdir('/run/systemd/journal')
s = subprocess.Popen([sink, '/run/systemd/journal/socket', last], stdout=subprocess.PIPE, text=True)
assert s.stdout.readline().strip() == 'ready'
out = open(root + '/stdio', 'w')
st = os.fstat(out.fileno())
env = dict(os.environ, JOURNAL_STREAM='%d:%d' % (st.st_dev, st.st_ino))
rt = [berth, '--root', root + '/state', '--cgroup-manager', 'disabled']
subprocess.run(rt + ['run', '-d', '--bundle', bundle, 'sink'], stdin=subprocess.DEVNULL, stdout=out,
               stderr=out, env=env, check=True)
relay = [int(p) for p in os.listdir('/proc') if p.isdigit() and
         open('/proc/%s/comm' % p).read().strip() == 'berth-relay']
n, span = s.stdout.readline().split()
s.wait()
hz = os.sysconf('SC_CLK_TCK')
cpu = hwm = 0
if len(relay) == 1:
    st = open('/proc/%d/stat' % relay[0]).read().rsplit(')', 1)[1].split()
    cpu = (int(st[11]) + int(st[12])) / hz
    hwm = [int(l.split()[1]) for l in open('/proc/%d/status' % relay[0]) if l.startswith('VmHWM:')][0]
subprocess.run(rt + ['delete', '--force', 'sink'], check=True)
n, span = int(n), float(span)
print('  %-34s %9d %6d %12.0f %9.2f %10s %12s' % ('berth relay into a sink (host)', n, int(last) - n,
      (n - 1) / span if span else 0, span, hwm or '-', '-'))
if cpu:
    print('  relay into the sink: CPU %.1f s = %.1f us/line' % (cpu, cpu * 1e6 / int(last)))
PY
        mkdir -p "$tmp/sinkroot"
        unshare -fpm --mount-proc python3 "$tmp/sink.py" "$release/src/berth" "$tmp/sink" "$b/flood" \
                "$lines" "$tmp/sinkroot"
fi
