.[0].candidates as $c | ($c[0].cause == "root:L2" and $c[0].side == "r") or (($c[0:3] | any(.cause == "root:L2" and .side == "r")) and (["tp:iliopsoas","root:L3"] | index($c[0].cause) != null))
