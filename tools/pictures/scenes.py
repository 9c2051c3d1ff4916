"""The pictures: one scene per technique id of data/techniques.json.

Conventions every scene keeps (docs/internals/pictures.md):
- the painful side is the person's right; a side view shows it nearest the
  viewer (the near limbs), a front or back view follows the body chart;
- a deep red dot in an amber halo marks where the pressure goes; an amber
  wash marks where a stretch is felt; blue arrows show the movement;
- a framed close-up (inset) shows the place on the body when the main view
  cannot (inner or outer side, distance from a bony point).
"""

import math

from draw import (FOOT, INK, Person, add, angle_of, arc_arrow, arrow, ball, bars, bed, body_group,
                  body_path, chair, circle_d, cushion, f, floor, guide, heat_pack, inset, landmark,
                  lerp, mat, roller, roller_long, seat_front, spot, towel, unit, wall, zone)
from poses import (FL, LIE, SIT, TOP, back_pelvis, back_trunk, facing_wall, feet_down,
                   figure_four, hip_side, knee_pulled, kneeling_lunge, on_back_ball,
                   piriformis_line, seated, seated_reach, side_lying, sitting_on_balls, supine,
                   thin, thumb_on, top_view_supine, two_balls_in_sock, walker, wall_ball_back,
                   wall_side_front)


SCENES = []             # (section, id, title, description, function drawing the body)
_section = [""]


def section(name):
    """The heading the scenes that follow come under in the gallery."""
    _section[0] = name


def scene(pid, title, desc):
    def register(fn):
        SCENES.append((_section[0], pid, title, desc, fn))
        return fn
    return register


# ======================================================================
section("Buttock and hip")


@scene("gluteus-minimus-anterior-side-ball", "Side-lying ball on the side of the hip",
       "A person lies on the painful side, propped on the elbow, the top foot on the floor in "
       "front of the other knee. A tennis ball under the side of the hip takes part of the "
       "weight. The close-up marks the spot: on the side of the hip between the bony point at "
       "the front of the pelvis and the bony knob at the side, a little nearer the knob.")
def gluteus_minimus_anterior_side_ball():
    r = 8
    p, contact = side_lying(1.2, FL - 2 * r)
    b = floor() + ball((contact[0], FL - r), r)
    b += p.draw(["arm:right", "leg:right", "trunk", "leg:left", "arm:left"])
    b += spot(contact)
    top = p.on_trunk(0.04, -17)
    b += arrow([(top[0] - 4, top[1] - 46), (top[0] - 4, top[1] - 16)])
    b += hip_side(lambda p, front, knob, k: spot(lerp(knob, front, 0.38), k))
    return b


@scene("gluteus-minimus-anterior-wall-ball", "Ball against a wall, side of the hip",
       "A person stands with the painful side to a wall, a tennis ball between the wall and the "
       "side of the hip, and leans into the wall. The close-up marks the spot: between the bony "
       "point at the front of the pelvis and the bony knob at the side of the hip, a little "
       "nearer the knob.")
def gluteus_minimus_anterior_wall_ball():
    return (wall_side_front(46, 0.04) +
            hip_side(lambda p, front, knob, k: spot(lerp(knob, front, 0.38), k)))


@scene("gluteus-minimus-anterior-wall-lean", "Standing side-of-hip stretch",
       "A person stands with the painful side next to a wall, one hand on it, the other leg "
       "crossed in front. The hips drift towards the wall while the trunk stays upright; the "
       "stretch is felt on the outer hip next to the wall.")
def gluteus_minimus_anterior_wall_lean():
    wx = 40
    p = Person("front", (112, FL - 94), trunk=-84, head=-88)
    p.leg_to("right", (p.hip[0] + 10, FL - 4), 1, foot=100, foot_fold=0.5)
    p.leg_to("left", (p.hip[0] - 4, FL - 4), -1, foot=95, foot_fold=0.5)
    p.arm_to("right", (wx + 6, p.shoulder[1] + 4), -1, hand=180)
    p.arm("left", 84, 88)
    b = wall(wx) + floor()
    b += p.draw(["leg:right", "trunk", "leg:left", "arm:right", "arm:left"])
    b += zone(p.on_trunk(0.02, 15), 6, 15, 6)
    b += arrow([(p.hip[0] + 66, p.hip[1]), (p.hip[0] + 34, p.hip[1])])
    return b


@scene("gluteus-minimus-posterior-floor-ball", "Ball under the upper buttock, lying on your back",
       "A person lies on the back with the knees bent, a tennis ball under the painful buttock, "
       "and lets the hip settle onto it. The close-up from behind marks the spot: a little above "
       "the middle of the buttock, halfway between the crease of the buttocks and the side of "
       "the hip.")
def gluteus_minimus_posterior_floor_ball():
    p, b = on_back_ball(0.08)
    x = p.hip[0] - 16
    b += arrow([(x, p.hip[1] - 52), (x, p.hip[1] - 22)])
    b += back_pelvis(lambda q, k: spot(q.on_trunk(0.12, 10), k))
    return b


@scene("gluteus-minimus-posterior-wall-ball", "Ball against a wall, upper buttock",
       "A person stands with the back to a wall, knees slightly bent, a tennis ball between the "
       "wall and the painful buttock, and leans back into it. The close-up from behind marks the "
       "spot: a little above the middle of the buttock.")
def gluteus_minimus_posterior_wall_ball():
    return wall_ball_back(0.12, 11) + back_pelvis(lambda q, k: spot(q.on_trunk(0.12, 10), k))


@scene("gluteus-minimus-posterior-knee-to-shoulder", "Knee towards the opposite shoulder",
       "A person lies on the back, holds the bent knee of the painful leg with both hands and "
       "draws it up and across towards the opposite shoulder; the close-up from above shows "
       "the knee crossing towards that shoulder. The stretch is felt deep in the buttock.")
