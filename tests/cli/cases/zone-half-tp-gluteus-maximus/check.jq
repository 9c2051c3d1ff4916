.[0].candidates[0:3] | any(.cause == "tp:gluteus-maximus" and .side == "r")
