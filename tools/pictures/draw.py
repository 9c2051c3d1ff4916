"""Drawing kit for tpt's technique pictures: a person composed from joint
angles, the props of the home program, arrows and the two markers.

Everything is plain SVG 1.1 written as text: no scripts, no fonts, no
references outside the file, no ids (a page may inline many pictures at once).
Coordinates are SVG's: x to the right, y down; an angle of 0 points right and
90 points down. The canvas is always VIEW_W x VIEW_H.
"""

import math

VIEW_W, VIEW_H = 320, 240

# The body chart's family of colours (lib/chart.c, web/app.css).
SKIN = "#e6e6e6"        # the chart's silhouette fill: the near side of the person
SKIN_FAR = "#cdd1d5"    # limbs on the far side, a shade darker so depth reads
INK = "#5f6368"         # the chart's region lines: every outline
PROP = "#ffffff"        # balls, roller, cushion: white objects outlined in ink
FURNITURE = "#80868b"   # wall, floor, chair, bed
GROUND = "#f1f3f4"      # the wall's and the floor's surface
ARROW = "#0b5cad"       # the pages' accent: every movement arrow
SPOT = "#8b0000"        # the chart's deepest heat: where the pressure goes
HALO = "#f5a623"        # the chart's amber: the halo of the spot, the stretch zone
HAIR = "#c6cacf"        # the back of the head, so a back view never reads as a face
TOWEL = "#7a9cc0"
HEAT = "#f2a65a"

OUTLINE = 1.6           # visible width of the person's outline


def f(v):
    """A coordinate with at most one decimal, without a trailing .0."""
    s = "%.1f" % v
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def pt(p):
    return f(p[0]) + "," + f(p[1])


def unit(deg):
    a = math.radians(deg)
    return (math.cos(a), math.sin(a))


def add(p, d, k=1.0):
    return (p[0] + d[0] * k, p[1] + d[1] * k)


def lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def angle_of(a, b):
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def rot90(d, sign=1):
    """d turned a quarter: sign 1 turns +x towards +y."""
    return (-d[1] * sign, d[0] * sign)


# ---- shapes, all wound the same way so that one path is their union ----

def capsule(c1, r1, c2, r2):
    """Closed path data for a tapered limb segment: two circles and the
    lines tangent to both."""
    dx, dy = c2[0] - c1[0], c2[1] - c1[1]
    d = math.hypot(dx, dy)
    if d <= abs(r1 - r2) + 0.01:
        c, r = (c1, r1) if r1 >= r2 else (c2, r2)
        return circle_d(c, r)
    u = (dx / d, dy / d)
    v = rot90(u)
    ca = (r1 - r2) / d
    sa = math.sqrt(max(0.0, 1 - ca * ca))
    n_plus = (u[0] * ca + v[0] * sa, u[1] * ca + v[1] * sa)
    n_minus = (u[0] * ca - v[0] * sa, u[1] * ca - v[1] * sa)
    a, b = add(c1, n_plus, r1), add(c2, n_plus, r2)
    c, e = add(c2, n_minus, r2), add(c1, n_minus, r1)
    alpha = math.acos(max(-1.0, min(1.0, ca)))
    big_far = 1 if 2 * alpha > math.pi else 0
    big_near = 1 if 2 * math.pi - 2 * alpha > math.pi else 0
    return ("M%s L%s A%s %s 0 %d 0 %s L%s A%s %s 0 %d 0 %sZ" %
            (pt(a), pt(b), f(r2), f(r2), big_far, pt(c), pt(e), f(r1), f(r1), big_near, pt(a)))


def circle_d(c, r):
    x, y = c
    return "M%s A%s %s 0 1 0 %s A%s %s 0 1 0 %sZ" % (
        pt((x + r, y)), f(r), f(r), pt((x - r, y)), f(r), f(r), pt((x + r, y)))


