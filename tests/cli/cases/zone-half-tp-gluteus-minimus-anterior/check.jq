.[0].candidates[0:3] | any(.cause == "tp:gluteus-minimus-anterior" and .side == "r")
