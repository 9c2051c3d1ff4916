"""Positions that several pictures share, and the close-ups (insets) that
show a place on the body: the building blocks of scenes.py.

Sizes: a standing person is about 190 units tall; a person lying or sitting
on the floor is drawn LIE times larger, seen from above TOP times, sitting on
a chair SIT times, so each fills the picture.
"""

import math

from draw import (INK, Person, add, arc_arrow, arrow, ball, chair, cushion, f, floor, guide,
                  inset, landmark, lerp, pt, spot, unit, wall, zone)

FL = 222        # the floor line
LIE = 1.3       # the size of a person lying or sitting on the floor, seen from the side
TOP = 1.35      # seen from above
SIT = 1.2       # sitting on a chair

BOX = (206, 6, 108, 92)          # a close-up in the top right corner
TALL = (214, 6, 100, 126)        # a taller one, for a person from head to hip


def supine(hip_x, s=LIE, lift=0, tilt=0):
    """Lying on the back, head to the left, seen from the side; lift raises
    the hips, tilt lowers the shoulders towards the floor again."""
    return Person("side", (hip_x, FL - 11.5 * s - lift), trunk=180 - tilt, head=180, scale=s)


def knees_bent(p, reach=56):
    hx, s = p.hip[0], p.s
    p.leg_to("far", (hx + (reach + 4) * s, FL - 4.2 * s), -1, foot=0)
    p.leg_to("near", (hx + reach * s, FL - 4.2 * s), -1, foot=0)
    return p


def seated(front_x, s=SIT, lean=0, back=28):
    """Sitting on a chair seen from the side, facing right: the chair's front
    edge at front_x, the hip joint `back` units behind it."""
    seat = FL - 45 * s
    p = Person("side", (front_x - back * s, seat - 9.5 * s), trunk=-90 + lean, scale=s)
    return p, seat


def feet_down(p, front_x, far_dx=4, near_dx=0):
    """Knees bent over the chair's edge, feet on the floor."""
    s = p.s
    for side, dx in (("far", far_dx), ("near", near_dx)):
        p.leg_to(side, (front_x + (12 + dx) * s, FL - 4.2 * s), -1, foot=0)
    return p


def top_view_supine(hip=(206, 118), s=TOP):
    """Lying on the back seen from above, head to the left: the person's
    right side is at the bottom of the picture."""
    return Person("front", hip, trunk=180, head=180, scale=s)


def thin(points, colour="#9aa0a6"):
    """A thin line over the body: a ridge of muscle, a crease."""
    return ('<path d="M%s" fill="none" stroke="%s" stroke-width="1.2"/>' %
            (" L".join(pt(p) for p in points), colour))


def crest(p):
    """The rim of the pelvis seen from behind, dashed."""
    return "".join(guide([p.on_trunk(0.22, 17.5 * k), p.on_trunk(0.33, 13 * k),
                          p.on_trunk(0.33, 7 * k), p.on_trunk(0.25, 3.5 * k)]) for k in (1, -1))


def back_pelvis(marks, box=BOX, vb=(-37, -36, 74, 63)):
    """The pelvis and upper thighs from behind, the person's right on the
    right, the rim of the pelvis dashed, the bony knobs of the hips and the
    sitting bones as small rings; marks(p, k) adds what the scene needs, k
    being the size of a spot that looks as large as one outside the box."""
    p = Person("back", (0, 0))
    p.leg("right", 86, 90).leg("left", 94, 90)
    p.arm("right", 74, 86, fill="far").arm("left", 106, 94, fill="far")
    out = p.draw(["arm:right", "arm:left", "leg:right", "leg:left", "trunk"]) + crest(p)
    for k in (1, -1):
        out += landmark(p.on_trunk(0.0, 17.8 * k)) + landmark(p.on_trunk(-0.15, 5.5 * k), 2.2)
    return inset(*box, out + marks(p, vb[2] / (box[2] - 2)), vb)


