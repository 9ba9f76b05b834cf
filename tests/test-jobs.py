#!/usr/bin/python3
# test-jobs.py: long jobs in virtnet_iohelper and questions (docs/jobs.md),
# through libvirt-python and virsh against a virtnetd of its own.
#
# Run by `make check` (VIRTNET_TEST_BUILDDIR set) or by hand from a build
# directory. Skips (77) without python3-libvirt.
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

try:
    import libvirt
except ImportError:
    print("SKIP: python3-libvirt is not installed")
    sys.exit(77)

BUILD = os.environ.get("VIRTNET_TEST_BUILDDIR", ".")
VIRTNETD = os.path.join(BUILD, "daemon", "virtnetd")
TMP = tempfile.mkdtemp(prefix="vn-jobs.")
RUN = os.path.join(TMP, "run")
IMG = os.path.join(TMP, "img")
os.makedirs(RUN)
os.makedirs(IMG)
GIB = 1024 * 1024 * 1024
NS = "urn:virtnet:test-driver:1"

passed = failed = 0
libvirt.registerErrorHandler(lambda ctx, err: None, None)


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + str(detail) if detail else ""))


daemon = None


def start_daemon():
    global daemon
    conf = os.path.join(TMP, "virtnetd.conf")
    with open(conf, "w") as f:
        f.write('unix_sock_dir = "%s"\n' % RUN)
    out = open(os.path.join(TMP, "daemon.out"), "a")
    daemon = subprocess.Popen([VIRTNETD, "-f", conf], stdout=out,
                              stderr=open(os.path.join(TMP, "daemon.err"), "a"))
    for _ in range(300):
        if os.path.exists(os.path.join(RUN, "libvirt-sock")):
            try:
                libvirt.open(uri(0)).close()
                return
            except libvirt.libvirtError:
                pass
        time.sleep(0.05)
    raise SystemExit("FAIL virtnetd did not start")


def uri(auto):
    u = "test+unix:///default?socket=%s/libvirt-sock" % RUN
    return u + ("&auto_answer=%d" % auto if auto is not None else "")


def domxml(name, mib, bandwidth=None, questions=()):
    meta = ""
    if bandwidth is not None or questions:
        qs = "".join("<vt:question task='%s' text='%s' default='%d'>%s</vt:question>" %
                     (t, text, d, "".join("<vt:answer>%s</vt:answer>" % a for a in ans))
                     for t, text, ans, d in questions)
        meta = ("<metadata><vt:jobs xmlns:vt='%s'%s>%s</vt:jobs></metadata>" %
                (NS, " bandwidth='%d'" % bandwidth if bandwidth else "", qs))
    return ("<domain type='test'><name>%s</name><memory unit='MiB'>%d</memory>%s"
            "<os><type>hvm</type></os></domain>" % (name, mib, meta))


def helper_pids():
    pids = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % p) as f:
                st = f.read()
            comm = st[st.index("(") + 1:st.rindex(")")]
            ppid = int(st[st.rindex(")") + 2:].split()[1])
        except (OSError, ValueError):
            continue
        if ppid == daemon.pid and comm.startswith("virtnet_iohelp"):
            pids.append(int(p))
    return pids


def leftovers():
    return [f for f in os.listdir(IMG) if ".part-" in f]


def run_bg(fn):
    res = {}

    def body():
        t0 = time.monotonic()
        try:
            fn()
            res["ok"] = True
        except libvirt.libvirtError as e:
            res["err"] = e
        res["t"] = time.monotonic()
        res["dt"] = res["t"] - t0
    th = threading.Thread(target=body)
    th.start()
    return th, res


def wait_progress(dom, minimum=1):
    for _ in range(200):
        info = dom.jobInfo()
        if info[0] == libvirt.VIR_DOMAIN_JOB_UNBOUNDED and info[4] >= minimum:
            return info
        time.sleep(0.02)
    return dom.jobInfo()


start_daemon()
libvirt.virEventRegisterDefaultImpl()
A = libvirt.open(uri(None))      # auto_answer unset: 0
B = libvirt.open(uri(1))         # another connection, auto_answer=1
events = []
A.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
                         lambda c, d, p, o: events.append((d.name(), p)), None)
stop_loop = False


def loop():
    while not stop_loop:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=loop, daemon=True).start()