def gluteus_minimus_posterior_knee_to_shoulder():
    b = knee_pulled(-124, 40)

    # from above: the knee goes up and across, towards the other shoulder
    q = top_view_supine((0, 0), s=1)
    q.leg("left", 0, 0, foot=0, fold=(1, 1, 0.35))
    q.arm("left", -12, -4).arm("right", 12, 4)
    ls = q.joint("arm", "left")
    k = lerp(q.joint("leg", "right"), ls, 0.45)
    q.leg_at("right", k, add(k, (14, 4)), foot=15, foot_fold=0.4)
    close = q.draw(["leg:left", "arm:left", "arm:right", "trunk", "leg:right"])
    close += arrow([add(k, (6, 14)), add(k, (-6, 0)), add(ls, (8, 2))], width=2.4, head=7)
    return b + inset(196, 6, 118, 80, close, (-96, -40, 134, 89))


@scene("gluteus-medius-wall-ball", "Ball against a wall, just under the rim of the pelvis",
       "A person stands with the back to a wall, hands on the hips, a tennis ball between the "
       "wall and the upper outer buttock, and leans into it. The close-up from behind marks the "
       "spot: in the upper outer buttock just below the rim of the pelvis.")
def gluteus_medius_wall_ball():
    return (wall_ball_back(0.26, 10, arms="hips") +
            back_pelvis(lambda q, k: spot(q.on_trunk(0.2, 12.5), k)))


@scene("gluteus-medius-floor-ball", "Ball under the upper outer buttock, lying down",
       "A person lies on the back with the knees bent, a tennis ball under the upper outer "
       "buttock of the painful side. The close-up from behind marks the spot just below the rim "
       "of the pelvis; rolling slowly along the rim finds the next tender spot.")
def gluteus_medius_floor_ball():
    p, b = on_back_ball(0.24)
    return b + back_pelvis(lambda q, k: spot(q.on_trunk(0.2, 12.5), k))


@scene("gluteus-medius-knee-across", "Knee across the body",
       "Seen from above: a person lies on the back with the other leg straight, bends the painful "
       "knee and guides it across the body towards the floor with the opposite hand, both "
       "shoulders flat. The stretch is felt in the outer buttock.")
def gluteus_medius_knee_across():
    p = top_view_supine((170, 112), s=1.25)
    s = p.s
    p.leg("left", 0, 0, foot=0, fold=(1, 1, 0.35))
    p.leg("right", -98, 18, foot=18, fold=(0.95, 0.8, 0.4))
    knee = p.point("knee", "right")
    p.arm_to("left", add(knee, (-1 * s, -5 * s)), 1)
    p.arm("right", 124, 124)
    b = mat(8, 22, 304, 194)
    b += p.draw(["leg:left", "trunk", "arm:right", "leg:right", "arm:left"])
    b += zone(p.on_trunk(0.04, 15), 9, 7)
    b += arrow([add(knee, (-26, 30)), add(knee, (-34, 6)), add(knee, (-22, -16))])
    return b


@scene("gluteus-maximus-two-balls", "Sitting on two balls, low in the buttocks",
       "Seen from behind: a person sits with a ball under each buttock, just above the sitting "
       "bones and a little towards the middle, and shifts the weight towards the painful side. "
       "The dot marks the spot low in the buttock.")
def gluteus_maximus_two_balls():
    p, b, c = sitting_on_balls((6.5, -6.5))
    return b + spot((c[0][0], c[0][1] - 7.5))


@scene("gluteus-maximus-knee-to-chest", "Knee to chest",
       "A person lies on the back, holds the knee of the painful leg with both hands and draws "
       "it gently towards the chest, the other leg relaxed on the floor. The stretch is felt in "
       "the lower buttock.")
def gluteus_maximus_knee_to_chest():
    return knee_pulled(-134, 38)


@scene("piriformis-two-balls", "Sitting on two balls, middle of the buttocks",
       "Seen from behind: a person sits with a ball under the middle of each buttock and leans "
       "towards the painful side. The dashed line runs from the side of the sacrum to the bony "
       "knob at the side of the hip; the spot is about halfway along it.")
def piriformis_two_balls():
    p, b, c = sitting_on_balls((12, -12))
    return b + piriformis_line(p)


@scene("piriformis-wall-ball", "Ball against a wall, middle of the buttock",
       "A person stands with the back to a wall, a tennis ball between the wall and the middle "
       "of the painful buttock, and leans back into it. The close-up from behind marks the "
       "spot halfway along the line from the sacrum to the bony knob at the side of the hip.")
def piriformis_wall_ball():
    return wall_ball_back(0.04, 11) + back_pelvis(piriformis_line)


@scene("piriformis-figure-four", "Figure-four stretch",
       "A person lies on the back with the ankle of the painful leg resting on the other knee, "
       "and draws that other thigh towards the chest with both hands. The stretch is felt in "
       "the buttock of the painful side.")
def piriformis_figure_four():
    return figure_four()


@scene("obturator-internus-sitting-ball", "Gentle ball beside the sitting bone",
       "A person sits upright on a firm chair with a tennis ball under the painful side, letting "
       "only a little weight onto it. The close-up from behind marks the spot: just on the "
       "inner side of the sitting bone, next to the crease between the buttocks but not on the "
       "bone and not in the crease.")
def obturator_internus_sitting_ball():
    fx, r = 150, 6.5
    p, seat = seated(fx, back=30)
    s = p.s
    low = p.on_trunk(-0.2, -1)
    p = Person("side", (p.hip[0], p.hip[1] - (low[1] - (seat - 2 * r))), scale=s)
    low = p.on_trunk(-0.2, -1)
    feet_down(p, fx)
    p.arm_to("far", add(p.point("knee", "far"), (-14, -6)), 1)
    p.arm_to("near", add(p.point("knee", "near"), (-16, -6)), 1)
    b = floor() + chair(fx, seat) + ball((low[0], seat - r), r)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += spot((low[0], seat - 2 * r))

    def marks(q, k):
        return spot(q.on_trunk(-0.15, 2.6), k)
    return b + back_pelvis(marks, vb=(-21, -22, 44, 37))


