#!/usr/bin/env python3
"""The picture check refuses what a page must never inline or print:

    refuse.py GOOD_PICTURE

Each case changes a good picture in one way and expects check.py to name the
problem; the good picture itself must pass, and a technique without a
picture must be reported.
"""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import check, picture_problems  # noqa: E402


def cases(good):
    head, tail = good.split("<title>", 1)
    return [
        ("a script", good.replace("</svg>\n", "<script>alert(1)</script></svg>\n"),
         "has a <script> element"),
        ("an event handler", good.replace('role="img"', 'role="img" onload="alert(1)"'),
         "has a onload attribute"),
        ("a link out", good.replace("</svg>\n", '<a href="https://example.org/"><path d="M0 0"/>'
                                    "</a></svg>\n"), "has a <a> element"),
        ("an external image", good.replace(
            "</svg>\n", '<image href="https://example.org/x.png" width="9" height="9"/></svg>\n'),
         "has a <image> element"),
        ("a fill from elsewhere", good.replace('fill="#e6e6e6"', 'fill="url(https://x.org/#p)"', 1),
         "refers to something outside the drawing"),
        ("text in the picture", good.replace("</svg>\n", '<text x="9" y="9">Hip</text></svg>\n'),
         "has a <text> element"),
        ("a style sheet", good.replace("</svg>\n", "<style>@import url(x.css);</style></svg>\n"),
         "has a <style> element"),
        ("an id", good.replace("<path ", '<path id="p" ', 1), "has a id attribute"),
        ("another viewBox", good.replace('viewBox="0 0 320 240"', 'viewBox="0 0 300 200"'),
         "not the shared"),
        ("no title", head + "<desc>" + tail.split("<desc>", 1)[1], "non-empty <title>"),
        ("an empty description", good.replace(good[good.index("<desc>"):good.index("</desc>")],
                                              "<desc>"), "no non-empty <desc>"),
        ("no role", good.replace(' role="img"', ""), 'lacks role="img"'),
        ("broken XML", good.replace("</svg>\n", ""), "not well-formed XML"),
        ("an entity", '<!DOCTYPE svg [<!ENTITY a "b">]>' + good, "DOCTYPE"),
        ("not SVG", good.replace('xmlns="http://www.w3.org/2000/svg"', ""), "not an SVG document"),
        ("too big", good.replace("</svg>\n", "<g>" + "<path d=\"M0 0\"/>" * 400 + "</g></svg>\n"),
         "byte bound"),
    ]


def main(argv):
    with open(argv[1], encoding="utf-8") as fh:
        good = fh.read()
    failures = []
    if picture_problems(good.encode()):
        failures.append("the good picture is refused: %s" % picture_problems(good.encode()))
    for name, text, expected in cases(good):
        found = picture_problems(text.encode())
        if not any(expected in p for p in found):
            failures.append("%s: expected a problem with %r, got %s" % (name, expected, found))

    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "pictures")
        os.mkdir(folder)
        with open(os.path.join(folder, "walk.svg"), "w", encoding="utf-8") as fh:
            fh.write(good)
        with open(os.path.join(folder, "notes.txt"), "w", encoding="utf-8") as fh:
            fh.write("x")
        techniques = os.path.join(tmp, "techniques.json")
        with open(techniques, "w", encoding="utf-8") as fh:
            json.dump({"causes": [{"home": [{"id": "ball"}], "stretches": [{"id": "lean"}]}],
                       "general": {"before": [{"id": "heat"}], "after": [{"id": "walk"}]}}, fh)
        lines = check(techniques, folder)
        for tid in ("ball", "lean", "heat"):
            if not any(line.endswith("no picture for the technique " + tid) for line in lines):
                failures.append("a missing picture for %s is not reported: %s" % (tid, lines))
        if not any("notes.txt: not a picture" in line for line in lines):
            failures.append("a stray file is not reported: %s" % lines)
        if any("walk" in line for line in lines):
            failures.append("the good picture of walk is reported: %s" % lines)

    for f in failures:
        print(f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
