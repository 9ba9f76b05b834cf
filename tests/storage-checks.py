#!/usr/bin/python3
"""storage-checks.py STEP URI BASE [ACKS]: virtnetd's storage and secret
drivers (lxc:///system) seen from the files they write. tests/test-storage.sh
runs the steps in order, restarting or killing the daemon between them:

  disk      volumes created, cloned, wiped (every algorithm), resized and
            deleted on disk; names that would leave the pool refused with
            nothing written; a crash's temporary volume removed by a
            refresh; secrets' files and modes, and their values nowhere in
            the daemon's log (the daemon logs at debug level: BASE/log)
  restart   after a daemon restart: the pools as they were (active ones
            active again, autostarted ones started), their volumes, the
            secret's value
  jobs      (the daemon paces its jobs: VIRTNET_JOB_BANDWIDTH=64) a clone
            in the I/O helper seen from another connection: the new volume
            listed, its allocation growing, its data written under a
            temporary name; a clone and a wipe whose helper is killed (the
            error names the job and the signal, no temporary file, no job
            record, the volumes usable); then a clone cut short by SIGTERM
            to the daemon (VNT_DAEMON_PID): it stops, nothing left behind
  crash     define pools and create volumes from two threads until the
            daemon is killed; what was acknowledged goes to ACKS
  recovered after a restart: everything acknowledged is there and whole,
            nothing half-written is (no temporary files, no short volumes)

Prints one line per check ("ok ..." or "FAIL ..."); exits 1 when one failed.
Run with the system python3 (python3-libvirt).
"""
import os
import signal
import sys
import threading
import time

import libvirt

STEP, URI, BASE = sys.argv[1:4]
ACKS = sys.argv[4] if len(sys.argv) > 4 else None
MIB = 1024 * 1024
DAEMON_PID = int(os.environ.get("VNT_DAEMON_PID", "0"))
SECRET_UUID = "0000000f-c0c0-4c0c-8c0c-c0c0c0c0c0c0"
SECRET_VALUE = b"vnt-Sup3r-s3cret-value"
libvirt.registerErrorHandler(lambda ctx, err: None, None)
failed = []


def check(cond, what):
    print("%s %s" % ("ok  " if cond else "FAIL", what), flush=True)
    if not cond:
        failed.append(what)


def refused(fn, what):
    try:
        fn()
    except libvirt.libvirtError as e:
        check(True, "%s refused: %s" % (what, e.get_error_message()))
        return
    check(False, "%s accepted" % what)


def pool_xml(name, path):
    return ("<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>"
            % (name, path))


def vol_xml(name, capacity, allocation=None, fmt="raw"):
    alloc = "" if allocation is None else "<allocation>%d</allocation>" % allocation
    return ("<volume><name>%s</name><capacity>%d</capacity>%s"
            "<target><format type='%s'/></target></volume>" % (name, capacity, alloc, fmt))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def tree(path):
    """Every name under path (recursively), for 'nothing written'."""
    out = []
    for root, dirs, files in os.walk(path):
        out += [os.path.join(root, n) for n in dirs + files]
    return sorted(out)


