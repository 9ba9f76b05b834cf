#!/usr/bin/env python3
"""volumes.py COMMAND ...: the libvirt-python parts of tests/streams/volumes.sh.

  gen BYTES SEED [HASHFILE] a reproducible byte stream on stdout (fast:
                            1 MiB blocks, each with its own header); its
                            sha256 to HASHFILE
  sha256 FILE               the sha256 of FILE (a fifo too), read in 1 MiB
                            pieces (OpenSSL's sha256: several times faster
                            than coreutils' here)
  sparse FILE SIZE          a sparse file of SIZE bytes with 4 data extents
                            of 1 MiB
  parallel URI POOL N       N streams at once on one connection (uploads
                            and downloads of N volumes, checked by hash)
                            while another thread makes calls
  slowread URI POOL VOL PID a download read slowly: the daemon's (PID)
                            resident memory growth, in KiB, on stdout
  aborts URI POOL           aborts from either side; the connection goes on
  killed URI POOL VOL       an upload whose client dies: run in a child
                            killed mid-stream; then the volume is usable
  transcript URI RO-URI DIR a dir pool in DIR: uploads and downloads with
                            offsets, lengths and holes, their errors, the
                            volumes' sizes and files and the pool's events,
                            as a transcript to compare with libvirtd's
Prints "ok ..." lines; exits 1 with "FAIL ..." at the first failure.
"""
import hashlib
import os
import signal
import sys
import threading
import time

