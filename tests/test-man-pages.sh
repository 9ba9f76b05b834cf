#!/bin/sh
# test-man-pages.sh: the man pages (docs/man, as made in the build tree) and
# the installed configuration file against what the code really has:
#  - virtnetd.conf(5) has an entry (.TP/.TQ line) for every key of the
#    daemon's configuration table (daemon/virtnetdconfig.c), and no entry
#    for a key that is not in it;
#  - daemon/virtnetd.conf has a "#key = value" line for every key, none for
#    an unknown one, and its defaults, uncommented, start the daemon;
#  - virtnetd(8) has every option of virtnetd's getopt table (long names and
#    the optstring's letters), as its --help does;
#  - virtnet(1) has every option and command `virtnet --help` lists;
#  - virtnet-bench(1) has every option of its getopt table and of its
#    --help, and every workload;
#  - no page has an option entry the program does not know, and groff
#    finds nothing to warn about.
# The lists are read from the sources and the built programs, never
# written here.
set -u
SRC=${VIRTNET_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${VIRTNET_TEST_BUILDDIR:-$SRC}
MAN=$BUILD/docs/man
pass=0
fail=0
TMP=$(mktemp -d /tmp/virtnet-man.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; for l in "$@"; do echo "     $l"; done; fail=$((fail + 1)); }

# The entries of a page: the line after each .TP / .TQ, roff removed.
terms() {
    awk '/^\.T[PQ]/ { if ((getline line) > 0) print line }' "$1" |
        sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/^\.[BI][RI]* //' -e 's/"//g'
}

# Words missing from a list: missing WORDS_FILE LIST_FILE
missing() { sort -u "$1" | comm -23 - "$(sort -u "$2" > "$2.s"; echo "$2.s")"; }

# check NAME EXPECTED_FILE DOCUMENTED_FILE: every expected word is documented.
check() {
    if [ ! -s "$2" ]; then
        bad "$1" "found nothing to check: the list could not be read"
        return
    fi
    m=$(missing "$2" "$3")
    if [ -z "$m" ]; then
        ok "$1 ($(sort -u "$2" | wc -l) checked)"
    else
        bad "$1" "missing: $(echo $m)"
    fi
}

# check_known NAME DOCUMENTED_FILE KNOWN_FILE: nothing documented is unknown.
check_known() {
    m=$(missing "$2" "$3")
    if [ -z "$m" ]; then
        ok "$1"
    else
        bad "$1" "documented but not in the code: $(echo $m)"
    fi
}

for p in virtnetd.8 virtnetd.conf.5 virtnet.1 virtnet-bench.1; do
    if [ ! -f "$MAN/$p" ]; then
        echo "FAIL $MAN/$p is missing (make builds it from docs/man/$p.in)"
        echo "0 passed, 1 failed"
        exit 1
    fi
done

# ---- configuration keys --------------------------------------------------
sed -n 's/^ *{ *"\([a-z_0-9]*\)", *VIR_CONF_[A-Z]* *}.*/\1/p' "$SRC/daemon/virtnetdconfig.c" > "$TMP/keys"
terms "$MAN/virtnetd.conf.5" | awk '$2 == "=" { print $1 }' > "$TMP/man-keys"
check "virtnetd.conf(5) documents every configuration key" "$TMP/keys" "$TMP/man-keys"
check_known "virtnetd.conf(5) documents no unknown key" "$TMP/man-keys" "$TMP/keys"

CONF=$BUILD/daemon/virtnetd.conf
sed -n 's/^#\([a-z_0-9]*\) = .*/\1/p' "$CONF" > "$TMP/conf-keys"
check "virtnetd.conf lists every key" "$TMP/keys" "$TMP/conf-keys"
check_known "virtnetd.conf lists no unknown key" "$TMP/conf-keys" "$TMP/keys"
dups=$(sort "$TMP/conf-keys" | uniq -d)
if [ -z "$dups" ]; then ok "virtnetd.conf lists each key once"; else bad "virtnetd.conf lists each key once" "twice: $dups"; fi

# The defaults (lines not introduced as an example), uncommented, with the
# run directory moved here: the daemon takes them and starts.
awk -v dir="$TMP/run" '
    /^#[a-z_0-9]* = / && !example {
        line = substr($0, 2)
        if (line ~ /^unix_sock_dir = /) line = "unix_sock_dir = \"" dir "\""
        print line
    }
    { example = /Example:$/ }' "$CONF" > "$TMP/defaults.conf"
if VIRTNET_LOG_OUTPUTS= timeout 20 "$BUILD/daemon/virtnetd" -f "$TMP/defaults.conf" -t 1 \
       > "$TMP/daemon.out" 2>&1 &&
   grep -q '^virtnetd: ready' "$TMP/daemon.out"; then
    ok "virtnetd.conf's defaults, uncommented, load and the daemon starts ($(wc -l < "$TMP/defaults.conf") keys)"
