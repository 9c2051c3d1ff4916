.[0].candidates[0:3] | any(.cause == "tp:gluteus-medius" and .side == "r")
