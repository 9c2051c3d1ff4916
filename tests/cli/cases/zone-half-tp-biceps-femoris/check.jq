.[0].candidates[0:3] | any(.cause == "tp:biceps-femoris" and .side == "r")
