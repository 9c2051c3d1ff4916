.[0].candidates[0:3] | any(.cause == "root:L5" and .side == "r")
