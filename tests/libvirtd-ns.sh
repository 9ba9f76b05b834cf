# tests/libvirtd-ns.sh: sourced by the differential tests that need a real
# libvirtd 9.0 as the reference (root only). libvirtd_ns_start DIR runs it
# in a mount namespace of its own (unshare -m --propagation private) with
# private copies of /run/libvirt, /etc/libvirt (autostart links removed, so
# no network or pool is started on the host) and /var/lib/libvirt, and with
# /sys/fs/cgroup/unified unmounted there: on a host that mixes cgroup v1
# and v2, libvirt's container start fails on the v2 mount otherwise. Its
# sockets go to DIR/sock (its URIs: ...?socket=$L/sock/libvirt-sock), its
# pid file to DIR (another test's libvirtd may run at the same time).
# LIBVIRTD_NS_SETUP, when set, holds more commands run in the namespace
# before libvirtd starts (tests/usb-fake.sh's mounts, say).
# Sets L (DIR) and LPID; libvirtd_ns_stop ends it. Returns 1 with the
# reason on stdout when it does not get ready.

LIBVIRTD=${LIBVIRTD:-/usr/sbin/libvirtd}
LPID=

libvirtd_ns_start() {
    L=$1
    mkdir -p "$L/run" "$L/etc" "$L/lib" "$L/sock" /run/libvirt /var/lib/libvirt
    cp -a /etc/libvirt/. "$L/etc/"
    find "$L/etc" -path '*autostart*' -name '*.xml' -delete
    cat > "$L/etc/libvirtd.conf" <<EOC
unix_sock_dir = "$L/sock"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:file:$L/libvirtd.log"
EOC
    cat > "$L/inner.sh" <<EOC
set -e
mount --bind "$L/run" /run/libvirt
mount --bind "$L/etc" /etc/libvirt
mount --bind "$L/lib" /var/lib/libvirt
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified || umount -l /sys/fs/cgroup/unified; fi
${LIBVIRTD_NS_SETUP:-}
exec "$LIBVIRTD" --config "$L/etc/libvirtd.conf" --pid-file "$L/libvirtd.pid"
EOC
    unshare -m --propagation private bash "$L/inner.sh" > "$L/out" 2>&1 &
    LPID=$!
    for _ in $(seq 1 100); do
        [ -S "$L/sock/libvirt-sock" ] && return 0
        kill -0 "$LPID" 2> /dev/null || { echo "libvirtd exited:"; cat "$L/out"; return 1; }
        sleep 0.1
    done
    echo "libvirtd did not get ready"
    return 1
}

libvirtd_ns_stop() {
    [ -n "$LPID" ] || return 0
    kill -TERM "$LPID" 2> /dev/null
    for _ in $(seq 1 50); do kill -0 "$LPID" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$LPID" 2> /dev/null
    LPID=
}

# (POSIX sh: sh scripts source this file too.)
# compare_with_reference URI MAX: the caller's scenarios() (URI, OUT: writes
# OUT.trace, OUT.stderr) run against the reference at URI up to MAX times,
# until every section of $TMP/virtnetd.trace equals that section of one
# complete reference run (lxc-differential.py compare). Exits the test:
# 0 when all matched; 1 when a section differs from every complete run;
# 77 when no section could be compared (the reference completed none);
# when some matched and the others had no complete reference run in MAX
# runs, 0 with those named.
compare_with_reference() {
    cwr_uri=$1
    cwr_max=$2
    cwr_rc=0
    set --
    for cwr_attempt in $(seq 1 "$cwr_max"); do
        R=$TMP/libvirtd-$cwr_attempt
        scenarios "$cwr_uri" "$R"
        cwr_rc=$?
        if [ $cwr_rc != 0 ]; then
            echo "note reference run $cwr_attempt ended with status $cwr_rc:"
            sed 's/^/     /' "$R.stderr" | tail -20
        fi
        set -- "$@" "$R.trace"
        echo "-- after reference run $cwr_attempt:"
        "$PY" "$SRC/tests/lxc-differential.py" compare "$TMP/virtnetd.trace" "$@" > "$TMP/compare"
        cwr_rc=$?
        if [ $cwr_rc = 0 ]; then
            cat "$TMP/compare"; exit 0
        fi
        grep -v '^ok ' "$TMP/compare"
    done
    cat "$TMP/compare"
    if [ $cwr_rc = 3 ]; then
        if grep -q '^ok ' "$TMP/compare"; then
            echo "ok   every section compared matched; the ones noted had no complete reference run in $cwr_max"
            exit 0
        fi
        skip "libvirtd 9.0 (the reference) completed no scenario in $cwr_max runs; virtnetd's run completed"
    fi
    echo "FAIL a section of virtnetd's trace equals that of no complete reference run (diffs above)"
    exit 1
}

# destroy_all_domains URI: a run that failed half-way leaves containers
# running (they outlive their daemon by design): destroy them before the
# daemon goes, so that no controller or cgroup stays on the host.
destroy_all_domains() {
    for dad_name in $(timeout 20 virsh -q -c "$1" list --name 2> /dev/null); do
        timeout 20 virsh -q -c "$1" destroy "$dad_name" > /dev/null 2>&1
    done
}

# ---- the LXC differentials' common steps (test-lxc-*differential.sh) ----
# LXC_DIFF_MODE: lxc-differential.py's mode ("" for the main scenarios,
# net, userns); LXC_DIFF_TIMEOUT: seconds for one run.

# lxc_diff_virtnetd_ready URI: virtnetd answers at URI with its LXC driver;
# skips without the driver, fails on any other error.
lxc_diff_virtnetd_ready() {
    if ! virsh -c "$1" uri > /dev/null 2> "$TMP/err"; then
        grep -q "no connection driver available" "$TMP/err" &&
            skip "this virtnetd has no LXC driver (lxcDriverRegister() is not called from daemon/remote.c)"
        echo "FAIL virtnetd:"; cat "$TMP/err"; exit 1
    fi
}

# scenarios URI OUT: the scenarios against URI; OUT.full has every line,
# OUT.trace not a daemon's own ones ("own ...": not compared). The
# script's status.
scenarios() {
    timeout "${LXC_DIFF_TIMEOUT:-180}" "$PY" "$SRC/tests/lxc-differential.py" "$1" \
        ${LXC_DIFF_MODE:-} > "$2.full" 2> "$2.stderr"
    sc_rc=$?
    grep -v '^own ' "$2.full" > "$2.trace"
    return $sc_rc
}

# lxc_diff_run_virtnetd URI: the scenarios against virtnetd into
# $TMP/virtnetd.*; its run must complete (every awaited event, no
# section that raised), else the test fails.
lxc_diff_run_virtnetd() {
    scenarios "$1" "$TMP/virtnetd"
    ldr_rc=$?
    if [ $ldr_rc != 0 ] || grep -q '^TIMEOUT' "$TMP/virtnetd.trace"; then
        echo "FAIL the scenarios did not complete against virtnetd (status $ldr_rc):"
        grep '^TIMEOUT' "$TMP/virtnetd.trace"
        cat "$TMP/virtnetd.full" "$TMP/virtnetd.stderr"; exit 1
    fi
}

# lxc_diff_expect LINE...: each LINE is in virtnetd's whole output
# ($TMP/virtnetd.full), else the test fails.
lxc_diff_expect() {
    for lde_want in "$@"; do
        if ! grep -qxF -- "$lde_want" "$TMP/virtnetd.full"; then
            echo "FAIL virtnetd's trace lacks: $lde_want"; cat "$TMP/virtnetd.full"; exit 1
        fi
    done
}