def smooth_closed(points):
    """A smooth closed outline through the midpoints of a polygon, wound like
    capsule() (negative shoelace area in SVG coordinates)."""
    area = sum(points[i][0] * points[(i + 1) % len(points)][1] -
               points[(i + 1) % len(points)][0] * points[i][1] for i in range(len(points)))
    if area > 0:
        points = points[::-1]
    n = len(points)
    mids = [lerp(points[i], points[(i + 1) % n], 0.5) for i in range(n)]
    d = "M" + pt(mids[-1])
    for i in range(n):
        d += " Q%s %s" % (pt(points[i]), pt(mids[i]))
    return d + "Z"


def smooth_open(points):
    """A smooth open line through the end points and the polygon's midpoints."""
    if len(points) == 2:
        return "M%s L%s" % (pt(points[0]), pt(points[1]))
    d = "M" + pt(points[0])
    for i in range(1, len(points) - 1):
        m = points[-1] if i == len(points) - 2 else lerp(points[i], points[i + 1], 0.5)
        d += " Q%s %s" % (pt(points[i]), pt(m))
    return d


def body_path(d, fill=None):
    """One part of a person, inside body_group()."""
    return '<path d="%s"%s/>' % (d, ' fill="%s"' % fill if fill else "")


def body_group(paths):
    """The parts of a person, outlined alike. The stroke is painted first and
    the fill over it, so the outline shows only around the union of a part's
    shapes, never at their seams."""
    return ('<g fill="%s" stroke="%s" stroke-width="%s" stroke-linejoin="round" '
            'paint-order="stroke">%s</g>' % (SKIN, INK, f(OUTLINE * 2), paths))


# ---- the person ----

# Segment lengths and radii for a person about 190 units tall.
TRUNK = 56
NECK = 7
HEAD_R = 11.5
THIGH, SHIN, FOOT, HEEL = 46, 45, 19, 5
UPPER_ARM, FOREARM, HAND = 33, 27, 9
R_HIP, R_KNEE, R_ANKLE, R_TOE = 8.5, 5.6, 3.4, 2.6
R_SHOULDER, R_ELBOW, R_WRIST, R_HAND = 4.8, 3.7, 2.8, 3.4
HIP_HALF, SHOULDER_HALF = 8.5, 15.5

# Side view: the trunk's depth in front of and behind the line from the hip
# joint (t=0) to the shoulder joint (t=1): pelvis, belly, ribs, chest.
SIDE_PROFILE = [(-0.2, 5, 6), (-0.06, 8, 11), (0.12, 9, 11), (0.36, 8.5, 8),
                (0.62, 10.5, 9.5), (0.86, 10.5, 10), (1.04, 6, 8)]
# Front and back views: half the width across, from the fork of the legs up.
FRONT_PROFILE = [(-0.17, 8), (-0.06, 16.5), (0.12, 17), (0.38, 14), (0.66, 16.5),
                 (0.9, 19.5), (1.04, 14)]
# Sitting, the buttocks spread on the seat instead of meeting at the fork.
SEATED_PROFILE = [(-0.16, 14), (-0.06, 17.5)] + FRONT_PROFILE[2:]


