.[0].candidates[0:3] | any(.cause == "tp:tibialis-anterior" and .side == "r")