def step_disk(conn):
    p1 = os.path.join(BASE, "c1")
    pool = conn.storagePoolDefineXML(pool_xml("vntc1", p1))
    pool.build(0)
    pool.create(0)
    pool.setAutostart(1)
    conn.storagePoolDefineXML(pool_xml("vntc2", os.path.join(BASE, "c2"))).build(0)
    conn.storagePoolCreateXML(pool_xml("vntc3", os.path.join(BASE, "c3")),
                              libvirt.VIR_STORAGE_POOL_CREATE_WITH_BUILD)
    check(oct(os.stat(p1).st_mode & 0o777) == "0o711", "pool directory made with mode 0711")

    # names that are not one file in the pool
    before = tree(BASE)
    for name in ["..", ".", "a/b", "../escape", "/abs", "x\x01y", ".virtnet-vol-x", "n" * 300]:
        refused(lambda: pool.createXML(vol_xml(name, MIB), 0), "volume name %r" % name[:20])
    for name in ["..", "x\ny", "n" * 300]:
        refused(lambda: conn.storagePoolDefineXML(pool_xml(name, os.path.join(BASE, "cx"))),
                "pool name %r" % name[:20])
    refused(lambda: conn.storagePoolDefineXML(pool_xml("vntc1", p1 + "x")), "duplicate pool name")
    refused(lambda: pool.createXML("<volume><name>bad</name>", 0), "bad volume XML")
    refused(lambda: pool.createXML(vol_xml("vntu", MIB), 0x1000), "unknown volume flags")
    check(tree(BASE) == before, "nothing written under the pools for refused calls")

    # create: a whole raw file
    v = pool.createXML(vol_xml("vntv", 2 * MIB), 0)
    path = os.path.join(p1, "vntv")
    st = os.stat(path)
    check(st.st_size == 2 * MIB and st.st_blocks * 512 >= 2 * MIB, "volume file of 2 MiB allocated")
    check(oct(st.st_mode & 0o777) == "0o600", "volume file mode 0600")
    sparse = pool.createXML(vol_xml("vnts", 8 * MIB, 0), 0)
    st = os.stat(os.path.join(p1, "vnts"))
    check(st.st_size == 8 * MIB and st.st_blocks == 0, "sparse volume: 8 MiB, no block")
    check(sparse.info()[2] == 0, "sparse volume's allocation is 0")

    # clone copies the data
    data = os.urandom(2 * MIB)
    with open(path, "r+b") as f:
        f.write(data)
    pool.createXMLFrom(vol_xml("vntclone", MIB), v, 0)
    check(read(os.path.join(p1, "vntclone")) == data, "clone has the source's data")
    pool.createXMLFrom(vol_xml("vntclone2", MIB, 0), v, 0)
    check(read(os.path.join(p1, "vntclone2")) == data, "sparse clone has the source's data")

    # wipe: every algorithm
    expect = {libvirt.VIR_STORAGE_VOL_WIPE_ALG_ZERO: b"\0",
              libvirt.VIR_STORAGE_VOL_WIPE_ALG_NNSA: b"\0",
              libvirt.VIR_STORAGE_VOL_WIPE_ALG_DOD: b"\xff",
              libvirt.VIR_STORAGE_VOL_WIPE_ALG_BSI: b"\x7f"}
    for alg in range(libvirt.VIR_STORAGE_VOL_WIPE_ALG_TRIM):
        with open(path, "r+b") as f:
            f.write(data)
        v.wipePattern(alg, 0)
        got = read(path)
        if alg in expect:
            ok = got == expect[alg] * len(data)
        else:   # ends with pseudo-random passes
            ok = len(got) == len(data) and got != data and len(set(got[:4096])) > 200
        check(ok, "wipe algorithm %d leaves what it should over the whole file" % alg)
    refused(lambda: v.wipePattern(libvirt.VIR_STORAGE_VOL_WIPE_ALG_TRIM, 0), "wipe trim")
    with open(path, "r+b") as f:
        f.write(data)
    sparse.wipe(0)
    check(os.stat(os.path.join(p1, "vnts")).st_blocks == 0, "sparse wipe keeps the file sparse")

    # resize
    v.resize(3 * MIB, 0)
    check(os.stat(path).st_size == 3 * MIB, "resize grows the file")
    v.resize(2 * MIB, libvirt.VIR_STORAGE_VOL_RESIZE_SHRINK)
    check(os.stat(path).st_size == 2 * MIB, "resize shrinks the file")
    sparse.resize(9 * MIB, libvirt.VIR_STORAGE_VOL_RESIZE_ALLOCATE)
    st = os.stat(os.path.join(p1, "vnts"))
    check(st.st_size == 9 * MIB and st.st_blocks * 512 >= 9 * MIB, "resize allocates")

    # directories, delete
    d = pool.createXML(vol_xml("vntdir", 0, fmt="dir"), 0)
    check(os.path.isdir(os.path.join(p1, "vntdir")), "dir volume is a directory")
    d.delete(0)
    check(not os.path.exists(os.path.join(p1, "vntdir")), "dir volume deleted")
    pool.storageVolLookupByName("vntclone2").delete(0)
    check(not os.path.exists(os.path.join(p1, "vntclone2")), "volume file deleted")

    # a temporary volume a crash left, and a name with a control character
    with open(os.path.join(p1, ".virtnet-vol-stray.Ab12Cd"), "wb") as f:
        f.write(b"half")
    with open(os.path.join(p1, "ctl\x07name"), "wb") as f:
        f.write(b"x")
    pool.refresh(0)
    check(not os.path.exists(os.path.join(p1, ".virtnet-vol-stray.Ab12Cd")),
          "refresh removes a crash's temporary volume")
    check(sorted(pool.listVolumes()) == ["vntclone", "vnts", "vntv"],
          "refresh lists the volumes (not the temporary file, not the control name)")

    # secrets
    sdir = os.path.join(BASE, "..", "vn", "secrets")
    s = conn.secretDefineXML("<secret ephemeral='no' private='no'><uuid>%s</uuid>"
                             "<usage type='ceph'><name>vntcheck</name></usage></secret>"
                             % SECRET_UUID)
    s.setValue(SECRET_VALUE)
    files = {n: os.stat(os.path.join(sdir, n)).st_mode & 0o777 for n in os.listdir(sdir)}
    check(files == {SECRET_UUID + ".xml": 0o600, SECRET_UUID + ".base64": 0o600},
          "secret files UUID.xml and UUID.base64, mode 0600: %r" % files)
    check(os.stat(sdir).st_mode & 0o777 == 0o700, "secret directory mode 0700")
    check(SECRET_VALUE not in s.XMLDesc(0).encode(), "secret XML has no value")
    e = conn.secretDefineXML("<secret ephemeral='yes' private='no'>"
                             "<usage type='ceph'><name>vntephemeral</name></usage></secret>")
    e.setValue(b"vnt-ephemeral-value")
    check(len(os.listdir(sdir)) == 2, "ephemeral secret: no file")
    check(e.value() == b"vnt-ephemeral-value", "ephemeral secret value in memory")
    e.undefine()