class Person:
    """A person in one view: 'side' (the person's near side towards the
    viewer), 'front' or 'back'. In the side view `facing` says where the
    front is: +1 is the trunk's direction turned a quarter clockwise (an
    upright person faces right, one lying on the back faces up), -1 the other
    way.

    hip is the point between the hip joints; trunk the angle from there to
    the shoulders; limbs are set with absolute segment angles. In the side
    view the limbs are 'near' and 'far'; in the front and back views 'right'
    and 'left' (the person's own sides: front view right on the viewer's
    left, back view right on the viewer's right, as on the body chart)."""

    def __init__(self, view, hip, trunk=-90, head=None, facing=1, scale=1.0, trunk_len=1.0,
                 seated=False):
        self.view, self.hip, self.trunk, self.facing, self.s = view, hip, trunk, facing, scale
        self.profile = SEATED_PROFILE if seated else FRONT_PROFILE
        self.head_angle = trunk if head is None else head
        self.u = unit(trunk)
        self.shoulder = add(hip, self.u, TRUNK * scale * trunk_len)
        self.legs, self.arms = {}, {}
        self.fills = {}

    # the direction of the person's front (side view) or right (front/back)
    def across(self):
        if self.view == "side":
            return rot90(self.u, self.facing)
        return rot90(self.u, -1 if self.view == "front" else 1)

    def joint(self, part, side):
        base = self.hip if part == "leg" else self.shoulder
        if self.view == "side":
            return base
        half = (HIP_HALF if part == "leg" else SHOULDER_HALF) * self.s
        sign = 1 if side == "right" else -1
        return add(base, self.across(), half * sign)

    def leg(self, side, thigh, shin, foot=None, fold=(1, 1, 1), fill=None):
        """foot: the angle from heel to toe; fold shortens a segment seen end-on."""
        s = self.s
        h = self.joint("leg", side)
        k = add(h, unit(thigh), THIGH * s * fold[0])
        a = add(k, unit(shin), SHIN * s * fold[1])
        self.legs[side] = dict(hip=h, knee=k, ankle=a, foot=foot, fold=fold[2], fill=fill)
        return self

    def arm(self, side, upper, fore, hand=None, fold=(1, 1), fill=None):
        s = self.s
        sh = self.joint("arm", side)
        e = add(sh, unit(upper), UPPER_ARM * s * fold[0])
        w = add(e, unit(fore), FOREARM * s * fold[1])
        self.arms[side] = dict(shoulder=sh, elbow=e, wrist=w,
                               hand=fore if hand is None else hand, fill=fill)
        return self

    def leg_to(self, side, ankle, bend, foot=None, fill=None, foot_fold=1):
        """The leg whose ankle is at `ankle`, the knee bent to the side `bend`
        (+1 or -1) of the line from hip to ankle."""
        knee = elbow_of(self.joint("leg", side), ankle, THIGH * self.s, SHIN * self.s, bend)
        return self.leg_at(side, knee, ankle, foot, fill, foot_fold)
        return self

    def leg_at(self, side, knee, ankle, foot=None, fill=None, foot_fold=1):
        """A leg seen at a slant: knee and ankle where they show on the page."""
        self.legs[side] = dict(hip=self.joint("leg", side), knee=knee, ankle=ankle, foot=foot,
                               fold=foot_fold, fill=fill)
        return self

    def arm_to(self, side, wrist, bend, hand=None, fill=None):
        """The arm whose wrist is at `wrist`, the elbow bent to the side `bend`."""
        sh = self.joint("arm", side)
        e = elbow_of(sh, wrist, UPPER_ARM * self.s, FOREARM * self.s, bend)
        self.arms[side] = dict(shoulder=sh, elbow=e, wrist=wrist,
                               hand=angle_of(e, wrist) if hand is None else hand, fill=fill)
        return self

    def point(self, what, side=None):
        """A named point: 'hip', 'shoulder', 'head', or a joint of a limb
        ('knee', 'ankle', 'toe', 'heel', 'elbow', 'wrist', 'hand')."""
        if what == "hip":
            return self.hip
        if what == "shoulder":
            return self.shoulder
        if what == "head":
            return add(self.shoulder, unit(self.head_angle), (NECK + HEAD_R) * self.s)
        if what in ("knee", "ankle"):
            return self.legs[side][what]
        if what in ("toe", "heel"):
            lg = self.legs[side]
            d = unit(lg["foot"])
            return add(lg["ankle"], d, (FOOT * lg["fold"] if what == "toe" else -HEEL) * self.s)
        if what in ("elbow", "wrist"):
            return self.arms[side][what]
        if what == "hand":
            a = self.arms[side]
            return add(a["wrist"], unit(a["hand"]), HAND * 0.6 * self.s)
        raise KeyError(what)

    def on_trunk(self, t, off):
        """A point on the trunk: t along hip (0) to shoulder (1), off across
        it (towards the front in the side view, the right in front/back)."""
        return add(lerp(self.hip, self.shoulder, t), self.across(), off * self.s)

    # ---- drawing ----

    def leg_d(self, side):
        lg, s = self.legs[side], self.s
        d = capsule(lg["hip"], R_HIP * s, lg["knee"], R_KNEE * s)
        d += capsule(lg["knee"], R_KNEE * s, lg["ankle"], R_ANKLE * s)
        if lg["foot"] is not None:
            heel = self.point("heel", side)
            toe = self.point("toe", side)
            d += capsule(heel, R_ANKLE * s, toe, R_TOE * s)
        return d

    def arm_d(self, side):
        a, s = self.arms[side], self.s
        d = capsule(a["shoulder"], R_SHOULDER * s, a["elbow"], R_ELBOW * s)
        d += capsule(a["elbow"], R_ELBOW * s, a["wrist"], R_WRIST * s)
        d += capsule(a["wrist"], R_WRIST * s, self.point("hand", side), R_HAND * s)
        return d

    def trunk_d(self):
        s, pts_front, pts_back = self.s, [], []
        across = self.across()
        if self.view == "side":
            for t, fr, bk in SIDE_PROFILE:
                c = add(self.hip, self.u, t * TRUNK * s)
                pts_front.append(add(c, across, fr * s))
                pts_back.append(add(c, across, -bk * s))
        else:
            for t, w in self.profile:
                c = add(self.hip, self.u, t * TRUNK * s)
                pts_front.append(add(c, across, w * s))
                pts_back.append(add(c, across, -w * s))
        d = smooth_closed(pts_front + pts_back[::-1])
        head = self.point("head")
        neck = add(self.shoulder, unit(self.head_angle), NECK * s + 3)
        d += capsule(self.shoulder, 4.6 * s, neck, 4.2 * s)
        d += circle_d(head, HEAD_R * s)
        return d

    def head_marks(self):
        """A nose in the side view and hair in the back view, so that which
        way the person faces never has to be guessed."""
        s, head = self.s, self.point("head")
        if self.view == "side":
            front = rot90(unit(self.head_angle), self.facing)
            tip = add(head, front, (HEAD_R + 3) * s)
            up = unit(self.head_angle)
            a = add(add(head, front, (HEAD_R - 1) * s), up, 3 * s)
            b = add(add(head, front, (HEAD_R - 1) * s), up, -2 * s)
            return body_path("M%s L%s L%sZ" % (pt(a), pt(tip), pt(b)))
        if self.view == "back":
            return body_path(circle_d(head, HEAD_R * s), HAIR)
        return ""

    def back_lines(self):
        """The spine and the cleft of the buttocks, drawn on a back view."""
        if self.view != "back":
            return ""
        a = self.on_trunk(-0.16, 0)
        b = self.on_trunk(0.02, 0)
        c = self.on_trunk(0.12, 0)
        e = self.on_trunk(0.92, 0)
        return ('<path d="M%s L%s M%s L%s" stroke-width="1" fill="none" stroke-linecap="round"/>'
                % (pt(a), pt(b), pt(c), pt(e)))

    def draw(self, order):
        """SVG for the parts in order (back to front): 'trunk', or
        'leg:SIDE' / 'arm:SIDE'. Far limbs of a side view, and any limb given
        fill='far', take the darker shade."""
        out = []
        for part in order:
            if part == "trunk":
                out.append(body_path(self.trunk_d()))
                out.append(self.head_marks())
                out.append(self.back_lines())
                continue
            kind, side = part.split(":")
            spec = (self.legs if kind == "leg" else self.arms)[side]
            fill = spec["fill"] or ("far" if side == "far" else "near")
            d = self.leg_d(side) if kind == "leg" else self.arm_d(side)
            out.append(body_path(d, SKIN_FAR if fill == "far" else None))
        return body_group("".join(out))