@scene("obturator-internus-figure-four", "Figure-four stretch",
       "A person lies on the back with the ankle of the painful leg resting on the other knee, "
       "and draws that other thigh towards the chest with both hands. The stretch is felt deep "
       "in the buttock of the painful side.")
def obturator_internus_figure_four():
    return figure_four()


def below_front_point(p, front, knob, k):
    return spot(add(front, (-3, 8)), k)


@scene("tensor-fasciae-latae-floor-ball", "Ball under the front outer hip, lying face down",
       "A person lies face down on the forearms, a tennis ball under the front outer corner of "
       "the painful hip, and lowers weight onto it. The close-up marks the spot just below and "
       "a little behind the bony point at the front of the pelvis.")
def tensor_fasciae_latae_floor_ball():
    s, r = LIE, 8
    elbow_y = FL - 3.8 * s
    shoulder_y = elbow_y - 33 * s
    # how high the ball holds the hip (with a first guess of the trunk's
    # slope), then the slope that puts the elbows on the floor under the shoulders
    p = Person("side", (0, 0), trunk=195, facing=-1, scale=s)
    contact = p.on_trunk(0.16, 9)
    hip_y = FL - 2 * r - contact[1]
    trunk = 180 + math.degrees(math.asin((hip_y - shoulder_y) / (56 * s)))
    p = Person("side", (166, hip_y), trunk=trunk, head=trunk + 4, facing=-1, scale=s)
    contact = p.on_trunk(0.16, 9)
    p.arm("far", 92, 180, fill="far").arm("near", 90, 178)
    p.leg_to("far", (p.hip[0] + 94 * s, FL - 4.2 * s), 1, foot=8)     # straight legs
    p.leg_to("near", (p.hip[0] + 93 * s, FL - 4.2 * s), 1, foot=8)
    b = floor() + p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += ball((contact[0], FL - r), r) + spot(contact)
    b += arrow([(contact[0], contact[1] - 60), (contact[0], contact[1] - 30)])
    b += hip_side(below_front_point)
    return b


@scene("tensor-fasciae-latae-wall-ball", "Ball against a wall, front outer hip",
       "A person stands with the painful hip turned towards a wall, a tennis ball between the "
       "wall and the front outer corner of the hip, and leans into it. The close-up marks the "
       "spot just below and a little behind the bony point at the front of the pelvis.")
def tensor_fasciae_latae_wall_ball():
    return wall_side_front(46, 0.14) + hip_side(below_front_point)


@scene("tensor-fasciae-latae-side-hang", "Side-lying leg hang",
       "Seen from behind: a person lies on the good side near the edge of a bed, the bottom knee "
       "bent, and lets the painful top leg, taken a little back, hang straight down over the "
       "edge. The stretch is felt in the front outer hip.")
def tensor_fasciae_latae_side_hang():
    top, s = 118, 1.15
    p = Person("back", (150, top - 17 * s), trunk=180, head=183, scale=s)
    p.leg("left", 4, 2, foot=0, fold=(0.8, 0.7, 0.4), fill="far")
    p.leg("right", 74, 86, foot=95, fold=(1, 1, 0.5))
    p.arm("left", 178, 185, fill="far")
    p.arm("right", 12, 4)
    b = floor() + bed(20, 250, top)
    b += p.draw(["arm:left", "leg:left", "trunk", "arm:right", "leg:right"])
    b += zone(p.on_trunk(0.02, 15), 12, 6)
    knee = p.point("knee", "right")
    b += arrow([(knee[0] + 26, knee[1] - 14), (knee[0] + 26, knee[1] + 20)])
    return b


# ======================================================================
section("Low back")

def flank(q, k):
    return spot(q.on_trunk(0.5, 12.5), k)


@scene("quadratus-lumborum-floor-ball", "Ball in the flank, lying on your back",
       "A person lies on the back with the knees bent, a tennis ball under the painful side of "
       "the waist, tilting a little onto it. The close-up from behind marks the spot: in the "
       "soft gap between the lowest rib and the top of the pelvis, about a hand's width out "
       "from the spine, just outside the long ridge of muscle beside it.")
def quadratus_lumborum_floor_ball():
    p, b = on_back_ball(0.5, lift=3)
    return b + back_trunk(flank)


@scene("quadratus-lumborum-wall-ball", "Ball against a wall, flank",
       "A person stands with the back to a wall, turned slightly onto the painful side, a tennis "
       "ball in the soft gap between the lowest rib and the top of the pelvis, and leans into "
       "it. The close-up from behind marks the spot, outside the long ridge of muscle beside "
       "the spine.")
def quadratus_lumborum_wall_ball():
    return wall_ball_back(0.5, 8.5) + back_trunk(flank)


@scene("quadratus-lumborum-side-bend", "Standing side bend",
       "A person stands with the feet hip-width apart, raises the arm of the painful side over "
       "the head and bends slowly to the other side, without twisting or leaning forward. The "
       "stretch is felt in the flank of the painful side.")
def quadratus_lumborum_side_bend():
    p = Person("front", (150, FL - 95), trunk=-74, head=-66)
    p.leg_to("right", (p.hip[0] - 13, FL - 4), 1, foot=100, foot_fold=0.5)
    p.leg_to("left", (p.hip[0] + 13, FL - 4), -1, foot=80, foot_fold=0.5)
    p.arm("right", -74, -30, hand=-20)
    p.arm("left", 100, 94)
    b = floor() + p.draw(["leg:right", "leg:left", "arm:left", "trunk", "arm:right"])
    b += zone(p.on_trunk(0.45, 15), 5, 15, 16)
    b += arc_arrow(p.hip, 110, -104, -66)
    return b


@scene("iliocostalis-lumborum-floor-ball", "Ball beside the long back muscle, lying on your back",
       "A person lies on the back with the knees bent, a tennis ball under the low back on the "
       "painful side. The close-up from behind marks the spot: a little above waist level, at "
       "the outer edge of the long ridge of muscle beside the spine, about three fingers' width "
       "out from the middle.")
