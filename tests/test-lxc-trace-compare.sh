#!/bin/bash
# test-lxc-trace-compare.sh: the comparison the LXC differentials rest on
# (lxc-differential.py compare) on small made-up traces: that it passes
# what it must (equal sections, libvirtd's double STOPPED in the reference,
# an event that came after the next section began, a section matched by
# a later reference run) and fails or holds back what it must (a
# difference, the same double STOPPED in virtnetd's trace, a section no
# reference run completed). No root, no daemon.
set -u
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
PY=/usr/bin/python3
"$PY" -c 'import libvirt' 2> /dev/null || { echo "skip: python3-libvirt is not installed"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/vn-tracecmp.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail=0

# expect STATUS NAME OURS REF...: the files are written from here-strings
expect() {
    local want=$1 name=$2 ours=$3 got i=0 refs=()
    shift 3
    printf '%b' "$ours" > "$T/ours"
    for r in "$@"; do i=$((i + 1)); printf '%b' "$r" > "$T/ref$i"; refs+=("$T/ref$i"); done
    "$PY" "$SRC/tests/lxc-differential.py" compare "$T/ours" "${refs[@]}" > "$T/out"
    got=$?
    if [ "$got" = "$want" ]; then
        echo "ok   $name: status $got"
    else
        echo "FAIL $name: status $got, expected $want"; sed 's/^/     /' "$T/out"; fail=1
    fi
}

A='== section a\nevent dt1 STARTED/0 id=N\nevent dt1 STOPPED/1 id=-1\n'
B='== section b\nstate dt2 shutoff/2\n'
expect 0 "equal" "$A$B" "$A$B"
expect 1 "a line differs" "$A$B" "$A== section b\nstate dt2 running/1\n"
expect 1 "a line missing" "$A$B" "$A$B""extra\n"
expect 0 "libvirtd's FAILED before the destroy's STOPPED" "$A$B" \
    "== section a\nevent dt1 STARTED/0 id=N\nevent dt1 STOPPED/5 id=-1\nevent dt1 STOPPED/1 id=-1\n$B"
expect 1 "the same double STOPPED in virtnetd's trace" \
    "== section a\nevent dt1 STARTED/0 id=N\nevent dt1 STOPPED/5 id=-1\nevent dt1 STOPPED/1 id=-1\n$B" "$A$B"
expect 1 "a FAILED that is the only STOPPED stays" "$A$B" \
    "== section a\nevent dt1 STARTED/0 id=N\nevent dt1 STOPPED/5 id=-1\n$B"
expect 0 "an event after the next section began" "$A$B" \
    "== section a\nevent dt1 STARTED/0 id=N\n== section b\nevent dt1 STOPPED/1 id=-1\nstate dt2 shutoff/2\n"
expect 3 "a section no reference run completed" "$A$B" "$A== section b\nTIMEOUT waiting for x\n"
expect 0 "matched by the second reference run" "$A$B" \
    "$A== section b\nTIMEOUT waiting for x\n" "== section a\nTIMEOUT y\n$B"
expect 1 "virtnetd's own TIMEOUT" "$A== section b\nTIMEOUT waiting for x\n" "$A$B"
expect 1 "differs from every complete run" "$A$B" "$A== section b\nx\n" "$A== section b\ny\n"
expect 0 "a trace without sections" "x\ny\n" "x\ny\n"
exit $fail
