.[0].candidates[0:3] | any(.cause == "tp:multifidus" and .side == "r")
