#!/bin/bash
# Terminals: an interactive `run` driven through a pty this script allocates (python3), the caller's
# terminal settings restored, window size and resize, a pipe on stdin with terminal:true, the console
# socket (tests/helpers/recvtty.c receives the pty master), and the refusals (detached terminal without a
# console socket, a console socket that is missing or not a socket).
. "$(dirname "$0")/lib.sh"

RECVTTY=${RECVTTY:-$SRCDIR/build/tests/recvtty}
if [ ! -x "$RECVTTY" ]; then
        echo "Bail out! recvtty helper $RECVTTY not found (build it: ninja -C build tests/recvtty)"
        exit 99
fi

# ptyrun OUTFILE [STEP...] -- CMD...: run CMD as the session leader of a new pty (its controlling
# terminal; stdio 0-2), play the steps, wait for CMD to exit. All output of the pty goes to OUTFILE.
# Prints "STATUS n" (or "STATUS timeout"), "TERMIOS same|differ ..." (the slave's termios before CMD and
# after it exited), and "EXPECT-TIMEOUT re" for an expect step that did not match in time.
# Steps: size=R,C (set before CMD starts) | send=TEXT (\n etc. decoded) | expect=REGEX (on the output
# since the previous match; 10 s) | resize=R,C (TIOCSWINSZ + SIGWINCH to CMD) | signal=NAME (to CMD) |
# sleep=SECS | sh=COMMAND.
cat >"$TMP/ptyrun.py" <<'PY'
import fcntl, os, re, select, signal, struct, subprocess, sys, termios, time

out_path = sys.argv[1]
i = sys.argv.index("--")
steps, cmd = sys.argv[2:i], sys.argv[i + 1:]
TIMEOUT = float(os.environ.get("PTY_TIMEOUT", "15"))

master, slave = os.openpty()
def winsz(fd, r, c):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
for s in steps:
    if s.startswith("size="):
        winsz(master, *map(int, s[5:].split(",")))
before = termios.tcgetattr(slave)

pid = os.fork()
if pid == 0:
    os.close(master)
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    if slave > 2:
        os.close(slave)
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)

buf = bytearray()
mark = 0
status = None
out = open(out_path, "wb")

def pump(t):
    """Read what the pty has for up to t seconds; reap CMD if it exited."""
    global status
    end = time.monotonic() + t
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        r, _, _ = select.select([master], [], [], min(left, 0.05))
        if r:
            try:
                d = os.read(master, 65536)
            except OSError:
                d = b""
            buf.extend(d)
            out.write(d)
            out.flush()
        if status is None:
            p, st = os.waitpid(pid, os.WNOHANG)
            if p == pid:
                status = os.waitstatus_to_exitcode(st)
                if status < 0:
                    status = 128 - status

