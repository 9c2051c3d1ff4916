.[0].candidates as $c | ($c[0].cause == "root:S2" and $c[0].side == "r") or (($c[0:3] | any(.cause == "root:S2" and .side == "r")) and (["root:L5","root:S1"] | index($c[0].cause) != null))
