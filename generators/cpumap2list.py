#!/usr/bin/python3
"""cpumap2list.py CPU_MAP_DIR OUT.list: the facts CPU baseline needs from
libvirt's CPU map directory (src/cpu_map of a libvirt source tree: index.xml
and the files it includes), written as a named word list file for
generators/vnlists.py (src/drivers/test/cpumap.list). Run by hand when the
map is refreshed; the build only reads the .list file.

What is kept, per architecture family:
- x86: the features in map order (a feature is one CPUID or MSR bit; the
  script refuses a map where that is not so, since the C side works on
  feature bitmaps), the vendors, and per model in map order its features
  after inheritance, its vendor, the features it marks removed, and whether
  it may be used to describe a guest CPU (<decode guest='on'>).
- ppc64: the vendors and each model's vendor.
Signatures are not kept: a baseline has no signature to match."""

import os
import sys
import xml.etree.ElementTree as ET


def includes(mapdir, arch):
    root = ET.parse(os.path.join(mapdir, "index.xml")).getroot()
    for a in root.findall("arch"):
        if a.get("name") == arch:
            return [ET.parse(os.path.join(mapdir, inc.get("filename"))).getroot()
                    for inc in a.findall("include")]
    raise SystemExit("%s: no arch %s in index.xml" % (mapdir, arch))


def x86(mapdir):
    vendors, features, models = [], [], []
    bits = {}
    for doc in includes(mapdir, "x86"):
        for v in doc.findall("vendor"):
            vendors.append(v.get("name"))
        for f in doc.findall("feature"):
            name = f.get("name")
            data = [d for d in f if d.tag in ("cpuid", "msr")]
            regs = [(d.tag, d.get("eax_in"), d.get("ecx_in"), d.get("index"), r, int(d.get(r), 16))
                    for d in data for r in ("eax", "ebx", "ecx", "edx")
                    if d.get(r) and int(d.get(r), 16)]
            if len(regs) != 1 or regs[0][5] & (regs[0][5] - 1):
                raise SystemExit("feature %s is not a single bit" % name)
            if regs[0] in bits:
                raise SystemExit("features %s and %s share a bit" % (bits[regs[0]], name))
            bits[regs[0]] = name
            features.append(name)
        for m in doc.findall("model"):
            name = m.get("name")
            known = {x["name"]: x for x in models}
            anc = m.find("model")
            if anc is not None:
                base = known[anc.get("name")]
                model = {"feats": list(base["feats"]), "vendor": base["vendor"]}
            else:
                model = {"feats": [], "vendor": None}
            model["name"] = name
            model["removed"] = []
            v = m.find("vendor")
            if v is not None:
                model["vendor"] = v.get("name")
            dec = m.find("decode")
            model["guest"] = dec is not None and dec.get("guest") == "on"
            for f in m.findall("feature"):
                if f.get("name") not in features:
                    raise SystemExit("model %s: unknown feature %s" % (name, f.get("name")))
                if f.get("removed") == "yes":
                    model["removed"].append(f.get("name"))
                elif f.get("name") not in model["feats"]:
                    model["feats"].append(f.get("name"))
            models.append(model)
    return vendors, features, models


def ppc64(mapdir):
    out, vendors = [], []
    for doc in includes(mapdir, "ppc64"):
        vendors += [v.get("name") for v in doc.findall("vendor")]
        for m in doc.findall("model"):
            v = m.find("vendor")
            out.append((m.get("name"), v.get("name") if v is not None else None))
    return vendors, out


def wrap(head, words):
    lines, cur = [], head
    for w in words:
        if len(cur) + 1 + len(w) > 78:
            lines.append(cur)
            cur = "   "
        cur += " " + w
    lines.append(cur)
    return lines


def main(argv):
    if len(argv) != 3:
        raise SystemExit("usage: cpumap2list.py CPU_MAP_DIR OUT.list")
    vendors, features, models = x86(argv[1])
    order = {f: i for i, f in enumerate(features)}
    out = ["# libvirt 9.0's CPU map as CPU baseline uses it (made by",
           "# generators/cpumap2list.py from libvirt's src/cpu_map; read by",
           "# generators/vnlists.py). NAME: WORDS is a list, NAME[KEY]: WORDS one",
           "# entry of the table NAME (entries in map order).",
           "#",
           "# x86Features: every feature, in map order (a feature's index in this",
           "# list is its bit in the C tables; each is one CPUID/MSR bit).",
           "# x86ModelFeatures[MODEL]: the model's features after inheritance.",
           "# x86ModelVendor[MODEL], x86ModelRemoved[MODEL]: its vendor, and the",
           "# features it marks removed (a guest CPU of that model disables them).",
           "# x86NoGuestModels: models not used to describe a guest CPU.",
           "# ppc64Vendors, ppc64ModelVendor[MODEL]: the ppc64 vendors, a model's.",
           ""]
    out += wrap("x86Vendors:", vendors)
    out += wrap("x86Features:", features)
    for m in models:
        out += wrap("x86ModelFeatures[%s]:" % m["name"], sorted(m["feats"], key=order.get))
    for m in models:
        if m["vendor"]:
            out.append("x86ModelVendor[%s]: %s" % (m["name"], m["vendor"]))
    for m in models:
        if m["removed"]:
            out += wrap("x86ModelRemoved[%s]:" % m["name"], m["removed"])
    out += wrap("x86NoGuestModels:", [m["name"] for m in models if not m["guest"]])
    ppcVendors, ppcModels = ppc64(argv[1])
    out += wrap("ppc64Vendors:", ppcVendors)
    for name, vendor in ppcModels:
        if vendor:
            out.append("ppc64ModelVendor[%s]: %s" % (name, vendor))
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv)
