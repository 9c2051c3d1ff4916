.[0].candidates as $c | ($c[0].cause == "tp:soleus" and $c[0].side == "r") or (($c[0:3] | any(.cause == "tp:soleus" and .side == "r")) and (["root:S1"] | index($c[0].cause) != null))