else
    bad "virtnetd.conf's defaults, uncommented, load and the daemon starts" "$(cat "$TMP/daemon.out")"
fi

# ---- options ------------------------------------------------------------
# long_opts FILE: the names of a getopt_long table; short_opts FILE: the
# letters of its optstring.
long_opts() { sed -n 's/^ *{ *"\([a-z][a-z-]*\)", *[a-z_]*_argument,.*/--\1/p' "$1"; }
short_opts() {
    sed -n 's/.*getopt_long([^"]*"\([^"]*\)".*/\1/p' "$1" | tr -d ':' | fold -w1 | sed 's/^/-/'
}
# opts_in FILE: the option words in a text.
opts_in() { grep -oE '(^|[^a-zA-Z0-9-])--?[a-zA-Z][a-zA-Z0-9-]*' "$1" | sed 's/^[^-]*//' | sort -u; }

# virtnetd
{ long_opts "$SRC/daemon/virtnetd.c"; short_opts "$SRC/daemon/virtnetd.c"; } > "$TMP/virtnetd-opts"
terms "$MAN/virtnetd.8" > "$TMP/virtnetd-terms"
opts_in "$TMP/virtnetd-terms" > "$TMP/virtnetd-man-opts"
check "virtnetd(8) documents every option of virtnetd's getopt table" "$TMP/virtnetd-opts" "$TMP/virtnetd-man-opts"
check_known "virtnetd(8) documents no unknown option" "$TMP/virtnetd-man-opts" "$TMP/virtnetd-opts"
"$BUILD/daemon/virtnetd" --help > "$TMP/virtnetd-help"
opts_in "$TMP/virtnetd-help" > "$TMP/virtnetd-help-opts"
check "virtnetd --help lists every option of its getopt table" "$TMP/virtnetd-opts" "$TMP/virtnetd-help-opts"

# virtnet: options before the command list, commands and their options after.
"$BUILD/tools/virtnet" --help > "$TMP/virtnet-help"
opts_in "$TMP/virtnet-help" > "$TMP/virtnet-opts"
sed -n '/^Commands/,$ { /^  [a-z]/ { s/^  \([a-z][a-z-]*\).*/\1/p } }' "$TMP/virtnet-help" > "$TMP/virtnet-cmds"
terms "$MAN/virtnet.1" > "$TMP/virtnet-terms"
opts_in "$TMP/virtnet-terms" > "$TMP/virtnet-man-opts"
awk '{ print $1 }' "$TMP/virtnet-terms" > "$TMP/virtnet-man-words"
check "virtnet(1) documents every option virtnet --help lists" "$TMP/virtnet-opts" "$TMP/virtnet-man-opts"
check "virtnet(1) documents every command virtnet --help lists" "$TMP/virtnet-cmds" "$TMP/virtnet-man-words"
check_known "virtnet(1) documents no unknown option" "$TMP/virtnet-man-opts" "$TMP/virtnet-opts"

# virtnet-bench
{ long_opts "$SRC/tools/virtnet-bench.c"; short_opts "$SRC/tools/virtnet-bench.c"; } > "$TMP/bench-opts"
"$BUILD/tools/virtnet-bench" --help > "$TMP/bench-help"
opts_in "$TMP/bench-help" >> "$TMP/bench-opts"
sed -n 's/^workloads: //p' "$TMP/bench-help" | tr ' ' '\n' | grep . > "$TMP/bench-workloads"
terms "$MAN/virtnet-bench.1" > "$TMP/bench-terms"
opts_in "$TMP/bench-terms" > "$TMP/bench-man-opts"
awk '{ print $1 }' "$TMP/bench-terms" > "$TMP/bench-man-words"
check "virtnet-bench(1) documents every option (getopt table and --help)" "$TMP/bench-opts" "$TMP/bench-man-opts"
check "virtnet-bench(1) documents every workload" "$TMP/bench-workloads" "$TMP/bench-man-words"
check_known "virtnet-bench(1) documents no unknown option" "$TMP/bench-man-opts" "$TMP/bench-opts"

# ---- formatting -----------------------------------------------------------
if command -v groff > /dev/null 2>&1; then
    for p in virtnetd.8 virtnetd.conf.5 virtnet.1 virtnet-bench.1; do
        # All warnings but "cannot adjust line", which long configured paths cause.
        w=$(groff -man -ww -Wbreak -z -Tutf8 "$MAN/$p" 2>&1)
        if [ -z "$w" ]; then ok "$p formats without warnings"; else bad "$p formats without warnings" "$w"; fi
    done
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
