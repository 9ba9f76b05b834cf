#!/usr/bin/python3
"""soak.py: virtnetd under a mixed workload for a long time (`make soak`).

One virtnetd (UNIX sockets, TCP with SASL DIGEST-MD5, TLS with SASL
SCRAM-SHA-256, set up as the SASL tests do: tests/sasl/saslcommon.py) and
libvirt-python clients on threads of another process:

  callers (2)   getLibVersion, listAllDomains, lookupByName, info, XMLDesc,
                capabilities, hostname, in a loop
  definer       define, start, destroy, undefine test domains (lifecycle
                events for the listener)
  listener      a connection with lifecycle callbacks registered and
                deregistered in turns, counting the events it gets
  connector     a new connection every 0.2 s, then closed: UNIX, read-only
                UNIX + SASL, TLS + SASL in turns; every 10 s TCP + SASL
                (cyrus-sasl's DIGEST-MD5 plugin leaks ~6 KiB per session:
                see Workload.connector)
  containers    as root with namespaces: an LXC container defined, started,
                destroyed and undefined in a loop

Every SOAK_INTERVAL seconds (default 5) the daemon's RSS, open fds and
threads and the workload's counts go to soak.csv; at the end gnuplot (when
installed) draws soak.png. Both stay in SOAK_DIR (default: a new directory
/tmp/virtnet-soak-*, printed).

It fails (exit 1) when a client call fails, when the daemon's RSS grows
after the warm-up (the first fifth of the run, at most 5 minutes) by more
than SOAK_RSS_GROWTH_KIB (default 8192 KiB: the allocator's arenas settle
within the warm-up; a leak of even 100 bytes per call grows by several MiB
a minute here), when its heap in use (glibc's mallinfo2, read through the
admin socket: what a leak grows, without the memory the allocator keeps)
grows after the warm-up by more than SOAK_HEAP_GROWTH_KIB (default 1024, less
cyrus-sasl's own DIGEST-MD5 leak, counted), when its fds at the end (clients gone) exceed those of the
start, when its threads at the end exceed the start's by more than its
worker pool may grow (min_workers 5 to max_workers 20, set here), or when
it does not exit cleanly on SIGTERM. The start is after a first workload of
SOAK_PRIME_SECONDS (15) with 40 more clients connecting without pause: what
the daemon creates once and keeps is there by then (the worker pool at
max_workers, glibc's malloc arenas, which it makes as threads contend); the clients
run in a process of their own, so that at the end their connections are
gone for sure.

Environment: SOAK_MINUTES (default 30), SOAK_INTERVAL, SOAK_DIR,
SOAK_RSS_GROWTH_KIB, SOAK_HEAP_GROWTH_KIB, SOAK_GLIBC_TUNABLES (the daemon's
GLIBC_TUNABLES, default glibc.malloc.tcache_count=0: glibc's per-thread
caches count as in use in mallinfo2; "" for glibc's defaults), SOAK_WORKERS (a comma-separated subset of caller,
definer, listener, connector, containers: to find which part grows),
SOAK_CONNECT (the connector's kinds: a subset of unix, ro-sasl, tls-sasl,
tcp-sasl),
VIRTNET_TEST_BUILDDIR / VIRTNET_TEST_SRCDIR (make sets them). Exit 77 without python3-libvirt, saslpasswd2 or the SASL plugins.
"""
import os
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True   # nothing written into the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sasl"))
import saslcommon as sc  # noqa: E402

MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
INTERVAL = float(os.environ.get("SOAK_INTERVAL", "5"))
RSS_GROWTH_KIB = int(os.environ.get("SOAK_RSS_GROWTH_KIB", "8192"))
HEAP_GROWTH_KIB = int(os.environ.get("SOAK_HEAP_GROWTH_KIB", "1024"))
DIGEST_LEAK_KIB = 6     # cyrus-sasl 2.1.28's DIGEST-MD5 plugin, per session with a layer
PRIME_SECONDS = float(os.environ.get("SOAK_PRIME_SECONDS", "15"))
MIN_WORKERS = 5         # the daemon's worker pool (libvirtd's defaults)
MAX_WORKERS = 20


def proc_status(pid):
    """(RSS KiB, threads, open fds) of pid."""
    rss = threads = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    return rss, threads, len(os.listdir("/proc/%d/fd" % pid))