def iliocostalis_lumborum_floor_ball():
    p, b = on_back_ball(0.58, lift=3)
    return b + back_trunk(lambda q, k: spot(q.on_trunk(0.58, 8), k))


@scene("iliocostalis-lumborum-side-reach", "Kneeling side reach",
       "Seen from above: a person kneels, sits back towards the heels and walks both hands "
       "forward along the floor and then towards the side away from the pain. The stretch is "
       "felt in the painful side of the low back.")
def iliocostalis_lumborum_side_reach():
    s = TOP
    p = Person("back", (252, 80), trunk=166, head=160, scale=s)
    p.leg("right", 180, 0, foot=0, fold=(0.5, 0.95, 0.55), fill="far")
    p.leg("left", 180, 0, foot=0, fold=(0.5, 0.95, 0.55), fill="far")
    p.arm("right", 150, 146, hand=146)
    p.arm("left", 146, 140, hand=140)
    b = mat(8, 18, 304, 196)
    b += p.draw(["leg:right", "leg:left", "trunk", "arm:right", "arm:left"])
    b += zone(p.on_trunk(0.4, 15), 14, 6, 166)
    hand = p.point("hand", "left")
    b += arrow([add(hand, (24, -6)), add(hand, (18, 14)), add(hand, (4, 30))])
    return b


@scene("longissimus-thoracis-two-balls", "Two balls either side of the spine, at the lowest ribs",
       "A person lies on the back with the knees bent on two tennis balls tied side by side in a "
       "sock. The close-up from behind shows the balls across the spine where the lowest ribs "
       "meet the low back, one each side, the spine resting in the gap; the dot marks the "
       "painful side.")
def longissimus_thoracis_two_balls():
    p, b = on_back_ball(0.76, lift=3)
    b += back_trunk(lambda q, k: two_balls_in_sock(q, 0.76, 4.6, k), vb=(-30, -64, 60, 51))
    return b


@scene("longissimus-thoracis-knees-to-chest", "Both knees to chest",
       "A person lies on the back, brings both knees towards the chest and holds them with the "
       "hands, letting the low and middle back round gently onto the floor. The stretch is felt "
       "along the low and middle back.")
def longissimus_thoracis_knees_to_chest():
    p = supine(190)
    p.leg("far", -128, 40, foot=-50)
    p.leg("near", -132, 38, foot=-52)
    knee = p.point("knee", "near")
    p.arm_to("far", add(knee, (6, 2)), -1)
    p.arm_to("near", add(knee, (4, 6)), -1)
    b = floor() + p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += zone(p.on_trunk(0.55, -9), 26, 5)
    b += arc_arrow(p.hip, 78, -116, -150)
    return b


@scene("multifidus-two-balls", "Two balls either side of the low back spine",
       "A person lies on the back with the knees bent on two tennis balls tied side by side in a "
       "sock. The close-up from behind shows the balls across the low back, the bony bumps of "
       "the spine in the gap, each ball about a finger's width from the middle; the arrow shows "
       "moving down one level at a time towards the flat bone at the base of the spine.")
def multifidus_two_balls():
    p, b = on_back_ball(0.36, lift=3)

    def marks(q, k):
        return (two_balls_in_sock(q, 0.4, 4.6, k) +
                arrow([q.on_trunk(0.34, -12), q.on_trunk(0.1, -12)], width=1.8, head=5.5))
    return b + back_trunk(marks, vb=(-30, -50, 60, 51))


@scene("multifidus-lying-twist", "Knees-side-to-side twist",
       "Seen from above: a person lies on the back, arms out and shoulders flat, the knees bent "
       "and together, and lets both knees fall slowly to one side, then brings them back and "
       "does the other side. The stretch is felt in the low back.")
def multifidus_lying_twist():
    p = top_view_supine((170, 118), s=1.25)
    p.leg("left", -58, 22, foot=22, fold=(0.9, 0.85, 0.45))
    p.leg("right", -46, 26, foot=26, fold=(0.9, 0.85, 0.45))
    p.arm("left", -112, -118)
    p.arm("right", 112, 118)
    b = mat(8, 6, 304, 214)
    b += p.draw(["leg:left", "arm:left", "arm:right", "trunk", "leg:right"])
    b += zone(p.on_trunk(0.3, 15), 12, 6)
    b += arc_arrow(p.hip, 92, -70, 40, both=True)
    return b


@scene("iliopsoas-stretch-only", "Stretch only: no pressing at home",
       "Nothing is pressed for this muscle at home. A person kneels on the painful side's knee "
       "on a cushion, the other foot flat in front, hands on the hips to keep the pelvis level, "
       "tucks the tailbone under and shifts the weight gently forward. The stretch is felt in "
       "the front of the hip and groin.")
def iliopsoas_stretch_only():
    return kneeling_lunge("hips")


@scene("iliopsoas-kneeling-lunge", "Kneeling hip-front stretch",
       "A person kneels on the painful side's knee on a cushion with the other foot flat in "
       "front, tucks the tailbone under, keeps the back upright and shifts the weight gently "
       "forward. The stretch is felt in the front of the hip and groin.")
def iliopsoas_kneeling_lunge():
    return kneeling_lunge("knee")


# ======================================================================
section("Thigh")

@scene("vastus-lateralis-foam-roller", "Foam roller on the outer thigh",
       "A person lies on the painful side on a foam roller placed under the outer thigh, "
       "midway between hip and knee, the forearm and the top foot on the floor for support. "
       "The arrows show rolling slowly a hand's width up and down the thigh.")
