#!/bin/bash
# Golden tests of berth-generator (no root), as TAP:
#   run.sh GENERATOR [CASE...]
# For each cases/NAME/: runs the generator with BERTH_BUNDLE_PATH=input/etc:input/run:input/var and
# SYSTEMD_LOG_TARGET=console into a fresh normal-dir, and compares with `diff -ru` against
# expected/: normal/ (what it wrote; symlink targets with the unit dir as @UNITDIR@), kmsg (its
# log lines, the input dir as @INPUT@ and the pid as PID) and status (its exit status).
# UPDATE=1 rewrites expected/ from what the generator does now (review the diff before committing).
# Then `--check NAME` (container@.service's ExecStartPre) against cases/search-path.
set -uo pipefail

gen=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
unitdir=${UNITDIR:?UNITDIR: the configured systemd unit dir}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

normalize() { # normalize FILE INPUT
        sed -i -e "s|$2|@INPUT@|g" -e 's/berth-generator\[[0-9]*\]/berth-generator[PID]/g' "$1"
}

run_case() {
        local name=$1 in out
        in=$(cd "$here/cases/$name/input" && pwd -P)
        out=$tmp/$name
        mkdir -p "$out/actual/normal"
        BERTH_BUNDLE_PATH=$in/etc:$in/run:$in/var SYSTEMD_LOG_TARGET=console \
                "$gen" "$out/actual/normal" "$out/early" "$out/late" 2>"$out/actual/kmsg"
        echo $? >"$out/actual/status"
        normalize "$out/actual/kmsg" "$in"
        find "$out/actual/normal" -type f -exec sed -i "s|$in|@INPUT@|g" {} +
        find "$out/actual/normal" -type l | while read -r l; do
                ln -sfn "$(readlink "$l" | sed "s|^$unitdir/|@UNITDIR@/|")" "$l"
        done
        if [ -d "$out/early" ] && [ -n "$(ls -A "$out/early" 2>/dev/null)" ]; then
                not_ok "$name: nothing is written to early-dir"
        fi
        if [ "${UPDATE:-0}" = 1 ]; then
                rm -rf "$here/cases/$name/expected"
                cp -a "$out/actual" "$here/cases/$name/expected"
        fi
        # git keeps no empty directories: an empty normal-dir is no output at all
        find "$out/actual" -mindepth 1 -type d -empty -delete
        if diff -ru --no-dereference "$here/cases/$name/expected" "$out/actual" >"$out/diff" 2>&1; then
                ok "$name: output tree, kmsg lines and exit status as expected"
        else
                not_ok "$name: output differs from expected"
                sed 's/^/# /' "$out/diff"
        fi
}

cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=($(cd "$here/cases" && ls))
for c in "${cases[@]}"; do
        run_case "$c"
done

# --dry-run prints what it would write and writes nothing.
in=$(cd "$here/cases/search-path/input" && pwd -P)
if BERTH_BUNDLE_PATH=$in/etc:$in/run:$in/var "$gen" --dry-run >"$tmp/dry" 2>&1 &&
   grep -qx '==> container@both.service.d/50-bundle.conf <==' "$tmp/dry" &&
   grep -qx "Environment=BERTH_BUNDLE=$in/etc/both" "$tmp/dry"; then
        ok "--dry-run prints the drop-ins"
else
        not_ok "--dry-run prints the drop-ins"; sed 's/^/# /' "$tmp/dry"
fi

# --check NAME, as container@.service runs it.
check() { # check WANT-STATUS WANT-GREP BERTH_BUNDLE NAME
        local want=$1 pattern=$2 bundle=$3 name=$4 rc
        if [ -n "$bundle" ]; then
                BERTH_BUNDLE=$bundle BERTH_BUNDLE_PATH=$in/etc:$in/run:$in/var "$gen" --check "$name" >"$tmp/check" 2>&1
        else
                env -u BERTH_BUNDLE BERTH_BUNDLE_PATH=$in/etc:$in/run:$in/var "$gen" --check "$name" >"$tmp/check" 2>&1
        fi
        rc=$?
        if [ "$rc" = "$want" ] && [ "$(wc -l <"$tmp/check")" -le 1 ] &&
           { [ -z "$pattern" ] && [ ! -s "$tmp/check" ] || { [ -n "$pattern" ] && grep -qE -- "$pattern" "$tmp/check"; }; }; then
                ok "--check $name (BERTH_BUNDLE=${bundle:-unset}): exit $want, one line: $(cat "$tmp/check")"
        else
                not_ok "--check $name: exit $rc, expected $want and /$pattern/"; sed 's/^/# /' "$tmp/check"
        fi
}
check 0 '' "$in/etc/both" both
check 0 '' "$in/var/linked" linked
check 1 "^Failed to find the bundle of container 'nope': none of $in/etc/nope/, $in/run/nope/, $in/var/nope/ exists$" "" nope
check 1 "^The bundle of container 'both' is '$in/etc/both', but the unit was generated before it existed: run 'systemctl daemon-reload'$" "" both
check 1 "generated for $in/run/both: run 'systemctl daemon-reload'" "$in/run/both" both
check 1 "^Invalid container name 'a/b'" "" a/b
in=$(cd "$here/cases/bad-bundles/input" && pwd -P)
check 1 "^$in/etc/syntax/config.json:2:1: invalid JSON: unexpected end of input$" "" syntax
check 1 "^$in/etc/bad-type/config.json: process.args: expected an array, got a string$" "" bad-type

echo "1..$n"
[ "$failed" = 0 ]
