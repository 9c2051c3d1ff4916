.[0].candidates[0:3] | any(.cause == "root:L3" and .side == "r")
