#!/usr/bin/env python3
"""trace-decode.py LOG [--payload] [--conn N]: print a trace-proxy log.

One line per message: connection, direction, type, serial, procedure number
and name (from protocol/remote_protocol.x), status; with --payload, the
payload in hex. "### ..." marker lines (written by the trace scripts) are
printed as they are.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
XFILE = os.path.join(HERE, "..", "..", "protocol", "remote_protocol.x")
REMOTE, KEEPALIVE = 0x20008086, 0x6b656570
TYPES = {0: "CALL", 1: "REPLY", 2: "MESSAGE", 3: "STREAM", 4: "CALL_FDS",
         5: "REPLY_FDS", 6: "STREAM_HOLE"}
STATUS = {0: "OK", 1: "ERROR", 2: "CONTINUE"}


def remote_names():
    names = {}
    try:
        with open(XFILE) as f:
            for m in re.finditer(r"\bREMOTE_PROC_(\w+)\s*=\s*(\d+)", f.read()):
                names[int(m.group(2))] = m.group(1)
    except OSError:
        pass
    return names


def name_of(rec, names):
    if rec["prog"] == REMOTE:
        return names.get(rec["proc"], "?")
    if rec["prog"] == KEEPALIVE:
        return {1: "KEEPALIVE PING", 2: "KEEPALIVE PONG"}.get(rec["proc"], "?")
    return "prog %#x" % rec["prog"]


def main():
    args = sys.argv[1:]
    payload = "--payload" in args
    conn = None
    if "--conn" in args:
        conn = int(args[args.index("--conn") + 1])
    path = [a for a in args if not a.startswith("--") and
            (conn is None or a != str(conn))][0]
    names = remote_names()
    for line in open(path):
        if line.startswith("###"):
            print(line.rstrip())
            continue
        rec = json.loads(line)
        if conn is not None and rec["conn"] != conn:
            continue
        if "event" in rec:
            print("%9.3f conn%d %s" % (rec.get("t", 0), rec["conn"], rec["event"]))
            continue
        text = "%9.3f conn%d %s %-7s serial=%-3d %4d %-45s %s" % (
            rec.get("t", 0), rec["conn"], rec["dir"], TYPES.get(rec["type"], rec["type"]),
            rec["serial"], rec["proc"], name_of(rec, names),
            STATUS.get(rec["status"], rec["status"]))
        if payload and rec["payload"]:
            text += "  " + rec["payload"]
        print(text.rstrip())


if __name__ == "__main__":
    main()
