#!/usr/bin/env python3
"""test-install-activation.py: the installed virtnetd, socket-activated.

virtnetd is installed with `make install DESTDIR=...`. This test holds the
three listening sockets of the units (read-write, read-only, admin) as
systemd does, and hands them to systemd-socket-activate (Debian's systemd
package) with the units' names; systemd-socket-activate waits for a
connection and then runs the installed daemon with LISTEN_FDS and
LISTEN_FDNAMES:

1. virsh (or, without libvirt's clients, the installed virtnet) gets an
   answer on the read-write and read-only sockets; the admin socket is
   served too (virt-admin answers on it when installed);
2. the daemon exits by itself after its --timeout without clients;
3. a client that connects while no daemon runs waits in the backlog of the
   same socket, which is activated again and answers it.

Skips (77) without systemd-socket-activate.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

BUILD = os.environ.get("VIRTNET_TEST_BUILDDIR",
                       os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMES = ["virtnetd.socket", "virtnetd-ro.socket", "virtnetd-admin.socket"]
SOCKS = ["libvirt-sock", "libvirt-sock-ro", "libvirt-admin-sock"]
IDLE = 2            # the daemon's --timeout
passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print("ok   " + name, flush=True)


def fail(name, *details):
    global failed
    failed += 1
    print("FAIL " + name, flush=True)
    for d in details:
        for line in str(d).rstrip().splitlines():
            print("     " + line)


def finish():
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


def install_dirs():
    dirs = {}
    for item in os.environ.get("VIRTNET_INSTALL_DIRS", "").split():
        key, _, value = item.partition("=")
        dirs[key] = value
    return dirs


class Activator:
    """The listening sockets, kept across daemon runs, as systemd keeps them."""

    def __init__(self, rundir):
        self.paths = [os.path.join(rundir, s) for s in SOCKS]
        self.socks = []
        for i, path in enumerate(self.paths):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(path)
            s.listen(16)
            # Out of the way of 3, 4, 5, where the child wants them.
            os.dup2(s.fileno(), 100 + i)
            s.close()
            self.socks.append(100 + i)

    def start(self, argv, log):
        """systemd-socket-activate, handed the sockets at 3, 4, 5 with the
        units' names, runs argv when a client connects (exec: same pid)."""
        keep = [v for v in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "VIRTNET_LOG_OUTPUTS")
                if v in os.environ]
        script = ('exec 3<&100 4<&101 5<&102 100<&- 101<&- 102<&-; '
                  'LISTEN_PID=$$ LISTEN_FDS=3 exec systemd-socket-activate --fdname=%s %s "$@"'
                  % (":".join(NAMES), " ".join("-E " + v for v in keep)))
        return subprocess.Popen(["bash", "-c", script, "bash"] + argv, pass_fds=self.socks,
                                stdout=log, stderr=subprocess.STDOUT)


def client(argv, timeout=20):
    try:
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, universal_newlines=True)
        return r.returncode, r.stdout
    except subprocess.TimeoutExpired as e:
        return -1, "timed out: %s" % (e.output or "")


def wait_exit(proc, seconds):
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None


