.[0].candidates[0:3] | any(.cause == "root:L2" and .side == "r")