def vastus_lateralis_foam_roller():
    s, r = 1.2, 10.5
    p = Person("front", (0, 0), trunk=200, head=196, scale=s)
    p.leg("right", 4, 0)
    mid = lerp(p.joint("leg", "right"), p.point("knee", "right"), 0.5)
    low = add(mid, (0, 7 * s))
    hip = (150 - low[0], FL - 2 * r - low[1])
    p = Person("front", hip, trunk=200, head=196, scale=s)
    p.arm_to("right", (p.shoulder[0] - 24 * s, FL - 3 * s), -1, hand=180, fill="far")
    p.arm_to("left", p.on_trunk(-0.04, -12), 1, hand=10)
    p.leg("right", 4, 0, foot=-75, fold=(1, 1, 0.45), fill="far")
    p.leg_to("left", (hip[0] + 40 * s, FL - 4.2 * s), -1, foot=8)
    contact = (150, FL - 2 * r)
    b = floor() + roller((150, FL - r), r)
    b += p.draw(["arm:right", "leg:right", "trunk", "leg:left", "arm:left"])
    b += spot(contact)
    b += arrow([(contact[0] - 26, contact[1] + 2), (contact[0] - 40, contact[1] + 4)], head=6)
    b += arrow([(contact[0] + 26, contact[1] + 2), (contact[0] + 40, contact[1] + 3)], head=6)
    return b


@scene("vastus-lateralis-ball", "Ball on the outer thigh, sitting",
       "A person sits on a chair and presses a tennis ball into the middle of the outer thigh "
       "with the hand, halfway between hip and knee, and holds.")
def vastus_lateralis_ball():
    fx = 160
    p, seat = seated(fx)
    feet_down(p, fx)
    mid = lerp(p.point("knee", "near"), p.hip, 0.5)
    p.arm_to("near", add(mid, (-12, -10)), 1, hand=40)
    p.arm("far", 80, 60)
    b = floor() + chair(fx, seat)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near"]) + ball(mid, 7.5)
    b += p.draw(["arm:near"]) + spot(mid)
    return b


@scene("vastus-lateralis-standing-thigh", "Standing front-of-thigh stretch",
       "A person holds the back of a chair, bends the painful knee and takes the ankle in the "
       "hand, drawing the heel towards the buttock with the knees together and the hip pushed "
       "slightly forward. The stretch is felt in the front and outer thigh.")
def vastus_lateralis_standing_thigh():
    p = Person("side", (116, FL - 95), trunk=-90)
    p.leg_to("far", (118, FL - 4), -1, foot=0)
    p.leg("near", 101, -96, foot=196, fold=(1, 1, 0.8))
    ankle, knee = p.point("ankle", "near"), p.point("knee", "near")
    p.arm_to("near", add(ankle, (-1, 2)), 1, hand=100)
    fx = 184
    post = (fx - 38, FL - 45 - 50)
    p.arm_to("far", post, 1, hand=10)
    b = floor() + chair(fx, FL - 45)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += zone(lerp(p.hip, knee, 0.5), 5, 15, 11)
    b += arc_arrow(knee, 64, -118, -96, head=6, width=2.2)
    b += arrow([(p.hip[0] + 14, p.hip[1] + 16), (p.hip[0] + 36, p.hip[1] + 16)], head=6, width=2.2)
    return b


def hamstring_on_ball(side_offset):
    """Sitting on a firm chair, a ball under the back of the painful thigh in
    its lower half, the hands pressing the thigh down onto it; the close-up
    from behind shows the outer (+) or inner (-) side."""
    fx, r = 170, 7.5
    p, seat = seated(fx, back=36)
    s = p.s
    ball_c = (p.hip[0] + 34 * s, seat - r)
    under = (ball_c[0], seat - 2 * r)
    thigh = math.degrees(math.atan2(under[1] - 6.2 * s - p.hip[1], ball_c[0] - p.hip[0]))
    knee = add(p.hip, unit(thigh), 46 * s)
    drop = (FL - 4.2 * s - knee[1]) / (45 * s)
    if drop < 1:                    # the foot reaches the floor
        shin = math.degrees(math.asin(drop))
        p.leg_at("near", knee, add(knee, unit(shin), 45 * s), foot=shin - 90)
    else:                           # the foot hangs, its toes on the floor
        ankle = add(knee, unit(92), 45 * s)
        toe = math.degrees(math.asin(min(1, (FL - 3 - ankle[1]) / (FOOT * s))))
        p.leg_at("near", knee, ankle, foot=toe)
    p.leg_to("far", (fx + 16 * s, FL - 4.2 * s), -1, foot=0)
    top = add(lerp(p.hip, knee, 0.62), (0, -6.6 * s))
    p.arm_to("near", add(top, (-2, -2)), 1, hand=0)
    p.arm_to("far", add(top, (6, -2)), 1, hand=0)
    b = floor() + chair(fx, seat)
    b += p.draw(["arm:far", "leg:far", "trunk"]) + ball(ball_c, r)
    b += p.draw(["leg:near", "arm:near"]) + spot(under)
    b += arrow([(top[0] + 16, top[1] - 36), (top[0] + 16, top[1] - 10)])

    def marks(q, k):
        hip, knee = q.joint("leg", "right"), q.point("knee", "right")
        crease = [add(knee, (-6, -2)), add(knee, (6, -2))]
        return thin(crease, INK) + spot(add(lerp(hip, knee, 0.68), (4.2 * side_offset, 0)), k)
    b += back_pelvis(marks, vb=(-30, -10, 74, 63))
    return b


@scene("biceps-femoris-chair-ball", "Ball under the outer back of the thigh, sitting",
       "A person sits on a firm chair with a tennis ball under the back of the painful thigh "
       "and presses the thigh down gently with both hands. The close-up from behind marks the "
       "spot on the outer side of the back of the thigh, in its lower half, at least a hand's "
       "width above the crease behind the knee.")
def biceps_femoris_chair_ball():
    return hamstring_on_ball(1)


@scene("medial-hamstrings-chair-ball", "Ball under the inner back of the thigh, sitting",
       "A person sits on a firm chair with a tennis ball under the back of the painful thigh "
       "and presses the thigh down gently with both hands. The close-up from behind marks the "
       "spot on the inner side of the back of the thigh, in its lower half, at least a hand's "
       "width above the crease behind the knee.")
def medial_hamstrings_chair_ball():
    return hamstring_on_ball(-1)


