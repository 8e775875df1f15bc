#!/bin/bash
# Run every test suite of a berth build and print one summary line counting TAP results:
#   tests/run-all.sh [--sanitize] BUILDDIR
# Last line of output: "N passed, M failed" (skips are reported on the line before it). A suite that
# ran no check at all (skipped as a whole, e.g. not root) counts as failed: such a run is no pass.
# --sanitize: configure BUILDDIR-asan with ASan+UBSan and run the suites there instead.
# Without --sanitize, three checks run after the meson suites and count like them (TAP):
#   BUILDDIR-release  buildtype=release builds without warnings; its unit and fuzz suites pass
#   BUILDDIR-plain    buildtype=plain with Debian's dpkg-buildflags (-O2 -D_FORTIFY_SOURCE=2 ...), the same
#   BUILDDIR-fuzz     tests/fuzz/run.sh: each libFuzzer target for $FUZZ_SECONDS (default 30) seconds
# Exit status: 0 when nothing failed.
set -uo pipefail

usage() { echo "usage: $0 [--sanitize] BUILDDIR" >&2; exit 2; }

sanitize=0
builddir=
for a in "$@"; do
        case $a in
        --sanitize) sanitize=1 ;;
        -h|--help) usage ;;
        -*) echo "$0: unknown option $a" >&2; usage ;;
        *) [ -z "$builddir" ] || usage; builddir=$a ;;
        esac
done
[ -n "$builddir" ] || usage

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${builddir%/}

# Tests start containers: a notify socket from an outer service manager must not leak into them.
unset NOTIFY_SOCKET

setup() { # setup DIR [MESON-OPTION...]
        local dir=$1; shift
        if [ -f "$dir/build.ninja" ]; then
                meson setup --reconfigure "$@" "$dir" "$srcdir" >/dev/null
        else
                meson setup "$@" "$dir" "$srcdir"
        fi
}

meson_args=()
if [ "$sanitize" = 1 ]; then
        builddir=$builddir-asan
        setup "$builddir" -Db_sanitize=address,undefined -Db_lundef=false || { echo "0 passed, 1 failed"; exit 1; }
        export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:print_summary=1
        export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1
        export LSAN_OPTIONS=${LSAN_OPTIONS:-print_suppressions=0}
        meson_args+=(--timeout-multiplier 3)
elif [ ! -f "$builddir/build.ninja" ]; then
        setup "$builddir" || { echo "0 passed, 1 failed"; exit 1; }
fi

# Build everything, not only what meson test knows the tests depend on: integration tests find
# build/src/berth through the environment, which meson does not count as a dependency.
meson compile -C "$builddir" || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

log=$builddir/meson-logs/testlog.json
rm -f "$log"

meson test -C "$builddir" --print-errorlogs "${meson_args[@]}"
meson_rc=$?

# meson exits 0 with "No tests defined." and may then write no log at all.
[ -f "$log" ] || : >"$log"

# ---- checks beside the meson suites: each prints TAP, recorded in $checks as testlog.json lines ----
checks=$builddir/meson-logs/checks.json
: >"$checks"

check() { # check NAME CMD...: run CMD (TAP on stdout), record its output and exit status
        local name=$1 out=$builddir/meson-logs/check-$1.txt rc
        shift
        echo "check $name..."
        "$@" >"$out" 2>&1
        rc=$?
        sed 's/^/    /' "$out"
        python3 -c 'import json, sys
print(json.dumps({"name": sys.argv[1], "returncode": int(sys.argv[2]),
                  "result": "OK" if sys.argv[2] == "0" else "FAIL",
                  "stdout": open(sys.argv[3], errors="replace").read()}))' "$name" "$rc" "$out" >>"$checks"
}

build_check() { # build_check DIR WHAT [MESON-OPTION...]: setup + compile DIR, no warning allowed
        local dir=$1 what=$2 blog
        shift 2
        blog=$(mktemp)
        if { setup "$dir" "$@" && meson compile -C "$dir"; } >"$blog" 2>&1 &&
           ! grep -q 'warning:' "$blog"; then
                echo "ok 1 - $what builds without warnings"
                rm -f "$blog"
        else
                echo "not ok 1 - $what builds without warnings"
                grep -E 'warning:|error:|ERROR' "$blog" | head -n 20 | sed 's/^/# /'
                rm -f "$blog"
                echo "1..1"
                return 1
        fi
        if meson test -C "$dir" --suite unit --suite fuzz >/dev/null 2>&1; then
                echo "ok 2 - $what: unit and fuzz suites pass"
        else
                echo "not ok 2 - $what: unit and fuzz suites pass (see $dir/meson-logs/testlog.txt)"
                echo "1..2"
                return 1
        fi
        echo "1..2"
}