# ---- save with progress and abort (2 GiB at 1 GiB/s: ~2 s) ----------------
A.defineXML(domxml("big", 2048, bandwidth=1024)).create()
dA, dB = A.lookupByName("big"), B.lookupByName("big")
path = os.path.join(IMG, "big.save")
th, res = run_bg(lambda: dA.save(path))
i1 = wait_progress(dB, 1)
time.sleep(0.3)
i2 = dB.jobInfo()
check("domjobinfo from another connection: unbounded job", i1[0] == libvirt.VIR_DOMAIN_JOB_UNBOUNDED, i1)
check("progress grows", i2[4] > i1[4] and i2[3] == 2 * GIB, (i1, i2))
st = dB.jobStats()
check("job stats: operation save, totals", st.get("operation") == libvirt.VIR_DOMAIN_JOB_OPERATION_SAVE
      and st.get("data_total") == 2 * GIB and st.get("memory_processed", 0) > 0, st)
check("read-only queries during the job", dB.state()[0] == libvirt.VIR_DOMAIN_RUNNING and dB.XMLDesc())
try:
    dB.managedSave()
    check("one job per domain", False, "a second job started")
except libvirt.libvirtError as e:
    check("one job per domain", e.get_error_code() == libvirt.VIR_ERR_OPERATION_TIMEOUT and
          "held by" in e.get_error_message(), e.get_error_message())
t0 = time.monotonic()
dB.abortJob()
th.join(10)
latency = res.get("t", 99) - t0
# the bound is 1 s; a sanitizer build on a loaded machine gets 3 s
# (1.26 s seen at load 15). That it stopped early at all is the
# OPERATION_ABORTED below: at its bandwidth the save would have completed.
bound = 3.0 if os.environ.get("ASAN_OPTIONS") else 1.0
check("abort stops the save within %.0f s (%.3f s)" % (bound, latency), latency < bound)
check("aborted save fails with OPERATION_ABORTED", "err" in res and
      res["err"].get_error_code() == libvirt.VIR_ERR_OPERATION_ABORTED, res)
check("no image after abort", not os.path.exists(path) and not leftovers(), os.listdir(IMG))
check("the domain runs on", dA.state()[0] == libvirt.VIR_DOMAIN_RUNNING)
cs = dA.jobStats(libvirt.VIR_DOMAIN_JOB_STATS_COMPLETED)
check("completed stats: cancelled", dA.jobInfo()[0] == libvirt.VIR_DOMAIN_JOB_NONE and
      cs.get("success") is False, cs)

# ---- save then restore: same XML, JOB_COMPLETED -----------------------------
d = A.lookupByName("test")      # 2 GiB current memory, no limit
before = d.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
path = os.path.join(IMG, "test.save")
t0 = time.monotonic()
d.save(path)
tsave = time.monotonic() - t0
check("save of 2 GiB (%.2f s, %.0f MiB/s)" % (tsave, 2048 / tsave),
      d.state() == [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SAVED])
check("the image: 2 GiB sparse", os.path.getsize(path) > 2 * GIB and
      os.stat(path).st_blocks * 512 < 64 * 1024 * 1024)
for _ in range(100):
    if events:
        break
    time.sleep(0.02)
check("JOB_COMPLETED event with the stats", events and events[0][0] == "test" and
      events[0][1].get("data_processed") == 2 * GIB, events)
check("save-image XML", "<name>test</name>" in A.saveImageGetXMLDesc(path))
t0 = time.monotonic()
A.restore(path)
trestore = time.monotonic() - t0
d = A.lookupByName("test")
check("restore (%.2f s): running, restored" % trestore,
      d.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_RESTORED])
check("same XML after save and restore", d.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before)
with open(path, "r+b") as f:   # damage one memory block's stamp
    f.seek(4096 + 5 * 1024 * 1024)
    f.write(b"X")
d.destroy()
try:
    A.restore(path)
    check("a damaged image is refused", False)
except libvirt.libvirtError as e:
    check("a damaged image is refused", "block 5 is damaged" in e.get_error_message(),
          e.get_error_message())
A.lookupByName("test").create()

# ---- managed save and its start, core dump ----------------------------------
A.defineXML(domxml("ms", 256)).create()
m = A.lookupByName("ms")
m.managedSave()
check("managed save: saved, has image", m.state()[1] == libvirt.VIR_DOMAIN_SHUTOFF_SAVED and
      m.hasManagedSaveImage() == 1)