@scene("biceps-femoris-towel-stretch", "Towel hamstring stretch",
       "A person lies on the back with a towel looped around the foot of the painful leg and "
       "raises the straight leg until the back of the thigh stretches; the other leg rests on "
       "the floor.")
def biceps_femoris_towel_stretch():
    p = supine(176)
    p.leg("far", 1, 0, foot=-84)
    p.leg("near", -66, -66, foot=-156)
    sole = add(p.point("toe", "near"), unit(-66 + 90), -3)
    heel = p.point("heel", "near")
    grip = lerp(p.shoulder, heel, 0.42)
    p.arm_to("far", add(grip, (2, -2)), -1)
    p.arm_to("near", grip, -1)
    back = add(lerp(p.hip, p.point("knee", "near"), 0.5), unit(24), 8)
    b = floor() + p.draw(["arm:far", "leg:far", "trunk"])
    b += towel([grip, lerp(grip, sole, 0.5), add(sole, (1, -2))])
    b += p.draw(["leg:near", "arm:near"])
    b += towel([add(grip, (2, 0)), add(lerp(grip, heel, 0.5), (3, 3)), add(heel, (4, 2))])
    b += zone(back, 5, 18, -66 + 90)
    b += arc_arrow(p.hip, 126, -46, -70)
    return b


@scene("medial-hamstrings-seated-stretch", "Seated hamstring stretch",
       "A person sits near the front of a firm chair with the painful leg straight out, heel "
       "on the floor, and leans forward from the hips with a straight back. The stretch is "
       "felt in the back of the thigh.")
def medial_hamstrings_seated_stretch():
    fx = 130
    p, seat = seated(fx, lean=34, back=14)
    s = p.s
    p.leg_to("near", (p.hip[0] + 86 * s, FL - 4 * s), -1, foot=-60)
    p.leg_to("far", (fx + 10 * s, FL - 4.2 * s), -1, foot=0)
    knee = p.point("knee", "near")
    p.arm_to("far", add(knee, (-10, -6)), 1)
    p.arm_to("near", add(knee, (-6, -6)), 1)
    b = floor() + chair(fx, seat)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    under = add(lerp(p.hip, knee, 0.55), (0, 7))
    b += zone(under, 18, 4.5, math.degrees(math.atan2(knee[1] - p.hip[1], knee[0] - p.hip[0])))
    b += arc_arrow(p.hip, 118, -64, -40)
    return b


@scene("adductor-magnus-foam-roller", "Foam roller on the inner thigh, lying face down",
       "Seen from above: a person lies face down on the forearms, the painful knee bent and "
       "brought out to the side, the inner thigh resting across a foam roller halfway between "
       "the groin and the knee. The arrows show rolling a little towards the knee or up, but "
       "never into the groin.")
def adductor_magnus_foam_roller():
    s = 1.2
    p = Person("back", (170, 136), trunk=180, head=180, scale=s)
    p.leg("left", 2, 0, foot=0, fold=(1, 1, 0.4))
    p.leg("right", -76, 4, foot=4, fold=(0.95, 1, 0.6))
    p.arm("left", 150, 200, fill="far")
    p.arm("right", 210, 160)
    hip_r, knee = p.joint("leg", "right"), p.point("knee", "right")
    mid = lerp(hip_r, knee, 0.5)
    b = mat(8, 6, 304, 214)
    b += roller_long((mid[0] - 48, mid[1]), (mid[0] + 48, mid[1]), 9)
    b += p.draw(["arm:left", "leg:left", "trunk", "arm:right", "leg:right"])
    b += spot(add(mid, (3, 0)))
    d = unit(-76)
    side = add(mid, unit(-76 + 90), -17)
    b += arrow([add(side, d, 8), add(side, d, 20)], head=6)
    b += arrow([add(side, d, -8), add(side, d, -20)], head=6)
    return b


@scene("adductor-magnus-straddle", "Seated wide-leg stretch",
       "A person sits on the floor with the legs apart as wide as is comfortable and leans "
       "forward from the hips with a straight back. The stretch is felt in the inner thighs. "
       "The close-up from the side shows the forward lean.")
def adductor_magnus_straddle():
    s = 1.25
    p = Person("front", (150, FL - 20 * s), trunk=-90, head=-90, scale=s, trunk_len=0.82,
               seated=True)
    p.leg("right", 164, 176, foot=-100, fold=(1, 1, 0.55))
    p.leg("left", 16, 4, foot=-80, fold=(1, 1, 0.55))
    p.arm("right", 104, 88)
    p.arm("left", 76, 92)
    b = floor() + p.draw(["leg:right", "leg:left", "trunk", "arm:right", "arm:left"])
    for side, a in (("right", 164), ("left", 16)):
        b += zone(add(lerp(p.joint("leg", side), p.point("knee", side), 0.55), (0, -4)), 16, 4.5,
                  a + 180 if a > 90 else a)

    q = Person("side", (0, 0), trunk=-48)
    q.leg("near", -2, 0, foot=-84)
    q.arm("near", 40, 30)
    side = q.draw(["trunk", "leg:near", "arm:near"]) + arc_arrow((0, 0), 76, -80, -50, head=7)
    b += inset(216, 6, 98, 70, floor(11.6, -30, 100, 12) + side, (-30, -80, 130, 92))
    return b


# ======================================================================
section("Lower leg")

@scene("gastrocnemius-foam-roller", "Foam roller under the upper calf",
       "A person sits on the floor with the painful calf resting on a foam roller just below "
       "the back of the knee, the other foot on the floor, and lifts the hips on the hands to "
       "add weight.")
