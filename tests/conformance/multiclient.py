#!/usr/bin/python3
"""multiclient.py URI [CLIENTS [DOMAINS]]: event fan-out to many clients.

CLIENTS (50) libvirt-python connections, each registered for lifecycle
events of all domains (one process, one event loop thread), and one more
connection that makes DOMAINS (20) domains go through define, start,
suspend, resume, destroy, undefine (stage by stage, each stage over all
domains). Every connection must receive every event exactly once and in
the order of the changes. Prints the time from each change (the call that
makes it) to its delivery to the last of the clients: in the burst the
changes come faster than one python process dispatches 50 x the events,
so that time is mostly the clients' backlog; a paced round follows (one
domain, each change waits for its delivery to every client) whose times
are the fan-out latency itself.

Run with the system python3 (python3-libvirt). Exit 0 pass, 1 fail.
"""
import statistics
import sys
import threading
import time

import libvirt

URI = sys.argv[1]
NCLIENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 50
NDOMAINS = int(sys.argv[3]) if len(sys.argv) > 3 else 20
E = libvirt

XML = """<domain type='test'>
  <name>mc%02d</name>
  <uuid>%08d-3c3c-4c3c-8c3c-c3c3c3c3c3c3</uuid>
  <memory>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>"""

# (stage, call, expected event, expected detail)
STAGES = [
    ("define", None, E.VIR_DOMAIN_EVENT_DEFINED, E.VIR_DOMAIN_EVENT_DEFINED_ADDED),
    ("start", "create", E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED),
    ("suspend", "suspend", E.VIR_DOMAIN_EVENT_SUSPENDED,
     E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED),
    ("resume", "resume", E.VIR_DOMAIN_EVENT_RESUMED,
     E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED),
    ("destroy", "destroy", E.VIR_DOMAIN_EVENT_STOPPED,
     E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED),
    ("undefine", "undefine", E.VIR_DOMAIN_EVENT_UNDEFINED,
     E.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED),
]


def main():
    libvirt.registerErrorHandler(lambda ctx, e: None, None)
    libvirt.virEventRegisterDefaultImpl()

    def loop():
        while True:
            libvirt.virEventRunDefaultImpl()
    threading.Thread(target=loop, daemon=True).start()

    expected = [("mc%02d" % d, ev, det)
                for _, _, ev, det in STAGES for d in range(NDOMAINS)]
    burst = len(expected)
    expected += [("mcpaced", ev, det) for _, _, ev, det in STAGES]
    total = len(expected)
    cond = threading.Condition()
    got = [[] for _ in range(NCLIENTS)]      # per client: (name, ev, det)
    when = [[] for _ in range(NCLIENTS)]     # per client: delivery times
    done = [0]

    def cb(conn, dom, event, detail, idx):
        now = time.monotonic()
        with cond:
            got[idx].append((dom.name(), event, detail))
            when[idx].append(now)
            if len(got[idx]) in (burst, total):
                done[0] += 1
                cond.notify_all()

    t0 = time.monotonic()
    conns = []
    for i in range(NCLIENTS):
        c = libvirt.open(URI)
        c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                 cb, i)
        conns.append(c)
    t_setup = time.monotonic() - t0
    actor = libvirt.open(URI)

    changed = []                             # time of each change's call
    doms = {}
    t_start = time.monotonic()
    for stage, call, _, _ in STAGES:
        for d in range(NDOMAINS):
            changed.append(time.monotonic())
            if call is None:
                doms[d] = actor.defineXML(XML % (d, d))
            else:
                getattr(doms[d], call)()
    t_calls = time.monotonic() - t_start

    deadline = time.monotonic() + 60
    with cond:
        while done[0] < NCLIENTS and time.monotonic() < deadline:
            cond.wait(deadline - time.monotonic())

    # paced: each change waits for its delivery to every client
    paced = []
    dom = None
    for stage, call, _, _ in STAGES:
        n = len(changed) + 1
        changed.append(time.monotonic())
        if call is None:
            dom = actor.defineXML((XML % (99, 99)).replace("mc99", "mcpaced"))
        else:
            getattr(dom, call)()
        deadline = time.monotonic() + 10
        with cond:
            while (sum(len(g) >= n for g in got) < NCLIENTS
                   and time.monotonic() < deadline):
                cond.wait(0.01)
        paced.append(time.monotonic() - changed[-1])
    time.sleep(0.3)                          # anything extra would show now
    with cond:
        got = [list(g) for g in got]
        when = [list(w) for w in when]

    failures = 0
    for i in range(NCLIENTS):
        if got[i] != expected:
            failures += 1
            if failures <= 5:
                extra = len(got[i]) - total
                first = next((k for k in range(min(len(got[i]), total))
                              if got[i][k] != expected[k]), None)
                print("FAIL: client %d got %d events (expected %d)%s"
                      % (i, len(got[i]), total,
                         "" if first is None else
                         "; event %d is %r, expected %r"
                         % (first, got[i][first], expected[first])))
                if extra > 0:
                    print("      extra: %r" % (got[i][total:total + 5],))
    if failures > 5:
        print("FAIL: ... %d clients in all" % failures)
    ok_clients = [i for i in range(NCLIENTS) if got[i] == expected]
    if ok_clients:
        last = [max(when[i][k] for i in ok_clients) for k in range(total)]
        lat = [last[k] - changed[k] for k in range(burst)]
        end = max(last[:burst])
        print("%d clients x %d events (%d deliveries): setup %.2f s, "
              "%d changes in %.2f s"
              % (NCLIENTS, total, NCLIENTS * total, t_setup, burst, t_calls))
        print("burst: change -> delivery to the last client: median %.1f ms, "
              "max %.1f ms; last delivery %.1f ms after the last change "
              "(%.0f deliveries/s)"
              % (statistics.median(lat) * 1000, max(lat) * 1000,
                 (end - changed[burst - 1]) * 1000,
                 NCLIENTS * burst / (end - t_start)))
        lat = [last[k] - changed[k] for k in range(burst, total)]
        print("paced: change -> delivery to the last client: median %.1f ms, "
              "max %.1f ms" % (statistics.median(lat) * 1000, max(lat) * 1000))
    for c in conns:
        c.close()
    actor.close()
    if failures:
        print("FAIL: %d of %d clients did not get every event exactly once "
              "in order" % (failures, NCLIENTS))
        return 1
    print("PASS: every client got all %d events exactly once, in order" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
