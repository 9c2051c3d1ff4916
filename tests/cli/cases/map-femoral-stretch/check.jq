.[0].candidates[0:2] | any(.cause == "root:L3" and .side == "l")
