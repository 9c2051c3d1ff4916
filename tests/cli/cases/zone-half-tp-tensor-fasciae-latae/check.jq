.[0].candidates[0:3] | any(.cause == "tp:tensor-fasciae-latae" and .side == "r")