MiB = 1024 * 1024


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def block(seed, index):
    head = ("%d:%d:" % (seed, index)).encode()
    base = bytes((i * 31 + seed) & 0xff for i in range(256))
    return (head + base * (MiB // 256))[:MiB]


def gen(total, seed, out, hashfile=None):
    h = hashlib.sha256()
    for i in range((total + MiB - 1) // MiB):
        b = block(seed, i)[:total - i * MiB]
        h.update(b)
        out.write(b)
    out.flush()
    if hashfile:
        with open(hashfile, "w") as f:
            f.write(h.hexdigest() + "\n")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(MiB)
            if not b:
                break
            h.update(b)
    print(h.hexdigest())


def sparse(path, size):
    with open(path, "wb") as f:
        f.truncate(size)
        for k, off in enumerate((0, size // 3, size // 3 * 2 + 12345, size - MiB)):
            f.seek(off)
            f.write(block(11 + k, 0))


def libvirt_conn(uri):
    import libvirt
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    return libvirt, libvirt.open(uri)


def vol_xml(name, capacity):
    return ("<volume><name>%s</name><capacity unit='bytes'>%d</capacity>"
            "<allocation unit='bytes'>0</allocation>"
            "<target><format type='raw'/></target></volume>" % (name, capacity))


def upload(conn, vol, data):
    st = conn.newStream(0)
    vol.upload(st, 0, 0, 0)
    for off in range(0, len(data), 262120):
        st.send(data[off:off + 262120])
    st.finish()


def recv_all(st):
    """A download's stream to its end, finished: the bytes."""
    chunks = []
    while True:
        data = st.recv(262144)
        if not data:
            break
        chunks.append(data)
    st.finish()
    return b"".join(chunks)


def download(conn, vol):
    st = conn.newStream(0)
    vol.download(st, 0, 0, 0)
    return recv_all(st)


def parallel(uri, pool_name, n):
    libvirt, conn = libvirt_conn(uri)
    pool = conn.storagePoolLookupByName(pool_name)
    size = 4 * MiB + 12345
    vols = []
    for i in range(n):
        name = "par%d-%d" % (os.getpid(), i)
        vols.append(pool.createXML(vol_xml(name, size), 0))
    errors = []
    stop = threading.Event()

    def mover(i):
        try:
            data = b"".join(block(i, k) for k in range(5))[:size]
            upload(conn, vols[i], data)
            got = download(conn, vols[i])
            if hashlib.sha256(got).digest() != hashlib.sha256(data).digest():
                errors.append("stream %d: the data came back different" % i)
        except Exception as e:     # noqa: BLE001
            errors.append("stream %d: %s" % (i, e))

    def caller():
        calls = 0
        while not stop.is_set():
            pool.listAllVolumes(0)
            calls += 1
        if calls < 5:
            errors.append("only %d calls between the streams" % calls)

    threads = [threading.Thread(target=mover, args=(i,)) for i in range(n)]
    call_thread = threading.Thread(target=caller)
    call_thread.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    call_thread.join()
    for v in vols:
        v.delete(0)
    if errors:
        fail("; ".join(errors))
    print("ok   %d streams at once on one connection (up and down, checked) between calls" % n)


def rss_kib(pid):
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def slowread(uri, pool_name, vol_name, pid):
    libvirt, conn = libvirt_conn(uri)
    vol = conn.storagePoolLookupByName(pool_name).storageVolLookupByName(vol_name)
    before = rss_kib(pid)
    peak = before
    st = conn.newStream(0)
    vol.download(st, 0, 0, 0)
    got = 0
    end = time.time() + 3
    while time.time() < end:
        data = st.recv(262144)
        got += len(data)
        peak = max(peak, rss_kib(pid))
        time.sleep(0.05)
    st.abort()
    # the connection goes on after the abort
    conn.storagePoolLookupByName(pool_name).listAllVolumes(0)
    print("%d %d" % (peak - before, got))


def aborts(uri, pool_name):
    libvirt, conn = libvirt_conn(uri)
    pool = conn.storagePoolLookupByName(pool_name)
    name = "abort%d" % os.getpid()
    vol = pool.createXML(vol_xml(name, 8 * MiB), 0)
    data = block(7, 0) * 8
    upload(conn, vol, data)

    # the client aborts a download halfway
    st = conn.newStream(0)
    vol.download(st, 0, 0, 0)
    st.recv(262144)
    st.abort()
    pool.listAllVolumes(0)
    print("ok   the client aborts a download: the connection goes on")

    # the client aborts an upload: what came before the abort is written
    # or not, the volume stays usable
    st = conn.newStream(0)
    vol.upload(st, 0, 0, 0)
    st.send(block(9, 0)[:262120])
    st.abort()
    got = download(conn, vol)
    first = block(9, 0)[:262120]
    if len(got) != len(data) or got[262120:] != data[262120:] or \
            got[:262120] not in (data[:262120], first):
        fail("after an aborted upload the volume holds neither its data nor what was sent")
    print("ok   the client aborts an upload: the volume keeps its data or what was sent before")
    upload(conn, vol, data)

    # the server aborts: an upload beyond the length asked for
    st = conn.newStream(0)
    vol.upload(st, 0, 1000, 0)
    try:
        for _ in range(20):
            st.send(block(3, 0)[:262120])
        st.finish()
        fail("an upload past its length was accepted")
    except libvirt.libvirtError as e:
        if "cannot write to stream" not in e.get_error_message():
            fail("an upload past its length: %s" % e.get_error_message())
    try:
        st.abort()
    except libvirt.libvirtError:
        pass
    got = download(conn, vol)
    if got[:1000] != block(3, 0)[:1000] or got[1000:] != data[1000:]:
        fail("the upload limited to 1000 bytes wrote something else")
    print("ok   the server aborts an upload past its length: its first 1000 bytes written, "
          "the rest untouched")
    vol.delete(0)
    pool.listAllVolumes(0)
    print("ok   the connection works after every abort")


def killed(uri, pool_name, vol_name):
    libvirt, conn = libvirt_conn(uri)
    pool = conn.storagePoolLookupByName(pool_name)
    vol = pool.storageVolLookupByName(vol_name)
    pid = os.fork()
    if pid == 0:
        _, child = libvirt_conn(uri)
        cvol = child.storagePoolLookupByName(pool_name).storageVolLookupByName(vol_name)
        st = child.newStream(0)
        cvol.upload(st, 0, 0, 0)
        for _ in range(40):
            st.send(block(5, 0)[:262120])
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(1.5)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    # the daemon saw the client go: the volume is free again
    for _ in range(50):
        try:
            upload(conn, vol, block(6, 0)[:MiB])
            break
        except libvirt.libvirtError as e:
            if "still in use" not in e.get_error_message():
                fail("upload after the killed client: %s" % e.get_error_message())
            time.sleep(0.1)
    else:
        fail("the volume stayed in use after its uploading client was killed")
    if download(conn, vol)[:MiB] != block(6, 0)[:MiB]:
        fail("the volume after the killed upload does not hold the next upload's data")
    print("ok   a client killed mid-upload: the volume is free and consistent again")


def keep(uri):
    """Hold a connection open (test:///default lives while one is) until
    killed; says "connected" once it is."""
    libvirt, conn = libvirt_conn(uri)
    conn.getVersion()
    print("connected", flush=True)
    while True:
        time.sleep(60)


def transcript(uri, ro_uri, pooldir):
    import libvirt
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    libvirt.virEventRegisterDefaultImpl()

    def loop():
        while True:
            libvirt.virEventRunDefaultImpl()

    threading.Thread(target=loop, daemon=True).start()
    conn = libvirt.open(uri)
    ro = libvirt.openReadOnly(ro_uri)
    refreshed = threading.Semaphore(0)
    conn.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                                     lambda c, p, o: refreshed.release(), None)

    def out(*words):
        print(" ".join(str(w).replace(pooldir, "DIR") for w in words))

    def err(what, e):
        out(what, "error", e.get_error_code(), e.get_error_domain(), e.get_error_message())

    def event(what):
        out(what, "refresh event" if refreshed.acquire(timeout=5) else "no refresh event")

    def facts(vol):
        t, cap, alloc = vol.info()
        out("  info", vol.name(), "type", t, "capacity", cap, "allocation", alloc,
            "file blocks", os.stat(vol.path()).st_blocks)

    def get(vol, offset, length, flags=0):
        try:
            st = conn.newStream(0)
            vol.download(st, offset, length, flags)
            data = recv_all(st)
            out("  download", offset, length, flags, "bytes", len(data),
                hashlib.sha256(data).hexdigest()[:16])
        except libvirt.libvirtError as e:
            err("  download %d %d %d" % (offset, length, flags), e)

    def put(vol, offset, length, data, flags=0, via=None):
        what = "  upload %d %d %d (%d bytes)" % (offset, length, flags, len(data))
        try:
            st = (via or conn).newStream(0)
            vol.upload(st, offset, length, flags)
        except libvirt.libvirtError as e:
            err(what, e)
            return
        try:
            for off in range(0, len(data), 65536):
                st.send(data[off:off + 65536])
            st.finish()
            out(what, "ok")
        except libvirt.libvirtError as e:
            err(what, e)
            try:
                st.abort()
            except libvirt.libvirtError:
                pass
        if via:
            refreshed.acquire(timeout=2)
        else:
            event(what)

    pool = conn.storagePoolCreateXML(
        "<pool type='dir'><name>vnstreams</name><target><path>%s</path></target></pool>"
        % pooldir, 0)
    a = pool.createXML(vol_xml("a", 8 * MiB), 0)
    out("volume a")
    facts(a)
    data = b"".join(block(1, k) for k in range(8))
    put(a, 0, 0, data)
    facts(a)
    get(a, 0, 0)
    get(a, MiB + 5, 2 * MiB)
    get(a, 7 * MiB, 0)
    get(a, 8 * MiB + 10, 0)
    # only the first 4096 bytes of 8192 fit: the stream fails; libvirtd
    # writes those 4096 bytes or not (its file thread drops what it has
    # not written yet when the stream aborts), virtnetd writes them. On
    # a connection of its own: libvirtd closes it about every other time
    # (the abort of its failed stream fails: "stream is not open"), and
    # then sends no event.
    other = libvirt.open(uri)
    put(other.storageVolLookupByKey(a.key()), 3 * MiB, 4096, block(2, 0)[:8192], via=other)
    try:
        other.close()
    except libvirt.libvirtError:
        pass
    st = conn.newStream(0)
    a.download(st, 3 * MiB, 8192, 0)
    region = recv_all(st)
    old = data[3 * MiB:3 * MiB + 8192]
    if region in (old, block(2, 0)[:4096] + old[4096:]):
        out("  download 3145728 8192 0: the old bytes, or the first 4096 new ones")
    else:
        out("  download 3145728 8192 0: neither the old bytes nor the first 4096 new ones")
    put(a, 3 * MiB, 0, old)
    # past the end: the file grows
    put(a, 8 * MiB, 0, block(3, 0)[:4096])
    facts(a)
    get(a, 0, 0)
    # flags
    put(a, 0, 0, b"x", 2)
    get(a, 0, 0, 2)
    # read-only
    try:
        st = ro.newStream(0)
        ro.storagePoolLookupByName("vnstreams").storageVolLookupByName("a").upload(st, 0, 0, 0)
        out("  read-only upload accepted")
    except libvirt.libvirtError as e:
        err("  read-only upload", e)
    try:
        st = ro.newStream(0)
        ro.storagePoolLookupByName("vnstreams").storageVolLookupByName("a").download(st, 0, 0, 0)
        out("  read-only download bytes", len(recv_all(st)))
    except libvirt.libvirtError as e:
        err("  read-only download", e)

    # holes: data at 0 and at 7 MiB + 4096, the rest holes
    out("volume b")
    b = pool.createXML(vol_xml("b", 16 * MiB), 0)
    extents = [(0, MiB, block(4, 0)), (MiB, 6 * MiB + 4096, None),
               (7 * MiB + 4096, MiB + 7, block(5, 0) + b"sevenb."),
               (8 * MiB + 4096 + 7, 8 * MiB - 4096 - 7, None)]
    pos = [0]

    def where():
        for off, length, content in extents:
            if off <= pos[0] < off + length:
                return off, length, content
        return None

    def send_data(stream, nbytes, opaque):
        if where() is None:
            return b""
        off, length, content = where()
        piece = content[pos[0] - off:pos[0] - off + nbytes]
        pos[0] += len(piece)
        return piece

    def send_hole(stream, opaque):
        ext = where()
        if ext is None:
            return [0, 0]
        off, length, content = ext
        return [content is not None, off + length - pos[0]]

    def skip(stream, length, opaque):
        pos[0] += length
        return 0

    st = conn.newStream(0)
    b.upload(st, 0, 0, libvirt.VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM)
    st.sparseSendAll(send_data, send_hole, skip, None)
    st.finish()
    event("  sparse upload")
    facts(b)
    got = []

    def recv_data(stream, buf, opaque):
        if got and got[-1][0] == "data":
            got[-1][1] += buf
        else:
            got.append(["data", bytearray(buf)])
        return len(buf)

    def recv_hole(stream, length, opaque):
        if got and got[-1][0] == "hole":
            got[-1][1] += length
        else:
            got.append(["hole", length])
        return 0

    st = conn.newStream(0)
    b.download(st, 0, 0, libvirt.VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM)
    st.sparseRecvAll(recv_data, recv_hole, None)
    st.finish()
    for kind, what in got:
        if kind == "data":
            out("  sparse download: data", len(what), hashlib.sha256(what).hexdigest()[:16])
        else:
            out("  sparse download: hole", what)
    get(b, 0, 0)
    get(b, 7 * MiB, 2 * MiB, libvirt.VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM)
    a.delete(0)
    b.delete(0)
    pool.destroy()
    out("end")


def main():
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]), sys.stdout.buffer,
            sys.argv[4] if len(sys.argv) > 4 else None)
    elif cmd == "sha256":
        sha256(sys.argv[2])
    elif cmd == "sparse":
        sparse(sys.argv[2], int(sys.argv[3]))
    elif cmd == "parallel":
        parallel(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "slowread":
        slowread(*sys.argv[2:6])
    elif cmd == "aborts":
        aborts(sys.argv[2], sys.argv[3])
    elif cmd == "killed":
        killed(*sys.argv[2:5])
    elif cmd == "keep":
        keep(sys.argv[2])
    elif cmd == "transcript":
        transcript(*sys.argv[2:5])
    else:
        fail("unknown command %s" % cmd)


if __name__ == "__main__":
    main()
