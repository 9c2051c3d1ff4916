.[0].candidates[0:3] | any(.cause == "tp:medial-hamstrings" and .side == "r")
