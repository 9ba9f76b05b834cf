#!/bin/sh
# run-fuzz.sh: build the libFuzzer harnesses with clang and run each one for
# a bounded time over a copy of the seed corpus. Exit 0 when no harness
# found anything, 1 on a crash / leak / hang (the reproducer is kept), 2 on
# a setup error.
#
# Usage:   tests/fuzz/run-fuzz.sh [HARNESS...]      (default: all of them)
#          make fuzz [FUZZ_SECONDS=20]              (from any build dir)
#
# Environment:
#   FUZZ_SECONDS    seconds per harness (default 60; CI uses ~20)
#   FUZZ_BUILDDIR   clang build directory, created and configured when
#                   missing (default /tmp/virtnet-fuzz-$(id -u)); it is
#                   configured as
#                     CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link' \
#                       SRCDIR/configure --enable-fuzz --enable-sanitizers
#   FUZZ_ARTIFACTS  where crash-*/leak-*/timeout-* files go
#                   (default FUZZ_BUILDDIR/artifacts)
#   FUZZ_JOBS       make -j (default 2)
#   FUZZ_FLAGS      extra libFuzzer flags (e.g. "-seed=1 -max_len=8192")
#   CC              compiler for a new build dir (default clang)
#
# Reproduce a finding:  FUZZ_BUILDDIR/tests/fuzz/fuzz-NAME ARTIFACT
# The seed corpus (tests/fuzz/corpus/*) is never modified: the harnesses
# write new inputs to a temporary copy that is removed at the end.
set -u

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-60}
[ -n "$seconds" ] || seconds=60
builddir=${FUZZ_BUILDDIR:-/tmp/virtnet-fuzz-$(id -u)}
artifacts=${FUZZ_ARTIFACTS:-$builddir/artifacts}
jobs=${FUZZ_JOBS:-2}
cc=${CC:-clang}
harnesses=${*:-"message dispatch agent"}

say() { printf 'run-fuzz: %s\n' "$*"; }

command -v "$cc" >/dev/null 2>&1 || { say "$cc not found (install clang and libclang-rt-dev)"; exit 2; }

# 1. A configured clang build directory. A source tree configured in place
# (the README's commands do that) cannot also host an out-of-tree build, so
# then the build uses a pristine copy of the tree's source files.
mkdir -p "$builddir" "$artifacts" || exit 2
cfgsrc=$srcdir
if [ -f "$srcdir/config.status" ]; then
    cfgsrc=$builddir-src
    say "source tree is configured in place; building from a copy in $cfgsrc"
    rm -rf "$cfgsrc" && mkdir -p "$cfgsrc" || exit 2
    (cd "$srcdir" && { git ls-files; git ls-files --others --exclude-standard; } |
        while IFS= read -r f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
        xargs -0 cp --parents -t "$cfgsrc") || { say "cannot copy the source tree"; exit 2; }
    (cd "$cfgsrc" && autoreconf -fi >/dev/null 2>&1) || { say "autoreconf failed"; exit 2; }
    rm -rf "$builddir" && mkdir -p "$builddir" "$artifacts" || exit 2
fi
if [ ! -f "$builddir/Makefile" ] ||
   ! grep -q 'fuzzer-no-link' "$builddir/config.status" 2>/dev/null ||
   ! grep -qF "srcdir='$cfgsrc'" "$builddir/config.status" 2>/dev/null; then
    say "configuring $builddir (CC=$cc)"
    (cd "$builddir" && CC="$cc" CFLAGS='-g -O1 -fsanitize=fuzzer-no-link' \
        "$cfgsrc/configure" -q --enable-fuzz --enable-sanitizers) || {
        say "configure failed"; exit 2; }
fi

# 2. The harnesses.
targets=
for h in $harnesses; do targets="$targets tests/fuzz/fuzz-$h"; done
say "building$targets"
# shellcheck disable=SC2086  # a list of targets
make -C "$builddir" -j"$jobs" $targets >"$builddir/fuzz-build.log" 2>&1 || {
    tail -40 "$builddir/fuzz-build.log"; say "build failed (log: $builddir/fuzz-build.log)"; exit 2; }

# 3. Run each over a copy of the seeds.
work=$(mktemp -d "${TMPDIR:-/tmp}/virtnet-fuzz-run.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
status=0
for h in $harnesses; do
    bin="$builddir/tests/fuzz/fuzz-$h"
    corpus="$work/corpus-$h"
    mkdir -p "$corpus"
    cp "$cfgsrc"/tests/fuzz/corpus/* "$corpus"/ 2>/dev/null
    log="$work/fuzz-$h.log"
    say "fuzz-$h for ${seconds}s"
    # -timeout: one input taking this long is a hang (the dispatch harness
    # has its own 10 s deadline and aborts with its state first).
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$artifacts/fuzz-$h-" \
        ${FUZZ_FLAGS:-} "$corpus" >"$log" 2>&1
    rc=$?
    # Summary: the last status line and libFuzzer's final stats.
    grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log"
    if [ $rc -ne 0 ]; then
        status=1
        say "fuzz-$h FAILED (exit $rc); log tail:"
        tail -60 "$log"
        cp "$log" "$artifacts/fuzz-$h.log"
        say "log kept in $artifacts/fuzz-$h.log; reproducers:"
        for a in "$artifacts/fuzz-$h-"*; do [ -e "$a" ] && echo "  $a"; done
    else
        say "fuzz-$h ok ($(find "$corpus" -type f | wc -l) corpus entries)"
    fi
done
exit $status