def step_restart(conn):
    pools = {p.name(): (p.isActive(), p.isPersistent(), p.autostart())
             for p in conn.listAllStoragePools() if p.name().startswith("vntc")}
    check(pools == {"vntc1": (1, 1, 1), "vntc2": (0, 1, 0), "vntc3": (1, 0, 0)},
          "pools after restart as they were: %r" % pools)
    vols = sorted(conn.storagePoolLookupByName("vntc1").listVolumes())
    check(vols == ["vntclone", "vnts", "vntv"], "volumes after restart: %r" % vols)
    check(conn.secretLookupByUUIDString(SECRET_UUID).value() == SECRET_VALUE,
          "secret value after restart")
    log = read(os.path.join(BASE, "..", "vn", "virtnetd.log"))
    import base64
    check(SECRET_VALUE not in log and base64.b64encode(SECRET_VALUE) not in log,
          "secret value nowhere in the daemon's debug log (%d bytes)" % len(log))
    # a pool that autostarts: destroy it, restart again in 'recovered'
    conn.storagePoolLookupByName("vntc1").destroy()


def helpers():
    """The daemon's I/O helpers: its children named virtnet_iohelper."""
    out = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        if comm.startswith("virtnet_iohelp") and ppid == DAEMON_PID:
            out.append(int(pid))
    return out


