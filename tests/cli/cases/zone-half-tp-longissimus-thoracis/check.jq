.[0].candidates[0:3] | any(.cause == "tp:longissimus-thoracis" and .side == "r")
