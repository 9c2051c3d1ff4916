.[0].candidates[0:3] | any(.cause == "tp:gluteus-minimus-posterior" and .side == "r")
