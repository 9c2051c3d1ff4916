.[0].candidates[0:3] | any(.cause == "tp:obturator-internus" and .side == "r")
