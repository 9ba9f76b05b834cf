#!/bin/sh
# Idempotent installer for everything virtnet needs to build and test on Debian 12.
# Usage: build-aux/install-deps.sh [--with-peers] [--with-packaging]
#   --with-peers also installs libvirt's daemon and clients used by conformance tests,
#     and systemd's systemd-socket-activate for the socket activation test.
#   --with-packaging also installs what `dpkg-buildpackage -us -uc -b` and lintian need.
set -e
PKGS="build-essential autoconf automake libtool pkg-config rpcsvc-proto
      libtirpc-dev libglib2.0-dev libxml2-dev libgnutls28-dev libsasl2-dev libcrypt-dev
      python3 clang libclang-rt-14-dev"
PEERS="libvirt-daemon libvirt-daemon-system libvirt-daemon-driver-lxc libvirt-clients python3-libvirt gnutls-bin sasl2-bin
       libsasl2-modules gnuplot-nox systemd curl
       prometheus-libvirt-exporter golang-go golang-github-digitalocean-go-libvirt-dev
       libvirt-dbus dbus iproute2"
PACKAGING="debhelper dpkg-dev fakeroot lintian"
for arg in "$@"; do
    case $arg in
    --with-peers) PKGS="$PKGS $PEERS" ;;
    --with-packaging) PKGS="$PKGS $PACKAGING" ;;
    *) echo "install-deps: unknown option $arg (--with-peers, --with-packaging)" >&2; exit 2 ;;
    esac
done
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