check("managed save XML", "<name>ms</name>" in m.managedSaveGetXMLDesc())
m.managedSaveDefineXML(m.managedSaveGetXMLDesc().replace("</os>", "</os><description>x</description>"))
check("managed save define XML", "<description>x</description>" in m.managedSaveGetXMLDesc())
m.create()
check("start from the managed save image (booted, as libvirt's test driver)",
      m.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED] and
      m.hasManagedSaveImage() == 0 and "<description>x</description>" in m.XMLDesc())
dump = os.path.join(IMG, "ms.core")
m.coreDump(dump, libvirt.VIR_DUMP_CRASH)
with open(dump, "rb") as f:
    magic = f.read(13)
check("core dump written, domain crashed", magic == b"VirtnetImage\n" and
      m.state() == [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_CRASHED])

# ---- the typed-parameter forms (libvirt 8.4 / 8.5) ----------------------------
P = libvirt.VIR_DOMAIN_SAVE_PARAM_FILE
A.defineXML(domxml("tp", 64)).create()
t = A.lookupByName("tp")
path = os.path.join(IMG, "tp.save")
t.saveParams({P: path})
check("saveParams with a file: saved", os.path.exists(path) and
      t.state()[1] == libvirt.VIR_DOMAIN_SHUTOFF_SAVED and t.hasManagedSaveImage() == 0)
A.restoreParams({P: path})
check("restoreParams: running, restored",
      t.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_RESTORED])
t.saveParams({})
check("saveParams without a file: a managed save", t.hasManagedSaveImage() == 1)
t.create()
os.remove(path)
for what, call, want in [
        ("restoreParams without a file", lambda: A.restoreParams({}),
         (libvirt.VIR_ERR_INVALID_ARG, "missing path to restore from")),
        ("saveParams with an unknown parameter", lambda: t.saveParams({P: path, "bogus": "x"}),
         (libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, "parameter 'bogus' not supported")),
        ("saveParams with a new definition", lambda: t.saveParams(
            {P: path, libvirt.VIR_DOMAIN_SAVE_PARAM_DXML: t.XMLDesc()}),
         (libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, "xml modification unsupported")),
        ("abortJobFlags without a job", lambda: t.abortJobFlags(0),
         (libvirt.VIR_ERR_OPERATION_INVALID, "no job is active on the domain")),
        ("abortJobFlags with an unknown flag", lambda: t.abortJobFlags(2),
         (libvirt.VIR_ERR_INVALID_ARG, "unsupported flags (0x2)"))]:
    try:
        call()
        check(what + " refused", False)
    except libvirt.libvirtError as e:
        check(what + " refused", e.get_error_code() == want[0] and
              want[1] in e.get_error_message(), e.get_error_message())
check("refused calls wrote nothing", not os.path.exists(path) and not leftovers() and
      t.state()[0] == libvirt.VIR_DOMAIN_RUNNING and t.hasManagedSaveImage() == 0)
path = os.path.join(IMG, "big3.save")
th, res = run_bg(lambda: dA.save(path))
wait_progress(dB, 1)
try:
    dB.abortJobFlags(libvirt.VIR_DOMAIN_ABORT_JOB_POSTCOPY)
    check("abortJobFlags(POSTCOPY) on a save refused", False)
except libvirt.libvirtError as e:
    check("abortJobFlags(POSTCOPY) on a save refused", "not outgoing migration in post-copy" in
          e.get_error_message() and dB.jobInfo()[0] == libvirt.VIR_DOMAIN_JOB_UNBOUNDED,
          e.get_error_message())
dB.abortJobFlags(0)
th.join(10)
check("abortJobFlags(0) aborts the save", "err" in res and
      res["err"].get_error_code() == libvirt.VIR_ERR_OPERATION_ABORTED and
      not os.path.exists(path) and not leftovers(), res)

# ---- a helper killed mid-save -----------------------------------------------
path = os.path.join(IMG, "big2.save")
th, res = run_bg(lambda: dA.save(path))
wait_progress(dB, 1)
pids = helper_pids()
for p in pids:
    os.kill(p, signal.SIGKILL)
th.join(10)
msg = res["err"].get_error_message() if "err" in res else ""
check("kill -9 of the helper: error names the job and the signal", len(pids) == 1 and
      "save of domain 'big'" in msg and "SIGKILL" in msg, (pids, msg))
