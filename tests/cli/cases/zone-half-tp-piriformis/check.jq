.[0].candidates[0:3] | any(.cause == "tp:piriformis" and .side == "r")
