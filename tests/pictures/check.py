#!/usr/bin/env python3
"""Checks the technique pictures against data/techniques.json:

    check.py TECHNIQUES_JSON PICTURES_DIR

Every home technique, stretch and session step has data/pictures/<id>.svg, and
every picture there is a small, self-contained SVG that a page can inline or
print safely: well-formed XML, the shared viewBox, role="img", a title and a
description, only plain drawing elements, nothing that runs or loads anything
(no scripts, links, fonts, styles, images or text) and no ids, which would
clash when a page shows several pictures. Prints one line per problem and
exits 1 when there is any.
"""

import json
import os
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
VIEWBOX = "0 0 320 240"
MAX_BYTES = 6144
# plain drawing only: anything else (script, style, text, image, use, a,
# foreignObject, font...) is refused
ELEMENTS = {"svg", "title", "desc", "g", "path", "circle", "ellipse", "rect", "line", "polyline",
            "polygon"}
REFUSED_ATTRIBUTES = {"id", "style", "href", "{http://www.w3.org/1999/xlink}href", "class",
                      "font-family", "font", "src"}


def technique_ids(techniques):
    """The ids of every home technique, stretch and session step."""
    ids = []
    for cause in techniques.get("causes", []):
        for kind in ("home", "stretches"):
            ids += [t["id"] for t in cause.get(kind, [])]
    for when in ("before", "after"):
        ids += [t["id"] for t in techniques.get("general", {}).get(when, [])]
    return ids


def picture_problems(data):
    """What is wrong with one picture (its bytes), as short sentences."""
    problems = []
    if len(data) > MAX_BYTES:
        problems.append("is %d bytes, over the %d byte bound" % (len(data), MAX_BYTES))
    text = data.decode("utf-8", "replace")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return problems + ["has a DOCTYPE or an entity declaration"]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return problems + ["is not well-formed XML (%s)" % e]
    if root.tag != SVG + "svg":
        return problems + ["is not an SVG document (root element %s)" % root.tag]
    if root.get("viewBox") != VIEWBOX:
        problems.append("has viewBox %r, not the shared %r" % (root.get("viewBox"), VIEWBOX))
    if root.get("role") != "img":
        problems.append('lacks role="img"')
    children = list(root)
    if not children or children[0].tag != SVG + "title" or not (children[0].text or "").strip():
        problems.append("does not start with a non-empty <title>")
    desc = root.find(SVG + "desc")
    if desc is None or not (desc.text or "").strip():
        problems.append("has no non-empty <desc>")
    for el in root.iter():
        name = el.tag[len(SVG):] if el.tag.startswith(SVG) else el.tag
        if name not in ELEMENTS:
            problems.append("has a <%s> element" % name)
        for attr, value in el.attrib.items():
            if attr in REFUSED_ATTRIBUTES or attr.lower().startswith("on"):
                problems.append("has a %s attribute on <%s>" % (attr, name))
            elif "url(" in value or "javascript:" in value.lower():
                problems.append("refers to something outside the drawing (%s=%r)" % (attr, value))
    return problems


def check(techniques_path, folder):
    """All problems of the pictures folder, as 'file: problem' lines."""
    with open(techniques_path, encoding="utf-8") as fh:
        ids = technique_ids(json.load(fh))
    lines = []
    for tid in ids:
        if not os.path.isfile(os.path.join(folder, tid + ".svg")):
            lines.append("%s: no picture for the technique %s" %
                         (os.path.join(folder, tid + ".svg"), tid))
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.endswith(".svg"):
            lines.append("%s: not a picture (only <id>.svg belongs here)" % path)
            continue
        with open(path, "rb") as fh:
            lines += ["%s: %s" % (path, p) for p in picture_problems(fh.read())]
    return lines


def main(argv):
    if len(argv) != 3:
        print("usage: check.py TECHNIQUES_JSON PICTURES_DIR", file=sys.stderr)
        return 2
    lines = check(argv[1], argv[2])
    for line in lines:
        print(line, file=sys.stderr)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
