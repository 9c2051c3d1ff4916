#!/usr/bin/env python3
"""Validate the published case files against the body chart, the atlas and
the finding names of the interface spec, and recompute the split rule from
the file order (see README.md). Exit 1 with one line per problem."""
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
KINDS = {"ache", "sharp", "burning", "tingling", "numb"}
FINDINGS = {"slr", "crossed-slr", "knee-reflex-reduced", "ankle-reflex-reduced",
            "weak-knee-extension", "weak-big-toe-extension", "weak-toe-walk",
            "fair", "femoral-stretch", "sitting-pain"}
PATTERNS = {"myofascial", "radicular", "mixed"}
WARNINGS = {"emergency", "urgent", "none"}
SPLITS = {"tune", "held-out"}
CITATION_KEYS = {"authors", "title", "journal"}

problems = []


def bad(where, msg):
    problems.append(f"{where}: {msg}")


def load_regions():
    reg = json.load(open(os.path.join(DATA, "regions.json")))
    ids = set(reg.get("midline_ids") or [])
    for r in reg["sided"]:
        ids.add("l." + r["part"])
        ids.add("r." + r["part"])
    for r in reg.get("midline", []):
        ids.add(r["id"] if isinstance(r, dict) else r)
    return ids


def load_atlas():
    atlas = json.load(open(os.path.join(DATA, "atlas.json")))
    causes = {c["id"] for c in atlas["causes"]}
    muscles = {c["muscle"] for c in atlas["causes"] if c.get("muscle")}
    return causes, muscles


REGIONS = load_regions()
CAUSES, MUSCLES = load_atlas()


def check_mark(where, mark):
    parts = mark.split(":")
    if parts[0] not in REGIONS:
        bad(where, f"unknown region in mark '{mark}'")
    if len(parts) > 1 and parts[1] not in KINDS:
        bad(where, f"unknown kind in mark '{mark}'")
    if len(parts) > 2 and not (parts[2].isdigit() and 1 <= int(parts[2]) <= 10):
        bad(where, f"bad intensity in mark '{mark}'")
    if len(parts) > 3:
        bad(where, f"too many fields in mark '{mark}'")
    return parts[0]


def check_finding(where, f):
    parts = f.split(":")
    if parts[0] == "tender":
        if len(parts) != 3 or parts[1] not in MUSCLES or parts[2] not in ("l", "r"):
            bad(where, f"bad tender finding '{f}'")
    elif len(parts) != 2 or parts[0] not in FINDINGS or parts[1] not in ("l", "r"):
        bad(where, f"bad finding '{f}'")


def check_cause(where, c):
    if not isinstance(c, dict) or c.get("cause") not in CAUSES or c.get("side") not in ("l", "r"):
        bad(where, f"bad cause {c!r}")


def check_citation(where, cit):
    if not isinstance(cit, dict):
        bad(where, "citation missing")
        return
    for k in CITATION_KEYS:
        if not cit.get(k):
            bad(where, f"citation lacks {k}")
    if "year" not in cit or not (cit["year"] is None or isinstance(cit["year"], int)):
        bad(where, "citation year must be a number, or null when the source shows none")
    if not (cit.get("doi") or cit.get("url")):
        bad(where, "citation has neither doi nor url")
    if cit.get("doi") and not re.match(r"^10\.\d{4,9}/\S+$", cit["doi"]):
        bad(where, f"doi looks wrong: {cit['doi']}")


def check_file(name, warnings_file):
    path = os.path.join(HERE, name)
    if shutil.which("jq"):
        r = subprocess.run(["jq", "empty", path], capture_output=True, text=True)
        if r.returncode:
            bad(name, "jq: " + r.stderr.strip())
            return 0
    doc = json.load(open(path))
    if doc.get("format") != "tpt-cases" or doc.get("version") != 1:
        bad(name, "format must be tpt-cases version 1")
    seen = set()
    counts = {}
    for i, c in enumerate(doc.get("cases", [])):
        where = f"{name} case {i} ({c.get('id')})"
        cid = c.get("id", "")
        if not re.match(r"^[a-z0-9][a-z0-9-]*$", cid):
            bad(where, "id must be lower case letters, digits and dashes")
        if cid in seen:
            bad(where, "duplicate id")
        seen.add(cid)
        check_citation(where, c.get("citation"))
        if not c.get("described"):
            bad(where, "described is empty")
        if not isinstance(c.get("judgements"), list):
            bad(where, "judgements must be a list")
        marks = c.get("marks") or []
        if not marks:
            bad(where, "no marks")
        regions = [check_mark(where, m) for m in marks]
        if len(set(regions)) != len(regions):
            bad(where, "a region is marked twice")
        for f in c.get("findings", []):
            check_finding(where, f)
        if warnings_file:
            if c.get("expected_warning") not in WARNINGS:
                bad(where, "expected_warning must be emergency, urgent or none")
            if not c.get("why"):
                bad(where, "why is empty")
            group = c.get("expected_warning")
        else:
            est = c.get("established") or {}
            check_cause(where, est)
            if not est.get("how"):
                bad(where, "established.how is empty")
            for a in c.get("accept", []):
                check_cause(where + " accept", a)
            for a in c.get("also", []):
                check_cause(where + " also", a)
            pat = c.get("pattern")
            if pat not in PATTERNS:
                bad(where, "bad pattern")
            kinds = {x["cause"].split(":")[0] for x in [est] + c.get("also", []) if "cause" in x}
            want = "mixed" if kinds == {"tp", "root"} else ("radicular" if kinds == {"root"} else "myofascial")
            if pat != want:
                bad(where, f"pattern {pat} but causes say {want}")
            group = "mixed" if pat == "mixed" else est.get("cause")
        counts[group] = counts.get(group, 0) + 1
        want_split = "held-out" if counts[group] % 3 == 2 else "tune"
        if c.get("split") != want_split:
            bad(where, f"split is {c.get('split')}, the rule gives {want_split}")
    return len(doc.get("cases", []))


def summary():
    """Counts per group, pattern and split, for the README."""
    import collections
    for name, warn in (("published.json", False), ("warnings.json", True)):
        path = os.path.join(HERE, name)
        if not os.path.exists(path):
            continue
        cases = json.load(open(path))["cases"]
        key = (lambda c: c["expected_warning"]) if warn else (lambda c: c["established"]["cause"])
        rows = collections.Counter((key(c), c["split"]) for c in cases)
        print(f"{name}: {len(cases)} cases")
        for k in sorted({k for k, _ in rows}):
            print(f"  {k:32} tune {rows[(k, 'tune')]:3}  held-out {rows[(k, 'held-out')]:3}")
        if not warn:
            pats = collections.Counter((c["pattern"], c["split"]) for c in cases)
            for k in sorted({k for k, _ in pats}):
                print(f"  pattern {k:24} tune {pats[(k, 'tune')]:3}  held-out {pats[(k, 'held-out')]:3}")


def main():
    if "--summary" in sys.argv[1:]:
        summary()
        return 0
    n = 0
    for name, warn in (("published.json", False), ("warnings.json", True)):
        if os.path.exists(os.path.join(HERE, name)):
            n += check_file(name, warn)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    print(f"{n} cases valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