def back_trunk(marks, box=BOX, vb=(-35, -60, 70, 60)):
    """The low back from behind: the spine, the long ridges of muscle beside
    it, the lowest ribs and the rim of the pelvis."""
    p = Person("back", (0, 0))
    p.arm("right", 76, 88, fill="far").arm("left", 104, 92, fill="far")
    out = p.draw(["arm:right", "arm:left", "trunk"]) + crest(p)
    for k in (1, -1):
        out += guide([p.on_trunk(0.74, 3 * k), p.on_trunk(0.66, 11 * k), p.on_trunk(0.56, 17 * k)])
        out += thin([p.on_trunk(0.2, 7.5 * k), p.on_trunk(0.92, 7.5 * k)])
    return inset(*box, out + marks(p, vb[2] / (box[2] - 2)), vb)


def hip_side(marks):
    """A person from the side, facing right, arm swung back: the bony point
    at the front of the pelvis and the bony knob at the side of the hip as
    small rings; marks(p, front_point, knob, k) adds the spot."""
    p = Person("side", (0, 0))
    p.leg("far", 93, 90, fill="far").leg("near", 86, 91)
    p.arm("near", 118, 100)
    out = p.draw(["leg:far", "trunk", "leg:near", "arm:near"])
    front, knob = p.on_trunk(0.26, 7.5), p.on_trunk(0.0, -1)
    out += landmark(front) + landmark(knob)
    return inset(*TALL, out + marks(p, front, knob, 80 / (TALL[2] - 2)), (-40, -88, 80, 101))


def ball_spot(contact, towards, r=6.5):
    """A ball pressed against the body at `contact`, its centre `towards`
    (an angle) away from the body, and the spot where it presses."""
    return ball(add(contact, unit(towards), r), r) + spot(contact)


def side_lying(s, prop_top, contact_t=0.02):
    """Lying on the right side seen from the front, head to the left,
    propped on the right forearm, the top foot on the floor in front of the
    bottom knee; the side of the hip rests on a prop whose top is prop_top."""
    p = Person("front", (0, 0), trunk=203, head=198, scale=s)
    low = p.on_trunk(contact_t, 17.2)
    hip = (150 - low[0], prop_top - low[1])
    p = Person("front", hip, trunk=203, head=198, scale=s)
    p.arm_to("right", (p.shoulder[0] - 24 * s, FL - 3 * s), -1, hand=180, fill="far")
    p.arm_to("left", p.on_trunk(-0.04, -12), 1, hand=10)
    p.leg_to("right", (hip[0] + 88 * s, FL - 6 * s), 1, foot=-75, foot_fold=0.45, fill="far")
    p.leg_to("left", (hip[0] + 46 * s, FL - 4.2 * s), -1, foot=8)
    return p, p.on_trunk(contact_t, 17.2)


def wall_side_front(wall_x, t, lean=5):
    """Standing, the painful right side to a wall on the left, seen from the
    front, a ball between the wall and the side of the hip at height t."""
    hx = wall_x + 13 + 17
    p = Person("front", (hx, FL - 95), trunk=-90 - lean, head=-90)
    p.leg_to("right", (hx + 4, FL - 4), 1, foot=100, foot_fold=0.5)
    p.leg_to("left", (hx + 24, FL - 4), 1, foot=80, foot_fold=0.5)
    p.arm_to("right", p.on_trunk(0.62, -7), 1)
    p.arm_to("left", p.on_trunk(0.56, 7), -1)
    contact = p.on_trunk(t, 17.2)
    b = wall(wall_x) + floor()
    b += p.draw(["leg:right", "leg:left", "trunk", "arm:left", "arm:right"])
    b += ball_spot(contact, 180)
    b += arrow([(hx + 58, p.hip[1] - 34), (hx + 30, p.hip[1] - 34)])
    return b


def on_back_ball(t, r=8, lift=5):
    """Lying on the back, knees bent, a hand on the belly, a ball under the
    back or buttock at t along the trunk."""
    p = knees_bent(supine(200, lift=lift, tilt=lift * 1.1))
    p.arm("far", 5, 1)
    p.arm_to("near", p.on_trunk(0.42, 9), -1, hand=0)      # a hand on the belly, clear of the ball
    x = p.on_trunk(t, 0)[0]
    # the ball shows in front of the back, at the near (painful) side
    b = floor() + p.draw(["arm:far", "leg:far", "trunk"]) + ball((x, FL - r), r)
    b += p.draw(["leg:near", "arm:near"]) + spot((x, FL - 2 * r - 1))
    return p, b


