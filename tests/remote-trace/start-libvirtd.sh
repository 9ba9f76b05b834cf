#!/bin/sh
# start-libvirtd.sh DIR [AUTH]: run a private libvirtd 9.0 for tracing.
#
# The daemon runs as root in its own mount and network namespaces, with
# tmpfs over its state directories, so it clashes with nothing on the host.
# Its sockets and logs are in DIR; clients reach it only through the
# UNIX socket DIR/libvirt-sock (or the logging proxy, see trace-proxy.py).
# AUTH is auth_unix_rw (default none; sasl to see what is refused before
# authentication). Prints the daemon's pid (the unshare process, which
# execs libvirtd).
set -eu
dir=${1:?usage: start-libvirtd.sh DIR [AUTH]}
auth=${2:-none}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cat > "$dir/libvirtd.conf" <<CONF
unix_sock_dir = "$dir"
unix_sock_group = "root"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
auth_unix_rw = "$auth"
auth_unix_ro = "none"
listen_tls = 0
listen_tcp = 0
log_filters = "1:rpc 1:remote 1:daemon"
log_outputs = "1:file:$dir/libvirtd.log"
CONF
rm -f "$dir/libvirtd.log"
unshare --mount --net --propagation private sh -c '
    if [ -d /run/libvirt ]; then
        mount -t tmpfs tmpfs /run/libvirt
    else
        # no /run/libvirt to cover: a private /run, so nothing is made on the host
        mount -t tmpfs tmpfs /run && mkdir /run/libvirt
    fi
    mount -t tmpfs tmpfs /var/lib/libvirt
    mount -t tmpfs tmpfs /var/cache/libvirt
    exec libvirtd -f "$1/libvirtd.conf" -p "$1/libvirtd.pid"' sh "$dir" \
    > "$dir/libvirtd.out" 2>&1 &
pid=$!
i=0
while [ ! -S "$dir/libvirt-sock" ] && [ $i -lt 100 ]; do
    kill -0 $pid 2>/dev/null || { cat "$dir/libvirtd.out" >&2; exit 1; }
    sleep 0.1; i=$((i+1))
done
[ -S "$dir/libvirt-sock" ] || { echo "libvirtd did not start" >&2; exit 1; }
echo $pid