def gastrocnemius_foam_roller():
    s, r = LIE, 10.5
    hip = (92, FL - 30)
    p = Person("side", hip, trunk=-118, scale=s)
    knee = add(hip, unit(4), 46 * s)
    roll = (knee[0] + 12 * s, FL - r)
    shin = math.degrees(math.atan2(FL - 2 * r - 5 * s - knee[1], roll[0] - knee[0]))
    p.leg_at("near", knee, add(knee, unit(shin), 45 * s), foot=shin - 84)
    p.leg_to("far", (hip[0] + 64 * s, FL - 4.2 * s), -1, foot=0)
    p.arm_to("far", (hip[0] - 30 * s, FL - 3 * s), 1, hand=180)
    p.arm_to("near", (hip[0] - 27 * s, FL - 3 * s), 1, hand=180)
    b = floor() + roller(roll, r)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += spot((roll[0], FL - 2 * r))
    b += arrow([(hip[0] + 2, FL - 2), (hip[0] + 2, FL - 17)], head=6, width=2.2)
    return b


@scene("gastrocnemius-wall-stretch", "Straight-knee calf stretch",
       "A person faces a wall with both hands on it, the painful leg a step behind with the heel "
       "down and the knee straight, bends the front knee and leans towards the wall. The "
       "stretch is felt in the upper calf of the back leg.")
def gastrocnemius_wall_stretch():
    p, b = facing_wall(46, 24, -1, 24)
    k, a = p.point("knee", "near"), p.point("ankle", "near")
    d = math.degrees(math.atan2(a[1] - k[1], a[0] - k[0]))
    b += zone(add(lerp(k, a, 0.3), unit(d + 90), 3), 4.5, 13, d + 90)
    b += arrow([(p.hip[0] - 30, p.hip[1] - 40), (p.hip[0] - 2, p.hip[1] - 40)])
    return b


@scene("soleus-bent-knee-stretch", "Bent-knee calf stretch",
       "A person faces a wall with both hands on it, the painful leg a short step behind, heel "
       "down, and bends both knees to sink down. The stretch is felt low in the calf of the "
       "back leg.")
def soleus_bent_knee_stretch():
    p, b = facing_wall(22, 20, -1, 8, sink=12)
    k, a = p.point("knee", "near"), p.point("ankle", "near")
    d = math.degrees(math.atan2(a[1] - k[1], a[0] - k[0]))
    b += zone(add(lerp(k, a, 0.58), unit(d + 90), 3), 4, 10, d + 90)
    b += arrow([(p.hip[0] - 26, p.hip[1] - 26), (p.hip[0] - 26, p.hip[1] + 4)])
    return b


@scene("soleus-thumb", "Thumb pressure beside the Achilles tendon",
       "A person sits with the painful heel resting on a low stool in front and presses with "
       "the thumb into the low calf, the fingers around the shin. The close-up from behind marks "
       "the spots a few fingers' width above the heel, just beside the Achilles tendon on the "
       "inner and the outer side.")
def soleus_thumb():
    fx = 120
    p, seat = seated(fx, lean=36)
    s = p.s
    p.leg_to("near", (fx + 92 * s, FL - 34 * s), -1, foot=-70)
    p.leg_to("far", (fx + 12 * s, FL - 4.2 * s), -1, foot=0)
    k, a = p.point("knee", "near"), p.point("ankle", "near")
    d = math.degrees(math.atan2(a[1] - k[1], a[0] - k[0]))
    target = add(lerp(k, a, 0.8), unit(d + 90), 3.6 * s)
    p.arm_to("far", add(lerp(k, a, 0.8), unit(d - 90), 4), 1)
    thumb_on(p, target, d - 150)
    b = floor() + chair(fx, seat) + chair(a[0] + 16, FL - 30 * s, back=False, depth=36)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"]) + spot(target)

    calf = body_group(body_path(
        "M-13,-6 Q-17,24 -8,50 L-6,66 Q-9,78 0,80 Q9,78 6,66 L8,50 Q17,24 13,-6Z"))
    close = calf + thin([(0, 40), (0, 72)], INK) + thin([(-6, 76), (6, 76)])
    close += spot((-6.5, 58), 0.84) + spot((6.5, 58), 0.84)
    b += inset(216, 6, 98, 92, close, (-40, -8, 80, 90))
    return b


@scene("peroneus-longus-thumb", "Thumb pressure below the outer knee",
       "A person sits and presses with the thumb into the outer side of the painful leg just "
       "below the knee. The small ring marks the bony knob there (the head of the fibula); the "
       "spot is in the muscle just below it.")
def peroneus_longus_thumb():
    p, b = seated_reach()
    k, a = p.point("knee", "near"), p.point("ankle", "near")
    d = math.degrees(math.atan2(a[1] - k[1], a[0] - k[0]))
    knob = add(lerp(k, a, 0.09), unit(d + 90), 3.5)
    target = add(lerp(k, a, 0.27), unit(d + 90), 2.5)
    thumb_on(p, target, d - 120)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    return b + landmark(knob) + spot(target)


@scene("peroneus-longus-ankle-turn", "Seated ankle turn-in",
       "A person sits with the painful ankle across the other knee, holds the foot and gently "
       "pulls it up towards the shin while turning the sole inwards. The close-up of the lower "
       "leg and foot from the front shows the two movements: the foot pulled up and the sole "
       "turned in. The stretch is felt along the outer shin and ankle.")
