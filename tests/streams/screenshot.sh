#!/bin/sh
# screenshot.sh: the test driver's screenshot through virsh, tools/virtnet
# and libvirt-python (screenshot.py: a complete PNG read in pieces, an
# unknown flag, a read-only connection, an abort mid-image); then, as root
# with libvirtd installed, the same transcript from a private libvirtd 9.0
# (its test driver), which must be equal.
. "$(dirname "$0")/../conformance/common.sh"
need_virsh
need_python_libvirt
HERE=$(cd "$(dirname "$0")" && pwd)
VIRTNET=$(cd "$CONF_BUILDDIR" && pwd)/tools/virtnet
start_virtnetd
T=$VN_DIR

out=$(cd "$T" && virsh -c "$VN_URI" screenshot test "$T/virsh.png" 2>&1 | sed "/^$/d") ||
    fail "virsh screenshot: $out"
[ "$out" = "Screenshot saved to $T/virsh.png, with type of image/png" ] ||
    fail "virsh screenshot printed: $out"
size=$("$PY" "$HERE/pngcheck.py" "$T/virsh.png") || fail "virsh's screenshot is no PNG"
echo "ok   virsh screenshot: a complete PNG of $size"

out=$("$VIRTNET" -c "$VN_URI" screenshot test "$T/virtnet.png" 2>&1) ||
    fail "virtnet screenshot: $out"
echo "$out" | grep -q "^Screenshot saved to $T/virtnet.png, with type of image/png$" ||
    fail "virtnet screenshot printed: $out"
cmp -s "$T/virsh.png" "$T/virtnet.png" || fail "virtnet's screenshot differs from virsh's"
echo "ok   virtnet screenshot: the same image"

# without a file name: DOMAIN-DATE.png in the current directory
mkdir "$T/cwd"
(cd "$T/cwd" && "$VIRTNET" -c "$VN_URI" screenshot test > /dev/null 2>&1) ||
    fail "virtnet screenshot without a file"
ls "$T/cwd"/test-*.png > /dev/null 2>&1 || fail "no test-DATE.png: $(ls "$T/cwd")"
echo "ok   a screenshot without a file name is test-DATE.png"

if "$VIRTNET" -c "$VN_RO_URI" screenshot test "$T/ro.png" > "$T/ro.out" 2>&1; then
    fail "a read-only connection took a screenshot"
fi
grep -q "read only access prevents virDomainScreenshot" "$T/ro.out" ||
    fail "read-only refusal: $(cat "$T/ro.out")"
[ ! -e "$T/ro.png" ] || fail "a refused screenshot left its file"
echo "ok   read-only: refused, no file"

"$PY" "$HERE/screenshot.py" "$VN_URI" "$VN_RO_URI" "$T" > "$T/virtnetd.txt" 2>&1 ||
    fail "screenshot.py against virtnetd: $(cat "$T/virtnetd.txt")"
grep -q "^screenshot: mime image/png, PNG complete$" "$T/virtnetd.txt" ||
    fail "screenshot.py: $(cat "$T/virtnetd.txt")"
virtnetd_alive "after the screenshots"
echo "ok   libvirt-python: $(wc -l < "$T/virtnetd.txt") steps"

if [ "$(id -u)" != 0 ] || ! command -v libvirtd > /dev/null 2>&1 ||
   ! unshare --mount --net --propagation private true 2> /dev/null; then
    echo "note no libvirtd to compare with (needs root, libvirtd and namespaces)"
    stop_virtnetd
    exit 0
fi
conf_tmpdir LV_DIR
lv_pid=$("$CONF_SRCDIR/tests/remote-trace/start-libvirtd.sh" "$LV_DIR") ||
    fail "libvirtd did not start: $(cat "$LV_DIR/libvirtd.out")"
CONF_PIDS="$CONF_PIDS $lv_pid"
"$PY" "$HERE/screenshot.py" "test+unix:///default?socket=$LV_DIR/libvirt-sock" \
    "test+unix:///default?socket=$LV_DIR/libvirt-sock-ro" "$LV_DIR" > "$LV_DIR/libvirtd.txt" 2>&1 ||
    fail "screenshot.py against libvirtd: $(cat "$LV_DIR/libvirtd.txt")"
if ! diff -u "$LV_DIR/libvirtd.txt" "$T/virtnetd.txt"; then
    CONF_KEEP=1
    fail "virtnetd's screenshots differ from libvirtd's (- libvirtd, + virtnetd)"
fi
echo "ok   the same transcript as libvirtd $(libvirtd --version | awk '{print $NF}')"
stop_virtnetd