def elbow_of(root, end, l1, l2, bend):
    """The middle joint of a two-segment limb from root to end (stretched
    straight when end is out of reach)."""
    d = math.hypot(end[0] - root[0], end[1] - root[1])
    d = max(abs(l1 - l2) + 0.01, min(l1 + l2 - 0.01, d))
    a = math.degrees(math.acos((l1 * l1 + d * d - l2 * l2) / (2 * l1 * d)))
    return add(root, unit(angle_of(root, end) + bend * a), l1)


# ---- markers and arrows ----

def spot(p, scale=1.0):
    """Where the pressure goes: a deep red dot in an amber halo."""
    return ('<circle cx="%s" cy="%s" r="%s" fill="%s" fill-opacity=".55"/>'
            '<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="#fff" stroke-width="1.2"/>' %
            (f(p[0]), f(p[1]), f(8 * scale), HALO, f(p[0]), f(p[1]), f(3.4 * scale), SPOT))


def zone(p, rx, ry, angle=0):
    """Where a stretch is felt: an amber wash over the muscle."""
    return ('<ellipse cx="%s" cy="%s" rx="%s" ry="%s" transform="rotate(%s %s %s)" '
            'fill="%s" fill-opacity=".5"/>' %
            (f(p[0]), f(p[1]), f(rx), f(ry), f(angle), f(p[0]), f(p[1]), HALO))