check("no partial image", not os.path.exists(path) and not leftovers(), os.listdir(IMG))
check("the domain is still usable", dA.state()[0] == libvirt.VIR_DOMAIN_RUNNING and
      dA.jobInfo()[0] == libvirt.VIR_DOMAIN_JOB_NONE)

# ---- questions ------------------------------------------------------------
qtext = "Overwrite the old image?"
A.defineXML(domxml("q", 64, questions=[("save", qtext, ["yes", "no"], 0)])).create()
qA, qB = A.lookupByName("q"), B.lookupByName("q")
want = ("Pending question blocks virtual machine execution, question is '%s', "
        "possible answers are 'yes', 'no'" % qtext)
path = os.path.join(IMG, "q.save")
try:
    qA.save(path)
    check("auto_answer=0: the save fails naming the question", False)
except libvirt.libvirtError as e:
    check("auto_answer=0: the save fails naming the question", want in e.get_error_message(),
          e.get_error_message())
check("the task is cancelled: no image, domain runs",
      not os.path.exists(path) and not leftovers() and qA.state()[0] == libvirt.VIR_DOMAIN_RUNNING)
try:
    qA.shutdown()
    check("a later task reports the pending question first", False)
except libvirt.libvirtError as e:
    check("a later task reports the pending question first", want in e.get_error_message())
qB.save(path)
check("auto_answer=1: pending question answered, the save goes on",
      os.path.exists(path) and qB.state()[1] == libvirt.VIR_DOMAIN_SHUTOFF_SAVED)
B.restore(path)
qB.save(path)   # the question comes back, answered by default at once
check("auto_answer=1 answers the question during the job", qB.state()[1] ==
      libvirt.VIR_DOMAIN_SHUTOFF_SAVED)
A.defineXML(domxml("qs", 64, questions=[("start", "Start anyway?", ["no", "yes"], 1)]))
try:
    A.lookupByName("qs").create()
    check("a question on an in-process task (start)", False)
except libvirt.libvirtError as e:
    check("a question on an in-process task (start)", "Start anyway?" in e.get_error_message())
B.lookupByName("qs").create()
check("start with auto_answer=1", B.lookupByName("qs").isActive() == 1)
try:
    libvirt.open(uri(None) + "&auto_answer=2")
    check("auto_answer=2 is refused", False)
except libvirt.libvirtError as e:
    check("auto_answer=2 is refused", "should be 0 or 1" in e.get_error_message())

# virsh, both values
def virsh(u, *args):
    return subprocess.run(["virsh", "-c", u] + list(args), capture_output=True, text=True)


if subprocess.run(["which", "virsh"], capture_output=True).returncode == 0:
    A.defineXML(domxml("vq", 64, questions=[("shutdown", "Really?", ["no", "yes"], 1)])).create()
    r = virsh(uri(0), "shutdown", "vq")
    check("virsh auto_answer=0", r.returncode != 0 and "question is 'Really?'" in r.stderr, r.stderr)
    r = virsh(uri(1), "shutdown", "vq")
    check("virsh auto_answer=1", r.returncode == 0, r.stderr)
    r = virsh(uri(1), "domjobinfo", "big")
    check("virsh domjobinfo", r.returncode == 0 and "None" in r.stdout, r.stdout + r.stderr)

# ---- the daemon killed mid-save: a clean start ------------------------------
path = os.path.join(IMG, "big3.save")
th, res = run_bg(lambda: dA.save(path))
wait_progress(dB, 1)
pids = helper_pids()
for p in pids:
    os.kill(p, signal.SIGSTOP)   # so that it cannot clean up after itself
daemon.kill()
daemon.wait()
for p in pids:
    os.kill(p, signal.SIGKILL)
th.join(10)
left = leftovers()
jobsdir = os.path.join(RUN, "jobs")
check("kill -9 of the daemon leaves a partial image and its record",
      len(left) == 1 and any(f.endswith(".job") for f in os.listdir(jobsdir)), (left, os.listdir(jobsdir)))
start_daemon()
check("a restarted daemon removes it", not leftovers() and not os.path.exists(path) and
      not any(f.endswith(".job") for f in os.listdir(jobsdir)), (os.listdir(IMG), os.listdir(jobsdir)))

stop_loop = True
daemon.terminate()
daemon.wait()
if not os.environ.get("VIRTNET_TEST_KEEP"):
    subprocess.run(["rm", "-rf", TMP])
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