def until(cond, what, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = cond()
        if got:
            return got
        time.sleep(0.02)
    check(False, "timed out waiting for " + what)
    return None


def in_background(fn):
    """Run fn(pool) on a connection of its own; the thread's .result is what
    it returned or the libvirtError it raised."""
    def run():
        c = libvirt.open(URI)
        try:
            t.result = fn(c.storagePoolLookupByName("vntjobs"))
        except libvirt.libvirtError as e:
            t.result = e
    t = threading.Thread(target=run)
    t.result = None
    t.start()
    return t


def temps(pdir, name):
    return [n for n in os.listdir(pdir) if n.startswith(".virtnet-vol-%s." % name)]


def job_records():
    jdir = os.path.join(BASE, "..", "vn", "run", "jobs")
    return [n for n in os.listdir(jdir) if n.endswith(".job")] if os.path.isdir(jdir) else []


def clone_in_background(name, size):
    return in_background(lambda p: p.createXMLFrom(vol_xml(name, size, 0),
                                                   p.storageVolLookupByName("vntsrc"), 0))


def step_jobs(conn):
    pdir = os.path.join(BASE, "jobs")
    pool = conn.storagePoolCreateXML(pool_xml("vntjobs", pdir),
                                     libvirt.VIR_STORAGE_POOL_CREATE_WITH_BUILD)
    size = 96 * MIB
    pool.createXML(vol_xml("vntsrc", size, 0), 0)
    src = os.path.join(pdir, "vntsrc")
    with open(src, "r+b") as f:
        f.write(os.urandom(MIB))
        f.seek(size - MIB)
        f.write(os.urandom(MIB))

    # a clone, 1.5 s at 64 MiB/s, watched from this connection
    t = clone_in_background("vntcopy", size)
    until(lambda: "vntcopy" in pool.listVolumes(), "the clone's volume to be listed")
    samples, during = [], None
    while t.is_alive():
        try:
            alloc = pool.storageVolLookupByName("vntcopy").info()[2]
        except libvirt.libvirtError as e:
            if t.is_alive():
                check(False, "volume info during the clone: %s" % e.get_error_message())
            break
        # a sample counts only if the helper's temporary file still exists
        # after it was taken: once renamed, the volume reports its real
        # (sparse) allocation, while this thread may not have seen the
        # clone call return yet
        if not temps(pdir, "vntcopy"):
            if samples:
                break
            time.sleep(0.02)
            continue
        samples.append(alloc)
        # once copying (the helper made its file), well before the end
        if during is None and 0 < samples[-1] < size // 2:
            during = (temps(pdir, "vntcopy"), os.path.exists(os.path.join(pdir, "vntcopy")))
        time.sleep(0.15)
    t.join()
    check(not isinstance(t.result, Exception), "clone in the I/O helper: %s" % t.result)
    check(len(samples) >= 3 and samples == sorted(samples) and samples[-1] > samples[0],
          "the building volume's allocation grows with the clone's progress: %r" %
          [s // MIB for s in samples])
    check(during is not None and len(during[0]) == 1 and not during[1],
          "during the clone: a temporary file, nothing under the volume's name: %r" % (during,))
    check(read(src) == read(os.path.join(pdir, "vntcopy")), "the clone has the source's data")
    check(pool.storageVolLookupByName("vntcopy").info()[1] == size, "the clone's capacity")

    # kill -9 the helper of a clone, then of a wipe
    for what, name, start in [
            ("clone", "vntkilled", lambda: clone_in_background("vntkilled", size)),
            ("wipe", "vntsrc", lambda: in_background(lambda p: p.storageVolLookupByName(
                "vntsrc").wipePattern(libvirt.VIR_STORAGE_VOL_WIPE_ALG_RANDOM, 0)))]:
        t = start()
        pids = until(helpers, "the %s's helper" % what)
        if what == "clone":
            until(lambda: temps(pdir, name), "the clone's temporary file")
        else:
            time.sleep(0.3)
            check(pool.storageVolLookupByName(name).info()[1] == size,
                  "volume info during the wipe")
        for pid in pids or []:
            os.kill(pid, signal.SIGKILL)
        t.join()
        err = t.result.get_error_message() if isinstance(t.result, libvirt.libvirtError) else ""
        check("%s of volume '%s' failed" % (what, name) in err and "SIGKILL" in err,
              "%s with its helper killed: %s" % (what, err or t.result))
        check(not temps(pdir, name) and not job_records(),
              "%s with its helper killed: no temporary file, no job record" % what)
    check(sorted(pool.listVolumes()) == ["vntcopy", "vntsrc"] and
          not os.path.exists(os.path.join(pdir, "vntkilled")),
          "the killed clone's volume is neither listed nor on disk")
    check(os.stat(src).st_size == size, "a wipe cut short leaves the volume whole in size")
    pool.storageVolLookupByName("vntsrc").wipe(0)
    check(read(src)[:MIB] == bytes(MIB), "the volume wiped again after the killed wipe")

    # SIGTERM to the daemon during a long clone (16 s at 64 MiB/s)
    pool.storageVolLookupByName("vntsrc").resize(1024 * MIB, 0)
    t = clone_in_background("vntlong", 1024 * MIB)
    until(lambda: temps(pdir, "vntlong"), "the long clone's temporary file")
    start = time.monotonic()
    os.kill(DAEMON_PID, signal.SIGTERM)
    t.join()
    err = t.result.get_error_message() if isinstance(t.result, libvirt.libvirtError) else ""
    check(err == "operation aborted: clone job: the daemon is shutting down",
          "a clone when the daemon shuts down is aborted: %s (after %.1f s)" %
          (err or t.result, time.monotonic() - start))
    check(not temps(pdir, "vntlong") and not os.path.exists(os.path.join(pdir, "vntlong")) and
          not job_records(), "the aborted clone left no file and no job record")


def step_crash(conn):
    pool = conn.storagePoolCreateXML(pool_xml("vntcrash", os.path.join(BASE, "crash")),
                                     libvirt.VIR_STORAGE_POOL_CREATE_WITH_BUILD)
    acks = open(ACKS, "a")
    lock = threading.Lock()

    def ack(line):
        with lock:
            acks.write(line + "\n")
            acks.flush()

    def definer():
        c = libvirt.open(URI)
        for i in range(100000):
            c.storagePoolDefineXML(pool_xml("vntdef%d" % i, os.path.join(BASE, "d%d" % i)))
            ack("pool vntdef%d" % i)

    def creator():
        c = libvirt.open(URI)
        p = c.storagePoolLookupByName("vntcrash")
        for i in range(100000):
            p.createXML(vol_xml("vol%d" % i, 4 * MIB), 0)
            ack("vol vol%d" % i)

    threads = [threading.Thread(target=f) for f in (definer, creator)]
    ack("started")
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def step_recovered(conn):
    acked = open(ACKS).read().split("\n")
    pools = {p.name() for p in conn.listAllStoragePools()}
    want = {l.split()[1] for l in acked if l.startswith("pool ")}
    check(want and want <= pools, "%d acknowledged pool definitions all there" % len(want))
    cfg = os.path.join(BASE, "..", "vn", "storage")
    temps = [n for n in os.listdir(cfg) if n.startswith(".")]
    check(not temps, "no temporary definition left: %r" % temps)
    defs = [n for n in os.listdir(cfg) if n.endswith(".xml")]
    check(all(read(os.path.join(cfg, n)).rstrip().endswith(b"</pool>") for n in defs),
          "every definition file whole (%d)" % len(defs))
    crash = os.path.join(BASE, "crash")
    want = {l.split()[1] for l in acked if l.startswith("vol ")}
    files = os.listdir(crash)
    check(not [n for n in files if n.startswith(".virtnet-vol-")],
          "no temporary volume left in the pool (%d files)" % len(files))
    check(want <= set(files), "%d acknowledged volumes all there" % len(want))
    short = [n for n in files if os.stat(os.path.join(crash, n)).st_size != 4 * MIB or
             os.stat(os.path.join(crash, n)).st_blocks * 512 < 4 * MIB]
    check(not short, "no half-written volume: %r" % short)
    pool = conn.storagePoolLookupByName("vntcrash")
    check(pool.isActive() and sorted(pool.listVolumes()) == sorted(files),
          "the transient pool active again with its %d volumes" % len(files))
    check(conn.storagePoolLookupByName("vntc1").isActive() == 1,
          "an autostart pool starts with the daemon")


conn = libvirt.open(URI)
{"disk": step_disk, "restart": step_restart, "jobs": step_jobs, "crash": step_crash,
 "recovered": step_recovered}[STEP](conn)
sys.exit(1 if failed else 0)