def _head(tip, direction_deg, size):
    d = unit(direction_deg)
    n = rot90(d)
    back = add(tip, d, -size)
    a, b = add(back, n, size * 0.55), add(back, n, -size * 0.55)
    return "M%s L%s L%sZ" % (pt(tip), pt(a), pt(b))


def arrow(points, both=False, width=2.6, head=7.5):
    """A movement arrow along a smooth line through points, the head at the
    last point (and at the first too with both=True)."""
    pts = list(points)
    end_dir = angle_of(pts[-2], pts[-1])
    start_dir = angle_of(pts[1], pts[0])
    # stop the line short of the head so its end does not poke through
    line = pts[:]
    line[-1] = add(pts[-1], unit(end_dir), -head * 0.66)
    if both:
        line[0] = add(pts[0], unit(start_dir), -head * 0.66)
    heads = _head(pts[-1], end_dir, head) + (_head(pts[0], start_dir, head) if both else "")
    return ('<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linecap="round"/>'
            '<path d="%s" fill="%s"/>' % (smooth_open(line), ARROW, f(width), heads, ARROW))


def arc_arrow(center, r, start, end, both=False, width=2.6, head=7.5):
    """An arrow along a circular arc from angle start to angle end."""
    n = max(3, int(abs(end - start) / 15) + 2)
    pts = [add(center, unit(start + (end - start) * i / (n - 1)), r) for i in range(n)]
    return arrow(pts, both, width, head)


# ---- props ----

def floor(y=222, x0=0, x1=VIEW_W, bottom=VIEW_H):
    return ('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>'
            '<path d="M%s %sH%s" stroke="%s" stroke-width="1.5"/>' %
            (f(x0), f(y), f(x1 - x0), f(bottom - y), GROUND, f(x0), f(y), f(x1), FURNITURE))


def wall(x, side="left"):
    """A wall whose face is at x, the wall itself on `side` of it."""
    if side == "left":
        rect = '<rect x="0" y="0" width="%s" height="%d" fill="%s"/>' % (f(x), VIEW_H, GROUND)
    else:
        rect = '<rect x="%s" y="0" width="%s" height="%d" fill="%s"/>' % (
            f(x), f(VIEW_W - x), VIEW_H, GROUND)
    return rect + '<path d="M%s 0V%d" stroke="%s" stroke-width="1.5"/>' % (f(x), VIEW_H, FURNITURE)