def wall_ball_back(t, depth, arms="hang", wall_x=40):
    """Standing with the back to a wall on the left, knees a little bent, a
    ball between the wall and the body at height t, leaning back into it."""
    hx = wall_x + 13 + depth + 1
    p = Person("side", (hx, FL - 92), trunk=-93)
    p.leg_to("far", (hx + 22, FL - 4), -1, foot=0)
    p.leg_to("near", (hx + 18, FL - 4), -1, foot=0)
    if arms == "hips":
        p.arm_to("far", p.on_trunk(0.34, 3), 1, hand=20, fill="far")
        p.arm_to("near", p.on_trunk(0.34, 1), 1, hand=20)
    else:
        p.arm("far", 84, 80).arm("near", 97, 88)
    contact = p.on_trunk(t, -depth)
    b = wall(wall_x) + floor()
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += ball_spot(contact, 180)
    head = p.point("head")
    b += arrow([(head[0] + 46, head[1] + 6), (head[0] + 20, head[1] + 6)])
    return b


def sitting_on_balls(offsets, lean=8, r=7.5):
    """Sitting on the floor seen from behind (the person's right on the
    right), knees up, hands on the floor, a ball under each buttock at
    `offsets` across the body; leaning `lean` degrees to the right."""
    s = 1.5
    p = Person("back", (0, 0), trunk=-90 + lean, scale=s, seated=True)
    low = p.on_trunk(-0.1, 0)
    p = Person("back", (150, FL - 2 * r - low[1] + 2), trunk=-90 + lean, scale=s, seated=True)
    for side, k in (("right", 1), ("left", -1)):
        j = p.joint("leg", side)
        p.leg_at(side, add(j, (22 * k * s, -20 * s)), add(j, (24 * k * s, 6 * s)), fill="far")
        p.arm_to(side, (p.hip[0] + 54 * k * s, FL - 3 * s), -k, hand=90 + 30 * k)
    b = floor() + p.draw(["leg:right", "leg:left", "arm:right", "arm:left", "trunk"])
    centres = []
    for off in offsets:
        c = (p.hip[0] + off * s, FL - r)
        centres.append(c)
        b += ball(c, r)
    if lean:
        b += arc_arrow(p.hip, 122, -104, -72)
    return p, b, centres


def knee_pulled(thigh, shin):
    """Lying on the back, the other leg relaxed on the floor, both hands
    drawing the painful knee up (the thigh at `thigh` degrees); the stretch
    is felt low in the buttock."""
    p = supine(184)
    p.leg("far", 1, 0, foot=-84)
    p.leg("near", thigh, shin, foot=shin - 90)
    knee = p.point("knee", "near")
    p.arm_to("far", add(knee, (6, 3)), -1)
    p.arm_to("near", add(knee, (4, 6)), -1)
    b = floor() + p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += zone((p.hip[0] + 8, p.hip[1] + 6), 12, 6)
    return b + arc_arrow(p.hip, 80, thigh + 16, thigh - 18)


def figure_four():
    """Lying on the back, the ankle of the painful leg on the other knee, both
    hands drawing that other thigh towards the chest."""
    p = supine(196)
    s, hip = p.s, p.hip
    far_knee = add(hip, unit(-104), 46 * s)
    p.leg_at("far", far_knee, add(far_knee, unit(-14), 45 * s), foot=-100)
    ankle = add(lerp(hip, far_knee, 0.82), unit(-14), 7 * s)
    near_knee = add(hip, (31 * s, -21 * s))
    p.leg_at("near", near_knee, ankle, foot=-168, foot_fold=0.7)
    grip = add(lerp(hip, far_knee, 0.76), unit(166), 6 * s)
    p.arm_to("far", grip, -1)
    p.arm_to("near", add(grip, (1, 3)), -1)
    b = floor() + p.draw(["trunk", "leg:far", "arm:far", "arm:near", "leg:near"])
    b += zone((hip[0] + 6, hip[1] + 6), 12, 6)
    b += arc_arrow(hip, 80, -84, -118)
    return b


def piriformis_line(q, k=1):
    """The line from the side of the sacrum to the bony knob of the hip, and
    the spot halfway along it."""
    sacrum, knob = q.on_trunk(0.16, 3.5), q.on_trunk(0.0, 18)
    return guide([sacrum, knob]) + landmark(knob) + spot(lerp(sacrum, knob, 0.5), k)