def heap_in_use(rundir):
    """The daemon's heap in use (KiB), from its admin socket (virtnet admin
    stats --prometheus: glibc's mallinfo2 in the daemon); None if unknown."""
    tool = os.path.join(os.path.abspath(sc.BUILDDIR), "tools", "virtnet")
    try:
        out = subprocess.run([tool, "admin", "stats", "--socket",
                              os.path.join(rundir, "libvirt-admin-sock"), "--prometheus"],
                             capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in out.splitlines():
        if line.startswith("virtnet_heap_in_use_bytes "):
            return int(line.split()[1]) // 1024
    return None


def fd_targets(pid):
    """What the open fds of pid point at (for a report)."""
    res = []
    for fd in sorted(os.listdir("/proc/%d/fd" % pid), key=int):
        try:
            res.append("%s -> %s" % (fd, os.readlink("/proc/%d/fd/%s" % (pid, fd))))
        except OSError:
            pass
    return res


def have_containers():
    return os.geteuid() == 0 and subprocess.run(
        ["unshare", "-pfmiu", "true"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL).returncode == 0


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.n = {}
        self.errors = []

    def add(self, key, k=1):
        with self.lock:
            self.n[key] = self.n.get(key, 0) + k

    def error(self, what, e):
        with self.lock:
            self.errors.append("%s: %s" % (what, e))

    def get(self, key):
        with self.lock:
            return self.n.get(key, 0)


class Workload:
    """The clients, on threads of a process of their own (soak.py
    --workload CONFIG), so that when it exits every connection it had is
    gone, however libvirt-python keeps them."""

    def __init__(self, cfg, counts):
        import libvirt
        self.libvirt = libvirt
        self.cfg = cfg
        self.counts = counts
        self.stop = threading.Event()
        self.unix = "test+unix:///default?socket=%s" % os.path.join(cfg["rundir"], "libvirt-sock")
        self.threads = []

    def spawn(self, name, fn):
        def run():
            try:
                fn()
            except Exception as e:     # a failed call ends the worker: reported
                self.counts.error(name, e)
        t = threading.Thread(target=run, name=name, daemon=True)
        t.start()
        self.threads.append(t)

    def caller(self):
        conn = self.libvirt.open(self.unix)
        try:
            while not self.stop.is_set():
                conn.getLibVersion()
                conn.listAllDomains()
                dom = conn.lookupByName("test")
                dom.info()
                dom.XMLDesc(0)
                conn.getCapabilities()
                conn.getHostname()
                self.counts.add("calls", 7)
        finally:
            conn.close()

    def definer(self):
        conn = self.libvirt.open(self.unix)
        i = 0
        try:
            while not self.stop.is_set():
                name = "soak-%d" % (i % 8)
                dom = conn.defineXML("<domain type='test'><name>%s</name><memory>1024</memory>"
                                     "<os><type>hvm</type></os></domain>" % name)
                dom.create()
                dom.destroy()
                dom.undefine()
                self.counts.add("defines")
                self.counts.add("calls", 4)
                i += 1
                time.sleep(0.01)
        finally:
            conn.close()

    def listener(self):
        lv = self.libvirt
        conn = lv.open(self.unix)
        try:
            while not self.stop.is_set():
                cb = conn.domainEventRegisterAny(
                    None, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                    lambda c, d, ev, det, o: self.counts.add("events"), None)
                self.stop.wait(2)
                conn.domainEventDeregisterAny(cb)
                self.counts.add("registrations")
        finally:
            conn.close()

    def connector(self):
        """A new connection every 0.2 s: UNIX, read-only UNIX + SASL, TLS +
        SASL (SCRAM) in turns, and every 10 s TCP + SASL (DIGEST-MD5 with a
        security layer). cyrus-sasl 2.1.28's DIGEST-MD5 plugin leaks about
        6 KiB inside itself per session with a layer (its cipher, see
        daemon/virtnetd.c): one every 10 s keeps that under 1.2 MiB in 30
        minutes; the figures count them."""
        lv = self.libvirt
        ro = "test+unix:///default?socket=%s" % os.path.join(self.cfg["rundir"], "libvirt-sock-ro")
        tcp = "test+tcp://127.0.0.1:%d/default" % self.cfg["tcp_port"]
        uris = [("unix", self.unix, None), ("ro-sasl", ro, "bob")]
        if self.cfg["tls_port"]:
            uris.append(("tls-sasl", "test+tls://127.0.0.1:%d/default?pkipath=%s"
                         % (self.cfg["tls_port"], os.path.join(self.cfg["pki"], "good")), "alice"))
        uris.append(("tcp-sasl", tcp, "alice"))
        kinds = self.cfg["connect"]
        if kinds:
            uris = [u for u in uris if u[0] in kinds]
        every = [u for u in uris if u[0] != "tcp-sasl"]
        digest = len(every) < len(uris)
        i = 0
        while not self.stop.is_set():
            if digest and (i % 50 == 0 or not every):
                _, uri, user = uris[-1]
            else:
                _, uri, user = every[i % len(every)]
            if user:
                r = sc.open_auth(uri, user, sc.USERS[user])
                if not r.get("ok"):
                    raise RuntimeError("%s as %s: %s" % (uri, user, r))
            else:
                c = lv.open(uri)
                c.listAllDomains()
                c.close()
            self.counts.add("connects")
            if uri == tcp:
                self.counts.add("digest")
            i += 1
            self.stop.wait(0.2)

    def burst(self):
        """Prime only: connects without pause (the daemon opens each on a
        worker), several of these at once, so that the worker pool grows to
        max_workers and the allocator makes its arenas before the start
        figures: both are high-water marks kept for the daemon's life, not
        growth the soak should see later."""
        while not self.stop.is_set():
            c = self.libvirt.open(self.unix)
            c.listAllDomains()
            c.close()
            self.counts.add("burst")

    def containers(self):
        lv = self.libvirt
        # auto_answer=1: from the second start on, the console log of the
        # previous run exists and the start asks "append or replace?"
        # (docs/lxc-driver.md); an operator's loop takes the default
        conn = lv.open("lxc+unix:///system?socket=%s&auto_answer=1" %
                       os.path.join(self.cfg["rundir"], "libvirt-sock"))
        name = "soak%d-ct" % self.cfg["parent"]
        xml = ("<domain type='lxc'><name>%s</name><memory unit='KiB'>65536</memory>"
               "<vcpu>1</vcpu><os><type>exe</type><init>/bin/sh</init>"
               "<initarg>-c</initarg><initarg>sleep 600</initarg></os>"
               "<devices><console type='pty'/></devices></domain>" % name)
        try:
            while not self.stop.is_set():
                dom = conn.defineXML(xml)
                dom.create()
                self.stop.wait(0.5)
                dom.destroy()
                dom.undefine()
                self.counts.add("containers")
                self.stop.wait(0.5)
        finally:
            conn.close()

    def start(self):
        lv = self.libvirt
        lv.registerErrorHandler(lambda *a: None, None)
        lv.virEventRegisterDefaultImpl()

        def loop():
            while not self.stop.is_set():
                lv.virEventRunDefaultImpl()
        threading.Thread(target=loop, name="events", daemon=True).start()
        only = self.cfg["workers"]
        for name, fn in (("caller1", self.caller), ("caller2", self.caller),
                         ("definer", self.definer), ("listener", self.listener),
                         ("connector", self.connector), ("containers", self.containers)):
            if name == "containers" and not self.cfg["containers"]:
                continue
            if not only or name.rstrip("12") in only:
                self.spawn(name, fn)
        for i in range(self.cfg.get("burst", 0)):
            self.spawn("burst%d" % i, self.burst)

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)


def workload_main(cfg_json):
    """The client process: run until SIGTERM, writing the counts (and any
    error) to cfg["counts"] every second."""
    cfg = json.loads(cfg_json)
    counts = Counts()
    w = Workload(cfg, counts)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())

    def save():
        with counts.lock:
            data = {"n": dict(counts.n), "errors": list(counts.errors)}
        tmp = cfg["counts"] + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.replace(tmp, cfg["counts"])

    w.start()
    while not done.wait(1):
        save()
    w.finish()
    save()
    return 0


