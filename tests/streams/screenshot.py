#!/usr/bin/env python3
"""screenshot.py URI RO-URI DIR: screenshots through libvirt-python, as one
normalised transcript (tests/streams/screenshot.sh compares virtnetd's with
libvirtd 9.0's): the MIME type, a complete PNG read from the stream in
pieces, an unknown flag, a read-only connection, a stream aborted by the
client before the end, the connection used again afterwards."""
import os
import sys

import libvirt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pngcheck  # noqa: E402

uri, rouri, tmp = sys.argv[1:4]
libvirt.registerErrorHandler(lambda ctx, err: None, None)


def error(e):
    return "error %d/%d %s" % (e.get_error_code(), e.get_error_domain(), e.get_error_message())


def shot(conn, flags=0, keep=None):
    dom = conn.lookupByName("test")
    st = conn.newStream(0)
    try:
        mime = dom.screenshot(st, 0, flags)
    except libvirt.libvirtError as e:
        return error(e)
    chunks = []
    while True:
        data = st.recv(100000)      # less than the image: several reads
        if not data:
            break
        chunks.append(data)
        if keep is not None and len(chunks) >= keep:
            st.abort()
            return "mime %s, aborted after %d pieces" % (mime, len(chunks))
    st.finish()
    path = os.path.join(tmp, "py.png")
    with open(path, "wb") as f:
        f.write(b"".join(chunks))
    with open(os.devnull, "w") as quiet:
        saved, sys.stdout = sys.stdout, quiet     # pngcheck prints the size
        why = pngcheck.check(path)
        sys.stdout = saved
    return "mime %s, PNG %s" % (mime, "complete" if why is None else "broken: " + why)


conn = libvirt.open(uri)
print("screenshot:", shot(conn))
print("unknown flag:", shot(conn, flags=1))
print("abort mid-image:", shot(conn, keep=1))
print("after the abort:", shot(conn))
print("list after:", sorted(d.name() for d in conn.listAllDomains()))
ro = libvirt.openReadOnly(rouri)
print("read-only:", shot(ro))
