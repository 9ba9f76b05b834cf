#!/bin/sh
# run-fuzz.sh: build the libFuzzer harnesses with clang and run each one for
# a bounded time over a copy of its seed corpus. Exit 0 when no harness
# found anything, 1 on a crash / leak / hang (the reproducer is kept), 2 on
# a setup error.
#
# Usage:   tests/fuzz/run-fuzz.sh [HARNESS...]      (default: all of them)
#          make fuzz [FUZZ_SECONDS=20] [FUZZ_HARNESSES='remote demo-dispatch']
#
# A harness is a directory of tests/fuzz/corpus/: "message" (fuzz-message,
# the codec), "agent" (fuzz-agent), "NAME" (fuzz-program --program=NAME
# --mode=decode), "NAME-dispatch" (--mode=dispatch) or "NAME-real"
# (--mode=real), NAME a program of fuzz-program.c's registry.
#
# Environment:
#   FUZZ_SECONDS    seconds per harness (default 60; CI uses 10)
#   FUZZ_BUILDDIR   clang build directory, created and configured when
#                   missing (default /tmp/virtnet-fuzz-$(id -u)); it is
#                   configured as
#                     CC=clang CFLAGS='-g -O1 -fsanitize=fuzzer-no-link' \
#                       SRCDIR/configure --enable-fuzz --enable-sanitizers
#   FUZZ_ARTIFACTS  where crash-*/leak-*/timeout-* files go
#                   (default FUZZ_BUILDDIR/artifacts)
#   FUZZ_JOBS       make -j (default 2)
#   FUZZ_FLAGS      extra libFuzzer flags (e.g. "-seed=1 -max_len=8192")
#   FUZZ_UPDATE_CORPUS=1  after a harness ran clean, replace its seed corpus
#                   in the source tree by the minimised union of the seeds
#                   and what the run found (libFuzzer -merge=1), named
#                   inputs (regress-*, found-*) kept as they are: how the
#                   campaigns keep their corpus
#   CC              compiler for a new build dir (default clang)
#
# Reproduce a finding:  FUZZ_BUILDDIR/tests/fuzz/fuzz-program --program=NAME
#                       --mode=MODE ARTIFACT   (or fuzz-message ARTIFACT)
# Otherwise the seed corpus (tests/fuzz/corpus/*) is never modified: the
# harnesses write new inputs to a temporary copy that is removed at the end.
set -u

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-60}
[ -n "$seconds" ] || seconds=60
builddir=${FUZZ_BUILDDIR:-/tmp/virtnet-fuzz-$(id -u)}
artifacts=${FUZZ_ARTIFACTS:-$builddir/artifacts}
jobs=${FUZZ_JOBS:-2}
cc=${CC:-clang}
harnesses=${*:-$(cd "$srcdir/tests/fuzz/corpus" && ls)}

say() { printf 'run-fuzz: %s\n' "$*"; }

command -v "$cc" >/dev/null 2>&1 || { say "$cc not found (install clang and libclang-rt-dev)"; exit 2; }

# 1. A configured clang build directory. A source tree configured in place
# (the README's commands do that) cannot also host an out-of-tree build, so
# then the build uses a copy of the tree's source files, kept next to the
# build directory and refreshed with their times (cp -p), so that a second
# run only rebuilds what changed.
mkdir -p "$builddir" "$artifacts" || exit 2
cfgsrc=$srcdir
if [ -f "$srcdir/config.status" ]; then
    cfgsrc=$builddir-src
    say "source tree is configured in place; building from a copy in $cfgsrc"
    mkdir -p "$cfgsrc" || exit 2
    (cd "$srcdir" && { git ls-files; git ls-files --others --exclude-standard; } |
        while IFS= read -r f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
        xargs -0 cp -p --parents -t "$cfgsrc") || { say "cannot copy the source tree"; exit 2; }
fi
# a fresh clone or a copy has no configure script yet
if [ ! -f "$cfgsrc/configure" ]; then
    (cd "$cfgsrc" && autoreconf -fi >/dev/null 2>&1) || { say "autoreconf failed"; exit 2; }
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
say "building tests/fuzz/fuzz-message tests/fuzz/fuzz-agent tests/fuzz/fuzz-program"
make -C "$builddir" -j"$jobs" tests/fuzz/fuzz-message tests/fuzz/fuzz-agent tests/fuzz/fuzz-program \
    >"$builddir/fuzz-build.log" 2>&1 || {
    tail -40 "$builddir/fuzz-build.log"; say "build failed (log: $builddir/fuzz-build.log)"; exit 2; }

# 3. Run each over a copy of its seeds.
work=$(mktemp -d "${TMPDIR:-/tmp}/virtnet-fuzz-run.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
status=0
for h in $harnesses; do
    case $h in
    message) set -- "$builddir/tests/fuzz/fuzz-message" ;;
    agent) set -- "$builddir/tests/fuzz/fuzz-agent" ;;
    *-dispatch) set -- "$builddir/tests/fuzz/fuzz-program" --program="${h%-dispatch}" --mode=dispatch ;;
    *-real) set -- "$builddir/tests/fuzz/fuzz-program" --program="${h%-real}" --mode=real ;;
    *) set -- "$builddir/tests/fuzz/fuzz-program" --program="$h" --mode=decode ;;
    esac
    seeds="$srcdir/tests/fuzz/corpus/$h"
    corpus="$work/corpus-$h"
    mkdir -p "$corpus"
    cp "$seeds"/* "$corpus"/ 2>/dev/null
    log="$work/fuzz-$h.log"
    say "fuzz-$h for ${seconds}s ($(find "$corpus" -type f | wc -l) seeds)"
    # -timeout: one input taking this long is a hang (the dispatch mode has
    # its own 10 s deadline and aborts with its state first).
    # shellcheck disable=SC2086
    "$@" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
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
        continue
    fi
    say "fuzz-$h ok ($(find "$corpus" -type f | wc -l) corpus entries)"
    if [ "${FUZZ_UPDATE_CORPUS:-}" = 1 ] && [ -d "$seeds" ]; then
        merged="$work/merged-$h"
        mkdir -p "$merged"
        if "$@" -merge=1 "$merged" "$seeds" "$corpus" >"$work/merge-$h.log" 2>&1; then
            # Inputs with a name (regress-*, found-*: a bug's reproducer)
            # stay as they are, whatever the merge thinks of their
            # coverage; only libFuzzer's own (named by their SHA-1) are
            # replaced, and a merged copy of a named input is dropped.
            for f in "$seeds"/*; do
                b=${f##*/}
                if printf '%s\n' "$b" | grep -qx '[0-9a-f]\{40\}'; then
                    rm -f "$f"
                else
                    rm -f "$merged/$(sha1sum < "$f" | cut -c1-40)"
                fi
            done
            cp "$merged"/* "$seeds"/
            say "fuzz-$h: corpus in the tree minimised to $(find "$seeds" -type f | wc -l) entries ($(du -sk "$seeds" | cut -f1) KiB)"
        else
            tail -20 "$work/merge-$h.log"; say "fuzz-$h: merge failed, corpus left as it was"
        fi
    fi
done
exit $status
