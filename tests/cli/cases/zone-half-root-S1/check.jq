.[0].candidates[0:3] | any(.cause == "root:S1" and .side == "r")
