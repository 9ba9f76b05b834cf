#!/usr/bin/python3
"""hold-connection.py URI: keep a libvirt connection to URI open in the
background and print the pid of the process that holds it.

Returns only once the connection is open, so a test can rely on it at
once: libvirt's test driver (and ours) keeps test:///default's objects
only while a connection is open, and a holder started with `&` and a
sleep may not be connected yet when the next command runs. The holder
lives until it is killed (SIGTERM) or until 600 s have passed.

    KEEPER=$(/usr/bin/python3 tests/hold-connection.py "$URI") || exit 1
    ...
    kill "$KEEPER"
"""
import os
import sys
import time

import libvirt


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: hold-connection.py URI\n")
        return 2
    uri = sys.argv[1]
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid:
        os.close(wfd)
        with os.fdopen(rfd) as r:
            msg = r.read()
        if msg != "held":
            os.waitpid(pid, 0)
            sys.stderr.write("hold-connection: %s: %s\n" % (uri, msg or "the holder died"))
            return 1
        print(pid)
        return 0
    # the holder: no stdout, so that $(...) in the caller returns
    os.close(rfd)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.setsid()
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    try:
        conn = libvirt.open(uri)
    except libvirt.libvirtError as e:
        os.write(wfd, str(e).encode())
        os._exit(1)
    os.write(wfd, b"held")
    os.close(wfd)
    os.dup2(null, 2)
    time.sleep(600)
    conn.close()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