def mat(x, y, w, h):
    """A mat seen from above: the floor when the person is seen from overhead."""
    return ('<rect x="%s" y="%s" width="%s" height="%s" rx="8" fill="%s" stroke="%s" '
            'stroke-width="1.5"/>' % (f(x), f(y), f(w), f(h), GROUND, FURNITURE))


def ball(c, r=6.5, seam=30):
    """A tennis ball with its seam."""
    x, y = c
    a, b = add(c, unit(seam + 200), r), add(c, unit(seam + 340), r)
    return ('<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1.5"/>'
            '<path d="M%s Q%s %s" fill="none" stroke="%s" stroke-width="1"/>' %
            (f(x), f(y), f(r), PROP, INK, pt(a), pt(add(c, unit(seam + 90), r * 0.2)), pt(b),
             FURNITURE))


def roller(c, r=10.5):
    """A foam roller seen end-on."""
    x, y = c
    return ('<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1.5"/>'
            '<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1"/>' %
            (f(x), f(y), f(r), PROP, INK, f(x), f(y), f(r * 0.35), GROUND, FURNITURE))


def roller_long(a, b, r=8):
    """A foam roller seen from the side or from above: a long rounded bar."""
    return ('<path d="%s" fill="%s" stroke="%s" stroke-width="1.5"/>' %
            (capsule(a, r, b, r), PROP, INK))


def chair(x, seat_y, facing=1, depth=40, back=True, floor_y=222):
    """A firm chair seen from the side: the seat's front edge at x, the sitter
    facing `facing` (+1 right). With back=False it is a stool."""
    x0, x1 = (x - depth, x) if facing > 0 else (x, x + depth)
    back_x = x0 + 2 if facing > 0 else x1 - 2
    parts = ['<path d="M%s %sV%s M%s %sV%s" stroke="%s" stroke-width="2.4"/>' %
             (f(x0 + 3), f(seat_y), f(floor_y), f(x1 - 3), f(seat_y), f(floor_y), FURNITURE)]
    if back:
        parts.append('<path d="M%s %sV%s" stroke="%s" stroke-width="3" stroke-linecap="round"/>' %
                     (f(back_x), f(seat_y), f(seat_y - 52), FURNITURE))
    parts.append('<rect x="%s" y="%s" width="%s" height="5" rx="1.5" fill="%s" stroke="%s" '
                 'stroke-width="1.5"/>' % (f(x0), f(seat_y), f(depth), GROUND, FURNITURE))
    return "".join(parts)


def seat_front(cx, seat_y, w=80, floor_y=222):
    """A chair's seat and front legs seen from the front."""
    return ('<path d="M%s %sV%s M%s %sV%s" stroke="%s" stroke-width="2.4"/>'
            '<rect x="%s" y="%s" width="%s" height="5" rx="1.5" fill="%s" stroke="%s" '
            'stroke-width="1.5"/>' %
            (f(cx - w / 2 + 6), f(seat_y), f(floor_y), f(cx + w / 2 - 6), f(seat_y), f(floor_y),
             FURNITURE, f(cx - w / 2), f(seat_y), f(w), GROUND, FURNITURE))


def cushion(c, w=26, h=8):
    return ('<rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s" stroke="%s" '
            'stroke-width="1.5"/>' % (f(c[0] - w / 2), f(c[1] - h / 2), f(w), f(h), f(h / 2),
                                      PROP, INK))


def bed(x0, x1, top, floor_y=222):
    return ('<path d="M%s %sV%s M%s %sV%s" stroke="%s" stroke-width="3"/>'
            '<rect x="%s" y="%s" width="%s" height="14" rx="3" fill="%s" stroke="%s" '
            'stroke-width="1.5"/>' %
            (f(x0 + 6), f(top), f(floor_y), f(x1 - 6), f(top), f(floor_y), FURNITURE,
             f(x0), f(top), f(x1 - x0), PROP, FURNITURE))


