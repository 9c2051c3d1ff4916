.[0].candidates as $c | ($c[0].cause == "root:S1" and $c[0].side == "r") or (($c[0:3] | any(.cause == "root:S1" and .side == "r")) and (["root:L5"] | index($c[0].cause) != null))