plain_check() { # a Debian package build: buildtype=plain, flags from dpkg-buildflags
        if ! command -v dpkg-buildflags >/dev/null; then
                echo "1..0 # SKIP dpkg-buildflags not found (apt-get install dpkg-dev)"
                return 0
        fi
        build_check "$builddir-plain" "buildtype=plain with dpkg-buildflags" -Dbuildtype=plain \
                -Dc_args="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)" \
                -Dc_link_args="$(dpkg-buildflags --get LDFLAGS)"
}

if [ "$sanitize" = 0 ]; then
        check release build_check "$builddir-release" "buildtype=release" -Dbuildtype=release
        check plain plain_check
        check fuzz "$srcdir/tests/fuzz/run.sh" -B "$builddir-fuzz"
fi

python3 - "$log" "$meson_rc" "$checks" <<'PY'
import itertools, json, re, sys

log, meson_rc = sys.argv[1], int(sys.argv[2])
passed = failed = skipped = skip77 = 0
bad = []
whole = []   # suites that ran no check at all (not root, no namespaces...): a run like that is no pass
test_line = re.compile(r'^(not ok|ok)\b(.*)$')
directive = re.compile(r'#\s*(SKIP|TODO)\b', re.I)

# testlog.json, then the checks run beside meson (same line format)
with open(log, errors='replace') as f:
    for raw in itertools.chain(f, *(open(c, errors='replace') for c in sys.argv[3:])):
        raw = raw.strip()
        if not raw:
            continue
        try:
            t = json.loads(raw)
        except ValueError:
            failed += 1
            bad.append('(unreadable line in testlog.json)')
            continue
        name = t.get('name', '?')
        result = t.get('result', '')
        p = fl = sk = 0
        for line in (t.get('stdout') or '').splitlines():
            m = test_line.match(line)   # unindented only: subtests are summarised by their parent
            if m:
                d = directive.search(m.group(2))
                if d and d.group(1).upper() == 'SKIP':
                    sk += 1
                elif m.group(1) == 'ok':
                    p += 1
                elif d:                  # "not ok ... # TODO": a known, expected failure
                    sk += 1
                else:
                    fl += 1
            elif re.match(r'^1\.\.0\b.*#\s*SKIP', line, re.I):
                sk += 1
        if t.get('returncode') == 77 and p + fl == 0:
            # exit 77 means "skipped" for plain tests, but meson calls it an error under
            # protocol 'tap' (print "1..0 # SKIP reason" and exit 0 there). Count the skip it means.
            sk = max(sk, 1)
            skip77 += 1
            print('# %s: exit 77 counted as skipped (TAP tests should print "1..0 # SKIP reason")' % name)
        elif result in ('FAIL', 'TIMEOUT', 'ERROR', 'UNEXPECTEDPASS', 'INTERRUPT') and fl == 0:
            fl = 1                       # crashed, timed out or exited non-zero without "not ok"
        elif result == 'SKIP' and p + fl + sk == 0:
            sk = 1                       # whole test skipped
        if p + fl == 0 and sk > 0:
            reason = ''
            for line in (t.get('stdout') or '').splitlines():
                m = re.match(r'^1\.\.0\b.*#\s*SKIP\s*(.*)$', line, re.I)
                if m:
                    reason = m.group(1)
            whole.append('%s%s' % (name, ': ' + reason if reason else ''))
        if fl:
            bad.append('%s (%s, %d failed)' % (name, result, fl))
        passed += p; failed += fl; skipped += sk

if meson_rc != 0 and failed == 0 and skip77 == 0:
    failed = 1
    bad.append('(meson test exited %d)' % meson_rc)
if whole:
    # Counted as failures: a run that skipped whole suites must not end looking like a full pass.
    print('# whole suites skipped (each counted as failed): ' + '; '.join(whole))
    failed += len(whole)
if bad:
    print('# failed: ' + ', '.join(bad))
if skipped:
    print('# %d skipped' % skipped)
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
PY