def main():
    if not shutil.which("systemd-socket-activate"):
        print("SKIP: systemd-socket-activate not found (Debian package systemd)")
        sys.exit(77)
    dirs = install_dirs()
    if not dirs.get("sbindir"):
        print("FAIL VIRTNET_INSTALL_DIRS is not set: run through make check")
        print("0 passed, 1 failed")
        sys.exit(1)

    tmp = tempfile.mkdtemp(prefix="virtnet-activation.")
    try:
        run(tmp, dirs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish()


def run(tmp, dirs):
    root = os.path.join(tmp, "root")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    r = subprocess.run(["make", "-C", BUILD, "install", "DESTDIR=" + root], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    if r.returncode != 0:
        fail("make install DESTDIR=...", r.stdout[-2000:])
        return
    daemon = root + dirs["sbindir"] + "/virtnetd"
    tool = root + dirs["bindir"] + "/virtnet"
    virsh = shutil.which("virsh")

    rundir = os.path.join(tmp, "run")
    os.mkdir(rundir)
    conf = os.path.join(tmp, "virtnetd.conf")
    with open(conf, "w") as f:
        f.write('unix_sock_dir = "%s"\n' % os.path.join(tmp, "state"))
    act = Activator(rundir)
    argv = [daemon, "-f", conf, "--timeout", str(IDLE)]

    def ask(path, readonly=False):
        """virsh when libvirt's clients are installed, else our virtnet."""
        if virsh:
            cmd = [virsh, "-q", "-c", "test+unix:///default?socket=" + path, "list", "--all"]
            if readonly:
                cmd.insert(2, "-r")
        else:
            cmd = [tool, "-c", "test+unix:///default?socket=" + path, "list", "--all"]
            if readonly:
                cmd.insert(1, "-r")
        return client(cmd)

    who = "virsh" if virsh else "virtnet (installed; libvirt's virsh is not)"

    # 1. First activation.
    log1 = open(os.path.join(tmp, "run1.log"), "w+")
    proc = act.start(argv, log1)
    rc, out = ask(act.paths[0])
    # A connection held open keeps the daemon from its idle exit while the
    # other clients start (slowly, on a loaded machine); the idle timeout
    # is measured from its close.
    holder = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    holder.connect(act.paths[0])
    rc_ro, out_ro = ask(act.paths[1], readonly=True)
    if rc == 0 and "test" in out and "running" in out and rc_ro == 0 and "test" in out_ro:
        ok("activated on its first connection: %s answers on the read-write and read-only "
           "sockets" % who)
    else:
        fail("activated on its first connection: %s answers" % who, out, out_ro)
    if shutil.which("virt-admin"):
        rc_adm, out_adm = client(["virt-admin", "-c", "libvirtd:///system?socket=" + act.paths[2],
                                  "srv-list"])
        if rc_adm == 0 and "libvirtd" in out_adm and "admin" in out_adm:
            ok("virt-admin answers on the admin socket")
        else:
            fail("virt-admin answers on the admin socket", out_adm)
    holder.close()
    t0 = time.monotonic()

    # 2. Idle exit.
    rc = wait_exit(proc, IDLE + 10)
    elapsed = time.monotonic() - t0
    log1.seek(0)
    text = log1.read()
    if rc == 0 and IDLE - 0.5 <= elapsed <= IDLE + 5:
        ok("exits by itself %.1f s after its last client (--timeout %d)" % (elapsed, IDLE))
    else:
        if rc is None:
            proc.kill()
            proc.wait()
        fail("exits by itself after --timeout %d" % IDLE, "rc %s after %.1f s" % (rc, elapsed), text)
    expect = ["listening on %s (from systemd)" % act.paths[0],
              "listening on %s (read-only) (from systemd)" % act.paths[1],
              "listening on %s (from systemd)" % act.paths[2]]
    missing = [e for e in expect if e not in text]
    if not missing:
        ok("served the three sockets it was passed, by name")
    else:
        fail("served the sockets it was passed by name", "missing: %s" % missing, text)
    leftovers = [p for p in ("libvirt-sock", "libvirt-sock-ro", "virtnetd.pid")
                 if os.path.exists(os.path.join(tmp, "state", p))]
    if not leftovers and all(os.path.exists(p) for p in act.paths):
        ok("made no sockets of its own; the units' socket files stay, the pid file is gone")
    else:
        fail("made no sockets of its own", "in the state dir: %s" % leftovers)

    # 3. The same socket, activated again by a client waiting in its backlog.
    waiting = subprocess.Popen(
        ([virsh, "-q", "-c", "test+unix:///default?socket=" + act.paths[0], "list", "--all"]
         if virsh else [tool, "-c", "test+unix:///default?socket=" + act.paths[0], "list"]),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    time.sleep(0.3)
    log2 = open(os.path.join(tmp, "run2.log"), "w+")
    proc = act.start(argv, log2)
    try:
        out, _ = waiting.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        waiting.kill()
        out = "timed out"
    if waiting.returncode == 0 and "test" in out:
        ok("activated again on the same socket: the client waiting in its backlog is answered")
    else:
        fail("activated again on the same socket", out)
    rc = wait_exit(proc, IDLE + 10)
    if rc == 0:
        ok("the second run exits after its idle timeout too")
    else:
        if rc is None:
            proc.kill()
            proc.wait()
        log2.seek(0)
        fail("the second run exits after its idle timeout too", "rc %s" % rc, log2.read())


if __name__ == "__main__":
    main()