def towel(points, width=3.2):
    return ('<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linecap="round" '
            'stroke-linejoin="round"/>' % (smooth_open(points), TOWEL, f(width)))


def heat_pack(a, b, thick=6):
    """A moist heat pack lying along the line a-b, a towel under it, and the
    warmth rising from it."""
    n = rot90(unit(angle_of(a, b)), -1)
    towel_d = capsule(a, thick * 0.45, b, thick * 0.45)
    pa, pb = add(a, n, thick * 0.9), add(b, n, thick * 0.9)
    pack_d = capsule(lerp(pa, pb, 0.06), thick * 0.7, lerp(pa, pb, 0.94), thick * 0.7)
    waves = ""
    for t in (0.25, 0.5, 0.75):
        base = add(lerp(pa, pb, t), n, thick + 3)
        top = add(base, n, 14)
        side = rot90(n)
        waves += "M%s Q%s %s Q%s %s" % (
            pt(base), pt(add(lerp(base, top, 0.25), side, 3)), pt(lerp(base, top, 0.5)),
            pt(add(lerp(base, top, 0.75), side, -3)), pt(top))
    return ('<path d="%s" fill="%s" stroke="%s" stroke-width="1"/>'
            '<path d="%s" fill="%s" stroke="%s" stroke-width="1.2"/>'
            '<path d="%s" fill="none" stroke="%s" stroke-width="1.6" stroke-linecap="round"/>' %
            (towel_d, PROP, TOWEL, pack_d, HEAT, "#c0772d", waves, HEAT))


def bars(x, base_y, heights, w=11, gap=5):
    """Rising bars: the minutes of walking built up week by week."""
    out = '<path d="M%s %sH%s" stroke="%s" stroke-width="1.5"/>' % (
        f(x - 3), f(base_y), f(x + len(heights) * (w + gap) - gap + 3), FURNITURE)
    for i, h in enumerate(heights):
        shade = 0.35 + 0.65 * (i + 1) / len(heights)
        out += ('<rect x="%s" y="%s" width="%s" height="%s" rx="1.5" fill="%s" fill-opacity="%s"/>'
                % (f(x + i * (w + gap)), f(base_y - h), f(w), f(h), ARROW, f(shade)))
    return out


def guide(points):
    """A thin dashed line over the body: a landmark line the text names
    (for example from the sacrum to the bony knob of the hip)."""
    return ('<path d="%s" fill="none" stroke="%s" stroke-width="1.2" stroke-dasharray="3 2.5"/>' %
            (smooth_open(points), INK))


def landmark(p, r=2.6):
    """A bony point the instruction names, as a small hollow circle."""
    return ('<circle cx="%s" cy="%s" r="%s" fill="#fff" stroke="%s" stroke-width="1.3"/>' %
            (f(p[0]), f(p[1]), f(r), INK))


def inset(x, y, w, h, content, vb):
    """A close-up in a framed box: content drawn in its own coordinates vb
    (x, y, w, h), clipped to the box by the nested svg."""
    return ('<rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="#fff" stroke="%s" '
            'stroke-width="1.5"/><svg x="%s" y="%s" width="%s" height="%s" viewBox="%s %s %s %s">'
            '%s</svg>' % (f(x), f(y), f(w), f(h), FURNITURE, f(x + 1), f(y + 1), f(w - 2),
                          f(h - 2), f(vb[0]), f(vb[1]), f(vb[2]), f(vb[3]), content))


def escape(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def document(title, desc, body):
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" '
            'role="img"><title>%s</title><desc>%s</desc>\n%s\n</svg>\n' %
            (VIEW_W, VIEW_H, VIEW_W, VIEW_H, escape(title), escape(desc), body))
