#!/bin/bash
# A short libFuzzer run of each fuzz target under ASan+UBSan, printing TAP (tests/run-all.sh counts it):
#   tests/fuzz/run.sh [-t SECONDS] [-B BUILDDIR] [TARGET...]
# TARGET: spec, process, state (default: all). SECONDS per target: 30 (or $FUZZ_SECONDS).
# BUILDDIR (default build-fuzz in the source tree) is configured with CC=clang -Dfuzz=true and
# -Db_sanitize=address,undefined. Each target runs on BUILDDIR/fuzz-corpus/TARGET (kept between
# runs, so local runs build on each other) plus the seeds in tests/fuzz/corpus/TARGET, with the
# dictionary tests/fuzz/json.dict. A crash, sanitizer report, leak, timeout or OOM fails the
# target; its input is saved in BUILDDIR/fuzz-artifacts/TARGET/: fix the bug, then add the input
# to tests/fuzz/corpus/TARGET/ so every build replays it (the 'fuzz' meson suite).
# Without clang or libFuzzer (apt-get install clang libclang-rt-14-dev) it prints "1..0 # SKIP".
set -uo pipefail

usage() { echo "usage: $0 [-t SECONDS] [-B BUILDDIR] [spec|process|state...]" >&2; exit 2; }

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
secs=${FUZZ_SECONDS:-30}
builddir=$srcdir/build-fuzz
while getopts t:B:h o; do
        case $o in
        t) secs=$OPTARG ;;
        B) builddir=$OPTARG ;;
        *) usage ;;
        esac
done
shift $((OPTIND - 1))
[[ $secs =~ ^[1-9][0-9]*$ ]] || usage
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(spec process state)
for t in "${targets[@]}"; do
        [ -d "$srcdir/tests/fuzz/corpus/$t" ] || { echo "$0: unknown target '$t'" >&2; usage; }
done

cc=${FUZZ_CC:-clang}
probe=$(mktemp -d /tmp/berth-fuzz-probe.XXXXXX)
trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' >"$probe/p.c"
if ! command -v "$cc" >/dev/null; then
        echo "1..0 # SKIP $cc not found (apt-get install clang libclang-rt-14-dev)"
        exit 0
fi
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
        echo "1..0 # SKIP $cc cannot link libFuzzer (apt-get install libclang-rt-14-dev): $(head -n 1 "$probe/err")"
        exit 0
fi

n=0
failed=0
report() { # report OK|FAIL TEXT [LOGFILE]
        n=$((n + 1))
        if [ "$1" = OK ]; then
                echo "ok $n - $2"
        else
                failed=$((failed + 1))
                echo "not ok $n - $2"
                [ -z "${3:-}" ] || { grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$3" | head -n 10
                                     grep -E '^ +#[0-9]+ ' "$3" | head -n 8; } | sed 's/^/# /'
        fi
}

mkdir -p "$builddir/meson-logs" 2>/dev/null
buildlog=$builddir/meson-logs/fuzz-build.txt
if [ -f "$builddir/build.ninja" ]; then
        meson setup --reconfigure -Dfuzz=true "$builddir" "$srcdir" >"$buildlog" 2>&1
else
        CC=$cc meson setup -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
                --buildtype=debugoptimized "$builddir" "$srcdir" >"$buildlog" 2>&1
fi
rc=$?
fuzzers=()
for t in "${targets[@]}"; do fuzzers+=("fuzz-$t"); done
[ $rc -ne 0 ] || meson compile -C "$builddir" "${fuzzers[@]}" >>"$buildlog" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
        report FAIL "fuzz build in '$builddir' (log: $buildlog)"
        grep -E 'error|ERROR' "$buildlog" | head -n 20 | sed 's/^/# /'
        echo "1..$n"
        exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
for t in "${targets[@]}"; do
        work=$builddir/fuzz-corpus/$t
        art=$builddir/fuzz-artifacts/$t
        log=$builddir/meson-logs/fuzz-$t.txt
        mkdir -p "$work" "$art"
        # -timeout: one input taking seconds is a bug (a parser loop); -rss_limit_mb: libFuzzer's
        # default, written out. New inputs go to $work only: the seed corpus stays as committed.
        "$builddir/tests/fuzz/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
                -dict="$srcdir/tests/fuzz/json.dict" -artifact_prefix="$art/" -print_final_stats=1 \
                "$work" "$srcdir/tests/fuzz/corpus/$t" >"$log" 2>&1
        rc=$?
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -n 1)
        if [ $rc -eq 0 ]; then
                report OK "fuzz-$t: ${secs}s, ${execs:-?} runs, ${cov:-no stats}"
        else
                report FAIL "fuzz-$t: exit $rc after ${execs:-?} runs, input in $art/ (log: $log)" "$log"
        fi
done
echo "1..$n"
[ $failed -eq 0 ]
