.[0].candidates[0:3] | any(.cause == "root:L4" and .side == "r")
