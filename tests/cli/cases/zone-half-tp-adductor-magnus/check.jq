.[0].candidates[0:3] | any(.cause == "tp:adductor-magnus" and .side == "r")