deadline = time.monotonic() + TIMEOUT
for s in steps:
    k, _, v = s.partition("=")
    if k == "send":
        os.write(master, v.encode().decode("unicode_escape").encode("latin-1"))
    elif k == "expect":
        rx = re.compile(v.encode())
        end = min(time.monotonic() + 10, deadline)
        while True:
            m = rx.search(buf, mark)
            if m:
                mark = m.end()
                break
            if time.monotonic() >= end:
                print("EXPECT-TIMEOUT " + v)
                break
            pump(0.05)
    elif k == "resize":
        winsz(master, *map(int, v.split(",")))
        try:
            os.kill(pid, signal.SIGWINCH)
        except ProcessLookupError:
            pass
    elif k == "signal":
        os.kill(pid, getattr(signal, "SIG" + v))
    elif k == "sleep":
        pump(float(v))
    elif k == "sh":
        subprocess.run(v, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
    elif k == "size":
        pass
    else:
        sys.exit("ptyrun: bad step " + s)

while status is None and time.monotonic() < deadline:
    pump(0.05)
if status is None:
    os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    status = "timeout"
    print("STATUS timeout")
else:
    print("STATUS %d" % status)
pump(0.1)
after = termios.tcgetattr(slave)
print("TERMIOS same" if before == after else "TERMIOS differ before=%r after=%r" % (before, after))
PY

# pty STEP... -- CMD...: ptyrun with a 40 s limit. Sets PTY (the driver's report), PTYOUT (the pty
# output, CRs removed), STATUS, TERMIOS ("same" or the difference).
pty() {
        PTY=$(timeout -k 5 40 python3 "$TMP/ptyrun.py" "$TMP/pty.out" "$@" 2>&1)
        PTYOUT=$(tr -d '\r' <"$TMP/pty.out")
        STATUS=$(printf '%s\n' "$PTY" | sed -n 's/^STATUS //p')
        TERMIOS=$(printf '%s\n' "$PTY" | sed -n 's/^TERMIOS //p')
}

# pty_run NAME [STEP...]: pty with `run` of bundle NAME as container $(cid NAME).
pty_run() {
        local name=$1
        shift
        pty "$@" -- "$BERTH" --root "$STATE" run --bundle "$TMP/b/$name" "$(cid "$name")"
}

# has_line DESC TEXT LINE: TEXT has a line that is exactly LINE.
has_line() {
        if printf '%s\n' "$2" | grep -qxF -- "$3"; then
                pass "$1"
        else
                fail "$1" "expected a line: '$3'" "got: '$2'"
        fi
}

# tbundle NAME [CFG-EDIT...]: bundle NAME running an interactive sh with terminal:true.
tbundle() {
        local name=$1
        shift
        new_bundle "$name" sh
        cfg_edit "$TMP/b/$name" 'c["process"]["terminal"]=True' "$@"
}

# no_state ID: the runtime kept no state for ID.
no_state() { [ ! -e "$STATE/$1" ]; }

# ---- interactive run: the test types, reads 42, gets the shell's exit status
tbundle tty
pty_run tty 'expect=# ' 'send=echo $((6*7)); exit 3\r'
is "interactive run: exit status is the shell's (3)" 3 "$STATUS"
has_line "interactive run: the shell printed 42" "$PTYOUT" 42
unlike "interactive run: no expect step timed out" "$PTY" EXPECT-TIMEOUT
is "interactive run: the caller's termios are the same after" same "$TERMIOS"
like "interactive run: output comes through the pty (echo of what was typed)" "$PTYOUT" 'echo $((6*7))'
is "interactive run: no state left" yes "$(no_state "$(cid tty)" && echo yes)"

# ---- the container is killed from outside while the interactive run goes on
tbundle ttykill
pty_run ttykill 'expect=# ' 'send=echo started\r' 'expect=\nstarted\r' \
        "sh=timeout 10 $BERTH --root $STATE kill $(cid ttykill) KILL"
unlike "killed interactive run: no expect step timed out" "$PTY" EXPECT-TIMEOUT
is "killed interactive run: exit status 137 (128+SIGKILL)" 137 "$STATUS"
is "killed interactive run: the caller's termios are the same after" same "$TERMIOS"

# ---- window size: set before start, then a resize
tbundle ttysize
pty_run ttysize size=31,101 'expect=# ' 'send=stty size\r' 'expect=31 101' 'resize=42,123' 'sleep=0.3' \
        'send=stty size; exit 0\r' 'expect=42 123'
unlike "window size: no expect step timed out" "$PTY" EXPECT-TIMEOUT
is "window size: run exits 0" 0 "$STATUS"
has_line "window size: stty size inside shows the caller's size (31 101)" "$PTYOUT" "31 101"
has_line "window size: after a resize stty size shows the new size (42 123)" "$PTYOUT" "42 123"
is "window size: the caller's termios are the same after" same "$TERMIOS"

# ---- a signal to the runtime reaches the process (terminal path)
tbundle ttysig 'c["process"]["args"]=["sh","-c","trap \"echo got-term; exit 7\" TERM; echo ready; while :; do sleep 0.1; done"]'
pty_run ttysig 'expect=ready\r' signal=TERM 'expect=got-term'
unlike "SIGTERM: no expect step timed out" "$PTY" EXPECT-TIMEOUT
is "SIGTERM to the runtime is forwarded: the trap's exit status 7" 7 "$STATUS"
has_line "SIGTERM to the runtime is forwarded: the trap ran" "$PTYOUT" got-term
is "SIGTERM: the caller's termios are the same after" same "$TERMIOS"

# ---- all output written just before the exit arrives (the pty is drained after the exit), also when
# the reader is slow (stdout a pipe nobody reads for a second, so the runtime falls behind)
tbundle ttydrain 'c["process"]["args"]=["sh","-c","seq 1 30000; exit 5"]'
pty_run ttydrain
is "output before exit: exit status 5" 5 "$STATUS"
is "output before exit: nothing is lost (last line 30000)" 30000 "$(printf '%s\n' "$PTYOUT" | tail -n 1)"
is "output before exit: nothing is lost (30000 lines)" 30000 "$(printf '%s\n' "$PTYOUT" | grep -c .)"
# 13000 lines (~63K) fit the pipe and the runtime's buffers only in part: the rest is still in the pty
# when the process exits.
tbundle ttydrain2 'c["process"]["args"]=["sh","-c","seq 1 13000; exit 5"]'
pty -- sh -c '"$0" --root "$1" run --bundle "$2" "$3" | (sleep 1; cat)' \
        "$BERTH" "$STATE" "$TMP/b/ttydrain2" "$(cid ttydrain2)"
is "output before exit, slow reader: nothing is lost (last line 13000)" 13000 "$(printf '%s\n' "$PTYOUT" | tail -n 1)"
is "output before exit, slow reader: nothing is lost (13000 lines)" 13000 "$(printf '%s\n' "$PTYOUT" | grep -c .)"

# ---- stdin a pipe (not a tty), terminal:true: in a terminal session (stdout the tty), and with no
# terminal at all (runc 1.1.5 insists on a controlling terminal: "open /dev/tty: no such device")
tbundle ttypipe
pty -- sh -c 'printf "echo hi\nexit 4\n" | "$0" --root "$1" run --bundle "$2" "$3"' \
        "$BERTH" "$STATE" "$TMP/b/ttypipe" "$(cid ttypipe)"
is "stdin a pipe, stdout a tty: exit status 4" 4 "$STATUS"
has_line "stdin a pipe, stdout a tty: the shell printed hi" "$PTYOUT" hi
is "stdin a pipe, stdout a tty: the caller's termios are the same after" same "$TERMIOS"

# End of input without an `exit`: the shell gets VEOF (^D) once it has read everything (runc 1.1.5 does
# not send it: the shell waits for more input until the time limit)
PTY_TIMEOUT=4 pty -- sh -c 'printf "echo hi\n" | "$0" --root "$1" run --bundle "$2" "$3"' \
        "$BERTH" "$STATE" "$TMP/b/ttypipe" "$(cid ttypipeeof)"
runc_is "runc does not send VEOF" "stdin a pipe without exit: the shell ends at end of input (status 0)" 0 "$STATUS"
has_line "stdin a pipe without exit: the shell printed hi" "$PTYOUT" hi
rt delete --force "$(cid ttypipeeof)" >/dev/null 2>&1

printf 'echo hi\nexit 4\n' | setsid -w timeout -k 5 "$RT_TIMEOUT" "$BERTH" --root "$STATE" \
        run --bundle "$TMP/b/ttypipe" "$(cid ttypipe)" >"$TMP/out" 2>"$TMP/err"
RC=$?
OUT=$(tr -d '\r' <"$TMP/out")
ERR=$(cat "$TMP/err")
runc_is "runc needs a controlling terminal" "no terminal at all, stdin a pipe: exit status 4" 4 "$RC"
if printf '%s\n' "$OUT" | grep -qx hi || [ "$RT_NAME" != runc ]; then
        has_line "no terminal at all, stdin a pipe: the shell printed hi" "$OUT" hi
else
        skip "no terminal at all, stdin a pipe: the shell printed hi: runc needs a controlling terminal"
fi

# ---- process.consoleSize, where no caller's terminal overrides it (runc copies the caller's size
# over it, even 0x0)
tbundle ttycsize 'c["process"]["consoleSize"]={"height":27,"width":93}'
printf 'stty size\nexit 0\n' | setsid -w timeout -k 5 "$RT_TIMEOUT" "$BERTH" --root "$STATE" \
        run --bundle "$TMP/b/ttycsize" "$(cid ttycsize)" >"$TMP/out" 2>"$TMP/err"
RC=$?
OUT=$(tr -d '\r' <"$TMP/out")
ERR=$(cat "$TMP/err")
runc_is "runc needs a controlling terminal" "consoleSize, no terminal: run exits 0" 0 "$RC"
if printf '%s\n' "$OUT" | grep -qx "27 93" || [ "$RT_NAME" != runc ]; then
        has_line "consoleSize, no terminal: stty size inside shows height and width (27 93)" "$OUT" "27 93"
else
        skip "consoleSize, no terminal: runc needs a controlling terminal"
fi

# ---- process.consoleSize wins over the caller's terminal size (runc copies the caller's size over it)
pty size=31,101 'expect=# ' 'send=stty size; exit 0\r' -- \
        "$BERTH" --root "$STATE" run --bundle "$TMP/b/ttycsize" "$(cid ttycsize2)"
runc_is "runc copies the caller's size over consoleSize" "consoleSize with a caller's terminal: stty size shows 27 93" \
        "27 93" "$(printf '%s\n' "$PTYOUT" | grep -x '[0-9]* [0-9]*')"

# ---- console socket: run -d
# recv_start NAME [RECVTTY-ARG...]: recvtty on $TMP/NAME.sock in the background (output in
# $TMP/NAME.recv), waits for the socket.
recv_start() {
        local name=$1 i
        shift
        rm -f "$TMP/$name.sock"
        "$RECVTTY" --timeout 20 "$@" "$TMP/$name.sock" >"$TMP/$name.recv" 2>"$TMP/$name.recverr" &
        RECV_PID=$!
        for ((i = 0; i < 300; i++)); do
                [ -S "$TMP/$name.sock" ] && return 0
                sleep 0.01
        done
        return 1
}
# recv_wait NAME: wait for recvtty (at most 20 s). Sets RECV_RC, RECV_OUT (CRs removed).
recv_wait() {
        wait "$RECV_PID"
        RECV_RC=$?
        RECV_OUT=$(tr -d '\r' <"$TMP/$1.recv")
}

tbundle csrun
recv_start csrun --command 'echo $((6*7)); exit 0\n'
rtc run -d --console-socket "$TMP/csrun.sock" --bundle "$TMP/b/csrun" "$(cid csrun)"
is "console socket: run -d exits 0" 0 "$RC"
recv_wait csrun
is "console socket: recvtty ran to the end of the output" 0 "$RECV_RC"
has_line "console socket (run -d): the output read from the master contains 42" "$RECV_OUT" 42
like "console socket: the fd came with the name /dev/ptmx" "$(cat "$TMP/csrun.recverr")" "(/dev/ptmx)"
rt delete --force "$(cid csrun)" >/dev/null 2>&1

# ---- console socket: create + start
tbundle cscreate
recv_start cscreate --command 'echo $((6*7)); exit 0\n'
rtc create --console-socket "$TMP/cscreate.sock" --bundle "$TMP/b/cscreate" "$(cid cscreate)"
is "console socket: create exits 0" 0 "$RC"
is "console socket: created" created "$(state_field "$(cid cscreate)" status)"
rtc start "$(cid cscreate)"
is "console socket: start exits 0" 0 "$RC"
recv_wait cscreate
has_line "console socket (create+start): the output read from the master contains 42" "$RECV_OUT" 42
rt delete --force "$(cid cscreate)" >/dev/null 2>&1

# ---- a console socket path longer than sun_path (108 bytes): the socket is bound at a short path and
# moved (runc 1.1.5 cannot connect to such a path)
long=$TMP/$(printf 'd%.0s' {1..60})/$(printf 'e%.0s' {1..60})
mkdir -p "$long"
tbundle cslong
recv_start cslong --command 'echo $((6*7)); exit 0\n'
mv "$TMP/cslong.sock" "$long/cs.sock"
rtc run -d --console-socket "$long/cs.sock" --bundle "$TMP/b/cslong" "$(cid cslong)"
runc_is "runc cannot use long socket paths" "console socket path of ${#long} bytes: run -d exits 0" 0 "$RC"
if [ "$RC" -eq 0 ]; then
        recv_wait cslong
        has_line "console socket path of ${#long} bytes: the output contains 42" "$RECV_OUT" 42
else
        kill "$RECV_PID" 2>/dev/null
        wait "$RECV_PID" 2>/dev/null
fi
rt delete --force "$(cid cslong)" >/dev/null 2>&1

# ---- console socket and process.consoleSize
recv_start cssize --command 'stty size; exit 0\n'
rtc run -d --console-socket "$TMP/cssize.sock" --bundle "$TMP/b/ttycsize" "$(cid cssize)"
is "console socket + consoleSize: run -d exits 0" 0 "$RC"
recv_wait cssize
has_line "console socket + consoleSize: stty size inside shows height and width (27 93)" "$RECV_OUT" "27 93"
rt delete --force "$(cid cssize)" >/dev/null 2>&1

# ---- detached terminal without a console socket
tbundle detached
rtc run -d --bundle "$TMP/b/detached" "$(cid detached)"
isnt "terminal:true with run -d and no console socket fails" 0 "$RC"
msg_like "the error mentions the console socket" "$ERR" "console-socket"
is "nothing left (no state dir)" yes "$(no_state "$(cid detached)" && echo yes)"

# ---- bad console socket paths
tbundle badcs
rtc run -d --console-socket "$TMP/missing.sock" --bundle "$TMP/b/badcs" "$(cid badcs)"
isnt "missing console socket: fails" 0 "$RC"
like "missing console socket: the error names the path" "$ERR" "$TMP/missing.sock"
is "missing console socket: nothing left" yes "$(no_state "$(cid badcs)" && echo yes)"

: >"$TMP/regular.sock"
rtc create --console-socket "$TMP/regular.sock" --bundle "$TMP/b/badcs" "$(cid badcs)"
isnt "console socket a regular file: fails" 0 "$RC"
like "console socket a regular file: the error names the path" "$ERR" "$TMP/regular.sock"
msg_like "console socket a regular file: the error says it is not a socket" "$ERR" "not a socket"
is "console socket a regular file: nothing left" yes "$(no_state "$(cid badcs)" && echo yes)"

finish
