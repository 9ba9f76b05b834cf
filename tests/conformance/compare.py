#!/usr/bin/python3
"""compare.py EXPECTED ACTUAL [NAME-EXPECTED NAME-ACTUAL]: compare two
scenario transcripts (scenario.py) line by line.

A step whose name contains "[deviation]" is one of virtnetd's deliberate
deviations from libvirt's test driver (docs/test-driver.md): a difference
there is listed as a known deviation and does not fail the comparison,
unless CONFORMANCE_STRICT=1 is set. Any other difference fails (exit 1).
"""
import difflib
import json
import os
import sys


def load(path):
    with open(path) as f:
        return [line.rstrip("\n") for line in f]


def step_of(line):
    try:
        return json.loads(line).get("step", "")
    except ValueError:
        return ""


def main():
    exp, act = load(sys.argv[1]), load(sys.argv[2])
    na = sys.argv[3] if len(sys.argv) > 3 else sys.argv[1]
    nb = sys.argv[4] if len(sys.argv) > 4 else sys.argv[2]
    strict = os.environ.get("CONFORMANCE_STRICT") == "1"
    failed = deviations = 0
    sm = difflib.SequenceMatcher(a=exp, b=act, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        old, new = exp[i1:i2], act[j1:j2]
        known = (old or new) and all("[deviation]" in step_of(l)
                                     for l in old + new)
        if known and not strict:
            deviations += 1
            head = "known deviation (docs/test-driver.md), not a failure:"
        else:
            failed += 1
            head = "DIFFERENCE:"
        print(head)
        for l in old:
            print("  - %s: %s" % (na, l))
        for l in new:
            print("  + %s: %s" % (nb, l))
    print("%d line(s) compared: %d difference(s), %d known deviation(s)"
          % (max(len(exp), len(act)), failed, deviations))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
