#!/bin/bash
# Benchmark (not a test; CI does not run it): berth-generator's wall time for 1, 100 and 1000
# bundles (target: 1000 bundles in under 50 ms; it blocks boot and every daemon-reload).
#   tests/bench/generator.sh [RUNS]       (RUNS per size, default 21; no root needed)
# Each bundle has the config.json `berth spec` writes (terminal false), an empty rootfs and a
# three-line unit.conf with [Install] WantedBy=, in a tmpfs (/dev/shm) as /etc would be in the page
# cache at boot; the output goes to a tmpfs too, as /run/systemd/generator does. Reported: median
# and best wall time per run, measured around the process (fork + exec + dynamic linking included).
# The generator is measured as shipped: build-release (buildtype=release), or GENERATOR=PATH.
set -euo pipefail

runs=${1:-21}
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
release=$srcdir/build-release
if [ -n "${GENERATOR:-}" ]; then
        gen=$GENERATOR berth=${BERTH:-$srcdir/build/src/berth}
else
        if [ ! -f "$release/build.ninja" ]; then
                meson setup --buildtype=release "$release" "$srcdir" >/dev/null
        fi
        meson compile -C "$release" >/dev/null
        gen=$release/generators/berth-generator berth=$release/src/berth
fi

base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
tmp=$(mktemp -d "$base/berth-genbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$berth" spec --bundle "$tmp"
sed -i 's/"terminal": true/"terminal": false/' "$tmp/config.json"
printf '[Unit]\nAfter=network.target\n[Install]\nWantedBy=multi-user.target\n' >"$tmp/unit.conf"

printf '%-8s %10s %10s %12s\n' bundles median_ms best_ms per_bundle_us
for n in 1 100 1000; do
        src=$tmp/bundles-$n
        mkdir -p "$src"
        for i in $(seq 1 "$n"); do
                mkdir -p "$src/c$i/rootfs"
                cp "$tmp/config.json" "$tmp/unit.conf" "$src/c$i/"
        done
        python3 - "$gen" "$src" "$tmp/out" "$runs" "$n" <<'PY'
import os, shutil, statistics, subprocess, sys, time
gen, src, out, runs, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
env = dict(os.environ, BERTH_BUNDLE_PATH=src, SYSTEMD_LOG_TARGET="console")
times = []
for _ in range(runs):
    shutil.rmtree(out, ignore_errors=True)
    os.mkdir(out)
    t = time.perf_counter()
    subprocess.run([gen, out], env=env, check=True)
    times.append((time.perf_counter() - t) * 1000)
assert len(os.listdir(os.path.join(out, "multi-user.target.wants"))) == n
med = statistics.median(times)
print("%-8d %10.2f %10.2f %12.1f" % (n, med, min(times), med * 1000 / n))
PY
done