class WorkloadProcess:
    def __init__(self, cfg):
        self.path = cfg["counts"]
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--workload",
                                      json.dumps(cfg)])
        self.data = {"n": {}, "errors": []}

    def read(self):
        try:
            with open(self.path) as f:
                self.data = json.load(f)
        except (OSError, ValueError):
            pass
        return self.data

    def get(self, key):
        return self.data["n"].get(key, 0)

    def errors(self):
        return self.data["errors"] + ([] if self.proc.poll() is None or self.proc.returncode == 0
                                      else ["the workload exited with %d" % self.proc.returncode])

    def finish(self):
        self.proc.terminate()
        try:
            self.proc.wait(120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.data["errors"].append("the workload did not stop within 2 minutes")
        self.read()


def slope_kib_per_min(samples):
    """Least-squares slope of RSS over time, KiB per minute."""
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mx = sum(s[0] for s in samples) / n
    my = sum(s[1] for s in samples) / n
    var = sum((s[0] - mx) ** 2 for s in samples)
    cov = sum((s[0] - mx) * (s[1] - my) for s in samples)
    return cov / var * 60 if var else 0.0


def plot(path_csv, path_png):
    if not shutil.which("gnuplot"):
        return "gnuplot not installed (package gnuplot-nox): no plot"
    script = """
set datafile separator ','
set terminal pngcairo size 1000,600 noenhanced
set output '%s'
set title 'virtnetd soak: RSS, fds and threads'
set xlabel 'minutes'
set ylabel 'RSS (MiB)'
set y2label 'fds, threads'
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set y2tics
set key outside bottom center horizontal
plot '%s' using ($1/60):($2/1024) with lines lw 2 title 'RSS (MiB)', \\
     '' using ($1/60):3 axes x1y2 with lines title 'fds', \\
     '' using ($1/60):4 axes x1y2 with lines title 'threads'
""" % (path_png, path_csv)
    r = subprocess.run(["gnuplot"], input="set key autotitle columnhead\n" + script,
                       capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(path_png):
        # pngcairo missing: the plain png terminal
        r = subprocess.run(["gnuplot"], input=script.replace("pngcairo", "png"),
                           capture_output=True, text=True)
    return "plot: %s" % path_png if r.returncode == 0 else "gnuplot failed: %s" % r.stderr


def main():
    sc.need_basics()
    env = sc.SaslEnv("soak")
    out = os.environ.get("SOAK_DIR") or tempfile.mkdtemp(prefix="virtnet-soak-", dir="/tmp")
    os.makedirs(out, exist_ok=True)
    containers = have_containers()
    build = os.path.abspath(sc.BUILDDIR)
    # glibc's per-thread caches (tcache: up to 7 freed chunks per size
    # class per thread) count as in use in mallinfo2, and with 30 threads
    # they fill for minutes: off, the heap in use is what the daemon holds.
    env.env["GLIBC_TUNABLES"] = os.environ.get("SOAK_GLIBC_TUNABLES",
                                               "glibc.malloc.tcache_count=0")
    env.env["VIRTNET_LXC_STATE_DIR"] = os.path.join(env.dir, "lxc-run")
    env.env["VIRTNET_LXC_CONFIG_DIR"] = os.path.join(env.dir, "lxc-etc")
    env.env["VIRTNET_LXC_CONTROLLER"] = os.path.join(build, "src", "drivers", "lxc", "virtnet_lxc")
    failures = []
    try:
        d = sc.Virtnetd(env, "daemon", sc.server_conf(
            env, "@RUNDIR@", 'auth_unix_rw = "none"\nmin_workers = %d\nmax_workers = %d\n'
            % (MIN_WORKERS, MAX_WORKERS)))
        pid = d.proc.pid
        csv = os.path.join(out, "soak.csv")
        png = os.path.join(out, "soak.png")
        print("soak: %.1f min, sampling every %.0f s, containers %s, daemon's GLIBC_TUNABLES "
              "'%s'; output in %s" % (MINUTES, INTERVAL, "yes" if containers else "no (needs root)",
                                      env.env["GLIBC_TUNABLES"], out))
        sys.stdout.flush()
        cfg = {"rundir": d.rundir, "tcp_port": d.tcp_port, "tls_port": d.tls_port,
               "pki": env.pki, "parent": os.getpid(), "containers": containers,
               "workers": [w for w in os.environ.get("SOAK_WORKERS", "").split(",") if w],
               "connect": [w for w in os.environ.get("SOAK_CONNECT", "").split(",") if w],
               "counts": os.path.join(out, "prime.json")}
        # A first workload of a few seconds makes what the daemon creates
        # once and keeps (the LXC driver's monitor loop, the SASL and TLS
        # contexts, the worker pool at its maximum and glibc's malloc
        # arenas, made as threads contend, up to 8 per core): the start
        # figures are those after it.
        prime = WorkloadProcess(dict(cfg, burst=2 * MAX_WORKERS))
        time.sleep(PRIME_SECONDS)
        prime.finish()
        failures += prime.errors()
        time.sleep(2)
        start = proc_status(pid)
        start_fds = fd_targets(pid)
        cfg["counts"] = os.path.join(out, "counts.json")
        w = WorkloadProcess(cfg)
        t0 = time.monotonic()
        end = t0 + MINUTES * 60
        warm = t0 + min(MINUTES * 60 / 5, 300)
        samples = []
        with open(csv, "w") as f:
            f.write("seconds,rss_kib,fds,threads,calls,events,defines,connects,containers,"
                    "heap_kib,digest\n")
            while True:
                now = time.monotonic()
                rss, threads, fds = proc_status(pid)
                heap = heap_in_use(d.rundir)
                w.read()
                row = (now - t0, rss, fds, threads, w.get("calls"), w.get("events"),
                       w.get("defines"), w.get("connects"), w.get("containers"),
                       -1 if heap is None else heap, w.get("digest"))
                samples.append(row)
                f.write("%.1f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d\n" % row)
                f.flush()
                if now >= end or w.errors() or not d.alive():
                    break
                time.sleep(min(INTERVAL, max(0.0, end - time.monotonic())))
        w.finish()
        time.sleep(2)      # the daemon sees the last closes
        final = proc_status(pid) if d.alive() else (0, 0, 0)
        print(plot(csv, png))

        after = [s for s in samples if s[0] >= warm - t0]
        warm_rss = after[0][1] if after else start[0]
        peak_after = max((s[1] for s in after), default=warm_rss)
        last = samples[-1]
        elapsed = last[0]
        print("figure: %.1f min: %d calls (%.0f/s), %d events, %d define+start+destroy+undefine, "
              "%d connects (UNIX, read-only+SASL, TLS+SASL; %d of them TCP+SASL DIGEST-MD5, "
              "~%d KiB of cyrus-sasl's own leak), %d containers"
              % (elapsed / 60, last[4], last[4] / max(elapsed, 1), last[5], last[6], last[7],
                 w.get("digest"), w.get("digest") * 6, last[8]))
        print("figure: RSS %d KiB at the start, %d after the warm-up (%.1f min), %d at the "
              "end, peak after the warm-up %d (+%d KiB; bound %d)"
              % (start[0], warm_rss, (warm - t0) / 60, last[1], peak_after,
                 peak_after - warm_rss, RSS_GROWTH_KIB))
        print("figure: RSS trend after the warm-up %+.1f KiB/min (least squares over %d samples)"
              % (slope_kib_per_min(after), len(after)))
        # The heap in use is what a leak grows; RSS also holds what glibc's
        # arenas keep. cyrus-sasl's DIGEST-MD5 leak (its own) is in the
        # heap too: DIGEST_LEAK_KIB per such session is taken off.
        heap = [(s[0], s[9] - s[10] * DIGEST_LEAK_KIB) for s in after if s[9] >= 0]
        if len(heap) >= 2:
            heap_growth = max(h[1] for h in heap) - heap[0][1]
            print("figure: heap in use %d KiB after the warm-up, %d at the end, peak growth "
                  "+%d KiB less cyrus-sasl's DIGEST-MD5 leak (%d sessions x %d KiB; bound %d), "
                  "trend %+.1f KiB/min"
                  % (after[0][9], last[9], heap_growth, last[10] - after[0][10],
                     DIGEST_LEAK_KIB, HEAP_GROWTH_KIB, slope_kib_per_min(heap)))
            if heap_growth > HEAP_GROWTH_KIB:
                failures.append("heap in use grew by %d KiB after the warm-up" % heap_growth)
        else:
            failures.append("no heap figures from the admin socket")
        print("figure: fds %d at the start, %d at most, %d at the end with the clients gone; "
              "threads %d, %d at most, %d at the end"
              % (start[2], max(s[2] for s in samples), final[2], start[1],
                 max(s[3] for s in samples), final[1]))
        failures += w.errors()
        if elapsed < MINUTES * 60 - 2 * INTERVAL:
            failures.append("stopped after %.1f min of %.1f" % (elapsed / 60, MINUTES))
        if not after or len(after) < 2:
            failures.append("no samples after the warm-up")
        elif peak_after - warm_rss > RSS_GROWTH_KIB:
            failures.append("RSS grew by %d KiB after the warm-up" % (peak_after - warm_rss))
        if final[2] > start[2]:
            failures.append("fds: %d at the start, %d at the end; at the start: %s; at the "
                            "end: %s" % (start[2], final[2], ", ".join(start_fds),
                                         ", ".join(fd_targets(pid))))
        # the worker pool may grow from MIN_WORKERS to MAX_WORKERS and stay
        if final[1] > start[1] + MAX_WORKERS - MIN_WORKERS:
            failures.append("threads: %d at the start, %d at the end: more than the pool's "
                            "growth (%d to %d workers) explains"
                            % (start[1], final[1], MIN_WORKERS, MAX_WORKERS))
        why = d.stop()
        if why:
            failures.append(why)
    finally:
        env.cleanup()
    for f in failures:
        print("FAIL: %s" % f)
    print("soak: %s" % ("FAILED" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--workload":
        sys.exit(workload_main(sys.argv[2]))
    sys.exit(main())