def peroneus_longus_ankle_turn():
    s = SIT
    seat = FL - 45 * s
    p = Person("front", (150, seat - 9.5 * s), trunk=-90, head=-86, scale=s, seated=True)
    lk = add(p.joint("leg", "left"), (2 * s, 10 * s))
    p.leg_at("left", lk, (lk[0] + 1, FL - 4.2 * s), foot=90, foot_fold=0.35)
    rk = add(p.joint("leg", "right"), (-36 * s, 2 * s))
    ra = add(lk, (22 * s, -9 * s))
    p.leg_at("right", rk, ra, foot=80, foot_fold=0.75)
    toe = p.point("toe", "right")
    p.arm_to("left", add(toe, (13, -3)), -1, hand=182)
    p.arm_to("right", add(lerp(rk, ra, 0.62), (0, -5)), 1, hand=90)
    b = floor() + seat_front(150, seat)
    b += p.draw(["leg:left", "trunk", "leg:right", "arm:right", "arm:left"])
    b += zone(lerp(rk, ra, 0.42), 18, 4.5, angle_of(rk, ra))
    b += arc_arrow(ra, 27, 100, 172, head=6.5, width=2.4)

    # the close-up: the right lower leg and foot seen from the front, the
    # foot pulled up and its sole turned in (towards the other foot)
    leg = ("M-11,-46 Q-13,-16 -7,6 Q-11,10 -9,15 L8,15 Q11,10 7,5 Q13,-16 11,-46Z")
    foot = "M-9,10 Q-15,22 -10,29 Q3,32 15,22 Q18,14 10,9Z"
    close = body_group(body_path(leg) + body_path(foot)) + thin([(-9, 27), (14, 19)], INK)
    close += zone((-9, -10), 4, 20)
    close += arrow([(2, 28), (2, 6)], width=2.2, head=6)
    close += arc_arrow((3, 16), 24, 150, 10, width=2.2, head=6)
    b += inset(216, 6, 98, 92, close, (-36, -50, 72, 96))
    return b


@scene("tibialis-anterior-thumb", "Thumb pressure on the upper shin muscle",
       "A person sits and presses with the thumb into the muscle just to the outside of the "
       "sharp edge of the shin bone, in the upper third of the shin. The close-up from the "
       "front shows the edge of the shin bone dashed and the spot a finger's width outside it.")
def tibialis_anterior_thumb():
    p, b = seated_reach(lean=30)
    k, a = p.point("knee", "near"), p.point("ankle", "near")
    d = math.degrees(math.atan2(a[1] - k[1], a[0] - k[0]))
    target = add(lerp(k, a, 0.3), unit(d - 90), 2.5)
    thumb_on(p, target, d - 160)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"]) + spot(target)

    shin = body_group(body_path("M-12,-4 Q-14,20 -8,60 L-6,76 L6,76 L8,60 Q14,20 12,-4Z") +
                      body_path(circle_d((0, -6), 12)))
    close = (shin + guide([(1, 6), (-1, 40), (0, 72)]) + spot((-6, 22), 0.84))
    b += inset(216, 6, 98, 92, close, (-40, -20, 80, 96))
    return b


@scene("tibialis-anterior-kneeling", "Kneeling shin stretch",
       "A person kneels on a soft surface with the tops of the feet flat on the floor and sits "
       "back gently towards the heels, a cushion between heels and buttocks. The stretch is "
       "felt in the front of the shin and ankle.")
def tibialis_anterior_kneeling():
    s = LIE
    knee = (196, FL - 5.8 * s)
    ankle = add(knee, (-45 * s, 0.5))
    hip = add(knee, unit(-142), 46 * s)
    p = Person("side", hip, trunk=-86, scale=s)
    p.leg_at("far", add(knee, (3, 0)), add(ankle, (3, 0)), foot=180, foot_fold=0.95)
    p.leg_at("near", knee, ankle, foot=180, foot_fold=0.95)
    p.arm_to("far", add(knee, (-10, -10)), 1)
    p.arm_to("near", add(knee, (-14, -9)), 1)
    b = floor() + cushion((ankle[0] + 12, ankle[1] - 11), 34, 10)
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += zone(lerp(knee, ankle, 0.75), 16, 4)
    b += arrow([(hip[0] - 30, hip[1] - 40), (hip[0] - 30, hip[1] - 10)])
    return b


# ======================================================================
section("Every session")

@scene("moist-heat", "Moist heat first",
       "A person lies face down, head resting on the folded arms, with a warm moist heat pack "
       "over the sore buttock and low back and a dry towel between the pack and the skin.")
def moist_heat():
    s = LIE
    p = Person("side", (150, FL - 10 * s), trunk=180, head=186, facing=-1, scale=s)
    p.arm("far", 170, 10, fill="far").arm("near", 168, 12)
    p.leg("far", 6, 1, foot=6)
    p.leg("near", 7, 0, foot=8)
    b = floor() + p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += heat_pack(p.on_trunk(0.5, -10), p.on_trunk(-0.12, -11), 6)
    return b


@scene("short-walk", "A short walk",
       "A person walks at an easy pace; the arrow shows walking on.")
def short_walk():
    p = walker(130)
    b = floor() + p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    return b + arrow([(186, 96), (226, 96)])


@scene("graded-walking", "A walk, a little longer each week",
       "A person walks at an easy pace; the rising bars beside them show the walking time "
       "built up a little each week.")
def graded_walking():
    p = walker(110)
    b = floor() + p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    b += arrow([(160, 110), (196, 110)])
    b += bars(214, 190, [18, 34, 50, 66, 82])
    return b


@scene("relaxation", "Slow breathing and relaxation",
       "A person lies comfortably on the back, a pillow under the head and a rolled cushion "
       "under the knees, arms resting, breathing slowly; the two-headed arrow shows the belly "
       "rising and falling with each breath.")
def relaxation():
    s = LIE
    p = Person("side", (176, FL - 11.5 * LIE - 1), trunk=180, head=194, scale=LIE)
    roll = (p.hip[0] + 44 * s, FL - 9)
    p.leg_at("far", add(roll, (2, -12)), add(p.hip, (92 * s, 8 * s)), foot=-70)
    p.leg_at("near", add(roll, (0, -12)), add(p.hip, (90 * s, 8 * s)), foot=-70)
    p.arm("far", 10, -4).arm("near", 14, -8)
    b = floor() + cushion((p.point("head")[0] + 4, FL - 6), 40, 10)
    b += '<circle cx="%s" cy="%s" r="9" fill="#fff" stroke="#5f6368" stroke-width="1.5"/>' % (
        f(roll[0]), f(roll[1]))
    b += p.draw(["arm:far", "leg:far", "trunk", "leg:near", "arm:near"])
    belly = p.on_trunk(0.42, 9)
    b += arrow([(belly[0], belly[1] - 34), (belly[0], belly[1] - 10)], both=True, head=6)
    return b