def two_balls_in_sock(q, t, half, k):
    """Two tennis balls side by side in a sock, the spine in the gap between
    them at height t, each ball `half` units out from the middle."""
    r = half
    a, c = q.on_trunk(t, -half), q.on_trunk(t, half)
    sock = ('<path d="M%s L%s" stroke="#fff" stroke-width="%s" stroke-linecap="round"/>'
            '<path d="M%s L%s" stroke="%s" stroke-width="%s" stroke-linecap="round" '
            'stroke-opacity=".45"/>' % (pt(a), pt(c), f(2 * r + 3), pt(a), pt(c), INK,
                                        f(2 * r + 3)))
    return sock + ball(a, r) + ball(c, r) + spot(c, k)


def kneeling_lunge(hands):
    """Kneeling on the right knee on a cushion, the left foot flat in front,
    back upright, the weight shifting forward."""
    s = SIT
    cushion_c = (134, FL - 5)
    knee = (cushion_c[0], FL - 10 - 5.6 * s)
    hip = add(knee, unit(-78), 46 * s)
    p = Person("side", hip, trunk=-90, scale=s)
    p.leg_at("near", knee, add(knee, unit(172), 45 * s), foot=180, foot_fold=0.9)
    p.leg_to("far", (hip[0] + 54 * s, FL - 4.2 * s), -1, foot=0)
    if hands == "hips":
        p.arm_to("far", p.on_trunk(0.36, 3), 1, hand=20)
        p.arm_to("near", p.on_trunk(0.36, 1), 1, hand=20)
    else:
        k = p.point("knee", "far")
        p.arm_to("far", add(k, (-2, -6)), 1)
        p.arm_to("near", add(k, (-6, -5)), 1)
    b = floor() + cushion(cushion_c, 30, 10)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += zone(lerp(p.on_trunk(-0.08, 7), knee, 0.2), 6, 14, -78)
    b += arrow([(hip[0] + 20, hip[1] - 30), (hip[0] + 50, hip[1] - 30)])
    b += arc_arrow(hip, 24 * s, 196, 130, head=6, width=2.2)
    return b


def facing_wall(near_back, far_forward, near_bend, lean, sink=0):
    """Standing facing a wall on the right, hands on it, the painful (near)
    leg a step behind, heel down."""
    wx = 262
    hip = (wx - 70 + lean * 0.6, FL - 94 + sink)
    p = Person("side", hip, trunk=-90 + lean)
    p.leg_to("near", (hip[0] - near_back, FL - 4), near_bend, foot=0)
    p.leg_to("far", (hip[0] + far_forward, FL - 4), -1, foot=0)
    sh = p.shoulder
    p.arm_to("far", (wx - 4, sh[1] - 6), 1, hand=-84)
    p.arm_to("near", (wx - 4, sh[1] - 2), 1, hand=-84)
    b = wall(wx, "right") + floor()
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    return p, b


def thumb_on(p, target, approach=-120):
    """The near hand pressing with the thumb on `target`: the hand comes in
    from `approach` degrees and stops just short of the spot."""
    wrist = add(target, unit(approach), 9)
    p.arm_to("near", wrist, 1, hand=approach + 180)
    return p


def seated_reach(lean=26):
    """Sitting on a chair facing right, the painful (near) leg's foot on the
    floor, leaning forward to reach the lower leg with the near hand."""
    fx = 140
    p, seat = seated(fx, lean=lean)
    s = p.s
    p.leg_to("near", (fx + 22 * s, FL - 4.2 * s), -1, foot=0)
    p.leg_to("far", (fx + 16 * s, FL - 4.2 * s), -1, foot=0)
    p.arm_to("far", add(lerp(p.hip, p.point("knee", "far"), 0.7), (0, -8)), 1, hand=10)
    return p, floor() + chair(fx, seat)


def walker(x):
    """Walking to the right at an easy pace."""
    p = Person("side", (x, FL - 92), trunk=-86)
    p.leg_to("near", (x + 26, FL - 6), -1, foot=-12)
    p.leg_to("far", (x - 24, FL - 7), -1, foot=24)
    p.arm("near", 108, 92).arm("far", 70, 40)
    return p
