.[0].candidates[0:3] | any(.cause == "root:S2" and .side == "r")
