#!/bin/sh
# test-install.sh: `make install DESTDIR=...` installs exactly the expected
# files, in the configured directories (VIRTNET_INSTALL_DIRS, from
# tests/install.inc.am), with the configured paths inside them; the
# installed programs run; `make uninstall` removes every file again.
set -u
BUILD=${VIRTNET_TEST_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd)}
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; for l in "$@"; do echo "     $l"; done; fail=$((fail + 1)); }

if [ -z "${VIRTNET_INSTALL_DIRS:-}" ]; then
    echo "FAIL VIRTNET_INSTALL_DIRS is not set: run through make check"
    echo "0 passed, 1 failed"
    exit 1
fi
# sbindir=... bindir=... libexecdir=... sysconfdir=... runstatedir=...
# mandir=... systemdsystemunitdir=...
eval "$VIRTNET_INSTALL_DIRS"

D=$(mktemp -d /tmp/virtnet-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
# The make running the tests passes its jobserver in MAKEFLAGS: not ours.
vmake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$BUILD" "$@"; }

if vmake install DESTDIR="$D/root" > "$D/install.log" 2>&1; then
    ok "make install DESTDIR=..."
else
    bad "make install DESTDIR=..." "$(tail -20 "$D/install.log")"
    echo "$pass passed, $fail failed"
    exit 1
fi

cat > "$D/expected" <<EOF
$sbindir/virtnetd
$bindir/virtnet
$bindir/virtnet-bench
$libexecdir/virtnet_lxc
$libexecdir/virtnet_iohelper
$sysconfdir/virtnet/virtnetd.conf
$sysconfdir/virtnet/sasl2/libvirt.conf
$mandir/man1/virtnet.1
$mandir/man1/virtnet-bench.1
$mandir/man5/virtnetd.conf.5
$mandir/man8/virtnetd.8
$systemdsystemunitdir/virtnetd.service
$systemdsystemunitdir/virtnetd.socket
$systemdsystemunitdir/virtnetd-ro.socket
$systemdsystemunitdir/virtnetd-admin.socket
$systemdsystemunitdir/virtnetd-tcp.socket
$systemdsystemunitdir/virtnetd-tls.socket
EOF
sort -o "$D/expected" "$D/expected"
(cd "$D/root" && find . ! -type d | sed 's|^\.||' | sort) > "$D/installed"
if cmp -s "$D/expected" "$D/installed"; then
    ok "exactly the expected $(wc -l < "$D/expected") files are installed"
else
    bad "exactly the expected files are installed" "$(diff "$D/expected" "$D/installed" | grep '^[<>]')"
fi

R=$D/root
modes_ok=true
for f in "$sbindir/virtnetd" "$bindir/virtnet" "$bindir/virtnet-bench" "$libexecdir/virtnet_lxc"; do
    [ -x "$R$f" ] || { modes_ok=false; echo "     not executable: $f"; }
done
for f in "$sysconfdir/virtnet/virtnetd.conf" "$systemdsystemunitdir/virtnetd.service" \
         "$mandir/man8/virtnetd.8"; do
    [ "$(stat -c %a "$R$f")" = 644 ] || { modes_ok=false; echo "     not 0644: $f"; }
done
$modes_ok && ok "programs executable, data files 0644" || bad "programs executable, data files 0644"

# The configured directories inside the installed files, no @...@ left.
left=$(grep -l '@[a-z]*@' "$R$sysconfdir/virtnet/virtnetd.conf" "$R$sysconfdir/virtnet/sasl2/libvirt.conf" \
       "$R$systemdsystemunitdir"/virtnetd* "$R$mandir"/man*/virtnet* 2>/dev/null)
if [ -z "$left" ] &&
   grep -qx "ExecStart=$sbindir/virtnetd \$VIRTNETD_ARGS" "$R$systemdsystemunitdir/virtnetd.service" &&
   grep -qx "ListenStream=$runstatedir/virtnet/libvirt-sock" "$R$systemdsystemunitdir/virtnetd.socket" &&
   grep -qx "ListenStream=$runstatedir/virtnet/libvirt-sock-ro" "$R$systemdsystemunitdir/virtnetd-ro.socket" &&
   grep -qx "ListenStream=$runstatedir/virtnet/libvirt-admin-sock" "$R$systemdsystemunitdir/virtnetd-admin.socket" &&
   grep -qx "#unix_sock_dir = \"$runstatedir/virtnet\"" "$R$sysconfdir/virtnet/virtnetd.conf" &&
   grep -q "$sysconfdir/virtnet/virtnetd.conf" "$R$mandir/man8/virtnetd.8"; then
    ok "units, configuration and man pages carry the configured directories"
else
    bad "units, configuration and man pages carry the configured directories" "unsubstituted: $left"
fi

# The installed programs run and know where their files are.
if "$R$sbindir/virtnetd" --version | grep -qx "virtnetd (virtnet) .*" &&
   "$R$bindir/virtnet" --version > /dev/null &&
   "$R$bindir/virtnet-bench" --help > /dev/null &&
   "$R$sbindir/virtnetd" --help | grep -q "$sysconfdir/virtnet/virtnetd.conf\|XDG_CONFIG_HOME"; then
    ok "the installed programs run (--version, --help)"
else
    bad "the installed programs run (--version, --help)"
fi
if strings "$R$sbindir/virtnetd" | grep -qx "$libexecdir/virtnet_lxc" &&
   strings "$R$sbindir/virtnetd" | grep -qx "$libexecdir/virtnet_iohelper" &&
   strings "$R$sbindir/virtnetd" | grep -q "^$sysconfdir/virtnet/sasl2$"; then
    ok "virtnetd looks for the controller and the I/O helper in libexecdir and SASL in sysconfdir"
else
    bad "virtnetd looks for the controller and the I/O helper in libexecdir and SASL in sysconfdir"
fi

if vmake uninstall DESTDIR="$R" > "$D/uninstall.log" 2>&1 &&
   [ -z "$(find "$R" ! -type d)" ]; then
    ok "make uninstall removes every file"
else
    bad "make uninstall removes every file" "$(find "$R" ! -type d)" "$(tail -5 "$D/uninstall.log")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
