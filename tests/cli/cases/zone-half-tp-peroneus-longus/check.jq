.[0].candidates[0:3] | any(.cause == "tp:peroneus-longus" and .side == "r")
