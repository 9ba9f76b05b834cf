# lxc-libvirtd.sh: sourced by the LXC differential tests. Runs libvirtd 9.0
# with its LXC driver, as the reference, in a mount namespace of its own
# (unshare -m --propagation private) with private copies of /run/libvirt,
# /etc/libvirt (autostart links removed, so no network is started on the
# host) and /var/lib/libvirt, and with /sys/fs/cgroup/unified unmounted
# there: on a host that mixes cgroup v1 and v2, libvirt's container start
# fails on the v2 mount otherwise.
#
#   lxc_libvirtd_start DIR   start it; its socket is DIR/sock/libvirt-sock,
#                            its pid LPID; exits the test on failure
#   lxc_libvirtd_stop        SIGTERM, then SIGKILL after 5 s
LIBVIRTD=${LIBVIRTD:-/usr/sbin/libvirtd}
LPID=

lxc_libvirtd_start() {
    L=$1
    mkdir -p "$L/run" "$L/etc" "$L/lib" "$L/sock" /run/libvirt /var/lib/libvirt
    cp -a /etc/libvirt/. "$L/etc/"
    find "$L/etc" -path '*autostart*' -name '*.xml' -delete
    cat > "$L/etc/libvirtd.conf" <<CONF
unix_sock_dir = "$L/sock"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:file:$L/libvirtd.log"
CONF
    cat > "$L/inner.sh" <<INNER
set -e
mount --bind "$L/run" /run/libvirt
mount --bind "$L/etc" /etc/libvirt
mount --bind "$L/lib" /var/lib/libvirt
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified || umount -l /sys/fs/cgroup/unified; fi
exec "$LIBVIRTD" --config "$L/etc/libvirtd.conf"
INNER
    unshare -m --propagation private bash "$L/inner.sh" > "$L/out" 2>&1 &
    LPID=$!
    for _ in $(seq 1 100); do
        [ -S "$L/sock/libvirt-sock" ] && break
        kill -0 "$LPID" 2> /dev/null || { echo "FAIL libvirtd exited:"; cat "$L/out"; exit 1; }
        sleep 0.1
    done
    [ -S "$L/sock/libvirt-sock" ] || { echo "FAIL libvirtd did not get ready"; exit 1; }
}

lxc_libvirtd_stop() {
    [ -n "$LPID" ] || return 0
    kill -TERM "$LPID" 2> /dev/null
    for _ in $(seq 1 50); do kill -0 "$LPID" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$LPID" 2> /dev/null
    LPID=
}
