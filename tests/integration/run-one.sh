#!/bin/bash
# Run integration scripts outside meson:  tests/integration/run-one.sh [test-NAME.sh|NAME ...]
# (default: all). BERTH defaults to build/src/berth; BERTH=/usr/sbin/runc checks the tests.
dir=$(cd "$(dirname "$0")" && pwd)
export SRCDIR=${SRCDIR:-$(cd "$dir/../.." && pwd)}
export BERTH=${BERTH:-$SRCDIR/build/src/berth}
[ $# -gt 0 ] || set -- "$dir"/test-*.sh
rc=0
for t in "$@"; do
        case $t in
        */*) ;;
        test-*) t=$dir/$t ;;
        *) t=$dir/test-$t.sh ;;
        esac
        echo "# $(basename "$t") ($BERTH)"
        bash "$t"
        r=$?
        echo "# $(basename "$t"): exit $r"
        [ $r -eq 0 ] || rc=1
done
exit $rc
