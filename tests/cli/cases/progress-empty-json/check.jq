length == 1 and .[0] as $p
| $p.verdict == "too-early"
and ($p.sentence | test("Too early to judge"))
and $p.leg.ratings == 0 and $p.back.ratings == 0 and $p.leg.baseline == null
and $p.sessions == 0 and $p.days == 0 and $p.start == null
and $p.flags.count == 0 and $p.advice == null
and $p.mcid.points == 2 and $p.mcid.percent == 30 and $p.mcid.worsening_points == 2
and ($p.mcid.source[0] | test("Ostelo"))
and ($p.notice | startswith("This is not a diagnosis."))
